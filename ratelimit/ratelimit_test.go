package ratelimit

import (
	"bytes"
	"context"
	"log/slog"
	"net/http/httptest"
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/frontdeskhq/frontdesk/storetest"
)

func TestWindow(t *testing.T) {
	c := storetest.NewClock(time.Date(2026, 12, 1, 10, 0, 5, 0, time.UTC))
	l := New("chat", 20, time.Minute, nil, nil)
	l.Now = c.Now
	ctx := context.Background()
	for i := 1; i <= 20; i++ {
		if d := l.Allow(ctx, "1.2.3.4"); !d.Allowed || d.Remaining != 20-i {
			t.Fatalf("message %d: %+v", i, d)
		}
	}
	d := l.Allow(ctx, "1.2.3.4")
	if d.Allowed || d.Remaining != 0 || d.Reset != 55*time.Second {
		t.Fatalf("21st message: %+v, want refused with 55s to reset", d)
	}
	if !l.Allow(ctx, "5.6.7.8").Allowed {
		t.Fatal("another client shares the budget")
	}
	c.Advance(55 * time.Second)
	if d := l.Allow(ctx, "1.2.3.4"); !d.Allowed || d.Remaining != 19 {
		t.Fatalf("after the window: %+v", d)
	}
}

func TestRedisSharedBudget(t *testing.T) {
	rdb := storetest.OpenRedis(t)
	c := storetest.NewClock(time.Now())
	name := "test" + strings.ReplaceAll(time.Now().Format("150405.000000"), ".", "")
	a := New(name, 5, time.Minute, rdb, nil)
	b := New(name, 5, time.Minute, rdb, nil)
	a.Now, b.Now = c.Now, c.Now
	ctx := context.Background()
	allowed := 0
	for i := 0; i < 10; i++ {
		l := a
		if i%2 == 1 {
			l = b
		}
		if l.Allow(ctx, "9.9.9.9").Allowed {
			allowed++
		}
	}
	if allowed != 5 {
		t.Fatalf("two limiters on one Redis allowed %d of 10, want 5", allowed)
	}
}

func TestRedisDownFallsBackToMemory(t *testing.T) {
	var logs bytes.Buffer
	rdb := storetest.DownRedis(t)
	l := New("chat", 2, time.Minute, rdb, slog.New(slog.NewTextHandler(&logs, nil)))
	ctx := context.Background()
	got := []bool{l.Allow(ctx, "k").Allowed, l.Allow(ctx, "k").Allowed, l.Allow(ctx, "k").Allowed}
	if !got[0] || !got[1] || got[2] {
		t.Fatalf("memory fallback decisions %v, want allow, allow, refuse", got)
	}
	if n := strings.Count(logs.String(), "Redis unavailable"); n != 1 {
		t.Fatalf("logged the outage %d times, want once:\n%s", n, logs.String())
	}
}

func TestClientIP(t *testing.T) {
	trusted := []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8"), netip.MustParsePrefix("::1/128")}
	cases := []struct {
		name, remote, xff, want string
	}{
		{"direct", "203.0.113.7:5555", "", "203.0.113.7"},
		{"untrusted peer's header ignored", "203.0.113.7:5555", "1.1.1.1", "203.0.113.7"},
		{"trusted proxy", "10.1.2.3:80", "198.51.100.9", "198.51.100.9"},
		{"spoofed left entries ignored", "10.1.2.3:80", "6.6.6.6, 198.51.100.9", "198.51.100.9"},
		{"chain of proxies", "10.1.2.3:80", "198.51.100.9, 10.9.9.9", "198.51.100.9"},
		{"garbage header", "10.1.2.3:80", "not-an-ip", "10.1.2.3"},
		{"ipv6 loopback proxy", "[::1]:80", "2001:db8::1", "2001:db8::1"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := httptest.NewRequest("GET", "/", nil)
			r.RemoteAddr = tc.remote
			if tc.xff != "" {
				r.Header.Set("X-Forwarded-For", tc.xff)
			}
			if got := ClientIP(r, trusted); got != tc.want {
				t.Fatalf("ClientIP = %s, want %s", got, tc.want)
			}
		})
	}
}
