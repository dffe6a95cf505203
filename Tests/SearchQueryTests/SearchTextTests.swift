import Foundation
import Testing

@testable import SearchQuery

@Suite struct SearchTextTests {
    @Test(
        arguments: [
            ("会", "会"),
            ("会議", "会議 議"),
            ("会議室", "会議 議室 室"),
            ("東京都庁", "東京 京都 都庁 庁"),
            ("ひらがな", "ひら らが がな な"),
            ("カタカナ", "カタ タカ カナ ナ"),
            ("ｶﾀｶﾅ", "カタ タカ カナ ナ"),
            ("ｶﾞｽ", "ガス ス"),
            ("한국어", "한국 국어 어"),
            ("コーヒー々", "コー ーヒ ヒー ー々 々"),
        ]
    )
    func cjkRunBecomesOverlappingPiecesPlusLastCharacter(text: String, expected: String) {
        #expect(SearchText.indexTerms(for: text) == expected)
    }

    @Test(
        arguments: [
            ("Zoomで会議しましょう", "で会 会議 議し しま まし しょ ょう う"),
            ("東京meetingに参加", "東京 京 に参 参加 加"),
            ("会議・資料", "会議 議 資料 料"),
            ("「会議」は 10:00 から", "会議 議 は から ら"),
            ("plain English only", ""),
            ("", ""),
        ]
    )
    func onlyCJKPiecesAreIndexedAndRunsBreakAtEverythingElse(text: String, expected: String) {
        #expect(SearchText.indexTerms(for: text) == expected)
    }

    @Test(
        arguments: [
            ("ＡＢＣ", "ABC"),
            ("ｶﾀｶﾅ", "カタカナ"),
            ("ﬁle №5", "file No5"),
            ("東京meetingに参加", "東京 meeting に参加"),
            ("Zoomで会議", "Zoom で会議"),
            ("meeting 東京", "meeting 東京"),
            ("résumé", "résumé"),
            ("「会議」", "「会議」"),
        ]
    )
    func mainColumnIsNFKCWithCJKSeparatedFromLatin(text: String, expected: String) {
        #expect(SearchText.normalizedForIndex(text) == expected)
    }

    @Test(arguments: ["・", "「", "、", "゛", "⺀", "A", "1", " ", "🎉"])
    func punctuationAndNonLettersAreNotCJK(text: String) {
        #expect(SearchText.indexTerms(for: text).isEmpty)
    }

    /// The byte-level segmentation against its definition (runs → overlapping pairs + last character), on random
    /// mixes of ASCII, kana, Han (including a 4-byte extension-B character), Hangul, emoji, marks and punctuation.
    @Test func piecesMatchTheirDefinitionOnRandomText() {
        let alphabet: [Unicode.Scalar] = [
            "a", "Z", "7", " ", "-", "\u{3042}", "\u{30AB}", "\u{30FC}", "\u{4F1A}", "\u{8B70}", "\u{3005}",
            "\u{20B9F}", "\u{D55C}", "\u{1F389}", "\u{3001}", "\u{300C}", "\u{00E9}", "\u{0301}", "\u{FF76}",
            "\u{FF21}", "\u{3000}",
        ]
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<2_000 {
            var scalars = String.UnicodeScalarView()
            for _ in 0..<Int.random(in: 0...24, using: &generator) {
                scalars.append(alphabet.randomElement(using: &generator)!)
            }
            let text = String(scalars)
            let expected = SearchText.cjkRuns(in: SearchText.fold(text)).flatMap { run in
                SearchText.bigrams(of: run) + [String(String.UnicodeScalarView([run.last!]))]
            }
            #expect(SearchText.indexTerms(for: text) == expected.joined(separator: " "), "\(text.debugDescription)")
            let columns = SearchText.indexColumns(for: text)
            #expect(columns.text == SearchText.normalizedForIndex(text))
            #expect(columns.cjk == SearchText.indexTerms(for: text))
        }
    }

    @Test func everyCharacterOfARunStartsAPiece() {
        let text = "東京都庁で会議室を予約"
        let pieces = SearchText.indexTerms(for: text).split(separator: " ")
        #expect(pieces.count == text.count)
        for (character, piece) in zip(text, pieces) {
            #expect(piece.first == character)
        }
    }
}

@Suite struct FoldingTests {
    /// Reference NFKC through Foundation alone (with the composition corelibs needs).
    private func referenceNFKC(_ text: String) -> String {
        text.precomposedStringWithCompatibilityMapping.precomposedStringWithCanonicalMapping
    }

    @Test(
        arguments: [
            "plain ascii", "ＡＢＣ！？（ｘ）", "会議　室", "Ĳssel ŀ ſ", "café ｶﾞｽ", "e\u{301}", "カ\u{3099}", "①②",
            "“quoted”…", "〜・「」", "ﾊﾟｰﾃｨｰ", "한국어 ᄀ", "ｰ", "",
        ]
    )
    func fastFoldingEqualsFoundationNFKC(text: String) {
        #expect(SearchText.fold(text) == referenceNFKC(text))
        #expect(Array(SearchText.fold(text).unicodeScalars) == Array(referenceNFKC(text).unicodeScalars))
    }

    @Test func randomTextFoldsLikeFoundation() {
        let pools: [ClosedRange<UInt32>] = [
            0x20...0x7E, 0xA0...0x17F, 0x300...0x36F, 0x2010...0x2030, 0x3000...0x30FF, 0x4E00...0x4E40,
            0xAC00...0xAC40, 0x1100...0x1175, 0xFF01...0xFF9F,
        ]
        var state: UInt64 = 42
        func random(_ bound: UInt32) -> UInt32 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return UInt32((state >> 33) % UInt64(bound))
        }
        for _ in 0..<500 {
            var scalars = String.UnicodeScalarView()
            for _ in 0..<(1 + random(8)) {
                let pool = pools[Int(random(UInt32(pools.count)))]
                if let scalar = Unicode.Scalar(pool.lowerBound + random(pool.upperBound - pool.lowerBound + 1)) {
                    scalars.append(scalar)
                }
            }
            let text = String(scalars)
            #expect(
                Array(SearchText.fold(text).unicodeScalars) == Array(referenceNFKC(text).unicodeScalars),
                "\(text.unicodeScalars.map { String($0.value, radix: 16) })"
            )
        }
    }
}
