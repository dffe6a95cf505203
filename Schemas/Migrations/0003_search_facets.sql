-- chat-archive schema version 3: narrow filters as index terms.
--
-- `thread:X review` used to walk every match of the common word and join each to messages to test the
-- thread (126k rows for one word in a 1M-message archive: 85 ms). Both FTS5 tables gain a third column,
-- `facets`, holding two terms per row: `t<threads.id>` and `s<identities.id of the sender>` (`s0` when there
-- is none). The store resolves `thread:`, `topic:` and `from:` to those rows first and ANDs the terms into the
-- MATCH, so FTS5 intersects posting lists; the SQL filter stays as well, so results are exactly those of the
-- filter. User terms are confined to the `text` and `cjk` columns and can never match a facet, and bm25 weighs
-- the column 0, so scores are unchanged.
--
-- `from:` also matches the display name a revision was sent under, which may be an old name of the identity.
-- sender_names keeps every (sender, display name) pair the revisions hold, so `from:` can find the identities
-- without reading the revisions; derived, kept by ArchiveStore in the same transaction, checked by verify.

CREATE TABLE sender_names (
    identity INTEGER NOT NULL REFERENCES identities(id),
    name TEXT NOT NULL,
    PRIMARY KEY (identity, name)
) STRICT, WITHOUT ROWID;
INSERT INTO sender_names (identity, name)
    SELECT DISTINCT sender, sender_display_name FROM revisions
    WHERE sender IS NOT NULL AND sender_display_name IS NOT NULL;
CREATE TRIGGER sender_names_never_deleted BEFORE DELETE ON sender_names
BEGIN SELECT RAISE(ABORT, 'sender names are never deleted'); END;

DROP TABLE messages_fts;
DROP TABLE revisions_fts;
DROP VIEW messages_search;
DROP VIEW revisions_search;

CREATE VIEW messages_search AS
    SELECT m.id AS id, coalesce(r.search_text, r.text) AS text, coalesce(r.cjk, '') AS cjk,
        't' || r.thread || ' s' || coalesce(r.sender, 0) AS facets
    FROM messages m JOIN revisions r ON r.message = m.id AND r.version = m.content_version;
CREATE VIEW revisions_search AS
    SELECT r.id AS id, coalesce(r.search_text, r.text) AS text, coalesce(r.cjk, '') AS cjk,
        't' || r.thread || ' s' || coalesce(r.sender, 0) AS facets
    FROM revisions r JOIN messages m ON m.id = r.message
    WHERE r.deleted_on IS NULL AND r.version IS NOT m.content_version;

CREATE VIRTUAL TABLE messages_fts USING fts5(
    text, cjk, facets, content = 'messages_search', content_rowid = 'id',
    tokenize = 'unicode61 remove_diacritics 2'
);
CREATE VIRTUAL TABLE revisions_fts USING fts5(
    text, cjk, facets, content = 'revisions_search', content_rowid = 'id',
    tokenize = 'unicode61 remove_diacritics 2'
);
INSERT INTO messages_fts (messages_fts) VALUES ('rebuild');
INSERT INTO revisions_fts (revisions_fts) VALUES ('rebuild');
