package booking

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/frontdeskhq/frontdesk"
	fdmail "github.com/frontdeskhq/frontdesk/mail"
)

// A customer changes a booking through the assistant in two steps, like a
// booking: a proposal whose preview says what will happen (the refund, the
// old and new times), then their confirm. The booking is found by its
// confirmation code and its email together.

// FindForCustomer finds tenant t's booking with this confirmation code and
// this customer email. A wrong code and a wrong email get the same answer,
// so neither can be probed alone.
func (s *Service) FindForCustomer(ctx context.Context, t *frontdesk.Tenant, code, email string) (*frontdesk.Booking, error) {
	code = strings.ToUpper(strings.TrimSpace(code))
	email = strings.TrimSpace(email)
	notFound := frontdesk.Errorf(frontdesk.ENotFound, "No booking matches that confirmation code and email. Please check both (the code looks like BK-7XK3QM and is in your confirmation email).")
	if !ValidConfirmationCode(code) || !ValidEmail(email) {
		return nil, notFound
	}
	b, err := s.Store.BookingByCode(ctx, t.ID, code)
	if frontdesk.IsCode(err, frontdesk.ENotFound) {
		return nil, notFound
	}
	if err != nil {
		return nil, err
	}
	if !strings.EqualFold(b.Customer.Email, email) {
		return nil, notFound
	}
	return b, nil
}

// ValidConfirmationCode reports whether s looks like a confirmation code.
func ValidConfirmationCode(s string) bool {
	rest, ok := strings.CutPrefix(s, "BK-")
	if !ok || len(rest) != 6 {
		return false
	}
	for _, c := range rest {
		if !strings.ContainsRune("ABCDEFGHJKLMNPQRSTUVWXYZ23456789", c) {
			return false
		}
	}
	return true
}

// changePayload is what a cancel or reschedule proposal stores.
type changePayload struct {
	BookingID string `json:"bookingId"`
	Reason    string `json:"reason,omitempty"`
	// RefundCents is the refund the cancel preview promised.
	RefundCents *int64         `json:"refundCents,omitempty"`
	Date        frontdesk.Date `json:"date,omitzero"`
	StartTime   string         `json:"startTime,omitempty"`
}

// MaxReason bounds the reason of a cancellation, in characters.
const MaxReason = 500

// ProposeCancel makes a cancel_booking proposal for the customer's booking
// b: its preview states the refund the policy gives now.
func (s *Service) ProposeCancel(ctx context.Context, t *frontdesk.Tenant, sessionID string, b *frontdesk.Booking, reason string) (*frontdesk.Proposal, error) {
	now := s.now()
	if !b.Status.Live() {
		return nil, frontdesk.Errorf(frontdesk.EConflict, "Booking %s is %s already; there is nothing to cancel.", b.ConfirmationCode, strings.ToLower(string(b.Status)))
	}
	if !StartOf(b, t.Location()).After(now) {
		return nil, frontdesk.Errorf(frontdesk.EConflict, "Booking %s has already started or taken place, so it can't be canceled. Please contact %s.", b.ConfirmationCode, t.Name)
	}
	// Free text: cleaned of hidden characters rather than refused for them.
	if reason = frontdesk.CleanText(reason, 0); utf8.RuneCountInString(reason) > MaxReason {
		return nil, frontdesk.Invalid(frontdesk.FieldError{Field: "reason", Message: "Please keep the reason to 500 characters."})
	}
	refund := RefundAmount(t, b, RefundPolicy, now)
	preview := fmt.Sprintf("Cancel %s on %s (%s).", b.PackageName, WhenText(t, b), b.ConfirmationCode)
	switch {
	case refund > 0:
		preview += fmt.Sprintf(" Refund: %s of %s paid.", fdmail.FormatMoney(refund, b.Currency), fdmail.FormatMoney(Refundable(b), b.Currency))
	case b.PaidAt != nil:
		preview += " Under the cancellation policy no refund is due."
	default:
		preview += " Nothing has been charged."
	}
	return s.storeChange(ctx, t, sessionID, frontdesk.OpCancelBooking, changePayload{BookingID: b.ID, Reason: reason, RefundCents: &refund}, preview)
}

// ProposeReschedule makes a reschedule_booking proposal moving the
// customer's booking b to date (and newTime, HH:MM local, for a timed
// service), after checking that the move is allowed and the time is open.
func (s *Service) ProposeReschedule(ctx context.Context, t *frontdesk.Tenant, sessionID string, b *frontdesk.Booking, date frontdesk.Date, newTime string) (*frontdesk.Proposal, error) {
	if err := CheckReschedule(t, b, ByCustomer, s.now()); err != nil {
		return nil, err
	}
	moved, err := s.newSlot(ctx, s.Store, t, b, date, newTime)
	if err != nil {
		return nil, err
	}
	preview := fmt.Sprintf("Move %s (%s) from %s to %s.", b.PackageName, b.ConfirmationCode, WhenText(t, b), WhenText(t, moved))
	start := ""
	if moved.StartAt != nil {
		start = moved.StartAt.UTC().Format(time.RFC3339)
	}
	return s.storeChange(ctx, t, sessionID, frontdesk.OpRescheduleBooking, changePayload{BookingID: b.ID, Date: moved.Date, StartTime: start}, preview)
}

func (s *Service) storeChange(ctx context.Context, t *frontdesk.Tenant, sessionID, op string, payload changePayload, preview string) (*frontdesk.Proposal, error) {
	raw, err := json.Marshal(payload)
	if err != nil {
		return nil, err
	}
	now := s.now()
	p := &frontdesk.Proposal{ID: frontdesk.NewID(), TenantID: t.ID, SessionID: sessionID, Operation: op,
		Payload: raw, Preview: preview, Status: frontdesk.ProposalPending, ExpiresAt: now.Add(frontdesk.ProposalTTL), CreatedAt: now}
	if err := s.Store.CreateProposal(ctx, p); err != nil {
		return nil, err
	}
	return p, nil
}

// executeChange runs a confirmed cancel or reschedule proposal inside the
// confirm's transaction.
func (s *Service) executeChange(ctx context.Context, tx frontdesk.Tx, t *frontdesk.Tenant, p *frontdesk.Proposal) (*Result, followUp, error) {
	var pl changePayload
	if err := json.Unmarshal(p.Payload, &pl); err != nil {
		return nil, followUp{}, fmt.Errorf("proposal %s payload: %w", p.ID, err)
	}
	switch p.Operation {
	case frontdesk.OpCancelBooking:
		return s.cancelTx(ctx, tx, t, pl.BookingID, CancelRequest{Refund: RefundPolicy, Reason: pl.Reason, By: ByCustomer, NotifyCustomer: true, QuotedRefund: pl.RefundCents})
	case frontdesk.OpRescheduleBooking:
		res, err := s.rescheduleTx(ctx, tx, t, pl.BookingID, RescheduleRequest{Date: pl.Date, StartTime: pl.StartTime, By: ByCustomer, NotifyCustomer: true})
		if err != nil {
			return nil, followUp{}, err
		}
		return res, followUp{entered: rescheduled}, nil
	}
	return nil, followUp{}, frontdesk.Errorf(frontdesk.EInvalid, "This kind of request can't be confirmed here.")
}

// OwnerBooking is a booking the business takes itself (by phone, at the
// desk): source API, no proposal.
type OwnerBooking struct {
	PackageID string
	Date      string
	StartTime string
	Customer  frontdesk.Customer // Name, Email, Phone
	Notes     string
	// Paid marks it paid outside Frontdesk: CONFIRMED at once. Otherwise a
	// paid service waits for payment through a checkout link.
	Paid           bool
	NotifyCustomer bool
}

// BookForOwner books for the business with the same checks as the
// assistant (availability, the business's rules) and the same emails,
// the customer's only when asked. It returns the booking and, for one
// awaiting payment, its checkout link.
func (s *Service) BookForOwner(ctx context.Context, t *frontdesk.Tenant, in OwnerBooking) (*frontdesk.Booking, error) {
	req, _, err := s.Prepare(ctx, t, frontdesk.BookServiceIn{PackageID: in.PackageID, Date: in.Date, StartTime: in.StartTime,
		CustomerName: in.Customer.Name, CustomerEmail: in.Customer.Email, CustomerPhone: in.Customer.Phone, Notes: in.Notes})
	if err != nil {
		return nil, ownerFields(err)
	}
	var b *frontdesk.Booking
	var pkg *frontdesk.Package
	err = s.Store.WithTx(ctx, func(tx frontdesk.Tx) error {
		if err := tx.LockTenantSlots(ctx, t.ID); err != nil {
			return err
		}
		var err error
		b, pkg, err = s.create(ctx, tx, t, req, createOptions{Source: frontdesk.SourceAPI, Paid: in.Paid, NotifyCustomer: in.NotifyCustomer})
		return err
	})
	if err != nil {
		return nil, err
	}
	s.Metrics.BookingStatus(string(b.Status))
	if b.Status == frontdesk.StatusPending {
		s.StartCheckout(ctx, t, pkg, b, nil)
	}
	return b, nil
}

// ownerFields renames the assistant's field names in validation details to
// the tenant API's.
func ownerFields(err error) error {
	fe, ok := err.(*frontdesk.Error)
	if !ok || len(fe.Details) == 0 {
		return err
	}
	names := map[string]string{"customerName": "customer.name", "customerEmail": "customer.email", "customerPhone": "customer.phone"}
	c := *fe
	c.Details = nil
	for _, d := range fe.Details {
		if n, ok := names[d.Field]; ok {
			d.Field = n
		}
		c.Details = append(c.Details, d)
	}
	if len(c.Details) == 1 {
		c.Message = c.Details[0].Field + ": " + c.Details[0].Message
	}
	return &c
}
