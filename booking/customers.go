package booking

import (
	"context"
	"time"

	"github.com/frontdeskhq/frontdesk"
)

// Returning customers: confirming a booking gives the visitor a customer
// token, which the widget keeps for that business and sends when a new
// chat starts, so the assistant knows who it is talking to. A token is
// unguessable, per tenant, stored only as its hash, honoured for
// CustomerTokenTTL and revoked when the customer is erased. It is never
// derived from an email the visitor types.

// CustomerTokenTTL is how long a customer token is honoured.
const CustomerTokenTTL = 365 * 24 * time.Hour

// customerToken issues a new customer token for the booking b just made
// from req in chat session sessionID: it shows its holder that booking and
// the details typed for it, never the rest of the customer row (found by
// an unverified email). When an earlier token of the same customer linked
// the session, its holder booked again: the new token carries that
// token's bookings as well, the history made on that device.
func (s *Service) customerToken(ctx context.Context, tx frontdesk.Tx, b *frontdesk.Booking, req *Request, sessionID string) (string, error) {
	token := newToken("c_")
	tok := &frontdesk.CustomerToken{Hash: hashToken(token), TenantID: b.TenantID, CustomerID: b.CustomerID,
		BookingID: b.ID, Name: req.CustomerName, Email: req.CustomerEmail, Phone: req.CustomerPhone, CreatedAt: s.now()}
	if cs, err := tx.Session(ctx, b.TenantID, sessionID); err == nil && cs.CustomerToken != "" {
		prev, err := tx.CustomerToken(ctx, b.TenantID, cs.CustomerToken, s.now().Add(-CustomerTokenTTL))
		switch {
		case err == nil && prev.CustomerID == b.CustomerID:
			tok.Earlier = append([]string{prev.BookingID}, prev.Earlier...)
			tok.Earlier = tok.Earlier[:min(len(tok.Earlier), frontdesk.MaxEarlierBookings)]
		case err != nil && !frontdesk.IsCode(err, frontdesk.ENotFound):
			return "", err
		}
	} else if err != nil && !frontdesk.IsCode(err, frontdesk.ENotFound) {
		return "", err
	}
	if err := tx.CreateCustomerToken(ctx, tok); err != nil {
		return "", err
	}
	return token, nil
}

// HashCustomerToken is the stored form of a customer token.
func HashCustomerToken(token string) string { return hashToken(token) }

// ReturningCustomer is the customer token's stored form. A token of the
// wrong shape, expired, another tenant's or an erased customer's is
// ENotFound: the caller treats the visitor as new.
func (s *Service) ReturningCustomer(ctx context.Context, t *frontdesk.Tenant, token string) (*frontdesk.CustomerToken, error) {
	if !validToken("c_", token) {
		return nil, frontdesk.NotFound("The customer")
	}
	return s.LinkedCustomer(ctx, t, hashToken(token))
}

// LinkedCustomer is the stored token with this hash, while it is honoured.
func (s *Service) LinkedCustomer(ctx context.Context, t *frontdesk.Tenant, tokenHash string) (*frontdesk.CustomerToken, error) {
	return s.Store.CustomerToken(ctx, t.ID, tokenHash, s.now().Add(-CustomerTokenTTL))
}
