public import ArchiveModel
public import Foundation

/// Everything the sync engine learned about one thread in one step; `ArchiveStore.apply` writes it atomically.
///
/// Applying the same batch twice changes nothing the second time (writes are keyed by
/// thread × message × version, thread × reader × message × read time, and so on).
public struct ThreadBatch: Sendable {
    /// The thread every item of the batch belongs to.
    public var threadID: String
    /// Properties as fetched, when the batch carries them.
    public var thread: ThreadSnapshot?
    /// Any order; deduplicated on (threadID, messageID, version).
    public var revisions: [MessageRevision]
    /// The participant list as fetched, when the batch carries it.
    public var participants: ParticipantSnapshot?
    public var readReceipts: [ArchivedReadReceipt]
    /// Display names seen (senders, participants, readers).
    public var identities: [ArchivedIdentity]
    /// When set, stored in the same transaction: the thread is finished.
    public var cursor: ThreadCursor?
    /// When the service was asked (first-seen/last-seen times, snapshot removals, topic observations).
    public var observedOn: Date

    public init(
        threadID: String,
        thread: ThreadSnapshot? = nil,
        revisions: [MessageRevision] = [],
        participants: ParticipantSnapshot? = nil,
        readReceipts: [ArchivedReadReceipt] = [],
        identities: [ArchivedIdentity] = [],
        cursor: ThreadCursor? = nil,
        observedOn: Date
    ) {
        self.threadID = threadID
        self.thread = thread
        self.revisions = revisions
        self.participants = participants
        self.readReceipts = readReceipts
        self.identities = identities
        self.cursor = cursor
        self.observedOn = observedOn
    }
}

/// Thread properties exactly as the service returned them.
public struct ThreadSnapshot: Sendable, Hashable {
    public var id: String
    public var topic: String
    public var createdOn: Date?
    /// Raw id of the creator.
    public var createdBy: String?
    public var deletedOn: Date?
    public var metadata: [String: String]
    public var retentionPolicy: RetentionPolicy?

    public init(
        id: String,
        topic: String,
        createdOn: Date? = nil,
        createdBy: String? = nil,
        deletedOn: Date? = nil,
        metadata: [String: String] = [:],
        retentionPolicy: RetentionPolicy? = nil
    ) {
        self.id = id
        self.topic = topic
        self.createdOn = createdOn
        self.createdBy = createdBy
        self.deletedOn = deletedOn
        self.metadata = metadata
        self.retentionPolicy = retentionPolicy
    }
}

/// A participant as listed by the service at `ThreadBatch.observedOn`.
public struct ObservedParticipant: Sendable, Hashable {
    public var rawID: String
    public var displayName: String?
    public var shareHistoryTime: Date?
    public var metadata: [String: String]

    public init(
        rawID: String,
        displayName: String? = nil,
        shareHistoryTime: Date? = nil,
        metadata: [String: String] = [:]
    ) {
        self.rawID = rawID
        self.displayName = displayName
        self.shareHistoryTime = shareHistoryTime
        self.metadata = metadata
    }
}

/// The participants a batch carries.
public enum ParticipantSnapshot: Sendable, Hashable {
    /// The full current list: archived members missing from it are marked removed, returning ones re-added.
    case complete([ObservedParticipant])
    /// Some participants (e.g. a page): added or refreshed, nobody is removed.
    case partial([ObservedParticipant])

    var members: [ObservedParticipant] {
        switch self {
        case .complete(let list), .partial(let list): list
        }
    }
}

/// Where the sync engine left a thread: enough to skip it when unchanged and to walk back to a watermark.
///
/// Dates round-trip exactly (stored as REAL seconds), so they can be compared with `==` to the service's values.
public struct ThreadCursor: Sendable, Hashable, Codable {
    public var threadID: String
    /// The thread's `lastMessageReceivedOn` when it was last completed.
    public var lastMessageReceivedOn: Date?
    /// The thread's `deletedOn` when it was last completed.
    public var deletedOn: Date?
    /// Watermark: the newest message `createdOn` archived for the thread.
    public var newestCreatedOn: Date?
    public var lastFullSync: Date?
    public var lastSync: Date

    public init(
        threadID: String,
        lastMessageReceivedOn: Date? = nil,
        deletedOn: Date? = nil,
        newestCreatedOn: Date? = nil,
        lastFullSync: Date? = nil,
        lastSync: Date
    ) {
        self.threadID = threadID
        self.lastMessageReceivedOn = lastMessageReceivedOn
        self.deletedOn = deletedOn
        self.newestCreatedOn = newestCreatedOn
        self.lastFullSync = lastFullSync
        self.lastSync = lastSync
    }
}

/// What one `apply` added (zero everywhere when the batch was already archived).
public struct ApplyResult: Sendable, Hashable {
    /// Messages the archive had never seen.
    public var messagesNew: Int
    /// New distinct versions, including the first version of each new message.
    public var revisionsNew: Int
    public var receiptsNew: Int
    /// Thread × identity pairs the archive had never seen.
    public var participantsNew: Int

    public init(messagesNew: Int = 0, revisionsNew: Int = 0, receiptsNew: Int = 0, participantsNew: Int = 0) {
        self.messagesNew = messagesNew
        self.revisionsNew = revisionsNew
        self.receiptsNew = receiptsNew
        self.participantsNew = participantsNew
    }
}
