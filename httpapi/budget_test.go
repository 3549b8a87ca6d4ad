package httpapi_test

import (
	"bytes"
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/frontdeskhq/frontdesk"
)

// TestAnalyticsBudget: with a monthly budget the analytics show this
// month's spend against it, in the tenant's calendar month, whatever the
// range asked; without one the field is absent.
func TestAnalyticsBudget(t *testing.T) {
	doc := loadAPIDoc(t)
	ptr, ok := doc.responseSchema("/v1/tenant/analytics", http.MethodGet, http.StatusOK)
	if !ok {
		t.Fatal("the analytics answer is not documented")
	}
	eachBackend(t, func(t *testing.T, h *harness) {
		ctx := context.Background()
		ny := h.a.Tenant.Location()
		for _, u := range []struct {
			tenant string
			at     time.Time
			cost   int64 // micro-cents
		}{
			{h.a.Tenant.ID, time.Date(2026, 11, 30, 23, 59, 0, 0, ny), 900_000_000}, // November in New York
			{h.a.Tenant.ID, time.Date(2026, 12, 1, 0, 0, 0, 0, ny), 1_250_000},
			{h.a.Tenant.ID, time.Date(2026, 12, 9, 12, 0, 0, 0, ny), 2_000_000},
			{h.b.Tenant.ID, time.Date(2026, 12, 9, 12, 0, 0, 0, ny), 77_000_000}, // another tenant
		} {
			if err := h.store.RecordTokenUsage(ctx, &frontdesk.TokenUsage{ID: frontdesk.NewID(), TenantID: u.tenant, SessionID: "s",
				Model: "m", InputTokens: 10, CostMicroCents: u.cost, CreatedAt: u.at}); err != nil {
				t.Fatal(err)
			}
		}
		type out struct {
			CostCents float64 `json:"costCents"`
			Budget    *struct {
				Month      string  `json:"month"`
				MonthCents int64   `json:"monthCents"`
				SpentCents float64 `json:"spentCents"`
			} `json:"budget"`
		}
		get := func(path string) out {
			t.Helper()
			r := h.tenantAPI(t, h.a, path)
			var got out
			decode(t, r, &got)
			v, err := jsonschema.UnmarshalJSON(bytes.NewReader(r.Body))
			if err != nil {
				t.Fatal(err)
			}
			if err := doc.schemaAt(t, ptr).Validate(v); err != nil {
				t.Fatalf("the answer does not match openapi.json: %v\n%s", err, r.Body)
			}
			return got
		}

		if got := get("/v1/tenant/analytics"); got.Budget != nil {
			t.Fatalf("budget %+v without a budget set", got.Budget)
		}

		h.a.Tenant.Settings.MonthlyTokenBudgetCents = 500
		if err := h.store.UpdateTenant(ctx, h.a.Tenant); err != nil {
			t.Fatal(err)
		}
		got := get("/v1/tenant/analytics")
		if got.Budget == nil || got.Budget.Month != "2026-12" || got.Budget.MonthCents != 500 || got.Budget.SpentCents != 3.25 {
			t.Fatalf("budget %+v, want December 2026: 3.25 of 500 cents", got.Budget)
		}
		if got.CostCents != 903.25 { // the last 30 days, November's last minute included
			t.Fatalf("costCents %v, want 903.25", got.CostCents)
		}
		// Another range: the budget is still this month's.
		if got := get("/v1/tenant/analytics?from=2026-11-01&to=2026-11-30"); got.Budget == nil || got.Budget.SpentCents != 3.25 {
			t.Fatalf("budget %+v for a November range, want this month's", got.Budget)
		}
		// Midnight of 1 January in New York: a new month.
		h.clock.Set(time.Date(2027, 1, 1, 0, 0, 0, 0, ny))
		if got := get("/v1/tenant/analytics"); got.Budget == nil || got.Budget.Month != "2027-01" || got.Budget.SpentCents != 0 {
			t.Fatalf("budget %+v in January, want nothing spent", got.Budget)
		}
	})
}
