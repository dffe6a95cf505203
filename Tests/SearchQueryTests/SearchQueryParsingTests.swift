import Foundation
import Testing

@testable import SearchQuery

@Suite struct SearchQueryParsingTests {
    private func tree(_ query: String) throws -> String {
        try SearchQuery(parsing: query).expression?.description ?? "-"
    }

    @Test(
        arguments: [
            ("meeting", "word(meeting)"),
            ("budget review", "AND(word(budget), word(review))"),
            ("budget AND review", "AND(word(budget), word(review))"),
            ("\"budget review\"", "phrase(\"budget review\")"),
            ("meet*", "prefix(meet*)"),
            ("\"budget rev\"*", "prefix(\"budget rev\"*)"),
            ("a OR b", "OR(word(a), word(b))"),
            ("a b OR c", "AND(word(a), OR(word(b), word(c)))"),
            ("a OR b c", "AND(OR(word(a), word(b)), word(c))"),
            ("a -b", "AND(word(a), NOT(word(b)))"),
            ("a NOT b", "AND(word(a), NOT(word(b)))"),
            ("a NOT NOT b", "AND(word(a), word(b))"),
            ("(a OR b) c", "AND(OR(word(a), word(b)), word(c))"),
            ("a -(b OR c)", "AND(word(a), NOT(OR(word(b), word(c))))"),
            ("a or b", "AND(word(a), word(or), word(b))"),
            ("foo-bar", "word(foo-bar)"),
            ("foo(bar)", "AND(word(foo), word(bar))"),
            ("say\"hi\"", "AND(word(say), phrase(\"hi\"))"),
            ("a !!! b", "AND(word(a), word(b))"),
            ("\"\" a", "word(a)"),
            ("http://example.com", "word(http://example.com)"),
            ("10:30", "word(10:30)"),
            ("\"from:yuki\"", "phrase(\"from:yuki\")"),
            ("re:meeting", "word(re:meeting)"),
            ("one:two his:x was:y TODO:z", "AND(word(one:two), word(his:x), word(was:y), word(TODO:z))"),
            ("-from:\"Yuki T\" x", "AND(NOT(from:Yuki T), word(x))"),
            ("x from:yuki after:2024-05-01", "AND(from:yuki, created:[2024-05-02T00:00:00Z,), word(x))"),
        ]
    )
    func textSyntax(query: String, expected: String) throws {
        #expect(try tree(query) == expected)
    }

    @Test(
        arguments: [
            ("from:yuki", SearchFilter.from("yuki")),
            ("FROM:yuki", .from("yuki")),
            ("from:\"Yuki Tanaka\"", .from("Yuki Tanaka")),
            ("from:8:acs:1234-abcd", .from("8:acs:1234-abcd")),
            ("thread:19:abc@thread.v2", .thread("19:abc@thread.v2")),
            ("topic:\"Q3 planning\"", .topic("Q3 planning")),
            ("type:text", .type(.text)),
            ("type:HTML", .type(.html)),
            ("type:system", .type(.system)),
            ("is:edited", .isEdited),
            ("is:deleted", .isDeleted),
            ("has:link", .hasLink),
            ("has:image", .hasImage),
            ("has:mention", .hasMention),
        ]
    )
    func operatorBecomesTopLevelFilter(query: String, expected: SearchFilter) throws {
        let parsed = try SearchQuery(parsing: query)
        #expect(parsed.filters == [expected])
        #expect(parsed.text == nil)
    }

    private static func utc(_ seconds: Double) -> Date { Date(timeIntervalSince1970: seconds) }
    private static let may1 = 1_714_521_600.0  // 2024-05-01T00:00:00Z

    @Test(
        arguments: [
            ("after:2024-05-01", SearchTimeRange(start: utc(may1 + 86_400), end: nil)),
            ("before:2024-05-01", SearchTimeRange(start: nil, end: utc(may1))),
            ("on:2024-05-01", SearchTimeRange(start: utc(may1), end: utc(may1 + 86_400))),
            (
                "after:2024-05-01T09:30:00Z",
                SearchTimeRange(start: utc(may1 + 34_200), startIsInclusive: false, end: nil)
            ),
            (
                "after:2024-05-01T18:30:00+09:00",
                SearchTimeRange(start: utc(may1 + 34_200), startIsInclusive: false, end: nil)
            ),
            ("before:2024-05-01T09:30:00.5z", SearchTimeRange(start: nil, end: utc(may1 + 34_200.5))),
            ("before:2024-05-01T09:30:00", SearchTimeRange(start: nil, end: utc(may1 + 34_200))),
            ("on:2024-05-01T23:59:59-00:30", SearchTimeRange(start: utc(may1 + 86_400), end: utc(may1 + 2 * 86_400))),
            ("on:2024-02-29", SearchTimeRange(start: utc(1_709_164_800), end: utc(1_709_251_200))),
            ("on:1970-01-01", SearchTimeRange(start: utc(0), end: utc(86_400))),
        ]
    )
    func dateOperators(query: String, expected: SearchTimeRange) throws {
        #expect(try SearchQuery(parsing: query).filters == [.created(expected)])
    }

    @Test func afterAndBeforeExcludeTheNamedDayAndOnIncludesIt() throws {
        let day = Date(timeIntervalSince1970: Self.may1 + 43_200)
        let ranges = try ["after:2024-05-01", "before:2024-05-01", "on:2024-05-01"].map { query in
            let filters = try SearchQuery(parsing: query).filters
            guard case .created(let range) = try #require(filters.first) else { throw CancellationError() }
            return range
        }
        #expect(ranges.map { $0.contains(day) } == [false, false, true])
        let instant = try #require(ranges.first)
        #expect(instant.contains(Date(timeIntervalSince1970: Self.may1 + 86_400)))
    }

    @Test func filtersUnderOrAndNotStayInTheTree() throws {
        let parsed = try SearchQuery(parsing: "budget -from:bot (is:edited OR has:link)")
        #expect(parsed.filters.isEmpty)
        #expect(parsed.text?.description == "AND(word(budget), NOT(from:bot), OR(is:edited, has:link))")
    }

    @Test func topLevelFiltersAreSeparatedFromText() throws {
        let parsed = try SearchQuery(parsing: "from:yuki 会議 OR 打ち合わせ has:link")
        #expect(parsed.filters == [.from("yuki"), .hasLink])
        #expect(parsed.text?.description == "OR(word(会議), word(打ち合わせ))")
    }

    @Test func cliFiltersJoinTheQuery() throws {
        let since = try SearchFilter(operator: "after", value: "2024-05-01")
        let parsed = try SearchQuery(parsing: "lunch", filters: [.from("yuki"), since])
        #expect(parsed.filters == [.from("yuki"), since])
        #expect(try SearchQuery(parsing: "", filters: [.isDeleted]).filters == [.isDeleted])
    }

    @Test func exclusionsAreAllowedNextToAFilter() throws {
        let parsed = try SearchQuery(parsing: "from:yuki -lunch")
        #expect(parsed.filters == [.from("yuki")])
        #expect(parsed.text?.description == "NOT(word(lunch))")
    }

    @Test func termPositionsCountCharacters() throws {
        let parsed = try SearchQuery(parsing: "会議 \"東京 都\" ｶﾀ*")
        guard case .and(let children) = try #require(parsed.text) else {
            Issue.record("expected AND")
            return
        }
        let positions = children.compactMap { child -> Int? in
            if case .term(let term) = child { term.position } else { nil }
        }
        #expect(positions == [0, 3, 10])
    }
}
