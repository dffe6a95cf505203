/// A parsed search query as a tree: text terms and filters combined with AND, OR and NOT.
///
/// Filters may sit anywhere (`-from:bot`, `(is:edited OR has:link)`), so a store compiles the whole tree;
/// ``SearchQuery/plan(columns:)`` already lowers it to FTS5 MATCH strings plus filters.
public indirect enum SearchExpression: Sendable, Hashable {
    case term(SearchTerm)
    case filter(SearchFilter)
    /// All children must match (two or more children).
    case and([SearchExpression])
    /// At least one child must match (two or more children).
    case or([SearchExpression])
    case not(SearchExpression)
}

extension SearchExpression {
    /// The tree without terms that index nothing and without empty or one-child groups; nil if nothing is left.
    var simplified: SearchExpression? {
        switch self {
        case .term(let term): return TermSegments(term.normalized).isEmpty ? nil : self
        case .filter: return self
        case .not(let inner): return inner.simplified.map(SearchExpression.not)
        case .and(let children), .or(let children):
            let kept = children.compactMap(\.simplified)
            guard kept.count > 1 else { return kept.first }
            if case .and = self { return .and(kept) }
            return .or(kept)
        }
    }
}

extension SearchExpression: CustomStringConvertible {
    /// A compact rendering for tests and logs, e.g. `AND(word(a), OR(phrase("b c"), prefix(d*)), NOT(from:x))`.
    public var description: String {
        switch self {
        case .term(let term):
            switch (term.kind, term.isPrefix) {
            case (.word, false): "word(\(term.text))"
            case (.word, true): "prefix(\(term.text)*)"
            case (.phrase, false): "phrase(\"\(term.text)\")"
            case (.phrase, true): "prefix(\"\(term.text)\"*)"
            }
        case .filter(let filter): filter.description
        case .and(let children): "AND(\(children.map(\.description).joined(separator: ", ")))"
        case .or(let children): "OR(\(children.map(\.description).joined(separator: ", ")))"
        case .not(let child): "NOT(\(child.description))"
        }
    }
}
