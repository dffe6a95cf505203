public import Foundation

/// Who read a thread up to which message, and when.
public struct ChatMessageReadReceipt: Sendable, Hashable {
    public var sender: CommunicationIdentifier
    public var chatMessageID: String
    public var readOn: Date

    public init(sender: CommunicationIdentifier, chatMessageID: String, readOn: Date) {
        self.sender = sender
        self.chatMessageID = chatMessageID
        self.readOn = readOn
    }
}
