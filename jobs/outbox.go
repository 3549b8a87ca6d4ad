// Package jobs runs Frontdesk's background work: the email outbox worker,
// cleanup of old chat data, and expiry of unpaid bookings, on a schedule
// inside `serve` or once from `frontdesk jobs run`.
package jobs

import (
	"context"
	"log/slog"
	"math/rand/v2"
	"time"

	"github.com/frontdeskhq/frontdesk"
	"github.com/frontdeskhq/frontdesk/mail"
	"github.com/frontdeskhq/frontdesk/metrics"
)

// Outbox sends the emails of the transactional outbox. Each email is
// claimed by one worker at a time (a lease), retried with exponential
// backoff and jitter, and marked DEAD after MaxAttempts or a permanent
// failure. A crash mid-send only delays the email until its lease ends.
type Outbox struct {
	Store       frontdesk.Store
	Mailer      frontdesk.Mailer
	Clock       frontdesk.Clock
	Log         *slog.Logger
	IsPermanent func(error) bool
	MaxAttempts int           // default 8
	BaseDelay   time.Duration // default 30s
	MaxDelay    time.Duration // default 1h
	Lease       time.Duration // default 2m
	Batch       int           // default 20
	// Metrics counts emails claimed, sent (and how long after they were
	// queued), failed and given up on; nil counts nothing.
	Metrics *metrics.Metrics
}

func (o *Outbox) defaults() {
	if o.MaxAttempts <= 0 {
		o.MaxAttempts = 8
	}
	if o.BaseDelay <= 0 {
		o.BaseDelay = 30 * time.Second
	}
	if o.MaxDelay <= 0 {
		o.MaxDelay = time.Hour
	}
	if o.Lease <= 0 {
		o.Lease = 2 * time.Minute
	}
	if o.Batch <= 0 {
		o.Batch = 20
	}
}

// Backoff returns the wait before retry number attempt (1-based): doubling
// from base, capped at max, with jitter in [d/2, d).
func Backoff(attempt int, base, max time.Duration) time.Duration {
	d := base
	for i := 1; i < attempt && d < max; i++ {
		d *= 2
	}
	if d > max {
		d = max
	}
	return d/2 + rand.N(d/2+1)
}

// sendTimeout bounds one Send. It is at most half the lease, so that a
// send started while the lease has that much left ends within it.
func (o *Outbox) sendTimeout() time.Duration { return min(30*time.Second, o.Lease/2) }

// RunOnce sends what is due now, batch after batch, until nothing is due.
// It returns how many emails were sent and how many attempts failed.
//
// The emails of a batch are sent one after another under one lease. An
// email whose lease could lapse before its send ends is not sent: another
// instance may claim it once the lease lapses, and both would send it. It
// is left for the next claim after the lease.
func (o *Outbox) RunOnce(ctx context.Context) (sent, failed int, err error) {
	o.defaults()
	claimed := 0
	defer func() { o.Metrics.OutboxClaimed(claimed) }()
	for {
		now := o.Clock.Now().UTC()
		batch, err := o.Store.ClaimEmails(ctx, now, o.Lease, o.Batch)
		if err != nil || len(batch) == 0 {
			return sent, failed, err
		}
		claimed += len(batch)
		lastStart := now.Add(o.Lease - o.sendTimeout())
		for i, e := range batch {
			if o.Clock.Now().UTC().After(lastStart) {
				o.log().Warn("outbox batch outlived its lease; the rest waits for the lease to lapse", "left", len(batch)-i)
				break
			}
			if o.deliver(ctx, e) {
				sent++
			} else {
				failed++
			}
		}
		if ctx.Err() != nil {
			return sent, failed, ctx.Err()
		}
	}
}

func (o *Outbox) deliver(ctx context.Context, e *frontdesk.OutboxEmail) bool {
	log := o.log().With("tenant_id", e.TenantID, "email_id", e.ID, "kind", e.Kind, "attempt", e.Attempts)
	msg := e.Email
	if msg.MessageID == "" {
		// Derived from the outbox id, the same on every attempt: should a
		// crash between the send and MarkEmailSent send it twice, mail
		// clients show one message.
		msg.MessageID = mail.OutboxMessageID(e.ID, msg.From)
	}
	sendCtx, cancel := context.WithTimeout(ctx, o.sendTimeout())
	err := o.Mailer.Send(sendCtx, msg)
	cancel()
	now := o.Clock.Now().UTC()
	if err == nil {
		// Recorded even when shutdown cancels ctx: the email has gone.
		if err := o.Store.MarkEmailSent(context.WithoutCancel(ctx), e.ID, now); err != nil {
			// The lease will lapse and the email may go out twice; say so.
			log.Error("email sent but not marked sent", "err", err)
		}
		log.Info("email sent")
		// From being queued: a claim returns the lease's end, not the
		// time the email was due.
		o.Metrics.EmailSent(now.Sub(e.CreatedAt))
		return true
	}
	permanent := o.IsPermanent != nil && o.IsPermanent(err)
	dead := permanent || e.Attempts >= o.MaxAttempts
	next := now.Add(Backoff(e.Attempts, o.BaseDelay, o.MaxDelay))
	if err := o.Store.MarkEmailFailed(context.WithoutCancel(ctx), e.ID, err.Error(), next, dead); err != nil {
		log.Error("record email failure", "err", err)
	}
	o.Metrics.EmailFailed(dead)
	if dead {
		log.Error("email is DEAD: no more retries", "err", err, "permanent", permanent)
	} else {
		log.Warn("email failed; will retry", "err", err, "next_attempt", next)
	}
	return false
}

func (o *Outbox) log() *slog.Logger { return frontdesk.LoggerOrDefault(o.Log) }
