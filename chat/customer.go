package chat

import (
	"context"
	"fmt"
	"strings"

	"github.com/frontdeskhq/frontdesk"
	"github.com/frontdeskhq/frontdesk/booking"
	"github.com/frontdeskhq/frontdesk/guided"
)

// Returning customers: a session linked by a customer token knows what
// its holder typed and booked the last time (frontdesk.CustomerToken),
// never the rest of the customer row, which was found by an email nobody
// verified and may hold someone else's details and bookings.

// returningCustomer is the stored token a visitor's token names, or nil: a
// token of the wrong shape, expired, another tenant's or an erased
// customer's is ignored, and the visitor is treated as new.
func (s *Service) returningCustomer(ctx context.Context, t *frontdesk.Tenant, token string) *frontdesk.CustomerToken {
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

// sessionCustomer is the token that links a session, or nil.
func (s *Service) sessionCustomer(ctx context.Context, t *frontdesk.Tenant, cs *frontdesk.ChatSession) *frontdesk.CustomerToken {
	if cs.CustomerToken == "" || s.Bookings == nil {
		return nil
	}
	c, err := s.Bookings.LinkedCustomer(ctx, t, cs.CustomerToken)
	if err != nil {
		if !frontdesk.IsCode(err, frontdesk.ENotFound) {
			s.log().Warn("load a session's returning customer", "tenant_id", t.ID, "err", err)
		}
		return nil
	}
	return c
}

// link links a session to the token a booking in it was given: the
// visitor is from now on the person who booked.
func link(cs *frontdesk.ChatSession, customerID, token string) {
	cs.CustomerID, cs.CustomerToken = customerID, booking.HashCustomerToken(token)
}

// guidedCustomer is what the guided assistant pre-fills for a session's
// returning customer; nil for a visitor it does not know.
func guidedCustomer(c *frontdesk.CustomerToken) *guided.Customer {
	if c == nil {
		return nil
	}
	return &guided.Customer{Name: c.Name, Email: c.Email, Phone: c.Phone}
}

// visitorContext is the per-visitor part of the model's context: who the
// returning customer c said they were and what they booked from this
// device; "" for a visitor the session does not know (c nil). It changes
// per session, so it is placed after the parts every visitor shares.
func (s *Service) visitorContext(ctx context.Context, t *frontdesk.Tenant, c *frontdesk.CustomerToken) string {
	if c == nil {
		return ""
	}
	var b strings.Builder
	b.WriteString("Returning customer (recognised from their last booking on this device; it is who you are talking to unless they say otherwise): ")
	fmt.Fprintf(&b, "name %q, email %q", frontdesk.CleanLine(c.Name, 200), frontdesk.CleanLine(c.Email, 320))
	if c.Phone != "" {
		fmt.Fprintf(&b, ", phone %q", frontdesk.CleanLine(c.Phone, 40))
	}
	b.WriteString(".\nGreet them by first name. For a booking use these details instead of asking again (you may ask \"the same as last time?\" and confirm the details); if they say they are someone else, ask for the name and email as for any visitor.\n")
	// The bookings this device's holder made, newest first: the token's
	// own and those of the tokens it succeeded.
	var lines []string
	for _, id := range append([]string{c.BookingID}, c.Earlier...) {
		if line := s.bookingLine(ctx, t, id); line != "" {
			lines = append(lines, "- "+line)
		}
	}
	if len(lines) > 0 {
		b.WriteString("Their bookings from this device, newest first:\n" + strings.Join(lines, "\n") + "\n")
	}
	return b.String()
}

// bookingLine describes a returning customer's booking for the model's
// context: code, service, when and status; "" when it cannot be read.
func (s *Service) bookingLine(ctx context.Context, t *frontdesk.Tenant, id string) string {
	bk, err := s.Store.Booking(ctx, t.ID, id)
	if err != nil {
		if !frontdesk.IsCode(err, frontdesk.ENotFound) {
			s.log().Warn("load a returning customer's booking", "tenant_id", t.ID, "err", err)
		}
		return ""
	}
	return fmt.Sprintf("%s: %s on %s, %s", bk.ConfirmationCode, bk.PackageName, booking.WhenText(t, bk), bk.Status)
}
