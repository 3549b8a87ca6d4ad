package chat_test

import (
	"context"
	"fmt"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/frontdeskhq/frontdesk"
	"github.com/frontdeskhq/frontdesk/business"
	"github.com/frontdeskhq/frontdesk/cache"
	"github.com/frontdeskhq/frontdesk/chat"
	"github.com/frontdeskhq/frontdesk/claude/claudetest"
	"github.com/frontdeskhq/frontdesk/storetest"
)

// countingStore counts catalog reads.
type countingStore struct {
	frontdesk.Store
	lists atomic.Int32
}

func (c *countingStore) ListPackages(ctx context.Context, tenantID string, activeOnly bool) ([]*frontdesk.Package, error) {
	c.lists.Add(1)
	return c.Store.ListPackages(ctx, tenantID, activeOnly)
}

// TestBusinessContextCached: with the cache, two turns build the prompt
// from the catalog once, and the prompt the model sees is the same.
func TestBusinessContextCached(t *testing.T) {
	for _, tc := range []struct {
		name   string
		cached bool
		want   int32
	}{{"without cache", false, 2}, {"with cache", true, 1}} {
		t.Run(tc.name, func(t *testing.T) {
			e := sqliteEnv(t, opts{model: true})
			cs := &countingStore{Store: e.store}
			e.svc.Store = cs
			if tc.cached {
				e.svc.Cache = cache.New("test:", nil, nil)
			}
			e.fake.Reply(claudetest.Text("Hello!"), claudetest.Text("Hello again!"))
			sid := e.session(t, e.a)
			e.send(t, e.a, sid, "hi")
			e.send(t, e.a, sid, "hi again")
			if got := cs.lists.Load(); got != tc.want {
				t.Fatalf("the catalog was read %d times for two turns, want %d", got, tc.want)
			}
			reqs := e.fake.Requests()
			if len(reqs) != 2 || reqs[0].System != reqs[1].System || reqs[0].System == "" {
				t.Fatal("the two turns saw different system prompts")
			}
		})
	}
}

// TestBusinessChangeSeenOnEveryInstance: two instances share the prompt
// cache through Redis; an owner's change made through one is in the very
// next prompt of the other, because the cache keys on the tenant's version.
func TestBusinessChangeSeenOnEveryInstance(t *testing.T) {
	rdb := storetest.OpenRedis(t)
	prefix := "frontdesk:test:" + frontdesk.NewID()[:8] + ":"
	e := sqliteEnv(t, opts{model: true})
	instance := func() *chat.Service { // another process: its own state, the same database and model
		return &chat.Service{Store: e.svc.Store, Clock: e.svc.Clock, LLM: e.svc.LLM, Bookings: e.svc.Bookings, Log: e.svc.Log,
			Cost: e.svc.Cost, Cache: cache.New(prefix, rdb, nil)}
	}
	one, two := instance(), instance()
	biz := &business.Service{Store: e.store, Clock: frontdesk.ClockFunc(e.clock.Now), PublicURL: "http://test"}
	e.fake.Reply(claudetest.Text("Hi!"), claudetest.Text("Hi!"), claudetest.Text("Hi!"))

	fresh := func() *frontdesk.Tenant { // each request loads its tenant
		tn, err := e.store.TenantByID(ctx, e.a.Tenant.ID)
		if err != nil {
			t.Fatal(err)
		}
		return tn
	}
	old := fresh()
	sid := e.session(t, e.a)
	if _, err := one.Send(ctx, old, sid, "hi"); err != nil {
		t.Fatal(err)
	}
	// The owner, through the other instance, adds a service and changes the hours.
	if _, err := biz.CreatePackage(ctx, fresh(), business.PackageInput{Name: ptr("Sunset Session"), PriceCents: ptr(int64(9900)),
		BookingType: ptr("TIMESLOT"), DurationMinutes: ptr(45)}); err != nil {
		t.Fatal(err)
	}
	if _, err := biz.ReplaceWeek(ctx, fresh(), []business.Rule{{Weekday: "SUN", Start: "10:00", End: "16:00"}}); err != nil {
		t.Fatal(err)
	}
	// A request still holding the old tenant hits the shared cache entry:
	// the cache is really shared and really used.
	if _, err := two.Send(ctx, old, sid, "hello"); err != nil {
		t.Fatal(err)
	}
	if _, err := two.Send(ctx, fresh(), sid, "and now?"); err != nil {
		t.Fatal(err)
	}
	reqs := e.fake.Requests()
	if len(reqs) != 3 {
		t.Fatalf("%d model calls", len(reqs))
	}
	if reqs[1].System != reqs[0].System {
		t.Fatal("the second instance rebuilt the prompt instead of sharing the cached one")
	}
	wantContains(t, "prompt after the change", reqs[2].System, "Sunset Session", "Sunday 10:00 AM to 4:00 PM")
	if strings.Contains(reqs[2].System, "9:00 AM") {
		t.Fatalf("the prompt still has the old hours:\n%s", reqs[2].System)
	}
}

// TestHistoryWindowMovesInSteps: past the history window, the messages the
// model sees start at a place that moves half a window at a time, so most
// turns read the whole conversation so far from the prompt cache instead
// of writing it anew because its first message changed.
func TestHistoryWindowMovesInSteps(t *testing.T) {
	e := sqliteEnv(t, opts{model: true})
	const window = 12
	e.svc.HistoryWindow = window
	sid := e.session(t, e.a)
	const turns = 20
	moves, cost := 0, 0.0
	var prev claudetest.Request
	for k := 1; k <= turns; k++ {
		e.fake.Reply(claudetest.Text(fmt.Sprintf("Answer %d.", k)))
		e.send(t, e.a, sid, fmt.Sprintf("Question %d?", k))
		reqs := e.requests(t)
		r := reqs[len(reqs)-1]
		stored := 2*k - 1 // before this turn's answer
		if n := len(r.Messages); n < min(stored, window-1) || n >= window+window/2 {
			t.Fatalf("turn %d: the model sees %d of %d messages, want %d to %d", k, n, stored, min(stored, window-1), window+window/2-1)
		}
		if first := r.Messages[0]; first.Role != "user" {
			t.Fatalf("turn %d: the history starts with %s", k, first.Role)
		}
		if last := r.LastMessage().Content[0].Text; last != fmt.Sprintf("Question %d?", k) {
			t.Fatalf("turn %d: the last message is %q", k, last)
		}
		if k > 1 && r.Cache.ReadBytes != prev.Cache.InputBytes {
			moves++
		}
		prev, cost = r, cost+r.Cache.CostBytes()
	}
	t.Logf("%d turns, window %d: the start moved %d times; %.0f B-eq", turns, window, moves, cost)
	// Sliding one message at a time, every turn from the seventh on would
	// write the conversation anew (14); stepping half a window (6
	// messages, 3 turns) moves the start on a third of them.
	if moves > 5 {
		t.Errorf("the history's start moved on %d of %d turns, want at most 5", moves, turns-1)
	}
}
