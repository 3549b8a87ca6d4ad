package booking_test

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/frontdeskhq/frontdesk"
	"github.com/frontdeskhq/frontdesk/booking"
	"github.com/frontdeskhq/frontdesk/storetest"
)

// TestOfferOnTheNightClocksGoBack: on 1 November 2026 New York's clocks go
// back from 2:00 to 1:00, so 1:00 and 1:30 happen twice. The compact
// check_availability names a time by its wall clock only, so each time is
// offered once, and every time offered books the instant it was offered
// for.
func TestOfferOnTheNightClocksGoBack(t *testing.T) {
	storetest.EachBackend(t, func(t *testing.T, b storetest.Backend) {
		e := newEnv(t, b)
		tn := e.fx.Tenant
		if err := e.store.ReplaceAvailabilityRules(e.ctx, tn.ID, []frontdesk.AvailabilityRule{{Weekday: time.Sunday, Start: 0, End: 3 * 60}}); err != nil {
			t.Fatal(err)
		}
		now := time.Date(2026, 10, 29, 12, 0, 0, 0, time.UTC)
		out, err := booking.Offer(e.ctx, e.store, tn, now, e.fx.Free.ID, "2026-11-01", "2026-11-01")
		if err != nil {
			t.Fatal(err)
		}
		if len(out.Days) != 1 || out.Days[0].Date != "2026-11-01" {
			t.Fatalf("days %+v, want Sunday 1 November only", out.Days)
		}
		times := out.Days[0].Times
		if !slices.IsSorted(times) || len(slices.Compact(slices.Clone(times))) != len(times) {
			t.Fatalf("times %v: want each wall time once, in order", times)
		}
		if !slices.Contains(times, "00:30") || !slices.Contains(times, "01:30") || !slices.Contains(times, "02:30") {
			t.Fatalf("times %v: want 00:30, 01:30 and 02:30 offered", times)
		}
		// Every time offered reads back as an open start, and books.
		loc := tn.Location()
		starts := out.Starts(loc)
		if len(starts) != len(times) {
			t.Fatalf("%d instants for %d times", len(starts), len(times))
		}
		e.clock.Set(now)
		for i, hm := range times {
			in := input(e.fx.Free.ID, "2026-11-01", hm)
			p, err := e.svc.Propose(e.ctx, tn, e.session, in)
			if err != nil {
				t.Errorf("the offered %s does not book: %v", hm, err)
				continue
			}
			st := starts[i].In(loc)
			start, end := st.Format("3:04 PM"), st.Add(30*time.Minute).Format("3:04 PM MST")
			if st.Format("MST") != end[len(end)-3:] {
				start = st.Format("3:04 PM MST") // across the change: both zones
			}
			if want := start + "–" + end; !strings.Contains(p.Preview, want) {
				t.Errorf("the offered %s proposes %q, want the instant offered, %s", hm, p.Preview, want)
			}
		}
	})
}
