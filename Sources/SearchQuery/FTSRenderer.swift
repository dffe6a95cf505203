/// Renders expressions as FTS5 syntax in which user text appears only inside double-quoted strings.
struct FTSRenderer {
    let columns: FTSColumns

    /// The expression as one FTS5 expression, nil when it holds a filter or a NOT that FTS5 cannot express
    /// (FTS5's NOT is binary: `a NOT b`, so a NOT needs a positive sibling under the same AND).
    func render(_ expression: SearchExpression) -> String? {
        switch expression {
        case .term(let term): return renderTerm(term)
        case .filter, .not: return nil
        case .or(let children):
            var parts: [String] = []
            for child in children {
                guard let part = render(child) else { return nil }
                parts.append(part)
            }
            return "(" + parts.joined(separator: " OR ") + ")"
        case .and(let children):
            var positives: [String] = []
            var negatives: [String] = []
            for child in children {
                if case .not(let inner) = child {
                    guard let part = render(inner) else { return nil }
                    negatives.append(part)
                } else {
                    guard let part = render(child) else { return nil }
                    positives.append(part)
                }
            }
            guard !positives.isEmpty else { return nil }
            let combined = Self.combine(positives: positives, negatives: negatives)
            return negatives.isEmpty ? combined : "(" + combined + ")"
        }
    }

    /// `p1 AND p2 NOT (n1 OR n2)`, grouped so FTS5 precedence never matters.
    static func combine(positives: [String], negatives: [String]) -> String {
        let positive = positives.count == 1 ? positives[0] : "(" + positives.joined(separator: " AND ") + ")"
        switch negatives.count {
        case 0: return positive
        case 1: return positive + " NOT " + negatives[0]
        default: return positive + " NOT (" + negatives.joined(separator: " OR ") + ")"
        }
    }

    /// Lowers an expression that `render` rejected into a condition tree.
    func lower(_ expression: SearchExpression) -> SearchCondition {
        if let rendered = render(expression) { return .match(rendered) }
        switch expression {
        case .term(let term): return .match(renderTerm(term))
        case .filter(let filter): return .filter(filter)
        case .not(let inner): return .not(lower(inner))
        case .and(let children): return .and(children.map(lower))
        case .or(let children): return .or(children.map(lower))
        }
    }

    /// One term: its Latin segments as quoted strings (prefix `*` on the last when asked), its CJK runs as one
    /// phrase of index pieces on the CJK column, ANDed.
    ///
    /// The CJK phrase is the ``SearchText/indexTerms(for:)`` of the runs, except that the last run gives only
    /// its two-character pieces (it may continue in the message), or, when it is one character, a prefix.
    func renderTerm(_ term: SearchTerm) -> String {
        let segments = TermSegments(term.normalized)
        var parts: [String] = []
        for (offset, segment) in segments.latin.enumerated() {
            let isLast = offset == segments.latin.count - 1 && segments.lastIsCJK == false
            let column = columns.text.map { "\($0) : " } ?? ""
            parts.append(column + Self.quote(segment) + (term.isPrefix && isLast ? " *" : ""))
        }
        if let lastRun = segments.cjkRuns.last {
            var pieces: [String] = []
            for run in segments.cjkRuns.dropLast() {
                pieces += SearchText.bigrams(of: run)
                pieces.append(String(Character(run[run.count - 1])))
            }
            if lastRun.count == 1 {
                pieces.append(String(Character(lastRun[0])))
            } else {
                pieces += SearchText.bigrams(of: lastRun)
            }
            let prefix = lastRun.count == 1 ? " *" : ""
            parts.insert(
                "\(columns.cjk) : " + Self.quote(pieces.joined(separator: " ")) + prefix,
                at: segments.cjkInsertionIndex
            )
        }
        return parts.count == 1 ? parts[0] : "(" + parts.joined(separator: " AND ") + ")"
    }

    /// An FTS5 string literal: the text in double quotes, with each double quote doubled.
    static func quote(_ text: String) -> String {
        var quoted = "\""
        for character in text {
            quoted.append(character)
            if character == "\"" { quoted.append("\"") }
        }
        quoted.append("\"")
        return quoted
    }
}
