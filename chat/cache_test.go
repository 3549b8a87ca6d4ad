package chat_test

import (
	"context"
	"sync/atomic"
	"testing"

	"github.com/frontdeskhq/frontdesk"
	"github.com/frontdeskhq/frontdesk/cache"
	"github.com/frontdeskhq/frontdesk/claude/claudetest"
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
