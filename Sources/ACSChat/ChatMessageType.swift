/// The kind of a chat message; values the service adds later arrive as `.unknown`.
public enum ChatMessageType: Sendable, Hashable {
    case text, html, topicUpdated, participantAdded, participantRemoved
    case unknown(String)

    /// Reads a wire value; never fails.
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

    /// The wire value.
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

    /// True for the messages the service writes itself (topic and membership changes).
    public var isSystemMessage: Bool {
        switch self {
        case .topicUpdated, .participantAdded, .participantRemoved: true
        case .text, .html, .unknown: false
        }
    }
}
