package storetest

import (
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/frontdeskhq/frontdesk"
)

// JobRuns is the contract of ClaimJobRun: one claim per job and period,
// whoever asks and however many ask at once. Stores run it beside Run.
func JobRuns(t *testing.T, s frontdesk.Store) {
	t.Helper()
	const every = time.Minute
	t0 := time.Date(2026, 12, 1, 15, 0, 0, 0, time.UTC)
	claim := func(name string, at time.Time) bool {
		t.Helper()
		ok, err := s.ClaimJobRun(ctx, name, at, every)
		must(t, err)
		return ok
	}
	if !claim("expire", t0) {
		t.Fatal("the first claim of a job that never ran was refused")
	}
	if claim("expire", t0) {
		t.Fatal("a second claim at the same instant was granted")
	}
	if claim("expire", t0.Add(every-time.Millisecond)) {
		t.Fatal("a claim within the period was granted")
	}
	if !claim("cleanup", t0.Add(time.Second)) {
		t.Fatal("another job's claim was refused")
	}
	if !claim("expire", t0.Add(every)) {
		t.Fatal("a claim a whole period after the last run was refused")
	}
	if claim("expire", t0.Add(every+30*time.Second)) {
		t.Fatal("a claim half a period after the last run was granted")
	}
	if claim("expire", t0.Add(every-time.Second)) {
		t.Fatal("a claim from a clock behind the last run was granted")
	}

	// Eight instances claim at once, in each of three periods: one wins
	// each time.
	for p := range 3 {
		at := t0.Add(time.Duration(10+p) * every)
		var wins atomic.Int32
		var wg sync.WaitGroup
		for i := range 8 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				// Each instance's clock is a little off from the others'.
				ok, err := s.ClaimJobRun(ctx, "reminders", at.Add(time.Duration(i)*time.Millisecond), every)
				if err != nil {
					t.Error(err)
					return
				}
				if ok {
					wins.Add(1)
				}
			}()
		}
		wg.Wait()
		if n := wins.Load(); n != 1 {
			t.Fatalf("period %d: %d of 8 concurrent claims granted, want 1", p, n)
		}
	}
}
