package booking_test

import (
	"sync"
	"testing"

	"github.com/frontdeskhq/frontdesk"
	"github.com/frontdeskhq/frontdesk/booking"
	"github.com/frontdeskhq/frontdesk/metrics"
	"github.com/frontdeskhq/frontdesk/storetest"
)

// scrape reads the metrics' current values by "name{labels}".
func scrape(t *testing.T, m *metrics.Metrics) map[string]float64 {
	t.Helper()
	v, err := m.Values()
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func statusChanges(status string) string {
	return `frontdesk_booking_status_changes_total{status="` + status + `"}`
}

func webhookEvents(outcome string) string {
	return `frontdesk_webhook_events_total{outcome="` + outcome + `"}`
}

// TestMetricsCountEachStatusChangeOnce: every status a booking enters is
// counted once, after its transaction commits, however many concurrent
// calls race for it; payment events are counted by outcome.
func TestMetricsCountEachStatusChangeOnce(t *testing.T) {
	storetest.EachBackend(t, func(t *testing.T, b storetest.Backend) {
		e := newEnv(t, b)
		m := metrics.New()
		e.svc.Metrics = m

		e.lapse(2)
		if n, err := e.svc.ExpireLapsed(e.ctx); err != nil || n != 2 {
			t.Fatalf("ExpireLapsed = %d, %v", n, err)
		}
		e.nextDay() // the lapsed bookings' day

		bk := e.paid(input("portrait", e.nextDay(), "10:15"))
		ev := e.completed("evt_metrics", bk, bk.TotalPriceCents, bk.Currency)
		var wg sync.WaitGroup
		for range 10 {
			wg.Go(func() {
				if err := e.svc.HandlePaymentEvent(e.ctx, ev); err != nil {
					t.Error(err)
				}
			})
		}
		wg.Wait()
		e.book(input("consult", e.nextDay(), "15:00"))
		if _, err := e.svc.Reschedule(e.ctx, e.fx.Tenant, bk.ID, booking.RescheduleRequest{Date: mustDate(t, e.nextDay()), StartTime: "11:30", By: booking.ByBusiness}); err != nil {
			t.Fatal(err)
		}
		for range 8 {
			wg.Go(func() {
				if _, err := e.svc.Cancel(e.ctx, e.fx.Tenant, bk.ID, booking.CancelRequest{By: booking.ByBusiness, Refund: booking.RefundFull}); err != nil {
					t.Error(err)
				}
			})
		}
		wg.Wait()
		if got := e.booking(bk.ID); got.Status != frontdesk.StatusRefunded {
			t.Fatalf("booking %s after the cancel, want REFUNDED", got.Status)
		}

		got := scrape(t, m)
		for k, want := range map[string]float64{
			statusChanges("EXPIRED"):     2,
			statusChanges("PENDING"):     1,
			statusChanges("CONFIRMED"):   2, // paid, and the free consultation
			statusChanges("RESCHEDULED"): 1,
			statusChanges("CANCELED"):    1,
			statusChanges("REFUNDED"):    1,
			webhookEvents("confirmed"):   1,
			webhookEvents("duplicate"):   9,
		} {
			if got[k] != want {
				t.Errorf("%s = %v, want %v", k, got[k], want)
			}
		}
	})
}
