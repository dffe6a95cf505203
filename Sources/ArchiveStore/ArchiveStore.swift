import ArchiveModel
import ArchiveSchemas
internal import CSQLite
import Foundation

/// The SQLite archive: append-only message revisions, membership and receipt history, the sync audit trail,
/// per-thread hash chains and FTS5 indexes.
///
/// The actor owns its one connection (created and migrated in `init`), so every call is serialized; each
/// `apply` is one transaction. Schema and invariants: `Schemas/Migrations/` (0001_initial.sql, then each change).
public actor ArchiveStore {
    let db: SQLiteConnection
    let json = ArchiveJSON()
    let isReadOnly: Bool
    private let openedVersion: Int
    /// Raw id → identities.id and stored display name; cleared when a transaction rolls back.
    var identityRows: [String: (row: Int64, name: String?)] = [:]
    /// (identities.id, name) pairs known to be in sender_names; cleared when a transaction rolls back.
    var senderNames: Set<SenderName> = []

    /// Opens (creating and migrating when needed) the archive at `path`; `":memory:"` gives a private one.
    ///
    /// A new file is created with mode 0600 before SQLite opens it. Throws `ArchiveStoreError` with code
    /// `.newerSchema` for archives from a newer chat-archive, `.notAnArchive` for other files, and
    /// `.needsMigration` when `readOnly` meets an older schema.
    public init(path: String, readOnly: Bool = false) throws {
        let isFile = path != ":memory:" && !path.isEmpty && !path.hasPrefix("file:")
        if isFile && !readOnly {
            let descriptor = open(path, O_CREAT | O_RDWR | O_CLOEXEC, 0o600)
            guard descriptor >= 0 else {
                throw ArchiveStoreError(
                    code: .cannotOpen,
                    message: "cannot create the archive file (errno \(errno))",
                    operation: "open"
                )
            }
            close(descriptor)
        }
        let connection = try SQLiteConnection(path: path, readOnly: readOnly)
        try Self.configure(connection, isFile: isFile, readOnly: readOnly)
        try Self.migrate(connection, readOnly: readOnly)
        openedVersion = try Self.userVersion(connection)
        db = connection
        isReadOnly = readOnly
    }

    /// The newest schema version this build creates and reads.
    public static var supportedSchemaVersion: Int { ArchiveMigrations.latestVersion }

    /// The schema version recorded in the file (`PRAGMA user_version`) when it was opened and migrated.
    public var schemaVersion: Int { openedVersion }

    private static func configure(_ db: SQLiteConnection, isFile: Bool, readOnly: Bool) throws(ArchiveStoreError) {
        // The first statement that reads the file is where SQLite notices it is not a database.
        try db.execute("PRAGMA busy_timeout = 5000")
        _ = try userVersion(db)
        try db.execute("PRAGMA foreign_keys = ON")
        if isFile && !readOnly {
            // 8 KiB pages for new archives (an existing file keeps its size): a 1M-message sync writes half as
            // many WAL frames and ran 13% faster than with 4 KiB (38 s vs 43 s, interleaved runs); search is as fast.
            // Only an empty file takes it, and only before WAL mode is set.
            try db.execute("PRAGMA page_size = 8192")
            try db.execute("PRAGMA journal_mode = WAL")
            try db.execute("PRAGMA synchronous = NORMAL")
            // The default 2 MiB cache re-reads index pages from the OS on every bulk write; 64 MiB keeps an
            // archive's hot B-tree pages (indexes, FTS5 segments) in memory.
            try db.execute("PRAGMA cache_size = -65536")
            // Checkpoint every 16,384 WAL pages (128 MiB) rather than every 1,000: pages a bulk sync rewrites
            // often (index interiors, FTS5 segments) are copied into the database once per checkpoint.
            try db.execute("PRAGMA wal_autocheckpoint = 16384")
        }
    }

    static func userVersion(_ db: SQLiteConnection) throws(ArchiveStoreError) -> Int {
        try db.withStatement("PRAGMA user_version") { statement throws(ArchiveStoreError) in
            try statement.step() ? Int(statement.int64(0)) : 0
        }
    }

    private static func migrate(_ db: SQLiteConnection, readOnly: Bool) throws(ArchiveStoreError) {
        let found = try userVersion(db)
        let supported = ArchiveMigrations.latestVersion
        if found > supported {
            throw ArchiveStoreError(code: .newerSchema(found: found, supported: supported), message: "")
        }
        if found == 0 {
            // Version 0 is either a brand-new file or some other SQLite database: never migrate the latter.
            let tables = try db.withStatement("SELECT count(*) FROM sqlite_schema") {
                statement throws(ArchiveStoreError) in
                try statement.step() ? statement.int64(0) : 0
            }
            if tables > 0 {
                throw ArchiveStoreError(code: .notAnArchive, message: "the database has no chat-archive schema")
            }
        }
        guard found < supported else { return }
        if readOnly { throw ArchiveStoreError(code: .needsMigration(found: found, supported: supported), message: "") }
        for migration in ArchiveMigrations.all where migration.version > found {
            do throws(ArchiveStoreError) {
                try db.transaction { () throws(ArchiveStoreError) in
                    try db.execute(migration.sql)
                    try db.execute("PRAGMA user_version = \(migration.version)")
                }
            } catch {
                var failure = error
                failure.operation = "migrate to \(migration.version)"
                throw failure
            }
        }
    }
}
