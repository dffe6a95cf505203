import Foundation
import HTMLSanitizer
import Testing

/// The public XSS corpora in `shared/corpora/xss` (DOMPurify fixtures and the HTML5 Security Cheatsheet), a sibling
/// of the repository in development and in CI. Their expected outputs belong to a browser sanitizer with a larger
/// allowlist, so only our invariants are checked: nothing outside the allowlist survives, and the output is a
/// fixed point.
enum PublicCorpus {
    /// `<repository>/../shared/corpora/xss`, found from this file's real path (the dev package links it).
    static var directory: URL {
        URL(fileURLWithPath: #filePath).resolvingSymlinksInPath()
            .deletingLastPathComponent()  // HTMLSanitizerTests
            .deletingLastPathComponent()  // Tests
            .deletingLastPathComponent()  // repository
            .deletingLastPathComponent()
            .appendingPathComponent("shared/corpora/xss")
    }

    static func vectors() throws -> [String] {
        let file = directory.appendingPathComponent("public_vectors.json")
        guard FileManager.default.fileExists(atPath: file.path) else {
            throw CorpusMissing(path: file.path)
        }
        return try JSONDecoder().decode([String].self, from: Data(contentsOf: file))
    }

    struct CorpusMissing: Error, CustomStringConvertible {
        var path: String
        var description: String { "XSS corpus not found at \(path): shared/ must sit beside the repository" }
    }
}

@Suite struct PublicCorpusTests {
    @Test func corpusIsPresent() throws {
        #expect(try PublicCorpus.vectors().count >= 300)
    }

    @Test func noVectorEscapesTheAllowlist() throws {
        let sanitizer = HTMLSanitizer()
        for vector in try PublicCorpus.vectors() {
            let result = sanitizer.sanitize(vector)
            #expect(OutputGrammar.violations(in: result.html) == [], "\(vector.prefix(200))")
            #expect(sanitizer.sanitize(result.html).html == result.html, "not idempotent: \(vector.prefix(200))")
            for link in result.links {
                #expect(["http:", "https:", "mailto:"].contains { link.lowercased().hasPrefix($0) })
            }
        }
    }

    /// Every vector also fails as the content of the usual containers (inside a paragraph, list item, cell, link).
    @Test func noVectorEscapesInsideContainers() throws {
        let sanitizer = HTMLSanitizer()
        let wrappers = [
            ("<p>", "</p>"), ("<ul><li>", "</li></ul>"), ("<table><tr><td>", "</td></tr></table>"),
            ("<a href=\"https://x.example\">", "</a>"), ("<msft-mention id=\"1\">", "</msft-mention>"),
        ]
        for vector in try PublicCorpus.vectors() {
            for (open, close) in wrappers {
                let html = sanitizer.sanitize(open + vector + close).html
                #expect(OutputGrammar.violations(in: html) == [], "\(open)\(vector.prefix(200))")
                #expect(sanitizer.sanitize(html).html == html, "not idempotent: \(open)\(vector.prefix(200))")
            }
        }
    }
}
