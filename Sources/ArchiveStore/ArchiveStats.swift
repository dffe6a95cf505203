public import Foundation

/// Counts over the whole archive. `Codable` with the `stats --json` keys of ARCHITECTURE.md (keys may be
/// added, never renamed); times encode as the encoder's date strategy decides.
public struct ArchiveStats: Sendable, Hashable, Codable {
    public var schemaVersion: Int
    public var threads: Int
    /// Distinct messages of every type, deleted ones included.
    public var messages: Int
    public var revisions: Int
    public var editedMessages: Int
    public var deletedMessages: Int
    /// Distinct thread × identity pairs ever seen.
    public var participants: Int
    public var identities: Int
    public var readReceipts: Int
    public var syncRuns: Int
    public var firstMessageOn: Date?
    public var lastMessageOn: Date?
    /// Start of the newest sync run that finished.
    public var lastSyncOn: Date?
    public var lastSyncOutcome: String?

    public init(
        schemaVersion: Int = 0,
        threads: Int = 0,
        messages: Int = 0,
        revisions: Int = 0,
        editedMessages: Int = 0,
        deletedMessages: Int = 0,
        participants: Int = 0,
        identities: Int = 0,
        readReceipts: Int = 0,
        syncRuns: Int = 0,
        firstMessageOn: Date? = nil,
        lastMessageOn: Date? = nil,
        lastSyncOn: Date? = nil,
        lastSyncOutcome: String? = nil
    ) {
        self.schemaVersion = schemaVersion
        self.threads = threads
        self.messages = messages
        self.revisions = revisions
        self.editedMessages = editedMessages
        self.deletedMessages = deletedMessages
        self.participants = participants
        self.identities = identities
        self.readReceipts = readReceipts
        self.syncRuns = syncRuns
        self.firstMessageOn = firstMessageOn
        self.lastMessageOn = lastMessageOn
        self.lastSyncOn = lastSyncOn
        self.lastSyncOutcome = lastSyncOutcome
    }
}
