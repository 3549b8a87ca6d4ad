-- The booking lifecycle: cancel, reschedule, refunds, reminders and the
-- customer's manage page. Existing bookings start with nothing refunded,
-- never moved, calendar sequence 0 and no reminder due.
ALTER TABLE bookings
    ADD COLUMN refunded_cents bigint NOT NULL DEFAULT 0 CHECK (refunded_cents >= 0),
    ADD COLUMN reschedule_count integer NOT NULL DEFAULT 0 CHECK (reschedule_count >= 0),
    ADD COLUMN calendar_sequence integer NOT NULL DEFAULT 0 CHECK (calendar_sequence >= 0),
    ADD COLUMN reminder_due_at timestamptz;
-- The reminder job reads live bookings whose reminder is due.
CREATE INDEX bookings_reminder_due ON bookings (reminder_due_at)
    WHERE status IN ('PENDING', 'CONFIRMED') AND reminder_due_at IS NOT NULL;

-- A rescheduled booking is an UPDATE of start_at and hold_until (or of
-- date): bookings_no_overlap and bookings_one_live_date (0001) check the
-- new row version, so a move onto a taken slot is refused.

-- The manage page's links: only the hash of each token is kept.
CREATE TABLE manage_tokens (
    token_hash text PRIMARY KEY,
    tenant_id  text NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    booking_id text NOT NULL REFERENCES bookings(id) ON DELETE CASCADE,
    created_at timestamptz NOT NULL
);
CREATE INDEX manage_tokens_booking ON manage_tokens (booking_id);

-- Money going back to customers, written with the cancellation and carried
-- out (and retried) after it.
CREATE TABLE refunds (
    id                 text PRIMARY KEY,
    tenant_id          text NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    booking_id         text NOT NULL REFERENCES bookings(id),
    amount_cents       bigint NOT NULL CHECK (amount_cents > 0),
    currency           text NOT NULL,
    reason             text NOT NULL DEFAULT '',
    status             text NOT NULL CHECK (status IN ('PENDING', 'SUCCEEDED', 'FAILED')),
    provider_refund_id text NOT NULL DEFAULT '',
    attempts           integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    next_attempt_at    timestamptz NOT NULL,
    last_error         text NOT NULL DEFAULT '',
    created_at         timestamptz NOT NULL,
    updated_at         timestamptz NOT NULL
);
CREATE UNIQUE INDEX refunds_provider_refund_id ON refunds (provider_refund_id) WHERE provider_refund_id <> '';
CREATE INDEX refunds_booking ON refunds (tenant_id, booking_id, created_at);
CREATE INDEX refunds_due ON refunds (next_attempt_at) WHERE status = 'PENDING';

-- A booking's refunds that are not FAILED never add up to more than its
-- price. Only writes that can raise the sum are checked: a new refund, a
-- FAILED one revived, a larger amount. The booking's row is locked first,
-- so two refunds of one booking written at once are checked one after the
-- other (each statement of the function sees what committed before it).
CREATE FUNCTION refunds_within_total() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    total  bigint;
    others bigint;
BEGIN
    SELECT b.total_price_cents INTO total FROM bookings b WHERE b.id = NEW.booking_id FOR NO KEY UPDATE;
    SELECT COALESCE(sum(r.amount_cents), 0) INTO others FROM refunds r
        WHERE r.booking_id = NEW.booking_id AND r.status <> 'FAILED' AND r.id <> NEW.id;
    IF others + NEW.amount_cents > total THEN
        RAISE EXCEPTION 'refunds of booking % would exceed its price', NEW.booking_id
            USING ERRCODE = 'check_violation', CONSTRAINT = 'refunds_within_total';
    END IF;
    RETURN NEW;
END
$$;
CREATE TRIGGER refunds_within_total_insert BEFORE INSERT ON refunds
    FOR EACH ROW WHEN (NEW.status <> 'FAILED') EXECUTE FUNCTION refunds_within_total();
CREATE TRIGGER refunds_within_total_update BEFORE UPDATE OF status, amount_cents, booking_id ON refunds
    FOR EACH ROW WHEN (NEW.status <> 'FAILED' AND (OLD.status = 'FAILED' OR NEW.amount_cents > OLD.amount_cents OR NEW.booking_id <> OLD.booking_id))
    EXECUTE FUNCTION refunds_within_total();
