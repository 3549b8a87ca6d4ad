CREATE TABLE tenants (
    id                text PRIMARY KEY,
    name              text NOT NULL,
    slug              text NOT NULL UNIQUE,
    contact_email     text NOT NULL,
    time_zone         text NOT NULL,
    currency          text NOT NULL,
    public_key        text NOT NULL UNIQUE,
    secret_key_hash   text NOT NULL UNIQUE,
    allowed_origins   text NOT NULL DEFAULT '[]',
    business_info     text NOT NULL DEFAULT '{}',
    stripe_account_id text NOT NULL DEFAULT '',
    created_at        TEXT NOT NULL
);

CREATE TABLE packages (
    id               text PRIMARY KEY,
    tenant_id        text NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    slug             text NOT NULL,
    name             text NOT NULL,
    description      text NOT NULL DEFAULT '',
    price_cents      INTEGER NOT NULL CHECK (price_cents >= 0),
    currency         text NOT NULL,
    booking_type     text NOT NULL CHECK (booking_type IN ('DATE', 'TIMESLOT')),
    duration_minutes integer NOT NULL DEFAULT 0 CHECK (duration_minutes >= 0),
    buffer_minutes   integer NOT NULL DEFAULT 0 CHECK (buffer_minutes >= 0),
    active           INTEGER NOT NULL DEFAULT 1,
    category         text NOT NULL DEFAULT '',
    created_at       TEXT NOT NULL,
    UNIQUE (tenant_id, slug)
);

CREATE TABLE availability_rules (
    id           text PRIMARY KEY,
    tenant_id    text NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    weekday      integer NOT NULL CHECK (weekday BETWEEN 0 AND 6),
    start_minute integer NOT NULL CHECK (start_minute BETWEEN 0 AND 1440),
    end_minute   integer NOT NULL CHECK (end_minute BETWEEN 0 AND 1440),
    CHECK (start_minute < end_minute)
);
CREATE INDEX availability_rules_tenant ON availability_rules (tenant_id);

CREATE TABLE blackout_dates (
    id        text PRIMARY KEY,
    tenant_id text NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    date      TEXT NOT NULL,
    reason    text NOT NULL DEFAULT '',
    UNIQUE (tenant_id, date)
);

CREATE TABLE customers (
    id         text PRIMARY KEY,
    tenant_id  text NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    email      text NOT NULL,
    email_norm text NOT NULL,
    name       text NOT NULL,
    phone      text NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    UNIQUE (tenant_id, email_norm)
);

CREATE TABLE bookings (
    id                  text PRIMARY KEY,
    tenant_id           text NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    customer_id         text NOT NULL REFERENCES customers(id),
    package_id          text NOT NULL REFERENCES packages(id),
    booking_type        text NOT NULL CHECK (booking_type IN ('DATE', 'TIMESLOT')),
    date                TEXT NOT NULL,
    start_at            TEXT,
    end_at              TEXT,
    hold_until          TEXT,
    status              text NOT NULL CHECK (status IN ('PENDING', 'CONFIRMED', 'CANCELED', 'REFUNDED', 'EXPIRED')),
    total_price_cents   INTEGER NOT NULL CHECK (total_price_cents >= 0),
    currency            text NOT NULL,
    confirmation_code   text NOT NULL UNIQUE,
    paid_at             TEXT,
    source              text NOT NULL,
    checkout_session_id text NOT NULL DEFAULT '',
    checkout_url        text NOT NULL DEFAULT '',
    checkout_expires_at TEXT,
    payment_intent_id   text NOT NULL DEFAULT '',
    cancellation_reason text NOT NULL DEFAULT '',
    canceled_at         TEXT,
    notes               text NOT NULL DEFAULT '',
    created_at          TEXT NOT NULL,
    updated_at          TEXT NOT NULL,
    CHECK (booking_type = 'DATE' OR (start_at IS NOT NULL AND end_at > start_at AND hold_until >= end_at))
);
-- A DATE package allows one live booking per tenant per date.
CREATE UNIQUE INDEX bookings_one_live_date ON bookings (tenant_id, date)
    WHERE booking_type = 'DATE' AND status IN ('PENDING', 'CONFIRMED');
CREATE INDEX bookings_tenant_created ON bookings (tenant_id, created_at, id);
CREATE INDEX bookings_tenant_date ON bookings (tenant_id, date);
CREATE INDEX bookings_checkout_session ON bookings (checkout_session_id) WHERE checkout_session_id <> '';
CREATE INDEX bookings_lapsed ON bookings (checkout_expires_at) WHERE status = 'PENDING';

CREATE TABLE chat_sessions (
    id          text PRIMARY KEY,
    tenant_id   text NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    customer_id text NOT NULL DEFAULT '',
    state       text NOT NULL DEFAULT '',
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL
);
CREATE INDEX chat_sessions_updated ON chat_sessions (updated_at);

CREATE TABLE chat_messages (
    id         text PRIMARY KEY,
    tenant_id  text NOT NULL,
    session_id text NOT NULL REFERENCES chat_sessions(id) ON DELETE CASCADE,
    seq        INTEGER NOT NULL,
    role       text NOT NULL,
    content    text NOT NULL,
    tool_calls text NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    UNIQUE (session_id, seq)
);

CREATE TABLE proposals (
    id         text PRIMARY KEY,
    tenant_id  text NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    session_id text NOT NULL,
    operation  text NOT NULL,
    payload    text NOT NULL,
    preview    text NOT NULL,
    status     text NOT NULL,
    expires_at TEXT NOT NULL,
    result     text NOT NULL DEFAULT '',
    created_at TEXT NOT NULL
);
CREATE INDEX proposals_status_expiry ON proposals (status, expires_at);

CREATE TABLE webhook_events (
    id         text PRIMARY KEY,
    provider   text NOT NULL,
    type       text NOT NULL,
    status     text NOT NULL,
    created_at TEXT NOT NULL
);

CREATE TABLE email_outbox (
    id              text PRIMARY KEY,
    tenant_id       text NOT NULL,
    idempotency_key text NOT NULL UNIQUE,
    kind            text NOT NULL,
    message         text NOT NULL,
    status          text NOT NULL,
    attempts        integer NOT NULL DEFAULT 0,
    next_attempt_at TEXT NOT NULL,
    last_error      text NOT NULL DEFAULT '',
    sent_at         TEXT,
    created_at      TEXT NOT NULL
);
CREATE INDEX email_outbox_due ON email_outbox (next_attempt_at) WHERE status = 'PENDING';

CREATE TABLE token_usage (
    id                 text PRIMARY KEY,
    tenant_id          text NOT NULL,
    session_id         text NOT NULL,
    model              text NOT NULL,
    input_tokens       INTEGER NOT NULL,
    output_tokens      INTEGER NOT NULL,
    cache_read_tokens  INTEGER NOT NULL,
    cache_write_tokens INTEGER NOT NULL,
    cost_micro_cents   INTEGER NOT NULL,
    created_at         TEXT NOT NULL
);
CREATE INDEX token_usage_tenant ON token_usage (tenant_id, created_at);

-- TIMESLOT bookings of a tenant never overlap while live. SQLite has no
-- exclusion constraints; these triggers refuse the write instead. Writers are
-- serialised by SQLite, so the check cannot race.
CREATE TRIGGER bookings_no_overlap_insert BEFORE INSERT ON bookings
WHEN NEW.booking_type = 'TIMESLOT' AND NEW.status IN ('PENDING', 'CONFIRMED')
BEGIN
    SELECT RAISE(ABORT, 'slot_unavailable') WHERE EXISTS (
        SELECT 1 FROM bookings b
        WHERE b.tenant_id = NEW.tenant_id AND b.id <> NEW.id
          AND b.booking_type = 'TIMESLOT' AND b.status IN ('PENDING', 'CONFIRMED')
          AND b.start_at < NEW.hold_until AND NEW.start_at < b.hold_until);
END;

CREATE TRIGGER bookings_no_overlap_update BEFORE UPDATE OF status, start_at, hold_until ON bookings
WHEN NEW.booking_type = 'TIMESLOT' AND NEW.status IN ('PENDING', 'CONFIRMED')
BEGIN
    SELECT RAISE(ABORT, 'slot_unavailable') WHERE EXISTS (
        SELECT 1 FROM bookings b
        WHERE b.tenant_id = NEW.tenant_id AND b.id <> NEW.id
          AND b.booking_type = 'TIMESLOT' AND b.status IN ('PENDING', 'CONFIRMED')
          AND b.start_at < NEW.hold_until AND NEW.start_at < b.hold_until);
END;
