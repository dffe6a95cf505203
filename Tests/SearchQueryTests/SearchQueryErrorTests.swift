import Testing

@testable import SearchQuery

@Suite struct SearchQueryErrorTests {
    @Test(
        arguments: [
            ("meeting \"budget", "unbalanced quote at 8"),
            ("from:\"Yuki", "unbalanced quote at 5"),
            ("(a OR b", "unmatched '(' at 0"),
            ("a (b (c)", "unmatched '(' at 2"),
            ("a) b", "unmatched ')' at 1"),
            ("a ()", "empty parentheses at 2"),
            ("OR a", "dangling operator OR at 0"),
            ("a OR", "dangling operator OR at 2"),
            ("a OR OR b", "dangling operator OR at 2"),
            ("(a OR) b", "dangling operator OR at 3"),
            ("a AND", "dangling operator AND at 2"),
            ("AND a", "dangling operator AND at 0"),
            ("a NOT", "dangling operator NOT at 2"),
            ("a -)", "unmatched ')' at 3"),
            ("a -OR b", "dangling operator - at 2"),
            ("form:yuki", "unknown operator 'form:' at 0 (did you mean from:?)"),
            ("a sender:yuki", "unknown operator 'sender:' at 2 (did you mean from:?)"),
            ("since:2024-01-01", "unknown operator 'since:' at 0 (did you mean after:?)"),
            ("tpoic:x", "unknown operator 'tpoic:' at 0 (did you mean topic:?)"),
            ("thred:x", "unknown operator 'thred:' at 0 (did you mean thread:?)"),
            ("Befor:2024-01-01", "unknown operator 'Befor:' at 0 (did you mean before:?)"),
            ("in:general", "unknown operator 'in:' at 0 (did you mean thread:?)"),
            ("from:", "missing value for from: at 0"),
            ("a from: b", "missing value for from: at 2"),
            ("from:\"  \"", "missing value for from: at 0"),
            ("after:2024-13-01", "bad date '2024-13-01' for after: at 6"),
            ("x before:2023-02-29", "bad date '2023-02-29' for before: at 9"),
            ("on:yesterday", "bad date 'yesterday' for on: at 3"),
            ("on:2024-05-01T25:00:00Z", "bad date '2024-05-01T25:00:00Z' for on: at 3"),
            ("on:\"2024-05-01 10:00\"", "bad date '2024-05-01 10:00' for on: at 4"),
            ("type:video", "bad value 'video' for type: at 5 (expected text, html or system)"),
            ("is:new", "bad value 'new' for is: at 3 (expected edited or deleted)"),
            ("has:file", "bad value 'file' for has: at 4 (expected link, image or mention)"),
            ("a*", "prefix 'a*' is too short at 0"),
            ("x *", "prefix '*' is too short at 2"),
            ("\"big a\"*", "prefix '\"big a\"*' is too short at 0"),
            ("!!! ???", "nothing to search for at 0"),
            ("-lunch", "query only excludes (NOT or -) at 0"),
            ("NOT a -b", "query only excludes (NOT or -) at 0"),
        ]
    )
    func malformedQueryNamesProblemAndPosition(query: String, expected: String) {
        #expect {
            try SearchQuery(parsing: query)
        } throws: { error in
            guard let error = error as? SearchQueryError else { return false }
            return "\(error)".hasPrefix(expected)
        }
    }

    @Test func tooLongQueryIsRejected() {
        let query = String(repeating: "a", count: SearchQuery.maximumLength + 1)
        #expect(throws: SearchQueryError(code: .tooLong(limit: 1000), position: 1000)) {
            try SearchQuery(parsing: query)
        }
        #expect(throws: Never.self) { try SearchQuery(parsing: String(query.dropFirst())) }
    }

    @Test func tooManyTermsIsRejectedAtTheFirstExtraTerm() {
        let words = (0...SearchQuery.maximumTermCount).map { "w\($0)" }
        let position = words.dropLast().map { $0.count + 1 }.reduce(0, +)
        #expect(throws: SearchQueryError(code: .tooManyTerms(limit: 64), position: position)) {
            try SearchQuery(parsing: words.joined(separator: " "))
        }
        #expect(throws: Never.self) { try SearchQuery(parsing: words.dropLast().joined(separator: " ")) }
    }

    @Test func deepNestingIsRejected() {
        let depth = QueryParser.maximumDepth + 1
        let query = String(repeating: "(", count: depth) + "a" + String(repeating: ")", count: depth)
        #expect(throws: SearchQueryError(code: .nestedTooDeeply(limit: 32), position: 32)) {
            try SearchQuery(parsing: query)
        }
    }

    @Test func messageEchoesOnlyAShortSanitizedFragment() {
        let value = "\u{1B}[31m" + String(repeating: "x", count: 100)
        let error = SearchQueryError(code: .badValue(value, operator: "type", expected: "text"), position: 5)
        #expect(!error.description.contains("\u{1B}"))
        #expect(error.message.count < 80)
    }
}
