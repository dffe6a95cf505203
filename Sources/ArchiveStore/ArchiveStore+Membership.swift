import ArchiveModel
public import Foundation

extension ArchiveStore {
    /// Membership and topic changes carried by a newly archived system message.
    func applySystemMessage(
        _ revision: MessageRevision,
        thread: Int64,
        result: inout ApplyResult
    ) throws(ArchiveStoreError) {
        let at = revision.createdOn.archiveMillis
        switch revision.type {
        case .participantAdded, .participantRemoved:
            let change: MembershipChange.Change = revision.type == .participantAdded ? .added : .removed
            for member in revision.participants {
                let identity = try identityRow(member.rawID, displayName: member.displayName, replacingName: false)
                let isNew = try upsertParticipant(
                    thread: thread,
                    identity: identity,
                    seenOn: at,
                    asMember: change == .added,
                    displayName: member.displayName,
                    shareHistoryTime: member.shareHistoryTime?.archiveMillis,
                    metadata: nil
                )
                if isNew { result.participantsNew += 1 }
                try recordMembership(change, thread: thread, identity: identity, on: at, source: "message")
            }
        case .topicUpdated:
            if let topic = revision.topic {
                try appendTopic(topic, changedOn: at, observedOn: revision.observedOn.archiveMillis, thread: thread)
            }
        default:
            break
        }
    }

    func applyParticipants(
        _ snapshot: ParticipantSnapshot,
        observedOn: Int64,
        thread: Int64,
        result: inout ApplyResult
    ) throws(ArchiveStoreError) {
        var present = Set<Int64>()
        for member in snapshot.members {
            let identity = try identityRow(member.rawID, displayName: member.displayName, replacingName: true)
            present.insert(identity)
            let removedOn = try db.withStatement(
                "SELECT removed_on FROM participants WHERE thread = ? AND identity = ?"
            ) {
                statement throws(ArchiveStoreError) -> Int64?? in
                statement.bind(1, thread)
                statement.bind(2, identity)
                return try statement.step() ? .some(statement.optionalInt64(0)) : .none
            }
            let isNew = try upsertParticipant(
                thread: thread,
                identity: identity,
                seenOn: observedOn,
                asMember: true,
                displayName: member.displayName,
                shareHistoryTime: member.shareHistoryTime?.archiveMillis,
                metadata: try json.metadata(member.metadata)
            )
            if isNew { result.participantsNew += 1 }
            // Only changes become events: a member seen again needs none.
            if isNew || removedOn != .some(nil) {
                try recordMembership(.added, thread: thread, identity: identity, on: observedOn, source: "snapshot")
            }
        }
        guard case .complete = snapshot else { return }
        let members = try db.withStatement("SELECT identity FROM participants WHERE thread = ? AND removed_on IS NULL")
        {
            statement throws(ArchiveStoreError) in
            statement.bind(1, thread)
            var rows: [Int64] = []
            while try statement.step() { rows.append(statement.int64(0)) }
            return rows
        }
        for identity in members where !present.contains(identity) {
            try recordMembership(.removed, thread: thread, identity: identity, on: observedOn, source: "snapshot")
        }
    }

    /// Inserts or refreshes a participant row; returns whether the thread × identity pair is new.
    private func upsertParticipant(
        thread: Int64,
        identity: Int64,
        seenOn: Int64,
        asMember: Bool,
        displayName: String?,
        shareHistoryTime: Int64?,
        metadata: String?
    ) throws(ArchiveStoreError) -> Bool {
        try db.withStatement(
            """
            INSERT INTO participants (thread, identity, display_name, share_history_time, metadata, first_seen,
                last_seen) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6)
            ON CONFLICT DO NOTHING
            """
        ) { statement throws(ArchiveStoreError) in
            statement.bind(1, thread)
            statement.bind(2, identity)
            statement.bind(3, displayName)
            statement.bind(4, shareHistoryTime)
            statement.bind(5, metadata)
            statement.bind(6, seenOn)
            try statement.run()
        }
        if db.changes > 0 { return true }
        try db.withStatement(
            """
            UPDATE participants SET display_name = coalesce(?3, display_name),
                share_history_time = coalesce(?4, share_history_time), metadata = coalesce(?5, metadata),
                first_seen = min(first_seen, ?6), last_seen = CASE WHEN ?7 THEN max(last_seen, ?6) ELSE last_seen END
            WHERE thread = ?1 AND identity = ?2
            """
        ) { statement throws(ArchiveStoreError) in
            statement.bind(1, thread)
            statement.bind(2, identity)
            statement.bind(3, displayName)
            statement.bind(4, shareHistoryTime)
            statement.bind(5, metadata)
            statement.bind(6, seenOn)
            statement.bind(7, asMember)
            try statement.run()
        }
        return false
    }

    /// Appends a membership event (once) and recomputes `removed_on` from the newest event.
    private func recordMembership(
        _ change: MembershipChange.Change,
        thread: Int64,
        identity: Int64,
        on time: Int64,
        source: String
    ) throws(ArchiveStoreError) {
        try db.withStatement(
            """
            INSERT INTO membership_events (thread, identity, change, happened_on, source) VALUES (?, ?, ?, ?, ?)
            ON CONFLICT DO NOTHING
            """
        ) { statement throws(ArchiveStoreError) in
            statement.bind(1, thread)
            statement.bind(2, identity)
            statement.bind(3, change.rawValue)
            statement.bind(4, time)
            statement.bind(5, source)
            try statement.run()
        }
        try db.withStatement(
            """
            UPDATE participants SET removed_on = (
                SELECT CASE change WHEN 'removed' THEN happened_on END FROM membership_events
                WHERE thread = ?1 AND identity = ?2 ORDER BY happened_on DESC, id DESC LIMIT 1)
            WHERE thread = ?1 AND identity = ?2
            """
        ) { statement throws(ArchiveStoreError) in
            statement.bind(1, thread)
            statement.bind(2, identity)
            try statement.run()
        }
    }

    /// Adds `topic` to the thread's history unless already recorded.
    ///
    /// A snapshot topic (no change time) is new when it differs from the newest entry. A `topicUpdated` topic is
    /// new unless the same topic at the same time is recorded; it fills in the time of a matching snapshot entry.
    func appendTopic(_ topic: String, changedOn: Int64?, observedOn: Int64, thread: Int64) throws(ArchiveStoreError) {
        if let changedOn {
            let exists = try db.withStatement(
                "SELECT 1 FROM topic_history WHERE thread = ? AND topic = ? AND changed_on = ?"
            ) { statement throws(ArchiveStoreError) in
                statement.bind(1, thread)
                statement.bind(2, topic)
                statement.bind(3, changedOn)
                return try statement.step()
            }
            if exists { return }
            try db.withStatement(
                """
                UPDATE topic_history SET changed_on = ?3 WHERE id = (
                    SELECT id FROM topic_history WHERE thread = ?1 AND topic = ?2 AND changed_on IS NULL
                        AND observed_on >= ?3 ORDER BY id LIMIT 1)
                """
            ) { statement throws(ArchiveStoreError) in
                statement.bind(1, thread)
                statement.bind(2, topic)
                statement.bind(3, changedOn)
                try statement.run()
            }
            if db.changes > 0 { return }
        } else {
            let newest = try db.withStatement(
                """
                SELECT topic FROM topic_history WHERE thread = ?
                ORDER BY coalesce(changed_on, observed_on) DESC, id DESC LIMIT 1
                """
            ) { statement throws(ArchiveStoreError) in
                statement.bind(1, thread)
                return try statement.step() ? statement.text(0) : nil
            }
            if newest == topic { return }
        }
        try db.withStatement("INSERT INTO topic_history (thread, topic, changed_on, observed_on) VALUES (?, ?, ?, ?)") {
            statement throws(ArchiveStoreError) in
            statement.bind(1, thread)
            statement.bind(2, topic)
            statement.bind(3, changedOn)
            statement.bind(4, observedOn)
            try statement.run()
        }
    }
}

/// One membership change the archive learned of.
public struct MembershipChange: Sendable, Hashable {
    public enum Change: String, Sendable, Hashable {
        case added
        case removed
    }

    public enum Source: String, Sendable, Hashable {
        /// A participant list fetched from the service (time = when it was fetched).
        case snapshot
        /// A `participantAdded` / `participantRemoved` system message (time = the message's createdOn).
        case message
    }

    public var threadID: String
    public var rawID: String
    public var change: Change
    public var on: Date
    public var source: Source

    public init(threadID: String, rawID: String, change: Change, on: Date, source: Source) {
        self.threadID = threadID
        self.rawID = rawID
        self.change = change
        self.on = on
        self.source = source
    }
}
