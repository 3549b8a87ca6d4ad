package business_test

import (
	"encoding/json"
	"strconv"
	"strings"
	"testing"

	"github.com/frontdeskhq/frontdesk"
	"github.com/frontdeskhq/frontdesk/business"
	"github.com/frontdeskhq/frontdesk/storetest"
)

// budgetOf returns a tenant's stored budget: "null" or the cents.
func budgetOf(t *testing.T, s *business.Service, id string) string {
	t.Helper()
	tn, err := s.Store.TenantByID(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if b := tn.Settings.MonthlyTokenBudgetCents; b != nil {
		return strconv.FormatInt(*b, 10)
	}
	return "null"
}

// TestBudgetPatchJSON: the patch tells an absent key from null from a
// number, and writes back what it read.
func TestBudgetPatchJSON(t *testing.T) {
	for _, tc := range []struct {
		in, out string
		sent    bool
	}{
		{`{}`, `{}`, false},
		{`{"monthlyTokenBudgetCents":null}`, `{"monthlyTokenBudgetCents":null}`, true},
		{`{"monthlyTokenBudgetCents":0}`, `{"monthlyTokenBudgetCents":0}`, true},
		{`{"monthlyTokenBudgetCents":2500}`, `{"monthlyTokenBudgetCents":2500}`, true},
	} {
		var p business.SettingsPatch
		if err := frontdesk.DecodeJSON(strings.NewReader(tc.in), &p); err != nil {
			t.Fatalf("%s: %v", tc.in, err)
		}
		if p.MonthlyTokenBudgetCents.Sent != tc.sent {
			t.Errorf("%s: Sent = %v, want %v", tc.in, p.MonthlyTokenBudgetCents.Sent, tc.sent)
		}
		out, err := json.Marshal(p)
		if err != nil {
			t.Fatal(err)
		}
		if string(out) != tc.out {
			t.Errorf("%s written back as %s, want %s", tc.in, out, tc.out)
		}
	}
}

// TestBudgetInAFile: a business file sets the budget as the API does: a
// file without the key leaves it, null removes it, 0 is no model; applying
// the same file twice changes nothing; a bad value is refused naming its
// path in the file.
func TestBudgetInAFile(t *testing.T) {
	storetest.EachBackend(t, func(t *testing.T, b storetest.Backend) {
		s := newService(t, b)
		apply := func(t *testing.T, budget string) *business.ApplyResult {
			t.Helper()
			text := "name: Budget Studio\ncontactEmail: owner@budget.test\nsettings:\n  maxDaysAhead: 90\n"
			if budget != "" {
				text += "  monthlyTokenBudgetCents: " + budget + "\n"
			}
			f, err := business.ParseFile([]byte(text))
			if err != nil {
				t.Fatalf("%q: %v", budget, err)
			}
			res, err := s.Apply(ctx, f, business.ApplyOptions{})
			if err != nil {
				t.Fatalf("apply %q: %v", budget, err)
			}
			return res
		}
		res := apply(t, "")
		id := res.TenantID
		if got := budgetOf(t, s, id); got != "null" {
			t.Fatalf("a new business from a file without a budget has %s, want null", got)
		}
		for _, st := range []struct{ typed, want string }{
			{"0", "0"}, {"", "0"}, {"1500", "1500"}, {"", "1500"}, {"null", "null"}, {"~", "null"}, {"0", "0"}, {"", "0"},
		} {
			first := apply(t, st.typed)
			if got := budgetOf(t, s, id); got != st.want {
				t.Fatalf("after a file with %q: budget %s, want %s (changes %v)", st.typed, got, st.want, first.Changes)
			}
			if again := apply(t, st.typed); len(again.Changes) != 0 {
				t.Fatalf("the same file with %q applied twice changed %v", st.typed, again.Changes)
			}
		}

		for _, bad := range []string{"-1", "100000001", "lots"} {
			f, err := business.ParseFile([]byte("name: Budget Studio\nsettings:\n  monthlyTokenBudgetCents: " + bad + "\n"))
			if err == nil {
				_, err = s.Apply(ctx, f, business.ApplyOptions{})
			}
			var fe *frontdesk.Error
			if !frontdesk.IsCode(err, frontdesk.EInvalid) || !asErr(err, &fe) || len(fe.Details) != 1 || fe.Details[0].Field != "settings.monthlyTokenBudgetCents" {
				t.Fatalf("a file with budget %s: %v, want an error naming settings.monthlyTokenBudgetCents", bad, err)
			}
		}
		if got := budgetOf(t, s, id); got != "0" {
			t.Fatalf("a refused file changed the budget to %s", got)
		}
	})
}
