package booking_test

import (
	"context"
	"testing"
	"time"

	"github.com/frontdeskhq/frontdesk"
	"github.com/frontdeskhq/frontdesk/storetest"
)

// lapse stores n PENDING portrait bookings whose checkout lapsed before
// the clock's now, on distinct slots from Monday 7 December on.
func (e *env) lapse(n int) []*frontdesk.Booking {
	e.t.Helper()
	cust := e.fx.Customer(e.t, e.store, "lapsed@example.com")
	ended := e.clock.Now().Add(-time.Minute)
	var out []*frontdesk.Booking
	for i := range n {
		day := time.Date(2026, 12, 7+i/3, 14+3*(i%3), 0, 0, 0, time.UTC) // 9:00, 12:00, 15:00 EST
		b := e.fx.Booking(e.fx.Portrait, cust, day)
		b.CheckoutExpiresAt = &ended
		if err := e.store.CreateBooking(e.ctx, b); err != nil {
			e.t.Fatal(err)
		}
		out = append(out, b)
	}
	return out
}

func (e *env) countStatus(status frontdesk.BookingStatus) int {
	e.t.Helper()
	return storetest.Count(e.t, e.store, `SELECT count(*) FROM bookings WHERE tenant_id = $1 AND status = $2`, e.fx.Tenant.ID, string(status))
}

// TestExpireLapsedDrainsTheBacklog: more lapsed bookings than a page are
// all expired in one run, page after page; a run stops after its last page
// and the next run goes on.
func TestExpireLapsedDrainsTheBacklog(t *testing.T) {
	storetest.EachBackend(t, func(t *testing.T, b storetest.Backend) {
		t.Run("one run drains it", func(t *testing.T) {
			e := newEnv(t, b)
			e.svc.ExpiryPage = 3
			e.lapse(8)
			if n, err := e.svc.ExpireLapsed(e.ctx); err != nil || n != 8 {
				t.Fatalf("ExpireLapsed = %d, %v; want all 8 with pages of 3", n, err)
			}
			if n := e.countStatus(frontdesk.StatusPending); n != 0 {
				t.Fatalf("%d bookings left PENDING", n)
			}
		})
		t.Run("bounded pages per run", func(t *testing.T) {
			e := newEnv(t, b)
			e.svc.ExpiryPage, e.svc.ExpiryMaxPages = 3, 2
			e.lapse(8)
			if n, err := e.svc.ExpireLapsed(e.ctx); err != nil || n != 6 {
				t.Fatalf("first run = %d, %v; want 6 (2 pages of 3)", n, err)
			}
			if n, err := e.svc.ExpireLapsed(e.ctx); err != nil || n != 2 {
				t.Fatalf("second run = %d, %v; want the other 2", n, err)
			}
		})
		t.Run("bookings left pending do not hold up the rest", func(t *testing.T) {
			e := newEnv(t, b)
			e.svc.ExpiryPage = 2
			lapsed := e.lapse(3)
			// The first two were paid at the last moment: their checkouts
			// cannot be closed, so they stay PENDING for their payment.
			paid := map[string]bool{}
			for _, bk := range lapsed[:2] {
				bk.CheckoutSessionID = "cs_paid_" + bk.ID
				paid[bk.CheckoutSessionID] = true
				if err := e.store.UpdateBooking(e.ctx, bk); err != nil {
					t.Fatal(err)
				}
			}
			e.svc.Payments = paidCheckouts{Payments: e.pay, paid: paid}
			done := make(chan struct{})
			var n int
			var err error
			go func() { n, err = e.svc.ExpireLapsed(e.ctx); close(done) }()
			select {
			case <-done:
			case <-time.After(30 * time.Second):
				t.Fatal("ExpireLapsed did not return")
			}
			if err != nil || n != 1 {
				t.Fatalf("ExpireLapsed = %d, %v; want 1: the third booking, past the two paid ones", n, err)
			}
			if n := e.countStatus(frontdesk.StatusPending); n != 2 {
				t.Fatalf("%d PENDING, want the 2 paid ones", n)
			}
		})
	})
}

// paidCheckouts is a provider whose listed checkouts were paid just now.
type paidCheckouts struct {
	frontdesk.Payments
	paid map[string]bool
}

func (p paidCheckouts) ExpireCheckout(ctx context.Context, t *frontdesk.Tenant, session string) error {
	if p.paid[session] {
		return frontdesk.ErrCheckoutPaid
	}
	return p.Payments.ExpireCheckout(ctx, t, session)
}
