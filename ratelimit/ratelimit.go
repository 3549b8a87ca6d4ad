// Package ratelimit counts requests per client in fixed windows, in memory
// or in Redis so that several instances share one budget. When Redis fails
// the limiter keeps working from memory and says so in the log once; a
// circuit breaker then keeps requests from waiting on a dead Redis, and
// lets one probe it now and then to find out when it is back.
package ratelimit

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/frontdeskhq/frontdesk"
	"github.com/frontdeskhq/frontdesk/circuit"
	"github.com/redis/go-redis/v9"
)

// How long a request waits for Redis, and how often Redis is probed while
// it is down: first after RedisProbeInterval, then twice as long after
// each failed probe, up to MaxRedisProbeInterval.
const (
	RedisTimeout          = 250 * time.Millisecond
	RedisProbeInterval    = time.Second
	MaxRedisProbeInterval = 15 * time.Second
)

// Decision is the outcome of one request against a limit.
type Decision struct {
	Allowed   bool
	Limit     int
	Remaining int
	// Reset is how long until the current window ends.
	Reset time.Duration
}

// Limiter allows Limit requests per Window for each key.
type Limiter struct {
	Name   string // e.g. "chat"; part of the Redis key
	Limit  int
	Window time.Duration
	Now    func() time.Time
	Redis  *redis.Client // nil: memory only
	Log    *slog.Logger

	mu     sync.Mutex
	counts map[string]*bucket

	breakerOnce sync.Once
	breaker     *circuit.Breaker // open while Redis is down
}

type bucket struct {
	window int64
	count  int
}

// New returns a limiter; rdb may be nil.
func New(name string, limit int, window time.Duration, rdb *redis.Client, log *slog.Logger) *Limiter {
	return &Limiter{Name: name, Limit: limit, Window: window, Now: time.Now, Redis: rdb, Log: frontdesk.LoggerOrDefault(log)}
}

// Allow counts one request for key and reports whether it is within the
// limit. It counts in Redis when there is one and it answers, and in
// memory otherwise; while Redis is down it does not wait for it.
func (l *Limiter) Allow(ctx context.Context, key string) Decision {
	now := l.Now()
	win := now.UnixNano() / int64(l.Window)
	reset := time.Duration((win+1)*int64(l.Window) - now.UnixNano())
	count, ok := 0, false
	if l.Redis != nil && l.circuit().Allow() {
		var err error
		count, err = l.redisCount(ctx, key, win)
		ok = err == nil
		callerLeft := err != nil && ctx.Err() != nil && errors.Is(err, ctx.Err())
		if !callerLeft { // a client that left says nothing about Redis
			l.record(err)
		}
	}
	if !ok {
		count = l.memCount(key, win)
	}
	return Decision{Allowed: count <= l.Limit, Limit: l.Limit, Remaining: max(l.Limit-count, 0), Reset: reset}
}

func (l *Limiter) redisCount(ctx context.Context, key string, win int64) (int, error) {
	ctx, cancel := context.WithTimeout(ctx, RedisTimeout)
	defer cancel()
	k := fmt.Sprintf("frontdesk:ratelimit:%s:%s:%d", l.Name, key, win)
	pipe := l.Redis.TxPipeline()
	incr := pipe.Incr(ctx, k)
	pipe.PExpire(ctx, k, 2*l.Window)
	if _, err := pipe.Exec(ctx); err != nil {
		return 0, err
	}
	return int(incr.Val()), nil
}

// circuit returns the limiter's breaker, made on first use on the
// limiter's clock.
func (l *Limiter) circuit() *circuit.Breaker {
	l.breakerOnce.Do(func() {
		l.breaker = &circuit.Breaker{Threshold: 1, Backoff: RedisProbeInterval, MaxBackoff: MaxRedisProbeInterval,
			Now: func() time.Time { return l.now() }}
	})
	return l.breaker
}

func (l *Limiter) now() time.Time {
	if l.Now != nil {
		return l.Now()
	}
	return time.Now()
}

// record tells the breaker how Redis answered and logs when that changes
// whether the limits are shared.
func (l *Limiter) record(err error) {
	if !l.circuit().Record(err) {
		return
	}
	log := frontdesk.LoggerOrDefault(l.Log)
	if err != nil {
		log.Warn("rate limiter: Redis unavailable, counting in memory on this instance until it returns",
			"limiter", l.Name, "err", err, "probe_in", l.circuit().RetryIn().Round(time.Millisecond).String())
		return
	}
	log.Info("rate limiter: Redis is back; limits are shared again", "limiter", l.Name)
}

func (l *Limiter) memCount(key string, win int64) int {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.counts == nil {
		l.counts = map[string]*bucket{}
	}
	b := l.counts[key]
	if b == nil || b.window != win {
		if len(l.counts) > 100_000 {
			for k, o := range l.counts { // drop windows that are over
				if o.window < win {
					delete(l.counts, k)
				}
			}
		}
		b = &bucket{window: win}
		l.counts[key] = b
	}
	b.count++
	return b.count
}
