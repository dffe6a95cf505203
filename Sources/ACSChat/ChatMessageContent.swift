public import Foundation

/// The content of a message: text for user messages, topic or participants for system messages.
public struct ChatMessageContent: Sendable, Hashable {
    /// The text or HTML of a user message; `""` once deleted.
    public var message: String?
    /// The new topic of a `topicUpdated` message.
    public var topic: String?
    /// The participants a `participantAdded`/`participantRemoved` message is about.
    public var participants: [ChatParticipant]
    /// Read-only attachments (images and files shared from Teams).
    public var attachments: [ChatAttachment]
    /// Who caused a system message.
    public var initiator: CommunicationIdentifier?

    public init(
        message: String? = nil,
        topic: String? = nil,
        participants: [ChatParticipant] = [],
        attachments: [ChatAttachment] = [],
        initiator: CommunicationIdentifier? = nil
    ) {
        self.message = message
        self.topic = topic
        self.participants = participants
        self.attachments = attachments
        self.initiator = initiator
    }
}

/// A file or image attached to a message.
///
/// The service's URL strings are kept verbatim in `urlString`/`previewURLString` (the spec's own examples hold
/// templates such as `https://{geoChatGW}/…` that are not URLs); `url`/`previewURL` parse them.
public struct ChatAttachment: Sendable, Hashable {
    public var id: String
    public var attachmentType: ChatAttachmentType
    public var name: String?
    public var urlString: String?
    public var previewURLString: String?

    public init(
        id: String,
        attachmentType: ChatAttachmentType,
        name: String? = nil,
        urlString: String? = nil,
        previewURLString: String? = nil
    ) {
        self.id = id
        self.attachmentType = attachmentType
        self.name = name
        self.urlString = urlString
        self.previewURLString = previewURLString
    }

    public init(id: String, attachmentType: ChatAttachmentType, name: String? = nil, url: URL?, previewURL: URL? = nil)
    {
        self.init(
            id: id,
            attachmentType: attachmentType,
            name: name,
            urlString: url?.absoluteString,
            previewURLString: previewURL?.absoluteString
        )
    }

    /// `urlString` as a URL; nil when absent or not a valid URL.
    public var url: URL? { urlString.flatMap { URL(string: $0) } }
    /// `previewURLString` as a URL; nil when absent or not a valid URL.
    public var previewURL: URL? { previewURLString.flatMap { URL(string: $0) } }
}

/// The kind of an attachment; values the service adds later arrive as `.unknown`.
public enum ChatAttachmentType: Sendable, Hashable {
    case image, file
    case unknown(String)

    public init(rawValue: String) {
        switch rawValue {
        case "image": self = .image
        case "file": self = .file
        default: self = .unknown(rawValue)
        }
    }

    public var rawValue: String {
        switch self {
        case .image: "image"
        case .file: "file"
        case .unknown(let value): value
        }
    }
}
