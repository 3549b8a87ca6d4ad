-- The session's input-token cap is checked on every turn: its sum reads
-- the session's rows only, not the tenant's whole history.
CREATE INDEX token_usage_session ON token_usage (tenant_id, session_id);
