import ArchiveModel
import Exporters
import Foundation
import Testing

@Suite struct StreamingTests {
    private func records(_ jsonl: String) throws -> [[String: Any]] {
        try jsonl.split(separator: "\n").map { line in
            try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        }
    }

    /// What a consumer must check: an `end` record last whose counts match the lines before it.
    private func isComplete(_ jsonl: String) -> Bool {
        guard jsonl.hasSuffix("\n"), let lines = try? records(jsonl), let end = lines.last,
            end["record"] as? String == "end"
        else { return false }
        let body = lines.dropLast()
        return end["recordCount"] as? Int == body.count
            && end["messageCount"] as? Int == body.filter { $0["record"] as? String == "message" }.count
            && end["threadCount"] as? Int == body.filter { $0["record"] as? String == "thread" }.count
    }

    @Test func jsonlTrailerMakesEveryTruncationDetectable() throws {
        let output = try Fixtures.exportSingleFile(.jsonl)
        #expect(isComplete(output))
        let lines = output.split(separator: "\n", omittingEmptySubsequences: false)
        for count in 0..<(lines.count - 2) {
            let cut = lines.prefix(count).map { $0 + "\n" }.joined()
            #expect(!isComplete(cut), "a file cut after \(count) lines looked complete")
        }
        #expect(!isComplete(String(output.dropLast(5))))
    }

    @Test func jsonlMessageRecordsCarryTheContractFields() throws {
        let messages = try records(try Fixtures.export(.jsonl)).filter { $0["record"] as? String == "message" }
        #expect(messages.count == Fixtures.messages.count)
        for message in messages {
            for key in ["threadId", "messageId", "version", "type", "text", "createdOn", "editedOn", "deletedOn"] {
                #expect(message.keys.contains(key), "missing \(key)")
            }
        }
        let deleted = try #require(messages.first { $0["messageId"] as? String == "1700000150000" })
        #expect(deleted["text"] as? String == "間違えました 🙈 password: hunter2")
        #expect(deleted["deletedOn"] as? String == "2023-11-14T22:16:00.000Z")
    }

    @Test func historyAddsEveryEarlierRevision() throws {
        let lines = try records(try Fixtures.export(.jsonl, withHistory: true))
        let revisions = lines.filter { $0["record"] as? String == "revision" }
        #expect(revisions.map { $0["version"] as? String } == ["1700000061000"])
        #expect(lines.last?["revisionCount"] as? Int == 1)
    }

    @Test(arguments: ExportFormat.allCases)
    func messagesAreConsumedOnceAndLazily(format: ExportFormat) throws {
        var produced = 0
        let lazyMessages = (0..<500).lazy.map { index -> ArchivedMessage in
            produced += 1
            return Synthetic.message(index)
        }
        var output = DigestOutput()
        let counts = try format.export(
            Synthetic.input,
            messages: lazyMessages,
            options: Fixtures.options(),
            into: &output
        )
        #expect(produced == 500)
        #expect(counts.messages == 500)
        #expect(output.byteCount > 500 * 50)
    }

    @Test(arguments: ExportFormat.allCases)
    func outOfOrderCallsThrow(format: ExportFormat) throws {
        var output = ""
        var writer = format.makeWriter(options: Fixtures.options())
        #expect(throws: ExportError.self) { try writer.write(Fixtures.messages[0], into: &output) }
        try writer.beginFile(into: &output)
        #expect(throws: ExportError.self) { try writer.endThread(into: &output) }
        try writer.beginThread(Fixtures.otherInput, into: &output)
        let error = #expect(throws: ExportError.self) { try writer.write(Fixtures.messages[0], into: &output) }
        #expect(error?.code == .threadMismatch)
        #expect(error.map { !String(describing: $0).contains("おはよう") } == true)
    }

    @Test(arguments: ExportFormat.allCases)
    func perThreadFilesHoldOneThread(format: ExportFormat) throws {
        var output = ""
        var writer = format.makeWriter(options: Fixtures.options())
        try writer.beginFile(into: &output)
        try writer.writeThread(Fixtures.otherInput, messages: Fixtures.otherMessages, into: &output)
        #expect(throws: ExportError.self) { try writer.beginThread(Fixtures.input, into: &output) }
    }

    @Test func manifestIsDeterministicAndSorted() throws {
        let manifest = ExportManifest(
            format: .jsonl,
            options: Fixtures.options(),
            counts: ExportCounts(),
            files: [
                .init(name: "b.jsonl", sha256: String(repeating: "0", count: 64), byteCount: 2, threadID: "t2"),
                .init(name: "a.jsonl", sha256: String(repeating: "1", count: 64), byteCount: 1, threadID: "t1"),
            ],
            chainHeads: [.init(threadID: "t2", hash: "bb"), .init(threadID: "t1", hash: "aa")]
        )
        let first = try manifest.encodedJSON()
        #expect(first == (try manifest.encodedJSON()))
        let text = String(decoding: first, as: UTF8.self)
        let a = try #require(text.range(of: "a.jsonl"))
        let b = try #require(text.range(of: "b.jsonl"))
        #expect(a.lowerBound < b.lowerBound)
        #expect(text.contains("\"exportedAt\" : null"))
    }

    @Test func hashingFileOutputMatchesDigestOutput() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("exporters-\(UUID().uuidString).jsonl")
        defer { try? FileManager.default.removeItem(at: url) }
        #expect(FileManager.default.createFile(atPath: url.path, contents: nil))
        let handle = try FileHandle(forWritingTo: url)
        var file = HashingFileOutput(handle: handle)
        var digest = DigestOutput()
        try ExportFormat.jsonl.export(
            Fixtures.input,
            messages: Fixtures.messages,
            options: Fixtures.options(),
            into: &file
        )
        try ExportFormat.jsonl.export(
            Fixtures.input,
            messages: Fixtures.messages,
            options: Fixtures.options(),
            into: &digest
        )
        let (sha, bytes) = try file.finish()
        try handle.close()
        #expect(sha == digest.sha256)
        #expect(bytes == digest.byteCount)
        #expect(try Data(contentsOf: url).count == bytes)
    }
}

/// Generated messages for streaming tests and the benchmark's shape.
enum Synthetic {
    static let threadID = "19:synthetic@thread.v2"
    static var input: ThreadExportInput {
        ThreadExportInput(
            thread: ArchivedThread(
                id: threadID,
                topic: "Synthetic",
                firstSeen: Fixtures.time(0),
                lastSeen: Fixtures.time(0)
            ),
            participants: [Fixtures.participant(Fixtures.alice, "Alice Smith")].map { participant in
                var copy = participant
                copy.threadID = threadID
                return copy
            }
        )
    }

    static func message(_ index: Int) -> ArchivedMessage {
        let id = String(1_700_000_000_000 + index * 1000)
        return ArchivedMessage(revisions: [
            MessageRevision(
                threadID: threadID,
                messageID: id,
                version: id,
                type: .text,
                senderID: Fixtures.alice,
                senderDisplayName: "Alice Smith",
                createdOn: Fixtures.time(1_700_000_000 + Double(index)),
                content: "Message \(index): hello 世界",
                text: "Message \(index): hello 世界",
                observedOn: Fixtures.time(1_700_000_000 + Double(index))
            )
        ])
    }
}

@Suite struct TimestampTests {
    @Test(arguments: [
        -86_400.5, -0.001, 0, 0.999, 951_782_400, 1_700_000_000.1234, 4_102_444_799.9999, 253_402_300_799.999,
    ])
    func jsonTimesMatchTimestampFormat(seconds: Double) throws {
        let date = Date(timeIntervalSince1970: seconds)
        var message = Synthetic.message(0).revisions[0]
        message.createdOn = date
        var output = ""
        try ExportFormat.jsonl.export(
            Synthetic.input,
            messages: [ArchivedMessage(revisions: [message])],
            options: Fixtures.options(),
            into: &output
        )
        #expect(output.contains("\"createdOn\":\"\(Timestamp.format(date))\""))
    }
}
