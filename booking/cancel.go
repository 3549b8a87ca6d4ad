package booking

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/frontdeskhq/frontdesk"
	fdmail "github.com/frontdeskhq/frontdesk/mail"
)

// Who changes a booking, for the emails' wording and the limits that apply:
// a customer is held to the tenant's rules, the business is not.
const (
	ByCustomer = "customer"
	ByBusiness = "business"
)

// CancelRequest is a cancellation.
type CancelRequest struct {
	// Refund is how much a paid booking gets back: the policy (always, for
	// a customer), or the owner's full or none.
	Refund RefundChoice
	// Reason is free text; it is cleaned (frontdesk.CleanText) and cut to
	// MaxReason characters.
	Reason string
	By     string // ByCustomer or ByBusiness
	// NotifyCustomer emails the customer (always true for a customer's own).
	NotifyCustomer bool
	// QuotedRefund is the refund the customer was shown, if any: a
	// cancellation that would now refund less is refused, not made.
	QuotedRefund *int64
}

// followUp is what a change leaves to do after its transaction commits:
// calls to the payment provider, which must never run inside one.
type followUp struct {
	tenant        *frontdesk.Tenant
	refund        *frontdesk.Refund
	expireSession string
	// entered is the status the booking entered (or "RESCHEDULED"), to
	// count once the transaction has committed.
	entered string
}

// pending reports whether the follow-up has calls to the payment provider
// to make.
func (fu followUp) pending() bool { return fu.refund != nil || fu.expireSession != "" }

// rescheduled is what the metrics count for a booking moved.
const rescheduled = "RESCHEDULED"

// Cancel cancels a live booking of tenant t: the slot is free at once, a
// paid booking gets the refund req asks for (status REFUNDED once the money
// is on its way), an open checkout is closed, and both sides are emailed.
// Cancelling again returns the first result.
func (s *Service) Cancel(ctx context.Context, t *frontdesk.Tenant, bookingID string, req CancelRequest) (*Result, error) {
	var res *Result
	var fu followUp
	err := s.Store.WithTx(ctx, func(tx frontdesk.Tx) error {
		var err error
		res, fu, err = s.cancelTx(ctx, tx, t, bookingID, req)
		return err
	})
	if err != nil {
		return nil, err
	}
	s.count(fu.entered)
	return s.finish(ctx, res, fu), nil
}

// finish carries out a change's follow-up and returns the result as it
// stands afterwards.
func (s *Service) finish(ctx context.Context, res *Result, fu followUp) *Result {
	if fu.expireSession != "" && s.Payments != nil {
		// A checkout left open could still be paid; if closing it fails, a
		// late payment is refunded automatically (see the payment events).
		if err := s.Payments.ExpireCheckout(ctx, fu.tenant, fu.expireSession); err != nil {
			s.log().Warn("close the checkout of a canceled booking", "booking_id", res.BookingID, "err", err)
		}
	}
	if fu.refund != nil {
		if r, err := s.carryOutRefund(ctx, fu.refund.TenantID, fu.refund.BookingID, fu.refund.ID); err == nil && r.Status == frontdesk.RefundSucceeded {
			res.Status = string(frontdesk.StatusRefunded)
			res.Message = fmt.Sprintf("Your booking %s is canceled. A refund of %s is on its way.", res.ConfirmationCode,
				fdmail.FormatMoney(r.AmountCents, r.Currency))
		}
	}
	return res
}

// cancelTx is Cancel inside the caller's transaction.
func (s *Service) cancelTx(ctx context.Context, tx frontdesk.Tx, t *frontdesk.Tenant, bookingID string, req CancelRequest) (*Result, followUp, error) {
	fu := followUp{tenant: t}
	// Every path's reason (the assistant's, the manage page's, the
	// owner's) is cleaned here, where it is stored and put in emails.
	req.Reason = frontdesk.CleanText(req.Reason, MaxReason)
	if err := tx.LockTenantSlots(ctx, t.ID); err != nil {
		return nil, fu, err
	}
	b, err := tx.Booking(ctx, t.ID, bookingID)
	if err != nil {
		return nil, fu, err
	}
	now := s.now()
	switch b.Status {
	case frontdesk.StatusCanceled, frontdesk.StatusRefunded:
		res, err := s.canceledResult(ctx, tx, b)
		return res, fu, err
	case frontdesk.StatusExpired:
		return nil, fu, frontdesk.Errorf(frontdesk.EConflict, "Booking %s expired unpaid, so there is nothing to cancel.", b.ConfirmationCode)
	}
	if !StartOf(b, t.Location()).After(now) {
		return nil, fu, frontdesk.Errorf(frontdesk.EConflict, "Booking %s has already started or taken place, so it can't be canceled. Please contact %s.", b.ConfirmationCode, t.Name)
	}
	choice := req.Refund
	if choice == "" || req.By == ByCustomer {
		choice = RefundPolicy
	}
	amount := RefundAmount(t, b, choice, now)
	if req.QuotedRefund != nil && amount < *req.QuotedRefund {
		return nil, fu, frontdesk.Errorf(frontdesk.EConflict, "The refund for %s is now %s, less than the %s shown, because its start is closer. Ask again to see the new amount before you confirm.",
			b.ConfirmationCode, fdmail.FormatMoney(amount, b.Currency), fdmail.FormatMoney(*req.QuotedRefund, b.Currency))
	}
	if b.Status == frontdesk.StatusPending && b.CheckoutSessionID != "" {
		fu.expireSession = b.CheckoutSessionID
	}
	b.Status, b.CanceledAt, b.CancellationReason, b.UpdatedAt = frontdesk.StatusCanceled, &now, req.Reason, now
	fu.entered = string(frontdesk.StatusCanceled)
	b.CalendarSequence++
	b.ReminderDueAt = nil
	if err := tx.UpdateBooking(ctx, b); err != nil {
		return nil, fu, err
	}
	if amount > 0 {
		fu.refund = &frontdesk.Refund{ID: frontdesk.NewID(), TenantID: t.ID, BookingID: b.ID, AmountCents: amount, Currency: b.Currency,
			Reason: "canceled by the " + req.By, Status: frontdesk.RefundPending, NextAttemptAt: now, CreatedAt: now, UpdatedAt: now}
		if err := tx.CreateRefund(ctx, fu.refund); err != nil {
			return nil, fu, err
		}
	}
	d, err := s.emailData(ctx, tx, t, b)
	if err != nil {
		return nil, fu, err
	}
	d.RefundCents, d.CanceledBy, d.Reason = amount, req.By, req.Reason
	// Keyed by the calendar sequence: a booking re-confirmed by a late
	// payment and canceled again gets its second pair of emails.
	seq := fmt.Sprint(b.CalendarSequence)
	if req.NotifyCustomer || req.By == ByCustomer {
		if err := s.enqueueKeyed(ctx, tx, EmailKey(frontdesk.EmailBookingCanceled, b.ID)+":"+seq, frontdesk.EmailBookingCanceled, fdmail.BookingCanceled, d, now); err != nil {
			return nil, fu, err
		}
	}
	if err := s.enqueueKeyed(ctx, tx, EmailKey(frontdesk.EmailTenantBookingCanceled, b.ID)+":"+seq, frontdesk.EmailTenantBookingCanceled, fdmail.TenantBookingCanceled, d, now); err != nil {
		return nil, fu, err
	}
	res := &Result{Success: true, Action: "canceled", BookingID: b.ID, ConfirmationCode: b.ConfirmationCode,
		Status: string(b.Status), RefundedCents: &amount}
	switch {
	case amount > 0:
		res.Message = fmt.Sprintf("Your booking %s is canceled. A refund of %s will follow.", b.ConfirmationCode, fdmail.FormatMoney(amount, b.Currency))
	case b.PaidAt != nil:
		res.Message = fmt.Sprintf("Your booking %s is canceled. Under the cancellation policy no refund is due.", b.ConfirmationCode)
	default:
		res.Message = fmt.Sprintf("Your booking %s is canceled. Nothing was charged.", b.ConfirmationCode)
	}
	return res, fu, nil
}

// canceledResult is the result of a cancellation already made.
func (s *Service) canceledResult(ctx context.Context, tx frontdesk.Tx, b *frontdesk.Booking) (*Result, error) {
	refunds, err := tx.Refunds(ctx, b.TenantID, b.ID)
	if err != nil {
		return nil, err
	}
	var amount int64
	for _, r := range refunds {
		if r.Status != frontdesk.RefundFailed {
			amount += r.AmountCents
		}
	}
	res := &Result{Success: true, Action: "canceled", BookingID: b.ID, ConfirmationCode: b.ConfirmationCode,
		Status: string(b.Status), RefundedCents: &amount,
		Message: fmt.Sprintf("Booking %s is already canceled.", b.ConfirmationCode)}
	if amount > 0 {
		res.Message += fmt.Sprintf(" A refund of %s was made.", fdmail.FormatMoney(amount, b.Currency))
	}
	return res, nil
}

// emailData gathers what a booking's emails show.
func (s *Service) emailData(ctx context.Context, tx frontdesk.Tx, t *frontdesk.Tenant, b *frontdesk.Booking) (fdmail.BookingEmailData, error) {
	pkg, err := tx.Package(ctx, t.ID, b.PackageID)
	if err != nil {
		return fdmail.BookingEmailData{}, err
	}
	return fdmail.BookingEmailData{Tenant: t, Booking: b, Package: pkg, Customer: &b.Customer, PublicURL: s.PublicURL}, nil
}

// Refund attempts: the provider is asked again with growing pauses; after
// MaxRefundAttempts failures the business is emailed to settle it by hand.
const MaxRefundAttempts = 6

func refundBackoff(attempts int) time.Duration {
	return min(time.Duration(1<<min(attempts, 10))*time.Minute, 6*time.Hour)
}

// carryOutRefund asks the payment provider for a PENDING refund and
// records the answer. The provider's idempotency key is the refund's id,
// so running it twice (two instances, a retry after a crash) refunds once.
func (s *Service) carryOutRefund(ctx context.Context, tenantID, bookingID, refundID string) (*frontdesk.Refund, error) {
	t, err := s.Store.TenantByID(ctx, tenantID)
	if err != nil {
		return nil, err
	}
	var r *frontdesk.Refund
	var b *frontdesk.Booking
	refunded := false // the booking entered REFUNDED
	if r, b, err = s.loadRefund(ctx, s.Store, tenantID, bookingID, refundID); err != nil {
		return nil, err
	}
	if r.Status != frontdesk.RefundPending {
		return r, nil
	}
	log := s.log().With("tenant_id", tenantID, "booking_id", b.ID, "refund_id", r.ID)
	var out *frontdesk.RefundResult
	callErr := errors.New("no payment provider configured")
	switch {
	case b.PaymentIntentID == "":
		// Paid outside Frontdesk (an owner's booking paid at the desk):
		// the business hands the money back; the refund is recorded.
		out, callErr = &frontdesk.RefundResult{Status: "succeeded"}, nil
	case s.Payments != nil:
		out, callErr = s.Payments.Refund(ctx, frontdesk.RefundRequest{Tenant: t, Booking: b, Refund: r})
		if callErr == nil && (out.Status == "failed" || out.Status == "canceled") {
			callErr = errors.New("the payment provider refused the refund")
		}
	}
	err = s.Store.WithTx(ctx, func(tx frontdesk.Tx) error {
		refunded = false
		if err := tx.LockTenantSlots(ctx, tenantID); err != nil {
			return err
		}
		cur, b, err := s.loadRefund(ctx, tx, tenantID, bookingID, refundID)
		if err != nil {
			return err
		}
		r = cur
		if r.Status != frontdesk.RefundPending {
			return nil // another worker got there first
		}
		now := s.now()
		r.UpdatedAt = now
		if callErr != nil {
			r.Attempts++
			r.LastError = fdmail.HeaderSafe(callErr.Error())
			r.NextAttemptAt = now.Add(refundBackoff(r.Attempts))
			if r.Attempts < MaxRefundAttempts && out == nil {
				return tx.UpdateRefund(ctx, r)
			}
			r.Status = frontdesk.RefundFailed
			if err := tx.UpdateRefund(ctx, r); err != nil {
				return err
			}
			return s.refundFailed(ctx, tx, t, b, r, "The refund could not be made automatically: "+r.LastError)
		}
		r.Status, r.ProviderRefundID = frontdesk.RefundSucceeded, out.ProviderRefundID
		if err := tx.UpdateRefund(ctx, r); err != nil {
			return err
		}
		// Totals, not increments: a charge.refunded event may have recorded
		// this refund already.
		refunds, err := tx.Refunds(ctx, tenantID, bookingID)
		if err != nil {
			return err
		}
		b.RefundedCents = min(max(b.RefundedCents, succeededTotal(refunds)), b.TotalPriceCents)
		if !b.Status.Live() && b.Status != frontdesk.StatusRefunded {
			b.Status, refunded = frontdesk.StatusRefunded, true
		}
		b.UpdatedAt = now
		if err := tx.UpdateBooking(ctx, b); err != nil {
			return err
		}
		d, err := s.emailData(ctx, tx, t, b)
		if err != nil {
			return err
		}
		d.RefundCents = r.AmountCents
		return s.enqueueKeyed(ctx, tx, EmailKey(frontdesk.EmailRefundIssued, r.ID), frontdesk.EmailRefundIssued, fdmail.RefundIssued, d, now)
	})
	if err != nil {
		log.Error("record refund", "err", err)
		return nil, err
	}
	if refunded {
		s.Metrics.BookingStatus(string(frontdesk.StatusRefunded))
	}
	if callErr != nil {
		log.Warn("refund not made; it will be retried", "attempts", r.Attempts, "status", r.Status, "err", callErr)
	} else {
		log.Info("refund made", "amount_cents", r.AmountCents)
	}
	return r, nil
}

// loadRefund reads a refund and its booking. A booking has few refunds,
// so the refund is found among the booking's.
func (s *Service) loadRefund(ctx context.Context, tx frontdesk.Tx, tenantID, bookingID, refundID string) (*frontdesk.Refund, *frontdesk.Booking, error) {
	b, err := tx.Booking(ctx, tenantID, bookingID)
	if err != nil {
		return nil, nil, err
	}
	refunds, err := tx.Refunds(ctx, tenantID, bookingID)
	if err != nil {
		return nil, nil, err
	}
	for _, r := range refunds {
		if r.ID == refundID {
			return r, b, nil
		}
	}
	return nil, nil, frontdesk.NotFound("The refund")
}

// succeededTotal sums the refunds the provider accepted.
func succeededTotal(refunds []*frontdesk.Refund) int64 {
	var n int64
	for _, r := range refunds {
		if r.Status == frontdesk.RefundSucceeded {
			n += r.AmountCents
		}
	}
	return n
}

// refundFailed emails the business about a refund to make by hand, once
// per refund.
func (s *Service) refundFailed(ctx context.Context, tx frontdesk.Tx, t *frontdesk.Tenant, b *frontdesk.Booking, r *frontdesk.Refund, reason string) error {
	d, err := s.emailData(ctx, tx, t, b)
	if err != nil {
		return err
	}
	d.RefundCents, d.Reason = r.AmountCents, reason
	return s.enqueueKeyed(ctx, tx, EmailKey(frontdesk.EmailRefundFailed, r.ID), frontdesk.EmailRefundFailed, fdmail.RefundFailed, d, s.now())
}

// RetryRefunds carries out the refunds whose next attempt is due and
// returns how many went through.
func (s *Service) RetryRefunds(ctx context.Context) (int, error) {
	due, err := s.Store.RefundsDue(ctx, s.now(), 100)
	if err != nil {
		return 0, err
	}
	n := 0
	for _, r := range due {
		out, err := s.carryOutRefund(ctx, r.TenantID, r.BookingID, r.ID)
		if err != nil {
			// One refund that can't be recorded must not hold up the rest.
			s.log().Error("refund retry", "refund_id", r.ID, "err", err)
			continue
		}
		if out.Status == frontdesk.RefundSucceeded {
			n++
		}
	}
	return n, nil
}
