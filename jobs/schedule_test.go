package jobs_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/frontdeskhq/frontdesk"
	"github.com/frontdeskhq/frontdesk/booking"
	"github.com/frontdeskhq/frontdesk/jobs"
	"github.com/frontdeskhq/frontdesk/mail"
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

func jobRuns(job, outcome string) string {
	return `frontdesk_job_run_seconds_count{job="` + job + `",outcome="` + outcome + `"}`
}

// sum adds up one series over the metrics of several instances.
func sum(t *testing.T, ms []*metrics.Metrics, series string) float64 {
	t.Helper()
	var n float64
	for _, m := range ms {
		n += scrape(t, m)[series]
	}
	return n
}

// waitFor polls cond until it holds, failing after a long while.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// TestScheduleRunsEachJobOncePerPeriod: two instances on one database tick
// many times in a period, and each periodic job runs once in it between
// them; in the next period once more. The outbox runs on both.
func TestScheduleRunsEachJobOncePerPeriod(t *testing.T) {
	storetest.EachBackend(t, func(t *testing.T, b storetest.Backend) {
		first, reopen := reopenable(t, b)
		stores := []frontdesk.Store{first, reopen()}
		clk := newClock() // stands still: one period until moved
		every := map[string]time.Duration{"cleanup": 5 * time.Millisecond, "expire": 5 * time.Millisecond,
			"reminders": 5 * time.Millisecond, "outbox": 5 * time.Millisecond}
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		var ms []*metrics.Metrics
		done := make(chan struct{}, len(stores))
		for _, s := range stores {
			m := metrics.New()
			ms = append(ms, m)
			svc := &booking.Service{Store: s, Clock: clk, Log: discard, PublicURL: "https://frontdesk.test", MailFrom: "bookings@frontdesk.test"}
			j := &jobs.Jobs{Store: s, Bookings: svc, Outbox: newOutbox(s, newMailer(nil), clk), Clock: clk, Log: discard, Metrics: m, Every: every}
			go func() { j.Schedule(ctx); done <- struct{}{} }()
		}
		periodic := []string{"cleanup", "expire", "reminders"}
		// period waits until each job has run runs times in all, and both
		// instances ticked several more times after that; then no job has
		// run more often.
		period := func(runs float64) {
			t.Helper()
			waitFor(t, "the period's runs", func() bool {
				for _, job := range periodic {
					if sum(t, ms, jobRuns(job, "ok")) < runs {
						return false
					}
				}
				return true
			})
			skipped := map[string]float64{}
			for _, job := range periodic {
				skipped[job] = sum(t, ms, jobRuns(job, "skipped"))
			}
			outbox := sum(t, ms, jobRuns("outbox", "ok"))
			waitFor(t, "more ticks in the period", func() bool {
				for _, job := range periodic {
					if sum(t, ms, jobRuns(job, "skipped")) < skipped[job]+6 {
						return false
					}
				}
				return sum(t, ms, jobRuns("outbox", "ok")) >= outbox+6
			})
			for _, job := range periodic {
				if n := sum(t, ms, jobRuns(job, "ok")); n != runs {
					t.Errorf("%s ran %v times, want %v", job, n, runs)
				}
				if n := sum(t, ms, jobRuns(job, "error")); n != 0 {
					t.Errorf("%s failed %v times", job, n)
				}
			}
		}
		period(1)
		clk.Advance(time.Minute)
		period(2)
		cancel()
		for range stores {
			<-done
		}
	})
}

// TestRunIsNotClaimed: `jobs run NAME` runs when asked, whatever ran in
// the period, and counts the run.
func TestRunIsNotClaimed(t *testing.T) {
	s := storetest.OpenSQLite(t)
	clk := newClock()
	m := metrics.New()
	svc := &booking.Service{Store: s, Clock: clk, Log: discard}
	j := &jobs.Jobs{Store: s, Bookings: svc, Clock: clk, Log: discard, Metrics: m}
	ctx := context.Background()
	if ok, err := s.ClaimJobRun(ctx, "cleanup", clk.Now(), time.Hour); err != nil || !ok {
		t.Fatalf("ClaimJobRun = %v, %v", ok, err)
	}
	for range 2 {
		if err := j.Run(ctx, "cleanup"); err != nil {
			t.Fatal(err)
		}
	}
	if n := scrape(t, m)[jobRuns("cleanup", "ok")]; n != 2 {
		t.Fatalf("cleanup ran %v times, want 2", n)
	}
}

// TestOutboxMetrics: emails claimed, sent, failed and given up on are
// counted.
func TestOutboxMetrics(t *testing.T) {
	s := storetest.OpenSQLite(t)
	clk := newClock()
	tenant := frontdesk.NewID()
	enqueue(t, s, tenant, 3)
	m := metrics.New()
	mailer := newMailer(func(n int) error {
		switch n {
		case 1:
			return errTemporary
		case 2:
			return mail.Permanent(errors.New("550 no such user"))
		}
		return nil
	})
	ob := newOutbox(s, mailer, clk)
	ob.Metrics = m
	clk.Advance(5 * time.Second) // the emails were queued at t0
	if _, _, err := ob.RunOnce(context.Background()); err != nil {
		t.Fatal(err)
	}
	got := scrape(t, m)
	for k, want := range map[string]float64{
		`frontdesk_outbox_sent_total`:         1,
		`frontdesk_outbox_failed_total`:       1,
		`frontdesk_outbox_dead_total`:         1,
		`frontdesk_outbox_pending`:            3,
		`frontdesk_outbox_send_seconds_count`: 1,
		`frontdesk_outbox_send_seconds_sum`:   5,
	} {
		if got[k] != want {
			t.Errorf("%s = %v, want %v", k, got[k], want)
		}
	}
}
