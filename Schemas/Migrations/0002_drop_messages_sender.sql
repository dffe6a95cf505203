-- chat-archive schema version 2.
--
-- Drops messages_sender (messages(sender, created_on)): no query reads it (the `from:` filter matches the
-- revision's sender and names), and keeping it cost about a tenth of the time of every message insert.
DROP INDEX messages_sender;
