public import ArchiveModel
public import Foundation

extension ArchiveStore {
    /// Every archived thread, ordered by thread id.
    public func threads() throws -> [ArchivedThread] {
        try loadThreads(where: nil)
    }

    public func thread(id: String) throws -> ArchivedThread? {
        try loadThreads(where: id).first
    }

    private func loadThreads(where threadID: String?) throws(ArchiveStoreError) -> [ArchivedThread] {
        let sql =
            """
            SELECT id, thread_id, topic, created_on, created_by, deleted_on, retention_policy, metadata, first_seen,
                last_seen FROM threads
            """ + (threadID == nil ? " ORDER BY thread_id" : " WHERE thread_id = ?")
        var rows: [(Int64, ArchivedThread)] = []
        try db.withStatement(sql) { statement throws(ArchiveStoreError) in
            if let threadID { statement.bind(1, threadID) }
            while try statement.step() {
                let thread = ArchivedThread(
                    id: statement.text(1),
                    topic: statement.optionalText(2) ?? "",
                    createdOn: statement.optionalInt64(3).map(Date.init(archiveMillis:)),
                    createdBy: statement.optionalText(4),
                    deletedOn: statement.optionalInt64(5).map(Date.init(archiveMillis:)),
                    metadata: try json.metadata(from: statement.optionalText(7)),
                    retentionPolicy: try json.retention(from: statement.optionalText(6)),
                    firstSeen: Date(archiveMillis: statement.int64(8)),
                    lastSeen: Date(archiveMillis: statement.int64(9))
                )
                rows.append((statement.int64(0), thread))
            }
        }
        return try rows.map { row, thread throws(ArchiveStoreError) in
            var thread = thread
            thread.topicHistory = try topicHistory(thread: row)
            // Threads known only from messages have no fetched topic: show the newest one seen.
            if thread.topic.isEmpty, let newest = thread.topicHistory.last { thread.topic = newest.topic }
            return thread
        }
    }

    private func topicHistory(thread: Int64) throws(ArchiveStoreError) -> [TopicChange] {
        try db.withStatement(
            """
            SELECT topic, changed_on, observed_on FROM topic_history WHERE thread = ?
            ORDER BY coalesce(changed_on, observed_on), id
            """
        ) { statement throws(ArchiveStoreError) in
            statement.bind(1, thread)
            var changes: [TopicChange] = []
            while try statement.step() {
                changes.append(
                    TopicChange(
                        topic: statement.text(0),
                        changedOn: statement.optionalInt64(1).map(Date.init(archiveMillis:)),
                        observedOn: Date(archiveMillis: statement.int64(2))
                    )
                )
            }
            return changes
        }
    }

    /// Everyone ever seen in the thread, current and removed, by first-seen time.
    public func participants(threadID: String) throws -> [ArchivedParticipant] {
        try db.withStatement(
            """
            SELECT i.raw_id, i.kind, i.display_name, p.display_name, p.share_history_time, p.metadata, p.first_seen,
                p.last_seen, p.removed_on
            FROM participants p JOIN threads t ON t.id = p.thread JOIN identities i ON i.id = p.identity
            WHERE t.thread_id = ? ORDER BY p.first_seen, i.raw_id
            """
        ) { statement throws(ArchiveStoreError) in
            statement.bind(1, threadID)
            var participants: [ArchivedParticipant] = []
            while try statement.step() {
                participants.append(
                    ArchivedParticipant(
                        threadID: threadID,
                        identity: ArchivedIdentity(
                            rawID: statement.text(0),
                            kind: IdentityKind(name: statement.text(1)),
                            displayName: statement.optionalText(2)
                        ),
                        displayName: statement.optionalText(3),
                        shareHistoryTime: statement.optionalInt64(4).map(Date.init(archiveMillis:)),
                        metadata: try json.metadata(from: statement.optionalText(5)),
                        firstSeen: Date(archiveMillis: statement.int64(6)),
                        lastSeen: Date(archiveMillis: statement.int64(7)),
                        removedOn: statement.optionalInt64(8).map(Date.init(archiveMillis:))
                    )
                )
            }
            return participants
        }
    }

    /// Every membership change learned for the thread, oldest first.
    public func membershipHistory(threadID: String) throws -> [MembershipChange] {
        try db.withStatement(
            """
            SELECT i.raw_id, e.change, e.happened_on, e.source
            FROM membership_events e JOIN threads t ON t.id = e.thread JOIN identities i ON i.id = e.identity
            WHERE t.thread_id = ? ORDER BY e.happened_on, e.id
            """
        ) { statement throws(ArchiveStoreError) in
            statement.bind(1, threadID)
            var changes: [MembershipChange] = []
            while try statement.step() {
                changes.append(
                    MembershipChange(
                        threadID: threadID,
                        rawID: statement.text(0),
                        change: MembershipChange.Change(rawValue: statement.text(1)) ?? .added,
                        on: Date(archiveMillis: statement.int64(2)),
                        source: MembershipChange.Source(rawValue: statement.text(3)) ?? .snapshot
                    )
                )
            }
            return changes
        }
    }

    /// Every distinct receipt observed, by read time.
    public func readReceipts(threadID: String) throws -> [ArchivedReadReceipt] {
        try db.withStatement(
            """
            SELECT i.raw_id, r.message_id, r.read_on, r.observed_on
            FROM read_receipts r JOIN threads t ON t.id = r.thread JOIN identities i ON i.id = r.reader
            WHERE t.thread_id = ? ORDER BY r.read_on, i.raw_id, r.message_id
            """
        ) { statement throws(ArchiveStoreError) in
            statement.bind(1, threadID)
            var receipts: [ArchivedReadReceipt] = []
            while try statement.step() {
                receipts.append(
                    ArchivedReadReceipt(
                        threadID: threadID,
                        readerID: statement.text(0),
                        messageID: statement.text(1),
                        readOn: Date(archiveMillis: statement.int64(2)),
                        observedOn: Date(archiveMillis: statement.int64(3))
                    )
                )
            }
            return receipts
        }
    }

    /// Calls `body` with every message of the thread created in `since ..< until` (either bound optional),
    /// ordered by createdOn, then sequence id, then message id, each with all its revisions.
    ///
    /// Streams: one message is in memory at a time. `body` runs on the store's actor and must not call it.
    public func forEachMessage(
        threadID: String,
        since: Date?,
        until: Date?,
        _ body: (ArchivedMessage) throws -> Void
    ) throws {
        var pending: [MessageRevision] = []
        var pendingMessage: Int64 = -1
        var failure: (any Error)?
        try db.withStatement(
            """
            SELECT m.id, m.message_id, r.version, r.sequence_id, r.type, i.raw_id, r.sender_display_name, r.created_on,
                r.edited_on, r.deleted_on, coalesce(r.content, r.text), r.sanitized_html, r.text, r.topic, r.participants, r.initiator,
                r.metadata, r.attachments, r.observed_on
            FROM messages m JOIN revisions r ON r.message = m.id LEFT JOIN identities i ON i.id = r.sender
            WHERE m.thread = (SELECT id FROM threads WHERE thread_id = ?1)
                AND m.created_on >= coalesce(?2, m.created_on) AND m.created_on < coalesce(?3, m.created_on + 1)
            ORDER BY m.created_on, m.sequence_id, m.message_id, m.id
            """
        ) { statement throws(ArchiveStoreError) in
            statement.bind(1, threadID)
            statement.bind(2, since?.archiveMillis)
            statement.bind(3, until?.archiveMillis)
            while try statement.step() {
                let message = statement.int64(0)
                if message != pendingMessage, !pending.isEmpty {
                    do {
                        try body(ArchivedMessage(revisions: pending))
                    } catch {
                        failure = error
                        return
                    }
                    pending.removeAll(keepingCapacity: true)
                }
                pendingMessage = message
                pending.append(
                    MessageRevision(
                        threadID: threadID,
                        messageID: statement.text(1),
                        version: statement.text(2),
                        sequenceID: statement.optionalInt64(3),
                        type: MessageType(rawValue: statement.text(4)),
                        senderID: statement.optionalText(5),
                        senderDisplayName: statement.optionalText(6),
                        createdOn: Date(archiveMillis: statement.int64(7)),
                        editedOn: statement.optionalInt64(8).map(Date.init(archiveMillis:)),
                        deletedOn: statement.optionalInt64(9).map(Date.init(archiveMillis:)),
                        content: statement.text(10),
                        sanitizedHTML: statement.optionalText(11),
                        text: statement.text(12),
                        topic: statement.optionalText(13),
                        participants: try json.participants(from: statement.optionalText(14)),
                        initiatorID: statement.optionalText(15),
                        metadata: try json.metadata(from: statement.optionalText(16)),
                        attachments: try json.attachments(from: statement.optionalText(17)),
                        observedOn: Date(archiveMillis: statement.int64(18))
                    )
                )
            }
        }
        if let failure { throw failure }
        if !pending.isEmpty { try body(ArchivedMessage(revisions: pending)) }
    }

    /// Thread id → the hex SHA-256 of its newest revision (threads without revisions are omitted).
    public func chainHeads() throws -> [String: String] {
        try db.withStatement("SELECT thread_id, chain_head FROM threads WHERE chain_head IS NOT NULL") {
            statement throws(ArchiveStoreError) in
            var heads: [String: String] = [:]
            while try statement.step() { heads[statement.text(0)] = (statement.blob(1) ?? []).hexString }
            return heads
        }
    }

    /// Counts over the whole archive (the `stats --json` keys).
    public func stats() throws -> ArchiveStats {
        var stats = ArchiveStats(schemaVersion: try Self.userVersion(db))
        func count(_ sql: String) throws(ArchiveStoreError) -> Int {
            try db.withStatement(sql) { statement throws(ArchiveStoreError) in
                try statement.step() ? Int(statement.int64(0)) : 0
            }
        }
        stats.threads = try count("SELECT count(*) FROM threads")
        stats.messages = try count("SELECT count(*) FROM messages")
        stats.revisions = try count("SELECT count(*) FROM revisions")
        stats.editedMessages = try count("SELECT count(*) FROM messages WHERE edited")
        stats.deletedMessages = try count("SELECT count(*) FROM messages WHERE deleted_on IS NOT NULL")
        stats.participants = try count("SELECT count(*) FROM participants")
        stats.identities = try count("SELECT count(*) FROM identities")
        stats.readReceipts = try count("SELECT count(*) FROM read_receipts")
        stats.syncRuns = try count("SELECT count(*) FROM sync_runs")
        try db.withStatement("SELECT min(created_on), max(created_on) FROM messages") {
            statement throws(ArchiveStoreError) in
            if try statement.step() {
                stats.firstMessageOn = statement.optionalInt64(0).map(Date.init(archiveMillis:))
                stats.lastMessageOn = statement.optionalInt64(1).map(Date.init(archiveMillis:))
            }
        }
        try db.withStatement(
            "SELECT started_on, outcome FROM sync_runs WHERE ended_on IS NOT NULL ORDER BY id DESC LIMIT 1"
        ) { statement throws(ArchiveStoreError) in
            if try statement.step() {
                stats.lastSyncOn = Date(archiveMillis: statement.int64(0))
                stats.lastSyncOutcome = statement.optionalText(1)
            }
        }
        return stats
    }
}
