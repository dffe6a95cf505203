extension SearchQuery {
    /// The whole text part as one FTS5 MATCH expression; the store ANDs ``filters`` as WHERE terms.
    ///
    /// Nil when there is no text part, or when FTS5 alone cannot express it (filters under OR/NOT, or only
    /// exclusions): then use ``plan(columns:)``, which handles every query.
    public func ftsExpression(columns: FTSColumns = .standard) -> String? {
        let plan = plan(columns: columns)
        return plan.residual == nil ? plan.match : nil
    }

    /// Lowers the query for a SQL store; see ``SearchPlan``.
    public func plan(columns: FTSColumns = .standard) -> SearchPlan {
        let renderer = FTSRenderer(columns: columns)
        var topLevel: [SearchExpression]
        // Trees built in code may hold empty terms or groups; the parser never produces them.
        switch text.flatMap(\.simplified) {
        case .none: topLevel = []
        case .and(let children)?: topLevel = children
        case let single?: topLevel = [single]
        }
        var positives: [String] = []
        var negatives: [String] = []
        var residual: [SearchCondition] = []
        for child in topLevel {
            if case .not(let inner) = child, let rendered = renderer.render(inner) {
                negatives.append(rendered)
            } else if let rendered = renderer.render(child) {
                positives.append(rendered)
            } else {
                residual.append(renderer.lower(child))
            }
        }
        var match: String?
        if positives.isEmpty {
            residual += negatives.map { .not(.match($0)) }
        } else {
            match = FTSRenderer.combine(positives: positives, negatives: negatives)
        }
        let residualCondition: SearchCondition? =
            switch residual.count {
            case 0: nil
            case 1: residual[0]
            default: .and(residual)
            }
        return SearchPlan(match: match, filters: filters, residual: residualCondition)
    }

    /// The positive terms (not under NOT) to highlight in hits, folded and without duplicates.
    public var highlightTerms: [SearchHighlightTerm] {
        var result: [SearchHighlightTerm] = []
        func visit(_ expression: SearchExpression) {
            switch expression {
            case .term(let term):
                let segments = TermSegments(term.normalized)
                let latinTokens = segments.latin.flatMap(SearchText.latinTokens(in:))
                for (offset, token) in latinTokens.enumerated() {
                    let isLast = offset == latinTokens.count - 1 && segments.lastIsCJK == false
                    result.append(SearchHighlightTerm(text: token, isPrefix: term.isPrefix && isLast))
                }
                for run in segments.cjkRuns {
                    result.append(SearchHighlightTerm(text: String(String.UnicodeScalarView(run)), isCJK: true))
                }
            case .filter, .not: break
            case .and(let children), .or(let children): children.forEach(visit)
            }
        }
        if let text { visit(text) }
        var seen = Set<SearchHighlightTerm>()
        return result.filter { seen.insert($0).inserted }
    }
}
