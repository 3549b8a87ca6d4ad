// Package cache keeps short-lived strings (the business context of the
// assistant's prompt) in Redis when configured, so instances share them,
// and in memory otherwise. When Redis fails the cache keeps working from
// memory and says so in the log once; a circuit breaker then keeps
// requests from waiting on a dead Redis, and lets one probe it now and
// then to find out when it is back.
package cache

import (
	"context"
	"errors"
	"log/slog"
	"sync"
	"time"

	"github.com/frontdeskhq/frontdesk"
	"github.com/frontdeskhq/frontdesk/circuit"
	"github.com/redis/go-redis/v9"
)

// How long a call waits for Redis, and how often Redis is probed while it
// is down: first after RedisProbeInterval, then twice as long after each
// failed probe, up to MaxRedisProbeInterval.
const (
	RedisTimeout          = 200 * time.Millisecond
	RedisProbeInterval    = time.Second
	MaxRedisProbeInterval = 15 * time.Second
)

// Cache is safe for concurrent use. The zero value is not usable; use New.
type Cache struct {
	prefix  string
	redis   *redis.Client
	log     *slog.Logger
	now     func() time.Time
	breaker *circuit.Breaker // open while Redis is down

	mu  sync.Mutex
	mem map[string]entry
}

type entry struct {
	value   string
	expires time.Time
}

// New returns a cache whose keys start with prefix; rdb may be nil.
func New(prefix string, rdb *redis.Client, log *slog.Logger) *Cache {
	c := &Cache{prefix: prefix, redis: rdb, log: frontdesk.LoggerOrDefault(log), now: time.Now, mem: map[string]entry{}}
	c.breaker = &circuit.Breaker{Threshold: 1, Backoff: RedisProbeInterval, MaxBackoff: MaxRedisProbeInterval,
		Now: func() time.Time { return c.now() }}
	return c
}

// Get returns the value of key, if present and fresh.
func (c *Cache) Get(ctx context.Context, key string) (string, bool) {
	if c.redis != nil && c.breaker.Allow() {
		rctx, cancel := context.WithTimeout(ctx, RedisTimeout)
		defer cancel()
		v, err := c.redis.Get(rctx, c.prefix+key).Result()
		switch {
		case err == nil:
			c.record(ctx, nil)
			return v, true
		case err == redis.Nil:
			c.record(ctx, nil)
			return "", false
		default:
			c.record(ctx, err)
		}
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.mem[key]
	if !ok || !c.now().Before(e.expires) {
		return "", false
	}
	return e.value, true
}

// Set stores value under key for ttl.
func (c *Cache) Set(ctx context.Context, key, value string, ttl time.Duration) {
	if c.redis != nil && c.breaker.Allow() {
		rctx, cancel := context.WithTimeout(ctx, RedisTimeout)
		defer cancel()
		err := c.redis.Set(rctx, c.prefix+key, value, ttl).Err()
		c.record(ctx, err)
		if err == nil {
			return
		}
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	now := c.now()
	if len(c.mem) > 10_000 {
		for k, e := range c.mem {
			if !now.Before(e.expires) {
				delete(c.mem, k)
			}
		}
	}
	c.mem[key] = entry{value: value, expires: now.Add(ttl)}
}

// record tells the breaker how Redis answered (unless the caller left,
// which says nothing about Redis) and logs when that changes where the
// cache keeps its values.
func (c *Cache) record(ctx context.Context, err error) {
	if err != nil && ctx.Err() != nil && errors.Is(err, ctx.Err()) {
		return
	}
	if !c.breaker.Record(err) {
		return
	}
	if err != nil {
		c.log.Warn("cache: Redis unavailable, caching in memory on this instance until it returns",
			"err", err, "probe_in", c.breaker.RetryIn().Round(time.Millisecond).String())
		return
	}
	c.log.Info("cache: Redis is back")
}
