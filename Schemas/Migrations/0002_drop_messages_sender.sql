-- chat-archive schema version 2.
--
-- Drops messages_sender (messages(sender, created_on)): no query reads it (the `from:` filter matches the
-- revision's sender and names), and every message insert paid for it (the store benchmark inserted 15% faster
-- without it and messages_time; messages_time stays, for date filters and sorts).
DROP INDEX messages_sender;
