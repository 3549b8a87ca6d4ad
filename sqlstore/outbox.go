package sqlstore

import (
	"context"
	"encoding/json"
	"time"

	"github.com/frontdeskhq/frontdesk"
)

// EnqueueEmail adds an email to the outbox; a repeated idempotency key is a no-op.
func (s *queries) EnqueueEmail(ctx context.Context, e *frontdesk.OutboxEmail) error {
	msg, err := json.Marshal(e.Email)
	if err != nil {
		return err
	}
	if e.Status == "" {
		e.Status = frontdesk.EmailPending
	}
	_, err = s.q.ExecContext(ctx, `INSERT INTO email_outbox (id, tenant_id, idempotency_key, kind, message, status,
		attempts, next_attempt_at, last_error, created_at) VALUES ($1, $2, $3, $4, $5, $6, 0, $7, '', $8)
		ON CONFLICT (idempotency_key) DO NOTHING`,
		e.ID, e.TenantID, e.IdempotencyKey, e.Kind, string(msg), string(e.Status), ts(e.NextAttemptAt), ts(e.CreatedAt))
	return s.mapErr(err)
}

const emailCols = `id, tenant_id, idempotency_key, kind, message, status, attempts, next_attempt_at, last_error, sent_at, created_at`

func scanEmail(row rowScanner) (*frontdesk.OutboxEmail, error) {
	var e frontdesk.OutboxEmail
	var msg, status string
	var next, sent, created scanTime
	if err := row.Scan(&e.ID, &e.TenantID, &e.IdempotencyKey, &e.Kind, &msg, &status, &e.Attempts, &next,
		&e.LastError, &sent, &created); err != nil {
		return nil, err
	}
	if err := json.Unmarshal([]byte(msg), &e.Email); err != nil {
		return nil, err
	}
	e.Status = frontdesk.EmailStatus(status)
	e.NextAttemptAt, e.SentAt, e.CreatedAt = next.T, sent.ptr(), created.T
	return &e, nil
}

func (s *queries) queryEmails(ctx context.Context, query string, args ...any) ([]*frontdesk.OutboxEmail, error) {
	return queryAll(ctx, s, scanEmail, query, args...)
}

// ClaimEmails leases due emails to the caller. On PostgreSQL, SKIP LOCKED
// lets several instances claim disjoint sets; on SQLite the single writer
// makes the claim atomic. Each claim counts as an attempt.
func (s *queries) ClaimEmails(ctx context.Context, now time.Time, lease time.Duration, limit int) ([]*frontdesk.OutboxEmail, error) {
	lock := ""
	if s.d == Postgres {
		lock = " FOR UPDATE SKIP LOCKED"
	}
	return s.queryEmails(ctx, `UPDATE email_outbox SET next_attempt_at = $2, attempts = attempts + 1
		WHERE id IN (SELECT id FROM email_outbox WHERE status = 'PENDING' AND next_attempt_at <= $1
			ORDER BY next_attempt_at LIMIT $3`+lock+`)
		RETURNING `+emailCols, ts(now), ts(now.Add(lease)), limit)
}

// MarkEmailSent records a delivery.
func (s *queries) MarkEmailSent(ctx context.Context, id string, at time.Time) error {
	_, err := s.q.ExecContext(ctx, `UPDATE email_outbox SET status = 'SENT', sent_at = $2, last_error = '' WHERE id = $1`, id, ts(at))
	return s.mapErr(err)
}

// MarkEmailFailed records a failed attempt.
func (s *queries) MarkEmailFailed(ctx context.Context, id, lastErr string, next time.Time, dead bool) error {
	status := frontdesk.EmailPending
	if dead {
		status = frontdesk.EmailDead
	}
	if len(lastErr) > 1000 {
		lastErr = lastErr[:1000]
	}
	_, err := s.q.ExecContext(ctx, `UPDATE email_outbox SET status = $2, last_error = $3, next_attempt_at = $4 WHERE id = $1`,
		id, string(status), lastErr, ts(next))
	return s.mapErr(err)
}

// ListEmails lists a tenant's emails, newest first.
func (s *queries) ListEmails(ctx context.Context, tenantID string) ([]*frontdesk.OutboxEmail, error) {
	return s.queryEmails(ctx, `SELECT `+emailCols+` FROM email_outbox WHERE tenant_id = $1 ORDER BY created_at DESC, id`, tenantID)
}

// AllEmails lists the latest emails of all tenants.
func (s *queries) AllEmails(ctx context.Context, limit int) ([]*frontdesk.OutboxEmail, error) {
	return s.queryEmails(ctx, `SELECT `+emailCols+` FROM email_outbox ORDER BY created_at DESC, id LIMIT $1`, limit)
}

// Email finds one email by id.
func (s *queries) Email(ctx context.Context, id string) (*frontdesk.OutboxEmail, error) {
	e, err := scanEmail(s.q.QueryRowContext(ctx, `SELECT `+emailCols+` FROM email_outbox WHERE id = $1`, id))
	if err != nil {
		return nil, s.notFound(err, "The email")
	}
	return e, nil
}

// RecordWebhookEvent inserts an event id once.
func (s *queries) RecordWebhookEvent(ctx context.Context, e *frontdesk.WebhookEvent) (bool, error) {
	res, err := s.q.ExecContext(ctx, `INSERT INTO webhook_events (id, provider, type, status, created_at)
		VALUES ($1, $2, $3, $4, $5) ON CONFLICT (id) DO NOTHING`, e.ID, e.Provider, e.Type, e.Status, ts(e.CreatedAt))
	if err != nil {
		return false, s.mapErr(err)
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

// ReleaseEmail rewrites and reschedules an email that no worker has tried yet.
func (s *queries) ReleaseEmail(ctx context.Context, key string, e *frontdesk.Email, due time.Time) error {
	if e == nil {
		_, err := s.q.ExecContext(ctx, `UPDATE email_outbox SET next_attempt_at = $2
			WHERE idempotency_key = $1 AND status = 'PENDING' AND attempts = 0`, key, ts(due))
		return s.mapErr(err)
	}
	msg, err := json.Marshal(e)
	if err != nil {
		return err
	}
	_, err = s.q.ExecContext(ctx, `UPDATE email_outbox SET next_attempt_at = $2, message = $3
		WHERE idempotency_key = $1 AND status = 'PENDING' AND attempts = 0`, key, ts(due), string(msg))
	return s.mapErr(err)
}
