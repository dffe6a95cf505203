/// A query the parser rejects, with the offending position.
///
/// `description` reads like `unbalanced quote at 12` or `unknown operator 'form:' at 0 (did you mean from:?)`.
/// It echoes only the short offending fragment (at most 40 characters, control characters replaced),
/// never the whole query.
public struct SearchQueryError: Error, Sendable, Hashable {
    public enum Code: Sendable, Hashable {
        case unbalancedQuote
        case unmatchedOpeningParenthesis
        case unmatchedClosingParenthesis
        case emptyParentheses
        /// `OR`, `AND`, `NOT` or `-` without an operand; `operator` is what was typed.
        case danglingOperator(String)
        /// A `name:` that looks like a mistyped operator; `suggestion` is the operator meant, if any.
        case unknownOperator(String, suggestion: String?)
        case missingValue(operator: String)
        /// A value an operator does not accept (`type:foo`, `is:new`).
        case badValue(String, operator: String, expected: String)
        case badDate(String, operator: String)
        /// A Latin prefix shorter than two letters (`a*`), which would expand to most of the index.
        case prefixTooShort(String)
        case tooLong(limit: Int)
        case tooManyTerms(limit: Int)
        case nestedTooDeeply(limit: Int)
        /// Nothing searchable: empty, or only punctuation/symbols.
        case empty
        /// Only NOT/- terms and no filter: the query would list the whole archive.
        case onlyExclusions
    }

    public var code: Code
    /// Offset in the query, in `Character`s, counting from 0.
    public var position: Int

    public init(code: Code, position: Int) {
        self.code = code
        self.position = position
    }

    /// The problem without the position, e.g. `unbalanced quote`.
    public var message: String {
        switch code {
        case .unbalancedQuote: "unbalanced quote"
        case .unmatchedOpeningParenthesis: "unmatched '('"
        case .unmatchedClosingParenthesis: "unmatched ')'"
        case .emptyParentheses: "empty parentheses"
        case .danglingOperator(let name): "dangling operator \(Self.fragment(name))"
        case .unknownOperator(let name, _): "unknown operator '\(Self.fragment(name)):'"
        case .missingValue(let name): "missing value for \(name):"
        case .badValue(let value, let name, _): "bad value '\(Self.fragment(value))' for \(name):"
        case .badDate(let value, let name): "bad date '\(Self.fragment(value))' for \(name):"
        case .prefixTooShort(let text): "prefix '\(Self.fragment(text))*' is too short"
        case .tooLong(let limit): "query too long (limit \(limit) characters)"
        case .tooManyTerms(let limit): "too many terms (limit \(limit))"
        case .nestedTooDeeply(let limit): "parentheses nested too deeply (limit \(limit))"
        case .empty: "nothing to search for"
        case .onlyExclusions: "query only excludes (NOT or -)"
        }
    }

    /// A hint that follows the position, e.g. `did you mean from:?`.
    public var hint: String? {
        switch code {
        case .unknownOperator(_, let suggestion?): "did you mean \(suggestion):?"
        case .unknownOperator(_, nil):
            "operators are " + SearchFilter.operatorNames.map { $0 + ":" }.joined(separator: " ")
        case .badValue(_, _, let expected): "expected \(expected)"
        case .badDate: "use YYYY-MM-DD or an RFC 3339 time such as 2024-05-01T09:30:00Z"
        case .prefixTooShort: "use at least 2 letters before *"
        case .empty: "type a word, a \"phrase\" or an operator such as from:"
        case .onlyExclusions: "add a word or a filter such as from: or after:"
        default: nil
        }
    }

    /// The user's fragment, shortened and with control characters replaced, safe to print on a terminal.
    static func fragment(_ text: String) -> String {
        let cleaned = String(
            String.UnicodeScalarView(
                text.unicodeScalars.map { $0.properties.generalCategory == .control ? "?" : $0 }
            )
        )
        return cleaned.count > 40 ? String(cleaned.prefix(39)) + "…" : cleaned
    }
}

extension SearchQueryError: CustomStringConvertible {
    public var description: String {
        "\(message) at \(position)" + (hint.map { " (\($0))" } ?? "")
    }
}
