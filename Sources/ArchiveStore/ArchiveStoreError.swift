/// A failure opening, migrating, reading or writing an archive.
///
/// `description` names the operation, the SQLite result and the SQL text (placeholders only): never bound
/// values, message text or file contents.
public struct ArchiveStoreError: Error, Sendable {
    public enum Code: Sendable, Hashable {
        /// The file could not be created or opened.
        case cannotOpen
        /// The file exists but is not an SQLite database (or is encrypted/corrupt).
        case notAnArchive
        /// The archive was written by a newer chat-archive.
        case newerSchema(found: Int, supported: Int)
        /// A read-only open of an archive that still needs migrating (or has no schema at all).
        case needsMigration(found: Int, supported: Int)
        /// A batch mixed threads or carried an empty id.
        case invalidBatch
        /// A stored row could not be decoded (e.g. malformed JSON in a column).
        case corruptRow
        /// An unknown sync run id.
        case notFound
        /// Any other SQLite failure, with its extended result code.
        case sqlite(Int32)
    }

    public var code: Code
    public var message: String
    /// What the store was doing, e.g. "apply", "migrate to 2".
    public var operation: String?
    /// The statement's SQL with its `?` placeholders (never the bound values).
    public var sql: String?
    public var underlying: (any Error & Sendable)?

    public init(
        code: Code,
        message: String,
        operation: String? = nil,
        sql: String? = nil,
        underlying: (any Error & Sendable)? = nil
    ) {
        self.code = code
        self.message = message
        self.operation = operation
        self.sql = sql
        self.underlying = underlying
    }
}

extension ArchiveStoreError: CustomStringConvertible {
    public var description: String {
        switch code {
        case .newerSchema(let found, let supported):
            return "archive schema version \(found) is newer than this chat-archive supports (\(supported)); "
                + "upgrade chat-archive"
        case .needsMigration(let found, let supported):
            return "archive schema version \(found) needs migrating to \(supported); open it read-write once"
        case .notAnArchive:
            return "not a chat-archive file (not an SQLite database): \(message)"
        default:
            var text = operation.map { "\($0): " } ?? ""
            text += message
            if case .sqlite(let result) = code { text += " (SQLite \(result))" }
            if let sql { text += " in `\(sql)`" }
            return text
        }
    }
}
