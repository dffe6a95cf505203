/// A parsed search query: filters that apply to every hit, plus a text part.
///
/// Syntax: words (implicit AND), `"exact phrases"`, `prefix*`, `"phrase prefix"*`, `OR`, `NOT`/leading `-`,
/// parentheses, and the operators `from:` `thread:` `topic:` `after:` `before:` `on:` `type:` `is:` `has:`
/// (values may be quoted: `from:"Yuki Tanaka"`). `OR`, `AND`, `NOT` are keywords only in upper case.
/// Implicit AND binds loosest: `a b OR c` is `a AND (b OR c)`. To search for `from:x` as text, quote it.
///
/// Limits: ``maximumLength`` characters, ``maximumTermCount`` terms and operators, 32 levels of parentheses.
/// A query of only exclusions (`-lunch`) is rejected unless a filter comes with it (`from:yuki -lunch`).
public struct SearchQuery: Sendable, Hashable {
    public static let maximumLength = 1000
    public static let maximumTermCount = 64

    /// Filters ANDed at the top level: they apply to every hit and the store can use them as plain WHERE terms.
    public var filters: [SearchFilter]
    /// Everything else, nil when the query is filters only. May still contain filters under OR or NOT.
    public var text: SearchExpression?

    /// The whole query as one tree (top-level filters first).
    public var expression: SearchExpression? {
        var parts = filters.map(SearchExpression.filter)
        switch text {
        case .none: break
        case .and(let children)?: parts += children
        case let single?: parts.append(single)
        }
        switch parts.count {
        case 0: return nil
        case 1: return parts[0]
        default: return .and(parts)
        }
    }

    /// Parses `query`, adding `filters` (from CLI flags) as if they were typed as operators.
    ///
    /// Throws ``SearchQueryError`` with a position in `query`. An empty `query` is fine when `filters` is not.
    public init(parsing query: String, filters extraFilters: [SearchFilter] = []) throws {
        guard query.count <= Self.maximumLength else {
            throw SearchQueryError(code: .tooLong(limit: Self.maximumLength), position: Self.maximumLength)
        }
        var lexer = QueryLexer(query)
        var parser = QueryParser(tokens: try lexer.tokens())
        let expression = try parser.parse()
        var topLevel: [SearchExpression]
        switch expression {
        case .none: topLevel = []
        case .and(let children)?: topLevel = children
        case let single?: topLevel = [single]
        }
        var filters = extraFilters
        topLevel.removeAll { child in
            guard case .filter(let filter) = child else { return false }
            filters.append(filter)
            return true
        }
        guard !topLevel.isEmpty || !filters.isEmpty else {
            throw SearchQueryError(code: .empty, position: 0)
        }
        let onlyExclusions = topLevel.allSatisfy { child in
            if case .not = child { true } else { false }
        }
        if onlyExclusions && filters.isEmpty {
            throw SearchQueryError(code: .onlyExclusions, position: 0)
        }
        self.filters = filters
        self.text =
            switch topLevel.count {
            case 0: nil
            case 1: topLevel[0]
            default: .and(topLevel)
            }
    }

    /// A query from parts already built (for tests and callers that construct queries in code).
    public init(filters: [SearchFilter], text: SearchExpression?) {
        self.filters = filters
        self.text = text
    }
}
