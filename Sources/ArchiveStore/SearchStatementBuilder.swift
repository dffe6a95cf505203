import Foundation
import SearchQuery

/// The two FTS5 indexes: which one a part of the search reads (aliases are `m` for messages and `r` for the
/// matched revision), and the statements `apply` maintains them with.
enum SearchSource {
    /// The current text of every message (`messages_fts`, rowid = messages.id).
    case current
    /// Earlier revisions with content (`revisions_fts`, rowid = revisions.id), for `--all-versions`.
    case history

    var table: String {
        switch self {
        case .current: "messages_fts"
        case .history: "revisions_fts"
        }
    }

    var rowID: String {
        switch self {
        case .current: "m.id"
        case .history: "r.id"
        }
    }

    /// Literals rather than built from `table`: the statement cache keys literal SQL by its address.
    var insertSQL: String {
        switch self {
        case .current: "INSERT INTO messages_fts (rowid, text, cjk, facets) VALUES (?, ?, ?, ?)"
        case .history: "INSERT INTO revisions_fts (rowid, text, cjk, facets) VALUES (?, ?, ?, ?)"
        }
    }

    /// FTS5's external-content delete: the 'delete' command with the indexed values.
    var deleteSQL: String {
        switch self {
        case .current:
            "INSERT INTO messages_fts (messages_fts, rowid, text, cjk, facets) VALUES ('delete', ?, ?, ?, ?)"
        case .history:
            "INSERT INTO revisions_fts (revisions_fts, rowid, text, cjk, facets) VALUES ('delete', ?, ?, ?, ?)"
        }
    }

    /// bm25 with document frequencies sampled (`archive_bm25`, see CSQLite's shim.h: FTS5's own bm25 counts
    /// every match of each phrase first) and the `facets` column weighed 0, so filters never change a score.
    var score: String {
        switch self {
        case .current: "-archive_bm25(messages_fts, (SELECT max(id) FROM messages), 1.0, 1.0, 0.0)"
        case .history: "-archive_bm25(revisions_fts, (SELECT max(id) FROM revisions), 1.0, 1.0, 0.0)"
        }
    }

    /// The `facets` column of a row (schema 3): the same terms as the content views compute.
    static func facets(thread: Int64, sender: Int64?) -> String {
        threadFacet(thread) + " " + senderFacet(sender)
    }

    /// A thread's facet term; no thread has row 0, so `threadFacet(0)` matches nothing.
    static func threadFacet(_ thread: Int64) -> String { "t\(thread)" }

    /// A sender's facet term; `s0` for revisions without a sender identity.
    static func senderFacet(_ sender: Int64?) -> String { "s\(sender ?? 0)" }

    /// The user's terms go to these columns only, so they can never match a facet term.
    static let columns = FTSColumns(text: "text", cjk: "cjk")
}

/// Builds the SQL of `ArchiveStore.search` from a `SearchPlan`.
struct SearchStatementBuilder {
    let plan: SearchPlan
    let options: SearchOptions
    /// Deleted messages' last content is only searched when asked for (`is:deleted`, `--all-versions`).
    let includesDeleted: Bool

    /// Facet terms ANDed into the MATCH (see ``ArchiveStore/facetNarrowing(for:)``); the filters stay in the
    /// WHERE clause too, so this only narrows what FTS5 walks.
    var narrowing: String?

    init(query: SearchQuery, options: SearchOptions) {
        plan = query.plan(columns: SearchSource.columns)
        self.options = options
        includesDeleted =
            options.allVersions || query.filters.contains(.isDeleted)
            || (plan.residual.map(Self.asksForDeleted) ?? false)
    }

    var effectiveSort: SearchOptions.Sort {
        plan.match == nil && options.sort == .relevance ? .newest : options.sort
    }

    private var sources: [SearchSource] { options.allVersions ? [.current, .history] : [.current] }

    /// `SELECT count(*)` over every hit.
    func countStatement() -> SearchStatement {
        var statement = SearchStatement()
        statement.append("SELECT count(*) FROM (")
        for (index, source) in sources.enumerated() {
            if index > 0 { statement.append(" UNION ALL ") }
            statement.append(candidates(source, ranked: false))
        }
        statement.append(")")
        return statement
    }

    /// One page of hits with everything a `SearchHit` needs (columns: see `ArchiveStore.readHit`).
    func pageStatement() -> SearchStatement {
        let ranked = effectiveSort == .relevance
        var statement = SearchStatement()
        statement.append(
            """
            SELECT h.score, h.is_current, t.thread_id, m.message_id, r.version, r.type, i.raw_id,
                coalesce(r.sender_display_name, i.display_name), m.created_on, r.edited_on, m.deleted_on,
                coalesce(nullif(t.topic, ''), (SELECT topic FROM topic_history WHERE thread = t.id
                    ORDER BY coalesce(changed_on, observed_on) DESC, id DESC LIMIT 1)),
                r.text
            FROM (
            """
        )
        let limit = Int64(min(max(options.limit, 0), SearchOptions.maximumLimit))
        let offset = Int64(max(options.offset, 0))
        for (index, source) in sources.enumerated() {
            if index > 0 { statement.append(" UNION ALL ") }
            if ranked, let window = options.rankingWindow {
                // The newest matches (FTS5 walks rowids backwards and stops), then bm25 only for those.
                statement.append("SELECT * FROM (")
                statement.append(candidates(source, ranked: true))
                statement.append(
                    " ORDER BY \(source.table).rowid DESC LIMIT ?)",
                    .integer(max(Int64(max(window, 0)), limit + offset))
                )
            } else {
                statement.append(candidates(source, ranked: ranked))
            }
        }
        statement.append(
            " ORDER BY \(order()) LIMIT ? OFFSET ?) h",
            .integer(limit),
            .integer(offset)
        )
        statement.append(
            """
             JOIN messages m ON m.id = h.message JOIN revisions r ON r.id = h.revision
            JOIN threads t ON t.id = m.thread LEFT JOIN identities i ON i.id = r.sender
            ORDER BY \(order("h."))
            """
        )
        return statement
    }

    /// The plan's MATCH expression ANDed with the facet terms.
    private var narrowedMatch: String? {
        guard let match = plan.match else { return nil }
        guard let narrowing else { return match }
        return "(" + match + ") AND " + narrowing
    }

    /// The ORDER BY over the candidate columns; `table` qualifies them outside the candidate subquery.
    private func order(_ table: String = "") -> String {
        let keys =
            switch effectiveSort {
            case .relevance: ["score DESC", "created_on DESC", "message DESC", "revision DESC"]
            case .newest: ["created_on DESC", "message DESC", "revision DESC"]
            case .oldest: ["created_on", "message", "revision"]
            }
        return keys.map { table + $0 }.joined(separator: ", ")
    }

    /// Candidate rows of one source: message, revision, created_on, score, is_current.
    private func candidates(_ source: SearchSource, ranked: Bool) -> SearchStatement {
        var statement = SearchStatement()
        let score = ranked ? source.score : "NULL"
        switch (source, narrowedMatch) {
        case (.current, let match?):
            statement.append(
                """
                SELECT m.id AS message, r.id AS revision, m.created_on AS created_on, \(score) AS score,
                    (m.deleted_on IS NULL) AS is_current
                FROM messages_fts JOIN messages m ON m.id = messages_fts.rowid
                JOIN revisions r ON r.message = m.id AND r.version = m.content_version
                WHERE messages_fts MATCH ?
                """,
                .text(match)
            )
        case (.current, nil):
            statement.append(
                """
                SELECT m.id AS message, r.id AS revision, m.created_on AS created_on, NULL AS score,
                    (m.deleted_on IS NULL) AS is_current
                FROM messages m
                JOIN revisions r ON r.message = m.id AND r.version = coalesce(m.content_version, m.latest_version)
                WHERE 1
                """
            )
        case (.history, let match?):
            statement.append(
                """
                SELECT m.id AS message, r.id AS revision, m.created_on AS created_on, \(score) AS score,
                    0 AS is_current
                FROM revisions_fts JOIN revisions r ON r.id = revisions_fts.rowid JOIN messages m ON m.id = r.message
                WHERE revisions_fts MATCH ?
                """,
                .text(match)
            )
        case (.history, nil):
            statement.append(
                """
                SELECT m.id AS message, r.id AS revision, m.created_on AS created_on, NULL AS score,
                    0 AS is_current
                FROM revisions r JOIN messages m ON m.id = r.message
                WHERE r.deleted_on IS NULL AND r.version IS NOT coalesce(m.content_version, m.latest_version)
                """
            )
        }
        if source == .current && !includesDeleted {
            statement.append(" AND m.deleted_on IS NULL")
        }
        for filter in plan.filters {
            statement.append(" AND ")
            statement.append(Self.condition(for: filter))
        }
        if let residual = plan.residual {
            statement.append(" AND ")
            statement.append(Self.condition(for: residual, source: source))
        }
        return statement
    }

    /// A residual condition: boolean structure kept, text parts as `rowid IN (… MATCH ?)` sub-selects.
    static func condition(for condition: SearchCondition, source: SearchSource) -> SearchStatement {
        var statement = SearchStatement()
        switch condition {
        case .match(let match):
            statement.append(
                "\(source.rowID) IN (SELECT rowid FROM \(source.table) WHERE \(source.table) MATCH ?)",
                .text(match)
            )
        case .filter(let filter):
            statement.append(Self.condition(for: filter))
        case .and(let children), .or(let children):
            guard !children.isEmpty else {
                // An empty AND is true and an empty OR is false, as in logic.
                if case .and = condition { statement.append("1") } else { statement.append("0") }
                return statement
            }
            let joiner = if case .and = condition { " AND " } else { " OR " }
            statement.append("(")
            for (index, child) in children.enumerated() {
                if index > 0 { statement.append(joiner) }
                statement.append(Self.condition(for: child, source: source))
            }
            statement.append(")")
        case .not(let child):
            // Conditions below are never NULL (see `condition(for:)`), so NOT is plain negation.
            statement.append("NOT (")
            statement.append(Self.condition(for: child, source: source))
            statement.append(")")
        }
        return statement
    }

    /// One filter as a condition over `m` and `r` that is never NULL, so NOT behaves as set complement.
    static func condition(for filter: SearchFilter) -> SearchStatement {
        var statement = SearchStatement()
        switch filter {
        case .from(let who):
            // Raw id exactly, or a case-insensitive (ASCII) substring of the archived or the revision's name.
            statement.append(
                """
                ((r.sender IS NOT NULL AND r.sender IN (SELECT id FROM identities
                    WHERE raw_id = ? OR instr(lower(display_name), lower(?)) > 0))
                    OR coalesce(instr(lower(r.sender_display_name), lower(?)), 0) > 0)
                """,
                .text(who),
                .text(who),
                .text(who)
            )
        case .thread(let id):
            statement.append("m.thread IN (SELECT id FROM threads WHERE thread_id = ?)", .text(id))
        case .topic(let text):
            // The current topic or any topic the thread ever had.
            statement.append(
                """
                m.thread IN (SELECT id FROM threads WHERE instr(lower(topic), lower(?)) > 0
                    UNION SELECT thread FROM topic_history WHERE instr(lower(topic), lower(?)) > 0)
                """,
                .text(text),
                .text(text)
            )
        case .created(let range):
            var parts: [String] = []
            var values: [SearchStatement.Value] = []
            if let start = range.start {
                parts.append(range.startIsInclusive ? "m.created_on >= ?" : "m.created_on > ?")
                values.append(.integer(start.archiveMillis))
            }
            if let end = range.end {
                parts.append("m.created_on < ?")
                values.append(.integer(end.archiveMillis))
            }
            statement.sql = parts.isEmpty ? "1" : "(" + parts.joined(separator: " AND ") + ")"
            statement.values = values
        case .type(let kind):
            switch kind {
            case .text: statement.append("m.type = 'text'")
            case .html: statement.append("m.type = 'html'")
            case .system: statement.append("m.type NOT IN ('text', 'html')")
            }
        case .isEdited:
            statement.append("m.edited <> 0")
        case .isDeleted:
            statement.append("m.deleted_on IS NOT NULL")
        case .hasLink:
            // Sanitized HTML keeps only safe <a href>; plain text links are found by their scheme.
            statement.append(
                """
                (coalesce(instr(r.sanitized_html, '<a '), 0) > 0 OR instr(lower(r.text), 'http://') > 0
                    OR instr(lower(r.text), 'https://') > 0)
                """
            )
        case .hasImage:
            statement.append(
                """
                (coalesce(instr(r.sanitized_html, '<img'), 0) > 0
                    OR coalesce(instr(r.attachments, '"type":"image"'), 0) > 0)
                """
            )
        case .hasMention:
            statement.append("coalesce(instr(r.sanitized_html, 'class=\"mention\"'), 0) > 0")
        }
        return statement
    }

    /// Whether `condition` asks for deleted messages somewhere other than under NOT.
    private static func asksForDeleted(_ condition: SearchCondition) -> Bool {
        switch condition {
        case .filter(let filter): filter == .isDeleted
        case .match, .not: false
        case .and(let children), .or(let children): children.contains(where: asksForDeleted)
        }
    }
}
