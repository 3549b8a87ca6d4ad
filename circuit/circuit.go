// Package circuit keeps a failing dependency (the database, Redis) from
// being called on every request: after a few consecutive failures calls
// fail fast for a backoff that grows, with jitter, up to a cap, and one
// probe at a time is let through after it to find out whether the
// dependency is back.
package circuit

import (
	"math/rand/v2"
	"sync"
	"time"
)

// Breaker is a circuit breaker. Set the exported fields before first use
// and do not change them after; it is safe for concurrent use.
type Breaker struct {
	// Threshold is how many consecutive failures open the circuit (0: 1).
	Threshold int
	// Backoff is how long the circuit stays open after it opens; each
	// failed probe doubles it, up to MaxBackoff.
	Backoff, MaxBackoff time.Duration
	// Now is the clock (nil: time.Now).
	Now func() time.Time
	// Jitter returns the wait actually used for a backoff d (nil: a random
	// duration in [d/2, d]), so that instances do not probe in step.
	Jitter func(d time.Duration) time.Duration

	mu       sync.Mutex
	failures int           // consecutive, while closed
	open     bool          //
	backoff  time.Duration // the current backoff, before jitter
	retryAt  time.Time     // when the next probe may go
	probing  bool          // a probe is out and has not been recorded
}

// Allow reports whether a call may go to the dependency now: always while
// the circuit is closed; while it is open, only once the backoff has
// passed, and then to one caller (the probe). A probe that is never
// recorded holds the circuit for one more backoff, not forever.
func (b *Breaker) Allow() bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	if !b.open {
		return true
	}
	now := b.now()
	if now.Before(b.retryAt) {
		return false
	}
	b.probing = true
	b.retryAt = now.Add(b.jitter(b.backoff))
	return true
}

// Record records the outcome of a call that Allow let through and reports
// whether it changed the state of the circuit (it opened, or closed), so
// that the caller can say so in the log once.
func (b *Breaker) Record(err error) (changed bool) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if err == nil {
		changed = b.open
		b.open, b.probing, b.failures, b.backoff = false, false, 0, 0
		return changed
	}
	if b.open {
		// Only a failed probe lengthens the backoff: calls let through
		// before the circuit opened and failing now say nothing new.
		if b.probing {
			b.probing = false
			b.backoff = min(2*b.backoff, b.maxBackoff())
			b.retryAt = b.now().Add(b.jitter(b.backoff))
		}
		return false
	}
	b.failures++
	if b.failures < max(b.Threshold, 1) {
		return false
	}
	b.open, b.backoff = true, b.Backoff
	b.retryAt = b.now().Add(b.jitter(b.backoff))
	return true
}

// Open reports whether the circuit is open: the dependency failed and
// calls are refused until a probe succeeds.
func (b *Breaker) Open() bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.open
}

// RetryIn returns how long until the next probe may go; zero when the
// circuit is closed or a probe may go now.
func (b *Breaker) RetryIn() time.Duration {
	b.mu.Lock()
	defer b.mu.Unlock()
	if !b.open {
		return 0
	}
	return max(b.retryAt.Sub(b.now()), 0)
}

func (b *Breaker) now() time.Time {
	if b.Now != nil {
		return b.Now()
	}
	return time.Now()
}

func (b *Breaker) maxBackoff() time.Duration {
	if b.MaxBackoff < b.Backoff {
		return b.Backoff
	}
	return b.MaxBackoff
}

func (b *Breaker) jitter(d time.Duration) time.Duration {
	if b.Jitter != nil {
		return b.Jitter(d)
	}
	if d <= 1 {
		return d
	}
	return d/2 + rand.N(d/2+1)
}
