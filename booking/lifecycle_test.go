package booking_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/frontdeskhq/frontdesk"
	"github.com/frontdeskhq/frontdesk/booking"
	"github.com/frontdeskhq/frontdesk/payments/stripe"
	"github.com/frontdeskhq/frontdesk/storetest"
)

func TestRefundPercent(t *testing.T) {
	policy := []frontdesk.RefundTier{{HoursBefore: 0, Percent: 25}, {HoursBefore: 48, Percent: 100}, {HoursBefore: 24, Percent: 50}}
	start := time.Date(2026, 12, 10, 15, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		before time.Duration
		want   int
	}{
		{72 * time.Hour, 100}, {48 * time.Hour, 100}, {48*time.Hour - time.Second, 50}, {24 * time.Hour, 50},
		{23 * time.Hour, 25}, {time.Minute, 25}, {0, 25}, {-time.Minute, 0},
	} {
		if got := booking.RefundPercent(policy, start, start.Add(-tc.before)); got != tc.want {
			t.Errorf("%v before the start: %d%%, want %d%%", tc.before, got, tc.want)
		}
	}
	if got := booking.RefundPercent(nil, start, start.Add(-time.Hour)); got != 0 {
		t.Errorf("no policy: %d%%", got)
	}
	if got := booking.RefundPercent([]frontdesk.RefundTier{{HoursBefore: 24, Percent: 100}}, start, start.Add(-time.Hour)); got != 0 {
		t.Errorf("inside the only tier's window: %d%%, want 0", got)
	}
}

// recordingPayments is the test-mode provider, counting calls, and able to
// fail refunds.
type recordingPayments struct {
	frontdesk.Payments
	mu          sync.Mutex
	refunds     []frontdesk.RefundRequest
	expired     []string
	failRefunds bool
}

func (p *recordingPayments) Refund(ctx context.Context, req frontdesk.RefundRequest) (*frontdesk.RefundResult, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.refunds = append(p.refunds, req)
	if p.failRefunds {
		return nil, errors.New("stripe: 503 service unavailable")
	}
	return p.Payments.Refund(ctx, req)
}

func (p *recordingPayments) ExpireCheckout(ctx context.Context, t *frontdesk.Tenant, session string) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.expired = append(p.expired, session)
	return nil
}

func (e *env) recording() *recordingPayments {
	p := &recordingPayments{Payments: e.pay}
	e.svc.Payments = p
	return p
}

// paidBooking books a portrait session on day at 10:15 and pays it.
func (e *env) paidBooking(day string) *frontdesk.Booking {
	e.t.Helper()
	bk := e.paid(input("portrait", day, "10:15"))
	e.handle(e.completed("evt_pay_"+bk.ID, bk, bk.TotalPriceCents, bk.Currency))
	bk = e.booking(bk.ID)
	if bk.Status != frontdesk.StatusConfirmed || bk.PaidAt == nil {
		e.t.Fatalf("paid booking %+v", bk)
	}
	return bk
}

// emailCount counts the emails of one kind about a booking, whatever the
// rest of their key (a reschedule count, a calendar sequence, a refund).
func (e *env) emailCount(kind, bookingID string) int {
	e.t.Helper()
	return storetest.Count(e.t, e.store, `SELECT count(*) FROM email_outbox WHERE kind = $1 AND idempotency_key LIKE $2`, kind, "%"+bookingID+"%")
}

func (e *env) refundRows(bookingID string) int {
	e.t.Helper()
	return storetest.Count(e.t, e.store, `SELECT count(*) FROM refunds WHERE booking_id = $1`, bookingID)
}

func TestLifecycle(t *testing.T) {
	storetest.EachBackend(t, func(t *testing.T, b storetest.Backend) {
		e := newEnv(t, b)
		for _, tc := range []struct {
			name string
			run  func(t *testing.T, e *env)
		}{
			{"customer cancel refunds by the policy, once, even when concurrent", testCancelRefundsOnce},
			{"owner cancel: full or none", testOwnerRefundChoice},
			{"cancel of an unpaid booking closes its checkout", testCancelUnpaid},
			{"cancel says why it can't", testCancelRefusals},
			{"refund retried, then the business told", testRefundRetries},
			{"late payment for a canceled booking", testLatePayment},
			{"reschedule moves the slot and the reminder", testReschedule},
			{"reschedule refusals offer what to do", testRescheduleRefusals},
			{"reminders", testReminders},
			{"owner's phone booking", testOwnerBooking},
			{"a customer's cancel and move through proposals", testChangeProposals},
			{"a checkout made for a booking canceled meanwhile is closed", testCheckoutAfterCancel},
			{"a cancel refunds no less than it showed", testQuotedRefund},
			{"moving a booking doesn't raise its refund", testRefundCapAfterMove},
		} {
			t.Run(tc.name, func(t *testing.T) { tc.run(t, e.sub(t)) })
		}
	})
}

func testCancelRefundsOnce(t *testing.T, e *env) {
	pay := e.recording()
	bk := e.paidBooking(e.nextDay()) // 6+ days ahead: the fixture's default policy refunds 100% 48 hours before
	var wg sync.WaitGroup
	results := make([]*booking.Result, 8)
	for i := range results {
		wg.Add(1)
		go func() {
			defer wg.Done()
			res, err := e.svc.Cancel(e.ctx, e.fx.Tenant, bk.ID, booking.CancelRequest{By: booking.ByCustomer, Reason: "ill"})
			if err != nil {
				t.Errorf("Cancel: %v", err)
				return
			}
			results[i] = res
		}()
	}
	wg.Wait()
	got := e.booking(bk.ID)
	if got.Status != frontdesk.StatusRefunded || got.RefundedCents != bk.TotalPriceCents || got.CanceledAt == nil || got.CancellationReason != "ill" {
		t.Fatalf("after cancel: %s refunded %d of %d", got.Status, got.RefundedCents, bk.TotalPriceCents)
	}
	if n := e.refundRows(bk.ID); n != 1 {
		t.Fatalf("%d refunds recorded, want 1", n)
	}
	if len(pay.refunds) != 1 || pay.refunds[0].Refund.AmountCents != bk.TotalPriceCents {
		t.Fatalf("provider asked for %d refunds: %+v", len(pay.refunds), pay.refunds)
	}
	for _, r := range results {
		if r == nil || r.Action != "canceled" || r.RefundedCents == nil || *r.RefundedCents != bk.TotalPriceCents {
			t.Fatalf("a cancel result %+v", r)
		}
	}
	for _, kind := range []string{frontdesk.EmailBookingCanceled, frontdesk.EmailTenantBookingCanceled} {
		if n := e.emailCount(kind, bk.ID); n != 1 {
			t.Fatalf("%d %s emails, want 1", n, kind)
		}
	}
	if n := storetest.Count(t, e.store, `SELECT count(*) FROM email_outbox WHERE kind = $1 AND idempotency_key LIKE $2`,
		frontdesk.EmailRefundIssued, "%"); n != 1 {
		t.Fatalf("%d refund emails, want 1", n)
	}
	// The slot is free at once.
	e.book(input("portrait", bk.Date.String(), "10:15"))
}

func testOwnerRefundChoice(t *testing.T, e *env) {
	e.recording()
	// Less than 48 hours ahead: the policy gives 50%.
	day := "2026-12-02"
	for _, tc := range []struct {
		choice booking.RefundChoice
		want   func(total int64) int64
		status frontdesk.BookingStatus
	}{
		{booking.RefundPolicy, func(total int64) int64 { return total / 2 }, frontdesk.StatusRefunded},
		{booking.RefundFull, func(total int64) int64 { return total }, frontdesk.StatusRefunded},
		{booking.RefundNone, func(int64) int64 { return 0 }, frontdesk.StatusCanceled},
	} {
		bk := e.paidBooking(day)
		res, err := e.svc.Cancel(e.ctx, e.fx.Tenant, bk.ID, booking.CancelRequest{Refund: tc.choice, By: booking.ByBusiness})
		if err != nil {
			t.Fatal(err)
		}
		got := e.booking(bk.ID)
		if want := tc.want(bk.TotalPriceCents); got.RefundedCents != want || got.Status != tc.status || *res.RefundedCents != want {
			t.Errorf("%s: %s refunded %d (result %d), want %s %d", tc.choice, got.Status, got.RefundedCents, *res.RefundedCents, tc.status, want)
		}
		// A customer can't ask for more than the policy.
		if tc.choice == booking.RefundFull {
			bk := e.paidBooking(day)
			e.svc.Cancel(e.ctx, e.fx.Tenant, bk.ID, booking.CancelRequest{Refund: booking.RefundFull, By: booking.ByCustomer})
			if got := e.booking(bk.ID); got.RefundedCents != bk.TotalPriceCents/2 {
				t.Errorf("a customer asking for a full refund got %d", got.RefundedCents)
			}
		}
	}
}

func testCancelUnpaid(t *testing.T, e *env) {
	pay := e.recording()
	bk := e.paid(input("portrait", e.nextDay(), "10:15"))
	res, err := e.svc.Cancel(e.ctx, e.fx.Tenant, bk.ID, booking.CancelRequest{By: booking.ByCustomer})
	if err != nil {
		t.Fatal(err)
	}
	if res.Status != string(frontdesk.StatusCanceled) || *res.RefundedCents != 0 || len(pay.refunds) != 0 {
		t.Fatalf("cancel of an unpaid booking: %+v, %d refunds", res, len(pay.refunds))
	}
	if len(pay.expired) != 1 || pay.expired[0] != bk.CheckoutSessionID {
		t.Fatalf("checkout sessions closed: %v, want %s", pay.expired, bk.CheckoutSessionID)
	}
	// Cancelling again returns the first result and does nothing more.
	again, err := e.svc.Cancel(e.ctx, e.fx.Tenant, bk.ID, booking.CancelRequest{By: booking.ByCustomer})
	if err != nil || again.Status != res.Status || len(pay.expired) != 1 {
		t.Fatalf("second cancel: %+v, %v", again, err)
	}
	if n := e.emailCount(frontdesk.EmailBookingCanceled, bk.ID); n != 1 {
		t.Fatalf("%d cancellation emails", n)
	}
}

func testCancelRefusals(t *testing.T, e *env) {
	bk := e.paid(input("portrait", e.nextDay(), "10:15"))
	e.handle(e.expired("evt_exp_"+bk.ID, bk))
	_, err := e.svc.Cancel(e.ctx, e.fx.Tenant, bk.ID, booking.CancelRequest{By: booking.ByCustomer})
	wantCode(t, err, frontdesk.EConflict, "expired unpaid")

	past := e.book(input("consult", "2026-12-01", "14:00")) // today, later
	e.clock.Set(t0.Add(6 * time.Hour))
	defer e.clock.Set(t0)
	_, err = e.svc.Cancel(e.ctx, e.fx.Tenant, past.BookingID, booking.CancelRequest{By: booking.ByBusiness})
	wantCode(t, err, frontdesk.EConflict, "already started or taken place")

	_, err = e.svc.Cancel(e.ctx, e.fx.Tenant, frontdesk.NewID(), booking.CancelRequest{By: booking.ByBusiness})
	wantCode(t, err, frontdesk.ENotFound, "")
}

func testRefundRetries(t *testing.T, e *env) {
	pay := e.recording()
	bk := e.paidBooking(e.nextDay())
	pay.failRefunds = true
	res, err := e.svc.Cancel(e.ctx, e.fx.Tenant, bk.ID, booking.CancelRequest{By: booking.ByCustomer})
	if err != nil {
		t.Fatal(err)
	}
	if res.Status != string(frontdesk.StatusCanceled) {
		t.Fatalf("status %s while the refund is pending", res.Status)
	}
	// Not yet due: nothing is retried.
	if n, err := e.svc.RetryRefunds(e.ctx); err != nil || n != 0 || len(pay.refunds) != 1 {
		t.Fatalf("RetryRefunds before due = %d, %v; %d calls", n, err, len(pay.refunds))
	}
	for i := 0; i < booking.MaxRefundAttempts-1; i++ {
		e.clock.Advance(7 * time.Hour)
		if _, err := e.svc.RetryRefunds(e.ctx); err != nil {
			t.Fatal(err)
		}
	}
	if len(pay.refunds) != booking.MaxRefundAttempts {
		t.Fatalf("%d attempts, want %d", len(pay.refunds), booking.MaxRefundAttempts)
	}
	for _, r := range pay.refunds {
		if r.Refund.ID != pay.refunds[0].Refund.ID {
			t.Fatal("a retry used another idempotency key")
		}
	}
	if n := storetest.Count(t, e.store, `SELECT count(*) FROM refunds WHERE booking_id = $1 AND status = 'FAILED'`, bk.ID); n != 1 {
		t.Fatal("the refund is not FAILED after the last attempt")
	}
	if n := storetest.Count(t, e.store, `SELECT count(*) FROM email_outbox WHERE kind = $1`, frontdesk.EmailRefundFailed); n != 1 {
		t.Fatalf("%d refund-failed emails to the business, want 1", n)
	}
	e.clock.Advance(7 * time.Hour)
	e.svc.RetryRefunds(e.ctx)
	if len(pay.refunds) != booking.MaxRefundAttempts {
		t.Fatal("a failed refund was tried again")
	}
	if got := e.booking(bk.ID); got.RefundedCents != 0 || got.Status != frontdesk.StatusCanceled {
		t.Fatalf("booking after a failed refund: %s %d", got.Status, got.RefundedCents)
	}
	e.clock.Set(t0)
}

func testLatePayment(t *testing.T, e *env) {
	pay := e.recording()
	// Canceled unpaid, then paid anyway while its time is still free: re-confirmed.
	day := e.nextDay()
	bk := e.paid(input("portrait", day, "10:15"))
	if _, err := e.svc.Cancel(e.ctx, e.fx.Tenant, bk.ID, booking.CancelRequest{By: booking.ByCustomer}); err != nil {
		t.Fatal(err)
	}
	e.handle(e.completed("evt_late_free_"+bk.ID, bk, bk.TotalPriceCents, bk.Currency))
	if got := e.booking(bk.ID); got.Status != frontdesk.StatusConfirmed || got.CanceledAt != nil {
		t.Fatalf("late payment, slot free: %s", got.Status)
	}
	// Canceled again: the second cancellation is emailed too.
	if _, err := e.svc.Cancel(e.ctx, e.fx.Tenant, bk.ID, booking.CancelRequest{By: booking.ByCustomer}); err != nil {
		t.Fatal(err)
	}
	if n := e.emailCount(frontdesk.EmailBookingCanceled, bk.ID); n != 2 {
		t.Fatalf("%d cancellation emails after canceling twice, want 2", n)
	}
	base := len(pay.refunds) // the paid booking's refund
	// Canceled, its time taken by someone else, then paid: refunded in full.
	day2 := e.nextDay()
	bk2 := e.paid(input("portrait", day2, "10:15"))
	e.svc.Cancel(e.ctx, e.fx.Tenant, bk2.ID, booking.CancelRequest{By: booking.ByCustomer})
	e.book(input("portrait", day2, "10:15"))
	e.handle(e.completed("evt_late_taken_"+bk2.ID, bk2, bk2.TotalPriceCents, bk2.Currency))
	got := e.booking(bk2.ID)
	if got.Status != frontdesk.StatusRefunded || got.RefundedCents != bk2.TotalPriceCents {
		t.Fatalf("late payment, slot taken: %s refunded %d", got.Status, got.RefundedCents)
	}
	if n := len(pay.refunds) - base; n != 1 {
		t.Fatalf("%d refunds asked", n)
	}
	// Delivered again: nothing more.
	e.handle(e.completed("evt_late_taken_"+bk2.ID, bk2, bk2.TotalPriceCents, bk2.Currency))
	if n := len(pay.refunds) - base; n != 1 || e.refundRows(bk2.ID) != 1 {
		t.Fatalf("a repeated event refunded again (%d)", n)
	}
	// A refund that fails after being accepted comes back to the business.
	ref := pay.refunds[base]
	e.handle(frontdesk.PaymentEvent{ID: "evt_refund_failed_" + bk2.ID, Provider: "stripe", Type: frontdesk.EventRefundFailed,
		RefundID: "re_test_" + ref.Refund.ID})
	if got := e.booking(bk2.ID); got.RefundedCents != 0 || got.Status != frontdesk.StatusCanceled {
		t.Fatalf("after refund.failed: %s %d", got.Status, got.RefundedCents)
	}
	if n := storetest.Count(t, e.store, `SELECT count(*) FROM email_outbox WHERE kind = $1 AND idempotency_key LIKE $2`,
		frontdesk.EmailRefundFailed, "%"+ref.Refund.ID); n != 1 {
		t.Fatalf("%d refund-failed emails", n)
	}
}

func testReschedule(t *testing.T, e *env) {
	day := e.nextDay()
	res := e.book(input("portrait", day, "10:15"))
	before := e.booking(res.BookingID)
	to := e.nextDay()
	got, err := e.svc.Reschedule(e.ctx, e.fx.Tenant, res.BookingID, booking.RescheduleRequest{Date: mustDate(t, to), StartTime: "14:00", By: booking.ByCustomer})
	if err != nil {
		t.Fatal(err)
	}
	moved := e.booking(res.BookingID)
	loc := e.fx.Tenant.Location()
	if got.Action != "rescheduled" || moved.ConfirmationCode != before.ConfirmationCode || moved.Date.String() != to ||
		moved.StartAt.In(loc).Format("15:04") != "14:00" || moved.RescheduleCount != 1 || moved.CalendarSequence != before.CalendarSequence+1 {
		t.Fatalf("moved booking %+v", moved)
	}
	if moved.ReminderDueAt == nil || !moved.ReminderDueAt.Equal(moved.StartAt.Add(-24*time.Hour)) {
		t.Fatalf("reminder due %v, want a day before %v", moved.ReminderDueAt, moved.StartAt)
	}
	// The old time is free, the new one taken.
	e.book(input("portrait", day, "10:15"))
	_, err = e.svc.Propose(e.ctx, e.fx.Tenant, e.session, input("portrait", to, "14:00"))
	wantCode(t, err, frontdesk.ESlotUnavailable, "")
	if n := storetest.Count(t, e.store, `SELECT count(*) FROM email_outbox WHERE kind IN ($1, $2) AND idempotency_key LIKE $3`,
		frontdesk.EmailBookingRescheduled, frontdesk.EmailTenantBookingRescheduled, "%"+res.BookingID+"%"); n != 2 {
		t.Fatalf("%d reschedule emails, want 2", n)
	}
}

func mustDate(t *testing.T, s string) frontdesk.Date {
	t.Helper()
	d, err := frontdesk.ParseDate(s)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func testRescheduleRefusals(t *testing.T, e *env) {
	day := e.nextDay()
	res := e.book(input("portrait", day, "10:15"))
	e.book(input("portrait", day, "11:30")) // takes the 11:30 slot
	req := func(date, at string) booking.RescheduleRequest {
		return booking.RescheduleRequest{Date: mustDate(t, date), StartTime: at, By: booking.ByCustomer}
	}
	_, err := e.svc.Reschedule(e.ctx, e.fx.Tenant, res.BookingID, req(day, "11:30"))
	wantCode(t, err, frontdesk.ESlotUnavailable, "Open that day:")
	_, err = e.svc.Reschedule(e.ctx, e.fx.Tenant, res.BookingID, req(sunday, "11:30"))
	wantCode(t, err, frontdesk.ESlotUnavailable, "")
	_, err = e.svc.Reschedule(e.ctx, e.fx.Tenant, res.BookingID, req(day, "10:15"))
	wantCode(t, err, frontdesk.EInvalid, "already the booking's time")
	// The limit: the fixture allows two moves.
	for _, at := range []string{"12:45", "14:00"} {
		if _, err := e.svc.Reschedule(e.ctx, e.fx.Tenant, res.BookingID, req(day, at)); err != nil {
			t.Fatal(err)
		}
	}
	_, err = e.svc.Reschedule(e.ctx, e.fx.Tenant, res.BookingID, req(day, "15:15"))
	wantCode(t, err, frontdesk.EConflict, "who can still change it")
	// The business is not held to it.
	if _, err := e.svc.Reschedule(e.ctx, e.fx.Tenant, res.BookingID, booking.RescheduleRequest{Date: mustDate(t, day), StartTime: "15:15", By: booking.ByBusiness}); err != nil {
		t.Fatal(err)
	}
	// The cutoff: a booking tomorrow morning can't be moved by the customer.
	soon := e.book(input("portrait", "2026-12-02", "09:00"))
	_, err = e.svc.Reschedule(e.ctx, e.fx.Tenant, soon.BookingID, req("2026-12-02", "14:00"))
	wantCode(t, err, frontdesk.EConflict, "hours before they start")
}

// TestRescheduleRace: many reschedules into one slot while others book it:
// exactly one wins, on both databases.
func TestRescheduleRace(t *testing.T) {
	storetest.EachBackend(t, func(t *testing.T, b storetest.Backend) {
		e := newEnv(t, b)
		target := "2026-12-09"
		var ids []string
		for i := 0; i < 100; i++ {
			// Consultations fill the other days' slots; each books its own.
			day := openDays[3+i%20]
			at := fmt.Sprintf("%02d:%02d", 9+(i/20)%8, 0)
			in := input("consult", day, at)
			in.CustomerEmail = fmt.Sprintf("c%d@example.com", i)
			ids = append(ids, e.book(in).BookingID)
		}
		var wins, lost atomic.Int32
		var wg sync.WaitGroup
		for i := 0; i < 200; i++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				var err error
				if i%2 == 0 {
					_, err = e.svc.Reschedule(e.ctx, e.fx.Tenant, ids[i/2], booking.RescheduleRequest{Date: mustDate(t, target), StartTime: "10:00", By: booking.ByBusiness})
				} else {
					var p *frontdesk.Proposal
					in := input("consult", target, "10:00")
					in.CustomerEmail = fmt.Sprintf("n%d@example.com", i)
					if p, err = e.svc.Propose(e.ctx, e.fx.Tenant, e.session, in); err == nil {
						_, err = e.svc.Confirm(e.ctx, e.fx.Tenant, e.session, p.ID)
					}
				}
				switch {
				case err == nil:
					wins.Add(1)
				case frontdesk.IsCode(err, frontdesk.ESlotUnavailable):
					lost.Add(1)
				default:
					t.Errorf("unexpected error: %v", err)
				}
			}()
		}
		wg.Wait()
		if wins.Load() != 1 || wins.Load()+lost.Load() != 200 {
			t.Fatalf("%d winners and %d refused, want exactly 1 winner of 200", wins.Load(), lost.Load())
		}
		if n := storetest.Count(t, e.store, `SELECT count(*) FROM bookings WHERE tenant_id = $1 AND date = $2 AND status IN ('PENDING', 'CONFIRMED')`,
			e.fx.Tenant.ID, mustDate(t, target)); n != 1 {
			t.Fatalf("%d live bookings on the target day", n)
		}
	})
}

func testReminders(t *testing.T, e *env) {
	defer e.clock.Set(t0)
	day := e.nextDay()
	a := e.book(input("consult", day, "09:00"))
	c := e.book(input("consult", day, "11:00"))
	moved := e.book(input("consult", day, "13:00"))
	start := func(id string) time.Time { return *e.booking(id).StartAt }
	// Before the window: nothing is due.
	if n, err := e.svc.SendReminders(e.ctx); err != nil || n != 0 {
		t.Fatalf("SendReminders before due = %d, %v", n, err)
	}
	e.svc.Cancel(e.ctx, e.fx.Tenant, c.BookingID, booking.CancelRequest{By: booking.ByCustomer})
	to := e.nextDay()
	if _, err := e.svc.Reschedule(e.ctx, e.fx.Tenant, moved.BookingID, booking.RescheduleRequest{Date: mustDate(t, to), StartTime: "09:00", By: booking.ByBusiness}); err != nil {
		t.Fatal(err)
	}
	e.clock.Set(start(a.BookingID).Add(-23 * time.Hour))
	// Two workers at once send one reminder.
	var wg sync.WaitGroup
	var sent atomic.Int32
	for range 2 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			n, err := e.svc.SendReminders(e.ctx)
			if err != nil {
				t.Error(err)
			}
			sent.Add(int32(n))
		}()
	}
	wg.Wait()
	count := func(id string) int {
		return storetest.Count(t, e.store, `SELECT count(*) FROM email_outbox WHERE kind = $1 AND idempotency_key LIKE $2`, frontdesk.EmailReminder, "%"+id+"%")
	}
	// (Bookings of other subtests may be due too: count per booking.)
	if sent.Load() < 1 || count(a.BookingID) != 1 || count(c.BookingID) != 0 || count(moved.BookingID) != 0 {
		t.Fatalf("sent %d; reminders: kept %d, canceled %d, moved %d", sent.Load(), count(a.BookingID), count(c.BookingID), count(moved.BookingID))
	}
	// The moved booking is reminded at its new time only.
	e.clock.Set(start(moved.BookingID).Add(-23 * time.Hour))
	e.svc.SendReminders(e.ctx)
	e.svc.SendReminders(e.ctx)
	if count(moved.BookingID) != 1 {
		t.Fatalf("moved booking got %d reminders", count(moved.BookingID))
	}
	// A booking made inside the window gets none.
	late := e.book(input("consult", to, "09:30")) // 23.5 hours ahead
	if b := e.booking(late.BookingID); b.ReminderDueAt != nil {
		t.Fatalf("a booking made inside the window has a reminder at %v", b.ReminderDueAt)
	}
}

func testOwnerBooking(t *testing.T, e *env) {
	day := e.nextDay()
	b, err := e.svc.BookForOwner(e.ctx, e.fx.Tenant, booking.OwnerBooking{PackageID: "portrait", Date: day, StartTime: "10:15",
		Customer: frontdesk.Customer{Name: "Phone Caller", Email: "caller@example.com"}, Paid: true})
	if err != nil {
		t.Fatal(err)
	}
	got := e.booking(b.ID)
	if got.Source != frontdesk.SourceAPI || got.Status != frontdesk.StatusConfirmed || got.PaidAt == nil {
		t.Fatalf("owner booking %+v", got)
	}
	if n := len(e.emailsAbout(b.ID, frontdesk.EmailBookingReceived)); n != 0 {
		t.Fatalf("customer emailed without notifyCustomer: %d", n)
	}
	_, err = e.svc.BookForOwner(e.ctx, e.fx.Tenant, booking.OwnerBooking{PackageID: "portrait", Date: day, StartTime: "10:15",
		Customer: frontdesk.Customer{Name: "Second", Email: "second@example.com"}, NotifyCustomer: true})
	wantCode(t, err, frontdesk.ESlotUnavailable, "")
	_, err = e.svc.BookForOwner(e.ctx, e.fx.Tenant, booking.OwnerBooking{PackageID: "portrait", Date: day, StartTime: "14:00",
		Customer: frontdesk.Customer{Name: "", Email: "nope"}})
	if fe, ok := err.(*frontdesk.Error); !ok || len(fe.Details) != 2 || fe.Details[0].Field != "customer.name" || fe.Details[1].Field != "customer.email" {
		t.Fatalf("bad owner booking: %v", err)
	}
}

// countingTransport counts the refunds asked of Stripe.
type countingTransport struct {
	next    http.RoundTripper
	refunds atomic.Int32
}

func (c *countingTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	if r.Method == http.MethodPost && r.URL.Path == "/v1/refunds" {
		c.refunds.Add(1)
	}
	return c.next.RoundTrip(r)
}

// TestRefundOnceThroughStripe: the same cancellation, again and at once,
// asks Stripe (stripe-mock) for one refund, on both databases.
func TestRefundOnceThroughStripe(t *testing.T) {
	base := storetest.ServiceURL(t, "TEST_STRIPE_MOCK_URL", "http://127.0.0.1:12111")
	storetest.EachBackend(t, func(t *testing.T, b storetest.Backend) {
		e := newEnv(t, b)
		ct := &countingTransport{next: http.DefaultTransport}
		bk := e.paidBooking(e.nextDay()) // paid through the test checkout's session
		e.svc.Payments = stripe.New(stripe.Config{SecretKey: "sk_test_123", APIBase: base, HTTPClient: &http.Client{Transport: ct, Timeout: 10 * time.Second}})
		var wg sync.WaitGroup
		for range 6 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				if _, err := e.svc.Cancel(e.ctx, e.fx.Tenant, bk.ID, booking.CancelRequest{By: booking.ByCustomer}); err != nil {
					t.Error(err)
				}
			}()
		}
		wg.Wait()
		if _, err := e.svc.Cancel(e.ctx, e.fx.Tenant, bk.ID, booking.CancelRequest{By: booking.ByCustomer}); err != nil {
			t.Fatal(err)
		}
		if n := ct.refunds.Load(); n != 1 {
			t.Fatalf("%d refunds asked of Stripe, want 1", n)
		}
		got := e.booking(bk.ID)
		if got.Status != frontdesk.StatusRefunded || got.RefundedCents != bk.TotalPriceCents {
			t.Fatalf("after the cancel: %s refunded %d", got.Status, got.RefundedCents)
		}
	})
}

func testChangeProposals(t *testing.T, e *env) {
	e.recording()
	bk := e.paidBooking(e.nextDay())
	found, err := e.svc.FindForCustomer(e.ctx, e.fx.Tenant, bk.ConfirmationCode, "ADA@example.com")
	if err != nil || found.ID != bk.ID {
		t.Fatalf("FindForCustomer = %v, %v", found, err)
	}
	_, wrongEmail := e.svc.FindForCustomer(e.ctx, e.fx.Tenant, bk.ConfirmationCode, "eve@example.com")
	_, wrongCode := e.svc.FindForCustomer(e.ctx, e.fx.Tenant, "BK-AAAAAA", "ada@example.com")
	if wrongEmail == nil || wrongCode == nil || frontdesk.ErrorMessage(wrongEmail) != frontdesk.ErrorMessage(wrongCode) {
		t.Fatalf("a wrong email (%v) and a wrong code (%v) must answer the same", wrongEmail, wrongCode)
	}
	to := e.nextDay()
	p, err := e.svc.ProposeReschedule(e.ctx, e.fx.Tenant, e.session, found, mustDate(t, to), "12:45")
	if err != nil {
		t.Fatal(err)
	}
	if p.Operation != frontdesk.OpRescheduleBooking || !contains(p.Preview, "from", "to", "12:45 PM") {
		t.Fatalf("reschedule proposal %+v", p)
	}
	if res := e.confirm(p); res.Action != "rescheduled" || e.booking(bk.ID).Date.String() != to {
		t.Fatalf("confirmed reschedule %+v", res)
	}
	p, err = e.svc.ProposeCancel(e.ctx, e.fx.Tenant, e.session, e.booking(bk.ID), "plans changed")
	if err != nil {
		t.Fatal(err)
	}
	if !contains(p.Preview, "Refund: $250.00") {
		t.Fatalf("cancel preview %q", p.Preview)
	}
	first := e.confirm(p)
	second := e.confirm(p)
	if first.Status != string(frontdesk.StatusRefunded) || *first.RefundedCents != 25000 || second.Status != first.Status || second.Message != first.Message {
		t.Fatalf("confirm %+v then %+v", first, second)
	}
}

func contains(s string, parts ...string) bool {
	for _, p := range parts {
		if !strings.Contains(s, p) {
			return false
		}
	}
	return true
}

func testCheckoutAfterCancel(t *testing.T, e *env) {
	pay := e.recording()
	bk := e.paid(input("portrait", e.nextDay(), "10:15"))
	if _, err := e.svc.Cancel(e.ctx, e.fx.Tenant, bk.ID, booking.CancelRequest{By: booking.ByCustomer}); err != nil {
		t.Fatal(err)
	}
	pkg, err := e.store.Package(e.ctx, e.fx.Tenant.ID, bk.PackageID)
	if err != nil {
		t.Fatal(err)
	}
	// A checkout call that was in flight when the customer canceled.
	before := len(pay.expired)
	if url := e.svc.StartCheckout(e.ctx, e.fx.Tenant, pkg, bk, nil); url != "" {
		t.Fatalf("a canceled booking got a checkout link %q", url)
	}
	if got := e.booking(bk.ID); got.Status != frontdesk.StatusCanceled || got.CheckoutURL != bk.CheckoutURL {
		t.Fatalf("the canceled booking was changed: %+v", got)
	}
	if len(pay.expired) != before+1 {
		t.Fatal("the new checkout session was not closed")
	}
	if n := e.emailCount(frontdesk.EmailPaymentLink, bk.ID); n != 0 {
		t.Fatalf("%d payment links sent for a canceled booking", n)
	}
}

func testQuotedRefund(t *testing.T, e *env) {
	defer e.clock.Set(t0)
	e.recording()
	bk := e.paidBooking("2026-12-03") // 48 hours 15 minutes ahead: 100% now, 50% from 10:15
	p, err := e.svc.ProposeCancel(e.ctx, e.fx.Tenant, e.session, e.booking(bk.ID), "")
	if err != nil {
		t.Fatal(err)
	}
	if !contains(p.Preview, "Refund: $250.00") {
		t.Fatalf("preview %q", p.Preview)
	}
	e.clock.Advance(20 * time.Minute)
	_, err = e.svc.Confirm(e.ctx, e.fx.Tenant, e.session, p.ID)
	wantCode(t, err, frontdesk.EConflict, "Ask again")
	if got := e.booking(bk.ID); got.Status != frontdesk.StatusConfirmed {
		t.Fatalf("the booking was canceled with less than it showed: %s", got.Status)
	}
}

func testRefundCapAfterMove(t *testing.T, e *env) {
	e.recording()
	bk := e.paid(input("portrait", "2026-12-02", "14:00")) // 28 hours ahead: 50% back now
	e.handle(e.completed("evt_pay_cap_"+bk.ID, bk, bk.TotalPriceCents, bk.Currency))
	if _, err := e.svc.Reschedule(e.ctx, e.fx.Tenant, bk.ID, booking.RescheduleRequest{Date: mustDate(t, e.nextDay()), StartTime: "10:15", By: booking.ByCustomer}); err != nil {
		t.Fatal(err)
	}
	moved := e.booking(bk.ID)
	if moved.RefundCapPercent == nil || *moved.RefundCapPercent != 50 {
		t.Fatalf("cap after the move: %v", moved.RefundCapPercent)
	}
	res, err := e.svc.Cancel(e.ctx, e.fx.Tenant, bk.ID, booking.CancelRequest{By: booking.ByCustomer})
	if err != nil {
		t.Fatal(err)
	}
	if *res.RefundedCents != bk.TotalPriceCents/2 {
		t.Fatalf("refund after moving a week out: %d, want the %d it had reached", *res.RefundedCents, bk.TotalPriceCents/2)
	}
}
