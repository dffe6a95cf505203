public import Foundation

/// One message of a thread, as the service returns it: user text or HTML, or a system message.
///
/// Deleted messages stay in lists with `deletedOn` set and empty content; edits set `editedOn` and a new `version`.
/// See https://learn.microsoft.com/rest/api/communication/chat/chat-thread/get-chat-message
public struct ChatMessage: Sendable, Hashable {
    public var id: String
    public var type: ChatMessageType
    /// The thread-wide sequence number, as a decimal string.
    public var sequenceID: String
    /// Changes when the message is edited or deleted.
    public var version: String
    public var content: ChatMessageContent?
    public var senderDisplayName: String?
    public var createdOn: Date
    /// Absent on system messages.
    public var sender: CommunicationIdentifier?
    public var deletedOn: Date?
    public var editedOn: Date?
    public var metadata: [String: String]

    public init(
        id: String,
        type: ChatMessageType,
        sequenceID: String,
        version: String,
        content: ChatMessageContent? = nil,
        senderDisplayName: String? = nil,
        createdOn: Date,
        sender: CommunicationIdentifier? = nil,
        deletedOn: Date? = nil,
        editedOn: Date? = nil,
        metadata: [String: String] = [:]
    ) {
        self.id = id
        self.type = type
        self.sequenceID = sequenceID
        self.version = version
        self.content = content
        self.senderDisplayName = senderDisplayName
        self.createdOn = createdOn
        self.sender = sender
        self.deletedOn = deletedOn
        self.editedOn = editedOn
        self.metadata = metadata
    }
}
