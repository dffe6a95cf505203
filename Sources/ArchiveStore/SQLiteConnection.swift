internal import CSQLite

/// `SQLITE_TRANSIENT` is a macro Swift cannot import: SQLite copies the bound bytes before the call returns.
let sqliteTransient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

/// An open SQLite connection. Not thread-safe: owned by exactly one actor (`ArchiveStore`).
///
/// Statements are prepared once with `SQLITE_PREPARE_PERSISTENT`, cached by SQL text and finalized in `deinit`.
final class SQLiteConnection {
    private let handle: OpaquePointer
    private var cache: [String: OpaquePointer] = [:]
    /// The same statements keyed by where their SQL text lives: hashing a pointer instead of several hundred
    /// bytes of SQL matters on the bulk-insert path. Entries are checked against the text, so a reused address
    /// falls back to `cache`. Literal SQL keeps its address; SQL built at run time gets a new one each time,
    /// so the table is capped rather than left to grow with every call.
    private(set) var cacheByAddress: [UnsafeRawPointer: (sql: String, statement: OpaquePointer)] = [:]
    private static let addressCacheLimit = 128

    /// Process-wide settings that must precede SQLite's initialization; a global's initializer runs once.
    private static let configured: Void = { _ = csqlite_disable_memory_statistics() }()

    init(path: String, readOnly: Bool) throws(ArchiveStoreError) {
        Self.configured
        var db: OpaquePointer?
        let flags =
            (readOnly ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE) | SQLITE_OPEN_NOMUTEX
            | SQLITE_OPEN_EXRESCODE
        let code = sqlite3_open_v2(path, &db, flags, nil)
        guard code == SQLITE_OK, let db else {
            let message = db.map { String(cString: sqlite3_errmsg($0)) } ?? "out of memory"
            sqlite3_close_v2(db)  // a failed open still allocates a handle
            throw ArchiveStoreError(code: .cannotOpen, message: message, operation: "open")
        }
        handle = db
        sqlite3_extended_result_codes(db, 1)
        // The search's ranking function (see shim.h); without FTS5 the archive could not work at all.
        let registered = csqlite_register_rank(db)
        guard registered == SQLITE_OK else {
            throw ArchiveStoreError(code: .cannotOpen, message: "this SQLite has no FTS5", operation: "open")
        }
    }

    deinit {
        for statement in cache.values { sqlite3_finalize(statement) }
        sqlite3_close_v2(handle)
    }

    /// Runs one or more statements without parameters (migrations, pragmas, transaction control).
    func execute(_ sql: String) throws(ArchiveStoreError) {
        let code = sqlite3_exec(handle, sql, nil, nil, nil)
        guard code == SQLITE_OK else { throw error(code, sql: sql.count > 200 ? nil : sql) }
    }

    /// Runs `body` with a cached statement, reset and unbound again when `body` returns.
    func withStatement<T>(
        _ sql: String,
        _ body: (borrowing Statement) throws(ArchiveStoreError) -> T
    ) throws(ArchiveStoreError) -> T {
        let raw = try cachedStatement(sql)
        defer {
            sqlite3_reset(raw)
            sqlite3_clear_bindings(raw)
        }
        return try body(Statement(raw: raw, connection: self))
    }

    /// Runs `body` in a `BEGIN IMMEDIATE` transaction: committed when it returns, rolled back when it throws.
    func transaction<T>(_ body: () throws(ArchiveStoreError) -> T) throws(ArchiveStoreError) -> T {
        try execute("BEGIN IMMEDIATE")
        do {
            let result = try body()
            try execute("COMMIT")
            return result
        } catch {
            if sqlite3_get_autocommit(handle) == 0 { _ = sqlite3_exec(handle, "ROLLBACK", nil, nil, nil) }
            throw error
        }
    }

    /// Rows changed by the last INSERT, UPDATE or DELETE.
    var changes: Int { Int(sqlite3_changes(handle)) }
    var lastInsertRowID: Int64 { sqlite3_last_insert_rowid(handle) }

    func error(_ code: Int32, sql: String?) -> ArchiveStoreError {
        let message = String(cString: sqlite3_errmsg(handle))
        let primary = code & 0xFF
        if primary == SQLITE_NOTADB {
            return ArchiveStoreError(code: .notAnArchive, message: message, sql: sql)
        }
        return ArchiveStoreError(code: .sqlite(code), message: message, sql: sql)
    }

    private func cachedStatement(_ sql: String) throws(ArchiveStoreError) -> OpaquePointer {
        let address = sql.utf8.withContiguousStorageIfAvailable { $0.baseAddress.map(UnsafeRawPointer.init) } ?? nil
        if let address, let entry = cacheByAddress[address], entry.sql == sql { return entry.statement }
        let statement = try preparedStatement(sql)
        if let address, cacheByAddress.count < Self.addressCacheLimit { cacheByAddress[address] = (sql, statement) }
        return statement
    }

    private func preparedStatement(_ sql: String) throws(ArchiveStoreError) -> OpaquePointer {
        if let cached = cache[sql] { return cached }
        var statement: OpaquePointer?
        let code = sqlite3_prepare_v3(handle, sql, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &statement, nil)
        guard code == SQLITE_OK, let statement else { throw error(code, sql: sql) }
        cache[sql] = statement
        return statement
    }
}

@available(*, unavailable)
extension SQLiteConnection: Sendable {}

/// A borrowed view of a prepared statement; it cannot outlive `withStatement`.
///
/// Parameters and columns are 1-based and 0-based respectively, as in the C API.
struct Statement: ~Copyable {
    fileprivate let raw: OpaquePointer
    fileprivate unowned let connection: SQLiteConnection

    /// The statement's SQL, recovered from SQLite for error context.
    private var sql: String { String(cString: sqlite3_sql(raw)) }

    func bind(_ index: Int32, _ value: Int64?) {
        if let value { sqlite3_bind_int64(raw, index, value) } else { sqlite3_bind_null(raw, index) }
    }

    func bind(_ index: Int32, _ value: Int?) { bind(index, value.map(Int64.init)) }

    func bind(_ index: Int32, _ value: Double?) {
        if let value { sqlite3_bind_double(raw, index, value) } else { sqlite3_bind_null(raw, index) }
    }

    func bind(_ index: Int32, _ value: Bool) { sqlite3_bind_int64(raw, index, value ? 1 : 0) }

    func bind(_ index: Int32, _ value: String?) {
        guard let value else {
            sqlite3_bind_null(raw, index)
            return
        }
        var copy = value
        copy.withUTF8 { bytes in
            _ = sqlite3_bind_text(raw, index, bytes.baseAddress, Int32(bytes.count), sqliteTransient)
        }
    }

    func bind(_ index: Int32, _ value: [UInt8]?) {
        guard let value else {
            sqlite3_bind_null(raw, index)
            return
        }
        value.withUnsafeBytes { bytes in
            _ = sqlite3_bind_blob(raw, index, bytes.baseAddress, Int32(bytes.count), sqliteTransient)
        }
    }

    /// Steps once: `true` when a row is available, `false` when done.
    func step() throws(ArchiveStoreError) -> Bool {
        switch sqlite3_step(raw) {
        case SQLITE_ROW: return true
        case SQLITE_DONE: return false
        case let code: throw connection.error(code, sql: sql)
        }
    }

    /// Steps to completion, ignoring rows.
    func run() throws(ArchiveStoreError) {
        while try step() {}
    }

    func isNull(_ column: Int32) -> Bool { sqlite3_column_type(raw, column) == SQLITE_NULL }

    func int64(_ column: Int32) -> Int64 { sqlite3_column_int64(raw, column) }

    func optionalInt64(_ column: Int32) -> Int64? { isNull(column) ? nil : int64(column) }

    func double(_ column: Int32) -> Double { sqlite3_column_double(raw, column) }

    func optionalDouble(_ column: Int32) -> Double? { isNull(column) ? nil : double(column) }

    func text(_ column: Int32) -> String {
        guard let pointer = sqlite3_column_text(raw, column) else { return "" }
        let count = Int(sqlite3_column_bytes(raw, column))
        return String(decoding: UnsafeBufferPointer(start: pointer, count: count), as: UTF8.self)
    }

    func optionalText(_ column: Int32) -> String? { isNull(column) ? nil : text(column) }

    func blob(_ column: Int32) -> [UInt8]? {
        guard let pointer = sqlite3_column_blob(raw, column) else { return isNull(column) ? nil : [] }
        let count = Int(sqlite3_column_bytes(raw, column))
        return Array(UnsafeRawBufferPointer(start: pointer, count: count))
    }
}
