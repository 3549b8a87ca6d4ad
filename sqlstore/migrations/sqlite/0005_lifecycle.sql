-- The booking lifecycle: cancel, reschedule, refunds, reminders and the
-- customer's manage page. Existing bookings start with nothing refunded,
-- never moved, calendar sequence 0 and no reminder due.
ALTER TABLE bookings ADD COLUMN refunded_cents INTEGER NOT NULL DEFAULT 0 CHECK (refunded_cents >= 0);
ALTER TABLE bookings ADD COLUMN reschedule_count integer NOT NULL DEFAULT 0 CHECK (reschedule_count >= 0);
ALTER TABLE bookings ADD COLUMN calendar_sequence integer NOT NULL DEFAULT 0 CHECK (calendar_sequence >= 0);
ALTER TABLE bookings ADD COLUMN reminder_due_at TEXT;
-- The reminder job reads live bookings whose reminder is due.
CREATE INDEX bookings_reminder_due ON bookings (reminder_due_at)
    WHERE status IN ('PENDING', 'CONFIRMED') AND reminder_due_at IS NOT NULL;

-- A rescheduled TIMESLOT booking changes start_at and hold_until, which
-- bookings_no_overlap_update (0001) watches, so a move onto a taken slot is
-- refused; a DATE booking moved onto a taken day hits bookings_one_live_date.

-- The manage page's links: only the hash of each token is kept.
CREATE TABLE manage_tokens (
    token_hash text PRIMARY KEY,
    tenant_id  text NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    booking_id text NOT NULL REFERENCES bookings(id) ON DELETE CASCADE,
    created_at TEXT NOT NULL
);
CREATE INDEX manage_tokens_booking ON manage_tokens (booking_id);

-- Money going back to customers, written with the cancellation and carried
-- out (and retried) after it.
CREATE TABLE refunds (
    id                 text PRIMARY KEY,
    tenant_id          text NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    booking_id         text NOT NULL REFERENCES bookings(id),
    amount_cents       INTEGER NOT NULL CHECK (amount_cents > 0),
    currency           text NOT NULL,
    reason             text NOT NULL DEFAULT '',
    status             text NOT NULL CHECK (status IN ('PENDING', 'SUCCEEDED', 'FAILED')),
    provider_refund_id text NOT NULL DEFAULT '',
    attempts           integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    next_attempt_at    TEXT NOT NULL,
    last_error         text NOT NULL DEFAULT '',
    created_at         TEXT NOT NULL,
    updated_at         TEXT NOT NULL
);
CREATE UNIQUE INDEX refunds_provider_refund_id ON refunds (provider_refund_id) WHERE provider_refund_id <> '';
CREATE INDEX refunds_booking ON refunds (tenant_id, booking_id, created_at);
CREATE INDEX refunds_due ON refunds (next_attempt_at) WHERE status = 'PENDING';

-- A booking's refunds that are not FAILED never add up to more than its
-- price. Only writes that can raise the sum are checked: a new refund, a
-- FAILED one revived, a larger amount. Writers are serialised by SQLite,
-- so the check cannot race.
CREATE TRIGGER refunds_within_total_insert BEFORE INSERT ON refunds
WHEN NEW.status <> 'FAILED'
BEGIN
    SELECT RAISE(ABORT, 'refunds_exceed_total') WHERE NEW.amount_cents + (
        SELECT COALESCE(SUM(r.amount_cents), 0) FROM refunds r
        WHERE r.booking_id = NEW.booking_id AND r.status <> 'FAILED' AND r.id <> NEW.id
    ) > (SELECT b.total_price_cents FROM bookings b WHERE b.id = NEW.booking_id);
END;

CREATE TRIGGER refunds_within_total_update BEFORE UPDATE OF status, amount_cents, booking_id ON refunds
WHEN NEW.status <> 'FAILED' AND (OLD.status = 'FAILED' OR NEW.amount_cents > OLD.amount_cents OR NEW.booking_id <> OLD.booking_id)
BEGIN
    SELECT RAISE(ABORT, 'refunds_exceed_total') WHERE NEW.amount_cents + (
        SELECT COALESCE(SUM(r.amount_cents), 0) FROM refunds r
        WHERE r.booking_id = NEW.booking_id AND r.status <> 'FAILED' AND r.id <> NEW.id
    ) > (SELECT b.total_price_cents FROM bookings b WHERE b.id = NEW.booking_id);
END;
