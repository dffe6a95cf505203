import ArchiveModel
import Foundation
import Testing

@testable import ArchiveStore

@Suite struct MigrationTests {
    @Test func newArchiveIsMigratedToTheLatestVersion() async throws {
        let store = try ArchiveStore(path: ":memory:")
        #expect(await store.schemaVersion == ArchiveStore.supportedSchemaVersion)
        #expect(try await store.stats().schemaVersion == ArchiveStore.supportedSchemaVersion)
    }

    @Test func fileIsCreatedOwnerOnlyInWALMode() async throws {
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
    /// data and chains intact, the dropped index gone; read-only opening asks for that first.
    @Test func versionOneArchiveIsMigratedAndKeepsItsData() async throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("v1.sqlite")
        do {
            let store = try ArchiveStore(path: path)
            _ = try await store.apply(Fixtures.batch([Fixtures.message("1", text: "before the upgrade", created: 1)]))
        }
        // Version 1 is today's schema plus the index migration 2 drops.
        try withRawConnection(path) { connection in
            try connection.execute(
                "CREATE INDEX messages_sender ON messages(sender, created_on); PRAGMA user_version = 1"
            )
        }
        #expect(throws: ArchiveStoreError.self) { try ArchiveStore(path: path, readOnly: true) }

        let upgraded = try ArchiveStore(path: path)
        #expect(await upgraded.schemaVersion == ArchiveStore.supportedSchemaVersion)
        _ = try await upgraded.apply(Fixtures.batch([Fixtures.message("2", text: "after the upgrade", created: 2)]))
        #expect(try await upgraded.stats().messages == 2)
        #expect(try await upgraded.verify().isIntact)
        let indexLeft = try withRawConnection(path) { connection in
            try connection.withStatement("SELECT 1 FROM sqlite_master WHERE type = 'index' AND name = ?") {
                statement throws(ArchiveStoreError) in
                statement.bind(1, "messages_sender")
                return try statement.step()
            }
        }
        #expect(!indexLeft)
    }

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
