import ArchiveModel
import Exporters
import Testing

@Suite struct MarkdownTests {
    static let hostileLines = [
        "# h1", "###### h6", "> quote", "- item", "* item", "+ item", "1. one", "123456789) nine", "```js", "~~~",
        "    code", "\tcode", "<div>", "<!-- c -->", "| a | b |", "---", "===", "***", "___", "[x]: /url",
        "![i](x)", "[l](javascript:alert(1))", "<https://x>", "&amp;", "\\", "a  ", "`code`", "$$x$$", "~~s~~",
        "<script>alert(1)</script>", "\u{0}", "line\r\nbreak", "www.example.com", "ftp://x/y",
    ]

    private func bodyLines(_ text: String) throws -> [Substring] {
        let revision = MessageRevision(
            threadID: Fixtures.otherThreadID,
            messageID: "1",
            version: "1",
            type: .text,
            senderID: Fixtures.alice,
            createdOn: Fixtures.time(0),
            content: text,
            text: text,
            observedOn: Fixtures.time(0)
        )
        var output = ""
        try ExportFormat.markdown.export(
            Fixtures.otherInput,
            messages: [ArchivedMessage(revisions: [revision])],
            options: Fixtures.options(),
            into: &output
        )
        let lines = output.split(separator: "\n", omittingEmptySubsequences: false)
        let start = try #require(lines.firstIndex { $0.hasPrefix("### ") }) + 2
        let end = try #require(lines.lastIndex { $0 == "---" }) - 1
        return Array(lines[start..<end])
    }

    @Test(arguments: hostileLines)
    func userTextNeverStartsABlock(line: String) throws {
        for text in [line, "intro\n" + line, "  " + line] {
            for body in try bodyLines(text) where !body.isEmpty {
                let first = try #require(body.first)
                #expect(!"#>-*+=`~|<_[".contains(first), "\(body) could start a block")
                #expect(!body.hasPrefix(" ") && !body.hasPrefix("\t"))
                #expect(body.prefix { $0.isNumber }.isEmpty || !".)".contains(body.drop { $0.isNumber }.first ?? " "))
                #expect(!body.contains("\u{0}"))
            }
        }
    }

    @Test func linesBecomeHardBreaksAndBlanksBecomeEntities() throws {
        #expect(try bodyLines("a  \nb") == ["a&#32;&#32;\\", "b"])
        #expect(try bodyLines("see https://example.com/x.") == ["see <https://example.com/x>."])
    }
}
