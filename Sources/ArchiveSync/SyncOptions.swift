/// How a sync run walks the service.
public struct SyncOptions: Sendable {
    /// Re-walk every message of every thread, catching edits and deletions of old messages.
    public var full: Bool
    /// Threads fetched at once (one writer commits them).
    public var concurrency: Int
    /// `maxPageSize` for every list call; `nil` leaves the service default.
    public var pageSize: Int?
    /// How far behind the newest archived message an incremental pass starts, to catch late edits and deletions.
    public var lookBack: Duration
    /// An unchanged thread is re-walked in full when its last full walk is older than this; `nil` never.
    public var reconcileInterval: Duration?

    public init(
        full: Bool = false,
        concurrency: Int = 4,
        pageSize: Int? = nil,
        lookBack: Duration = .seconds(24 * 3600),
        reconcileInterval: Duration? = .seconds(7 * 24 * 3600)
    ) {
        self.full = full
        self.concurrency = max(1, concurrency)
        self.pageSize = pageSize
        self.lookBack = lookBack
        self.reconcileInterval = reconcileInterval
    }
}

/// What a sync run did; the `sync --json` summary line.
public struct SyncSummary: Sendable {
    public var threads: Int
    public var threadsSkipped: Int
    public var messagesNew: Int
    public var revisionsNew: Int
    public var failures: [ThreadFailure]
    public var seconds: Double

    public var failedThreads: Int { failures.count }
}

/// One thread that could not be synced; the rest of the run went on.
public struct ThreadFailure: Sendable {
    public var threadID: String
    public var error: ArchiveSyncError
}

/// Progress events, for a display on a terminal.
public enum SyncProgress: Sendable {
    case listedThreads(total: Int)
    case threadFinished(threadID: String, done: Int, total: Int, messagesNew: Int)
    case threadFailed(threadID: String, done: Int, total: Int)
}
