import ArchiveModel
import Foundation
public import SearchQuery

extension ArchiveStore {
    /// The hits of `query`, one page as `options` asks; snippets come from each hit's original text.
    ///
    /// By default a hit is the current text of a message; the last content of deleted messages is searched
    /// only when the query asks for deleted messages (`is:deleted`) or with `allVersions`, which also
    /// searches every earlier revision (one hit per matching revision). Such hits have `isCurrent == false`.
    /// Every user value is bound as an SQL parameter. Throws `ArchiveStoreError` (never for the query's
    /// syntax: `SearchQuery(parsing:)` has already rejected bad queries with a `SearchQueryError`).
    public func search(_ query: SearchQuery, options: SearchOptions = SearchOptions()) throws -> [SearchHit] {
        let statement = try statementBuilder(query, options).pageStatement()
        let terms = query.highlightTerms
        let snippetLength = options.snippetLength
        do throws(ArchiveStoreError) {
            return try db.withStatement(statement.sql) { row throws(ArchiveStoreError) -> [SearchHit] in
                bind(statement.values, to: row)
                var hits: [SearchHit] = []
                while try row.step() {
                    let text = row.text(12)
                    hits.append(
                        SearchHit(
                            threadID: row.text(2),
                            messageID: row.text(3),
                            version: row.text(4),
                            type: MessageType(rawValue: row.text(5)),
                            senderID: row.optionalText(6),
                            senderDisplayName: row.optionalText(7),
                            createdOn: Date(archiveMillis: row.int64(8)),
                            editedOn: row.optionalInt64(9).map(Date.init(archiveMillis:)),
                            deletedOn: row.optionalInt64(10).map(Date.init(archiveMillis:)),
                            topic: row.optionalText(11),
                            text: text,
                            snippet: SearchText.snippet(
                                of: text,
                                highlighting: terms,
                                maxCharacters: snippetLength
                            ),
                            isCurrent: row.int64(1) != 0,
                            score: row.optionalDouble(0)
                        )
                    )
                }
                return hits
            }
        } catch {
            throw Self.searchFailure(error)
        }
    }

    /// How many hits `search` would find without a limit (`--count`); `limit`, `offset` and `sort` are ignored.
    public func searchCount(_ query: SearchQuery, options: SearchOptions = SearchOptions()) throws -> Int {
        let statement = try statementBuilder(query, options).countStatement()
        do throws(ArchiveStoreError) {
            return try db.withStatement(statement.sql) { row throws(ArchiveStoreError) -> Int in
                bind(statement.values, to: row)
                return try row.step() ? Int(row.int64(0)) : 0
            }
        } catch {
            throw Self.searchFailure(error)
        }
    }

    private func statementBuilder(
        _ query: SearchQuery,
        _ options: SearchOptions
    ) throws(ArchiveStoreError) -> SearchStatementBuilder {
        var builder = SearchStatementBuilder(query: query, options: options)
        if builder.plan.match != nil {
            do throws(ArchiveStoreError) {
                builder.narrowing = try facetNarrowing(for: builder.plan.filters)
            } catch {
                throw Self.searchFailure(error)
            }
        }
        return builder
    }

    /// FTS5 terms on the `facets` column (schema 3) for the top-level `thread:`, `topic:` and `from:` filters:
    /// the rows each filter can match, found first, so FTS5 intersects posting lists instead of the query
    /// joining every match of a common word to test it. Filters matching more than `facetLimit` threads or
    /// identities are left to the WHERE clause alone. Nil when no filter narrows.
    func facetNarrowing(for filters: [SearchFilter]) throws(ArchiveStoreError) -> String? {
        var parts: [String] = []
        for filter in filters {
            let terms: [String]
            switch filter {
            case .thread(let id):
                terms = try facetRows("SELECT id FROM threads WHERE thread_id = ?1 LIMIT 65", id)
                    .map(SearchSource.threadFacet)
            case .topic(let text):
                terms = try facetRows(
                    """
                    SELECT id FROM threads WHERE instr(lower(topic), lower(?1)) > 0
                    UNION SELECT thread FROM topic_history WHERE instr(lower(topic), lower(?1)) > 0 LIMIT 65
                    """,
                    text
                ).map(SearchSource.threadFacet)
            case .from(let who):
                // Every identity the WHERE clause could match (raw id, archived name, a name it sent under),
                // and `s0` for revisions without a sender identity, whose own name the clause also tests.
                terms =
                    try facetRows(
                        """
                        SELECT id FROM identities WHERE raw_id = ?1 OR instr(lower(display_name), lower(?1)) > 0
                        UNION SELECT identity FROM sender_names WHERE instr(lower(name), lower(?1)) > 0 LIMIT 65
                        """,
                        who
                    ).map(SearchSource.senderFacet) + [SearchSource.senderFacet(nil)]
            default:
                continue
            }
            guard terms.count <= Self.facetLimit else { continue }
            // Nothing matches the filter: a term no row has keeps that so.
            let alternatives = (terms.isEmpty ? [SearchSource.threadFacet(0)] : terms).map { "facets : \"\($0)\"" }
            parts.append("(" + alternatives.joined(separator: " OR ") + ")")
        }
        return parts.isEmpty ? nil : parts.joined(separator: " AND ")
    }

    /// Above this many threads or identities, a filter's facet terms would cost more than they save; the
    /// look-ups stop at `LIMIT 65`.
    static let facetLimit = 64

    private func facetRows(_ sql: String, _ value: String) throws(ArchiveStoreError) -> [Int64] {
        try db.withStatement(sql) { statement throws(ArchiveStoreError) in
            statement.bind(1, value)
            var rows: [Int64] = []
            while try statement.step() { rows.append(statement.int64(0)) }
            return rows
        }
    }

    /// The size of the FTS5 indexes and derived search columns next to the whole file (reads every page).
    public func searchIndexSize() throws -> SearchIndexSize {
        func scalar(_ sql: String) throws(ArchiveStoreError) -> Int64 {
            try db.withStatement(sql) { statement throws(ArchiveStoreError) in
                try statement.step() ? statement.int64(0) : 0
            }
        }
        let total = try scalar("SELECT page_count * page_size FROM pragma_page_count(), pragma_page_size()")
        let derived = try scalar(
            """
            SELECT coalesce(sum(coalesce(length(CAST(search_text AS BLOB)), 0)
                + coalesce(length(CAST(cjk AS BLOB)), 0)), 0) FROM revisions
            """
        )
        // dbstat is optional in SQLite builds; without it the index size is unknown rather than an error.
        let index: Int64?
        do throws(ArchiveStoreError) {
            index = try scalar(
                "SELECT coalesce(sum(pgsize), 0) FROM dbstat WHERE name LIKE 'messages\\_fts%' ESCAPE '\\'"
                    + " OR name LIKE 'revisions\\_fts%' ESCAPE '\\'"
            )
        } catch  where error.message.contains("no such table") {
            index = nil
        }
        return SearchIndexSize(totalBytes: total, indexBytes: index, derivedColumnBytes: derived)
    }

    private func bind(_ values: [SearchStatement.Value], to statement: borrowing Statement) {
        for (offset, value) in values.enumerated() {
            let index = Int32(offset + 1)
            switch value {
            case .text(let text): statement.bind(index, text)
            case .integer(let number): statement.bind(index, number)
            }
        }
    }

    private static func searchFailure(_ error: ArchiveStoreError) -> ArchiveStoreError {
        var failure = error
        failure.operation = failure.operation ?? "search"
        return failure
    }
}
