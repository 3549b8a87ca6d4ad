package dashboard_test

import (
	"context"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/frontdeskhq/frontdesk"
	"github.com/frontdeskhq/frontdesk/browsertest"
	"github.com/frontdeskhq/frontdesk/business"
	"github.com/frontdeskhq/frontdesk/dashboard"
	"github.com/frontdeskhq/frontdesk/storetest"
)

// settingsForm reads the form of the page that posts to action as a
// browser would send it untouched: every input's name and value, checked
// checkboxes only.
func settingsForm(t *testing.T, body, action string) url.Values {
	t.Helper()
	i := strings.Index(body, `action="`+action+`"`)
	if i < 0 {
		t.Fatalf("no form posting to %s:\n%s", action, body)
	}
	j := strings.Index(body[i:], "</form>")
	v := url.Values{}
	attr := func(tag, name string) (string, bool) {
		m := regexp.MustCompile(`\s` + name + `(?:="([^"]*)")?[\s>]`).FindStringSubmatch(tag)
		if m == nil {
			return "", false
		}
		return html.UnescapeString(m[1]), true
	}
	for _, tag := range regexp.MustCompile(`<input[^>]*>`).FindAllString(body[i:i+j], -1) {
		name, _ := attr(tag, "name")
		typ, _ := attr(tag, "type")
		value, _ := attr(tag, "value")
		if typ == "checkbox" {
			if _, checked := attr(tag, "checked"); !checked {
				continue
			}
			value = "on"
		}
		v.Add(name, value)
	}
	return v
}

// tenantNow reads a tenant as stored.
func tenantNow(t *testing.T, h *harness, f *storetest.Fixture) *frontdesk.Tenant {
	t.Helper()
	tn, err := h.store.TenantByID(context.Background(), f.Tenant.ID)
	if err != nil {
		t.Fatal(err)
	}
	return tn
}

// wantFieldError fails unless the input id is marked invalid and followed
// by its error, saying want, and still holds value.
func wantFieldError(t *testing.T, p page, id, value, want string) {
	t.Helper()
	re := regexp.MustCompile(`<input id="` + regexp.QuoteMeta(id) + `"[^>]*value="` + regexp.QuoteMeta(html.EscapeString(value)) +
		`"[^>]*aria-invalid="true" aria-describedby="` + regexp.QuoteMeta(id) + `-error[^"]*">\s*<p class="field-error" id="` +
		regexp.QuoteMeta(id) + `-error">([^<]*)</p>`)
	m := re.FindStringSubmatch(p.Body)
	if m == nil {
		t.Fatalf("no error next to %s (holding %q):\n%s", id, value, p.Body)
	}
	if !strings.Contains(html.UnescapeString(m[1]), want) {
		t.Fatalf("the error of %s says %q, want %q", id, m[1], want)
	}
}

func TestSettingsPage(t *testing.T) {
	eachBackend(t, func(t *testing.T, h *harness) {
		o := h.signIn(t, h.a)
		p := o.get(t, "/dashboard/settings")
		wantPage(t, p, http.StatusOK, "<h1>Settings</h1>", `href="/dashboard/settings" aria-current="page"`,
			"Booking rules", "Refund policy", "Reminders", "Assistant budget", "Dashboard access", "Keys", "Calendar feed",
			"100% back when canceled at least 48 hours before; 50% up to the start.",
			`<code id="publishable-key">`+h.a.Tenant.PublicKey+`</code>`,
			`<code id="feed-url">`+h.dash.Business.CalendarFeedURL(h.a.Tenant)+`</code>`, `data-copy="feed-url"`,
			"Google Calendar:", "Apple Calendar:", "Outlook:",
			`name="version" value="1"`, "This device", h.a.Tenant.ContactEmail,
			`data-confirm="Rotate the secret key?`, `<noscript><p><a class="button button-danger" href="/dashboard/settings/keys/secret/rotate">`)
		// The secret key is never shown, nor its hash; nothing of the other tenant.
		for _, secret := range []string{h.a.SecretKey, h.a.Tenant.SecretKeyHash, h.b.Tenant.PublicKey, h.b.Tenant.CalendarToken} {
			if strings.Contains(p.Body, secret) {
				t.Fatalf("the settings page shows %q", secret)
			}
		}
		// Every input has its label; one h1, then h2s.
		for _, m := range regexp.MustCompile(`<input id="([^"]+)"`).FindAllStringSubmatch(p.Body, -1) {
			if !strings.Contains(p.Body, `<label for="`+m[1]+`"`) && !strings.Contains(p.Body, `for="`+m[1]+`"`) {
				t.Errorf("input %s has no label", m[1])
			}
		}
		ids := map[string]bool{}
		for _, m := range regexp.MustCompile(`\sid="([^"]+)"`).FindAllStringSubmatch(p.Body, -1) {
			if ids[m[1]] {
				t.Errorf("two elements have the id %q", m[1])
			}
			ids[m[1]] = true
		}
		if n := strings.Count(p.Body, "<h1"); n != 1 {
			t.Errorf("%d h1 headings", n)
		}
		// Tenant b sees its own.
		pb := h.signIn(t, h.b).get(t, "/dashboard/settings")
		wantPage(t, pb, http.StatusOK, h.b.Tenant.PublicKey)
		if strings.Contains(pb.Body, h.a.Tenant.PublicKey) || strings.Contains(pb.Body, h.a.Tenant.CalendarToken) {
			t.Fatal("tenant b's settings show tenant a's keys")
		}
	})
}

func TestSettingsRules(t *testing.T) {
	eachBackend(t, func(t *testing.T, h *harness) {
		o := h.signIn(t, h.a)
		page0 := o.get(t, "/dashboard/settings")
		form := func() url.Values { return settingsForm(t, page0.Body, "/dashboard/settings/rules") }

		// Errors: kept, next to their field, nothing changed.
		v := form()
		v.Set("max_days_ahead", "0")
		r := o.post(t, "/dashboard/settings/rules", v)
		wantPage(t, r, http.StatusBadRequest, `<div class="alert settings-alert" role="alert">`, "Please correct the fields marked below.", `href="#rules"`)
		wantFieldError(t, r, "max_days_ahead", "0", "must be a whole number from 1 to 730")

		v = form()
		v.Set("max_reschedules", "lots")
		v.Set("reschedule_cutoff", "12")
		r = o.post(t, "/dashboard/settings/rules", v)
		wantPage(t, r, http.StatusBadRequest, `value="12"`)
		wantFieldError(t, r, "max_reschedules", "lots", "must be a whole number")

		v = form()
		v.Set("notice_hours", "3000")
		r = o.post(t, "/dashboard/settings/rules", v)
		wantPage(t, r, http.StatusBadRequest, `<p class="field-error" id="notice-error">must be from 0 minutes up to 2160 hours (90 days)</p>`,
			`value="3000" aria-invalid="true" aria-describedby="notice-error notice-hint"`)
		if st := tenantNow(t, h, h.a).Settings; st.MaxDaysAhead != 365 || st.MaxReschedules != 2 || st.MinNoticeMinutes != 0 {
			t.Fatalf("a refused form changed the rules: %+v", st)
		}

		// The happy path.
		v = form()
		v.Set("notice_hours", "1")
		v.Set("notice_minutes", "30")
		v.Set("max_days_ahead", "60")
		v.Set("require_phone", "on")
		v.Set("reschedule_cutoff", "12")
		v.Set("max_reschedules", "1")
		r = o.post(t, "/dashboard/settings/rules", v)
		if r.Location != "/dashboard/settings" {
			t.Fatalf("after saving: %d %q", r.Status, r.Location)
		}
		next := o.follow(t, r)
		wantPage(t, next, http.StatusOK, "Booking rules saved.", `id="max_days_ahead" name="max_days_ahead" type="number" inputmode="numeric" min="1" max="730" value="60"`,
			`name="require_phone" type="checkbox" checked`)
		st := tenantNow(t, h, h.a).Settings
		if st.MinNoticeMinutes != 90 || st.MaxDaysAhead != 60 || !st.RequirePhone || st.RescheduleCutoffHours != 12 || st.MaxReschedules != 1 {
			t.Fatalf("rules as stored: %+v", st)
		}
		if len(st.RefundPolicy) != 2 || st.ReminderHoursBefore != 24 {
			t.Fatalf("saving the rules changed other settings: %+v", st)
		}
		// Unticking the box turns it off.
		v = settingsForm(t, next.Body, "/dashboard/settings/rules")
		v.Del("require_phone")
		o.post(t, "/dashboard/settings/rules", v)
		if tenantNow(t, h, h.a).Settings.RequirePhone {
			t.Fatal("the phone is still required")
		}
		if tenantNow(t, h, h.b).Settings.MaxDaysAhead != 365 {
			t.Fatal("tenant b's rules changed")
		}
	})
}

func TestSettingsRefunds(t *testing.T) {
	eachBackend(t, func(t *testing.T, h *harness) {
		o := h.signIn(t, h.a)
		p := o.get(t, "/dashboard/settings")
		// Rows: 0 = 48 h 100 %, 1 = 0 h 50 %, 2 = empty, to add one.
		v := settingsForm(t, p.Body, "/dashboard/settings/refunds")
		if v.Get("tier_hours_0") != "48" || v.Get("tier_percent_1") != "50" || v.Get("tier_new_2") != "1" || !v.Has("tier_hours_2") {
			t.Fatalf("refund rows: %v", v)
		}

		// An error on the second row shown there, even with the first removed.
		bad := settingsForm(t, p.Body, "/dashboard/settings/refunds")
		bad.Set("tier_remove_0", "on")
		bad.Set("tier_percent_1", "150")
		bad.Set("tier_hours_2", "12")
		bad.Set("tier_percent_2", "abc")
		r := o.post(t, "/dashboard/settings/refunds", bad)
		wantPage(t, r, http.StatusBadRequest, "Please correct the fields marked below.", `name="tier_remove_0" type="checkbox" checked`)
		wantFieldError(t, r, "tier_percent_2", "abc", "must be a whole number")
		bad.Set("tier_percent_2", "25")
		r = o.post(t, "/dashboard/settings/refunds", bad)
		wantFieldError(t, r, "tier_percent_1", "150", "must be a whole number from 0 to 100")
		if strings.Contains(r.Body, `id="tier_percent_2-error"`) || strings.Contains(r.Body, `id="tier_percent_0-error"`) {
			t.Fatal("the error shows on the wrong row")
		}
		// The same hours twice.
		dup := settingsForm(t, p.Body, "/dashboard/settings/refunds")
		dup.Set("tier_hours_2", "48")
		dup.Set("tier_percent_2", "10")
		wantFieldError(t, o.post(t, "/dashboard/settings/refunds", dup), "tier_hours_2", "48", "appears twice")
		if got := tenantNow(t, h, h.a).Settings.RefundPolicy; len(got) != 2 || got[0] != (frontdesk.RefundTier{HoursBefore: 48, Percent: 100}) {
			t.Fatalf("a refused form changed the policy: %+v", got)
		}

		// Change one, remove one, add one.
		v.Set("tier_hours_0", "72")
		v.Set("tier_remove_1", "on")
		v.Set("tier_hours_2", "24")
		v.Set("tier_percent_2", "50%")
		next := o.follow(t, o.post(t, "/dashboard/settings/refunds", v))
		wantPage(t, next, http.StatusOK, "Refund policy saved.",
			"100% back when canceled at least 72 hours before; 50% when canceled at least 24 hours before; nothing after that.")
		got := tenantNow(t, h, h.a).Settings.RefundPolicy
		if !slices.Equal(got, []frontdesk.RefundTier{{HoursBefore: 72, Percent: 100}, {HoursBefore: 24, Percent: 50}}) {
			t.Fatalf("policy as stored: %+v", got)
		}
		// Removing every tier: no refunds.
		v = settingsForm(t, next.Body, "/dashboard/settings/refunds")
		v.Set("tier_remove_0", "on")
		v.Set("tier_remove_1", "on")
		wantPage(t, o.follow(t, o.post(t, "/dashboard/settings/refunds", v)), http.StatusOK, "No refund when a customer cancels.")
		if got := tenantNow(t, h, h.a).Settings.RefundPolicy; len(got) != 0 {
			t.Fatalf("policy as stored: %+v", got)
		}
	})
}

func TestSettingsRemindersAndBudget(t *testing.T) {
	eachBackend(t, func(t *testing.T, h *harness) {
		o := h.signIn(t, h.a)
		p := o.get(t, "/dashboard/settings")
		wantPage(t, p, http.StatusOK, `id="reminder_hours" name="reminder_hours" type="number" inputmode="numeric" min="0" max="336" value="24"`,
			`<label for="monthly_budget">Monthly budget (USD)</label>`, `id="monthly_budget" name="monthly_budget" type="text" inputmode="decimal" value=""`,
			"Leave it empty for no budget.", "Enter 0 to use no model at all: the guided assistant answers every message.")

		v := settingsForm(t, p.Body, "/dashboard/settings/reminders")
		v.Set("reminder_hours", "999")
		wantFieldError(t, o.post(t, "/dashboard/settings/reminders", v), "reminder_hours", "999", "from 0 to 336")
		v.Set("reminder_hours", "")
		wantFieldError(t, o.post(t, "/dashboard/settings/reminders", v), "reminder_hours", "", "must not be empty")
		v.Set("reminder_hours", "0")
		wantPage(t, o.follow(t, o.post(t, "/dashboard/settings/reminders", v)), http.StatusOK, "Reminders saved.", `name="reminder_hours" type="number" inputmode="numeric" min="0" max="336" value="0"`)
		if st := tenantNow(t, h, h.a).Settings; st.ReminderHoursBefore != 0 {
			t.Fatalf("reminders as stored: %d", st.ReminderHoursBefore)
		}

		for _, c := range []struct{ typed, want string }{
			{"abc", "must be an amount like 25.00"},
			{"12.345", "at most 2 decimals"},
			{"-5", "must not be negative"},
			{"2000000", "must be at most 1000000.00 (leave it empty for no budget)"},
		} {
			v = settingsForm(t, p.Body, "/dashboard/settings/budget")
			v.Set("monthly_budget", c.typed)
			wantFieldError(t, o.post(t, "/dashboard/settings/budget", v), "monthly_budget", c.typed, c.want)
		}
		if st := tenantNow(t, h, h.a).Settings; st.MonthlyTokenBudgetCents != nil {
			t.Fatalf("a refused budget was stored: %d", *st.MonthlyTokenBudgetCents)
		}
		// Empty is no budget, 0 no model at all, an amount a cap.
		for _, c := range []struct {
			typed string
			cents string // as stored: "nil" or the cents
			shown string
		}{{"25.5", "2550", "25.50"}, {"1,250.00", "125000", "1250.00"}, {"", "nil", ""}, {"7,25", "725", "7.25"}, {"0", "0", "0.00"},
			{"  ", "nil", ""}, {"0.00", "0", "0.00"}, {"1000000", "100000000", "1000000.00"}} {
			v = settingsForm(t, o.get(t, "/dashboard/settings").Body, "/dashboard/settings/budget")
			v.Set("monthly_budget", c.typed)
			next := o.follow(t, o.post(t, "/dashboard/settings/budget", v))
			wantPage(t, next, http.StatusOK, "Assistant budget saved.", `name="monthly_budget" type="text" inputmode="decimal" value="`+c.shown+`"`)
			got := "nil"
			if b := tenantNow(t, h, h.a).Settings.MonthlyTokenBudgetCents; b != nil {
				got = strconv.FormatInt(*b, 10)
			}
			if got != c.cents {
				t.Fatalf("%q stored as %s cents, want %s", c.typed, got, c.cents)
			}
		}
	})
}

func TestSettingsAccess(t *testing.T) {
	eachBackend(t, func(t *testing.T, h *harness) {
		o := h.signIn(t, h.a)
		p := o.get(t, "/dashboard/settings")
		v := settingsForm(t, p.Body, "/dashboard/settings/access")
		v.Set("email_0", "not an email")
		r := o.post(t, "/dashboard/settings/access", v)
		wantFieldError(t, r, "email_0", "not an email", "must be an email address")
		if len(tenantNow(t, h, h.a).Settings.DashboardEmails) != 0 {
			t.Fatal("a bad email was stored")
		}

		v.Set("email_0", " Desk@Lumen.test ")
		next := o.follow(t, o.post(t, "/dashboard/settings/access", v))
		wantPage(t, next, http.StatusOK, "Dashboard access saved.", `value="Desk@Lumen.test"`, `name="email_remove_0"`, `id="email_1"`)
		tn := tenantNow(t, h, h.a)
		if !dashboard.AllowedEmail(tn, "desk@lumen.test") {
			t.Fatalf("the new address may not sign in: %v", tn.Settings.DashboardEmails)
		}
		// A second address with an error on its row keeps the first.
		v = settingsForm(t, next.Body, "/dashboard/settings/access")
		v.Set("email_1", "second@")
		wantFieldError(t, o.post(t, "/dashboard/settings/access", v), "email_1", "second@", "must be an email address")
		// Removing it.
		v = settingsForm(t, next.Body, "/dashboard/settings/access")
		v.Set("email_remove_0", "on")
		o.follow(t, o.post(t, "/dashboard/settings/access", v))
		if got := tenantNow(t, h, h.a).Settings.DashboardEmails; len(got) != 0 {
			t.Fatalf("emails after removing: %v", got)
		}
	})
}

func TestSettingsStaleForm(t *testing.T) {
	eachBackend(t, func(t *testing.T, h *harness) {
		ctx := context.Background()
		o := h.signIn(t, h.a)
		p := o.get(t, "/dashboard/settings")
		rules := settingsForm(t, p.Body, "/dashboard/settings/rules")
		refunds := settingsForm(t, p.Body, "/dashboard/settings/refunds")
		reminders := settingsForm(t, p.Body, "/dashboard/settings/reminders")

		// Someone else changes how far ahead, and the reminders, meanwhile.
		ninety, twelve := 90, 12
		if _, err := h.dash.Business.UpdateProfile(ctx, tenantNow(t, h, h.a), business.ProfilePatch{Settings: &business.SettingsPatch{MaxDaysAhead: &ninety}}); err != nil {
			t.Fatal(err)
		}
		if _, err := h.dash.Business.UpdateProfile(ctx, tenantNow(t, h, h.a), business.ProfilePatch{Settings: &business.SettingsPatch{ReminderHoursBefore: &twelve}}); err != nil {
			t.Fatal(err)
		}
		rules.Set("max_days_ahead", "30")
		r := o.post(t, "/dashboard/settings/rules", rules)
		wantPage(t, r, http.StatusConflict, "were not saved: these settings were changed meanwhile",
			"How far ahead is now 90 days (it was 365 days when you opened the page).", `href="#rules"`,
			`id="max_days_ahead" name="max_days_ahead" type="number" inputmode="numeric" min="1" max="730" value="90"`)
		if got := tenantNow(t, h, h.a).Settings.MaxDaysAhead; got != 90 {
			t.Fatalf("a stale form overwrote the rules: %d", got)
		}
		// The reminder form is stale too.
		reminders.Set("reminder_hours", "48")
		wantPage(t, o.post(t, "/dashboard/settings/reminders", reminders), http.StatusConflict, "The reminder is now 12 hours before the start")
		// Sending the refreshed form again saves it.
		again := settingsForm(t, r.Body, "/dashboard/settings/rules")
		again.Set("max_days_ahead", "30")
		o.follow(t, o.post(t, "/dashboard/settings/rules", again))
		if got := tenantNow(t, h, h.a).Settings.MaxDaysAhead; got != 30 {
			t.Fatalf("the refreshed form wasn't saved: %d", got)
		}

		// A change elsewhere doesn't make the refund form stale.
		refunds.Set("tier_percent_1", "40")
		wantPage(t, o.follow(t, o.post(t, "/dashboard/settings/refunds", refunds)), http.StatusOK, "Refund policy saved.", "40% up to the start")

		// An old version without the settings it was made from: stale.
		v := settingsForm(t, o.get(t, "/dashboard/settings").Body, "/dashboard/settings/budget")
		v.Set("version", "1")
		v.Del("was")
		v.Set("monthly_budget", "10")
		wantPage(t, o.post(t, "/dashboard/settings/budget", v), http.StatusConflict, "changed meanwhile")
		if got := tenantNow(t, h, h.a).Settings.MonthlyTokenBudgetCents; got != nil {
			t.Fatalf("a stale budget was saved: %d", *got)
		}
	})
}

// signInAs signs in to tenant f from a browser with this user agent.
func signInAs(t *testing.T, h *harness, f *storetest.Fixture, ua string) *owner {
	t.Helper()
	link, err := dashboard.NewLoginLink(context.Background(), h.store, h.srv.URL, f.Tenant, f.Tenant.ContactEmail, "", h.clock.Now())
	if err != nil {
		t.Fatal(err)
	}
	o := &owner{h: h, client: newJarClient()}
	req, _ := http.NewRequest(http.MethodPost, link, strings.NewReader(""))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	req.Header.Set("User-Agent", ua)
	if r := o.do(t, req); r.Status != http.StatusSeeOther {
		t.Fatalf("sign-in link: %d", r.Status)
	}
	m := regexp.MustCompile(`name="csrf" value="([^"]+)"`).FindStringSubmatch(o.get(t, "/dashboard/").Body)
	if m == nil {
		t.Fatal("no form token")
	}
	o.csrf = m[1]
	return o
}

// ownSessionID is the session the page marks as this device.
func ownSessionID(t *testing.T, body string) string {
	t.Helper()
	m := regexp.MustCompile(`<tr class="this-device">[\s\S]*?/dashboard/settings/sessions/([^/]+)/revoke`).FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("no session marked as this device:\n%s", body)
	}
	return m[1]
}

func TestSettingsSessions(t *testing.T) {
	eachBackend(t, func(t *testing.T, h *harness) {
		phone := signInAs(t, h, h.a, "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1")
		evil := signInAs(t, h, h.a, "<script>alert(1)</script>")
		o := h.signIn(t, h.a)
		p := o.get(t, "/dashboard/settings")
		wantPage(t, p, http.StatusOK, "Safari on iPhone", "&lt;script&gt;alert(1)&lt;/script&gt;", "Last seen")
		if strings.Contains(p.Body, "<script>alert(1)") {
			t.Fatal("a user agent is not escaped")
		}
		if n := strings.Count(p.Body, "This device</span>"); n != 1 {
			t.Fatalf("%d sessions marked as this device", n)
		}
		mine := ownSessionID(t, p.Body)
		phoneID := ownSessionID(t, phone.get(t, "/dashboard/settings").Body)
		if n := strings.Count(p.Body, "/revoke\""); n != 3 {
			t.Fatalf("%d revoke buttons for 3 sessions", n)
		}

		// Another tenant's owner can't touch them: 404, and the session lives.
		other := h.signIn(t, h.b)
		wantPage(t, other.post(t, "/dashboard/settings/sessions/"+phoneID+"/revoke", nil), http.StatusNotFound, "Not found")
		wantPage(t, phone.get(t, "/dashboard/"), http.StatusOK)
		if strings.Contains(other.get(t, "/dashboard/settings").Body, phoneID) {
			t.Fatal("tenant b sees tenant a's sessions")
		}
		wantPage(t, o.post(t, "/dashboard/settings/sessions/"+frontdesk.NewID()+"/revoke", nil), http.StatusNotFound)

		// Revoking another browser signs it out.
		r := o.post(t, "/dashboard/settings/sessions/"+phoneID+"/revoke", nil)
		wantPage(t, o.follow(t, r), http.StatusOK, "That browser was signed out.")
		if r := phone.get(t, "/dashboard/settings"); r.Status != http.StatusSeeOther || !strings.HasPrefix(r.Location, "/dashboard/signin") {
			t.Fatalf("a revoked session still works: %d %q", r.Status, r.Location)
		}
		if strings.Contains(o.get(t, "/dashboard/settings").Body, phoneID) {
			t.Fatal("a revoked session is still listed")
		}

		// Revoking your own signs you out.
		r = o.post(t, "/dashboard/settings/sessions/"+mine+"/revoke", nil)
		if r.Status != http.StatusSeeOther || r.Location != "/dashboard/signin" || !strings.Contains(r.Header.Get("Set-Cookie"), "Max-Age=0") {
			t.Fatalf("revoking this session: %d %q %q", r.Status, r.Location, r.Header.Get("Set-Cookie"))
		}
		if r := o.get(t, "/dashboard/settings"); r.Status != http.StatusSeeOther {
			t.Fatalf("still signed in after revoking this session: %d", r.Status)
		}
		wantPage(t, evil.get(t, "/dashboard/"), http.StatusOK)
	})
}

func TestSettingsKeys(t *testing.T) {
	eachBackend(t, func(t *testing.T, h *harness) {
		ctx := context.Background()
		o := h.signIn(t, h.a)
		// The confirmation step for browsers without JavaScript.
		c := o.get(t, "/dashboard/settings/keys/secret/rotate")
		wantPage(t, c, http.StatusOK, "<h1>Rotate the secret key?</h1>", `<form method="post" action="/dashboard/settings/keys/secret/rotate"`,
			"Yes, rotate the secret key", `href="/dashboard/settings#keys">Cancel</a>`)
		wantPage(t, o.get(t, "/dashboard/settings/keys/publishable/rotate"), http.StatusOK, "update the widget tag")
		wantPage(t, o.get(t, "/dashboard/settings/keys/nope/rotate"), http.StatusNotFound)
		wantPage(t, o.post(t, "/dashboard/settings/keys/nope/rotate", nil), http.StatusNotFound)
		if got := tenantNow(t, h, h.a).SecretKeyHash; got != h.a.Tenant.SecretKeyHash {
			t.Fatal("looking at the confirmation rotated the key")
		}

		// The secret key: shown once, in the answer itself.
		r := o.post(t, "/dashboard/settings/keys/secret/rotate", url.Values{"csrf": {settingsForm(t, c.Body, "/dashboard/settings/keys/secret/rotate").Get("csrf")}})
		wantPage(t, r, http.StatusOK, "<h1>Your new secret key</h1>", "this is the only time it is shown", "won't be shown again")
		if cc := r.Header.Get("Cache-Control"); cc != "no-store" {
			t.Fatalf("Cache-Control %q", cc)
		}
		if r.Location != "" || strings.Contains(r.Header.Get("Set-Cookie"), "sk_") {
			t.Fatalf("the key left the page: %q %q", r.Location, r.Header.Get("Set-Cookie"))
		}
		m := regexp.MustCompile(`<code id="secret-key">(sk_[0-9a-zA-Z]+)</code>`).FindStringSubmatch(r.Body)
		if m == nil {
			t.Fatalf("no key on the page:\n%s", r.Body)
		}
		key := m[1]
		tn := tenantNow(t, h, h.a)
		if tn.SecretKeyHash != frontdesk.HashSecretKey(key) {
			t.Fatal("the key shown is not the key stored")
		}
		if got, err := h.store.TenantBySecretKeyHash(ctx, frontdesk.HashSecretKey(key)); err != nil || got.ID != h.a.Tenant.ID {
			t.Fatalf("the new key doesn't open the tenant API: %v", err)
		}
		if _, err := h.store.TenantBySecretKeyHash(ctx, frontdesk.HashSecretKey(h.a.SecretKey)); !frontdesk.IsCode(err, frontdesk.ENotFound) {
			t.Fatalf("the old key still works: %v", err)
		}
		if p := o.get(t, "/dashboard/settings"); strings.Contains(p.Body, key) || strings.Contains(p.Body, tn.SecretKeyHash) {
			t.Fatal("the settings page shows the new secret key")
		}
		if tenantNow(t, h, h.b).SecretKeyHash != h.b.Tenant.SecretKeyHash {
			t.Fatal("tenant b's key changed")
		}

		// The publishable key: a redirect, a warning about the widget tag.
		r = o.post(t, "/dashboard/settings/keys/publishable/rotate", nil)
		next := o.follow(t, r)
		tn = tenantNow(t, h, h.a)
		if tn.PublicKey == h.a.Tenant.PublicKey {
			t.Fatal("the publishable key didn't change")
		}
		wantPage(t, next, http.StatusOK, "The publishable key is now "+tn.PublicKey, "Update the widget tag on your website now",
			`<code id="publishable-key">`+tn.PublicKey+`</code>`)

		// The calendar feed: a new address, the old one gone.
		oldFeed := h.dash.Business.CalendarFeedURL(h.a.Tenant)
		next = o.follow(t, o.post(t, "/dashboard/settings/keys/calendar/rotate", nil))
		tn = tenantNow(t, h, h.a)
		wantPage(t, next, http.StatusOK, "The calendar feed has a new address", `<code id="feed-url">`+h.dash.Business.CalendarFeedURL(tn)+`</code>`)
		if tn.CalendarToken == h.a.Tenant.CalendarToken || strings.Contains(next.Body, oldFeed) {
			t.Fatal("the calendar feed address didn't change")
		}
	})
}

// TestSettingsScreenshots looks at the settings pages in Chromium at a
// laptop's and a phone's size, saving screenshots under the artifacts
// directory's dashboard-settings (see browsertest).
func TestSettingsScreenshots(t *testing.T) {
	browsertest.Chromium(t)
	dir := browsertest.ArtifactsDir(t, "dashboard-settings")
	for _, size := range []struct {
		name string
		w, h int
	}{{"1280", 1280, 800}, {"390", 390, 844}} {
		t.Run(size.name, func(t *testing.T) {
			h := sqliteHarness(t)
			signInAs(t, h, h.a, "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1")
			link, err := dashboard.NewLoginLink(context.Background(), h.store, h.srv.URL, h.a.Tenant, h.a.Tenant.ContactEmail, "/dashboard/settings", h.clock.Now())
			if err != nil {
				t.Fatal(err)
			}
			bctx, cancel := context.WithTimeout(browsertest.New(t, size.w, size.h, size.w < 600), 90*time.Second)
			defer cancel()
			shot := func(name string) {
				t.Helper()
				browsertest.Shot(t, bctx, dir, size.name+"-"+name)
			}
			do := func(name string, actions ...chromedp.Action[chromedp.Void]) {
				t.Helper()
				if err := chromedp.Do(bctx, actions...); err != nil {
					shot("failed-" + name)
					t.Fatalf("%s: %v", name, err)
				}
			}
			eval := func(js string) string {
				t.Helper()
				s, err := chromedp.Run(bctx, chromedp.Evaluate[string](js))
				if err != nil {
					t.Fatalf("%s: %v", js, err)
				}
				return s
			}
			// The page fits the screen, every input has a label, headings go in
			// order, one h1 (see browsertest.A11y).
			check := func(name string) {
				t.Helper()
				bad, err := browsertest.A11y(bctx)
				if err != nil {
					t.Fatalf("%s: %v", name, err)
				}
				for _, b := range bad {
					t.Errorf("%s: %s", name, b)
				}
			}
			signInBrowser(t, bctx, link)
			do("sign in", chromedp.WaitVisible(chromedp.CSS("#rules")))
			check("settings")
			shot("1-settings")
			// Each section on its own, to look at closely.
			for _, id := range []string{"rules", "refunds", "reminders", "budget", "access", "keys", "calendar"} {
				browsertest.ShotOf(t, bctx, dir, size.name+"-1-settings-"+id, "#"+id)
			}

			// A refund row in error (the browser's own checks skipped, as an old browser would).
			do("refund error", chromedp.Evaluate[chromedp.Void](`(() => { const f = document.querySelector('form[action="/dashboard/settings/refunds"]');
				f.querySelector('#tier_percent_1').value = '150'; f.querySelector('#tier_hours_2').value = '12';
				f.querySelector('#tier_percent_2').value = '25'; f.submit(); })()`),
				chromedp.WaitVisible(chromedp.CSS("#tier_percent_1-error")))
			check("refund error")
			shot("2-refund-error")
			browsertest.ShotOf(t, bctx, dir, size.name+"-2-refund-error-section", "#refunds")

			// A stale form.
			ninety := 90
			if _, err := h.dash.Business.UpdateProfile(context.Background(), tenantNow(t, h, h.a), business.ProfilePatch{Settings: &business.SettingsPatch{MaxDaysAhead: &ninety}}); err != nil {
				t.Fatal(err)
			}
			do("stale", chromedp.Evaluate[chromedp.Void](`(() => { const f = document.querySelector('form[action="/dashboard/settings/rules"]');
				f.querySelector('#max_days_ahead').value = '30'; f.submit(); })()`),
				chromedp.WaitVisible(chromedp.CSS(".settings-alert")))
			shot("3-stale")

			do("saved", chromedp.Evaluate[chromedp.Void](`document.querySelector('form[action="/dashboard/settings/reminders"]').submit()`),
				chromedp.WaitVisible(chromedp.CSS(".flash")))
			shot("4-saved")

			do("confirm step", chromedp.Navigate(h.srv.URL+"/dashboard/settings/keys/secret/rotate"), chromedp.WaitVisible(chromedp.CSS("h1")))
			check("confirm step")
			shot("5-rotate-confirm")
			do("secret", chromedp.Evaluate[chromedp.Void](`document.querySelector('form[action="/dashboard/settings/keys/secret/rotate"]').submit()`),
				chromedp.WaitVisible(chromedp.CSS("#secret-key")))
			check("secret")
			key := eval(`document.getElementById('secret-key').textContent`)
			if tenantNow(t, h, h.a).SecretKeyHash != frontdesk.HashSecretKey(key) {
				t.Error("the browser's new secret key is not the one stored")
			}
			shot("6-secret-once")
		})
	}
}
