-- Message numbers come from a sequence: two messages appended to one
-- session at once can no longer draw the same number.
CREATE SEQUENCE chat_messages_seq;
SELECT setval('chat_messages_seq', COALESCE((SELECT max(seq) FROM chat_messages), 0) + 1, false);
ALTER TABLE chat_messages ALTER COLUMN seq SET DEFAULT nextval('chat_messages_seq');
ALTER SEQUENCE chat_messages_seq OWNED BY chat_messages.seq;
