public import Foundation

/// How long the service keeps a thread (api-version 2025-03-15 and later).
public enum RetentionPolicy: Sendable, Hashable {
    case none
    case threadCreationDate(deleteThreadAfterDays: Int)
    case unknown(String)
}

/// One topic a thread had, and when the archive first learned of it.
public struct TopicChange: Sendable, Hashable {
    public var topic: String
    /// When the service says the topic changed (the `topicUpdated` message time), if known.
    public var changedOn: Date?
    public var observedOn: Date

    public init(topic: String, changedOn: Date?, observedOn: Date) {
        self.topic = topic
        self.changedOn = changedOn
        self.observedOn = observedOn
    }
}

/// A chat thread as archived: its current properties plus what the archive has seen of its history.
public struct ArchivedThread: Sendable, Hashable {
    /// The service's thread id, e.g. `19:…@thread.v2`.
    public var id: String
    public var topic: String
    public var createdOn: Date?
    /// Raw id of the creator, when the service reported it.
    public var createdBy: String?
    public var deletedOn: Date?
    public var metadata: [String: String]
    public var retentionPolicy: RetentionPolicy?
    /// Every topic seen, oldest first.
    public var topicHistory: [TopicChange]
    public var firstSeen: Date
    public var lastSeen: Date

    public init(
        id: String,
        topic: String,
        createdOn: Date? = nil,
        createdBy: String? = nil,
        deletedOn: Date? = nil,
        metadata: [String: String] = [:],
        retentionPolicy: RetentionPolicy? = nil,
        topicHistory: [TopicChange] = [],
        firstSeen: Date,
        lastSeen: Date
    ) {
        self.id = id
        self.topic = topic
        self.createdOn = createdOn
        self.createdBy = createdBy
        self.deletedOn = deletedOn
        self.metadata = metadata
        self.retentionPolicy = retentionPolicy
        self.topicHistory = topicHistory
        self.firstSeen = firstSeen
        self.lastSeen = lastSeen
    }
}
