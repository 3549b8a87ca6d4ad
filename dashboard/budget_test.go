package dashboard_test

import (
	"context"
	"net/http"
	"testing"

	"github.com/frontdeskhq/frontdesk/business"
)

// TestBudgetDisplay: the analytics page and the settings form say which of
// the three budgets the business has: none (an empty field), no model at
// all (0) or a cap, with this month's spend against it.
func TestBudgetDisplay(t *testing.T) {
	eachBackend(t, func(t *testing.T, h *harness) {
		ibSeedAnalytics(t, h) // $1.50 spent in December, New York
		o := h.signIn(t, h.a)
		set := func(b business.BudgetPatch) {
			t.Helper()
			if _, err := h.dash.Business.UpdateProfile(context.Background(), tenantNow(t, h, h.a),
				business.ProfilePatch{Settings: &business.SettingsPatch{MonthlyTokenBudgetCents: b}}); err != nil {
				t.Fatal(err)
			}
		}
		field := func(value string) string {
			return `id="monthly_budget" name="monthly_budget" type="text" inputmode="decimal" value="` + value + `"`
		}

		wantPage(t, o.get(t, "/dashboard/analytics"), http.StatusOK, "<dt>Monthly budget</dt><dd>No budget (")
		wantPage(t, o.get(t, "/dashboard/settings"), http.StatusOK, field(""))

		set(business.SetBudget(new(int64(0))))
		wantPage(t, o.get(t, "/dashboard/analytics"), http.StatusOK, "<dt>Monthly budget</dt><dd>No model (the guided assistant answers) (")
		wantPage(t, o.get(t, "/dashboard/settings"), http.StatusOK, field("0.00"))

		set(business.SetBudget(new(int64(2500))))
		wantPage(t, o.get(t, "/dashboard/analytics"), http.StatusOK, "<dt>Monthly budget</dt><dd>$25.00 a month: $1.50 spent in December so far (",
			`<a href="/dashboard/settings#budget">change the budget</a>`)
		wantPage(t, o.get(t, "/dashboard/settings"), http.StatusOK, field("25.00"))

		// A form opened before the budget was removed is stale, and says so.
		v := settingsForm(t, o.get(t, "/dashboard/settings").Body, "/dashboard/settings/budget")
		set(business.SetBudget(nil))
		v.Set("monthly_budget", "10")
		wantPage(t, o.post(t, "/dashboard/settings/budget", v), http.StatusConflict, "The monthly budget is now unset (it was $25.00 when you opened the page).")
		if got := tenantNow(t, h, h.a).Settings.MonthlyTokenBudgetCents; got != nil {
			t.Fatalf("a stale budget was saved: %d", *got)
		}
	})
}
