package booking

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/frontdeskhq/frontdesk"
	fdmail "github.com/frontdeskhq/frontdesk/mail"
)

// HandlePaymentEvent applies a verified payment event in one transaction.
// The event id is recorded first, so a repeated delivery changes nothing and
// sends nothing twice. Events for unknown bookings and unknown types are
// acknowledged (nil) and logged.
func (s *Service) HandlePaymentEvent(ctx context.Context, ev frontdesk.PaymentEvent) error {
	log := s.log().With("event_id", ev.ID, "event_type", ev.Type, "provider", ev.Provider)
	var outcome, tenantID, bookingID, entered string
	var refund *frontdesk.Refund
	err := s.Store.WithTx(ctx, func(tx frontdesk.Tx) error {
		outcome, tenantID, bookingID, entered, refund = "", "", "", "", nil
		fresh, err := tx.RecordWebhookEvent(ctx, &frontdesk.WebhookEvent{ID: ev.ID, Provider: ev.Provider, Type: ev.Type,
			Status: "processed", CreatedAt: s.now()})
		if err != nil {
			return err
		}
		if !fresh {
			outcome = "duplicate event ignored"
			return nil
		}
		switch ev.Type {
		case frontdesk.EventCheckoutCompleted, frontdesk.EventCheckoutAsyncSucceded, frontdesk.EventCheckoutAsyncFailed, frontdesk.EventCheckoutExpired:
		case frontdesk.EventRefundFailed:
			outcome, err = s.refundEventFailed(ctx, tx, ev)
			return err
		case frontdesk.EventChargeRefunded:
			if !frontdesk.ValidID(ev.BookingID) {
				outcome = "refund of a charge without a booking; ignored"
				return nil
			}
		default:
			outcome = "event type not handled"
			return nil
		}
		found, err := s.findBooking(ctx, tx, ev)
		if frontdesk.IsCode(err, frontdesk.ENotFound) {
			outcome = "no booking for this event"
			return nil
		}
		if err != nil {
			return err
		}
		tenantID, bookingID = found.TenantID, found.ID
		// Serialise with confirm, the expiry job and other events of the
		// tenant, then read the booking again: without the lock a booking
		// read as PENDING here could be expired by the job meanwhile, and
		// one of the two writes would be lost.
		if err := tx.LockTenantSlots(ctx, found.TenantID); err != nil {
			return err
		}
		b, err := tx.Booking(ctx, found.TenantID, found.ID)
		if err != nil {
			return err
		}
		if why, err := s.foreignEvent(ctx, tx, b, ev); err != nil || why != "" {
			outcome = why
			return err
		}
		before := b.Status
		outcome, refund, err = s.apply(ctx, tx, b, ev)
		if b.Status != before {
			entered = string(b.Status)
		}
		return err
	})
	if tenantID != "" {
		log = log.With("tenant_id", tenantID, "booking_id", bookingID)
	}
	if err != nil {
		s.Metrics.WebhookEvent("error")
		log.Error("payment event failed; the provider will retry", "err", err)
		return err
	}
	s.Metrics.WebhookEvent(webhookOutcome(outcome))
	s.count(entered)
	log.Info("payment event", "outcome", outcome)
	if refund != nil {
		// Refunded after the event is recorded; a failure here is retried
		// by the refund job, never by Stripe redelivering the event.
		if _, err := s.carryOutRefund(ctx, refund.TenantID, refund.BookingID, refund.ID); err != nil {
			log.Warn("automatic refund of a late payment; the refund job will retry", "err", err)
		}
	}
	return nil
}

// webhookOutcomes name the outcomes of payment events for the metrics:
// a few words each, so a dashboard can tell them apart.
var webhookOutcomes = map[string]string{
	"duplicate event ignored":                       "duplicate",
	"refund already recorded":                       "duplicate",
	"already confirmed":                             "duplicate",
	"refund already failed":                         "duplicate",
	"confirmed":                                     "confirmed",
	"expired":                                       "expired",
	"refund recorded":                               "refunded",
	"refund failed; business told":                  "refund_failed",
	"checkout completed, payment still processing":  "processing",
	"amount mismatch":                               "amount_mismatch",
	"late payment, slot taken: refunded":            "late_payment_refunded",
	"no booking for this event":                     "unknown_booking",
	"event from another account; ignored":           "foreign",
	"refund of another payment; ignored":            "foreign",
	"event for another checkout session; ignored":   "foreign",
	"event type not handled":                        "ignored",
	"refund of a charge without a booking; ignored": "ignored",
	"refund event without a refund id; ignored":     "ignored",
	"refund not made here; ignored":                 "ignored",
	"booking not pending; unchanged":                "ignored",
	"ignored":                                       "ignored",
}

// webhookOutcome is the metrics' name of an event's outcome.
func webhookOutcome(outcome string) string {
	if o, ok := webhookOutcomes[outcome]; ok {
		return o
	}
	return "other"
}

// foreignEvent says why an event must not touch booking b, or "". The
// metadata that names a booking is chosen by whoever created the checkout
// session, so the event must also come from the tenant's own Stripe account
// and, once the booking has a session, be about that very session:
// otherwise one connected account could pay or expire another tenant's
// booking.
func (s *Service) foreignEvent(ctx context.Context, tx frontdesk.Tx, b *frontdesk.Booking, ev frontdesk.PaymentEvent) (string, error) {
	t, err := tx.TenantByID(ctx, b.TenantID)
	if err != nil {
		return "", err
	}
	if ev.Account != t.StripeAccountID {
		s.log().Warn("payment event from another Stripe account ignored", "booking_id", b.ID, "event_account", ev.Account)
		return "event from another account; ignored", nil
	}
	if ev.Type == frontdesk.EventChargeRefunded {
		// A charge names its payment, not its checkout session.
		if ev.PaymentIntentID == "" || ev.PaymentIntentID != b.PaymentIntentID {
			return "refund of another payment; ignored", nil
		}
		return "", nil
	}
	if b.CheckoutSessionID != "" && ev.SessionID != b.CheckoutSessionID {
		s.log().Warn("payment event for another checkout session ignored", "booking_id", b.ID)
		return "event for another checkout session; ignored", nil
	}
	return "", nil
}

func (s *Service) findBooking(ctx context.Context, tx frontdesk.Tx, ev frontdesk.PaymentEvent) (*frontdesk.Booking, error) {
	if frontdesk.ValidID(ev.BookingID) {
		b, err := tx.BookingForPayment(ctx, ev.BookingID)
		if err == nil && (ev.TenantID == "" || ev.TenantID == b.TenantID) {
			return b, nil
		}
		if err != nil && !frontdesk.IsCode(err, frontdesk.ENotFound) {
			return nil, err
		}
	}
	return tx.BookingByCheckoutSession(ctx, ev.SessionID)
}

func (s *Service) apply(ctx context.Context, tx frontdesk.Tx, b *frontdesk.Booking, ev frontdesk.PaymentEvent) (string, *frontdesk.Refund, error) {
	now := s.now()
	switch ev.Type {
	case frontdesk.EventChargeRefunded:
		// A refund made here is already counted; one made in Stripe's
		// dashboard is recorded, never more than was paid.
		if ev.AmountRefunded > b.RefundedCents {
			b.RefundedCents = min(ev.AmountRefunded, b.TotalPriceCents)
			if !b.Status.Live() {
				b.Status = frontdesk.StatusRefunded
			}
			b.UpdatedAt = now
			return "refund recorded", nil, tx.UpdateBooking(ctx, b)
		}
		return "refund already recorded", nil, nil
	case frontdesk.EventCheckoutCompleted, frontdesk.EventCheckoutAsyncSucceded:
		if ev.Type == frontdesk.EventCheckoutCompleted && ev.PaymentStatus != "paid" {
			// A delayed method (a bank debit): the slot stays held until
			// Stripe says the payment succeeded or failed, not until the
			// checkout's expiry.
			return "checkout completed, payment still processing", nil, s.notePayment(ctx, tx, b, ev, true)
		}
		if ev.AmountTotal != b.TotalPriceCents || (ev.Currency != "" && ev.Currency != b.Currency) {
			s.log().Warn("payment amount does not match the booking; left PENDING", "booking_id", b.ID,
				"paid", ev.AmountTotal, "paid_currency", ev.Currency, "due", b.TotalPriceCents, "currency", b.Currency)
			if err := s.notePayment(ctx, tx, b, ev, false); err != nil {
				return "", nil, err
			}
			return "amount mismatch", nil, s.paymentAttention(ctx, tx, b, ev, fmt.Sprintf(
				"A payment of %s arrived for this booking, which costs %s, so it was not confirmed.",
				fdmail.FormatMoney(ev.AmountTotal, ev.Currency), fdmail.FormatMoney(b.TotalPriceCents, b.Currency)))
		}
		if b.Status == frontdesk.StatusConfirmed {
			return "already confirmed", nil, nil
		}
		if b.Status != frontdesk.StatusPending && !s.slotStillFree(ctx, tx, b) {
			// Canceled or expired, and its time is someone else's now: the
			// money goes back by itself.
			s.log().Warn("late payment for a closed booking whose slot is gone; refunding it", "booking_id", b.ID, "status", b.Status)
			r, err := s.refundLatePayment(ctx, tx, b, ev)
			return "late payment, slot taken: refunded", r, err
		}
		if b.Status != frontdesk.StatusPending {
			// Its time is still free: the payment takes it back.
			b.CanceledAt, b.CancellationReason = nil, ""
		}
		b.Status, b.PaidAt, b.UpdatedAt = frontdesk.StatusConfirmed, &now, now
		b.CalendarSequence++
		if t, err := tx.TenantByID(ctx, b.TenantID); err == nil {
			b.ReminderDueAt = reminderDue(t, StartOf(b, t.Location()), now)
		}
		if ev.PaymentIntentID != "" {
			b.PaymentIntentID = ev.PaymentIntentID
		}
		if ev.SessionID != "" && b.CheckoutSessionID == "" {
			b.CheckoutSessionID = ev.SessionID
		}
		if err := tx.UpdateBooking(ctx, b); err != nil {
			return "", nil, err
		}
		if err := s.enqueueAbout(ctx, tx, b, frontdesk.EmailTenantPaymentReceived, fdmail.TenantPaymentReceived); err != nil {
			return "", nil, err
		}
		return "confirmed", nil, s.enqueueAbout(ctx, tx, b, frontdesk.EmailPaymentConfirmed, fdmail.PaymentConfirmed)
	case frontdesk.EventCheckoutExpired, frontdesk.EventCheckoutAsyncFailed:
		if b.Status != frontdesk.StatusPending {
			return "booking not pending; unchanged", nil, nil
		}
		// A failed payment charged nothing; otherwise a payment on record
		// (one that could not be applied) is the business's to settle.
		tell := ev.Type == frontdesk.EventCheckoutAsyncFailed || b.PaymentIntentID == ""
		return "expired", nil, s.expire(ctx, tx, b, tell)
	}
	return "ignored", nil, nil
}

// refundLatePayment records a payment that arrived for a closed booking and
// a refund of all of it, carried out after the transaction.
func (s *Service) refundLatePayment(ctx context.Context, tx frontdesk.Tx, b *frontdesk.Booking, ev frontdesk.PaymentEvent) (*frontdesk.Refund, error) {
	now := s.now()
	if ev.PaymentIntentID != "" {
		b.PaymentIntentID = ev.PaymentIntentID
	}
	b.PaidAt, b.UpdatedAt = &now, now
	if err := tx.UpdateBooking(ctx, b); err != nil {
		return nil, err
	}
	amount := Refundable(b)
	if amount <= 0 {
		return nil, nil
	}
	r := &frontdesk.Refund{ID: frontdesk.NewID(), TenantID: b.TenantID, BookingID: b.ID, AmountCents: amount, Currency: b.Currency,
		Reason: "paid after the booking had closed", Status: frontdesk.RefundPending, NextAttemptAt: now, CreatedAt: now, UpdatedAt: now}
	return r, tx.CreateRefund(ctx, r)
}

// refundEventFailed applies a refund the provider accepted and then
// failed: the money did not go back, so the booking's refunded amount is
// lowered and the business is asked to settle it by hand.
func (s *Service) refundEventFailed(ctx context.Context, tx frontdesk.Tx, ev frontdesk.PaymentEvent) (string, error) {
	if ev.RefundID == "" {
		return "refund event without a refund id; ignored", nil
	}
	found, err := tx.RefundByProviderID(ctx, ev.RefundID)
	if frontdesk.IsCode(err, frontdesk.ENotFound) {
		return "refund not made here; ignored", nil
	}
	if err != nil {
		return "", err
	}
	if err := tx.LockTenantSlots(ctx, found.TenantID); err != nil {
		return "", err
	}
	r, b, err := s.loadRefund(ctx, tx, found.TenantID, found.BookingID, found.ID)
	if err != nil {
		return "", err
	}
	if r.Status == frontdesk.RefundFailed {
		return "refund already failed", nil
	}
	now := s.now()
	wasDone := r.Status == frontdesk.RefundSucceeded
	r.Status, r.LastError, r.UpdatedAt = frontdesk.RefundFailed, "the payment provider reported the refund failed", now
	if err := tx.UpdateRefund(ctx, r); err != nil {
		return "", err
	}
	if wasDone {
		// Less what this refund added; refunds made in Stripe's dashboard
		// (recorded by charge.refunded) stay counted.
		b.RefundedCents = max(b.RefundedCents-r.AmountCents, 0)
		if b.Status == frontdesk.StatusRefunded && b.RefundedCents == 0 {
			b.Status = frontdesk.StatusCanceled
		}
		b.UpdatedAt = now
		if err := tx.UpdateBooking(ctx, b); err != nil {
			return "", err
		}
	}
	t, err := tx.TenantByID(ctx, b.TenantID)
	if err != nil {
		return "", err
	}
	return "refund failed; business told", s.refundFailed(ctx, tx, t, b, r, "The payment provider reported that the refund failed (for example, the card was closed).")
}

// paymentAttention emails the business about a payment it must refund or
// sort out by hand; once per booking, however often Stripe retries.
func (s *Service) paymentAttention(ctx context.Context, tx frontdesk.Tx, b *frontdesk.Booking, ev frontdesk.PaymentEvent, reason string) error {
	shown := *b
	shown.PaymentIntentID = ev.PaymentIntentID
	return s.enqueueAbout(ctx, tx, &shown, frontdesk.EmailPaymentAttention, func(from string, d fdmail.BookingEmailData) (frontdesk.Email, error) {
		d.Reason = reason
		return fdmail.PaymentAttention(from, d)
	})
}

// notePayment records on a booking that money arrived for it that could not
// confirm it, so that an expiry never tells the customer nothing was
// charged; hold keeps the slot until Stripe's verdict.
func (s *Service) notePayment(ctx context.Context, tx frontdesk.Tx, b *frontdesk.Booking, ev frontdesk.PaymentEvent, hold bool) error {
	if ev.PaymentIntentID != "" {
		b.PaymentIntentID = ev.PaymentIntentID
	}
	if hold {
		b.CheckoutExpiresAt = nil
	}
	b.UpdatedAt = s.now()
	return tx.UpdateBooking(ctx, b)
}

// expire releases an unpaid booking's slot in the caller's transaction and,
// with tell, tells the customer that nothing was charged.
func (s *Service) expire(ctx context.Context, tx frontdesk.Tx, b *frontdesk.Booking, tell bool) error {
	b.Status, b.UpdatedAt = frontdesk.StatusExpired, s.now()
	if err := tx.UpdateBooking(ctx, b); err != nil {
		return err
	}
	if !tell {
		return nil
	}
	return s.enqueueAbout(ctx, tx, b, frontdesk.EmailBookingExpired, fdmail.BookingExpired)
}

// enqueueAbout queues one kind of email about booking b, due now.
func (s *Service) enqueueAbout(ctx context.Context, tx frontdesk.Tx, b *frontdesk.Booking, kind string, render renderFunc) error {
	pkg, err := tx.Package(ctx, b.TenantID, b.PackageID)
	if err != nil {
		return err
	}
	t, err := tx.TenantByID(ctx, b.TenantID)
	if err != nil {
		return err
	}
	d := fdmail.BookingEmailData{Tenant: t, Booking: b, Package: pkg, Customer: &b.Customer, PublicURL: s.PublicURL}
	return s.enqueue(ctx, tx, kind, render, d, s.now())
}

// slotStillFree reports whether an expired booking's slot could be taken
// back: no live booking of the tenant collides with it.
func (s *Service) slotStillFree(ctx context.Context, tx frontdesk.Tx, b *frontdesk.Booking) bool {
	live, err := tx.LiveBookings(ctx, b.TenantID, b.Date.AddDays(-1), b.Date.AddDays(1))
	if err != nil {
		return false
	}
	for _, o := range live {
		if o.ID == b.ID {
			continue
		}
		if o.Date == b.Date && (o.BookingType == frontdesk.BookingDate || b.BookingType == frontdesk.BookingDate) {
			return false
		}
		if o.StartAt != nil && b.StartAt != nil && o.StartAt.Before(*b.HoldUntil) && b.StartAt.Before(*o.HoldUntil) {
			return false
		}
	}
	return true
}

// Expiry defaults: a run of ExpireLapsed reads lapsed bookings a page at a
// time, up to a bounded number of pages, so a backlog (after an outage)
// drains within a few runs without one run holding on for ever.
const (
	DefaultExpiryPage     = 500
	DefaultExpiryMaxPages = 20
)

// ExpireLapsed turns PENDING bookings whose checkout lapsed EXPIRED,
// freeing their slots, page after page until a page comes back short (or
// ExpiryMaxPages pages). It returns how many it expired.
func (s *Service) ExpireLapsed(ctx context.Context) (int, error) {
	page, pages := s.ExpiryPage, s.ExpiryMaxPages
	if page <= 0 {
		page = DefaultExpiryPage
	}
	if pages <= 0 {
		pages = DefaultExpiryMaxPages
	}
	now := s.now()
	// A booking left PENDING (paid at the last moment) lapsed earlier than
	// those not read yet, so it comes back at the head of every later
	// page: each page asks for that many more, and each booking is
	// handled once a run.
	seen := map[string]bool{}
	n, kept := 0, 0
	for range pages {
		limit := page + kept
		lapsed, err := s.Store.LapsedCheckouts(ctx, now, limit)
		if err != nil {
			return n, err
		}
		fresh := 0
		for _, b := range lapsed {
			if seen[b.ID] {
				continue
			}
			seen[b.ID] = true
			fresh++
			expired, err := s.expireLapsed(ctx, b, now)
			if err != nil {
				return n, err
			}
			if expired {
				n++
			} else {
				kept++
			}
		}
		if len(lapsed) < limit || fresh == 0 {
			break // every lapsed booking was read, or nothing new came
		}
	}
	return n, nil
}

// expireLapsed expires one booking whose checkout lapsed at now, unless it
// was paid or changed meanwhile, and says whether it did.
func (s *Service) expireLapsed(ctx context.Context, b *frontdesk.Booking, now time.Time) (bool, error) {
	if b.CheckoutSessionID != "" && s.Payments != nil {
		// Close the session first: one paid at the last moment must be
		// confirmed by its payment, not released with "nothing charged".
		t, err := s.Store.TenantByID(ctx, b.TenantID)
		if err != nil {
			return false, err
		}
		if err := s.Payments.ExpireCheckout(ctx, t, b.CheckoutSessionID); errors.Is(err, frontdesk.ErrCheckoutPaid) {
			return false, nil
		} else if err != nil {
			s.log().Warn("close a lapsed checkout", "booking_id", b.ID, "err", err)
		}
	}
	expired := false
	err := s.Store.WithTx(ctx, func(tx frontdesk.Tx) error {
		expired = false
		// The same lock as payment events take, so a payment arriving
		// now is applied after this, not overwritten by it.
		if err := tx.LockTenantSlots(ctx, b.TenantID); err != nil {
			return err
		}
		cur, err := tx.Booking(ctx, b.TenantID, b.ID)
		if err != nil {
			return err
		}
		if cur.Status != frontdesk.StatusPending || cur.CheckoutExpiresAt == nil || !cur.CheckoutExpiresAt.Before(now) {
			return nil
		}
		expired = true
		return s.expire(ctx, tx, cur, cur.PaymentIntentID == "")
	})
	if err != nil {
		return false, err
	}
	if expired {
		s.Metrics.BookingStatus(string(frontdesk.StatusExpired))
	}
	return expired, nil
}

// RetryCheckouts creates checkout sessions for PENDING paid bookings that
// have none because the provider was down at confirm time, and emails each
// customer the link. It returns how many links it sent.
func (s *Service) RetryCheckouts(ctx context.Context) (int, error) {
	now := s.now()
	// Stripe needs 30 minutes left on a new session, and the session's
	// expiry is fixed by the booking's creation; older bookings lapse.
	oldest := now.Add(31*time.Minute - s.checkoutTTL())
	waiting, err := s.Store.BookingsAwaitingCheckout(ctx, oldest, now.Add(-30*time.Second), 50)
	if err != nil {
		return 0, err
	}
	sent := 0
	for _, b := range waiting {
		t, err := s.Store.TenantByID(ctx, b.TenantID)
		if err != nil {
			return sent, err
		}
		pkg, err := s.Store.Package(ctx, b.TenantID, b.PackageID)
		if err != nil {
			return sent, err
		}
		// The link email is enqueued in the transaction that stores the
		// session: once a session is stored the booking is no longer
		// listed here, so a separate write could be lost for good.
		if s.startCheckout(ctx, t, pkg, b, nil, true) == "" {
			continue
		}
		sent++
	}
	return sent, nil
}
