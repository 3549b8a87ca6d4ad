package jobs_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/frontdeskhq/frontdesk"
	"github.com/frontdeskhq/frontdesk/jobs"
	"github.com/frontdeskhq/frontdesk/mail"
	"github.com/frontdeskhq/frontdesk/storetest"
)

func newOutbox(s frontdesk.Store, m frontdesk.Mailer, clk frontdesk.Clock) *jobs.Outbox {
	return &jobs.Outbox{Store: s, Mailer: m, Clock: clk, Log: discard, IsPermanent: mail.IsPermanent,
		MaxAttempts: 8, BaseDelay: 30 * time.Second, MaxDelay: time.Hour, Lease: 2 * time.Minute, Batch: 20}
}

// nominal is the backoff before jitter: base doubled per attempt, capped.
func nominal(attempt int, base, max time.Duration) time.Duration {
	d := base
	for i := 1; i < attempt; i++ {
		d *= 2
		if d >= max {
			return max
		}
	}
	return min(d, max)
}

func TestOutboxRetriesUntilDelivered(t *testing.T) {
	storetest.EachBackend(t, func(t *testing.T, b storetest.Backend) {
		s := b.Open(t)
		clk := newClock()
		emails := enqueue(t, s, frontdesk.NewID(), 3)
		m := newMailer(failFirst(5))
		ob := newOutbox(s, m, clk)
		ctx := context.Background()
		for run := 0; ; run++ {
			if run == 10 {
				t.Fatal("not all delivered after 10 runs")
			}
			before, triedBefore, _ := m.snapshot()
			sent, failed, err := ob.RunOnce(ctx)
			if err != nil {
				t.Fatalf("run %d: %v", run, err)
			}
			calls, tried, delivered := m.snapshot()
			if sent+failed != calls-before {
				t.Errorf("run %d: sent %d + failed %d, but %d Send calls", run, sent, failed, calls-before)
			}
			now := clk.Now()
			var next time.Time
			pending := 0
			for _, e := range reload(t, s, emails) {
				subj := e.Email.Subject
				if e.Attempts != tried[subj] {
					t.Errorf("run %d: %q has %d attempts recorded, %d made", run, subj, e.Attempts, tried[subj])
				}
				if e.Status == frontdesk.EmailSent {
					if delivered[subj] != 1 || e.SentAt == nil {
						t.Errorf("run %d: %q SENT at %v, delivered %d times", run, subj, e.SentAt, delivered[subj])
					}
					continue
				}
				pending++
				if e.Status != frontdesk.EmailPending || delivered[subj] != 0 {
					t.Fatalf("run %d: %q is %s after %d deliveries", run, subj, e.Status, delivered[subj])
				}
				// The last error is kept, and the retry waits out the backoff.
				if e.LastError != m.lastErr[subj] || !strings.Contains(e.LastError, "try again later") {
					t.Errorf("run %d: %q last error %q, want %q", run, subj, e.LastError, m.lastErr[subj])
				}
				d := nominal(e.Attempts, ob.BaseDelay, ob.MaxDelay)
				if wait := e.NextAttemptAt.Sub(now); tried[subj] > triedBefore[subj] && (wait < d/2 || wait > d) {
					t.Errorf("run %d: %q retries in %s after attempt %d, want within [%s, %s]", run, subj, wait, e.Attempts, d/2, d)
				}
				if next.IsZero() || e.NextAttemptAt.Before(next) {
					next = e.NextAttemptAt
				}
			}
			if pending == 0 {
				break
			}
			// Nothing is retried before its time.
			if sent, failed, _ := ob.RunOnce(ctx); sent+failed != 0 {
				t.Errorf("run %d: %d sends before any backoff ended", run, sent+failed)
			}
			clk.Set(next)
		}
		calls, _, _ := m.snapshot()
		if calls != 5+len(emails) {
			t.Errorf("%d Send calls, want 5 failures + %d deliveries", calls, len(emails))
		}
		wantDeliveredOnce(t, s, emails, m)
		clk.Advance(48 * time.Hour)
		if sent, failed, err := ob.RunOnce(ctx); sent+failed != 0 || err != nil {
			t.Errorf("RunOnce after all were sent: %d sent, %d failed, %v", sent, failed, err)
		}
	})
}

func TestOutboxDead(t *testing.T) {
	permanent := mail.Permanent(errors.New("550 5.1.1 mailbox unavailable"))
	cases := []struct {
		name     string
		fail     func(n int) error
		max      int
		attempts int // when the email goes DEAD
		lastErr  string
	}{
		{"permanent error", func(int) error { return permanent }, 8, 1, "550 5.1.1"},
		{"wrapped permanent error", func(int) error { return fmt.Errorf("postmark: %w", permanent) }, 8, 1, "postmark: permanent"},
		{"temporary errors up to MaxAttempts", func(n int) error { return fmt.Errorf("%w (call %d)", errTemporary, n) }, 3, 3, "(call 3)"},
		{"temporary then permanent", func(n int) error {
			if n < 3 {
				return errTemporary
			}
			return permanent
		}, 8, 3, "550 5.1.1"},
	}
	storetest.EachBackend(t, func(t *testing.T, b storetest.Backend) {
		s := b.Open(t)
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				ctx := context.Background()
				clk := newClock()
				emails := enqueue(t, s, frontdesk.NewID(), 1)
				m := newMailer(tc.fail)
				ob := newOutbox(s, m, clk)
				ob.MaxAttempts = tc.max
				for range 12 {
					if _, _, err := ob.RunOnce(ctx); err != nil {
						t.Fatal(err)
					}
					clk.Advance(2 * time.Hour) // past any backoff
				}
				e := reload(t, s, emails)[0]
				calls, _, _ := m.snapshot()
				if e.Status != frontdesk.EmailDead || e.Attempts != tc.attempts || calls != tc.attempts {
					t.Errorf("%s after %d attempts and %d calls; want DEAD after %d", e.Status, e.Attempts, calls, tc.attempts)
				}
				if !strings.Contains(e.LastError, tc.lastErr) {
					t.Errorf("last error %q, want it to contain %q", e.LastError, tc.lastErr)
				}
				if e.SentAt != nil {
					t.Errorf("DEAD email has SentAt %v", e.SentAt)
				}
			})
		}
	})
}

// A worker that dies mid-batch loses nothing: after its lease lapses a new
// instance on a reopened database sends the rest, each exactly once.
func TestOutboxRestartLosesNothing(t *testing.T) {
	storetest.EachBackend(t, func(t *testing.T, b storetest.Backend) {
		ctx := context.Background()
		first, reopen := reopenable(t, b)
		clk := newClock()
		emails := enqueue(t, first, frontdesk.NewID(), 5)

		crashing := newMailer(nil)
		crashing.onSend = func(n int, e frontdesk.Email) {
			if n == 3 {
				panic("worker killed") // before the provider took the third email
			}
		}
		func() {
			defer func() {
				if r := recover(); r != "worker killed" {
					t.Fatalf("recovered %v", r)
				}
			}()
			newOutbox(first, crashing, clk).RunOnce(ctx)
		}()
		if err := first.Close(); err != nil {
			t.Fatal(err)
		}
		if _, _, d := crashing.snapshot(); len(d) != 2 {
			t.Fatalf("%d emails delivered before the crash, want 2", len(d))
		}

		second := reopen()
		m := newMailer(nil)
		ob := newOutbox(second, m, clk)
		// The dead worker's lease still holds the rest.
		clk.Advance(ob.Lease - time.Second)
		if sent, failed, err := ob.RunOnce(ctx); sent+failed != 0 || err != nil {
			t.Fatalf("RunOnce within the lease: %d sent, %d failed, %v", sent, failed, err)
		}
		clk.Advance(time.Second)
		sent, failed, err := ob.RunOnce(ctx)
		if err != nil || sent != 3 || failed != 0 {
			t.Fatalf("RunOnce after the lease: %d sent, %d failed, %v; want 3 sent", sent, failed, err)
		}
		wantDeliveredOnce(t, second, emails, crashing, m)
	})
}

func TestOutboxConcurrentWorkers(t *testing.T) {
	storetest.EachBackend(t, func(t *testing.T, b storetest.Backend) {
		ctx := context.Background()
		first, reopen := reopenable(t, b)
		second := reopen() // another instance on the same database
		clk := newClock()
		emails := enqueue(t, first, frontdesk.NewID(), 40)
		m := newMailer(nil)
		m.onSend = func(int, frontdesk.Email) { time.Sleep(time.Millisecond) }
		workers := []*jobs.Outbox{newOutbox(first, m, clk), newOutbox(second, m, clk)}
		sent := make([]int, len(workers))
		errs := make([]error, len(workers))
		var wg sync.WaitGroup
		for i, w := range workers {
			w.Batch = 5
			wg.Go(func() { sent[i], _, errs[i] = w.RunOnce(ctx) })
		}
		wg.Wait()
		for i, err := range errs {
			if err != nil {
				t.Fatalf("worker %d: %v", i, err)
			}
		}
		if sent[0]+sent[1] != len(emails) {
			t.Errorf("workers sent %d + %d, want %d in all", sent[0], sent[1], len(emails))
		}
		if calls, _, _ := m.snapshot(); calls != len(emails) {
			t.Errorf("%d Send calls, want %d", calls, len(emails))
		}
		wantDeliveredOnce(t, first, emails, m)
	})
}

// A worker whose sends are slow must not send emails whose lease has
// lapsed: another instance may have claimed and sent them meanwhile.
func TestOutboxSlowSendsDoNotOutliveTheLease(t *testing.T) {
	storetest.EachBackend(t, func(t *testing.T, b storetest.Backend) {
		ctx := context.Background()
		first, reopen := reopenable(t, b)
		second := reopen()
		clk := newClock()
		emails := enqueue(t, first, frontdesk.NewID(), 5)

		other := newMailer(nil)
		otherWorker := newOutbox(second, other, clk)
		slow := newMailer(nil)
		slow.onSend = func(n int, e frontdesk.Email) {
			clk.Advance(50 * time.Second) // a slow provider
			if clk.Now().After(t0.Add(2 * time.Minute)) {
				// The lease has lapsed: the other instance runs now.
				if _, _, err := otherWorker.RunOnce(ctx); err != nil {
					t.Error(err)
				}
			}
		}
		if _, _, err := newOutbox(first, slow, clk).RunOnce(ctx); err != nil {
			t.Fatal(err)
		}
		// Whatever the slow worker left is sent once its lease lapses.
		clk.Advance(3 * time.Minute)
		if _, _, err := otherWorker.RunOnce(ctx); err != nil {
			t.Fatal(err)
		}
		wantDeliveredOnce(t, first, emails, slow, other)
	})
}

func TestBackoff(t *testing.T) {
	cases := []struct {
		name      string
		attempt   int
		base, max time.Duration
		want      time.Duration // before jitter
	}{
		{"attempt 0 is the base", 0, 30 * time.Second, time.Hour, 30 * time.Second},
		{"first retry", 1, 30 * time.Second, time.Hour, 30 * time.Second},
		{"doubles", 2, 30 * time.Second, time.Hour, time.Minute},
		{"doubles again", 3, 30 * time.Second, time.Hour, 2 * time.Minute},
		{"seventh", 7, 30 * time.Second, time.Hour, 32 * time.Minute},
		{"capped", 8, 30 * time.Second, time.Hour, time.Hour},
		{"stays capped", 50, 30 * time.Second, time.Hour, time.Hour},
		{"huge attempt does not overflow", 1 << 30, 30 * time.Second, time.Hour, time.Hour},
		{"base above the cap", 1, 2 * time.Hour, time.Hour, time.Hour},
		{"odd nanoseconds", 1, 3, time.Hour, 3},
		{"one nanosecond", 1, 1, time.Hour, 1},
	}
	prev := time.Duration(0)
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := nominal(tc.attempt, tc.base, tc.max); got != tc.want {
				t.Fatalf("test table: nominal %s, want %s", got, tc.want)
			}
			lo, hi := tc.want, time.Duration(0)
			for range 500 {
				d := jobs.Backoff(tc.attempt, tc.base, tc.max)
				if d < tc.want/2 || d > tc.want {
					t.Fatalf("Backoff(%d, %s, %s) = %s, want within [%s, %s]", tc.attempt, tc.base, tc.max, d, tc.want/2, tc.want)
				}
				lo, hi = min(lo, d), max(hi, d)
			}
			if tc.want >= time.Second && hi-lo < tc.want/10 {
				t.Errorf("500 draws spread over only [%s, %s]: no jitter", lo, hi)
			}
		})
		if tc.base == 30*time.Second && tc.attempt > 0 && tc.want < prev {
			t.Errorf("%s: backoff shrank from %s to %s", tc.name, prev, tc.want)
		}
		if tc.base == 30*time.Second {
			prev = tc.want
		}
	}
}

// Every attempt at an outbox email carries the same Message-ID, derived
// from the outbox id and the sender's domain, so a copy sent twice (a crash
// between the send and MarkEmailSent) is one message in mail clients.
func TestOutboxStableMessageID(t *testing.T) {
	storetest.EachBackend(t, func(t *testing.T, b storetest.Backend) {
		s := b.Open(t)
		ctx := context.Background()
		clk := newClock()
		emails := enqueue(t, s, frontdesk.NewID(), 2)
		var mu sync.Mutex
		seen := map[string][]string{} // Message-IDs per subject, one per attempt
		m := newMailer(failFirst(2))
		m.onSend = func(_ int, e frontdesk.Email) {
			mu.Lock()
			defer mu.Unlock()
			seen[e.Subject] = append(seen[e.Subject], e.MessageID)
		}
		ob := newOutbox(s, m, clk)
		for range 4 {
			if _, _, err := ob.RunOnce(ctx); err != nil {
				t.Fatal(err)
			}
			clk.Advance(2 * time.Hour) // past any backoff
		}
		wantDeliveredOnce(t, s, emails, m)
		for _, e := range emails {
			want := "<outbox-" + e.ID + "@frontdesk.test>"
			ids := seen[e.Email.Subject]
			if len(ids) < 2 {
				t.Errorf("%q tried %d times, want a failure and a success", e.Email.Subject, len(ids))
			}
			for i, id := range ids {
				if id != want {
					t.Errorf("%q attempt %d: Message-ID %q, want %q", e.Email.Subject, i+1, id, want)
				}
			}
		}
		// The stored email is left as rendered.
		for _, e := range reload(t, s, emails) {
			if e.Email.MessageID != "" {
				t.Errorf("stored email gained Message-ID %q", e.Email.MessageID)
			}
		}
	})
}
