package sqlstore_test

import (
	"context"
	"testing"
	"time"

	"github.com/frontdeskhq/frontdesk"
	"github.com/frontdeskhq/frontdesk/sqlstore"
)

// TestTokenSpendMigration: the usage recorded before the running totals
// existed is summed into them, each call in its quarter hour, so a month's
// spend reads the same before and after; usage recorded afterwards adds to
// them.
func TestTokenSpendMigration(t *testing.T) {
	for _, dialect := range []string{sqlstore.SQLite, sqlstore.Postgres} {
		t.Run(dialect, func(t *testing.T) {
			ctx := context.Background()
			url, raw := databaseBefore(t, dialect, "token_spend")
			a, b := frontdesk.NewID(), frontdesk.NewID()
			for i, u := range []struct {
				tenant, at string
				cost       int64
			}{
				{a, "2026-12-01T04:59:59.999999Z", 1},   // November in New York
				{a, "2026-12-01T05:00:00.000000Z", 10},  // December's first instant
				{a, "2026-12-01T05:14:59.000000Z", 100}, // the same quarter hour
				{a, "2026-12-20T23:59:00.000000Z", 1000},
				{b, "2026-12-02T00:00:00.000000Z", 10000},
			} {
				if _, err := raw.ExecContext(ctx, `INSERT INTO token_usage (id, tenant_id, session_id, model, input_tokens,
					output_tokens, cache_read_tokens, cache_write_tokens, cost_micro_cents, created_at)
					VALUES ($1, $2, 's', 'm', 1, 1, 0, 0, $3, $4)`, frontdesk.NewID(), u.tenant, u.cost, u.at); err != nil {
					t.Fatalf("usage %d: %v", i, err)
				}
			}
			raw.Close()
			db, err := sqlstore.Open(ctx, url)
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			december := time.Date(2026, 12, 1, 5, 0, 0, 0, time.UTC)
			spend := func(tenant string, since time.Time) int64 {
				t.Helper()
				n, err := db.TokenSpend(ctx, tenant, since)
				must(t, err)
				return n
			}
			for _, c := range []struct {
				tenant string
				since  time.Time
				want   int64
			}{
				{a, december, 1110},
				{a, december.Add(-time.Hour), 1111},
				{a, december.Add(10 * time.Minute), 1100}, // inside a quarter hour: the calls after it only
				{b, december, 10000},
			} {
				if got := spend(c.tenant, c.since); got != c.want {
					t.Errorf("TokenSpend(%s) = %d after the migration, want %d", c.since.Format(time.RFC3339), got, c.want)
				}
			}
			must(t, db.RecordTokenUsage(ctx, &frontdesk.TokenUsage{ID: frontdesk.NewID(), TenantID: a, SessionID: "s", Model: "m",
				CostMicroCents: 10000, CreatedAt: december.Add(7 * time.Minute)}))
			if got := spend(a, december); got != 11110 {
				t.Errorf("TokenSpend = %d after recording more, want 11110", got)
			}
		})
	}
}
