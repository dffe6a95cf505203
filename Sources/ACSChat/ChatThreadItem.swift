public import Foundation

/// A thread as listed by `ChatClient.listChatThreads`.
public struct ChatThreadItem: Sendable, Hashable {
    public var id: String
    public var topic: String
    public var deletedOn: Date?
    public var lastMessageReceivedOn: Date?

    public init(id: String, topic: String, deletedOn: Date? = nil, lastMessageReceivedOn: Date? = nil) {
        self.id = id
        self.topic = topic
        self.deletedOn = deletedOn
        self.lastMessageReceivedOn = lastMessageReceivedOn
    }
}
