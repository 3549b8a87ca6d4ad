package lograte

import (
	"fmt"
	"testing"
	"time"
)

type handClock struct{ t time.Time }

func (c *handClock) Now() time.Time          { return c.t }
func (c *handClock) Advance(d time.Duration) { c.t = c.t.Add(d) }

func TestOneLinePerKeyPerInterval(t *testing.T) {
	clock := &handClock{t: time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)}
	l := New[string](10 * time.Second)
	l.Now = clock.Now
	type step struct {
		advance        time.Duration
		key            string
		ok             bool
		wantSuppressed int
	}
	steps := []step{
		{0, "unavailable GET /a", true, 0},
		{time.Second, "unavailable GET /a", false, 0},
		{time.Second, "unavailable GET /a", false, 0},
		{0, "unavailable GET /b", true, 0}, // another route is another kind
		{0, "internal GET /a", true, 0},    // another code too
		{8 * time.Second, "unavailable GET /a", true, 2},
		{time.Second, "unavailable GET /a", false, 0},
		{10 * time.Second, "unavailable GET /a", true, 1},
		{time.Hour, "unavailable GET /a", true, 0},
	}
	for i, s := range steps {
		clock.Advance(s.advance)
		ok, n := l.Allow(s.key)
		if ok != s.ok || n != s.wantSuppressed {
			t.Fatalf("step %d (%s): Allow = %v, %d; want %v, %d", i, s.key, ok, n, s.ok, s.wantSuppressed)
		}
	}
}

func TestManyRequestsOneLine(t *testing.T) {
	clock := &handClock{t: time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)}
	l := New[string](10 * time.Second)
	l.Now = clock.Now
	lines, suppressed := 0, 0
	for range 25_000 { // 110 s of an outage at about 230 requests a second
		clock.Advance(110 * time.Second / 25_000)
		if ok, n := l.Allow("unavailable POST /v1/public/chat/message"); ok {
			lines++
			suppressed += n
		}
	}
	if lines != 11 {
		t.Fatalf("%d lines in 110 s, want 11 (one per 10 s)", lines)
	}
	if lines+suppressed < 25_000-2500 { // the last interval's count is still pending
		t.Fatalf("lines and counts add up to %d of 25000 requests", lines+suppressed)
	}
}

func TestForgetsQuietKeys(t *testing.T) {
	clock := &handClock{t: time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)}
	l := New[string](time.Second)
	l.Now = clock.Now
	for i := range maxKeys {
		l.Allow(fmt.Sprint(i))
	}
	l.Allow("0") // held back: its count must survive
	clock.Advance(time.Second)
	l.Allow("new")
	if len(l.keys) != 2 {
		t.Fatalf("%d keys kept, want 2 (the one with a count, and the new one)", len(l.keys))
	}
	if ok, n := l.Allow("0"); !ok || n != 1 {
		t.Fatalf("Allow(0) = %v, %d; want true, 1", ok, n)
	}
}
