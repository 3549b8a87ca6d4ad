package ratelimit

import (
	"context"
	"io"
	"log/slog"
	"net"
	"testing"
	"time"

	"github.com/frontdeskhq/frontdesk/storetest"
	"github.com/redis/go-redis/v9"
)

// BenchmarkAllowRedisDown measures Allow while Redis refuses connections:
// after the first failure the limiter should count in memory without
// trying Redis on every request.
func BenchmarkAllowRedisDown(b *testing.B) {
	l := New("bench", 1<<30, time.Minute, storetest.DownRedis(b), slog.New(slog.NewTextHandler(io.Discard, nil)))
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		l.Allow(ctx, "1.2.3.4")
	}
}

// BenchmarkAllowRedisHung measures Allow while Redis accepts connections
// but never answers (a host that is down behind a proxy, or a full
// network queue): without a circuit breaker every request waits for the
// 250 ms timeout.
func BenchmarkAllowRedisHung(b *testing.B) {
	rdb := redis.NewClient(&redis.Options{Addr: silentRedis(b), DialTimeout: 500 * time.Millisecond,
		ReadTimeout: 250 * time.Millisecond, WriteTimeout: 250 * time.Millisecond, MaxRetries: -1})
	b.Cleanup(func() { rdb.Close() })
	l := New("bench", 1<<30, time.Minute, rdb, slog.New(slog.NewTextHandler(io.Discard, nil)))
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		l.Allow(ctx, "1.2.3.4")
	}
}

// silentRedis listens on a local port, accepts connections and never
// answers, and returns its address.
func silentRedis(tb testing.TB) string {
	tb.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { ln.Close() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go func() { io.Copy(io.Discard, c); c.Close() }()
		}
	}()
	return ln.Addr().String()
}
