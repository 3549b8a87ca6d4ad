package jobs

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/frontdeskhq/frontdesk"
	"github.com/frontdeskhq/frontdesk/booking"
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
}

// Names lists the jobs in the order `jobs run` runs them.
var Names = []string{"cleanup", "expire", "reminders", "outbox"}

// Run runs one job by name once.
func (j *Jobs) Run(ctx context.Context, name string) error {
	switch name {
	case "cleanup":
		return j.Cleanup(ctx)
	case "expire":
		return j.Expire(ctx)
	case "reminders":
		return j.Reminders(ctx)
	case "outbox":
		sent, failed, err := j.Outbox.RunOnce(ctx)
		if sent+failed > 0 || !j.Quiet {
			j.log().Info("job outbox", "sent", sent, "failed", failed)
		}
		return err
	}
	return fmt.Errorf("unknown job %q: use cleanup, expire, reminders or outbox", name)
}

// Cleanup deletes chat sessions idle for a day, marks lapsed proposals
// expired, and deletes expired or rejected proposals a week past expiry.
// Only one instance runs it at a time.
func (j *Jobs) Cleanup(ctx context.Context) error { return j.exclusive(ctx, "cleanup", j.cleanup) }

// exclusive runs a job unless another instance is running it.
func (j *Jobs) exclusive(ctx context.Context, name string, job func(context.Context) error) error {
	ran, err := j.Store.RunExclusive(ctx, name, job)
	if err == nil && !ran {
		j.log().Info("job skipped: another instance is running it", "job", name)
	}
	return err
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
func (j *Jobs) Expire(ctx context.Context) error { return j.exclusive(ctx, "expire", j.expire) }

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
func (j *Jobs) Reminders(ctx context.Context) error {
	return j.exclusive(ctx, "reminders", j.reminders)
}

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

// Schedule runs the jobs periodically until ctx ends: the outbox every few
// seconds, the others every minute.
func (j *Jobs) Schedule(ctx context.Context) {
	j.Quiet = true
	tick := func(name string, every time.Duration) {
		t := time.NewTicker(every)
		defer t.Stop()
		for {
			if err := j.Run(ctx, name); err != nil && ctx.Err() == nil {
				j.log().Error("job failed", "job", name, "err", err)
			}
			select {
			case <-ctx.Done():
				return
			case <-t.C:
			}
		}
	}
	every := map[string]time.Duration{"outbox": 3 * time.Second, "cleanup": 10 * time.Minute, "expire": time.Minute, "reminders": time.Minute}
	done := make(chan struct{}, len(every))
	for name, d := range every {
		go func() { tick(name, d); done <- struct{}{} }()
	}
	for range every {
		<-done
	}
}

func (j *Jobs) log() *slog.Logger { return frontdesk.LoggerOrDefault(j.Log) }
