package sqlstore

import (
	"context"
	"database/sql"
	"time"

	"github.com/frontdeskhq/frontdesk"
)

const loginTokenCols = `hash, tenant_id, email, expires_at, used_at, created_at`

func scanLoginToken(row rowScanner) (*frontdesk.LoginToken, error) {
	var t frontdesk.LoginToken
	var expires, used, created scanTime
	if err := row.Scan(&t.Hash, &t.TenantID, &t.Email, &expires, &used, &created); err != nil {
		return nil, err
	}
	t.ExpiresAt, t.UsedAt, t.CreatedAt = expires.T, used.ptr(), created.T
	return &t, nil
}

// CreateLoginToken stores a sign-in link of a tenant by its hash. ENotFound
// when there is no such tenant; EConflict when the hash is already stored.
func (s *queries) CreateLoginToken(ctx context.Context, t *frontdesk.LoginToken) error {
	// Selecting the tenant turns an unknown one into ENotFound rather than
	// a foreign key error.
	return s.execOne(ctx, "The business", `INSERT INTO dashboard_login_tokens (`+loginTokenCols+`)
		SELECT $1, id, $3, $4, $5, $6 FROM tenants WHERE id = $2`,
		t.Hash, t.TenantID, t.Email, ts(t.ExpiresAt), nts(t.UsedAt), ts(t.CreatedAt))
}

// UseLoginToken marks the sign-in link with this hash used at now and
// returns it. One UPDATE both checks and marks the link, so of two uses at
// once only one finds it unused. ENotFound when the link is unknown, used
// or expired at now.
func (s *queries) UseLoginToken(ctx context.Context, hash string, now time.Time) (*frontdesk.LoginToken, error) {
	if hash == "" {
		return nil, frontdesk.NotFound("The sign-in link")
	}
	t, err := scanLoginToken(s.q.QueryRowContext(ctx, `UPDATE dashboard_login_tokens SET used_at = $2
		WHERE hash = $1 AND used_at IS NULL AND expires_at > $2
		RETURNING `+loginTokenCols, hash, ts(now)))
	if err != nil {
		return nil, s.notFound(err, "The sign-in link")
	}
	return t, nil
}

const dashboardSessionCols = `id, hash, tenant_id, email, csrf_token, user_agent, created_at, last_seen_at, expires_at, revoked_at`

func scanDashboardSession(row rowScanner) (*frontdesk.DashboardSession, error) {
	var d frontdesk.DashboardSession
	var created, seen, expires, revoked scanTime
	if err := row.Scan(&d.ID, &d.Hash, &d.TenantID, &d.Email, &d.CSRFToken, &d.UserAgent,
		&created, &seen, &expires, &revoked); err != nil {
		return nil, err
	}
	d.CreatedAt, d.LastSeenAt, d.ExpiresAt, d.RevokedAt = created.T, seen.T, expires.T, revoked.ptr()
	return &d, nil
}

// CreateDashboardSession stores a signed-in owner's session. ENotFound when
// there is no such tenant; EConflict when the id or the hash is taken.
func (s *queries) CreateDashboardSession(ctx context.Context, d *frontdesk.DashboardSession) error {
	return s.execOne(ctx, "The business", `INSERT INTO dashboard_sessions (`+dashboardSessionCols+`)
		SELECT $1, $2, id, $4, $5, $6, $7, $8, $9, $10 FROM tenants WHERE id = $3`,
		d.ID, d.Hash, d.TenantID, d.Email, d.CSRFToken, d.UserAgent,
		ts(d.CreatedAt), ts(d.LastSeenAt), ts(d.ExpiresAt), nts(d.RevokedAt))
}

// DashboardSessionByHash finds, in any tenant, the session whose secret has
// this hash. ENotFound when there is none, or it is revoked or expired at
// now.
func (s *queries) DashboardSessionByHash(ctx context.Context, hash string, now time.Time) (*frontdesk.DashboardSession, error) {
	if hash == "" {
		return nil, frontdesk.NotFound("The session")
	}
	d, err := scanDashboardSession(s.q.QueryRowContext(ctx, `SELECT `+dashboardSessionCols+` FROM dashboard_sessions
		WHERE hash = $1 AND revoked_at IS NULL AND expires_at > $2`, hash, ts(now)))
	if err != nil {
		return nil, s.notFound(err, "The session")
	}
	return d, nil
}

// TouchDashboardSession sets the last use of a session that is not revoked
// to now. ENotFound when there is no such session or it is revoked.
func (s *queries) TouchDashboardSession(ctx context.Context, id string, now time.Time) error {
	return s.execOne(ctx, "The session", `UPDATE dashboard_sessions SET last_seen_at = $2
		WHERE id = $1 AND revoked_at IS NULL`, id, ts(now))
}

// ListDashboardSessions lists a tenant's sessions that are neither revoked
// nor expired at now, newest first.
func (s *queries) ListDashboardSessions(ctx context.Context, tenantID string, now time.Time) ([]*frontdesk.DashboardSession, error) {
	return queryAll(ctx, s, scanDashboardSession, `SELECT `+dashboardSessionCols+` FROM dashboard_sessions
		WHERE tenant_id = $1 AND revoked_at IS NULL AND expires_at > $2
		ORDER BY created_at DESC, id DESC`, tenantID, ts(now))
}

// RevokeDashboardSession ends a tenant's session at now. Revoking it again
// succeeds and keeps the first time. ENotFound when the tenant has no
// session with this id.
func (s *queries) RevokeDashboardSession(ctx context.Context, tenantID, id string, now time.Time) error {
	return s.execOne(ctx, "The session", `UPDATE dashboard_sessions SET revoked_at = COALESCE(revoked_at, $3)
		WHERE tenant_id = $1 AND id = $2`, tenantID, id, ts(now))
}

// SaveTranscript stores the conversation that led to a tenant's booking,
// replacing one saved before. ENotFound when the tenant has no such
// booking.
func (s *queries) SaveTranscript(ctx context.Context, tenantID, bookingID, transcript string) error {
	// Selecting the booking keeps a transcript in its booking's tenant. The
	// interface carries no time; the row's time is only informative.
	return s.execOne(ctx, "The booking", `INSERT INTO booking_transcripts (booking_id, tenant_id, transcript, created_at)
		SELECT id, tenant_id, $3, $4 FROM bookings WHERE tenant_id = $1 AND id = $2
		ON CONFLICT (booking_id) DO UPDATE SET transcript = excluded.transcript, created_at = excluded.created_at
		WHERE booking_transcripts.tenant_id = excluded.tenant_id`,
		tenantID, bookingID, transcript, ts(time.Now()))
}

// Transcript returns the conversation saved for a tenant's booking, "" when
// none was saved. ENotFound when the tenant has no such booking.
func (s *queries) Transcript(ctx context.Context, tenantID, bookingID string) (string, error) {
	var transcript sql.NullString
	err := s.q.QueryRowContext(ctx, `SELECT t.transcript FROM bookings b
		LEFT JOIN booking_transcripts t ON t.booking_id = b.id AND t.tenant_id = b.tenant_id
		WHERE b.tenant_id = $1 AND b.id = $2`, tenantID, bookingID).Scan(&transcript)
	if err != nil {
		return "", s.notFound(err, "The booking")
	}
	return transcript.String, nil
}

// DeleteStaleDashboardAccess removes dead sign-in links and sessions.
func (s *queries) DeleteStaleDashboardAccess(ctx context.Context, before time.Time) (int64, error) {
	links, err := s.affected(ctx, `DELETE FROM dashboard_login_tokens WHERE expires_at < $1`, ts(before))
	if err != nil {
		return 0, err
	}
	sessions, err := s.affected(ctx, `DELETE FROM dashboard_sessions WHERE expires_at < $1 OR revoked_at < $1`, ts(before))
	return links + sessions, err
}
