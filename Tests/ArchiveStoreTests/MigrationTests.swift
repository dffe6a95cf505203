import ArchiveModel
import Foundation
import SearchQuery
import Testing

@testable import ArchiveStore

@Suite struct MigrationTests {
    @Test func newArchiveIsMigratedToTheLatestVersion() async throws {
        let store = try ArchiveStore(path: ":memory:")
        #expect(await store.schemaVersion == ArchiveStore.supportedSchemaVersion)
        #expect(try await store.stats().schemaVersion == ArchiveStore.supportedSchemaVersion)
    }

    @Test func fileIsCreatedOwnerOnlyInWALModeWith8KiBPages() async throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("archive.sqlite")
        let store = try ArchiveStore(path: path)
        _ = try await store.apply(Fixtures.batch([Fixtures.message("1", text: "hello", created: 1)]))
        for file in [path, path + "-wal", path + "-shm"] {
            let attributes = try FileManager.default.attributesOfItem(atPath: file)
            #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600, "\(file)")
        }
        let walMode = try withRawConnection(path) { connection in
            try connection.withStatement("PRAGMA journal_mode") { statement throws(ArchiveStoreError) in
                try statement.step() ? statement.text(0) : ""
            }
        }
        #expect(walMode == "wal")
        let pageSize = try withRawConnection(path) { connection in try connection.scalar("PRAGMA page_size") }
        #expect(pageSize == 8192)
    }

    @Test func reopeningKeepsDataAndVersion() async throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("archive.sqlite")
        do {
            let store = try ArchiveStore(path: path)
            _ = try await store.apply(Fixtures.batch([Fixtures.message("1", text: "hello", created: 1)]))
        }
        let reopened = try ArchiveStore(path: path, readOnly: true)
        #expect(try await reopened.stats().messages == 1)
        #expect(await reopened.schemaVersion == ArchiveStore.supportedSchemaVersion)
        let report = try await reopened.verify()
        #expect(report.isIntact && report.revisionsChecked == 1 && report.skippedChecks.count == 2)
        await #expect(throws: ArchiveStoreError.self) {
            try await reopened.apply(Fixtures.batch([Fixtures.message("2", text: "x", created: 2)]))
        }
    }

    @Test func twoStoresOnOneFileWaitForEachOther() async throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("archive.sqlite")
        let writers = try [ArchiveStore(path: path), ArchiveStore(path: path)]
        try await withThrowingTaskGroup(of: Void.self) { group in
            for (index, store) in writers.enumerated() {
                group.addTask {
                    for round in 0..<20 {
                        let id = "\(index)-\(round)"
                        _ = try await store.apply(Fixtures.batch([Fixtures.message(id, text: id, created: round)]))
                    }
                }
            }
            try await group.waitForAll()
        }
        #expect(try await writers[0].stats().messages == 40)
        #expect(try await writers[1].verify().isIntact)
    }

    /// An archive written by version 1 (the first release) is migrated in place when opened read-write:
    /// data and chains intact, the indexes of migrations 2 and 4 gone, migration 3's search facets and sender names built
    /// from the existing rows; read-only opening asks for the migration first.
    @Test func versionOneArchiveIsMigratedAndKeepsItsData() async throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("v1.sqlite")
        do {
            let store = try ArchiveStore(path: path)
            _ = try await store.apply(
                Fixtures.batch(
                    [Fixtures.message("1", thread: "19:one", text: "before the upgrade", created: 1)],
                    thread: "19:one"
                )
            )
            _ = try await store.apply(
                Fixtures.batch(
                    [Fixtures.message("2", thread: "19:two", text: "also before", sender: Fixtures.bob, created: 2)],
                    thread: "19:two"
                )
            )
        }
        try withRawConnection(path) { connection in try connection.execute(Self.downgradeToVersionOne) }
        #expect(throws: ArchiveStoreError.self) { try ArchiveStore(path: path, readOnly: true) }

        let upgraded = try ArchiveStore(path: path)
        #expect(await upgraded.schemaVersion == ArchiveStore.supportedSchemaVersion)
        _ = try await upgraded.apply(
            Fixtures.batch(
                [Fixtures.message("3", thread: "19:one", text: "after the upgrade", created: 3)],
                thread: "19:one"
            )
        )
        #expect(try await upgraded.stats().messages == 3)
        #expect(try await upgraded.verify().isIntact)
        let hits = { (query: String) in
            try await upgraded.search(SearchQuery(parsing: query)).map(\.messageID).sorted()
        }
        #expect(try await hits("upgrade") == ["1", "3"])
        #expect(try await hits("thread:19:one upgrade") == ["1", "3"])
        #expect(try await hits("thread:19:two before") == ["2"])
        #expect(try await hits("from:bob before") == ["2"])
        let (indexLeft, senderNames) = try withRawConnection(path) { connection in
            let index = try connection.withStatement(
                """
                SELECT 1 FROM sqlite_master WHERE type = 'index'
                    AND name IN ('messages_sender', 'revisions_chain', 'messages_thread_time')
                """
            ) { statement throws(ArchiveStoreError) in
                try statement.step()
            }
            let names = try connection.withStatement("SELECT count(*) FROM sender_names") {
                statement throws(ArchiveStoreError) in
                try statement.step() ? statement.int64(0) : -1
            }
            return (index, names)
        }
        #expect(!indexLeft)
        #expect(senderNames == 2)
    }

    /// Turns a current archive into what version 1 wrote: FTS5 tables without `facets`, no sender_names, and
    /// the indexes migrations 2 and 4 drop.
    static let downgradeToVersionOne = """
        DROP TRIGGER sender_names_never_deleted; DROP TABLE sender_names;
        DROP TABLE messages_fts; DROP TABLE revisions_fts; DROP VIEW messages_search; DROP VIEW revisions_search;
        CREATE VIEW messages_search AS
            SELECT m.id AS id, coalesce(r.search_text, r.text) AS text, coalesce(r.cjk, '') AS cjk
            FROM messages m JOIN revisions r ON r.message = m.id AND r.version = m.content_version;
        CREATE VIEW revisions_search AS
            SELECT r.id AS id, coalesce(r.search_text, r.text) AS text, coalesce(r.cjk, '') AS cjk
            FROM revisions r JOIN messages m ON m.id = r.message
            WHERE r.deleted_on IS NULL AND r.version IS NOT m.content_version;
        CREATE VIRTUAL TABLE messages_fts USING fts5(
            text, cjk, content = 'messages_search', content_rowid = 'id', tokenize = 'unicode61 remove_diacritics 2'
        );
        CREATE VIRTUAL TABLE revisions_fts USING fts5(
            text, cjk, content = 'revisions_search', content_rowid = 'id', tokenize = 'unicode61 remove_diacritics 2'
        );
        INSERT INTO messages_fts (messages_fts) VALUES ('rebuild');
        INSERT INTO revisions_fts (revisions_fts) VALUES ('rebuild');
        CREATE INDEX messages_sender ON messages(sender, created_on);
        CREATE INDEX revisions_chain ON revisions(thread, id);
        CREATE INDEX messages_thread_time ON messages(thread, created_on, sequence_id, message_id);
        PRAGMA user_version = 1;
        """

    @Test func newerSchemaIsRefusedWithAClearMessage() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("archive.sqlite")
        _ = try ArchiveStore(path: path)
        try withRawConnection(path) { connection in try connection.execute("PRAGMA user_version = 7") }
        let error = try #require(throws: ArchiveStoreError.self) { try ArchiveStore(path: path) }
        #expect(error.code == .newerSchema(found: 7, supported: ArchiveStore.supportedSchemaVersion))
        #expect(
            error.description
                == "archive schema version 7 is newer than this chat-archive supports "
                + "(\(ArchiveStore.supportedSchemaVersion)); upgrade chat-archive"
        )
    }

    @Test func nonSQLiteFileIsRefused() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("notes.txt")
        try Data(String(repeating: "not a database\n", count: 100).utf8).write(to: URL(fileURLWithPath: path))
        let error = try #require(throws: ArchiveStoreError.self) { try ArchiveStore(path: path) }
        #expect(error.code == .notAnArchive)
        #expect(error.description.contains("not a chat-archive file"))
    }

    @Test func foreignSQLiteDatabaseIsNotMigrated() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("other.sqlite")
        try withRawConnection(path) { connection in try connection.execute("CREATE TABLE t (x)") }
        let error = try #require(throws: ArchiveStoreError.self) { try ArchiveStore(path: path) }
        #expect(error.code == .notAnArchive)
    }

    @Test func readOnlyOpenOfMissingSchemaIsRefused() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("empty.sqlite")
        _ = FileManager.default.createFile(atPath: path, contents: Data())
        let error = try #require(throws: ArchiveStoreError.self) { try ArchiveStore(path: path, readOnly: true) }
        #expect(error.code == .needsMigration(found: 0, supported: ArchiveStore.supportedSchemaVersion))
    }
}
