package booking_test

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/frontdeskhq/frontdesk"
	"github.com/frontdeskhq/frontdesk/payments/stripe"
	"github.com/frontdeskhq/frontdesk/payments/stripe/stripetest"
	"github.com/frontdeskhq/frontdesk/payments/testmode"
	"github.com/frontdeskhq/frontdesk/storetest"
)

const webhookSecret = "whsec_booking_test"

// stripeEvent signs a Stripe event and parses it as the webhook handler
// does, so the test feeds HandlePaymentEvent exactly what Stripe would.
func stripeEvent(t *testing.T, event map[string]any) frontdesk.PaymentEvent {
	t.Helper()
	payload, sig := stripetest.SignedPayload(t, webhookSecret, event)
	ev, err := stripe.ParseWebhook(payload, sig, webhookSecret, time.Now())
	if err != nil {
		t.Fatalf("ParseWebhook: %v", err)
	}
	return ev
}

// paid books a portrait session and returns the booking, PENDING payment.
func (e *env) paid(in frontdesk.BookServiceIn) *frontdesk.Booking {
	e.t.Helper()
	bk := e.booking(e.book(in).BookingID)
	if bk.Status != frontdesk.StatusPending || bk.CheckoutSessionID == "" {
		e.t.Fatalf("booking %+v: want PENDING with a checkout session", bk)
	}
	return bk
}

func (e *env) completed(id string, bk *frontdesk.Booking, amount int64, currency string) frontdesk.PaymentEvent {
	e.t.Helper()
	return stripeEvent(e.t, stripetest.CompletedEvent(id, bk.CheckoutSessionID, bk.ID, bk.TenantID, amount, currency))
}

func (e *env) expired(id string, bk *frontdesk.Booking) frontdesk.PaymentEvent {
	e.t.Helper()
	return stripeEvent(e.t, stripetest.ExpiredEvent(id, bk.CheckoutSessionID, bk.ID, bk.TenantID, bk.TotalPriceCents, bk.Currency))
}

func (e *env) handle(ev frontdesk.PaymentEvent) {
	e.t.Helper()
	if err := e.svc.HandlePaymentEvent(e.ctx, ev); err != nil {
		e.t.Fatalf("HandlePaymentEvent(%s %s): %v", ev.Type, ev.ID, err)
	}
}

func (e *env) eventRecorded(id string) bool {
	e.t.Helper()
	return storetest.Count(e.t, e.store, `SELECT count(*) FROM webhook_events WHERE id = $1`, id) == 1
}

// TestPaymentEvents runs the payment event checks on one store per
// backend, each subtest on days of its own.
func TestPaymentEvents(t *testing.T) {
	tests := []struct {
		name string
		run  func(t *testing.T, e *env)
	}{
		{"completed confirms", testPaymentCompleted},
		{"concurrent deliveries", testPaymentConcurrentDeliveries},
		{"outcomes", testPaymentOutcomes},
		{"expired frees the slot", testPaymentExpiredFreesSlot},
		{"acknowledged without a booking", testPaymentWithoutBooking},
		{"foreign account or session ignored", testPaymentForeign},
	}
	storetest.EachBackend(t, func(t *testing.T, b storetest.Backend) {
		e := newEnv(t, b)
		for _, tc := range tests {
			t.Run(tc.name, func(t *testing.T) { tc.run(t, e.sub(t)) })
		}
	})
}

func testPaymentCompleted(t *testing.T, e *env) {
	bk := e.paid(input("portrait", e.nextDay(), "10:15"))
	e.clock.Advance(5 * time.Minute)
	e.handle(e.completed("evt_paid_1", bk, 25000, "usd"))
	got := e.booking(bk.ID)
	now := e.clock.Now()
	if got.Status != frontdesk.StatusConfirmed || got.PaidAt == nil || !got.PaidAt.Equal(now) {
		t.Errorf("booking %s paid at %v, want CONFIRMED paid at %s", got.Status, got.PaidAt, now)
	}
	if got.PaymentIntentID != "pi_"+bk.ID {
		t.Errorf("payment intent %q, want pi_%s", got.PaymentIntentID, bk.ID)
	}
	conf := e.emailsAbout(bk.ID, frontdesk.EmailPaymentConfirmed)
	if len(conf) != 1 {
		t.Fatalf("%d payment_confirmed emails, want 1", len(conf))
	}
	mustDueBy(t, conf[0], now)
	if conf[0].IdempotencyKey != "payment_confirmed:"+bk.ID || conf[0].Email.To != "ada@example.com" ||
		conf[0].Email.Subject != "Payment received: "+bk.ConfirmationCode {
		t.Errorf("payment_confirmed email %+v", conf[0])
	}
	if !e.eventRecorded("evt_paid_1") {
		t.Error("event not recorded")
	}
	// A repeated delivery changes nothing.
	e.clock.Advance(time.Minute)
	e.handle(e.completed("evt_paid_1", bk, 25000, "usd"))
	if again := e.booking(bk.ID); !again.PaidAt.Equal(now) || !again.UpdatedAt.Equal(got.UpdatedAt) {
		t.Errorf("repeated event changed the booking: paid %v updated %v", again.PaidAt, again.UpdatedAt)
	}
	if n := len(e.emailsAbout(bk.ID, frontdesk.EmailPaymentConfirmed)); n != 1 {
		t.Errorf("%d payment_confirmed emails after a repeat, want 1", n)
	}
}

func testPaymentConcurrentDeliveries(t *testing.T, e *env) {
	bk := e.paid(input("portrait", e.nextDay(), "10:15"))
	ev := e.completed("evt_concurrent", bk, 25000, "usd")
	const n = 10
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() { errs[i] = e.svc.HandlePaymentEvent(context.Background(), ev) })
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Errorf("delivery %d: %v", i, err)
		}
	}
	if got := e.booking(bk.ID); got.Status != frontdesk.StatusConfirmed || got.PaidAt == nil {
		t.Errorf("booking %s, want CONFIRMED and paid", got.Status)
	}
	if got := len(e.emailsAbout(bk.ID, frontdesk.EmailPaymentConfirmed)); got != 1 {
		t.Errorf("%d payment_confirmed emails, want 1", got)
	}
	if got := storetest.Count(t, e.store, `SELECT count(*) FROM webhook_events WHERE id = 'evt_concurrent'`); got != 1 {
		t.Errorf("%d webhook events recorded, want 1", got)
	}
}

func testPaymentOutcomes(t *testing.T, e *env) {
	type check struct {
		status    frontdesk.BookingStatus
		paid      bool
		confirmed int // payment_confirmed emails
	}
	// Each case books its own day; id makes its event ids unique.
	cases := []struct {
		name   string
		events func(e *env, bk *frontdesk.Booking, id func(string) string) []frontdesk.PaymentEvent
		want   check
	}{
		{"expired after completed", func(e *env, bk *frontdesk.Booking, id func(string) string) []frontdesk.PaymentEvent {
			return []frontdesk.PaymentEvent{e.completed(id("a"), bk, 25000, "usd"), e.expired(id("b"), bk)}
		}, check{frontdesk.StatusConfirmed, true, 1}},
		{"amount too small", func(e *env, bk *frontdesk.Booking, id func(string) string) []frontdesk.PaymentEvent {
			return []frontdesk.PaymentEvent{e.completed(id("a"), bk, 100, "usd")}
		}, check{frontdesk.StatusPending, false, 0}},
		{"amount too large", func(e *env, bk *frontdesk.Booking, id func(string) string) []frontdesk.PaymentEvent {
			return []frontdesk.PaymentEvent{e.completed(id("a"), bk, 2500000, "usd")}
		}, check{frontdesk.StatusPending, false, 0}},
		{"other currency", func(e *env, bk *frontdesk.Booking, id func(string) string) []frontdesk.PaymentEvent {
			return []frontdesk.PaymentEvent{e.completed(id("a"), bk, 25000, "eur")}
		}, check{frontdesk.StatusPending, false, 0}},
		{"expired while pending", func(e *env, bk *frontdesk.Booking, id func(string) string) []frontdesk.PaymentEvent {
			return []frontdesk.PaymentEvent{e.expired(id("a"), bk)}
		}, check{frontdesk.StatusExpired, false, 0}},
		{"async payment failed", func(e *env, bk *frontdesk.Booking, id func(string) string) []frontdesk.PaymentEvent {
			return []frontdesk.PaymentEvent{{ID: id("a"), Provider: "stripe", Type: frontdesk.EventCheckoutAsyncFailed,
				SessionID: bk.CheckoutSessionID, BookingID: bk.ID, TenantID: bk.TenantID, PaymentStatus: "unpaid",
				AmountTotal: bk.TotalPriceCents, Currency: bk.Currency}}
		}, check{frontdesk.StatusExpired, false, 0}},
		{"completed but still processing", func(e *env, bk *frontdesk.Booking, id func(string) string) []frontdesk.PaymentEvent {
			processing := e.completed(id("a"), bk, 25000, "usd")
			processing.PaymentStatus = "unpaid"
			return []frontdesk.PaymentEvent{processing}
		}, check{frontdesk.StatusPending, false, 0}},
		{"completed but still processing, then async success", func(e *env, bk *frontdesk.Booking, id func(string) string) []frontdesk.PaymentEvent {
			processing := e.completed(id("a"), bk, 25000, "usd")
			processing.PaymentStatus = "unpaid"
			ok := processing
			ok.ID, ok.Type, ok.PaymentStatus = id("b"), frontdesk.EventCheckoutAsyncSucceded, "paid"
			return []frontdesk.PaymentEvent{processing, ok}
		}, check{frontdesk.StatusConfirmed, true, 1}},
		{"found by session when metadata is missing", func(e *env, bk *frontdesk.Booking, id func(string) string) []frontdesk.PaymentEvent {
			ev := e.completed(id("a"), bk, 25000, "usd")
			ev.BookingID, ev.TenantID = "", ""
			return []frontdesk.PaymentEvent{ev}
		}, check{frontdesk.StatusConfirmed, true, 1}},
		{"late payment after expiry, slot still free", func(e *env, bk *frontdesk.Booking, id func(string) string) []frontdesk.PaymentEvent {
			return []frontdesk.PaymentEvent{e.expired(id("a"), bk), e.completed(id("b"), bk, 25000, "usd")}
		}, check{frontdesk.StatusConfirmed, true, 1}},
	}
	for i, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			e := e.sub(t)
			bk := e.paid(input("portrait", e.nextDay(), "10:15"))
			events := tc.events(e, bk, func(s string) string { return fmt.Sprintf("evt_%d_%s", i, s) })
			for _, ev := range events {
				e.handle(ev)
				if !e.eventRecorded(ev.ID) {
					t.Errorf("event %s not recorded", ev.ID)
				}
			}
			got := e.booking(bk.ID)
			if got.Status != tc.want.status || (got.PaidAt != nil) != tc.want.paid {
				t.Errorf("booking %s paid at %v, want %s (paid %v)", got.Status, got.PaidAt, tc.want.status, tc.want.paid)
			}
			if n := len(e.emailsAbout(bk.ID, frontdesk.EmailPaymentConfirmed)); n != tc.want.confirmed {
				t.Errorf("%d payment_confirmed emails, want %d", n, tc.want.confirmed)
			}
			// Every event again: nothing changes.
			e.clock.Advance(time.Second)
			for _, ev := range events {
				e.handle(ev)
			}
			if again := e.booking(bk.ID); again.Status != got.Status || !again.UpdatedAt.Equal(got.UpdatedAt) {
				t.Errorf("redelivery changed the booking: %s -> %s", got.Status, again.Status)
			}
			if n := len(e.emailsAbout(bk.ID, frontdesk.EmailPaymentConfirmed)); n != tc.want.confirmed {
				t.Errorf("%d payment_confirmed emails after redelivery, want %d", n, tc.want.confirmed)
			}
		})
	}
}

func testPaymentExpiredFreesSlot(t *testing.T, e *env) {
	day := e.nextDay()
	bk := e.paid(input("portrait", day, "10:15"))
	bob := input("portrait", day, "10:15")
	bob.CustomerName, bob.CustomerEmail = "Bob", "bob@example.com"
	if _, _, err := e.svc.Prepare(e.ctx, e.fx.Tenant, bob); !frontdesk.IsCode(err, frontdesk.ESlotUnavailable) {
		t.Fatalf("Prepare of a held slot: %v, want slot_unavailable", err)
	}
	e.handle(e.expired("evt_expired", bk))
	if got := e.booking(bk.ID); got.Status != frontdesk.StatusExpired {
		t.Fatalf("booking %s, want EXPIRED", got.Status)
	}
	res := e.book(bob)
	if !res.Success || res.BookingID == bk.ID || res.Status != string(frontdesk.StatusPending) {
		t.Errorf("rebooking the freed slot: %+v", res)
	}
	// Ada's payment arrives after all: her slot is gone, so the money goes
	// straight back.
	e.handle(e.completed("evt_late", bk, 25000, "usd"))
	if got := e.booking(bk.ID); got.Status != frontdesk.StatusRefunded || got.RefundedCents != 25000 {
		t.Errorf("late payment for a retaken slot: %s refunded %d, want REFUNDED 25000", got.Status, got.RefundedCents)
	}
	if n := len(e.emailsAbout(bk.ID, frontdesk.EmailPaymentConfirmed)); n != 0 {
		t.Errorf("%d payment_confirmed emails, want 0", n)
	}
}

func testPaymentWithoutBooking(t *testing.T, e *env) {
	bk := e.paid(input("portrait", e.nextDay(), "10:15"))
	other := storetest.NewFixture(t, e.store, "Other Studio", zone)
	unknownID := frontdesk.NewID()
	cases := []struct {
		name string
		ev   frontdesk.PaymentEvent
	}{
		{"unknown booking id", stripeEvent(t, stripetest.CompletedEvent("evt_unknown_booking", testmode.SessionID(unknownID), unknownID, e.fx.Tenant.ID, 25000, "usd"))},
		{"booking id that is not an id", stripeEvent(t, stripetest.CompletedEvent("evt_bad_id", "cs_test_nothing", "'; DROP TABLE bookings; --", "", 25000, "usd"))},
		{"booking of another tenant, unknown session", stripeEvent(t, stripetest.CompletedEvent("evt_wrong_tenant", "cs_test_other", bk.ID, other.Tenant.ID, 25000, "usd"))},
		{"unknown event type", frontdesk.PaymentEvent{ID: "evt_unknown_type", Provider: "stripe", Type: "charge.dispute.created",
			SessionID: bk.CheckoutSessionID, BookingID: bk.ID, TenantID: bk.TenantID}},
		{"unknown type through the webhook", stripeEvent(t, map[string]any{"id": "evt_customer", "object": "event", "type": "customer.created",
			"data": map[string]any{"object": map[string]any{"id": "cus_1", "object": "customer"}}})},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if err := e.svc.HandlePaymentEvent(e.ctx, tc.ev); err != nil {
				t.Fatalf("HandlePaymentEvent: %v, want nil", err)
			}
			if !e.eventRecorded(tc.ev.ID) {
				t.Errorf("event %s not recorded", tc.ev.ID)
			}
		})
	}
	if got := e.booking(bk.ID); got.Status != frontdesk.StatusPending || got.PaidAt != nil {
		t.Errorf("booking %s paid %v, want untouched PENDING", got.Status, got.PaidAt)
	}
	if n := len(e.emailsAbout(bk.ID, frontdesk.EmailPaymentConfirmed)); n != 0 {
		t.Errorf("%d payment_confirmed emails, want 0", n)
	}
}

func TestExpireLapsed(t *testing.T) {
	storetest.EachBackend(t, func(t *testing.T, b storetest.Backend) {
		e := newEnv(t, b)
		lapsed := e.paid(input("portrait", monday, "10:15")) // checkout until t0+45m
		free := e.book(input("consult", monday, "15:00"))
		e.clock.Advance(30 * time.Minute)
		fresh := e.paid(input("portrait", tuesday, "10:15")) // checkout until t0+75m
		paid := e.paid(input("wedding", "2026-12-12", ""))   // until t0+75m, then paid
		e.handle(e.completed("evt_paid", paid, 150000, "usd"))

		e.clock.Advance(15 * time.Minute) // t0+45m: the checkout ends now, not before
		if n, err := e.svc.ExpireLapsed(e.ctx); err != nil || n != 0 {
			t.Fatalf("ExpireLapsed at the expiry instant = %d, %v; want 0", n, err)
		}
		e.clock.Advance(5 * time.Minute)
		n, err := e.svc.ExpireLapsed(e.ctx)
		if err != nil || n != 1 {
			t.Fatalf("ExpireLapsed = %d, %v; want 1", n, err)
		}
		for _, c := range []struct {
			id   string
			want frontdesk.BookingStatus
		}{
			{lapsed.ID, frontdesk.StatusExpired},
			{fresh.ID, frontdesk.StatusPending},
			{paid.ID, frontdesk.StatusConfirmed},
			{free.BookingID, frontdesk.StatusConfirmed},
		} {
			if got := e.booking(c.id).Status; got != c.want {
				t.Errorf("booking %s: %s, want %s", c.id, got, c.want)
			}
		}
		if n, err := e.svc.ExpireLapsed(e.ctx); err != nil || n != 0 {
			t.Errorf("second ExpireLapsed = %d, %v; want 0", n, err)
		}
		// The customer is told, once; nobody else is.
		if got := e.emailsAbout(lapsed.ID, frontdesk.EmailBookingExpired); len(got) != 1 || got[0].Email.To != "ada@example.com" ||
			got[0].Email.Subject != "Booking released: "+lapsed.ConfirmationCode {
			t.Errorf("booking_expired emails about the lapsed booking: %+v", got)
		}
		for _, id := range []string{fresh.ID, paid.ID, free.BookingID} {
			if got := e.emailsAbout(id, frontdesk.EmailBookingExpired); len(got) != 0 {
				t.Errorf("booking %s got a booking_expired email", id)
			}
		}
		// The lapsed slot is open again.
		bob := input("portrait", monday, "10:15")
		bob.CustomerEmail = "bob@example.com"
		if res := e.book(bob); !res.Success {
			t.Errorf("rebooking the lapsed slot: %+v", res)
		}
	})
}

// hookStore calls onRead (once) when a transaction reads a booking, so a
// test can run something else at that exact point.
type hookStore struct {
	frontdesk.Store
	once   sync.Once
	onRead func()
}

func (s *hookStore) WithTx(ctx context.Context, fn func(tx frontdesk.Tx) error) error {
	return s.Store.WithTx(ctx, func(tx frontdesk.Tx) error { return fn(&hookTx{Tx: tx, s: s}) })
}

type hookTx struct {
	frontdesk.Tx
	s *hookStore
}

func (tx *hookTx) Booking(ctx context.Context, tenantID, id string) (*frontdesk.Booking, error) {
	b, err := tx.Tx.Booking(ctx, tenantID, id)
	if err == nil {
		tx.s.once.Do(tx.s.onRead)
	}
	return b, err
}

// A payment that arrives while the expiry job is expiring the same booking
// must not be overwritten: the customer paid and was told so.
func TestExpireLapsedRacingPayment(t *testing.T) {
	storetest.EachBackend(t, func(t *testing.T, b storetest.Backend) {
		e := newEnv(t, b)
		bk := e.paid(input("portrait", monday, "10:15"))
		e.clock.Advance(46 * time.Minute)
		ev := e.completed("evt_race", bk, 25000, "usd")

		payErr := make(chan error, 1)
		hs := &hookStore{Store: e.store}
		hs.onRead = func() {
			// The job has read the booking as PENDING; the webhook runs now.
			go func() { payErr <- e.svc.HandlePaymentEvent(context.Background(), ev) }()
			select {
			case err := <-payErr:
				payErr <- err // finished first (no lock kept it out)
			case <-time.After(300 * time.Millisecond): // waiting for the job's transaction
			}
		}
		job := *e.svc
		job.Store = hs
		if _, err := job.ExpireLapsed(e.ctx); err != nil {
			t.Fatal(err)
		}
		if err := <-payErr; err != nil {
			t.Fatal(err)
		}
		got := e.booking(bk.ID)
		mails := len(e.emailsAbout(bk.ID, frontdesk.EmailPaymentConfirmed))
		if got.Status != frontdesk.StatusConfirmed || got.PaidAt == nil || mails != 1 {
			t.Errorf("booking %s paid %v with %d payment_confirmed emails; want CONFIRMED, paid, 1 email", got.Status, got.PaidAt, mails)
		}
	})
}

// testPaymentForeign: metadata naming a booking is not enough. An event
// from another Stripe account, or about another checkout session, leaves
// the booking as it was.
func testPaymentForeign(t *testing.T, e *env) {
	bk := e.paid(input("portrait", e.nextDay(), "10:15"))
	other := e.completed("evt_foreign_account", bk, bk.TotalPriceCents, bk.Currency)
	other.Account = "acct_someone_else"
	e.handle(other)
	session := e.completed("evt_foreign_session", bk, bk.TotalPriceCents, bk.Currency)
	session.SessionID = "cs_test_attackers_own_session"
	e.handle(session)
	expired := e.expired("evt_foreign_expiry", bk)
	expired.Account = "acct_someone_else"
	e.handle(expired)
	if got := e.booking(bk.ID); got.Status != frontdesk.StatusPending || got.PaidAt != nil {
		t.Fatalf("a foreign event changed the booking: %s paid %v", got.Status, got.PaidAt)
	}
	if n := len(e.emailsAbout(bk.ID, frontdesk.EmailPaymentConfirmed)); n != 0 {
		t.Fatalf("%d payment emails after foreign events", n)
	}
	e.handle(e.completed("evt_own", bk, bk.TotalPriceCents, bk.Currency))
	if got := e.booking(bk.ID); got.Status != frontdesk.StatusConfirmed {
		t.Fatalf("the genuine event did not confirm: %s", got.Status)
	}
}

// TestPaymentAttention: a payment that cannot be applied is not lost in a
// log line; the business gets one email asking it to refund.
func TestPaymentAttention(t *testing.T) {
	storetest.EachBackend(t, func(t *testing.T, b storetest.Backend) {
		e := newEnv(t, b)
		bk := e.paid(input("portrait", monday, "10:15"))
		wrong := e.completed("evt_wrong_amount", bk, 100, "usd")
		e.handle(wrong)
		wrong.ID = "evt_wrong_amount_again"
		e.handle(wrong)
		got := e.emailsAbout(bk.ID, frontdesk.EmailPaymentAttention)
		if len(got) != 1 {
			t.Fatalf("%d payment_attention emails, want 1", len(got))
		}
		m := got[0].Email
		if m.To != e.fx.Tenant.ContactEmail || m.ReplyTo != "ada@example.com" ||
			!strings.Contains(m.Text, "$1.00") || !strings.Contains(m.Text, "$250.00") || !strings.Contains(m.Text, "pi_"+bk.ID) {
			t.Fatalf("payment_attention email to %s:\n%s", m.To, m.Text)
		}
		if st := e.booking(bk.ID).Status; st != frontdesk.StatusPending {
			t.Fatalf("booking %s after a wrong amount, want PENDING", st)
		}
	})
}

// TestExpiryAfterUnappliedPayment: once money arrived for a booking, its
// expiry never tells the customer that nothing was charged, and a payment
// still processing holds the slot until Stripe's verdict.
func TestExpiryAfterUnappliedPayment(t *testing.T) {
	storetest.EachBackend(t, func(t *testing.T, b storetest.Backend) {
		e := newEnv(t, b)
		wrong := e.paid(input("portrait", monday, "10:15"))
		e.handle(e.completed("evt_wrong", wrong, 100, "usd"))
		processing := e.paid(input("portrait", tuesday, "10:15"))
		slow := e.completed("evt_processing", processing, processing.TotalPriceCents, processing.Currency)
		slow.PaymentStatus = "unpaid"
		e.handle(slow)

		e.clock.Advance(3 * time.Hour) // past every checkout's expiry
		if _, err := e.svc.ExpireLapsed(e.ctx); err != nil {
			t.Fatal(err)
		}
		if got := e.booking(wrong.ID); got.Status != frontdesk.StatusExpired {
			t.Errorf("the wrongly paid booking is %s, want EXPIRED", got.Status)
		}
		if n := len(e.emailsAbout(wrong.ID, frontdesk.EmailBookingExpired)); n != 0 {
			t.Errorf("a customer whose money arrived was told nothing was charged (%d emails)", n)
		}
		if got := e.booking(processing.ID); got.Status != frontdesk.StatusPending {
			t.Fatalf("a payment still processing lost its slot: %s", got.Status)
		}
		failed := e.expired("evt_failed", processing)
		failed.Type = frontdesk.EventCheckoutAsyncFailed
		e.handle(failed)
		if got := e.booking(processing.ID); got.Status != frontdesk.StatusExpired {
			t.Fatalf("after the payment failed: %s, want EXPIRED", got.Status)
		}
		if n := len(e.emailsAbout(processing.ID, frontdesk.EmailBookingExpired)); n != 1 {
			t.Fatalf("%d booking_expired emails after a failed payment, want 1", n)
		}
	})
}
