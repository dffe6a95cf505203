public import Foundation

/// How a sync run ended.
public enum SyncOutcome: String, Sendable, Hashable, Codable {
    case success
    case partial
    case failed
}

/// The totals recorded for a sync run.
public struct SyncCounts: Sendable, Hashable {
    public var threads: Int
    public var messagesNew: Int
    public var revisionsNew: Int
    public var failedThreads: Int

    public init(threads: Int = 0, messagesNew: Int = 0, revisionsNew: Int = 0, failedThreads: Int = 0) {
        self.threads = threads
        self.messagesNew = messagesNew
        self.revisionsNew = revisionsNew
        self.failedThreads = failedThreads
    }
}

/// One entry of the audit trail.
public struct SyncRun: Sendable, Hashable {
    public var id: Int64
    public var startedOn: Date
    /// `nil` while running, or when the process died before finishing.
    public var endedOn: Date?
    /// Raw ids of the identities synced (never tokens).
    public var identities: [String]
    public var full: Bool
    public var counts: SyncCounts?
    public var outcome: SyncOutcome?
    public var error: String?

    public init(
        id: Int64,
        startedOn: Date,
        endedOn: Date?,
        identities: [String],
        full: Bool,
        counts: SyncCounts?,
        outcome: SyncOutcome?,
        error: String?
    ) {
        self.id = id
        self.startedOn = startedOn
        self.endedOn = endedOn
        self.identities = identities
        self.full = full
        self.counts = counts
        self.outcome = outcome
        self.error = error
    }
}
