public import Foundation

extension ArchiveStore {
    /// Records the start of a sync run (the audit trail) and returns its id.
    ///
    /// `identities` are raw ids only: never pass tokens or connection strings.
    public func beginSyncRun(identities: [String], full: Bool, startedOn: Date) throws -> Int64 {
        let list = try json.strings(identities)
        return try db.withStatement("INSERT INTO sync_runs (started_on, identities, full) VALUES (?, ?, ?)") {
            statement throws(ArchiveStoreError) in
            statement.bind(1, startedOn.archiveMillis)
            statement.bind(2, list)
            statement.bind(3, full)
            try statement.run()
            return db.lastInsertRowID
        }
    }

    /// Records how a sync run ended. A run can be finished once; `error` must be a one-line, secret-free message.
    public func finishSyncRun(
        _ id: Int64,
        endedOn: Date,
        outcome: SyncOutcome,
        counts: SyncCounts,
        error: String?
    ) throws {
        try db.withStatement(
            """
            UPDATE sync_runs SET ended_on = ?, outcome = ?, threads = ?, messages_new = ?, revisions_new = ?,
                failed_threads = ?, error = ? WHERE id = ?
            """
        ) { statement throws(ArchiveStoreError) in
            statement.bind(1, endedOn.archiveMillis)
            statement.bind(2, outcome.rawValue)
            statement.bind(3, counts.threads)
            statement.bind(4, counts.messagesNew)
            statement.bind(5, counts.revisionsNew)
            statement.bind(6, counts.failedThreads)
            statement.bind(7, error)
            statement.bind(8, id)
            try statement.run()
        }
        guard db.changes == 1 else {
            throw ArchiveStoreError(code: .notFound, message: "no sync run \(id)", operation: "finishSyncRun")
        }
    }

    /// Every sync run, oldest first.
    public func syncRuns() throws -> [SyncRun] {
        try db.withStatement(
            """
            SELECT id, started_on, ended_on, identities, full, threads, messages_new, revisions_new, failed_threads,
                outcome, error FROM sync_runs ORDER BY id
            """
        ) { statement throws(ArchiveStoreError) in
            var runs: [SyncRun] = []
            while try statement.step() {
                let counts =
                    statement.isNull(5)
                    ? nil
                    : SyncCounts(
                        threads: Int(statement.int64(5)),
                        messagesNew: Int(statement.int64(6)),
                        revisionsNew: Int(statement.int64(7)),
                        failedThreads: Int(statement.int64(8))
                    )
                runs.append(
                    SyncRun(
                        id: statement.int64(0),
                        startedOn: Date(archiveMillis: statement.int64(1)),
                        endedOn: statement.optionalInt64(2).map(Date.init(archiveMillis:)),
                        identities: try json.strings(from: statement.optionalText(3)),
                        full: statement.int64(4) != 0,
                        counts: counts,
                        outcome: statement.optionalText(9).flatMap(SyncOutcome.init(rawValue:)),
                        error: statement.optionalText(10)
                    )
                )
            }
            return runs
        }
    }

    /// The cursor stored with the thread's last completed batch, if any.
    public func cursor(threadID: String) throws -> ThreadCursor? {
        try db.withStatement(
            """
            SELECT c.last_message_received_on, c.deleted_on, c.newest_created_on, c.last_full_sync, c.last_sync
            FROM sync_cursors c JOIN threads t ON t.id = c.thread WHERE t.thread_id = ?
            """
        ) { statement throws(ArchiveStoreError) in
            statement.bind(1, threadID)
            guard try statement.step() else { return nil }
            return ThreadCursor(
                threadID: threadID,
                lastMessageReceivedOn: statement.optionalSecondsDate(0),
                deletedOn: statement.optionalSecondsDate(1),
                newestCreatedOn: statement.optionalSecondsDate(2),
                lastFullSync: statement.optionalSecondsDate(3),
                lastSync: Date(timeIntervalSince1970: statement.double(4))
            )
        }
    }

    /// Every stored cursor, keyed by thread id (one query instead of one per thread).
    public func cursors() throws -> [String: ThreadCursor] {
        try db.withStatement(
            """
            SELECT t.thread_id, c.last_message_received_on, c.deleted_on, c.newest_created_on, c.last_full_sync,
                c.last_sync FROM sync_cursors c JOIN threads t ON t.id = c.thread
            """
        ) { statement throws(ArchiveStoreError) in
            var cursors: [String: ThreadCursor] = [:]
            while try statement.step() {
                let id = statement.text(0)
                cursors[id] = ThreadCursor(
                    threadID: id,
                    lastMessageReceivedOn: statement.optionalSecondsDate(1),
                    deletedOn: statement.optionalSecondsDate(2),
                    newestCreatedOn: statement.optionalSecondsDate(3),
                    lastFullSync: statement.optionalSecondsDate(4),
                    lastSync: Date(timeIntervalSince1970: statement.double(5))
                )
            }
            return cursors
        }
    }
}
