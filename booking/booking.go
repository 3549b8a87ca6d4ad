// Package booking turns confirmed proposals into bookings and applies payment
// events to them. It is the one place where a booking is created or changes
// status, so every path (chat confirm, Stripe webhook, test-mode checkout,
// expiry job) gets the same checks, the same emails and the same idempotency.
package booking

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/mail"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/frontdeskhq/frontdesk"
	"github.com/frontdeskhq/frontdesk/availability"
	fdmail "github.com/frontdeskhq/frontdesk/mail"
	"github.com/frontdeskhq/frontdesk/metrics"
)

// Service books. Payments may be nil only in tests that never book a paid
// package.
type Service struct {
	Store     frontdesk.Store
	Clock     frontdesk.Clock
	Payments  frontdesk.Payments
	Log       *slog.Logger
	PublicURL string
	MailFrom  string
	// CheckoutTTL is how long a checkout stays open and the slot is held.
	CheckoutTTL time.Duration
	// PlatformFeePercent is taken from bookings of tenants with a connected account.
	PlatformFeePercent int
	// ExpiryPage is how many lapsed bookings ExpireLapsed reads at a time
	// (default DefaultExpiryPage), and ExpiryMaxPages how many pages one
	// run reads at most (default DefaultExpiryMaxPages).
	ExpiryPage, ExpiryMaxPages int
	// Metrics counts bookings entering a status and payment events by
	// outcome, once each transaction has committed; nil counts nothing.
	Metrics *metrics.Metrics
}

// EmailHold is how long the customer's confirmation email of a paid booking
// waits for its payment link before it goes out without one.
const EmailHold = 2 * time.Minute

func (s *Service) now() time.Time { return s.Clock.Now().UTC() }

func (s *Service) checkoutTTL() time.Duration {
	if s.CheckoutTTL < 45*time.Minute {
		return 45 * time.Minute // Stripe needs at least 30 minutes left when it is created
	}
	return s.CheckoutTTL
}

// Request is a validated create_booking payload, stored in the proposal.
type Request struct {
	PackageID     string                `json:"packageId"`
	Date          frontdesk.Date        `json:"date"`
	StartAt       *time.Time            `json:"startAt,omitempty"`
	CustomerName  string                `json:"customerName"`
	CustomerEmail string                `json:"customerEmail"`
	CustomerPhone string                `json:"customerPhone,omitempty"`
	Notes         string                `json:"notes,omitempty"`
	PriceCents    int64                 `json:"priceCents"`
	Currency      string                `json:"currency"`
	BookingType   frontdesk.BookingType `json:"bookingType"`
}

// ProposalRef names a proposal of a session.
type ProposalRef struct{ SessionID, ID string }

// Result is what confirming a booking proposal returns; it is stored on the
// proposal so that a second confirm returns the same.
type Result struct {
	Success          bool   `json:"success"`
	Action           string `json:"action"`
	BookingID        string `json:"bookingId"`
	ConfirmationCode string `json:"confirmationCode"`
	Status           string `json:"status"`
	CheckoutURL      string `json:"checkoutUrl,omitempty"`
	// ManageURL is the booking's manage page (a booking's result only).
	ManageURL string `json:"manageUrl,omitempty"`
	// CustomerToken lets the widget recognise the customer on a later
	// visit (a booking's result only).
	CustomerToken string `json:"customerToken,omitempty"`
	// RefundedCents is what a cancellation refunds (a cancellation only).
	RefundedCents *int64 `json:"refundedCents,omitempty"`
	Message       string `json:"message"`
}

// Calendar loads what availability needs for a tenant between two dates.
func Calendar(ctx context.Context, tx frontdesk.Tx, t *frontdesk.Tenant, now time.Time, from, to frontdesk.Date) (availability.Calendar, error) {
	rules, err := tx.ListAvailabilityRules(ctx, t.ID)
	if err != nil {
		return availability.Calendar{}, err
	}
	blackouts, err := tx.ListBlackoutDates(ctx, t.ID, from.AddDays(-1), to.AddDays(1))
	if err != nil {
		return availability.Calendar{}, err
	}
	live, err := tx.LiveBookings(ctx, t.ID, from.AddDays(-1), to.AddDays(1))
	if err != nil {
		return availability.Calendar{}, err
	}
	cal := availability.Calendar{Location: t.Location(), Now: now, Rules: rules, Bookings: live,
		MinNotice: time.Duration(t.Settings.MinNoticeMinutes) * time.Minute, MaxDaysAhead: t.Settings.MaxDaysAhead}
	for _, b := range blackouts {
		cal.Blackouts = append(cal.Blackouts, b.Date)
	}
	return cal, nil
}

// MaxNotes bounds a booking's notes, in characters.
const MaxNotes = 1000

// plainTextOnly is the message for a field refused for a hidden character.
const plainTextOnly = "Please use plain text, without line breaks, control or invisible characters."

// Prepare validates a book_service request for tenant t and returns the
// stored request and a human-readable preview. Errors are *frontdesk.Error
// with messages the customer can act on.
func (s *Service) Prepare(ctx context.Context, t *frontdesk.Tenant, in frontdesk.BookServiceIn) (*Request, string, error) {
	var bad []frontdesk.FieldError
	// A name, an email or a phone number is refused when it holds a
	// hidden character (a bidi override, a zero-width space, a line
	// break): it is shown to the business and written into emails as the
	// customer's identity, so it must be what it looks like. Notes are
	// free text: they are cleaned instead.
	name := strings.TrimSpace(in.CustomerName)
	switch {
	case frontdesk.HasHiddenChars(name):
		bad = append(bad, frontdesk.FieldError{Field: "customerName", Message: plainTextOnly})
	case name == "" || utf8.RuneCountInString(name) > 200:
		bad = append(bad, frontdesk.FieldError{Field: "customerName", Message: "Please give the customer's name (up to 200 characters)."})
	}
	name = frontdesk.CleanLine(name, 200)
	email := strings.TrimSpace(in.CustomerEmail)
	if !ValidEmail(email) {
		bad = append(bad, frontdesk.FieldError{Field: "customerEmail", Message: "Please give a valid email address, like name@example.com."})
	}
	phone := strings.TrimSpace(in.CustomerPhone)
	if phone == "" && t.Settings.RequirePhone {
		bad = append(bad, frontdesk.FieldError{Field: "customerPhone", Message: "Please give a phone number: this business needs one to book."})
	} else if phone != "" && !ValidPhone(phone) {
		bad = append(bad, frontdesk.FieldError{Field: "customerPhone", Message: "Please give a phone number of 7 to 15 digits, like +1 555 010 0100, or leave it out."})
	}
	notes := frontdesk.CleanText(in.Notes, 0)
	if utf8.RuneCountInString(notes) > MaxNotes {
		bad = append(bad, frontdesk.FieldError{Field: "notes", Message: "Please keep the notes to 1000 characters."})
	}
	for _, f := range []struct{ name, v string }{{"packageId", strings.TrimSpace(in.PackageID)}, {"startTime", strings.TrimSpace(in.StartTime)}} {
		if frontdesk.HasHiddenChars(f.v) {
			bad = append(bad, frontdesk.FieldError{Field: f.name, Message: plainTextOnly})
		}
	}
	date, err := frontdesk.ParseDate(strings.TrimSpace(in.Date))
	if err != nil {
		bad = append(bad, frontdesk.FieldError{Field: "date", Message: "Please give the date as YYYY-MM-DD."})
	}
	if len(bad) > 0 {
		return nil, "", frontdesk.Invalid(bad...)
	}
	pkg, err := s.Store.Package(ctx, t.ID, strings.TrimSpace(in.PackageID))
	if frontdesk.IsCode(err, frontdesk.ENotFound) {
		return nil, "", &frontdesk.Error{Code: frontdesk.ENotFound, Err: err,
			Message: "We couldn't find that service. Please choose one of the services we offer (ask to see the list)."}
	}
	if err != nil {
		return nil, "", err
	}
	if !pkg.Active {
		return nil, "", frontdesk.Errorf(frontdesk.EInvalid, "%s is not available for booking at the moment. Please choose another service.", pkg.Name)
	}
	now := s.now()
	cal, err := Calendar(ctx, s.Store, t, now, date, date)
	if err != nil {
		return nil, "", err
	}
	req := &Request{PackageID: pkg.ID, Date: date, CustomerName: name, CustomerEmail: email,
		CustomerPhone: phone, Notes: notes,
		PriceCents: pkg.PriceCents, Currency: pkg.Currency, BookingType: pkg.BookingType}
	switch pkg.BookingType {
	case frontdesk.BookingDate:
		if err := cal.DateOpen(pkg, date); err != nil {
			return nil, "", err
		}
	case frontdesk.BookingTimeslot:
		start, err := parseStart(in.StartTime, date, t.Location())
		if err != nil {
			return nil, "", err
		}
		if err := cal.SlotOpen(pkg, start); err != nil {
			return nil, "", err
		}
		req.StartAt = &start
	}
	return req, Preview(t, pkg, req), nil
}

// Propose validates a book_service request and stores it as a
// create_booking proposal of the session, to be confirmed within
// frontdesk.ProposalTTL. Nothing is booked yet.
func (s *Service) Propose(ctx context.Context, t *frontdesk.Tenant, sessionID string, in frontdesk.BookServiceIn) (*frontdesk.Proposal, error) {
	req, preview, err := s.Prepare(ctx, t, in)
	if err != nil {
		return nil, err
	}
	payload, err := json.Marshal(req)
	if err != nil {
		return nil, err
	}
	now := s.now()
	p := &frontdesk.Proposal{ID: frontdesk.NewID(), TenantID: t.ID, SessionID: sessionID, Operation: frontdesk.OpCreateBooking,
		Payload: payload, Preview: preview, Status: frontdesk.ProposalPending, ExpiresAt: now.Add(frontdesk.ProposalTTL), CreatedAt: now}
	if err := s.Store.CreateProposal(ctx, p); err != nil {
		return nil, err
	}
	return p, nil
}

// parseStart reads a slot start given as RFC 3339 or as local HH:MM on date.
func parseStart(s string, date frontdesk.Date, loc *time.Location) (time.Time, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}, frontdesk.Invalid(frontdesk.FieldError{Field: "startTime", Message: "Please choose a start time for this service."})
	}
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		if !frontdesk.DateOf(t.In(loc)).Before(date) && !frontdesk.DateOf(t.In(loc)).After(date) {
			return t.UTC(), nil
		}
		return time.Time{}, frontdesk.Invalid(frontdesk.FieldError{Field: "startTime", Message: "The start time is not on the chosen date."})
	}
	if at, ok := frontdesk.LocalStart(date.String(), s, loc); ok {
		return at.UTC(), nil // as check_availability's times are read (Offer)
	}
	return time.Time{}, frontdesk.Invalid(frontdesk.FieldError{Field: "startTime", Message: "Please give the start time as HH:MM or as it was listed."})
}

// ValidEmail reports whether s is a plain address like name@example.com.
func ValidEmail(s string) bool {
	if len(s) > 254 || strings.ContainsAny(s, " \r\n<>\"") || frontdesk.HasHiddenChars(s) || strings.IndexFunc(s, unicode.IsSpace) >= 0 {
		return false
	}
	a, err := mail.ParseAddress(s)
	if err != nil || a.Address != s || a.Name != "" {
		return false
	}
	at := strings.LastIndexByte(s, '@')
	return at > 0 && strings.Contains(s[at+1:], ".")
}

// ValidPhone reports whether p is a phone number: 7 to 15 digits with the
// usual separators and an optional leading +.
func ValidPhone(p string) bool {
	if len(p) > 40 {
		return false
	}
	digits := 0
	for i, r := range p {
		switch {
		case r >= '0' && r <= '9':
			digits++
		case r == '+' && i == 0, r == ' ', r == '-', r == '(', r == ')', r == '.':
		default:
			return false
		}
	}
	return digits >= 7 && digits <= 15
}

// Preview describes a booking request in one line for the confirm card.
func Preview(t *frontdesk.Tenant, p *frontdesk.Package, r *Request) string {
	when := r.Date.In(time.UTC).Format("Monday 2 January 2006")
	if r.StartAt != nil {
		loc := t.Location()
		st := r.StartAt.In(loc)
		end := st.Add(time.Duration(p.DurationMinutes) * time.Minute)
		when = st.Format("Monday 2 January 2006, 3:04 PM") + "–" + end.Format("3:04 PM MST")
		if st.Format("MST") != end.Format("MST") { // across a clock change: both zones
			when = st.Format("Monday 2 January 2006, 3:04 PM MST") + "–" + end.Format("3:04 PM MST")
		}
	}
	price := "free"
	if r.PriceCents > 0 {
		price = fdmail.FormatMoney(r.PriceCents, r.Currency)
	}
	return fmt.Sprintf("%s on %s for %s <%s>, %s", p.Name, when, r.CustomerName, r.CustomerEmail, price)
}

// Confirm executes a proposal of the session (a booking, a cancellation or
// a reschedule). Confirming again returns the stored result and does
// nothing more.
func (s *Service) Confirm(ctx context.Context, t *frontdesk.Tenant, sessionID, proposalID string) (*Result, error) {
	var res *Result
	var created *frontdesk.Booking
	var pkg *frontdesk.Package
	var fu followUp
	err := s.Store.WithTx(ctx, func(tx frontdesk.Tx) error {
		res, created, pkg, fu = nil, nil, nil, followUp{}
		// Lock first, so a concurrent confirm of the same proposal waits
		// and then sees it executed.
		if err := tx.LockTenantSlots(ctx, t.ID); err != nil {
			return err
		}
		p, err := tx.Proposal(ctx, t.ID, sessionID, proposalID)
		if err != nil {
			return err
		}
		switch {
		case p.Status == frontdesk.ProposalExecuted && len(p.Result) > 0:
			res = new(Result)
			return json.Unmarshal(p.Result, res)
		case p.Status == frontdesk.ProposalRejected:
			return frontdesk.Errorf(frontdesk.EConflict, "This booking request was cancelled. Ask the assistant to make a new one.")
		case p.Status == frontdesk.ProposalExpired || !s.now().Before(p.ExpiresAt):
			return &frontdesk.Error{Code: frontdesk.EExpired, Message: "This booking request expired (they last 30 minutes). Ask the assistant to check the time again and make a new one."}
		}
		if p.Operation != frontdesk.OpCreateBooking {
			if res, fu, err = s.executeChange(ctx, tx, t, p); err != nil {
				return err
			}
		} else {
			var req Request
			if err := json.Unmarshal(p.Payload, &req); err != nil {
				return fmt.Errorf("proposal %s payload: %w", p.ID, err)
			}
			created, pkg, err = s.create(ctx, tx, t, &req, createOptions{Source: frontdesk.SourceChatbot, NotifyCustomer: true, NotifyTenant: true})
			if err != nil {
				return err
			}
			res = resultFor(created, "")
			if res.ManageURL, err = s.manageURL(ctx, tx, created); err != nil {
				return err
			}
			if res.CustomerToken, err = s.customerToken(ctx, tx, created, &req, p.SessionID); err != nil {
				return err
			}
		}
		p.Status = frontdesk.ProposalExecuted
		if p.Result, err = json.Marshal(res); err != nil {
			return err
		}
		return tx.UpdateProposal(ctx, p)
	})
	if err != nil {
		return nil, err
	}
	// Counted after the commit: a retried transaction runs its function
	// again, and only the last run's changes are real.
	if created != nil {
		s.Metrics.BookingStatus(string(created.Status))
	}
	s.count(fu.entered)
	if res.Action != "booked" {
		if !fu.pending() {
			return res, nil // a replay, or a change with nothing left to do
		}
		res = s.finish(ctx, res, fu)
		// Store what the refund made of it, so a second confirm says the same.
		if p, err := s.Store.Proposal(ctx, t.ID, sessionID, proposalID); err == nil {
			if p.Result, err = json.Marshal(res); err == nil {
				err = s.Store.UpdateProposal(ctx, p)
			}
			if err != nil {
				s.log().Warn("store the final result of a change", "proposal_id", proposalID, "err", err)
			}
		}
		return res, nil
	}
	if created == nil && res.Status == string(frontdesk.StatusPending) && res.CheckoutURL == "" {
		// A replay of a result stored before the checkout existed (the
		// provider was down, or the first confirm is still creating it):
		// give the link if the booking has one by now.
		if b, err := s.Store.Booking(ctx, t.ID, res.BookingID); err == nil && b.Status == frontdesk.StatusPending && b.CheckoutURL != "" {
			res = withCheckout(res, b, b.CheckoutURL)
		}
	}
	if created != nil && created.Status == frontdesk.StatusPending {
		// Payment happens after the booking is safely stored: a failure here
		// leaves a PENDING booking that the payment-link job finishes.
		if url := s.StartCheckout(ctx, t, pkg, created, &ProposalRef{SessionID: sessionID, ID: proposalID}); url != "" {
			res = withCheckout(res, created, url)
		} else {
			res.Message = fmt.Sprintf("You're booked! Your confirmation code is %s. We couldn't open the payment page just now; the payment link will follow by email shortly.", created.ConfirmationCode)
		}
	}
	return res, nil
}

// withCheckout is res with the booking's checkout link and the message
// that goes with it; the manage link is kept.
func withCheckout(res *Result, b *frontdesk.Booking, checkoutURL string) *Result {
	r := resultFor(b, checkoutURL)
	r.ManageURL, r.CustomerToken = res.ManageURL, res.CustomerToken
	return r
}

func resultFor(b *frontdesk.Booking, checkoutURL string) *Result {
	r := &Result{Success: true, Action: "booked", BookingID: b.ID, ConfirmationCode: b.ConfirmationCode,
		Status: string(b.Status), CheckoutURL: checkoutURL}
	switch {
	case b.Status == frontdesk.StatusConfirmed:
		r.Message = fmt.Sprintf("You're booked! Your confirmation code is %s. A confirmation email is on its way.", b.ConfirmationCode)
	case checkoutURL != "":
		r.Message = fmt.Sprintf("You're booked! Your confirmation code is %s. Please complete payment to secure your booking.", b.ConfirmationCode)
	default:
		r.Message = fmt.Sprintf("You're booked! Your confirmation code is %s. The payment link will follow by email.", b.ConfirmationCode)
	}
	return r
}

// createOptions say who makes a booking and who is told.
type createOptions struct {
	Source         string
	Paid           bool // paid outside Frontdesk (an owner's booking): CONFIRMED at once
	NotifyCustomer bool
	NotifyTenant   bool
}

// create re-checks and writes a booking and its emails inside tx.
func (s *Service) create(ctx context.Context, tx frontdesk.Tx, t *frontdesk.Tenant, req *Request, opt createOptions) (*frontdesk.Booking, *frontdesk.Package, error) {
	pkg, err := tx.Package(ctx, t.ID, req.PackageID)
	if err != nil {
		return nil, nil, err
	}
	if !pkg.Active {
		return nil, nil, frontdesk.Errorf(frontdesk.ESlotUnavailable, "%s can no longer be booked. Please choose another service.", pkg.Name)
	}
	if pkg.PriceCents != req.PriceCents || pkg.Currency != req.Currency || pkg.BookingType != req.BookingType {
		return nil, nil, frontdesk.Errorf(frontdesk.EConflict, "The details of %s changed since this was prepared. Please ask the assistant again.", pkg.Name)
	}
	now := s.now()
	cal, err := Calendar(ctx, tx, t, now, req.Date, req.Date)
	if err != nil {
		return nil, nil, err
	}
	b := &frontdesk.Booking{ID: frontdesk.NewID(), TenantID: t.ID, PackageID: pkg.ID, BookingType: pkg.BookingType,
		Date: req.Date, Status: frontdesk.StatusPending, TotalPriceCents: pkg.PriceCents, Currency: pkg.Currency,
		ConfirmationCode: frontdesk.NewConfirmationCode(), Source: opt.Source, Notes: req.Notes,
		CreatedAt: now, UpdatedAt: now}
	switch pkg.BookingType {
	case frontdesk.BookingDate:
		err = cal.DateOpen(pkg, req.Date)
	default:
		if req.StartAt == nil {
			return nil, nil, frontdesk.Errorf(frontdesk.EInvalid, "Please choose a start time.")
		}
		err = cal.SlotOpen(pkg, *req.StartAt)
		start := req.StartAt.UTC()
		end := start.Add(time.Duration(pkg.DurationMinutes) * time.Minute)
		hold := end.Add(time.Duration(pkg.BufferMinutes) * time.Minute)
		b.StartAt, b.EndAt, b.HoldUntil = &start, &end, &hold
		b.Date = frontdesk.DateOf(start.In(t.Location()))
	}
	if err != nil {
		return nil, nil, err
	}
	cust, err := tx.FindOrCreateCustomer(ctx, &frontdesk.Customer{ID: frontdesk.NewID(), TenantID: t.ID,
		Email: req.CustomerEmail, Name: req.CustomerName, Phone: req.CustomerPhone, CreatedAt: now})
	if err != nil {
		return nil, nil, err
	}
	b.CustomerID, b.Customer, b.PackageName = cust.ID, *cust, pkg.Name
	b.ReminderDueAt = reminderDue(t, StartOf(b, t.Location()), now)
	switch {
	case pkg.PriceCents == 0:
		b.Status = frontdesk.StatusConfirmed
	case opt.Paid:
		b.Status, b.PaidAt = frontdesk.StatusConfirmed, &now
	default:
		// Held until the checkout lapses; StartCheckout sets the real expiry.
		exp := now.Add(s.checkoutTTL() + EmailHold)
		b.CheckoutExpiresAt = &exp
	}
	// A confirmation code that collides with another booking's makes the
	// store retry the whole transaction, which draws a new code.
	if err := tx.CreateBooking(ctx, b); err != nil {
		return nil, nil, err
	}
	d := fdmail.BookingEmailData{Tenant: t, Booking: b, Package: pkg, Customer: cust, PublicURL: s.PublicURL}
	customerDue := now
	if b.Status == frontdesk.StatusPending {
		customerDue = now.Add(EmailHold) // wait for the payment link
	}
	if opt.NotifyCustomer {
		if err := s.enqueue(ctx, tx, frontdesk.EmailBookingReceived, fdmail.BookingReceived, d, customerDue); err != nil {
			return nil, nil, err
		}
	}
	if opt.NotifyTenant {
		if err := s.enqueue(ctx, tx, frontdesk.EmailTenantNewBooking, fdmail.TenantNewBooking, d, now); err != nil {
			return nil, nil, err
		}
	}
	return b, pkg, nil
}

// EmailKey is the idempotency key of one kind of email about one booking.
func EmailKey(kind, bookingID string) string { return kind + ":" + bookingID }

type renderFunc func(from string, d fdmail.BookingEmailData) (frontdesk.Email, error)

func (s *Service) enqueue(ctx context.Context, tx frontdesk.Tx, kind string, render renderFunc, d fdmail.BookingEmailData, due time.Time) error {
	return s.enqueueKeyed(ctx, tx, EmailKey(kind, d.Booking.ID), kind, render, d, due)
}

// customerKinds are the emails that go to the customer: each links to the
// booking's manage page.
var customerKinds = map[string]bool{
	frontdesk.EmailBookingReceived: true, frontdesk.EmailPaymentConfirmed: true, frontdesk.EmailPaymentLink: true,
	frontdesk.EmailBookingExpired: true, frontdesk.EmailBookingCanceled: true, frontdesk.EmailBookingRescheduled: true,
	frontdesk.EmailRefundIssued: true, frontdesk.EmailReminder: true,
}

// enqueueKeyed queues an email under its own idempotency key, for events
// that can happen more than once to a booking (a reschedule, a refund).
func (s *Service) enqueueKeyed(ctx context.Context, tx frontdesk.Tx, key, kind string, render renderFunc, d fdmail.BookingEmailData, due time.Time) error {
	if customerKinds[kind] && d.ManageURL == "" {
		u, err := s.manageURL(ctx, tx, d.Booking)
		if err != nil {
			return err
		}
		d.ManageURL = u
	}
	e, err := render(s.MailFrom, d)
	if err != nil {
		return fmt.Errorf("render %s email: %w", kind, err)
	}
	now := s.now()
	return tx.EnqueueEmail(ctx, &frontdesk.OutboxEmail{ID: frontdesk.NewID(), TenantID: d.Tenant.ID,
		IdempotencyKey: key, Kind: kind, Email: e, NextAttemptAt: due, CreatedAt: now})
}

// StartCheckout creates the checkout session of a PENDING booking, stores
// it, rewrites the held confirmation email with the payment link and
// releases it. On failure it releases the email as it is (it says the link
// will follow) and returns "". The proposal, when given, gets the URL added
// to its stored result, so a repeated confirm returns it too.
func (s *Service) StartCheckout(ctx context.Context, t *frontdesk.Tenant, pkg *frontdesk.Package, b *frontdesk.Booking, prop *ProposalRef) string {
	return s.startCheckout(ctx, t, pkg, b, prop, false)
}

// startCheckout is StartCheckout; with linkEmail it also enqueues the
// payment_link email in the transaction that stores the session.
func (s *Service) startCheckout(ctx context.Context, t *frontdesk.Tenant, pkg *frontdesk.Package, b *frontdesk.Booking, prop *ProposalRef, linkEmail bool) string {
	log := s.log().With("tenant_id", t.ID, "booking_id", b.ID)
	now := s.now()
	co, err := s.createCheckout(ctx, t, pkg, b)
	if err != nil {
		log.Warn("checkout session not created; the payment-link job will retry", "err", err)
		if err := s.Store.ReleaseEmail(ctx, EmailKey(frontdesk.EmailBookingReceived, b.ID), nil, now); err != nil {
			log.Error("release confirmation email", "err", err)
		}
		return ""
	}
	closed := false
	err = s.Store.WithTx(ctx, func(tx frontdesk.Tx) error {
		closed = false
		// Locked like every other booking write, so that writing the
		// session back cannot undo a status change made meanwhile.
		if err := tx.LockTenantSlots(ctx, t.ID); err != nil {
			return err
		}
		cur, err := tx.Booking(ctx, t.ID, b.ID)
		if err != nil {
			return err
		}
		if cur.Status != frontdesk.StatusPending {
			// Canceled or expired while the session was being made: no
			// link may reach the customer, and the session is closed below.
			closed = true
			return nil
		}
		cur.CheckoutSessionID, cur.CheckoutURL, cur.UpdatedAt = co.SessionID, co.URL, now
		exp := co.ExpiresAt
		cur.CheckoutExpiresAt = &exp
		if err := tx.UpdateBooking(ctx, cur); err != nil {
			return err
		}
		*b = *cur
		d := fdmail.BookingEmailData{Tenant: t, Booking: cur, Package: pkg, Customer: &cur.Customer, PublicURL: s.PublicURL, CheckoutURL: co.URL}
		if d.ManageURL, err = s.manageURL(ctx, tx, cur); err != nil {
			return err
		}
		e, err := fdmail.BookingReceived(s.MailFrom, d)
		if err != nil {
			return err
		}
		if err := tx.ReleaseEmail(ctx, EmailKey(frontdesk.EmailBookingReceived, b.ID), &e, now); err != nil {
			return err
		}
		if linkEmail {
			if err := s.enqueue(ctx, tx, frontdesk.EmailPaymentLink, fdmail.PaymentLink, d, now); err != nil {
				return err
			}
		}
		if prop == nil {
			return nil
		}
		p, err := tx.Proposal(ctx, t.ID, prop.SessionID, prop.ID)
		if err != nil {
			return err
		}
		var stored Result
		if len(p.Result) > 0 {
			if err := json.Unmarshal(p.Result, &stored); err != nil {
				return err
			}
		}
		if p.Result, err = json.Marshal(withCheckout(&stored, cur, co.URL)); err != nil {
			return err
		}
		return tx.UpdateProposal(ctx, p)
	})
	if err != nil {
		log.Error("store checkout session", "err", err)
		return ""
	}
	if closed {
		if err := s.Payments.ExpireCheckout(ctx, t, co.SessionID); err != nil {
			log.Warn("close the checkout of a booking closed meanwhile", "err", err)
		}
		return ""
	}
	return co.URL
}

func (s *Service) createCheckout(ctx context.Context, t *frontdesk.Tenant, pkg *frontdesk.Package, b *frontdesk.Booking) (*frontdesk.Checkout, error) {
	if s.Payments == nil {
		return nil, errors.New("no payment provider configured")
	}
	fee := int64(0)
	if t.StripeAccountID != "" {
		fee = b.TotalPriceCents * int64(s.PlatformFeePercent) / 100
	}
	base := strings.TrimRight(s.PublicURL, "/")
	return s.Payments.CreateCheckout(ctx, frontdesk.CheckoutRequest{
		Booking: b, Tenant: t, PackageName: pkg.Name, CustomerEmail: b.Customer.Email,
		SuccessURL: base + "/booking/success?booking=" + b.ID + "&code=" + b.ConfirmationCode,
		CancelURL:  base + "/booking/cancel?booking=" + b.ID + "&code=" + b.ConfirmationCode,
		// Derived from the booking, not the clock, so a retry sends the same
		// parameters under the same idempotency key.
		ExpiresAt:        b.CreatedAt.Add(s.checkoutTTL()),
		PlatformFeeCents: fee,
	})
}

// count records a booking entering status (or being rescheduled); ""
// records nothing.
func (s *Service) count(status string) {
	if status != "" {
		s.Metrics.BookingStatus(status)
	}
}

func (s *Service) log() *slog.Logger { return frontdesk.LoggerOrDefault(s.Log) }
