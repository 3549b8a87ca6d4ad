package dashboard

import (
	"context"
	"fmt"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/frontdeskhq/frontdesk"
	"github.com/frontdeskhq/frontdesk/business"
	"github.com/frontdeskhq/frontdesk/chat"
	"github.com/frontdeskhq/frontdesk/mail"
)

// sections are the forms of the settings page that change settings.
var sections = []*section{rulesSection, refundsSection, remindersSection, budgetSection, accessSection}

// input is one field of a form, ready to show: its label, hint, what is
// in it and its error.
type input struct {
	ID, Label, Hint, Value, Err string
	Type, Mode                  string // the input's type and inputmode
	Min, Max                    string
}

func numberInput(f *form, id, label, hint string, lo, hi int) input {
	return input{ID: id, Label: label, Hint: hint, Value: f.Get(id), Err: f.Err(id), Type: "number", Mode: "numeric",
		Min: strconv.Itoa(lo), Max: strconv.Itoa(hi)}
}

// parseWhole reads a whole number typed in a form; the message says what
// is wrong otherwise.
func parseWhole(s string) (int, string) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, "must not be empty: enter a whole number, like 24"
	}
	if len(s) > 9 {
		return 0, "is too large"
	}
	n, err := strconv.Atoi(s)
	if err != nil {
		return 0, "must be a whole number, like 24"
	}
	return n, ""
}

// whole reads field name as a whole number, or puts the error under key.
func whole(f *form, name, key string) (int, bool) {
	n, msg := parseWhole(f.Get(name))
	if msg != "" {
		if _, dup := f.Errors[key]; !dup {
			f.Errors[key] = msg
		}
		return 0, false
	}
	return n, true
}

func itoa(n int) string { return strconv.Itoa(n) }

func plural(n int, unit string) string {
	if n == 1 {
		return "1 " + unit
	}
	return fmt.Sprintf("%d %ss", n, unit)
}

// durationWords writes minutes as hours and minutes: "1 hour 30 minutes".
func durationWords(minutes int) string {
	if minutes == 0 {
		return "none"
	}
	h, m := minutes/60, minutes%60
	switch {
	case h == 0:
		return plural(m, "minute")
	case m == 0:
		return plural(h, "hour")
	}
	return plural(h, "hour") + " " + plural(m, "minute")
}

func currencyCode(c string) string { return strings.ToUpper(c) }

// ---- Booking rules ----

var rulesSection = &section{Key: "rules", Title: "Booking rules", Saved: "Booking rules saved.",
	values: func(t *frontdesk.Tenant) url.Values {
		st := t.Settings
		v := url.Values{}
		v.Set("notice_hours", itoa(st.MinNoticeMinutes/60))
		v.Set("notice_minutes", itoa(st.MinNoticeMinutes%60))
		v.Set("max_days_ahead", itoa(st.MaxDaysAhead))
		if st.RequirePhone {
			v.Set("require_phone", "on")
		}
		v.Set("reschedule_cutoff", itoa(st.RescheduleCutoffHours))
		v.Set("max_reschedules", itoa(st.MaxReschedules))
		return v
	},
	parse: parseRules,
	summary: func(t *frontdesk.Tenant) []fact {
		st := t.Settings
		phone := "optional"
		if st.RequirePhone {
			phone = "required"
		}
		return []fact{{"Minimum notice", durationWords(st.MinNoticeMinutes)}, {"How far ahead", plural(st.MaxDaysAhead, "day")},
			{"A phone number", phone}, {"The reschedule cutoff", plural(st.RescheduleCutoffHours, "hour") + " before the start"},
			{"Reschedules allowed", itoa(st.MaxReschedules)}}
	},
}

// noticeLimit says the longest notice in the units of the form.
var noticeLimit = fmt.Sprintf("must be from 0 minutes up to %d hours (%d days)", frontdesk.MaxNoticeMinutes/60, frontdesk.MaxNoticeMinutes/60/24)

func parseRules(f *form, _ *frontdesk.Tenant) (business.SettingsPatch, map[string]string, bool) {
	ok := true
	notice := 0
	for _, part := range []struct {
		name string
		mul  int
	}{{"notice_hours", 60}, {"notice_minutes", 1}} {
		s := strings.TrimSpace(f.Get(part.name))
		if s == "" {
			continue // blank is none
		}
		n, good := whole(f, part.name, "notice")
		if good && n < 0 {
			f.Errors["notice"] = "must not be negative"
			good = false
		}
		ok = ok && good
		notice += n * part.mul
	}
	if ok && notice > frontdesk.MaxNoticeMinutes {
		// The domain would refuse it in minutes; say it in the form's units.
		f.Errors["notice"] = noticeLimit
		ok = false
	}
	days, okD := whole(f, "max_days_ahead", "max_days_ahead")
	cutoff, okC := whole(f, "reschedule_cutoff", "reschedule_cutoff")
	maxRes, okM := whole(f, "max_reschedules", "max_reschedules")
	phone := f.Get("require_phone") != ""
	rename := map[string]string{"settings.minNoticeMinutes": "notice", "settings.maxDaysAhead": "max_days_ahead",
		"settings.requirePhone": "require_phone", "settings.rescheduleCutoffHours": "reschedule_cutoff",
		"settings.maxReschedules": "max_reschedules"}
	return business.SettingsPatch{MinNoticeMinutes: &notice, MaxDaysAhead: &days, RequirePhone: &phone,
		RescheduleCutoffHours: &cutoff, MaxReschedules: &maxRes}, rename, ok && okD && okC && okM
}

// rulesView is the booking rules form.
type rulesView struct {
	NoticeHours, NoticeMinutes string
	NoticeErr                  string
	MaxDaysAhead               input
	RequirePhone               bool
	RescheduleCutoff           input
	MaxReschedules             input
}

func newRulesView(f *form) rulesView {
	return rulesView{NoticeHours: f.Get("notice_hours"), NoticeMinutes: f.Get("notice_minutes"), NoticeErr: f.Err("notice"),
		MaxDaysAhead: numberInput(f, "max_days_ahead", "How far ahead customers can book (days)",
			fmt.Sprintf("Nothing later than this many days from today is offered. From 1 to %d.", frontdesk.MaxDaysAheadLimit), 1, frontdesk.MaxDaysAheadLimit),
		RequirePhone: f.Get("require_phone") != "",
		RescheduleCutoff: numberInput(f, "reschedule_cutoff", "Reschedule cutoff (hours before the start)",
			"Customers can't move a booking themselves closer than this to its start. 0 allows it up to the start.", 0, 24*30),
		MaxReschedules: numberInput(f, "max_reschedules", "Reschedules allowed per booking",
			fmt.Sprintf("How many times a customer may move one booking themselves. 0 turns it off. Up to %d.", frontdesk.MaxRescheduleLimit), 0, frontdesk.MaxRescheduleLimit),
	}
}

// ---- Refund policy ----

// maxRows is the most rows a list form is read for.
const maxRows = 20

// listLimit is how many tiers or emails the domain keeps: the page offers
// an empty row to add one while there are fewer.
const listLimit = 10

var refundsSection = &section{Key: "refunds", Title: "Refund policy", Saved: "Refund policy saved.",
	values: func(t *frontdesk.Tenant) url.Values {
		v := url.Values{}
		tiers := sortedTiers(t.Settings.RefundPolicy)
		for i, tr := range tiers {
			v.Set(fmt.Sprintf("tier_hours_%d", i), itoa(tr.HoursBefore))
			v.Set(fmt.Sprintf("tier_percent_%d", i), itoa(tr.Percent))
		}
		if len(tiers) < listLimit {
			n := len(tiers)
			v.Set(fmt.Sprintf("tier_hours_%d", n), "")
			v.Set(fmt.Sprintf("tier_percent_%d", n), "")
			v.Set(fmt.Sprintf("tier_new_%d", n), "1")
		}
		return v
	},
	parse: parseRefunds,
	summary: func(t *frontdesk.Tenant) []fact {
		return []fact{{"The refund policy", refundSentence(t.Settings.RefundPolicy)}}
	},
}

func sortedTiers(tiers []frontdesk.RefundTier) []frontdesk.RefundTier {
	out := slices.Clone(tiers)
	slices.SortStableFunc(out, func(a, b frontdesk.RefundTier) int { return b.HoursBefore - a.HoursBefore })
	return out
}

// refundSentence states a refund policy: "100% back when canceled at least
// 48 hours before; 50% up to the start."
func refundSentence(tiers []frontdesk.RefundTier) string {
	if len(tiers) == 0 {
		return "No refund when a customer cancels."
	}
	sorted := sortedTiers(tiers)
	var parts []string
	for i, tr := range sorted {
		p := fmt.Sprintf("%d%%", min(max(tr.Percent, 0), 100))
		if i == 0 {
			p += " back"
		}
		if tr.HoursBefore <= 0 {
			parts = append(parts, p+" up to the start")
			continue
		}
		parts = append(parts, p+" when canceled at least "+plural(tr.HoursBefore, "hour")+" before")
	}
	if sorted[len(sorted)-1].HoursBefore > 0 {
		parts = append(parts, "nothing after that")
	}
	return strings.Join(parts, "; ") + "."
}

// rowIndexes lists the rows of a list form present in the post, by the
// number in their field names.
func rowIndexes(f *form, prefixes ...string) []int {
	var out []int
	for n := 0; n < maxRows; n++ {
		for _, p := range prefixes {
			if _, ok := f.Values[p+itoa(n)]; ok {
				out = append(out, n)
				break
			}
		}
	}
	return out
}

func parseRefunds(f *form, _ *frontdesk.Tenant) (business.SettingsPatch, map[string]string, bool) {
	tiers := []frontdesk.RefundTier{}
	rename := map[string]string{"settings.refundPolicy": "tiers"}
	ok := true
	for _, n := range rowIndexes(f, "tier_hours_", "tier_percent_") {
		hName, pName := fmt.Sprintf("tier_hours_%d", n), fmt.Sprintf("tier_percent_%d", n)
		hs, ps := strings.TrimSpace(f.Get(hName)), strings.TrimSuffix(strings.TrimSpace(f.Get(pName)), "%")
		if f.Get(fmt.Sprintf("tier_remove_%d", n)) != "" || (hs == "" && ps == "") {
			continue
		}
		h, msgH := parseWhole(hs)
		p, msgP := parseWhole(ps)
		if msgH != "" {
			f.Errors[hName] = msgH
		}
		if msgP != "" {
			f.Errors[pName] = msgP
		}
		if msgH != "" || msgP != "" {
			ok = false
			continue
		}
		i := len(tiers)
		rename[fmt.Sprintf("settings.refundPolicy[%d].hoursBefore", i)] = hName
		rename[fmt.Sprintf("settings.refundPolicy[%d].percent", i)] = pName
		tiers = append(tiers, frontdesk.RefundTier{HoursBefore: h, Percent: p})
	}
	return business.SettingsPatch{RefundPolicy: &tiers}, rename, ok
}

// refundsView is the refund policy form: one row a tier.
type refundsView struct {
	Sentence string // the policy as it is now
	Err      string // about the whole list
	Rows     []tierRow
	CanAdd   bool
}

type tierRow struct {
	N       int  // the number in the fields' names
	Pos     int  // 1, 2, … on the page
	New     bool // the empty row to add a tier
	Hours   input
	Percent input
	Remove  bool
}

func newRefundsView(f *form, t *frontdesk.Tenant) refundsView {
	v := refundsView{Sentence: refundSentence(t.Settings.RefundPolicy), Err: f.Err("tiers")}
	for i, n := range rowIndexes(f, "tier_hours_", "tier_percent_") {
		row := tierRow{N: n, Pos: i + 1, New: f.Get(fmt.Sprintf("tier_new_%d", n)) != "", Remove: f.Get(fmt.Sprintf("tier_remove_%d", n)) != "",
			Hours:   numberInput(f, fmt.Sprintf("tier_hours_%d", n), "Hours before", "", 0, 24*365),
			Percent: numberInput(f, fmt.Sprintf("tier_percent_%d", n), "Refund (%)", "", 0, 100)}
		v.Rows = append(v.Rows, row)
	}
	return v
}

// ---- Reminders ----

var remindersSection = &section{Key: "reminders", Title: "Reminders", Saved: "Reminders saved.",
	values: func(t *frontdesk.Tenant) url.Values {
		return url.Values{"reminder_hours": {itoa(t.Settings.ReminderHoursBefore)}}
	},
	parse: func(f *form, _ *frontdesk.Tenant) (business.SettingsPatch, map[string]string, bool) {
		h, ok := whole(f, "reminder_hours", "reminder_hours")
		return business.SettingsPatch{ReminderHoursBefore: &h}, map[string]string{"settings.reminderHoursBefore": "reminder_hours"}, ok
	},
	summary: func(t *frontdesk.Tenant) []fact {
		return []fact{{"The reminder", reminderWords(t.Settings.ReminderHoursBefore)}}
	},
}

func reminderWords(h int) string {
	if h <= 0 {
		return "off"
	}
	return plural(h, "hour") + " before the start"
}

// ---- Token budget ----

// budgetCurrency is the budget's: the model's costs are estimated in US
// cents, whatever the business charges in.
const budgetCurrency = "usd"

var budgetSection = &section{Key: "budget", Title: "Assistant budget", Saved: "Assistant budget saved.",
	values: func(t *frontdesk.Tenant) url.Values {
		// An empty field is no budget; "0.00" is a budget of 0, no model.
		shown := ""
		if b := t.Settings.MonthlyTokenBudgetCents; b != nil {
			shown = formatAmount(*b, mail.CurrencyDecimals(budgetCurrency))
		}
		return url.Values{"monthly_budget": {shown}}
	},
	parse: func(f *form, t *frontdesk.Tenant) (business.SettingsPatch, map[string]string, bool) {
		rename := map[string]string{"settings.monthlyTokenBudgetCents": "monthly_budget"}
		if strings.TrimSpace(f.Get("monthly_budget")) == "" {
			return business.SettingsPatch{MonthlyTokenBudgetCents: business.SetBudget(nil)}, rename, true
		}
		decimals := mail.CurrencyDecimals(budgetCurrency)
		cents, msg := parseAmount(f.Get("monthly_budget"), decimals)
		if msg == "" && cents > business.MaxMonthlyTokenBudgetCents {
			msg = "must be at most " + formatAmount(business.MaxMonthlyTokenBudgetCents, decimals) + " (leave it empty for no budget)"
		}
		if msg != "" {
			f.Errors["monthly_budget"] = msg
			return business.SettingsPatch{}, rename, false
		}
		return business.SettingsPatch{MonthlyTokenBudgetCents: business.SetBudget(&cents)}, rename, true
	},
	summary: func(t *frontdesk.Tenant) []fact {
		// Read inside a sentence: "The monthly budget is now unset (…)".
		w := "unset"
		if b := t.Settings.MonthlyTokenBudgetCents; b != nil {
			w = strings.ToLower(budgetWords(b)[:1]) + budgetWords(b)[1:]
		}
		return []fact{{"The monthly budget", w}}
	},
}

// budgetWords states a monthly model budget for the owner: no budget, no
// model at all (0), or the amount.
func budgetWords(budget *int64) string {
	switch {
	case budget == nil:
		return "No budget"
	case *budget <= 0:
		return "No model (the guided assistant answers)"
	}
	return mail.FormatMoney(*budget, budgetCurrency)
}

// budgetMonth states the budget for the analytics page: budgetWords, and
// for a cap this calendar month's spend against it (the month of today in
// the business's time zone, as the budget counts it).
func (s *Server) budgetMonth(ctx context.Context, t *frontdesk.Tenant) (string, error) {
	b := t.Settings.MonthlyTokenBudgetCents
	words := budgetWords(b)
	if b == nil || *b <= 0 {
		return words, nil
	}
	month := chat.MonthStart(t, s.now())
	spent, err := s.Store.TokenSpend(ctx, t.ID, month)
	if err != nil {
		return "", err
	}
	return fmt.Sprintf("%s a month: %s spent in %s so far", words, modelCostText(spent), month.Format("January")), nil
}

// modelCostText writes a model cost, counted in millionths of a US cent,
// in dollars: "$1.93", or "less than $0.01" for a cost too small to show.
func modelCostText(microCents int64) string {
	cents := float64(microCents) / 1e6
	if microCents > 0 && cents < 1 {
		return "less than $0.01"
	}
	return "$" + strconv.FormatFloat(cents/100, 'f', 2, 64)
}

// formatAmount writes minor units as a plain decimal amount: 2550 → "25.50".
func formatAmount(minor int64, decimals int) string {
	s := strconv.FormatInt(minor, 10)
	if decimals == 0 {
		return s
	}
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	if len(s) <= decimals {
		s = strings.Repeat("0", decimals-len(s)+1) + s
	}
	out := s[:len(s)-decimals] + "." + s[len(s)-decimals:]
	if neg {
		out = "-" + out
	}
	return out
}

var amountRE = regexp.MustCompile(`^([0-9]{1,9})(?:\.([0-9]+))?$`)

// parseAmount reads a decimal amount typed in a form (25, 25.5, 1,250.00,
// or 25,50 with a decimal comma) as minor units of a currency with this
// many decimals; "" reads as 0 (the budget form reads an empty field as no
// budget before it gets here). The message says what is wrong otherwise.
func parseAmount(s string, decimals int) (int64, string) {
	s = strings.ReplaceAll(strings.TrimSpace(s), " ", "")
	if s == "" {
		return 0, ""
	}
	example := "25.00"
	if decimals == 0 {
		example = "2500"
	}
	if strings.HasPrefix(s, "-") {
		return 0, "must not be negative: leave it empty for no budget, or enter 0 to use no model"
	}
	if !strings.Contains(s, ".") && strings.Count(s, ",") == 1 {
		if i := strings.Index(s, ","); len(s)-i-1 != 3 || decimals == 3 {
			s = strings.Replace(s, ",", ".", 1) // a decimal comma: 25,50
		}
	}
	s = strings.ReplaceAll(s, ",", "")
	m := amountRE.FindStringSubmatch(s)
	if m == nil {
		return 0, "must be an amount like " + example + " (leave it empty for no budget)"
	}
	if len(m[2]) > decimals {
		if decimals == 0 {
			return 0, "must be a whole amount, like " + example + ": this currency has no cents"
		}
		return 0, fmt.Sprintf("must have at most %d decimals, like %s", decimals, example)
	}
	whole, _ := strconv.ParseInt(m[1], 10, 64)
	frac := m[2] + strings.Repeat("0", decimals-len(m[2]))
	f := int64(0)
	if frac != "" {
		f, _ = strconv.ParseInt(frac, 10, 64)
	}
	mul := int64(1)
	for range decimals {
		mul *= 10
	}
	return whole*mul + f, ""
}

func budgetInput(f *form, t *frontdesk.Tenant) input {
	return input{ID: "monthly_budget", Label: "Monthly budget (" + currencyCode(budgetCurrency) + ")", Value: f.Get("monthly_budget"), Err: f.Err("monthly_budget"),
		Type: "text", Mode: "decimal",
		Hint: "The most the assistant's language model may cost in a calendar month, in " + currencyCode(budgetCurrency) +
			". Past it, the guided assistant answers your customers until the month ends. Leave it empty for no budget. " +
			"Enter 0 to use no model at all: the guided assistant answers every message."}
}

// ---- Dashboard access ----

var accessSection = &section{Key: "access", Title: "Dashboard access", Saved: "Dashboard access saved.",
	values: func(t *frontdesk.Tenant) url.Values {
		v := url.Values{}
		for i, e := range t.Settings.DashboardEmails {
			v.Set(fmt.Sprintf("email_%d", i), e)
		}
		if n := len(t.Settings.DashboardEmails); n < listLimit {
			v.Set(fmt.Sprintf("email_%d", n), "")
			v.Set(fmt.Sprintf("email_new_%d", n), "1")
		}
		return v
	},
	parse: func(f *form, _ *frontdesk.Tenant) (business.SettingsPatch, map[string]string, bool) {
		emails := []string{}
		rename := map[string]string{"settings.dashboardEmails": "emails"}
		for _, n := range rowIndexes(f, "email_") {
			name := fmt.Sprintf("email_%d", n)
			e := strings.TrimSpace(f.Get(name))
			if e == "" || f.Get(fmt.Sprintf("email_remove_%d", n)) != "" {
				continue
			}
			rename[fmt.Sprintf("settings.dashboardEmails[%d]", len(emails))] = name
			emails = append(emails, e)
		}
		return business.SettingsPatch{DashboardEmails: &emails}, rename, true
	},
	summary: func(t *frontdesk.Tenant) []fact {
		list := "none"
		if len(t.Settings.DashboardEmails) > 0 {
			list = strings.Join(t.Settings.DashboardEmails, ", ")
		}
		return []fact{{"The other emails allowed to sign in", list}}
	},
}

// accessView is the list of emails that may sign in besides the contact
// email.
type accessView struct {
	Contact string
	Err     string
	Rows    []emailRow
}

type emailRow struct {
	N      int
	Pos    int
	New    bool
	Email  input
	Remove bool
}

func newAccessView(f *form, t *frontdesk.Tenant) accessView {
	v := accessView{Contact: t.ContactEmail, Err: f.Err("emails")}
	for i, n := range rowIndexes(f, "email_") {
		name := fmt.Sprintf("email_%d", n)
		row := emailRow{N: n, Pos: i + 1, New: f.Get(fmt.Sprintf("email_new_%d", n)) != "", Remove: f.Get(fmt.Sprintf("email_remove_%d", n)) != "",
			Email: input{ID: name, Label: fmt.Sprintf("Email %d", i+1), Value: f.Get(name), Err: f.Err(name), Type: "email"}}
		if row.New {
			row.Email.Label = "Add an email"
		}
		v.Rows = append(v.Rows, row)
	}
	return v
}
