import ArchiveModel
import Foundation

extension ArchiveStore {
    /// Writes `batch` in one transaction and returns what was new; applying it again adds nothing.
    ///
    /// Revisions are inserted in (createdOn, sequenceID, messageID, version) order, which is the order of the
    /// thread's hash chain. System messages update membership and topic history; a `.complete` participant
    /// snapshot marks missing members removed. The cursor, when set, is stored in the same transaction.
    public func apply(_ batch: ThreadBatch) throws -> ApplyResult {
        try apply(PreparedBatch(batch))
    }

    /// Writes a batch prepared off the store's actor (see ``PreparedBatch``); otherwise as `apply(_:)`.
    public func apply(_ prepared: PreparedBatch) throws -> ApplyResult {
        try apply([prepared])[0]
    }

    /// Writes several prepared batches, in order, in one transaction (fewer commits and larger FTS5 segments
    /// for a bulk sync); the results are in the same order.
    public func apply(_ batches: [PreparedBatch]) throws -> [ApplyResult] {
        do {
            return try db.transaction { () throws(ArchiveStoreError) in
                var results: [ApplyResult] = []
                results.reserveCapacity(batches.count)
                var indexWrites: [IndexWrite] = []
                for batch in batches { results.append(try write(batch, indexWrites: &indexWrites)) }
                // Last, in order: SQLite 3.40's FTS5 writes its pending terms out as a new segment at every
                // statement savepoint (an upsert opens one), so index rows written between the row writes left a
                // small segment per batch, and more merging for every later one.
                for indexWrite in indexWrites { try writeIndexRow(indexWrite) }
                return results
            }
        } catch {
            // Rows inserted by the rolled-back transaction are gone.
            identityRows.removeAll()
            senderNames.removeAll()
            var failure = error
            failure.operation = failure.operation ?? "apply"
            throw failure
        }
    }

    private func write(
        _ prepared: PreparedBatch,
        indexWrites: inout [IndexWrite]
    ) throws(ArchiveStoreError) -> ApplyResult {
        let batch = prepared.batch
        var result = ApplyResult()
        let observed = batch.observedOn.archiveMillis
        var chain = try threadRow(batch.threadID, seenOn: observed)

        if let snapshot = batch.thread {
            try db.withStatement(
                """
                UPDATE threads SET topic = ?, created_on = ?, created_by = ?, deleted_on = ?, retention_policy = ?,
                    metadata = ? WHERE id = ?
                """
            ) { statement throws(ArchiveStoreError) in
                statement.bind(1, snapshot.topic)
                statement.bind(2, snapshot.createdOn?.archiveMillis)
                statement.bind(3, snapshot.createdBy)
                statement.bind(4, snapshot.deletedOn?.archiveMillis)
                statement.bind(5, try json.retention(snapshot.retentionPolicy))
                statement.bind(6, try json.metadata(snapshot.metadata))
                statement.bind(7, chain.row)
                try statement.run()
            }
            try appendTopic(snapshot.topic, changedOn: nil, observedOn: observed, thread: chain.row)
        }

        // A batch is mostly a run of new messages (insert first) or, in a re-walk, of known ones (look up first):
        // whether the previous message was new predicts the next.
        var expectingNewMessage = true
        for revision in prepared.revisions {
            expectingNewMessage = try insert(
                revision,
                expectingNewMessage: expectingNewMessage,
                chain: &chain,
                result: &result,
                indexWrites: &indexWrites
            )
        }

        if let snapshot = batch.participants {
            try applyParticipants(snapshot, observedOn: observed, thread: chain.row, result: &result)
        }

        // Last, so the names the engine lists explicitly win over names inside snapshots and messages.
        for identity in batch.identities {
            _ = try identityRow(identity.rawID, displayName: identity.displayName, replacingName: true)
        }

        for receipt in batch.readReceipts {
            let reader = try identityRow(receipt.readerID, displayName: nil, replacingName: false)
            try db.withStatement(
                """
                INSERT INTO read_receipts (thread, reader, message_id, read_on, observed_on) VALUES (?, ?, ?, ?, ?)
                ON CONFLICT DO NOTHING
                """
            ) { statement throws(ArchiveStoreError) in
                statement.bind(1, chain.row)
                statement.bind(2, reader)
                statement.bind(3, receipt.messageID)
                statement.bind(4, receipt.readOn.archiveMillis)
                statement.bind(5, receipt.observedOn.archiveMillis)
                try statement.run()
            }
            result.receiptsNew += db.changes
        }

        if chain.changed {
            try db.withStatement("UPDATE threads SET chain_head = ?, chain_length = ? WHERE id = ?") {
                statement throws(ArchiveStoreError) in
                statement.bind(1, chain.head)
                statement.bind(2, chain.length)
                statement.bind(3, chain.row)
                try statement.run()
            }
        }

        if let cursor = batch.cursor {
            try db.withStatement(
                """
                INSERT OR REPLACE INTO sync_cursors (thread, last_message_received_on, deleted_on, newest_created_on,
                    last_full_sync, last_sync) VALUES (?, ?, ?, ?, ?, ?)
                """
            ) { statement throws(ArchiveStoreError) in
                statement.bind(1, chain.row)
                statement.bind(2, cursor.lastMessageReceivedOn?.timeIntervalSince1970)
                statement.bind(3, cursor.deletedOn?.timeIntervalSince1970)
                statement.bind(4, cursor.newestCreatedOn?.timeIntervalSince1970)
                statement.bind(5, cursor.lastFullSync?.timeIntervalSince1970)
                statement.bind(6, cursor.lastSync.timeIntervalSince1970)
                try statement.run()
            }
        }
        return result
    }

    /// The thread's row and chain state, creating the row on first sight.
    struct ChainState {
        var row: Int64
        var head: [UInt8]?
        var length: Int64
        var changed = false
    }

    private func threadRow(_ threadID: String, seenOn: Int64) throws(ArchiveStoreError) -> ChainState {
        try db.withStatement(
            """
            INSERT INTO threads (thread_id, first_seen, last_seen) VALUES (?, ?, ?)
            ON CONFLICT (thread_id) DO UPDATE SET last_seen = max(last_seen, excluded.last_seen),
                first_seen = min(first_seen, excluded.first_seen)
            RETURNING id, chain_head, chain_length
            """
        ) { statement throws(ArchiveStoreError) in
            statement.bind(1, threadID)
            statement.bind(2, seenOn)
            statement.bind(3, seenOn)
            guard try statement.step() else {
                throw ArchiveStoreError(code: .sqlite(0), message: "thread upsert returned no row")
            }
            let state = ChainState(row: statement.int64(0), head: statement.blob(1), length: statement.int64(2))
            try statement.run()
            return state
        }
    }

    /// The identities.id for `rawID`, inserting it when new. A name replaces the stored one only when
    /// `replacingName` (names the service lists); sender names only fill a missing one.
    func identityRow(_ rawID: String, displayName: String?, replacingName: Bool) throws(ArchiveStoreError) -> Int64 {
        if let cached = identityRows[rawID],
            displayName == nil || displayName == cached.name || (!replacingName && cached.name != nil)
        {
            return cached.row
        }
        let sql =
            replacingName
            ? """
            INSERT INTO identities (raw_id, kind, display_name) VALUES (?, ?, ?)
            ON CONFLICT (raw_id) DO UPDATE SET display_name = coalesce(excluded.display_name, display_name)
            RETURNING id, display_name
            """
            : """
            INSERT INTO identities (raw_id, kind, display_name) VALUES (?, ?, ?)
            ON CONFLICT (raw_id) DO UPDATE SET display_name = coalesce(display_name, excluded.display_name)
            RETURNING id, display_name
            """
        let stored = try db.withStatement(sql) { statement throws(ArchiveStoreError) in
            statement.bind(1, rawID)
            statement.bind(2, IdentityKind(rawID: rawID).name)
            statement.bind(3, displayName)
            guard try statement.step() else {
                throw ArchiveStoreError(code: .sqlite(0), message: "identity upsert returned no row")
            }
            let stored = (row: statement.int64(0), name: statement.optionalText(1))
            try statement.run()
            return stored
        }
        identityRows[rawID] = stored
        return stored.row
    }

    private struct MessageState {
        var row: Int64
        var latestVersion: String
        var contentVersion: String?
    }

    /// Inserts one revision unless it is known; returns whether its message was new.
    private func insert(
        _ prepared: PreparedRevision,
        expectingNewMessage: Bool,
        chain: inout ChainState,
        result: inout ApplyResult,
        indexWrites: inout [IndexWrite]
    ) throws(ArchiveStoreError) -> Bool {
        let revision = prepared.revision
        let canonical = prepared.canonical
        let hasContent = !revision.isDeleted
        let sender = try revision.senderID.map { id throws(ArchiveStoreError) in
            try identityRow(id, displayName: revision.senderDisplayName, replacingName: false)
        }
        func insertMessage() throws(ArchiveStoreError) -> Int64? {
            try db.withStatement(
                """
                INSERT INTO messages (thread, message_id, created_on, sequence_id, type, sender, latest_version,
                    content_version, edited, deleted_on, revision_count) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1)
                ON CONFLICT (thread, message_id) DO NOTHING
                """
            ) { statement throws(ArchiveStoreError) -> Int64? in
                statement.bind(1, chain.row)
                statement.bind(2, revision.messageID)
                statement.bind(3, canonical.createdOn)
                statement.bind(4, revision.sequenceID)
                statement.bind(5, canonical.type)
                statement.bind(6, sender)
                statement.bind(7, revision.version)
                statement.bind(8, hasContent ? revision.version : nil)
                statement.bind(9, revision.editedOn != nil)
                statement.bind(10, canonical.deletedOn)
                try statement.run()
                return db.changes == 1 ? db.lastInsertRowID : nil
            }
        }
        let insertedRow = expectingNewMessage ? try insertMessage() : nil
        let stored = insertedRow == nil ? try message(thread: chain.row, messageID: revision.messageID) : nil
        let existing: MessageState?
        let messageRow: Int64
        if let stored {
            let known = try db.withStatement("SELECT 1 FROM revisions WHERE message = ? AND version = ?") {
                statement throws(ArchiveStoreError) in
                statement.bind(1, stored.row)
                statement.bind(2, revision.version)
                return try statement.step()
            }
            if known { return false }
            existing = stored
            messageRow = stored.row
        } else {
            var row = insertedRow
            if row == nil { row = try insertMessage() }
            guard let row else {
                throw ArchiveStoreError(code: .corruptRow, message: "a message is neither stored nor insertable")
            }
            existing = nil
            messageRow = row
            result.messagesNew += 1
        }
        let hash = CanonicalRevision.chainHash(previous: chain.head, canonicalBytes: prepared.canonicalBytes)
        let search = (searchText: prepared.searchText, cjk: prepared.cjk)

        let revisionRow = try db.withStatement(
            """
            INSERT INTO revisions (thread, message, version, sequence_id, type, sender, sender_display_name, created_on,
                edited_on, deleted_on, content, sanitized_html, text, topic, participants, initiator, metadata,
                attachments, observed_on, search_text, cjk, prev_hash, hash)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """
        ) { statement throws(ArchiveStoreError) in
            statement.bind(1, chain.row)
            statement.bind(2, messageRow)
            statement.bind(3, canonical.version)
            statement.bind(4, canonical.sequenceID)
            statement.bind(5, canonical.type)
            statement.bind(6, sender)
            statement.bind(7, canonical.senderDisplayName)
            statement.bind(8, canonical.createdOn)
            statement.bind(9, canonical.editedOn)
            statement.bind(10, canonical.deletedOn)
            statement.bind(11, canonical.content == canonical.text ? nil : canonical.content)
            statement.bind(12, canonical.sanitizedHTML)
            statement.bind(13, canonical.text)
            statement.bind(14, canonical.topic)
            statement.bind(15, canonical.participants)
            statement.bind(16, canonical.initiatorID)
            statement.bind(17, canonical.metadata)
            statement.bind(18, canonical.attachments)
            statement.bind(19, canonical.observedOn)
            statement.bind(20, search.searchText)
            statement.bind(21, search.cjk)
            statement.bind(22, chain.head)
            statement.bind(23, hash)
            try statement.run()
            return db.lastInsertRowID
        }
        chain.head = hash
        chain.length += 1
        chain.changed = true
        result.revisionsNew += 1
        if let sender, let name = canonical.senderDisplayName {
            try recordSenderName(identity: sender, name: name)
        }
        let indexed = IndexedColumns(
            text: search.searchText ?? revision.text,
            cjk: search.cjk ?? "",
            facets: SearchSource.facets(thread: chain.row, sender: sender)
        )

        if let existing {
            let isLatest = versionPrecedes(existing.latestVersion, revision.version)
            let becomesContent =
                hasContent && (existing.contentVersion.map { versionPrecedes($0, revision.version) } ?? true)
            if becomesContent {
                if let previous = existing.contentVersion {
                    // The old current text moves from the current index to the history index.
                    let old = try indexedColumns(message: existing.row, version: previous)
                    indexWrites.append(IndexWrite(SearchSource.current.deleteSQL, row: existing.row, old.columns))
                    indexWrites.append(IndexWrite(SearchSource.history.insertSQL, row: old.revision, old.columns))
                }
                indexWrites.append(IndexWrite(SearchSource.current.insertSQL, row: existing.row, indexed))
            } else if hasContent {
                indexWrites.append(IndexWrite(SearchSource.history.insertSQL, row: revisionRow, indexed))
            }
            try db.withStatement(
                """
                UPDATE messages SET
                    created_on = CASE WHEN ?1 THEN ?2 ELSE created_on END,
                    sequence_id = CASE WHEN ?1 THEN ?3 ELSE sequence_id END,
                    type = CASE WHEN ?1 THEN ?4 ELSE type END,
                    sender = CASE WHEN ?1 THEN ?5 ELSE sender END,
                    latest_version = CASE WHEN ?1 THEN ?6 ELSE latest_version END,
                    deleted_on = CASE WHEN ?1 THEN ?7 ELSE deleted_on END,
                    content_version = CASE WHEN ?8 THEN ?6 ELSE content_version END,
                    edited = edited OR ?9,
                    revision_count = revision_count + 1
                WHERE id = ?10
                """
            ) { statement throws(ArchiveStoreError) in
                statement.bind(1, isLatest)
                statement.bind(2, canonical.createdOn)
                statement.bind(3, canonical.sequenceID)
                statement.bind(4, canonical.type)
                statement.bind(5, sender)
                statement.bind(6, canonical.version)
                statement.bind(7, canonical.deletedOn)
                statement.bind(8, becomesContent)
                statement.bind(9, revision.editedOn != nil)
                statement.bind(10, existing.row)
                try statement.run()
            }
        } else if hasContent {
            indexWrites.append(IndexWrite(SearchSource.current.insertSQL, row: messageRow, indexed))
        }

        if !revision.isDeleted {
            try applySystemMessage(revision, thread: chain.row, result: &result)
        }
        return existing == nil
    }

    /// The stored state of a message, if it is stored.
    private func message(thread: Int64, messageID: String) throws(ArchiveStoreError) -> MessageState? {
        try db.withStatement(
            "SELECT id, latest_version, content_version FROM messages WHERE thread = ? AND message_id = ?"
        ) { statement throws(ArchiveStoreError) in
            statement.bind(1, thread)
            statement.bind(2, messageID)
            guard try statement.step() else { return nil }
            return MessageState(
                row: statement.int64(0),
                latestVersion: statement.text(1),
                contentVersion: statement.optionalText(2)
            )
        }
    }

    /// The FTS5 column values of one indexed row (see ``SearchSource``).
    private struct IndexedColumns {
        var text: String
        var cjk: String
        var facets: String
    }

    /// One FTS5 statement of ``SearchSource`` (`insertSQL` or `deleteSQL`) for one indexed row.
    private struct IndexWrite {
        var sql: String
        var row: Int64
        var columns: IndexedColumns

        init(_ sql: String, row: Int64, _ columns: IndexedColumns) {
            self.sql = sql
            self.row = row
            self.columns = columns
        }
    }

    private func indexedColumns(
        message: Int64,
        version: String
    ) throws(ArchiveStoreError) -> (revision: Int64, columns: IndexedColumns) {
        try db.withStatement(
            """
            SELECT id, coalesce(search_text, text), coalesce(cjk, ''), thread, sender FROM revisions
            WHERE message = ? AND version = ?
            """
        ) { statement throws(ArchiveStoreError) in
            statement.bind(1, message)
            statement.bind(2, version)
            guard try statement.step() else {
                throw ArchiveStoreError(code: .corruptRow, message: "a message's current revision is missing")
            }
            let facets = SearchSource.facets(thread: statement.int64(3), sender: statement.optionalInt64(4))
            return (statement.int64(0), IndexedColumns(text: statement.text(1), cjk: statement.text(2), facets: facets))
        }
    }

    private func writeIndexRow(_ write: IndexWrite) throws(ArchiveStoreError) {
        try db.withStatement(write.sql) { statement throws(ArchiveStoreError) in
            statement.bind(1, write.row)
            statement.bind(2, write.columns.text)
            statement.bind(3, write.columns.cjk)
            statement.bind(4, write.columns.facets)
            try statement.run()
        }
    }

    /// Adds (identity, name) to sender_names unless this transaction or an earlier one already did.
    private func recordSenderName(identity: Int64, name: String) throws(ArchiveStoreError) {
        let key = SenderName(identity: identity, name: name)
        guard !senderNames.contains(key) else { return }
        try db.withStatement("INSERT OR IGNORE INTO sender_names (identity, name) VALUES (?, ?)") {
            statement throws(ArchiveStoreError) in
            statement.bind(1, identity)
            statement.bind(2, name)
            try statement.run()
        }
        // A hostile service could send a new name with every message: keep the cache bounded.
        if senderNames.count >= 4096 { senderNames.removeAll() }
        senderNames.insert(key)
    }
}

/// A row of sender_names, as the store's cache of rows known to exist.
struct SenderName: Hashable {
    var identity: Int64
    var name: String
}
