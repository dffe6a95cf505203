/// A lexical token of the query language; positions are `Character` offsets from 0.
enum QueryToken {
    case word(String, isPrefix: Bool, position: Int)
    case phrase(String, isPrefix: Bool, position: Int)
    case filter(SearchFilter, position: Int)
    case and(position: Int)
    case or(position: Int)
    case not(position: Int)
    case minus(position: Int)
    case open(position: Int)
    case close(position: Int)

    var position: Int {
        switch self {
        case .word(_, _, let position), .phrase(_, _, let position), .filter(_, let position): position
        case .and(let position), .or(let position), .not(let position), .minus(let position): position
        case .open(let position), .close(let position): position
        }
    }

    /// Whether the token can start an operand (so `OR`, `NOT`, `-` before it are not dangling).
    var startsOperand: Bool {
        switch self {
        case .word, .phrase, .filter, .not, .minus, .open: true
        case .and, .or, .close: false
        }
    }
}

/// Splits a query into tokens. Outside quotes `(`, `)` and `"` always end a word; `-` negates only at the
/// start of a word; `name:` is an operator only when `name` is a known operator (case-insensitive), and an
/// error when it looks like a mistyped one; anything else (`http://x`, `10:30`) stays a plain word.
struct QueryLexer {
    private let characters: [Character]
    private var index = 0

    init(_ query: String) {
        characters = Array(query)
    }

    mutating func tokens() throws(SearchQueryError) -> [QueryToken] {
        var tokens: [QueryToken] = []
        while true {
            while index < characters.count, characters[index].isWhitespace { index += 1 }
            guard index < characters.count else { return tokens }
            let start = index
            switch characters[index] {
            case "(":
                index += 1
                tokens.append(.open(position: start))
            case ")":
                index += 1
                tokens.append(.close(position: start))
            case "\"":
                let text = try quoted()
                tokens.append(.phrase(text, isPrefix: skipStars(), position: start))
            case "-"
            where index + 1 < characters.count && !characters[index + 1].isWhitespace
                && characters[index + 1] != ")":
                index += 1
                tokens.append(.minus(position: start))
            default:
                tokens.append(try word())
            }
        }
    }

    private func isBoundary(_ character: Character) -> Bool {
        character.isWhitespace || character == "(" || character == ")"
    }

    /// Reads `"…"` starting at the opening quote and returns the text between the quotes.
    private mutating func quoted() throws(SearchQueryError) -> String {
        let start = index
        guard let end = characters[(start + 1)...].firstIndex(of: "\"") else {
            throw SearchQueryError(code: .unbalancedQuote, position: start)
        }
        index = end + 1
        return String(characters[(start + 1)..<end])
    }

    /// Consumes `*`s after a word or phrase and says whether there were any.
    private mutating func skipStars() -> Bool {
        var found = false
        while index < characters.count, characters[index] == "*" {
            found = true
            index += 1
        }
        return found
    }

    private mutating func word() throws(SearchQueryError) -> QueryToken {
        let start = index
        while index < characters.count, !isBoundary(characters[index]), characters[index] != "\"" {
            index += 1
        }
        let text = String(characters[start..<index])
        switch text {
        case "OR": return .or(position: start)
        case "AND": return .and(position: start)
        case "NOT": return .not(position: start)
        default: break
        }
        if let colon = text.firstIndex(of: ":"), colon != text.startIndex,
            text[..<colon].allSatisfy({ $0.isASCII && $0.isLetter })
        {
            let name = text[..<colon].lowercased()
            if SearchFilter.operatorNames.contains(name) {
                return try filter(name: name, inlineValue: String(text[text.index(after: colon)...]), start: start)
            }
            if let suggestion = Self.suggestion(for: name) {
                throw SearchQueryError(
                    code: .unknownOperator(String(text[..<colon]), suggestion: suggestion),
                    position: start
                )
            }
        }
        var body = text
        var isPrefix = false
        while body.hasSuffix("*") {
            body.removeLast()
            isPrefix = true
        }
        return .word(body, isPrefix: isPrefix, position: start)
    }

    /// Builds the filter for `name:value` or `name:"quoted value"`.
    private mutating func filter(
        name: String,
        inlineValue: String,
        start: Int
    ) throws(SearchQueryError) -> QueryToken {
        var value = inlineValue
        var valuePosition = start + name.count + 1
        if value.isEmpty, index < characters.count, characters[index] == "\"" {
            valuePosition = index + 1
            value = try quoted()
        }
        guard !value.trimmingWhitespace.isEmpty else {
            throw SearchQueryError(code: .missingValue(operator: name), position: start)
        }
        do {
            return .filter(
                try SearchFilter(operator: name, value: value, valuePosition: valuePosition),
                position: start
            )
        } catch let error as SearchQueryError {
            throw error
        } catch {
            throw SearchQueryError(code: .badValue(value, operator: name, expected: "a value"), position: valuePosition)
        }
    }

    /// The operator a mistyped or foreign `name:` probably means, or nil when `name:` is likely just text.
    static func suggestion(for name: String) -> String? {
        let aliases = [
            "sender": "from", "author": "from", "user": "from", "by": "from",
            "since": "after", "until": "before", "date": "on", "during": "on",
            "in": "thread", "chat": "thread", "channel": "thread", "conversation": "thread",
            "subject": "topic", "title": "topic", "kind": "type",
        ]
        if let alias = aliases[name] { return alias }
        // Typos only of the longer names: one edit from `on`/`is`/`has` hits real words (`one:`, `his:`, `was:`).
        guard name.count >= 3 else { return nil }
        return SearchFilter.operatorNames.first { $0.count >= 4 && editDistance(name, $0) <= 1 }
    }

    /// Optimal string alignment distance (Levenshtein plus adjacent transpositions).
    static func editDistance(_ lhs: String, _ rhs: String) -> Int {
        let a = Array(lhs)
        let b = Array(rhs)
        guard !a.isEmpty else { return b.count }
        guard !b.isEmpty else { return a.count }
        var table = [[Int]](repeating: [Int](repeating: 0, count: b.count + 1), count: a.count + 1)
        for i in 0...a.count { table[i][0] = i }
        for j in 0...b.count { table[0][j] = j }
        for i in 1...a.count {
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                var best = min(table[i - 1][j] + 1, table[i][j - 1] + 1, table[i - 1][j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                    best = min(best, table[i - 2][j - 2] + 1)
                }
                table[i][j] = best
            }
        }
        return table[a.count][b.count]
    }
}

extension String {
    var trimmingWhitespace: Substring {
        guard let first = firstIndex(where: { !$0.isWhitespace }), let last = lastIndex(where: { !$0.isWhitespace })
        else { return "" }
        return self[first...last]
    }
}
