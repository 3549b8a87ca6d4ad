// Package cache keeps short-lived strings (the business context of the
// assistant's prompt) in Redis when configured, so instances share them,
// and in memory otherwise. When Redis fails the cache keeps working from
// memory and says so in the log once.
package cache

import (
	"context"
	"log/slog"
	"sync"
	"time"

	"github.com/frontdeskhq/frontdesk"
	"github.com/redis/go-redis/v9"
)

// Cache is safe for concurrent use. The zero value is not usable; use New.
type Cache struct {
	prefix string
	redis  *redis.Client
	log    *slog.Logger
	now    func() time.Time

	mu       sync.Mutex
	mem      map[string]entry
	degraded bool
}

type entry struct {
	value   string
	expires time.Time
}

// New returns a cache whose keys start with prefix; rdb may be nil.
func New(prefix string, rdb *redis.Client, log *slog.Logger) *Cache {
	return &Cache{prefix: prefix, redis: rdb, log: frontdesk.LoggerOrDefault(log), now: time.Now, mem: map[string]entry{}}
}

// Get returns the value of key, if present and fresh.
func (c *Cache) Get(ctx context.Context, key string) (string, bool) {
	if c.redis != nil && !c.isDegraded() {
		ctx, cancel := context.WithTimeout(ctx, 200*time.Millisecond)
		defer cancel()
		v, err := c.redis.Get(ctx, c.prefix+key).Result()
		switch {
		case err == nil:
			c.setDegraded(nil)
			return v, true
		case err == redis.Nil:
			c.setDegraded(nil)
			return "", false
		default:
			c.setDegraded(err)
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
	if c.redis != nil {
		ctx, cancel := context.WithTimeout(ctx, 200*time.Millisecond)
		defer cancel()
		err := c.redis.Set(ctx, c.prefix+key, value, ttl).Err()
		c.setDegraded(err)
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

// isDegraded reports a Redis outage; Get then skips Redis until a Set
// succeeds, so a dead Redis costs one timeout per Set, not per Get.
func (c *Cache) isDegraded() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.degraded
}

func (c *Cache) setDegraded(err error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	switch {
	case err != nil && !c.degraded:
		c.degraded = true
		c.log.Warn("cache: Redis unavailable, caching in memory on this instance until it returns", "err", err)
	case err == nil && c.degraded:
		c.degraded = false
		c.log.Info("cache: Redis is back")
	}
}
