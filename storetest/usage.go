package storetest

import (
	"testing"
	"time"

	"github.com/frontdeskhq/frontdesk"
)

// TokenUsage is the contract of the budget figures: TokenSpend sums the
// recorded usage from the range's start included, each tenant's own; a
// session's InputTokens adds up its own calls' input tokens.
func TokenUsage(t *testing.T, s frontdesk.Store) {
	t.Helper()
	a := NewFixture(t, s, "Alpha", "Europe/Berlin")
	b := NewFixture(t, s, "Beta", "Europe/Berlin")
	month := time.Date(2026, 12, 1, 0, 0, 0, 0, a.Tenant.Location()) // 30 November 23:00 UTC
	record := func(tenantID, sessionID string, at time.Time, in, read, write, cost int64) {
		t.Helper()
		must(t, s.RecordTokenUsage(ctx, &frontdesk.TokenUsage{ID: frontdesk.NewID(), TenantID: tenantID, SessionID: sessionID,
			Model: "m", InputTokens: in, OutputTokens: 999, CacheReadTokens: read, CacheWriteTokens: write,
			CostMicroCents: cost, CreatedAt: at}))
	}
	spend := func(tenantID string, since time.Time) int64 {
		t.Helper()
		n, err := s.TokenSpend(ctx, tenantID, since)
		must(t, err)
		return n
	}
	session := func(f *Fixture) string {
		t.Helper()
		cs := &frontdesk.ChatSession{ID: frontdesk.NewID(), TenantID: f.Tenant.ID, CreatedAt: month, UpdatedAt: month}
		must(t, s.CreateSession(ctx, cs))
		return cs.ID
	}
	inputs := func(tenantID, sessionID string) int64 {
		t.Helper()
		cs, err := s.Session(ctx, tenantID, sessionID)
		must(t, err)
		return cs.InputTokens
	}
	s1, s2, b1 := session(a), session(a), session(b)

	if got := spend(a.Tenant.ID, month); got != 0 {
		t.Fatalf("TokenSpend without usage = %d, want 0", got)
	}
	if got := inputs(a.Tenant.ID, s1); got != 0 {
		t.Fatalf("InputTokens without usage = %d, want 0", got)
	}
	record(a.Tenant.ID, s1, month.Add(-time.Millisecond), 100, 0, 0, 5_000_000) // the month before
	record(a.Tenant.ID, s1, month, 10, 20, 30, 1_500_000)                       // its first instant
	record(a.Tenant.ID, s2, month.Add(20*24*time.Hour), 1, 2, 3, 2_000_000)
	record(b.Tenant.ID, b1, month.Add(time.Hour), 7000, 0, 0, 40_000_000)
	record(b.Tenant.ID, s1, month.Add(time.Hour), 9000, 0, 0, 0) // another tenant naming a's session: not a's

	if got, want := spend(a.Tenant.ID, month), int64(3_500_000); got != want {
		t.Fatalf("TokenSpend since the month's start = %d, want %d (the start included, the month before not)", got, want)
	}
	if got, want := spend(a.Tenant.ID, month.Add(-time.Hour)), int64(8_500_000); got != want {
		t.Fatalf("TokenSpend since an hour earlier = %d, want %d", got, want)
	}
	if got := spend(a.Tenant.ID, month.AddDate(0, 1, 0)); got != 0 {
		t.Fatalf("TokenSpend since next month = %d, want 0", got)
	}
	if got, want := spend(b.Tenant.ID, month), int64(40_000_000); got != want {
		t.Fatalf("TokenSpend of the other tenant = %d, want %d", got, want)
	}
	if got, want := inputs(a.Tenant.ID, s1), int64(160); got != want {
		t.Fatalf("a session's InputTokens = %d, want %d (input, cache reads and writes, every month)", got, want)
	}
	if got, want := inputs(a.Tenant.ID, s2), int64(6); got != want {
		t.Fatalf("InputTokens of another session = %d, want %d", got, want)
	}
	if got, want := inputs(b.Tenant.ID, b1), int64(7000); got != want {
		t.Fatalf("InputTokens of the other tenant's session = %d, want %d", got, want)
	}
}
