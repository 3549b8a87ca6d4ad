package cache

import (
	"bytes"
	"context"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/frontdeskhq/frontdesk"
	"github.com/frontdeskhq/frontdesk/storetest"
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
