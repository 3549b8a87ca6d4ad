package jobs

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/frontdeskhq/frontdesk"
	"github.com/frontdeskhq/frontdesk/booking"
	"github.com/frontdeskhq/frontdesk/metrics"
)

// Retention periods of the cleanup job.
const (
	SessionIdle       = 24 * time.Hour
	ProposalRetention = 7 * 24 * time.Hour
)

// Jobs holds the periodic jobs.
type Jobs struct {
	Store    frontdesk.Store
	Bookings *booking.Service
	Outbox   *Outbox
	Clock    frontdesk.Clock
	Log      *slog.Logger
	// Quiet skips the log line of an outbox run that found nothing to send
	// (the scheduler runs it every few seconds).
	Quiet bool
	// Metrics counts the job runs; nil counts nothing.
	Metrics *metrics.Metrics
	// Every is how often Schedule runs each job; nil means DefaultEvery.
	Every map[string]time.Duration
}

// DefaultEvery is how often Schedule runs each job: the outbox every few
// seconds on every instance (instances share its work through leases),
// the others once per period across all instances.
var DefaultEvery = map[string]time.Duration{"outbox": 3 * time.Second, "cleanup": 10 * time.Minute, "expire": time.Minute, "reminders": time.Minute}

// Names lists the jobs in the order `jobs run` runs them.
var Names = []string{"cleanup", "expire", "reminders", "outbox"}

// Run runs one job by name once, now: cleanup, expire and reminders
// unless another instance is running the same job at this moment.
func (j *Jobs) Run(ctx context.Context, name string) error {
	var run func(context.Context) (bool, error)
	switch name {
	case "cleanup":
		run = func(ctx context.Context) (bool, error) { return j.exclusive(ctx, name, j.cleanup) }
	case "expire":
		run = func(ctx context.Context) (bool, error) { return j.exclusive(ctx, name, j.expire) }
	case "reminders":
		run = func(ctx context.Context) (bool, error) { return j.exclusive(ctx, name, j.reminders) }
	case "outbox":
		run = func(ctx context.Context) (bool, error) {
			sent, failed, err := j.Outbox.RunOnce(ctx)
			if sent+failed > 0 || !j.Quiet {
				j.log().Info("job outbox", "sent", sent, "failed", failed)
			}
			return true, err
		}
	default:
		return fmt.Errorf("unknown job %q: use cleanup, expire, reminders or outbox", name)
	}
	start := time.Now()
	ran, err := run(ctx)
	outcome := "ok"
	switch {
	case err != nil:
		outcome = "error"
	case !ran:
		outcome = "skipped"
	}
	j.Metrics.JobRun(name, outcome, time.Since(start))
	return err
}

// Cleanup deletes chat sessions idle for a day, marks lapsed proposals
// expired, and deletes expired or rejected proposals a week past expiry.
// Only one instance runs it at a time.
func (j *Jobs) Cleanup(ctx context.Context) error { return j.Run(ctx, "cleanup") }

// exclusive runs a job unless another instance is running it, and says
// whether it ran.
func (j *Jobs) exclusive(ctx context.Context, name string, job func(context.Context) error) (bool, error) {
	ran, err := j.Store.RunExclusive(ctx, name, job)
	if err == nil && !ran {
		j.log().Info("job skipped: another instance is running it", "job", name)
	}
	return ran, err
}

func (j *Jobs) cleanup(ctx context.Context) error {
	now := j.Clock.Now().UTC()
	var sessions, expired, deleted, access int64
	err := j.Store.WithTx(ctx, func(tx frontdesk.Tx) error {
		var err error
		if sessions, err = tx.DeleteIdleSessions(ctx, now.Add(-SessionIdle)); err != nil {
			return err
		}
		if expired, err = tx.ExpireProposals(ctx, now); err != nil {
			return err
		}
		if deleted, err = tx.DeleteOldProposals(ctx, now.Add(-ProposalRetention)); err != nil {
			return err
		}
		access, err = tx.DeleteStaleDashboardAccess(ctx, now.Add(-24*time.Hour))
		return err
	})
	if err != nil {
		return err
	}
	j.log().Info("job cleanup", "idle_sessions_deleted", sessions, "proposals_expired", expired, "proposals_deleted", deleted,
		"dashboard_links_and_sessions_deleted", access)
	return nil
}

// Expire releases the slots of unpaid bookings whose checkout lapsed,
// retries checkout sessions that could not be created at confirm time and
// refunds whose provider call failed. Only one instance runs it at a time.
func (j *Jobs) Expire(ctx context.Context) error { return j.Run(ctx, "expire") }

func (j *Jobs) expire(ctx context.Context) error {
	n, err := j.Bookings.ExpireLapsed(ctx)
	if err != nil {
		return err
	}
	retried, err := j.Bookings.RetryCheckouts(ctx)
	if err != nil {
		return err
	}
	refunded, err := j.Bookings.RetryRefunds(ctx)
	if err != nil {
		return err
	}
	if n+retried+refunded > 0 || !j.Quiet {
		j.log().Info("job expire", "bookings_expired", n, "checkout_links_sent", retried, "refunds_made", refunded)
	}
	return nil
}

// Reminders queues the reminder emails that are due. Only one instance
// runs it at a time (and each reminder is queued once whatever runs it).
func (j *Jobs) Reminders(ctx context.Context) error { return j.Run(ctx, "reminders") }

func (j *Jobs) reminders(ctx context.Context) error {
	n, err := j.Bookings.SendReminders(ctx)
	if err != nil {
		return err
	}
	if n > 0 || !j.Quiet {
		j.log().Info("job reminders", "reminders_queued", n)
	}
	return nil
}

// Schedule runs the jobs periodically until ctx ends, each at the period
// of Every (DefaultEvery when nil). Every instance works through the
// outbox; cleanup, expire and reminders run once per period across all
// the instances on the database: the instance that first claims the
// period (Store.ClaimJobRun) runs it, the others skip it.
func (j *Jobs) Schedule(ctx context.Context) {
	j.Quiet = true
	every := j.Every
	if every == nil {
		every = DefaultEvery
	}
	done := make(chan struct{}, len(every))
	for name, d := range every {
		go func() { j.tick(ctx, name, d); done <- struct{}{} }()
	}
	for range every {
		<-done
	}
}

// tick runs one job every d until ctx ends.
func (j *Jobs) tick(ctx context.Context, name string, d time.Duration) {
	t := time.NewTicker(d)
	defer t.Stop()
	for {
		if err := j.runPeriodic(ctx, name, d); err != nil && ctx.Err() == nil {
			j.log().Error("job failed", "job", name, "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// runPeriodic runs a scheduled job if this instance claims the period.
// Periods are the clock's instants truncated to multiples of every, the
// same on every instance, so the first instance to tick in a period runs
// the job and the others' ticks in that period are skipped however their
// tickers drift.
func (j *Jobs) runPeriodic(ctx context.Context, name string, every time.Duration) error {
	if name == "outbox" {
		return j.Run(ctx, name)
	}
	period := j.Clock.Now().UTC().Truncate(every)
	claimed, err := j.Store.ClaimJobRun(ctx, name, period, every)
	if err != nil {
		j.Metrics.JobRun(name, "error", 0)
		return fmt.Errorf("claim the run of job %s: %w", name, err)
	}
	if !claimed {
		j.Metrics.JobRun(name, "skipped", 0)
		return nil
	}
	return j.Run(ctx, name)
}

func (j *Jobs) log() *slog.Logger { return frontdesk.LoggerOrDefault(j.Log) }
