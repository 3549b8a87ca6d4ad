package cache

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/frontdeskhq/frontdesk"
	"github.com/frontdeskhq/frontdesk/storetest"
	"github.com/redis/go-redis/v9"
)

var ctx = context.Background()

func TestMemory(t *testing.T) {
	clock := storetest.NewClock(time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC))
	c := New("t:", nil, nil)
	c.now = clock.Now
	if _, ok := c.Get(ctx, "k"); ok {
		t.Fatal("empty cache hit")
	}
	c.Set(ctx, "k", "v", time.Minute)
	if v, ok := c.Get(ctx, "k"); !ok || v != "v" {
		t.Fatalf("Get = %q, %v", v, ok)
	}
	clock.Advance(time.Minute)
	if _, ok := c.Get(ctx, "k"); ok {
		t.Fatal("an expired entry was returned")
	}
}

func TestRedisSharedBetweenInstances(t *testing.T) {
	rdb := storetest.OpenRedis(t)
	prefix := "frontdesk:test:" + frontdesk.NewID()[:8] + ":"
	a, b := New(prefix, rdb, nil), New(prefix, rdb, nil)
	a.Set(ctx, "k", "from a", time.Minute)
	if v, ok := b.Get(ctx, "k"); !ok || v != "from a" {
		t.Fatalf("the other instance got %q, %v", v, ok)
	}
}

func TestRedisDownFallsBackToMemory(t *testing.T) {
	var logs bytes.Buffer
	rdb := storetest.DownRedis(t)
	c := New("t:", rdb, slog.New(slog.NewTextHandler(&logs, nil)))
	c.Set(ctx, "k", "v", time.Minute)
	if v, ok := c.Get(ctx, "k"); !ok || v != "v" {
		t.Fatalf("with Redis down Get = %q, %v; want the value from memory", v, ok)
	}
	if n := strings.Count(logs.String(), "Redis unavailable"); n != 1 {
		t.Fatalf("logged the outage %d times, want once:\n%s", n, logs.String())
	}
}

// attempts is a redis.Hook that counts the commands sent to Redis and,
// while down is set, fails them as a dead Redis would.
type attempts struct {
	n    atomic.Int64
	down atomic.Bool
}

func (a *attempts) DialHook(next redis.DialHook) redis.DialHook { return next }
func (a *attempts) ProcessHook(next redis.ProcessHook) redis.ProcessHook {
	return func(ctx context.Context, cmd redis.Cmder) error {
		a.n.Add(1)
		if a.down.Load() {
			err := errors.New("dial tcp 127.0.0.1:6379: connect: connection refused")
			cmd.SetErr(err)
			return err
		}
		return next(ctx, cmd)
	}
}
func (a *attempts) ProcessPipelineHook(next redis.ProcessPipelineHook) redis.ProcessPipelineHook {
	return next
}

func TestRedisDownFailsFastAndComesBack(t *testing.T) {
	rdb := storetest.OpenRedis(t)
	var hook attempts
	rdb.AddHook(&hook)
	logs := &storetest.LogBuffer{}
	clock := storetest.NewClock(time.Now())
	prefix := "frontdesk:test:" + frontdesk.NewID()[:8] + ":"
	c := New(prefix, rdb, slog.New(slog.NewTextHandler(logs, nil)))
	c.now = clock.Now
	c.breaker.Jitter = func(d time.Duration) time.Duration { return d }

	hook.down.Store(true)
	for range 100 {
		c.Set(ctx, "k", "v", time.Hour)
		c.Get(ctx, "k")
	}
	if n := hook.n.Load(); n != 1 {
		t.Fatalf("200 calls with Redis down tried Redis %d times, want 1 and then fail fast", n)
	}
	hook.down.Store(false)
	clock.Advance(RedisProbeInterval - time.Millisecond)
	c.Get(ctx, "k")
	if n := hook.n.Load(); n != 1 {
		t.Fatalf("Redis tried %d times before the probe interval passed, want 1", n)
	}
	clock.Advance(time.Millisecond)
	c.Set(ctx, "k", "shared", time.Hour) // the probe: Redis is back
	other := New(prefix, rdb, nil)
	if v, ok := other.Get(ctx, "k"); !ok || v != "shared" {
		t.Fatalf("another instance got %q, %v after Redis came back", v, ok)
	}
	for _, want := range []string{"Redis unavailable", "Redis is back"} {
		if n := strings.Count(logs.String(), want); n != 1 {
			t.Fatalf("logged %q %d times, want once:\n%s", want, n, logs.String())
		}
	}
}
