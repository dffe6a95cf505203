public import Foundation

/// A thread member as the archive saw it over time. Removal is recorded, never a deleted row.
public struct ArchivedParticipant: Sendable, Hashable {
    public var threadID: String
    public var identity: ArchivedIdentity
    public var displayName: String?
    public var shareHistoryTime: Date?
    public var metadata: [String: String]
    public var firstSeen: Date
    public var lastSeen: Date
    /// When the archive learned the participant had left (from a sync or a `participantRemoved` message).
    public var removedOn: Date?

    public init(
        threadID: String,
        identity: ArchivedIdentity,
        displayName: String? = nil,
        shareHistoryTime: Date? = nil,
        metadata: [String: String] = [:],
        firstSeen: Date,
        lastSeen: Date,
        removedOn: Date? = nil
    ) {
        self.threadID = threadID
        self.identity = identity
        self.displayName = displayName
        self.shareHistoryTime = shareHistoryTime
        self.metadata = metadata
        self.firstSeen = firstSeen
        self.lastSeen = lastSeen
        self.removedOn = removedOn
    }
}

/// A read receipt: `readerID` had read up to `messageID` at `readOn`.
public struct ArchivedReadReceipt: Sendable, Hashable {
    public var threadID: String
    public var readerID: String
    public var messageID: String
    public var readOn: Date
    public var observedOn: Date

    public init(threadID: String, readerID: String, messageID: String, readOn: Date, observedOn: Date) {
        self.threadID = threadID
        self.readerID = readerID
        self.messageID = messageID
        self.readOn = readOn
        self.observedOn = observedOn
    }
}
