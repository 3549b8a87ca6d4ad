package httpapi_test

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
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

		h.a.Tenant.Settings.MonthlyTokenBudgetCents = new(int64(500))
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

		// A budget of 0 (no model at all) is a budget: monthCents 0.
		h.clock.Set(time.Date(2026, 12, 20, 12, 0, 0, 0, ny))
		if r := h.owner(t, h.a, http.MethodPatch, "/v1/tenant", map[string]any{"settings": map[string]any{"monthlyTokenBudgetCents": 0}}); r.Status != http.StatusOK {
			t.Fatalf("PATCH a budget of 0: %s", r)
		}
		if got := get("/v1/tenant/analytics"); got.Budget == nil || got.Budget.Month != "2026-12" || got.Budget.MonthCents != 0 || got.Budget.SpentCents != 3.25 {
			t.Fatalf("budget %+v with a budget of 0, want December 2026: 3.25 of 0 cents", got.Budget)
		}
		// null removes the budget: the field is absent again.
		if r := h.do(t, http.MethodPatch, "/v1/tenant", `{"settings":{"monthlyTokenBudgetCents":null}}`,
			"Authorization", "Bearer "+h.a.SecretKey, "Content-Type", "application/json"); r.Status != http.StatusOK {
			t.Fatalf("PATCH a null budget: %s", r)
		}
		if got := get("/v1/tenant/analytics"); got.Budget != nil {
			t.Fatalf("budget %+v after it was removed", got.Budget)
		}
	})
}

// TestPatchBudget: settings.monthlyTokenBudgetCents has three states. A
// new tenant has none (null); PATCH sets 0 (no model) or an amount, leaves
// the budget when the key is absent, and removes it when null is sent;
// negative or absurd values are 400 naming the field, with the choices.
// Every answer and every accepted request matches openapi.json.
func TestPatchBudget(t *testing.T) {
	doc := loadAPIDoc(t)
	resPtr, ok := doc.responseSchema("/v1/tenant", http.MethodPatch, http.StatusOK)
	if !ok {
		t.Fatal("the PATCH /v1/tenant answer is not documented")
	}
	reqPtr := "/paths/" + pointerEscape("/v1/tenant") + "/patch/requestBody/content/application~1json/schema"
	valid := func(t *testing.T, ptr string, raw []byte) {
		t.Helper()
		v, err := jsonschema.UnmarshalJSON(bytes.NewReader(raw))
		if err != nil {
			t.Fatal(err)
		}
		if err := doc.schemaAt(t, ptr).Validate(v); err != nil {
			t.Fatalf("%s does not match openapi.json at %s: %v", raw, ptr, err)
		}
	}
	eachBackend(t, func(t *testing.T, h *harness) {
		ctx := context.Background()
		// budget returns the budget an answer shows: "null" or the number.
		budget := func(t *testing.T, r response) string {
			t.Helper()
			var got struct {
				Settings map[string]json.RawMessage `json:"settings"`
			}
			decode(t, r, &got)
			raw, ok := got.Settings["monthlyTokenBudgetCents"]
			if !ok {
				t.Fatalf("settings without monthlyTokenBudgetCents: %s", r.Body)
			}
			return string(raw)
		}
		stored := func(t *testing.T) string {
			t.Helper()
			tn, err := h.store.TenantByID(ctx, h.a.Tenant.ID)
			if err != nil {
				t.Fatal(err)
			}
			if b := tn.Settings.MonthlyTokenBudgetCents; b != nil {
				return strconv.FormatInt(*b, 10)
			}
			return "null"
		}
		patch := func(t *testing.T, body string) response {
			t.Helper()
			r := h.do(t, http.MethodPatch, "/v1/tenant", body, "Authorization", "Bearer "+h.a.SecretKey, "Content-Type", "application/json")
			if r.Status == http.StatusOK {
				valid(t, reqPtr, []byte(body))
				valid(t, resPtr, r.Body)
			}
			return r
		}

		if got := budget(t, h.tenantAPI(t, h.a, "/v1/tenant")); got != "null" {
			t.Fatalf("a new tenant's budget is %s, want null (no budget)", got)
		}
		for _, st := range []struct {
			body, want string
		}{
			{`{"settings":{"monthlyTokenBudgetCents":0}}`, "0"},                 // no model at all
			{`{"settings":{"maxDaysAhead":90}}`, "0"},                           // absent: left as it is
			{`{"name":"Alpha Renamed"}`, "0"},                                   // no settings at all
			{`{"settings":{"monthlyTokenBudgetCents":2500}}`, "2500"},           // a cap
			{`{"settings":{"requirePhone":true}}`, "2500"},                      // absent again
			{`{"settings":{"monthlyTokenBudgetCents":100000000}}`, "100000000"}, // the largest
			{`{"settings":{"monthlyTokenBudgetCents":null}}`, "null"},           // null sent: no budget
			{`{"settings":{"monthlyTokenBudgetCents":null}}`, "null"},           // and again
			{`{"settings":{"monthlyTokenBudgetCents":0,"maxDaysAhead":30}}`, "0"},
		} {
			if got := budget(t, patch(t, st.body)); got != st.want {
				t.Fatalf("PATCH %s: budget %s, want %s", st.body, got, st.want)
			}
			if got := stored(t); got != st.want {
				t.Fatalf("PATCH %s: budget stored as %s, want %s", st.body, got, st.want)
			}
		}

		for _, bad := range []string{"-1", "-5000", "100000001", "9223372036854775807", `"10"`, "1.5", "true"} {
			body := `{"settings":{"monthlyTokenBudgetCents":` + bad + `}}`
			e := wantError(t, patch(t, body), http.StatusBadRequest, "validation_failed")
			if len(e.Details) != 1 || e.Details[0].Field != "settings.monthlyTokenBudgetCents" {
				t.Fatalf("PATCH %s: details %+v, want settings.monthlyTokenBudgetCents", body, e.Details)
			}
			// Out of range or not a whole number: the message gives the three choices.
			for _, word := range []string{"null", "no budget", "0", "no model", "cap"} {
				if !strings.Contains(e.Details[0].Message, word) {
					t.Fatalf("PATCH %s: message %q does not say %q", body, e.Details[0].Message, word)
				}
			}
			if got := stored(t); got != "0" {
				t.Fatalf("PATCH %s: the refused budget changed the stored one to %s", body, got)
			}
		}
	})
}
