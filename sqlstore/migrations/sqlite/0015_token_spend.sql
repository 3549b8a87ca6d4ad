-- A tenant's month of model spend is read on every chat turn of a tenant
-- with a budget: it is kept as running totals per quarter hour (every time
-- zone's month starts on one), added to as usage is recorded, so the sum
-- reads at most a month's quarter hours, however busy the month.
CREATE TABLE token_spend (
    tenant_id   text NOT NULL,
    bucket      text NOT NULL, -- the quarter hour's first instant, UTC, as created_at
    micro_cents bigint NOT NULL,
    PRIMARY KEY (tenant_id, bucket)
);
INSERT INTO token_spend (tenant_id, bucket, micro_cents)
SELECT tenant_id,
       substr(created_at, 1, 14) || printf('%02d', (CAST(substr(created_at, 15, 2) AS INTEGER) / 15) * 15) || ':00.000000Z',
       SUM(cost_micro_cents)
FROM token_usage
GROUP BY 1, 2;
-- The per-session sum it served was replaced by chat_sessions.input_tokens.
DROP INDEX token_usage_session;
