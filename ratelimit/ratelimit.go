// Package ratelimit counts requests per client in fixed windows, in memory
// or in Redis so that several instances share one budget. When Redis fails
// the limiter keeps working from memory and says so in the log once.
package ratelimit

import (
	"context"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/frontdeskhq/frontdesk"
	"github.com/redis/go-redis/v9"
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

	mu       sync.Mutex
	counts   map[string]*bucket
	degraded bool
}

type bucket struct {
	window int64
	count  int
}

// New returns a limiter; rdb may be nil.
func New(name string, limit int, window time.Duration, rdb *redis.Client, log *slog.Logger) *Limiter {
	return &Limiter{Name: name, Limit: limit, Window: window, Now: time.Now, Redis: rdb, Log: frontdesk.LoggerOrDefault(log)}
}

// Allow counts one request for key and reports whether it is within the limit.
func (l *Limiter) Allow(ctx context.Context, key string) Decision {
	now := l.Now()
	win := now.UnixNano() / int64(l.Window)
	reset := time.Duration((win+1)*int64(l.Window) - now.UnixNano())
	var count int
	if l.Redis != nil {
		n, err := l.redisCount(ctx, key, win)
		l.setDegraded(err)
		if err == nil {
			count = n
		} else {
			count = l.memCount(key, win)
		}
	} else {
		count = l.memCount(key, win)
	}
	d := Decision{Allowed: count <= l.Limit, Limit: l.Limit, Remaining: max(l.Limit-count, 0), Reset: reset}
	return d
}

func (l *Limiter) redisCount(ctx context.Context, key string, win int64) (int, error) {
	ctx, cancel := context.WithTimeout(ctx, 250*time.Millisecond)
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

func (l *Limiter) setDegraded(err error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	switch {
	case err != nil && !l.degraded:
		l.degraded = true
		l.Log.Warn("rate limiter: Redis unavailable, counting in memory on this instance until it returns", "limiter", l.Name, "err", err)
	case err == nil && l.degraded:
		l.degraded = false
		l.Log.Info("rate limiter: Redis is back; limits are shared again", "limiter", l.Name)
	}
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
