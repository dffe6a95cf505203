import Testing

@testable import SearchQuery

@Suite struct FTSExpressionTests {
    @Test(
        arguments: [
            ("meeting", #""meeting""#),
            ("Meeting ＭＥＥＴＩＮＧ", #"("meeting" AND "meeting")"#),
            ("\"budget review\"", #""budget review""#),
            ("meet*", #""meet" *"#),
            ("\"budget rev\"*", #""budget rev" *"#),
            ("a OR b", #"("a" OR "b")"#),
            ("x a b OR c -d", #"("x" AND "a" AND ("b" OR "c")) NOT "d""#),
            ("x -a -b", #""x" NOT ("a" OR "b")"#),
            ("x -(a b)", #""x" NOT ("a" AND "b")"#),
            ("x (y -z)", #"("x" AND ("y" NOT "z"))"#),
            ("résumé", #""résumé""#),
            ("e-mail", #""e-mail""#),
            ("会", #"cjk : "会" *"#),
            ("会議", #"cjk : "会議""#),
            ("会議室", #"cjk : "会議 議室""#),
            ("東京都", #"cjk : "東京 京都""#),
            ("東京都庁", #"cjk : "東京 京都 都庁""#),
            ("ｶﾀｶﾅ", #"cjk : "カタ タカ カナ""#),
            ("ｶﾞｽ", #"cjk : "ガス""#),
            ("会議*", #"cjk : "会議""#),
            ("東京meeting", #"(cjk : "東京" AND "meeting")"#),
            ("meeting東京", #"("meeting" AND cjk : "東京")"#),
            ("zoomで会議", #"("zoom" AND cjk : "で会 会議")"#),
            ("東京meet*", #"(cjk : "東京" AND "meet" *)"#),
            ("\"会議室 予約\"", #"cjk : "会議 議室 室 予約""#),
            ("\"会議室の予約\"", #"cjk : "会議 議室 室の の予 予約""#),
            ("\"会議 予\"", #"cjk : "会議 議 予" *"#),
            ("\"Zoom 会議 link\"", #"("zoom " AND cjk : "会議" AND " link")"#),
            ("会議・資料", #"cjk : "会議 議 資料""#),
            ("from:yuki 会議 OR 打ち合わせ", #"(cjk : "会議" OR cjk : "打ち ち合 合わ わせ")"#),
        ]
    )
    func rendersQuotedFTS5(query: String, expected: String) throws {
        #expect(try SearchQuery(parsing: query).ftsExpression() == expected)
    }

    @Test func textColumnFilterIsAppliedWhenConfigured() throws {
        let query = try SearchQuery(parsing: "東京meet*")
        #expect(
            query.ftsExpression(columns: FTSColumns(text: "body", cjk: "pieces"))
                == #"(pieces : "東京" AND body : "meet" *)"#
        )
    }

    @Test(
        arguments: [
            ("budget", "budget", nil, nil),
            ("budget from:yuki", "budget", nil, "[from:yuki]"),
            ("from:yuki -lunch", nil, "NOT(MATCH(\"lunch\"))", "[from:yuki]"),
            ("budget -from:bot", "budget", "NOT(from:bot)", nil),
            ("budget (is:edited OR has:link)", "budget", "OR(is:edited, has:link)", nil),
            ("budget (lunch OR from:yuki)", "budget", "OR(MATCH(\"lunch\"), from:yuki)", nil),
            ("a (b OR -c)", "a", "OR(MATCH(\"b\"), NOT(MATCH(\"c\")))", nil),
            ("is:deleted", nil, nil, "[is:deleted]"),
        ] as [(String, String?, String?, String?)]
    )
    func planSplitsMatchFiltersAndResidual(query: String, match: String?, residual: String?, filters: String?) throws {
        let plan = try SearchQuery(parsing: query).plan()
        #expect(plan.match == match.map { "\"\($0)\"" })
        #expect(plan.residual?.description == residual)
        #expect(plan.filters.isEmpty == (filters == nil))
        if let filters { #expect(plan.filters.description == filters) }
    }

    @Test func ftsExpressionIsNilWhenThePlanNeedsAResidual() throws {
        #expect(try SearchQuery(parsing: "budget -from:bot").ftsExpression() == nil)
        #expect(try SearchQuery(parsing: "from:yuki").ftsExpression() == nil)
        #expect(try SearchQuery(parsing: "from:yuki budget").ftsExpression() == "\"budget\"")
    }

    @Test(
        arguments: [
            "NEAR(a b)", "NEAR(a b, 2)", "text:meeting", "cjk:会議", "{cjk}:x", "- cjk : x", "^meeting", "a^b",
            "a*b", "\"a\"\"b\"", "x\"y\" z", "foo(bar)", "(a) (b)", "\"NEAR(\" OR x", "a NEAR b", "col:x OR y",
            "\"cjk : 会\"", "会議\" OR \"x", "a'b", "a\\\"b", "meeting^2", "+a", "\"(\" \")\"", "-(a OR b) c",
            "\"\u{0}a\u{1B}b\"", "\"a\nb\" c", "*a*", "\"x\"*", "\"*\" a", "a:b:c", "AND(x)", "ORx NOTy",
        ]
    )
    func userInputIsNeverLiveFTS5Syntax(query: String) throws {
        let parsed: SearchQuery
        do {
            parsed = try SearchQuery(parsing: query)
        } catch is SearchQueryError {
            return
        }
        for match in Self.matchStrings(in: parsed.plan()) {
            let syntax = try #require(Self.syntaxOutsideStrings(match), "unterminated string in \(match)")
            #expect(syntax.allSatisfy(Self.allowedSyntax.contains), "live syntax \(syntax) in \(match)")
        }
    }

    @Test func randomQueriesNeverYieldLiveSyntax() throws {
        let alphabet = [
            "\"", "(", ")", "*", ":", "^", "-", " ", " ", "NEAR", "OR", "AND", "NOT", "col", "cjk", "a", "b",
            "会", "ｶ", "{", "}", "'", ",", "+", "from:", "\u{0}",
        ]
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        func random(_ bound: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((state >> 33) % UInt64(bound))
        }
        var parsedCount = 0
        for _ in 0..<2000 {
            let query = (0..<(1 + random(12))).map { _ in alphabet[random(alphabet.count)] }.joined()
            guard let parsed = try? SearchQuery(parsing: query) else { continue }
            parsedCount += 1
            for match in Self.matchStrings(in: parsed.plan()) {
                let syntax = try #require(Self.syntaxOutsideStrings(match))
                #expect(syntax.allSatisfy(Self.allowedSyntax.contains), "\(query) -> \(match)")
            }
        }
        #expect(parsedCount > 200)
    }

    @Test func highlightTermsArePositiveAndFolded() throws {
        let query = try SearchQuery(parsing: "Meet* ＡＢＣ \"会議室 予約\" 東京meeting -secret (x OR -hidden)")
        #expect(
            query.highlightTerms == [
                SearchHighlightTerm(text: "meet", isPrefix: true),
                SearchHighlightTerm(text: "abc"),
                SearchHighlightTerm(text: "会議室", isCJK: true),
                SearchHighlightTerm(text: "予約", isCJK: true),
                SearchHighlightTerm(text: "meeting"),
                SearchHighlightTerm(text: "東京", isCJK: true),
                SearchHighlightTerm(text: "x"),
            ]
        )
    }

    static let allowedSyntax: Set<String> = ["(", ")", "AND", "OR", "NOT", "*", "cjk", ":", "STRING"]

    /// Every MATCH string a plan holds.
    static func matchStrings(in plan: SearchPlan) -> [String] {
        var result = plan.match.map { [$0] } ?? []
        func visit(_ condition: SearchCondition) {
            switch condition {
            case .match(let match): result.append(match)
            case .filter: break
            case .not(let inner): visit(inner)
            case .and(let children), .or(let children): children.forEach(visit)
            }
        }
        plan.residual.map(visit)
        return result
    }

    /// Splits an FTS5 expression into its live tokens, with each string literal as `STRING`; nil if a string
    /// is unterminated (which would mean a quote escaped the literal).
    static func syntaxOutsideStrings(_ expression: String) -> [String]? {
        var tokens: [String] = []
        var characters = Array(expression)[...]
        while let character = characters.first {
            characters = characters.dropFirst()
            switch character {
            case " ": continue
            case "(", ")", "*", ":": tokens.append(String(character))
            case "\"":
                while true {
                    guard let next = characters.first else { return nil }
                    characters = characters.dropFirst()
                    if next == "\"" {
                        guard characters.first == "\"" else { break }
                        characters = characters.dropFirst()
                    }
                }
                tokens.append("STRING")
            default:
                var word = String(character)
                while let next = characters.first, !" ()*:\"".contains(next) {
                    word.append(next)
                    characters = characters.dropFirst()
                }
                tokens.append(word)
            }
        }
        return tokens
    }
}

@Suite struct ConstructedQueryTests {
    @Test func emptyTermsAndGroupsBuiltInCodeNeverRenderInvalidSyntax() {
        let empty = SearchExpression.term(SearchTerm(kind: .word, text: "!!"))
        let word = SearchExpression.term(SearchTerm(kind: .word, text: "budget"))
        let query = SearchQuery(filters: [], text: .and([.or([]), empty, .or([empty, word]), .and([])]))
        #expect(query.ftsExpression() == "\"budget\"")
        #expect(
            SearchQuery(filters: [.isDeleted], text: .or([empty])).plan()
                == SearchPlan(match: nil, filters: [.isDeleted], residual: nil)
        )
    }
}
