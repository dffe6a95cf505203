import Foundation

/// A structured condition from an operator (`from:`, `after:`, `is:edited`, …) or the equivalent CLI flag.
///
/// Values are the user's, unescaped: a store must bind them as SQL parameters, never splice them.
public enum SearchFilter: Sendable, Hashable {
    /// `from:` a sender, by display name or raw id (suggested: case-insensitive equality on either).
    case from(String)
    /// `thread:` a thread id.
    case thread(String)
    /// `topic:` text in the thread's topic (suggested: case-insensitive substring).
    case topic(String)
    /// `after:`, `before:`, `on:` as a range of the message's `createdOn` (see ``SearchTimeRange``).
    case created(SearchTimeRange)
    /// `type:text|html|system`.
    case type(SearchMessageKind)
    /// `is:edited`: the message has an `editedOn` or more than one revision.
    case isEdited
    /// `is:deleted`: the message has a `deletedOn`.
    case isDeleted
    /// `has:link`: the content contains a URL (`http://`, `https://` or an `<a href>`).
    case hasLink
    /// `has:image`: html content with an `<img>` (or an image attachment).
    case hasImage
    /// `has:mention`: html content with a mention (`<msft-mention>` or similar).
    case hasMention

    /// The operator names the query language knows, without the colon.
    public static let operatorNames = ["from", "thread", "topic", "after", "before", "on", "type", "is", "has"]

    /// Builds the filter that `name:value` means; the CLI flags use this so they mean the same as operators.
    ///
    /// `name` is an operator name without the colon (case-insensitive). Throws ``SearchQueryError``
    /// (`missingValue`, `badValue`, `badDate`, `unknownOperator`) with `position` = `valuePosition`.
    public init(operator name: String, value: String, valuePosition: Int = 0) throws {
        let name = name.lowercased()
        let trimmed = value.trimmingCharacters(in: .whitespacesAndNewlines)
        func bad(_ expected: String) -> SearchQueryError {
            SearchQueryError(code: .badValue(trimmed, operator: name, expected: expected), position: valuePosition)
        }
        guard !trimmed.isEmpty else {
            throw SearchQueryError(code: .missingValue(operator: name), position: valuePosition)
        }
        switch name {
        case "from": self = .from(trimmed)
        case "thread": self = .thread(trimmed)
        case "topic": self = .topic(trimmed)
        case "after", "before", "on":
            guard let time = SearchTime(parsing: trimmed) else {
                throw SearchQueryError(code: .badDate(trimmed, operator: name), position: valuePosition)
            }
            self = .created(SearchTimeRange(operator: name, time: time))
        case "type":
            guard let kind = SearchMessageKind(rawValue: trimmed.lowercased()) else {
                throw bad("text, html or system")
            }
            self = .type(kind)
        case "is":
            switch trimmed.lowercased() {
            case "edited": self = .isEdited
            case "deleted": self = .isDeleted
            default: throw bad("edited or deleted")
            }
        case "has":
            switch trimmed.lowercased() {
            case "link": self = .hasLink
            case "image": self = .hasImage
            case "mention": self = .hasMention
            default: throw bad("link, image or mention")
            }
        default:
            throw SearchQueryError(code: .unknownOperator(name, suggestion: nil), position: valuePosition)
        }
    }
}

extension SearchFilter: CustomStringConvertible {
    private static func utc(_ date: Date) -> String {
        date.formatted(.iso8601)
    }

    public var description: String {
        switch self {
        case .from(let value): "from:\(value)"
        case .thread(let value): "thread:\(value)"
        case .topic(let value): "topic:\(value)"
        case .created(let range):
            "created:\(range.startIsInclusive ? "[" : "(")\(range.start.map(Self.utc) ?? ""),"
                + "\(range.end.map(Self.utc) ?? ""))"
        case .type(let kind): "type:\(kind.rawValue)"
        case .isEdited: "is:edited"
        case .isDeleted: "is:deleted"
        case .hasLink: "has:link"
        case .hasImage: "has:image"
        case .hasMention: "has:mention"
        }
    }
}
