import Testing

@testable import Exporters

@Suite struct MboxTests {
    @Test func linesAreSevenBitBoundedAndNeverLookLikeSeparators() throws {
        let mbox = try Fixtures.exportSingleFile(.mbox)
        #expect(mbox.hasPrefix("From "))
        #expect(mbox.hasSuffix("\n\n"))
        #expect(!mbox.contains("\r"))
        let lines = mbox.split(separator: "\n", omittingEmptySubsequences: false)
        var separators = 0
        for (index, line) in lines.enumerated() {
            #expect(line.utf8.allSatisfy { $0 < 0x80 }, "8-bit line \(index + 1)")
            #expect(line.utf8.count <= 998)
            let unquoted = line.drop { $0 == ">" }
            if unquoted.hasPrefix("From ") {
                #expect(line.hasPrefix("From ") && line.hasSuffix(" 2023"), "line \(index + 1) needs quoting")
                #expect(index == 0 || lines[index - 1].isEmpty)
                separators += 1
            }
        }
        #expect(separators == Fixtures.messages.count + Fixtures.otherMessages.count)
    }

    @Test func headerInjectionStaysInsideOneHeader() throws {
        let mbox = try Fixtures.exportSingleFile(.mbox)
        var inHeaders = false
        for line in mbox.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("From ") {
                inHeaders = true
                continue
            }
            if line.isEmpty {
                inHeaders = false
                continue
            }
            guard inHeaders else { continue }
            // Every header line is a known field or a folded continuation; an injected CR/LF would start another.
            let name = line.prefix { $0 != ":" }
            let known = [
                "From", "To", "Subject", "Date", "Message-ID", "In-Reply-To", "References", "MIME-Version",
                "Content-Type", "X-Chat-Thread-Id", "X-Chat-Message-Id", "X-Chat-Type", "X-Chat-From-Id",
                "X-Chat-Edited", "X-Chat-Deleted", "X-Chat-Read-By",
            ]
            #expect(line.hasPrefix(" ") || known.contains(String(name)), "unexpected header line \(line)")
        }
        // The hostile name is a quoted-string: the injected text cannot end the header.
        #expect(mbox.contains("From: \"Mal  Bcc: victim@example.com <script>alert(1)</script> # `x`\""))
    }

    @Test func threadingPointsEveryMessageAtTheRoot() throws {
        let mbox = try Fixtures.export(.mbox)
        let root = "<1700000000000.1c1b393409c8c3a7feb82376@chat-archive.invalid>"
        let replies = mbox.split(separator: "\n").filter { $0 == "In-Reply-To: \(root)" }
        #expect(replies.count == Fixtures.messages.count - 1)
        #expect(mbox.contains("Message-ID: \(root)"))
    }

    @Test func bodyLinesStartingWithFromAreEncoded() throws {
        let mbox = try Fixtures.export(.mbox)
        #expect(mbox.contains("\n=46rom the release notes:\n"))
        #expect(mbox.contains("\n=3EFrom here on, quoting matters.\n"))
    }
}

@Suite struct MboxSafetyNetTests {
    @Test func quotesBodyLinesButNotTheSeparator() {
        var message = Array("From a@b Tue Nov 14 22:13:20 2023\nSubject: x\n\nFrom me\n>From you\nok\n\n".utf8)
        MboxTranscriptWriter.quoteFromLines(&message)
        #expect(
            String(decoding: message, as: UTF8.self)
                == "From a@b Tue Nov 14 22:13:20 2023\nSubject: x\n\n>From me\n>>From you\nok\n\n"
        )
    }
}
