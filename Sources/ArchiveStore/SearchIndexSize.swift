/// What full-text search costs on disk, for benchmarks and `stats`-like reports.
public struct SearchIndexSize: Sendable, Hashable {
    /// Bytes of every page of the database file.
    public var totalBytes: Int64
    /// Bytes of the FTS5 tables' pages (`messages_fts*`, `revisions_fts*`); nil when SQLite lacks `dbstat`.
    public var indexBytes: Int64?
    /// Bytes of the derived `search_text` and `cjk` columns stored in revisions (payload only).
    public var derivedColumnBytes: Int64

    public init(totalBytes: Int64, indexBytes: Int64?, derivedColumnBytes: Int64) {
        self.totalBytes = totalBytes
        self.indexBytes = indexBytes
        self.derivedColumnBytes = derivedColumnBytes
    }
}
