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

// customerToken issues a new customer token for the customer of b.
func (s *Service) customerToken(ctx context.Context, tx frontdesk.Tx, b *frontdesk.Booking) (string, error) {
	token := newToken("c_")
	if err := tx.CreateCustomerToken(ctx, b.TenantID, b.CustomerID, hashToken(token), s.now()); err != nil {
		return "", err
	}
	return token, nil
}

// ReturningCustomer is the tenant's customer a customer token belongs to.
// A token of the wrong shape, expired, another tenant's or an erased
// customer's is ENotFound: the caller treats the visitor as new.
func (s *Service) ReturningCustomer(ctx context.Context, t *frontdesk.Tenant, token string) (*frontdesk.Customer, error) {
	if !validToken("c_", token) {
		return nil, frontdesk.NotFound("The customer")
	}
	return s.Store.CustomerByToken(ctx, t.ID, hashToken(token), s.now().Add(-CustomerTokenTTL))
}

// RecentBookings lists the customer's latest bookings, newest first, at
// most n.
func (s *Service) RecentBookings(ctx context.Context, t *frontdesk.Tenant, customerID string, n int) ([]*frontdesk.Booking, error) {
	all, err := s.Store.CustomerBookings(ctx, t.ID, customerID)
	if err != nil {
		return nil, err
	}
	out := make([]*frontdesk.Booking, 0, n)
	for i := len(all) - 1; i >= 0 && len(out) < n; i-- {
		out = append(out, all[i])
	}
	return out, nil
}
