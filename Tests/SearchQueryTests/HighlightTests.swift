import Testing

@testable import SearchQuery

@Suite struct HighlightTests {
    /// The highlighted substrings of `text` for `query`.
    private func marked(_ query: String, in text: String) throws -> [String] {
        let terms = try SearchQuery(parsing: query).highlightTerms
        return SearchText.highlightRanges(of: terms, in: text).map { String(text[$0]) }
    }

    @Test(
        arguments: [
            ("meeting", "Meeting moved; MEETING again, meetings no", ["Meeting", "MEETING"]),
            ("meet*", "meetings and meet, not ameet", ["meetings", "meet"]),
            ("resume", "Your résumé, Résumé", ["résumé", "Résumé"]),
            ("abc", "ＡＢＣ and abc", ["ＡＢＣ", "abc"]),
            ("会議", "明日の会議は会議室で", ["会議", "会議"]),
            ("会", "大会の会議", ["会", "会"]),
            ("カタカナ", "ｶﾀｶﾅとカタカナ", ["ｶﾀｶﾅ", "カタカナ"]),
            ("ガス", "ガスとカス", ["ガス"]),
            ("東京meeting", "東京meetingに参加", ["東京meeting"]),
            ("\"schedule a meeting\"", "Let's schedule a meeting", ["schedule", "a", "meeting"]),
            ("lunch -secret", "secret lunch", ["lunch"]),
        ]
    )
    func highlightsOriginalText(query: String, text: String, expected: [String]) throws {
        #expect(try marked(query, in: text) == expected)
    }

    @Test func snippetCutsAroundTheFirstMatchAndShiftsOffsets() throws {
        let text =
            String(repeating: "lorem ipsum ", count: 20) + "the 会議 starts\nnow " + String(repeating: "x ", count: 50)
        let terms = try SearchQuery(parsing: "会議 now").highlightTerms
        let snippet = SearchText.snippet(of: text, highlighting: terms, maxCharacters: 40)
        #expect(snippet.text.hasPrefix("…") && snippet.text.hasSuffix("…"))
        #expect(snippet.text.count == 42)
        #expect(!snippet.text.contains("\n"))
        let characters = Array(snippet.text)
        #expect(snippet.highlights.map { String(characters[$0]) } == ["会議", "now"])
    }

    @Test func shortTextIsKeptWhole() {
        let snippet = SearchText.snippet(of: "会議", highlighting: [SearchHighlightTerm(text: "会議", isCJK: true)])
        #expect(snippet == SearchSnippet(text: "会議", highlights: [0..<2]))
    }
}
