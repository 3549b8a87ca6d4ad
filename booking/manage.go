package booking

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"strings"

	"github.com/frontdeskhq/frontdesk"
)

// Manage-page tokens: a booking's page /b/{token} is reached only through
// the unguessable link in its emails and in the confirm result. Each link
// has its own token; only the token's hash is stored.

// HashManageToken returns the stored form of a manage-page token.
func HashManageToken(token string) string { return hashToken(token) }

// ValidManageToken reports whether s has the shape of a manage token, so a
// malformed one never reaches the database.
func ValidManageToken(s string) bool { return validToken("m_", s) }

// newToken is an unguessable token: the prefix and 256 random bits in hex.
func newToken(prefix string) string { return prefix + frontdesk.NewID() + frontdesk.NewID() }

// hashToken is the stored form of a token made by newToken.
func hashToken(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

// validToken reports whether s has the shape of a token made by newToken
// with this prefix.
func validToken(prefix, s string) bool {
	rest, ok := strings.CutPrefix(s, prefix)
	if !ok || len(rest) != 64 {
		return false
	}
	for _, c := range rest {
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f') {
			return false
		}
	}
	return true
}

// manageURL issues a new manage-page link for b inside tx.
func (s *Service) manageURL(ctx context.Context, tx frontdesk.Tx, b *frontdesk.Booking) (string, error) {
	token := newToken("m_")
	if err := tx.CreateManageToken(ctx, b.TenantID, b.ID, HashManageToken(token), s.now()); err != nil {
		return "", err
	}
	return strings.TrimRight(s.PublicURL, "/") + "/b/" + token, nil
}

// ByManageToken finds the booking and its tenant a manage-page token was
// issued for. An unknown or malformed token is ENotFound.
func (s *Service) ByManageToken(ctx context.Context, token string) (*frontdesk.Booking, *frontdesk.Tenant, error) {
	if !ValidManageToken(token) {
		return nil, nil, frontdesk.NotFound("The booking")
	}
	b, err := s.Store.BookingByManageToken(ctx, HashManageToken(token))
	if err != nil {
		return nil, nil, err
	}
	t, err := s.Store.TenantByID(ctx, b.TenantID)
	if err != nil {
		return nil, nil, err
	}
	return b, t, nil
}
