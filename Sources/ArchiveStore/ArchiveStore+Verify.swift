import Foundation

extension ArchiveStore {
    /// Recomputes every thread's hash chain, checks the derived message state and both FTS5 indexes, and lists
    /// what is wrong (at most 1,000 problems). Open the store read-write for the full check: FTS5's own
    /// integrity-check needs it, and a read-only store lists it in `skippedChecks`.
    ///
    /// Detects rows edited, inserted, reordered or removed behind the store's back (triggers dropped, file
    /// edited), including removal of a thread's newest revisions, via the recorded chain head and length.
    /// The FTS checks are FTS5's `integrity-check` plus an exact comparison of the indexed row ids with the rows
    /// that should be indexed; the indexed text itself comes from the hashed revisions.
    public func verify() throws -> VerificationReport {
        var report = VerificationReport()
        var problems = ProblemList()
        let threads = try db.withStatement("SELECT id, thread_id, chain_head, chain_length FROM threads ORDER BY id") {
            statement throws(ArchiveStoreError) in
            var rows: [(row: Int64, id: String, head: [UInt8]?, length: Int64)] = []
            while try statement.step() {
                rows.append((statement.int64(0), statement.text(1), statement.blob(2), statement.int64(3)))
            }
            return rows
        }
        report.threadsChecked = threads.count

        // Thread by thread through its messages (no index orders revisions by thread: schema 4), each thread's
        // revisions in insertion order. Canonical bytes name the thread of the revision's own row, so a row
        // moved to another thread fails its hash; rows no walk reaches are counted below.
        for thread in threads {
            var walk = ThreadWalk(thread: thread.row, threadID: thread.id)
            try db.withStatement(
                """
                SELECT r.id, r.thread, t.thread_id, m.message_id, r.version, r.sequence_id, r.type, i.raw_id,
                    r.sender_display_name, r.created_on, r.edited_on, r.deleted_on, coalesce(r.content, r.text), r.sanitized_html, r.text,
                    r.topic, r.participants, r.initiator, r.metadata, r.attachments, r.observed_on, r.prev_hash, r.hash,
                    r.message, r.search_text, r.cjk, r.sender
                FROM messages m JOIN revisions r ON r.message = m.id LEFT JOIN threads t ON t.id = r.thread
                    LEFT JOIN identities i ON i.id = r.sender
                WHERE m.thread = ?
                ORDER BY r.id
                """
            ) { statement throws(ArchiveStoreError) in
                statement.bind(1, thread.row)
                while try statement.step() {
                    try check(statement, walk: &walk, problems: &problems, report: &report)
                }
            }
            if walk.length > 0 {
                if thread.head != walk.head || thread.length != Int64(walk.length) {
                    problems.add(
                        .headMismatch,
                        thread.id,
                        "recorded chain has \(thread.length) revisions, found \(walk.length)"
                    )
                }
                try checkMessages(of: walk, problems: &problems)
            } else if thread.length != 0 || thread.head != nil {
                problems.add(.headMismatch, thread.id, "the thread's revisions are missing")
            }
        }
        let unreached = try count("SELECT count(*) FROM revisions") - report.revisionsChecked
        if unreached > 0 {
            problems.add(.dangling, nil, "\(unreached) revision rows belong to no message of any thread")
        }

        for (index, source) in [("messages_fts", "messages_search"), ("revisions_fts", "revisions_search")] {
            // FTS5 runs its check as an INSERT, which a read-only connection refuses.
            if isReadOnly {
                report.skippedChecks.append("\(index) integrity-check (archive opened read-only)")
            } else {
                do {
                    try db.execute("INSERT INTO \(index) (\(index)) VALUES ('integrity-check')")
                } catch {
                    problems.add(.searchIndex, nil, "\(index) failed the FTS5 integrity check (\(error.message))")
                }
            }
            let missing = try count(
                "SELECT count(*) FROM (SELECT id FROM \(source) EXCEPT SELECT id FROM \(index)_docsize)"
            )
            let extra = try count(
                "SELECT count(*) FROM (SELECT id FROM \(index)_docsize EXCEPT SELECT id FROM \(source))"
            )
            if missing > 0 { problems.add(.searchIndex, nil, "\(index) lacks \(missing) rows that should be indexed") }
            if extra > 0 { problems.add(.searchIndex, nil, "\(index) holds \(extra) rows that should not be indexed") }
        }
        // `from:` finds identities by the names they sent under through sender_names (schema 3).
        let unlistedNames = try count(
            """
            SELECT count(*) FROM (SELECT sender, sender_display_name FROM revisions
                WHERE sender IS NOT NULL AND sender_display_name IS NOT NULL
                EXCEPT SELECT identity, name FROM sender_names)
            """
        )
        if unlistedNames > 0 {
            problems.add(.searchIndex, nil, "sender_names lacks \(unlistedNames) sender names the revisions hold")
        }
        report.problems = problems.items
        return report
    }

    /// Rebuilds both FTS5 indexes and sender_names from the revisions (the repair for `searchIndex` problems).
    /// The revisions and their hash chains are untouched; a store opened read-only throws.
    public func rebuildSearchIndexes() throws {
        try db.transaction { () throws(ArchiveStoreError) in
            try db.execute(
                """
                INSERT OR IGNORE INTO sender_names (identity, name) SELECT DISTINCT sender, sender_display_name
                FROM revisions WHERE sender IS NOT NULL AND sender_display_name IS NOT NULL
                """
            )
            try db.execute("INSERT INTO messages_fts (messages_fts) VALUES ('rebuild')")
            try db.execute("INSERT INTO revisions_fts (revisions_fts) VALUES ('rebuild')")
        }
    }

    /// Checks one revision row of the walk (columns: see `verify`) and advances the thread's chain.
    private func check(
        _ statement: borrowing Statement,
        walk: inout ThreadWalk,
        problems: inout ProblemList,
        report: inout VerificationReport
    ) throws(ArchiveStoreError) {
        let revisionID = statement.int64(0)
        let canonical = CanonicalRevision(
            threadID: statement.optionalText(2),
            messageID: statement.optionalText(3),
            version: statement.optionalText(4),
            sequenceID: statement.optionalInt64(5),
            type: statement.optionalText(6),
            senderID: statement.optionalText(7),
            senderDisplayName: statement.optionalText(8),
            createdOn: statement.optionalInt64(9),
            editedOn: statement.optionalInt64(10),
            deletedOn: statement.optionalInt64(11),
            content: statement.optionalText(12),
            sanitizedHTML: statement.optionalText(13),
            text: statement.optionalText(14),
            topic: statement.optionalText(15),
            participants: statement.optionalText(16),
            initiatorID: statement.optionalText(17),
            metadata: statement.optionalText(18),
            attachments: statement.optionalText(19),
            observedOn: statement.optionalInt64(20)
        )
        let storedPrevious = statement.blob(21)
        let storedHash = statement.blob(22) ?? []
        if (storedPrevious ?? CanonicalRevision.genesis) != (walk.head ?? CanonicalRevision.genesis) {
            problems.add(
                .brokenLink,
                walk.threadID,
                "revision row \(revisionID) does not follow its predecessor"
            )
        }
        // Chain from the stored hash so one changed row is reported once, not for every later row too.
        if canonical.hash(previous: storedPrevious) != storedHash {
            problems.add(
                .hashMismatch,
                walk.threadID,
                "revision row \(revisionID) (version \(canonical.version ?? "?")) was changed"
            )
        }
        walk.head = storedHash
        walk.length += 1
        report.revisionsChecked += 1

        let message = statement.int64(23)
        let text = canonical.text ?? ""
        let isDeleted = canonical.deletedOn != nil
        let expected = isDeleted ? (searchText: nil, cjk: nil) : SearchColumns.make(for: text)
        if expected.searchText != statement.optionalText(24) || expected.cjk != statement.optionalText(25) {
            problems.add(.searchIndex, walk.threadID, "revision row \(revisionID) has stale search columns")
        }
        walk.record(
            message: message,
            version: canonical.version ?? "",
            hasContent: !isDeleted,
            edited: canonical.editedOn != nil,
            deletedOn: canonical.deletedOn,
            createdOn: canonical.createdOn ?? 0,
            type: canonical.type ?? "",
            sender: statement.optionalInt64(26)
        )
    }

    private func count(_ sql: String) throws(ArchiveStoreError) -> Int {
        try db.withStatement(sql) { statement throws(ArchiveStoreError) in
            try statement.step() ? Int(statement.int64(0)) : 0
        }
    }

    /// Compares a walked thread's derived message rows with what its revisions imply.
    private func checkMessages(of walk: ThreadWalk, problems: inout ProblemList) throws(ArchiveStoreError) {
        let thread = walk.thread
        var seen = Set<Int64>()
        try db.withStatement(
            """
            SELECT id, message_id, latest_version, content_version, edited, deleted_on, revision_count, created_on,
                type, sender FROM messages WHERE thread = ?
            """
        ) { statement throws(ArchiveStoreError) in
            statement.bind(1, thread)
            while try statement.step() {
                let row = statement.int64(0)
                seen.insert(row)
                guard let expected = walk.messages[row] else {
                    problems.add(.derivedState, walk.threadID, "message \(statement.text(1)) has no revisions")
                    continue
                }
                let matches =
                    statement.text(2) == expected.latestVersion && statement.optionalText(3) == expected.contentVersion
                    && (statement.int64(4) != 0) == expected.edited && statement.optionalInt64(5) == expected.deletedOn
                    && statement.int64(6) == Int64(expected.count) && statement.int64(7) == expected.createdOn
                    && statement.text(8) == expected.type && statement.optionalInt64(9) == expected.sender
                if !matches {
                    problems.add(
                        .derivedState,
                        walk.threadID,
                        "message \(statement.text(1)) disagrees with its revisions"
                    )
                }
            }
        }
        for row in walk.messages.keys where !seen.contains(row) {
            problems.add(.dangling, walk.threadID, "revisions refer to a missing message row \(row)")
        }
    }
}

/// The state accumulated while walking one thread's revisions in chain order.
private struct ThreadWalk {
    struct Message {
        var latestVersion: String
        var contentVersion: String?
        var edited: Bool
        var deletedOn: Int64?
        var createdOn: Int64
        var type: String
        var sender: Int64?
        var count: Int
    }

    var thread: Int64
    var threadID: String
    var head: [UInt8]?
    var length = 0
    var messages: [Int64: Message] = [:]

    mutating func record(
        message: Int64,
        version: String,
        hasContent: Bool,
        edited: Bool,
        deletedOn: Int64?,
        createdOn: Int64,
        type: String,
        sender: Int64?
    ) {
        guard var state = messages[message] else {
            messages[message] = Message(
                latestVersion: version,
                contentVersion: hasContent ? version : nil,
                edited: edited,
                deletedOn: deletedOn,
                createdOn: createdOn,
                type: type,
                sender: sender,
                count: 1
            )
            return
        }
        if versionPrecedes(state.latestVersion, version) {
            state.latestVersion = version
            state.deletedOn = deletedOn
            state.createdOn = createdOn
            state.type = type
            state.sender = sender
        }
        if hasContent, state.contentVersion.map({ versionPrecedes($0, version) }) ?? true {
            state.contentVersion = version
        }
        state.edited = state.edited || edited
        state.count += 1
        messages[message] = state
    }
}

/// Problems found so far, capped so a badly damaged archive still yields a readable report.
private struct ProblemList {
    static let limit = 1000
    var items: [VerificationReport.Problem] = []
    var dropped = 0

    mutating func add(_ kind: VerificationReport.Problem.Kind, _ threadID: String?, _ detail: String) {
        if items.count < Self.limit {
            items.append(.init(kind: kind, threadID: threadID, detail: detail))
        } else {
            dropped += 1
        }
    }
}
