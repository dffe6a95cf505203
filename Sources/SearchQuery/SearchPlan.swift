/// A query lowered for a SQL store: `[fts MATCH match] AND filters AND residual`.
///
/// - `match`: an FTS5 expression for the ranked join (`bm25`), nil when the query has no positive text
///   at the top level. Every user term in it is a double-quoted FTS5 string, so nothing the user typed is
///   live FTS5 syntax. Bind it as a parameter.
/// - `filters`: ANDed; bind their values.
/// - `residual`: the rest (filters under OR/NOT, exclusions without a positive term, OR mixing text and
///   filters), ANDed; each `.match` inside becomes `rowid IN (SELECT rowid FROM fts WHERE fts MATCH ?)`.
public struct SearchPlan: Sendable, Hashable {
    public var match: String?
    public var filters: [SearchFilter]
    public var residual: SearchCondition?

    public init(match: String?, filters: [SearchFilter], residual: SearchCondition?) {
        self.match = match
        self.filters = filters
        self.residual = residual
    }
}

/// A boolean condition over messages in which text parts are already FTS5 MATCH expressions.
public indirect enum SearchCondition: Sendable, Hashable {
    /// The message's FTS row matches this (safe, fully quoted) FTS5 expression.
    case match(String)
    case filter(SearchFilter)
    case and([SearchCondition])
    case or([SearchCondition])
    case not(SearchCondition)
}

extension SearchCondition: CustomStringConvertible {
    /// A compact rendering for tests and logs, e.g. `AND(MATCH("a"), NOT(from:bot))`.
    public var description: String {
        switch self {
        case .match(let match): "MATCH(\(match))"
        case .filter(let filter): filter.description
        case .and(let children): "AND(\(children.map(\.description).joined(separator: ", ")))"
        case .or(let children): "OR(\(children.map(\.description).joined(separator: ", ")))"
        case .not(let child): "NOT(\(child.description))"
        }
    }
}
