import HTMLSanitizer
import SeededRandom
import Testing

@Suite struct RobustnessTests {
    /// Random bytes, biased towards markup characters, as invalid UTF-8 too.
    @Test(.timeLimit(.minutes(1))) func randomBytes() {
        var random = SplitMix64(seed: 0x5EED)
        let alphabet = Array("<>/=\"' !-[]?&;#xa0bpimgscrt".utf8) + [0, 0x0C, 0x80, 0xC3, 0xA9, 0xFF, 0xED, 0xA0]
        let sanitizer = HTMLSanitizer()
        for _ in 0..<2000 {
            let length = Int.random(in: 0...300, using: &random)
            let bytes = (0..<length).map { _ in
                Bool.random(using: &random)
                    ? alphabet.randomElement(using: &random)! : UInt8.random(in: 0...255, using: &random)
            }
            let result = sanitizer.sanitize(utf8: bytes)
            #expect(OutputGrammar.violations(in: result.html) == [], "bytes: \(bytes)")
            #expect(sanitizer.sanitize(result.html).html == result.html, "bytes: \(bytes)")
        }
    }

    @Test func invalidUTF8BecomesReplacementCharacters() {
        let result = HTMLSanitizer().sanitize(utf8: [0x61, 0xFF, 0x62, 0xC3, 0x28, 0x00, 0x63])
        #expect(result.html == "a\u{FFFD}b\u{FFFD}(\u{FFFD}c")
    }

    @Test(.timeLimit(.minutes(1))) func tenMegabyteMessage() {
        let paragraph = "<p>Hello <b>team</b>, see <a href=\"https://x.example/doc\">the doc</a> &amp; reply.</p>\n"
        let input = String(repeating: paragraph, count: 10_000_000 / paragraph.utf8.count + 1)
        let result = HTMLSanitizer().sanitize(input)
        #expect(!result.isTruncated)
        #expect(result.links.count == 10_000_000 / paragraph.utf8.count + 1)
        #expect(
            result.html.hasSuffix(
                "<a href=\"https://x.example/doc\" rel=\"noopener noreferrer nofollow\">the doc</a> &amp; reply.</p>\n"
            )
        )
    }

    @Test(.timeLimit(.minutes(1))) func tenMegabytesOfText() {
        let input = String(repeating: "word ", count: 2_100_000)
        let result = HTMLSanitizer().sanitize(input)
        #expect(result.html == input)
        #expect(result.text.utf8.count == input.utf8.count - 1)
    }

    @Test(.timeLimit(.minutes(1))) func hundredThousandDeepNesting() {
        let depth = 100_000
        let input = String(repeating: "<div><b>", count: depth) + "deep" + String(repeating: "</b></div>", count: depth)
        let result = HTMLSanitizer().sanitize(input)
        #expect(result.text == "deep")
        #expect(OutputGrammar.violations(in: result.html) == [])
        #expect(HTMLSanitizer().sanitize(result.html).html == result.html)
    }

    @Test(.timeLimit(.minutes(1))) func deepNestingKeepsAllText() {
        let input = (0..<3000).map { "<span>\($0) " }.joined()
        let result = HTMLSanitizer().sanitize(input)
        #expect(result.text == (0..<3000).map(String.init).joined(separator: " "))
    }

    /// libxml2 compares every end tag with its whole open-element stack and every attribute with all earlier ones
    /// of its tag: unbounded, these shapes take minutes (30,000 unmatched end tags took 5 s, 20,000 attributes 5 s,
    /// growing quadratically). With the depth and attribute bounds they are linear: seconds even in a debug build
    /// on a loaded machine.
    @Test(.timeLimit(.minutes(2))) func quadraticShapesStayLinear() {
        let clock = ContinuousClock()
        let shapes = [
            String(repeating: "<b>", count: 100_000) + String(repeating: "</x>", count: 100_000),
            "<b " + (0..<100_000).map { "a\($0)" }.joined(separator: " ") + ">x",
            "<b " + (0..<50_000).map { "a\($0)=\">\"" }.joined(separator: " ") + ">x",
            String(repeating: "<p><a href=\"https://x\"><b><i>", count: 25_000),
        ]
        for shape in shapes {
            let elapsed = clock.measure { _ = HTMLSanitizer().sanitize(shape) }
            #expect(elapsed < .seconds(20), "\(shape.prefix(40)): \(elapsed)")
        }
    }

    @Test func emptyAndWhitespaceInputs() {
        for input in ["", " ", "\n\t", "<!--", "</p>", "<html><body></body></html>", "<", "&"] {
            let result = HTMLSanitizer().sanitize(input)
            #expect(result.text == (input == "<" || input == "&" ? input : ""))
            #expect(OutputGrammar.violations(in: result.html) == [])
        }
    }

    @Test func concurrentUseGivesTheSameResults() async {
        let inputs = markupFragments.indices.map { markupFragments[$0...].prefix(12).joined() }
        let expected = inputs.map { HTMLSanitizer().sanitize($0) }
        let sanitizer = HTMLSanitizer()
        let results = await withTaskGroup(of: (Int, SanitizedHTML).self) { group in
            for round in 0..<8 {
                for index in inputs.indices {
                    group.addTask { (index, sanitizer.sanitize(inputs[(index + round) % inputs.count])) }
                }
            }
            var collected: [(Int, SanitizedHTML)] = []
            for await result in group { collected.append(result) }
            return collected
        }
        #expect(results.count == inputs.count * 8)
        for (index, result) in results {
            #expect(expected.contains(result), "\(index)")
        }
    }
}
