package sqlstore_test

import (
	"context"
	"testing"
	"time"

	"github.com/frontdeskhq/frontdesk"
	"github.com/frontdeskhq/frontdesk/storetest"
)

// BenchmarkTokenSpend reads a busy tenant's month of spend, as every chat
// turn of a tenant with a budget does: 100,000 model calls recorded over
// the month on SQLite.
//
//	go test ./sqlstore -run '^$' -bench TokenSpend
func BenchmarkTokenSpend(b *testing.B) {
	ctx := context.Background()
	store := storetest.OpenSQLite(b)
	tenant := frontdesk.NewID()
	month := time.Date(2026, 12, 1, 5, 0, 0, 0, time.UTC)
	const calls = 100_000
	step := 30 * 24 * time.Hour / calls
	for i := range calls {
		if err := store.RecordTokenUsage(ctx, &frontdesk.TokenUsage{ID: frontdesk.NewID(), TenantID: tenant, SessionID: "s",
			Model: "m", CostMicroCents: 1, CreatedAt: month.Add(time.Duration(i) * step)}); err != nil {
			b.Fatal(err)
		}
	}
	b.ResetTimer()
	for range b.N {
		spent, err := store.TokenSpend(ctx, tenant, month)
		if err != nil || spent != calls {
			b.Fatalf("TokenSpend = %d, %v; want %d", spent, err, calls)
		}
	}
}
