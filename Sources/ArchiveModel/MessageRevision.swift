public import Foundation

/// The type of a chat message; values the service adds later land in `unknown`.
public enum MessageType: Sendable, Hashable, CustomStringConvertible {
    case text
    case html
    case topicUpdated
    case participantAdded
    case participantRemoved
    case unknown(String)

    public init(rawValue: String) {
        switch rawValue {
        case "text": self = .text
        case "html": self = .html
        case "topicUpdated": self = .topicUpdated
        case "participantAdded": self = .participantAdded
        case "participantRemoved": self = .participantRemoved
        default: self = .unknown(rawValue)
        }
    }

    /// The service's name for the type (`text`, `html`, `topicUpdated`, …).
    public var rawValue: String {
        switch self {
        case .text: "text"
        case .html: "html"
        case .topicUpdated: "topicUpdated"
        case .participantAdded: "participantAdded"
        case .participantRemoved: "participantRemoved"
        case .unknown(let value): value
        }
    }

    /// True for messages the service writes itself (membership and topic changes).
    public var isSystem: Bool {
        switch self {
        case .text, .html: false
        case .topicUpdated, .participantAdded, .participantRemoved: true
        case .unknown: false
        }
    }

    public var description: String { rawValue }
}

/// A participant named inside a system message (`participantAdded` / `participantRemoved`).
public struct MessageParticipant: Sendable, Hashable {
    public var rawID: String
    public var displayName: String?
    public var shareHistoryTime: Date?

    public init(rawID: String, displayName: String? = nil, shareHistoryTime: Date? = nil) {
        self.rawID = rawID
        self.displayName = displayName
        self.shareHistoryTime = shareHistoryTime
    }
}

/// An attachment reference carried by a message (Teams interop). Only the reference is archived.
public struct MessageAttachment: Sendable, Hashable {
    public var id: String
    /// `image`, `file`, or a type the service adds later.
    public var type: String
    public var name: String?
    public var url: String?
    public var previewURL: String?

    public init(id: String, type: String, name: String? = nil, url: String? = nil, previewURL: String? = nil) {
        self.id = id
        self.type = type
        self.name = name
        self.url = url
        self.previewURL = previewURL
    }
}

/// One distinct `version` of a message, exactly as the archive observed it. Revisions are append-only.
public struct MessageRevision: Sendable, Hashable {
    public var threadID: String
    public var messageID: String
    /// The service's `version` (epoch milliseconds as a string); a new one on every edit or deletion.
    public var version: String
    public var sequenceID: Int64?
    public var type: MessageType
    /// Raw id of the sender; `nil` for system messages.
    public var senderID: String?
    public var senderDisplayName: String?
    public var createdOn: Date
    public var editedOn: Date?
    public var deletedOn: Date?
    /// `content.message` exactly as received (hostile HTML included; never rendered from here).
    public var content: String
    /// Sanitized HTML for `html` messages; `nil` for other types.
    public var sanitizedHTML: String?
    /// Plain text for search and text exports.
    public var text: String
    /// `content.topic` of `topicUpdated` messages.
    public var topic: String?
    /// `content.participants` of membership messages.
    public var participants: [MessageParticipant]
    /// `content.initiatorCommunicationIdentifier` of system messages.
    public var initiatorID: String?
    public var metadata: [String: String]
    public var attachments: [MessageAttachment]
    /// When this archive first saw this version.
    public var observedOn: Date

    public init(
        threadID: String,
        messageID: String,
        version: String,
        sequenceID: Int64? = nil,
        type: MessageType,
        senderID: String? = nil,
        senderDisplayName: String? = nil,
        createdOn: Date,
        editedOn: Date? = nil,
        deletedOn: Date? = nil,
        content: String,
        sanitizedHTML: String? = nil,
        text: String,
        topic: String? = nil,
        participants: [MessageParticipant] = [],
        initiatorID: String? = nil,
        metadata: [String: String] = [:],
        attachments: [MessageAttachment] = [],
        observedOn: Date
    ) {
        self.threadID = threadID
        self.messageID = messageID
        self.version = version
        self.sequenceID = sequenceID
        self.type = type
        self.senderID = senderID
        self.senderDisplayName = senderDisplayName
        self.createdOn = createdOn
        self.editedOn = editedOn
        self.deletedOn = deletedOn
        self.content = content
        self.sanitizedHTML = sanitizedHTML
        self.text = text
        self.topic = topic
        self.participants = participants
        self.initiatorID = initiatorID
        self.metadata = metadata
        self.attachments = attachments
        self.observedOn = observedOn
    }

    public var isDeleted: Bool { deletedOn != nil }
}
