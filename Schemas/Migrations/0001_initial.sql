-- chat-archive schema version 1.
--
-- Conventions
--   * Times are INTEGER milliseconds since 1970-01-01T00:00:00Z (UTC), except in sync_cursors, which keeps the
--     sync engine's values exactly (REAL seconds) so that "did lastMessageReceivedOn change?" compares exactly.
--   * JSON columns hold objects/arrays written with sorted keys; NULL means empty.
--   * Append-only tables (revisions, read_receipts, membership_events, topic_history) refuse UPDATE and DELETE
--     through triggers. The triggers guard against accidents only: `verify` recomputes the hash chains, so a
--     row changed by someone who dropped the triggers or edited the file is still detected.
--   * `messages` is derived state (one row per message, pointing at its latest revision and at the latest
--     revision that still had content); it is recomputable from `revisions` and `verify` checks it.
--
-- Tamper evidence: every revision row carries
--     hash = SHA-256(prev_hash || canonical(revision))
-- chained per thread in insertion order (revisions.id); prev_hash is NULL for a thread's first revision and
-- then stands for 32 zero bytes. threads.chain_head / chain_length hold the newest hash and the row count.
-- canonical(revision) is the ASCII tag "chat-archive/revision/1" followed by these fields in this order:
--     thread id, message id, version, sequence id, type, sender raw id, sender display name,
--     created on, edited on, deleted on, content, sanitized html, text, topic, participants (JSON),
--     initiator raw id, metadata (JSON), attachments (JSON), observed on
-- each encoded as: NULL -> 0x00; integer -> 0x01 + 8 bytes big-endian two's complement;
-- text -> 0x02 + 4 bytes big-endian byte length + the UTF-8 bytes (JSON columns exactly as stored).
-- The content field is the content as received (coalesce(content, text)): storing NULL for a content equal
-- to the text saves space without changing the hash.
--
-- Full-text search (FTS5, external content, so the text is stored once, in revisions):
--   * messages_fts indexes the CURRENT searchable text of every message: the latest revision that still had
--     content (so a deleted message's last words stay searchable; messages.deleted_on flags it).
--     rowid = messages.id, joinable to messages for thread/sender/time/type/edited/deleted filters.
--   * revisions_fts indexes every OTHER revision with content (earlier versions), rowid = revisions.id.
--     `--all-versions` searches both; each revision with content is in exactly one of the two indexes, so
--     a bulk insert pays for one index insert per revision.
--   * Columns: `text` = SearchText.normalizedForIndex(plain text) (NFKC, CJK runs spaced from Latin;
--     unicode61 remove_diacritics 2: words, bm25, snippet, highlight) and `cjk` = SearchText.indexTerms
--     (only the CJK pieces: overlapping two-character pieces of each CJK run plus its last character, so
--     1- and 2-character Japanese words match as phrases of pieces). Both are derived from revisions.text
--     and stored in revisions.search_text (only when it differs from text) and revisions.cjk (NULL when
--     empty): derived, not hashed, recomputed by verify. All-ASCII text needs neither.
--   * External rather than contentless: snippet() and highlight() need the text, and contentless tables
--     cannot delete rows on SQLite 3.40. The index rows are maintained by ArchiveStore in the same
--     transaction as the revision rows ('delete' with the old values, then insert), not by triggers.

CREATE TABLE identities (
    id INTEGER PRIMARY KEY,
    raw_id TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL,
    display_name TEXT
) STRICT;

CREATE TABLE threads (
    id INTEGER PRIMARY KEY,
    thread_id TEXT NOT NULL UNIQUE,
    topic TEXT,
    created_on INTEGER,
    created_by TEXT,
    deleted_on INTEGER,
    retention_policy TEXT,          -- JSON {"kind": "none" | "threadCreationDate" | other, "days": N}
    metadata TEXT,
    first_seen INTEGER NOT NULL,
    last_seen INTEGER NOT NULL,
    chain_head BLOB,
    chain_length INTEGER NOT NULL DEFAULT 0
) STRICT;

CREATE TABLE topic_history (
    id INTEGER PRIMARY KEY,
    thread INTEGER NOT NULL REFERENCES threads(id),
    topic TEXT NOT NULL,
    changed_on INTEGER,             -- the topicUpdated message time, when known
    observed_on INTEGER NOT NULL
) STRICT;
CREATE INDEX topic_history_thread ON topic_history(thread, id);

CREATE TABLE participants (
    thread INTEGER NOT NULL REFERENCES threads(id),
    identity INTEGER NOT NULL REFERENCES identities(id),
    display_name TEXT,
    share_history_time INTEGER,
    metadata TEXT,
    first_seen INTEGER NOT NULL,
    last_seen INTEGER NOT NULL,
    removed_on INTEGER,             -- NULL while a member; set by the latest membership event when it is a removal
    PRIMARY KEY (thread, identity)
) STRICT, WITHOUT ROWID;

-- Every membership change the archive learned of, from participant snapshots or system messages.
CREATE TABLE membership_events (
    id INTEGER PRIMARY KEY,
    thread INTEGER NOT NULL REFERENCES threads(id),
    identity INTEGER NOT NULL REFERENCES identities(id),
    change TEXT NOT NULL CHECK (change IN ('added', 'removed')),
    happened_on INTEGER NOT NULL,
    source TEXT NOT NULL CHECK (source IN ('snapshot', 'message')),
    UNIQUE (thread, identity, change, happened_on, source)
) STRICT;

CREATE TABLE messages (
    id INTEGER PRIMARY KEY,
    thread INTEGER NOT NULL REFERENCES threads(id),
    message_id TEXT NOT NULL,
    created_on INTEGER NOT NULL,
    sequence_id INTEGER,
    type TEXT NOT NULL,
    sender INTEGER REFERENCES identities(id),
    latest_version TEXT NOT NULL,
    content_version TEXT,           -- latest version with content; NULL when first seen already deleted
    edited INTEGER NOT NULL DEFAULT 0,
    deleted_on INTEGER,
    revision_count INTEGER NOT NULL,
    UNIQUE (thread, message_id)
) STRICT;
CREATE INDEX messages_thread_time ON messages(thread, created_on, sequence_id, message_id);
CREATE INDEX messages_time ON messages(created_on);
CREATE INDEX messages_sender ON messages(sender, created_on);

CREATE TABLE revisions (
    id INTEGER PRIMARY KEY,
    thread INTEGER NOT NULL REFERENCES threads(id),
    message INTEGER NOT NULL REFERENCES messages(id),
    version TEXT NOT NULL,
    sequence_id INTEGER,
    type TEXT NOT NULL,
    sender INTEGER REFERENCES identities(id),
    sender_display_name TEXT,
    created_on INTEGER NOT NULL,
    edited_on INTEGER,
    deleted_on INTEGER,
    content TEXT,                   -- as received; NULL means "identical to text" (most plain-text messages)
    sanitized_html TEXT,
    text TEXT NOT NULL,
    topic TEXT,
    participants TEXT,
    initiator TEXT,
    metadata TEXT,
    attachments TEXT,
    observed_on INTEGER NOT NULL,
    search_text TEXT,               -- SearchText.normalizedForIndex(text) when it differs from text, else NULL
    cjk TEXT,                       -- SearchText.indexTerms(for: text), NULL when empty
    prev_hash BLOB,
    hash BLOB NOT NULL,
    UNIQUE (message, version)
) STRICT;
CREATE INDEX revisions_chain ON revisions(thread, id);

CREATE TABLE read_receipts (
    id INTEGER PRIMARY KEY,
    thread INTEGER NOT NULL REFERENCES threads(id),
    reader INTEGER NOT NULL REFERENCES identities(id),
    message_id TEXT NOT NULL,
    read_on INTEGER NOT NULL,
    observed_on INTEGER NOT NULL,
    UNIQUE (thread, reader, message_id, read_on)
) STRICT;

CREATE TABLE sync_runs (
    id INTEGER PRIMARY KEY,
    started_on INTEGER NOT NULL,
    ended_on INTEGER,
    identities TEXT NOT NULL,       -- JSON array of raw ids (never tokens)
    full INTEGER NOT NULL,
    threads INTEGER,
    messages_new INTEGER,
    revisions_new INTEGER,
    failed_threads INTEGER,
    outcome TEXT,                   -- NULL while running (or when the process died)
    error TEXT
) STRICT;

CREATE TABLE sync_cursors (
    thread INTEGER PRIMARY KEY REFERENCES threads(id),
    last_message_received_on REAL,
    deleted_on REAL,
    newest_created_on REAL,
    last_full_sync REAL,
    last_sync REAL NOT NULL
) STRICT;

-- The current state of every message: its latest revision (empty content when deleted).
CREATE VIEW current_messages AS
    SELECT m.id AS message_row, m.edited, m.revision_count, m.content_version,
        coalesce(r.content, r.text) AS received_content, r.*
    FROM messages m JOIN revisions r ON r.message = m.id AND r.version = m.latest_version;

-- FTS5 content sources (see the header).
CREATE VIEW messages_search AS
    SELECT m.id AS id, coalesce(r.search_text, r.text) AS text, coalesce(r.cjk, '') AS cjk
    FROM messages m JOIN revisions r ON r.message = m.id AND r.version = m.content_version;
CREATE VIEW revisions_search AS
    SELECT r.id AS id, coalesce(r.search_text, r.text) AS text, coalesce(r.cjk, '') AS cjk
    FROM revisions r JOIN messages m ON m.id = r.message
    WHERE r.deleted_on IS NULL AND r.version IS NOT m.content_version;

CREATE VIRTUAL TABLE messages_fts USING fts5(
    text, cjk, content = 'messages_search', content_rowid = 'id', tokenize = 'unicode61 remove_diacritics 2'
);
CREATE VIRTUAL TABLE revisions_fts USING fts5(
    text, cjk, content = 'revisions_search', content_rowid = 'id', tokenize = 'unicode61 remove_diacritics 2'
);

CREATE TRIGGER revisions_append_only_update BEFORE UPDATE ON revisions
BEGIN SELECT RAISE(ABORT, 'revisions are append-only'); END;
CREATE TRIGGER revisions_append_only_delete BEFORE DELETE ON revisions
BEGIN SELECT RAISE(ABORT, 'revisions are append-only'); END;
CREATE TRIGGER read_receipts_append_only_update BEFORE UPDATE ON read_receipts
BEGIN SELECT RAISE(ABORT, 'read receipts are append-only'); END;
CREATE TRIGGER read_receipts_append_only_delete BEFORE DELETE ON read_receipts
BEGIN SELECT RAISE(ABORT, 'read receipts are append-only'); END;
CREATE TRIGGER membership_events_append_only_update BEFORE UPDATE ON membership_events
BEGIN SELECT RAISE(ABORT, 'membership events are append-only'); END;
CREATE TRIGGER membership_events_append_only_delete BEFORE DELETE ON membership_events
BEGIN SELECT RAISE(ABORT, 'membership events are append-only'); END;
-- A topic entry may only gain its change time (a topicUpdated message confirming a topic seen in a snapshot).
CREATE TRIGGER topic_history_append_only_update BEFORE UPDATE ON topic_history
WHEN OLD.changed_on IS NOT NULL OR NEW.topic IS NOT OLD.topic OR NEW.thread IS NOT OLD.thread
    OR NEW.observed_on IS NOT OLD.observed_on OR NEW.id IS NOT OLD.id
BEGIN SELECT RAISE(ABORT, 'topic history is append-only'); END;
CREATE TRIGGER topic_history_append_only_delete BEFORE DELETE ON topic_history
BEGIN SELECT RAISE(ABORT, 'topic history is append-only'); END;
CREATE TRIGGER messages_never_deleted BEFORE DELETE ON messages
BEGIN SELECT RAISE(ABORT, 'messages are never deleted'); END;
CREATE TRIGGER threads_never_deleted BEFORE DELETE ON threads
BEGIN SELECT RAISE(ABORT, 'threads are never deleted'); END;
CREATE TRIGGER participants_never_deleted BEFORE DELETE ON participants
BEGIN SELECT RAISE(ABORT, 'participants are never deleted'); END;
CREATE TRIGGER identities_never_deleted BEFORE DELETE ON identities
BEGIN SELECT RAISE(ABORT, 'identities are never deleted'); END;
CREATE TRIGGER sync_runs_never_deleted BEFORE DELETE ON sync_runs
BEGIN SELECT RAISE(ABORT, 'sync runs are never deleted'); END;
CREATE TRIGGER sync_runs_finish_once BEFORE UPDATE ON sync_runs WHEN OLD.ended_on IS NOT NULL
BEGIN SELECT RAISE(ABORT, 'a finished sync run cannot change'); END;
