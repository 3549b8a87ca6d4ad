-- The owner's dashboard: one-time sign-in links, signed-in sessions, and
-- the conversations that led to bookings (chat sessions are deleted after a
-- day, so the transcript is copied when the booking is made).

-- Sign-in links: only the hash of each token is kept. A link is used by
-- setting used_at, once (UseLoginToken).
CREATE TABLE dashboard_login_tokens (
    hash       text PRIMARY KEY,
    tenant_id  text NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    email      text NOT NULL,
    expires_at timestamptz NOT NULL,
    used_at    timestamptz,
    created_at timestamptz NOT NULL
);
CREATE INDEX dashboard_login_tokens_tenant ON dashboard_login_tokens (tenant_id);
CREATE INDEX dashboard_login_tokens_expires ON dashboard_login_tokens (expires_at);

-- Signed-in owners: the cookie's secret is kept as its hash; id is the
-- public handle to list and revoke a session by.
CREATE TABLE dashboard_sessions (
    id           text PRIMARY KEY,
    hash         text NOT NULL UNIQUE,
    tenant_id    text NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    email        text NOT NULL,
    csrf_token   text NOT NULL,
    user_agent   text NOT NULL DEFAULT '',
    created_at   timestamptz NOT NULL,
    last_seen_at timestamptz NOT NULL,
    expires_at   timestamptz NOT NULL,
    revoked_at   timestamptz
);
CREATE INDEX dashboard_sessions_tenant ON dashboard_sessions (tenant_id, created_at);
CREATE INDEX dashboard_sessions_expires ON dashboard_sessions (expires_at);

-- One conversation per booking, replaced when saved again.
CREATE TABLE booking_transcripts (
    booking_id text PRIMARY KEY REFERENCES bookings(id) ON DELETE CASCADE,
    tenant_id  text NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    transcript text NOT NULL,
    created_at timestamptz NOT NULL
);
CREATE INDEX booking_transcripts_tenant ON booking_transcripts (tenant_id);
