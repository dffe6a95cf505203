import ArchiveModel
import Foundation
import SeededRandom
import Testing

@testable import ArchiveStore

@Suite struct VerifyTests {
    static let other = "19:other@thread.v2"

    /// Two threads with a few revisions each, in a real file.
    private func makeArchive(at path: String) async throws -> ArchiveStore {
        let store = try ArchiveStore(path: path)
        for thread in [Fixtures.threadID, Self.other] {
            _ = try await store.apply(
                Fixtures.batch(
                    (1...5).map { Fixtures.message("\($0)", thread: thread, text: "message \($0)", created: $0) },
                    thread: thread
                )
            )
            _ = try await store.apply(
                Fixtures.batch(
                    [Fixtures.message("2", version: 90, thread: thread, text: "changed", created: 2, edited: 90)],
                    thread: thread
                )
            )
        }
        return store
    }

    enum Tampering: String, CaseIterable, Sendable {
        case changeText, changeHash, changeSender, deleteMiddleRow, deleteNewestRow, reorderVersion
        case moveToOtherThread, detachFromItsMessage
    }

    @Test(arguments: Tampering.allCases)
    func tamperingWithRevisionsIsDetected(_ tampering: Tampering) async throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("archive.sqlite")
        let store = try await makeArchive(at: path)
        #expect(try await store.verify().isIntact)

        try withRawConnection(path) { connection in
            // Normal use cannot change a revision…
            #expect(throws: ArchiveStoreError.self) { try connection.execute("UPDATE revisions SET text = 'x'") }
            #expect(throws: ArchiveStoreError.self) { try connection.execute("DELETE FROM revisions") }
            // …someone editing the file can.
            try connection.execute(
                "DROP TRIGGER revisions_append_only_update; DROP TRIGGER revisions_append_only_delete"
            )
            let thread = try connection.scalar("SELECT id FROM threads WHERE thread_id = ?", Fixtures.threadID)
            let target = try connection.scalar("SELECT min(id) + 2 FROM revisions WHERE thread = ?", "\(thread)")
            let newest = try connection.scalar("SELECT max(id) FROM revisions WHERE thread = ?", "\(thread)")
            switch tampering {
            case .changeText:
                try connection.execute("UPDATE revisions SET text = 'forged', content = 'forged' WHERE id = \(target)")
            case .changeHash:
                try connection.execute("UPDATE revisions SET hash = randomblob(32) WHERE id = \(target)")
            case .changeSender:
                try connection.execute("UPDATE revisions SET sender_display_name = 'Mallory' WHERE id = \(target)")
            case .deleteMiddleRow:
                try connection.execute("DELETE FROM revisions WHERE id = \(target)")
            case .deleteNewestRow:
                try connection.execute("DELETE FROM revisions WHERE id = \(newest)")
            case .reorderVersion:
                try connection.execute("UPDATE revisions SET version = '1' WHERE id = \(target)")
            case .moveToOtherThread:
                let other = try connection.scalar("SELECT id FROM threads WHERE thread_id = ?", Self.other)
                try connection.execute("UPDATE revisions SET thread = \(other) WHERE id = \(target)")
            case .detachFromItsMessage:
                // Foreign keys are off on this raw connection, as they would be for anyone editing the file.
                try connection.execute("UPDATE revisions SET message = 999999 WHERE id = \(target)")
            }
        }
        let report = try await store.verify()
        #expect(!report.isIntact)
        #expect(report.damagedThreads == [Fixtures.threadID], "\(report.problems)")
        if tampering == .detachFromItsMessage {
            #expect(report.problems.contains { $0.kind == .dangling && $0.detail.hasPrefix("1 revision rows") })
        }
    }

    @Test func searchIndexTamperingIsDetected() async throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("archive.sqlite")
        let store = try await makeArchive(at: path)
        try withRawConnection(path) { connection in
            let row = try connection.scalar("SELECT max(id) FROM messages_search")
            try connection.execute(
                """
                INSERT INTO messages_fts (messages_fts, rowid, text, cjk, facets)
                SELECT 'delete', id, text, cjk, facets FROM messages_search WHERE id = \(row)
                """
            )
        }
        let report = try await store.verify()
        #expect(report.problems.map(\.kind) == [.searchIndex])
        try await store.rebuildSearchIndexes()
        #expect(try await store.verify().isIntact)
    }

    @Test func missingSenderNamesAreDetectedAndRebuilt() async throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("archive.sqlite")
        let store = try await makeArchive(at: path)
        try withRawConnection(path) { connection in
            try connection.execute("DROP TRIGGER sender_names_never_deleted; DELETE FROM sender_names")
        }
        let report = try await store.verify()
        #expect(report.problems.map(\.kind) == [.searchIndex])
        #expect(report.problems.first?.detail.contains("sender_names") == true)
        try await store.rebuildSearchIndexes()
        #expect(try await store.verify().isIntact)
    }

    @Test func derivedStateTamperingIsDetected() async throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("archive.sqlite")
        let store = try await makeArchive(at: path)
        try withRawConnection(path) { connection in
            try connection.execute("UPDATE messages SET deleted_on = 1 WHERE message_id = '3'")
        }
        let report = try await store.verify()
        #expect(Set(report.problems.map(\.kind)) == [.derivedState])
        #expect(report.damagedThreads == [Fixtures.threadID, Self.other])
    }

    /// One batch per transaction, and eight (as the sync commits them): the index rows of a transaction are
    /// written after its other rows, so an edit must find the index row an earlier batch of it wrote.
    @Test(arguments: [1, 8])
    func searchIndexesStayConsistentThroughManyEditsAndDeletions(batchesPerTransaction: Int) async throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("archive.sqlite")
        let store = try ArchiveStore(path: path)
        var generator = SplitMix64(seed: 42)
        var versions: [Int: Int] = [:]
        var deleted: Set<Int> = []
        var transaction: [PreparedBatch] = []
        for round in 0..<40 {
            var revisions: [MessageRevision] = []
            for _ in 0..<10 {
                let id = Int(generator.next() % 30)
                guard !deleted.contains(id) else { continue }
                let version = (versions[id] ?? 0) + 1
                versions[id] = version
                let roll = generator.next() % 10
                let created = id * 10
                if version == 1 {
                    revisions.append(Fixtures.message("\(id)", text: "apple \(id) 会議 round\(round)", created: created))
                } else if roll == 0 {
                    deleted.insert(id)
                    revisions.append(
                        Fixtures.message(
                            "\(id)",
                            version: created + version,
                            text: "",
                            created: created,
                            deleted: created + version
                        )
                    )
                } else {
                    revisions.append(
                        Fixtures.message(
                            "\(id)",
                            version: created + version,
                            text: "banana \(id) 東京 v\(version)",
                            created: created,
                            edited: created + version
                        )
                    )
                }
            }
            transaction.append(try PreparedBatch(Fixtures.batch(revisions, observed: 10_000 + round)))
            if transaction.count == batchesPerTransaction {
                _ = try await store.apply(transaction)
                transaction = []
            }
        }
        let report = try await store.verify()
        #expect(report.isIntact, "\(report.problems)")

        // Every message with content is in the current index exactly once, deleted ones included.
        let stats = try await store.stats()
        let current = try withRawConnection(path) { connection in
            try connection.scalar("SELECT count(*) FROM messages_fts WHERE messages_fts MATCH 'apple OR banana'")
        }
        #expect(current == Int64(stats.messages))
        let history = try withRawConnection(path) { connection in
            try connection.scalar("SELECT count(*) FROM revisions_fts")
        }
        #expect(history == Int64(stats.revisions - stats.messages - stats.deletedMessages))
    }

    @Test func japaneseWordsOfOneTwoAndThreeCharactersAreFoundThroughTheCJKColumn() async throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("archive.sqlite")
        let store = try ArchiveStore(path: path)
        let texts = [
            "会議室を予約しました",  // 会議, 会議室, 会
            "東京で会議があります",  // 東京, 会議, 会
            "明日は晴れです",
            "Zoomで打ち合わせ",
            "ｶﾀｶﾅのテスト",  // half-width katakana folds to カタカナ
        ]
        _ = try await store.apply(
            Fixtures.batch(
                texts.enumerated().map { Fixtures.message("\($0.offset)", text: $0.element, created: $0.offset) }
            )
        )
        func count(_ match: String) throws -> Int64 {
            try withRawConnection(path) { connection in
                try connection.scalar("SELECT count(*) FROM messages_fts WHERE messages_fts MATCH ?", match)
            }
        }
        #expect(try count(#"cjk : "会" *"#) == 2)  // one character: a prefix of the pieces
        #expect(try count(#"cjk : "会議""#) == 2)  // two characters: one piece
        #expect(try count(#"cjk : "会議 議室""#) == 1)  // three characters: the phrase of its pieces
        #expect(try count(#"cjk : "晴れ""#) == 1)
        #expect(try count(#"cjk : "カタ タカ カナ""#) == 1)
        #expect(try count(#"text : zoom"#) == 1)  // Latin next to CJK is its own token
        #expect(try count(#"cjk : "京都""#) == 0)
        #expect(try await store.verify().isIntact)
    }
}
