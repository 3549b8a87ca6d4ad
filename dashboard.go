package frontdesk

import (
	"context"
	"time"
)

// LoginToken is a one-time sign-in link to the owner's dashboard, emailed to
// the tenant's contact email or one of its dashboard emails. Only the
// token's hash is stored; it works once, until it expires.
type LoginToken struct {
	Hash      string
	TenantID  string
	Email     string
	ExpiresAt time.Time
	UsedAt    *time.Time
	CreatedAt time.Time
}

// DashboardSession is a signed-in owner. The cookie carries a secret whose
// hash is Hash; ID is a public handle to list and revoke the session by.
type DashboardSession struct {
	ID         string
	Hash       string
	TenantID   string
	Email      string
	CSRFToken  string // the per-session token every form carries
	UserAgent  string
	CreatedAt  time.Time
	LastSeenAt time.Time
	ExpiresAt  time.Time
	RevokedAt  *time.Time
}

// DashboardStore keeps dashboard sign-ins and sessions.
type DashboardStore interface {
	CreateLoginToken(ctx context.Context, t *LoginToken) error
	// UseLoginToken marks the token with this hash used and returns it,
	// if it exists, is unused and has not expired at now; ENotFound
	// otherwise. Two uses at once: one succeeds.
	UseLoginToken(ctx context.Context, hash string, now time.Time) (*LoginToken, error)
	CreateDashboardSession(ctx context.Context, s *DashboardSession) error
	// DashboardSessionByHash finds a session that is neither expired at now
	// nor revoked; ENotFound otherwise.
	DashboardSessionByHash(ctx context.Context, hash string, now time.Time) (*DashboardSession, error)
	// TouchDashboardSession records that the session was used at now.
	TouchDashboardSession(ctx context.Context, id string, now time.Time) error
	// ListDashboardSessions lists a tenant's live sessions, newest first.
	ListDashboardSessions(ctx context.Context, tenantID string, now time.Time) ([]*DashboardSession, error)
	// RevokeDashboardSession ends a tenant's session at once.
	RevokeDashboardSession(ctx context.Context, tenantID, id string, now time.Time) error
	// SaveTranscript keeps the conversation that led to a booking, since
	// chat sessions are deleted after a day; saving again replaces it.
	SaveTranscript(ctx context.Context, tenantID, bookingID, transcript string) error
	// Transcript returns a booking's saved conversation ("" when none).
	Transcript(ctx context.Context, tenantID, bookingID string) (string, error)
	// DeleteStaleDashboardAccess removes sign-in links and sessions that
	// expired (or, for sessions, were revoked) before before.
	DeleteStaleDashboardAccess(ctx context.Context, before time.Time) (int64, error)
}
