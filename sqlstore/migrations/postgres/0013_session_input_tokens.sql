-- The input tokens the model has read in a session, kept on the session
-- so the per-session cap is read with it instead of summed on every turn.
ALTER TABLE chat_sessions ADD COLUMN input_tokens bigint NOT NULL DEFAULT 0;
UPDATE chat_sessions SET input_tokens = COALESCE((SELECT SUM(u.input_tokens + u.cache_read_tokens + u.cache_write_tokens)
    FROM token_usage u WHERE u.tenant_id = chat_sessions.tenant_id AND u.session_id = chat_sessions.id), 0);
