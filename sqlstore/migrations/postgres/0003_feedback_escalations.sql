-- CSAT: a thumb per assistant message and one rating per session. A
-- repeated send (a network retry, a changed mind) updates the one row.
CREATE TABLE chat_feedback (
    id            text PRIMARY KEY,
    tenant_id     text NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    session_id    text NOT NULL,
    target        text NOT NULL, -- the message id, or 'session' for a rating
    feedback_type text NOT NULL CHECK (feedback_type IN ('THUMBS_UP', 'THUMBS_DOWN', 'RATING')),
    rating        integer CHECK (rating BETWEEN 1 AND 5),
    comment       text NOT NULL DEFAULT '',
    created_at    timestamptz NOT NULL,
    updated_at    timestamptz NOT NULL,
    UNIQUE (tenant_id, session_id, target)
);

CREATE TABLE chat_escalations (
    id             text PRIMARY KEY,
    tenant_id      text NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    session_id     text NOT NULL,
    reason         text NOT NULL,
    customer_email text NOT NULL DEFAULT '',
    customer_phone text NOT NULL DEFAULT '',
    summary        text NOT NULL,
    status         text NOT NULL CHECK (status IN ('PENDING', 'ACKNOWLEDGED', 'RESOLVED')),
    created_at     timestamptz NOT NULL
);
CREATE INDEX chat_escalations_tenant ON chat_escalations (tenant_id, created_at);
