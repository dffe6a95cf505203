/// Recursive-descent parser over ``QueryToken``s.
///
/// Grammar (implicit AND binds loosest, so `from:yuki 会議 OR 打ち合わせ` keeps the filter on both):
/// ```
/// query   := and
/// and     := or (["AND"] or)*
/// or      := unary ("OR" unary)*
/// unary   := ("NOT" | "-") unary | primary
/// primary := "(" and ")" | word | "phrase" | name:value
/// ```
/// Terms without any letter or digit (`!!!`, `🎉`) are dropped, as unicode61 would drop them.
struct QueryParser {
    static let maximumDepth = 32

    private let tokens: [QueryToken]
    private var index = 0
    private var depth = 0
    private var leafCount = 0

    init(tokens: [QueryToken]) {
        self.tokens = tokens
    }

    /// Parses the whole token list; nil when nothing searchable remains.
    mutating func parse() throws(SearchQueryError) -> SearchExpression? {
        let expression = try parseAnd()
        if let token = peek {
            // parseAnd stops only at the end or at a ')' with no '(' open.
            throw SearchQueryError(code: .unmatchedClosingParenthesis, position: token.position)
        }
        return expression
    }

    private var peek: QueryToken? { index < tokens.count ? tokens[index] : nil }

    private mutating func next() -> QueryToken {
        defer { index += 1 }
        return tokens[index]
    }

    private func requireOperand(after token: QueryToken, named name: String) throws(SearchQueryError) {
        guard let following = peek, following.startsOperand else {
            throw SearchQueryError(code: .danglingOperator(name), position: token.position)
        }
    }

    private mutating func parseAnd() throws(SearchQueryError) -> SearchExpression? {
        var children: [SearchExpression] = []
        var sawOperand = false
        while let token = peek {
            if case .close = token { break }
            if case .and = token {
                guard sawOperand else {
                    throw SearchQueryError(code: .danglingOperator("AND"), position: token.position)
                }
                _ = next()
                try requireOperand(after: token, named: "AND")
                continue
            }
            sawOperand = true
            if let child = try parseOr() { children.append(child) }
        }
        return Self.combine(children, SearchExpression.and)
    }

    private mutating func parseOr() throws(SearchQueryError) -> SearchExpression? {
        var children: [SearchExpression] = []
        if let first = try parseUnary() { children.append(first) }
        while let token = peek, case .or = token {
            _ = next()
            try requireOperand(after: token, named: "OR")
            if let child = try parseUnary() { children.append(child) }
        }
        return Self.combine(children, SearchExpression.or)
    }

    private mutating func parseUnary() throws(SearchQueryError) -> SearchExpression? {
        let token = next()
        switch token {
        case .not, .minus:
            let name = if case .not = token { "NOT" } else { "-" }
            try requireOperand(after: token, named: name)
            guard let operand = try parseUnary() else { return nil }
            if case .not(let inner) = operand { return inner }
            return .not(operand)
        case .open(let position):
            depth += 1
            guard depth <= Self.maximumDepth else {
                throw SearchQueryError(code: .nestedTooDeeply(limit: Self.maximumDepth), position: position)
            }
            if let following = peek, case .close = following {
                throw SearchQueryError(code: .emptyParentheses, position: position)
            }
            let inner = try parseAnd()
            guard let closing = peek, case .close = closing else {
                throw SearchQueryError(code: .unmatchedOpeningParenthesis, position: position)
            }
            _ = next()
            depth -= 1
            return inner
        case .close(let position):
            throw SearchQueryError(code: .unmatchedClosingParenthesis, position: position)
        case .or(let position):
            throw SearchQueryError(code: .danglingOperator("OR"), position: position)
        case .and(let position):
            throw SearchQueryError(code: .danglingOperator("AND"), position: position)
        case .filter(let filter, let position):
            try countLeaf(at: position)
            return .filter(filter)
        case .word(let text, let isPrefix, let position):
            try countLeaf(at: position)
            return try Self.term(SearchTerm(kind: .word, text: text, isPrefix: isPrefix, position: position))
        case .phrase(let text, let isPrefix, let position):
            try countLeaf(at: position)
            return try Self.term(SearchTerm(kind: .phrase, text: text, isPrefix: isPrefix, position: position))
        }
    }

    private mutating func countLeaf(at position: Int) throws(SearchQueryError) {
        leafCount += 1
        guard leafCount <= SearchQuery.maximumTermCount else {
            throw SearchQueryError(code: .tooManyTerms(limit: SearchQuery.maximumTermCount), position: position)
        }
    }

    /// The term as an expression, nil when it has nothing unicode61 would index.
    private static func term(_ term: SearchTerm) throws(SearchQueryError) -> SearchExpression? {
        let segments = TermSegments(term.normalized)
        if term.isPrefix, segments.lastIsCJK != true {
            let lastToken = segments.latin.last.flatMap { SearchText.latinTokens(in: $0).last } ?? ""
            guard lastToken.unicodeScalars.count >= 2 else {
                let typed = term.kind == .phrase ? "\"\(term.text)\"" : term.text
                throw SearchQueryError(code: .prefixTooShort(typed), position: term.position)
            }
        }
        return segments.isEmpty ? nil : .term(term)
    }

    private static func combine(
        _ children: [SearchExpression],
        _ make: ([SearchExpression]) -> SearchExpression
    ) -> SearchExpression? {
        switch children.count {
        case 0: nil
        case 1: children[0]
        default: make(children)
        }
    }
}

/// A folded term split into its non-CJK segments (those with something to index) and its CJK runs.
struct TermSegments {
    var latin: [String] = []
    var cjkRuns: [[Unicode.Scalar]] = []
    /// Whether the last indexable segment is CJK; nil when there is none.
    var lastIsCJK: Bool?
    /// Where the CJK part goes among the Latin parts (the index of the first CJK run), to keep term order.
    var cjkInsertionIndex = 0

    var isEmpty: Bool { lastIsCJK == nil }

    init(_ folded: String) {
        var latinScalars = String.UnicodeScalarView()
        var run: [Unicode.Scalar] = []
        func flushLatin() {
            if latinScalars.contains(where: SearchText.isContentScalar) {
                latin.append(String(latinScalars))
                lastIsCJK = false
            }
            latinScalars = String.UnicodeScalarView()
        }
        func flushRun() {
            if run.isEmpty { return }
            if cjkRuns.isEmpty { cjkInsertionIndex = latin.count }
            cjkRuns.append(run)
            lastIsCJK = true
            run = []
        }
        for scalar in folded.unicodeScalars {
            if SearchText.isCJKScalar(scalar) {
                flushLatin()
                run.append(scalar)
            } else {
                flushRun()
                latinScalars.append(scalar)
            }
        }
        flushLatin()
        flushRun()
    }
}
