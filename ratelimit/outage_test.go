package ratelimit

import (
	"context"
	"errors"
	"log/slog"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/frontdeskhq/frontdesk/storetest"
	"github.com/redis/go-redis/v9"
)

// attempts is a redis.Hook that counts the pipelines sent to Redis and,
// while down is set, fails them as a dead Redis would.
type attempts struct {
	n    atomic.Int64
	down atomic.Bool
}

func (a *attempts) DialHook(next redis.DialHook) redis.DialHook          { return next }
func (a *attempts) ProcessHook(next redis.ProcessHook) redis.ProcessHook { return next }
func (a *attempts) ProcessPipelineHook(next redis.ProcessPipelineHook) redis.ProcessPipelineHook {
	return func(ctx context.Context, cmds []redis.Cmder) error {
		a.n.Add(1)
		if a.down.Load() {
			err := errors.New("dial tcp 127.0.0.1:6379: connect: connection refused")
			for _, c := range cmds {
				c.SetErr(err)
			}
			return err
		}
		return next(ctx, cmds)
	}
}

func TestRedisDownFailsFast(t *testing.T) {
	rdb := storetest.DownRedis(t)
	var hook attempts
	rdb.AddHook(&hook)
	clock := storetest.NewClock(time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC))
	logs := &storetest.LogBuffer{}
	l := New("chat", 3, time.Hour, rdb, slog.New(slog.NewTextHandler(logs, nil)))
	l.Now = clock.Now
	l.circuit().Jitter = func(d time.Duration) time.Duration { return d }
	ctx := context.Background()

	var got []bool
	for range 1000 {
		got = append(got, l.Allow(ctx, "1.2.3.4").Allowed)
	}
	if n := hook.n.Load(); n != 1 {
		t.Fatalf("1000 requests with Redis down tried Redis %d times, want 1 and then fail fast", n)
	}
	if !got[0] || !got[2] || got[3] {
		t.Fatalf("memory decisions %v..., want allow x3, then refuse", got[:4])
	}
	// Redis is probed again after the interval, by one request, and then
	// after an interval twice as long.
	for i, wait := range []time.Duration{RedisProbeInterval, 2 * RedisProbeInterval, 4 * RedisProbeInterval} {
		before := hook.n.Load()
		clock.Advance(wait - time.Millisecond)
		for range 100 {
			l.Allow(ctx, "1.2.3.4")
		}
		if n := hook.n.Load() - before; n != 0 {
			t.Fatalf("probe %d: %d attempts before the interval of %v passed", i, n, wait)
		}
		clock.Advance(time.Millisecond)
		for range 100 {
			l.Allow(ctx, "1.2.3.4")
		}
		if n := hook.n.Load() - before; n != 1 {
			t.Fatalf("probe %d: %d attempts after %v, want 1", i, n, wait)
		}
	}
	if n := strings.Count(logs.String(), "Redis unavailable"); n != 1 {
		t.Fatalf("logged the outage %d times, want once:\n%s", n, logs.String())
	}
}

func TestRedisComesBack(t *testing.T) {
	rdb := storetest.OpenRedis(t)
	var hook attempts
	rdb.AddHook(&hook)
	clock := storetest.NewClock(time.Now())
	logs := &storetest.LogBuffer{}
	name := "test" + strings.ReplaceAll(time.Now().Format("150405.000000"), ".", "")
	l := New(name, 100, time.Hour, rdb, slog.New(slog.NewTextHandler(logs, nil)))
	other := New(name, 100, time.Hour, rdb, nil) // another instance, sharing the budget
	l.Now, other.Now = clock.Now, clock.Now
	l.circuit().Jitter = func(d time.Duration) time.Duration { return d }
	ctx := context.Background()

	hook.down.Store(true)
	for range 50 {
		l.Allow(ctx, "k")
	}
	hook.down.Store(false) // Redis is back; the limiter finds out at the next probe
	for range 50 {
		l.Allow(ctx, "k")
	}
	if n := hook.n.Load(); n != 1 {
		t.Fatalf("%d attempts before the probe interval passed, want 1", n)
	}
	clock.Advance(RedisProbeInterval)
	other.Allow(ctx, "k") // one request counted in Redis by the other instance
	if d := l.Allow(ctx, "k"); d.Remaining != 98 {
		t.Fatalf("after Redis came back: %+v, want the shared count (2 of 100)", d)
	}
	if n := l.Allow(ctx, "k").Remaining; n != 97 {
		t.Fatalf("remaining %d, want 97: the limiter went back to Redis", n)
	}
	for _, want := range []string{"Redis unavailable", "Redis is back"} {
		if n := strings.Count(logs.String(), want); n != 1 {
			t.Fatalf("logged %q %d times, want once:\n%s", want, n, logs.String())
		}
	}
}
