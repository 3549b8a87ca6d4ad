package chat

import (
	"context"
	"fmt"
	"strings"

	"github.com/frontdeskhq/frontdesk"
	"github.com/frontdeskhq/frontdesk/guided"
)

// RecentBookingsShown is how many of a returning customer's bookings the
// model is told of.
const RecentBookingsShown = 3

// returningCustomer is the customer a token names, or nil: a token of the
// wrong shape, expired, another tenant's or an erased customer's is
// ignored, and the visitor is treated as new.
func (s *Service) returningCustomer(ctx context.Context, t *frontdesk.Tenant, token string) *frontdesk.Customer {
	if token == "" || s.Bookings == nil {
		return nil
	}
	c, err := s.Bookings.ReturningCustomer(ctx, t, token)
	if err != nil {
		if !frontdesk.IsCode(err, frontdesk.ENotFound) {
			s.log().Warn("look up a returning customer", "tenant_id", t.ID, "err", err)
		}
		return nil
	}
	return c
}

// sessionCustomer is the customer a session is linked to, or nil.
func (s *Service) sessionCustomer(ctx context.Context, t *frontdesk.Tenant, cs *frontdesk.ChatSession) *frontdesk.Customer {
	if cs.CustomerID == "" {
		return nil
	}
	c, err := s.Store.Customer(ctx, t.ID, cs.CustomerID)
	if err != nil {
		if !frontdesk.IsCode(err, frontdesk.ENotFound) {
			s.log().Warn("load a session's customer", "tenant_id", t.ID, "err", err)
		}
		return nil
	}
	return c
}

// guidedCustomer is what the guided assistant pre-fills for a session's
// customer; nil for a visitor it does not know.
func guidedCustomer(c *frontdesk.Customer) *guided.Customer {
	if c == nil {
		return nil
	}
	return &guided.Customer{Name: c.Name, Email: c.Email, Phone: c.Phone}
}

// visitorContext is the per-visitor part of the model's context: who a
// returning customer is and their last bookings; "" for a visitor the
// session does not know. It changes per session, so it is placed after the
// parts every visitor shares.
func (s *Service) visitorContext(ctx context.Context, t *frontdesk.Tenant, cs *frontdesk.ChatSession) string {
	c := s.sessionCustomer(ctx, t, cs)
	if c == nil {
		return ""
	}
	var b strings.Builder
	b.WriteString("Returning customer (recognised from the last visit on this device; it is who you are talking to unless they say otherwise): ")
	fmt.Fprintf(&b, "name %q, email %q", frontdesk.CleanLine(c.Name, 200), frontdesk.CleanLine(c.Email, 320))
	if c.Phone != "" {
		fmt.Fprintf(&b, ", phone %q", frontdesk.CleanLine(c.Phone, 40))
	}
	b.WriteString(".\nGreet them by first name. For a booking use these details instead of asking again (you may ask \"the same as last time?\" and confirm the details); if they say they are someone else, ask for the name and email as for any visitor.\n")
	bookings, err := s.Bookings.RecentBookings(ctx, t, c.ID, RecentBookingsShown)
	if err != nil {
		s.log().Warn("load a returning customer's bookings", "tenant_id", t.ID, "err", err)
		return b.String()
	}
	if len(bookings) > 0 {
		b.WriteString("Their latest bookings, newest first:\n")
	}
	loc := t.Location()
	for _, bk := range bookings {
		name := bk.PackageID
		if p, err := s.Store.Package(ctx, t.ID, bk.PackageID); err == nil {
			name = p.Name
		}
		when := bk.Date.In(loc).Format("Mon 2 Jan 2006")
		if bk.StartAt != nil {
			when = bk.StartAt.In(loc).Format("Mon 2 Jan 2006 at 3:04 PM")
		}
		fmt.Fprintf(&b, "- %s: %s on %s, %s\n", bk.ConfirmationCode, name, when, bk.Status)
	}
	return b.String()
}
