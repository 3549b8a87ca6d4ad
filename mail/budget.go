package mail

import (
	"bytes"
	"errors"
	"fmt"
	htmltemplate "html/template"
	"strings"
	texttemplate "text/template"
	"time"

	"github.com/frontdeskhq/frontdesk"
)

// EmailBudgetAlert is the kind of the email telling the owner how much of
// the month's model budget the assistant has used.
const EmailBudgetAlert = "budget_alert"

// BudgetAlertData is what a budget alert says.
type BudgetAlertData struct {
	Tenant    *frontdesk.Tenant
	PublicURL string
	// Month is the first instant of the month, in the tenant's time zone.
	Month time.Time
	// Percent is the threshold reached: 80 (a warning) or 100 (spent).
	Percent int
	// SpentMicroCents is the month's estimated cost so far, in millionths
	// of a US cent; BudgetCents is the budget in US cents.
	SpentMicroCents, BudgetCents int64
}

type budgetView struct {
	Business, Month, NextMonth, Spent, Budget, SettingsURL string
	Percent                                                int
	Reached                                                bool
}

var budgetHTML = htmltemplate.Must(htmltemplate.New("budget").Parse(`<!doctype html>
<html lang="en"><body style="font-family:system-ui,sans-serif;color:#1d2125;max-width:32rem;margin:0 auto;padding:1rem">
{{if .Reached}}<p>The booking assistant of {{.Business}} has reached its monthly budget for {{.Month}}: an estimated {{.Spent}} of {{.Budget}}.</p>
<p>Until {{.NextMonth}}, or until you raise the budget, visitors are answered by the guided assistant, which uses no AI model. They can still ask about your services and book; they are not told about the budget.</p>
{{else}}<p>The booking assistant of {{.Business}} has used {{.Percent}}% of its monthly budget for {{.Month}}: an estimated {{.Spent}} of {{.Budget}}.</p>
<p>When it reaches the budget, the guided assistant, which uses no AI model, answers visitors until {{.NextMonth}}. Bookings keep working either way.</p>
{{end}}{{if .SettingsURL}}<p><a href="{{.SettingsURL}}" style="display:inline-block;padding:.6rem 1rem;background:#2f5d50;color:#fff;border-radius:6px;text-decoration:none;font-weight:600">Change the budget</a></p>
{{end}}<p style="color:#4f5964;font-size:.9rem">Costs are estimated from the model's published prices, in US dollars.</p>
</body></html>`))

var budgetText = texttemplate.Must(texttemplate.New("budget").Parse(`{{if .Reached}}The booking assistant of {{.Business}} has reached its monthly budget for {{.Month}}: an estimated {{.Spent}} of {{.Budget}}.

Until {{.NextMonth}}, or until you raise the budget, visitors are answered by the guided assistant, which uses no AI model. They can still ask about your services and book; they are not told about the budget.
{{else}}The booking assistant of {{.Business}} has used {{.Percent}}% of its monthly budget for {{.Month}}: an estimated {{.Spent}} of {{.Budget}}.

When it reaches the budget, the guided assistant, which uses no AI model, answers visitors until {{.NextMonth}}. Bookings keep working either way.
{{end}}{{if .SettingsURL}}
Change the budget: {{.SettingsURL}}
{{end}}
Costs are estimated from the model's published prices, in US dollars.
`))

// BudgetAlert is the email to the business's contact address when the
// assistant's estimated model cost reaches a share of the month's budget.
// It fails without a tenant, a contact address or a budget.
func BudgetAlert(from string, d BudgetAlertData) (frontdesk.Email, error) {
	if d.Tenant == nil || d.BudgetCents <= 0 {
		return frontdesk.Email{}, errors.New("mail: a budget alert needs the tenant and its budget")
	}
	to := HeaderSafe(d.Tenant.ContactEmail)
	if to == "" {
		return frontdesk.Email{}, errors.New("mail: the business has no contact email for its budget alert")
	}
	spentCents := (d.SpentMicroCents + 500_000) / 1_000_000
	v := budgetView{Business: HeaderSafe(d.Tenant.Name), Month: d.Month.Format("January 2006"),
		NextMonth: d.Month.AddDate(0, 1, 0).Format("2 January 2006"), Percent: d.Percent, Reached: d.Percent >= 100,
		Spent: FormatMoney(spentCents, "usd"), Budget: FormatMoney(d.BudgetCents, "usd")}
	if base := strings.TrimRight(strings.TrimSpace(d.PublicURL), "/"); base != "" {
		v.SettingsURL = base + "/dashboard/settings"
	}
	var h, x bytes.Buffer
	if err := budgetHTML.Execute(&h, v); err != nil {
		return frontdesk.Email{}, err
	}
	if err := budgetText.Execute(&x, v); err != nil {
		return frontdesk.Email{}, err
	}
	subject := fmt.Sprintf("Your booking assistant has used %d%% of its %s budget", d.Percent, d.Month.Format("January"))
	if v.Reached {
		subject = fmt.Sprintf("Your booking assistant has reached its %s budget", d.Month.Format("January"))
	}
	return frontdesk.Email{From: from, To: to, Subject: subject, HTML: h.String(), Text: x.String()}, nil
}
