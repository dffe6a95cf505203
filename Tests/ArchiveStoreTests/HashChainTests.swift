import ArchiveModel
import Foundation
import Testing

@testable import ArchiveStore

@Suite struct HashChainTests {
    /// The documented encoding, assembled by hand: a change to `canonicalBytes` must be a deliberate one.
    @Test func canonicalBytesFollowTheDocumentedEncoding() {
        let revision = CanonicalRevision(
            threadID: "t",
            messageID: "m",
            version: "1",
            sequenceID: 258,
            type: "text",
            createdOn: -1,
            content: "é",
            text: "é",
            observedOn: 1
        )
        func text(_ value: String) -> [UInt8] {
            let bytes = Array(value.utf8)
            return [2, 0, 0, 0, UInt8(bytes.count)] + bytes
        }
        func integer(_ bytes: [UInt8]) -> [UInt8] { [1] + bytes }
        var expected = Array("chat-archive/revision/1".utf8)
        expected += text("t") + text("m") + text("1") + integer([0, 0, 0, 0, 0, 0, 1, 2]) + text("text")
        expected += [0, 0]  // sender id, sender display name
        expected += integer([255, 255, 255, 255, 255, 255, 255, 255])  // created on = -1
        expected += [0, 0]  // edited on, deleted on
        expected += text("é") + [0] + text("é")  // content, sanitized html, text
        expected += [0, 0, 0, 0, 0]  // topic, participants, initiator, metadata, attachments
        expected += integer([0, 0, 0, 0, 0, 0, 0, 1])
        #expect(revision.canonicalBytes == expected)
        // SHA-256 over (32 zero bytes or the previous hash) ‖ those bytes, computed outside Swift.
        let first = revision.hash(previous: nil)
        #expect(first.hexString == "6ea7a06f3d399aa5b9c72888225bc5e62a3ee05399949a336ddeff12780e416d")
        #expect(
            revision.hash(previous: first).hexString
                == "031d75fb09baaac5c963c76b8e47d5adf6f6c6932a8393a0d3f92bceb0136ec1"
        )
    }

    @Test func eachRevisionChainsFromTheThreadsPreviousOne() async throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("archive.sqlite")
        let store = try ArchiveStore(path: path)
        _ = try await store.apply(
            Fixtures.batch([
                Fixtures.message("2", text: "second", created: 2), Fixtures.message("1", text: "first", created: 1),
            ])
        )
        let rows = try withRawConnection(path) { connection in
            try connection.withStatement(
                "SELECT r.version, r.prev_hash, r.hash FROM revisions r ORDER BY r.id"
            ) { statement throws(ArchiveStoreError) in
                var rows: [(version: String, previous: [UInt8]?, hash: [UInt8])] = []
                while try statement.step() {
                    rows.append((statement.text(0), statement.blob(1), statement.blob(2) ?? []))
                }
                return rows
            }
        }
        #expect(rows.count == 2)
        // Inserted in creation order whatever the batch order; the first links to nothing.
        #expect(
            rows.map(\.version) == [
                Fixtures.message("1", text: "", created: 1).version,
                Fixtures.message("2", text: "", created: 2).version,
            ]
        )
        #expect(rows[0].previous == nil)
        #expect(rows[1].previous == rows[0].hash)
        #expect(rows.allSatisfy { $0.hash.count == 32 })
        #expect(try await store.chainHeads() == [Fixtures.threadID: rows[1].hash.hexString])
    }
}
