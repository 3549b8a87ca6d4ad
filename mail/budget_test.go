package mail_test

import (
	"strings"
	"testing"
	"time"

	"github.com/frontdeskhq/frontdesk"
	"github.com/frontdeskhq/frontdesk/mail"
)

func TestBudgetAlert(t *testing.T) {
	ny, err := time.LoadLocation("America/New_York")
	if err != nil {
		t.Fatal(err)
	}
	tenant := &frontdesk.Tenant{Name: "Alpha <Studio>", ContactEmail: "owner@alpha.test", Currency: "eur"}
	month := time.Date(2026, 12, 1, 0, 0, 0, 0, ny)
	for _, tc := range []struct {
		name    string
		percent int
		spent   int64 // micro-cents
		subject string
		want    []string
		not     []string
	}{
		{"warning", 80, 4_004_000_000, "Your booking assistant has used 80% of its December budget",
			[]string{"used 80% of its monthly budget for December 2026", "an estimated $40.04 of $50.00", "until 1 January 2027",
				"http://test/dashboard/settings"},
			[]string{"has reached"}},
		{"reached", 100, 5_012_345_678, "Your booking assistant has reached its December budget",
			[]string{"reached its monthly budget for December 2026", "an estimated $50.12 of $50.00", "Until 1 January 2027",
				"guided assistant", "not told about the budget", "http://test/dashboard/settings"},
			[]string{"80%"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e, err := mail.BudgetAlert("Frontdesk <bookings@frontdesk.test>", mail.BudgetAlertData{Tenant: tenant,
				PublicURL: "http://test/", Month: month, Percent: tc.percent, SpentMicroCents: tc.spent, BudgetCents: 5000})
			if err != nil {
				t.Fatal(err)
			}
			if e.To != "owner@alpha.test" || e.Subject != tc.subject || e.From == "" {
				t.Fatalf("to %q subject %q from %q", e.To, e.Subject, e.From)
			}
			for _, body := range []string{e.Text, e.HTML} {
				for _, w := range tc.want {
					if !strings.Contains(body, w) {
						t.Errorf("body does not contain %q:\n%s", w, body)
					}
				}
				for _, n := range tc.not {
					if strings.Contains(body, n) {
						t.Errorf("body contains %q:\n%s", n, body)
					}
				}
			}
			if !strings.Contains(e.HTML, "Alpha &lt;Studio&gt;") || !strings.Contains(e.Text, "Alpha <Studio>") {
				t.Errorf("the business name is not escaped in HTML and plain in text:\n%s\n%s", e.HTML, e.Text)
			}
		})
	}
}

func TestBudgetAlertNeedsAddressAndBudget(t *testing.T) {
	month := time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
	for name, d := range map[string]mail.BudgetAlertData{
		"no tenant":        {Month: month, Percent: 80, BudgetCents: 100},
		"no contact email": {Tenant: &frontdesk.Tenant{Name: "A"}, Month: month, Percent: 80, BudgetCents: 100},
		"no budget":        {Tenant: &frontdesk.Tenant{Name: "A", ContactEmail: "a@a.test"}, Month: month, Percent: 80},
	} {
		if _, err := mail.BudgetAlert("f@f.test", d); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
}
