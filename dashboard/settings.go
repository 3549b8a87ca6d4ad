package dashboard

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strconv"

	"github.com/frontdeskhq/frontdesk"
	"github.com/frontdeskhq/frontdesk/business"
)

// The settings page: booking rules, refund policy, reminders, the
// assistant's budget, who may sign in and the live sessions, the keys and
// the calendar feed. Each section is its own form posting to its own
// route, and each sends business.Service.UpdateProfile a patch of only its
// own settings, as a PATCH /v1/tenant would.

// settingsRoutes lists this group's pages.
func (s *Server) settingsRoutes() []route {
	return []route{
		{"GET " + Prefix + "/settings", s.settingsShow},
		{"POST " + Prefix + "/settings/rules", s.settingsSave(rulesSection)},
		{"POST " + Prefix + "/settings/refunds", s.settingsSave(refundsSection)},
		{"POST " + Prefix + "/settings/reminders", s.settingsSave(remindersSection)},
		{"POST " + Prefix + "/settings/budget", s.settingsSave(budgetSection)},
		{"POST " + Prefix + "/settings/access", s.settingsSave(accessSection)},
		{"POST " + Prefix + "/settings/sessions/{id}/revoke", s.settingsRevokeSession},
		{"GET " + Prefix + "/settings/keys/{kind}/rotate", s.settingsRotateConfirm},
		{"POST " + Prefix + "/settings/keys/{kind}/rotate", s.settingsRotate},
	}
}

// section is one form of the settings page.
type section struct {
	Key   string // its route, its anchor on the page
	Title string
	Saved string // the flash after saving
	// values fills a form with the tenant's current settings.
	values func(t *frontdesk.Tenant) url.Values
	// parse reads the posted form into a patch of this section's settings
	// and says which form field each domain field name belongs to; false
	// (with the errors on f) when the form can't be read.
	parse func(f *form, t *frontdesk.Tenant) (business.SettingsPatch, map[string]string, bool)
	// summary states the section's current settings in words, one fact a
	// setting: what a stale form compares, and what it says changed.
	summary func(t *frontdesk.Tenant) []fact
}

// fact is one setting in words.
type fact struct{ Label, Value string }

// settingsAlert is the one alert at the top of the page after a post that
// didn't save.
type settingsAlert struct {
	Text    string
	Changes []string // what changed meanwhile, for a stale form
	Section string   // the anchor of the form concerned
	Title   string
}

// settingsView is the settings page.
type settingsView struct {
	Version int64
	// Was holds, by section, the current settings in words; each form
	// sends it back, so a stale post can say what changed since.
	Was   map[string]string
	Alert *settingsAlert

	Rules     rulesView
	Refunds   refundsView
	Reminders input
	Budget    input
	Access    accessView
	Sessions  []sessionRow

	PublicKey string
	FeedURL   string
	// The keys' rotate buttons.
	Secret, Publishable, Calendar keyInfo
}

// settingsShow is the settings page.
func (s *Server) settingsShow(w http.ResponseWriter, r *http.Request, c *reqCtx) {
	s.settingsPage(w, r, c, http.StatusOK, nil, nil)
}

// settingsPage renders the page: posted is the section whose form f
// (what was typed, its errors) replaces the current values; the other
// forms show the settings as they are. changes are what a stale form
// found changed.
func (s *Server) settingsPage(w http.ResponseWriter, r *http.Request, c *reqCtx, status int, posted *section, f *form, changes ...string) {
	t := c.Tenant
	sessions, err := s.Store.ListDashboardSessions(r.Context(), t.ID, s.now())
	if err != nil {
		s.fail(w, r, c, err)
		return
	}
	formOf := func(sec *section) *form {
		if posted != nil && sec.Key == posted.Key && f != nil {
			return f
		}
		return newForm(sec.values(t))
	}
	v := settingsView{Version: t.Version, Was: map[string]string{},
		PublicKey: t.PublicKey, FeedURL: s.Business.CalendarFeedURL(t),
		Secret: keyList[0], Publishable: keyList[1], Calendar: keyList[2]}
	for _, k := range []*keyInfo{&v.Secret, &v.Publishable, &v.Calendar} {
		k.CSRF = c.Session.CSRFToken
	}
	for _, sec := range sections {
		v.Was[sec.Key] = summaryJSON(sec.summary(t))
	}
	v.Rules = newRulesView(formOf(rulesSection))
	v.Refunds = newRefundsView(formOf(refundsSection), t)
	v.Reminders = numberInput(formOf(remindersSection), "reminder_hours", "Send the reminder (hours before the start)",
		fmt.Sprintf("0 turns reminders off. Up to %d hours (%d days).", frontdesk.MaxReminderHours, frontdesk.MaxReminderHours/24), 0, frontdesk.MaxReminderHours)
	v.Budget = budgetInput(formOf(budgetSection), t)
	v.Access = newAccessView(formOf(accessSection), t)
	v.Sessions = sessionRows(sessions, c.Session.ID)
	if posted != nil && f != nil && f.Alert != "" {
		v.Alert = &settingsAlert{Text: f.Alert, Changes: changes, Section: posted.Key, Title: posted.Title}
	}
	s.render(w, r, c, status, "settings", "Settings", "settings", v)
}

// settingsSave saves one section's form.
func (s *Server) settingsSave(sec *section) pageFunc {
	return func(w http.ResponseWriter, r *http.Request, c *reqCtx) {
		f := newForm(r.PostForm)
		if changes, stale := staleForm(f, sec, c.Tenant); stale {
			s.settingsStale(w, r, c, sec, changes)
			return
		}
		patch, rename, ok := sec.parse(f, c.Tenant)
		if !ok {
			f.Alert = "Please correct the fields marked below."
			s.settingsPage(w, r, c, http.StatusBadRequest, sec, f)
			return
		}
		if _, err := s.Business.UpdateProfile(r.Context(), c.Tenant, business.ProfilePatch{Settings: &patch}); err != nil {
			if frontdesk.ErrorCode(err) == frontdesk.EInternal {
				s.fail(w, r, c, err)
				return
			}
			failOnForm(f, err, rename)
			s.settingsPage(w, r, c, http.StatusBadRequest, sec, f)
			return
		}
		s.done(w, r, Prefix+"/settings", sec.Saved)
	}
}

// failOnForm records a domain error on f. An error about a setting this
// form doesn't show (a stored value another form owns) goes into the
// alert, so it is never silently dropped.
func failOnForm(f *form, err error, rename map[string]string) {
	f.fail(err, rename)
	var others []string
	known := map[string]bool{}
	for _, name := range rename {
		known[name] = true
	}
	for name, msg := range f.Errors {
		if !known[name] {
			others = append(others, name+" "+msg)
			delete(f.Errors, name)
		}
	}
	for _, o := range others {
		f.Alert += " " + o + "."
	}
}

// staleForm reports whether a form was filled in from settings that have
// changed since: the tenant's Version moved on and this section's settings
// are no longer what the form was loaded with. A change elsewhere (another
// section, the services) doesn't make the form stale. It returns what
// changed, in words.
func staleForm(f *form, sec *section, t *frontdesk.Tenant) ([]string, bool) {
	if v, err := strconv.ParseInt(f.Get("version"), 10, 64); err == nil && v == t.Version {
		return nil, false
	}
	now := sec.summary(t)
	var was []string
	if err := json.Unmarshal([]byte(f.Get("was")), &was); err != nil || len(was) != len(now) {
		return nil, true
	}
	var changes []string
	for i, fc := range now {
		if was[i] != fc.Value {
			changes = append(changes, fmt.Sprintf("%s is now %s (it was %s when you opened the page).", fc.Label, fc.Value, was[i]))
		}
	}
	return changes, len(changes) > 0
}

// settingsStale answers a stale form: nothing saved, the current values
// shown, and what changed.
func (s *Server) settingsStale(w http.ResponseWriter, r *http.Request, c *reqCtx, sec *section, changes []string) {
	f := newForm(sec.values(c.Tenant))
	f.Alert = "Your changes to " + lowerFirst(sec.Title) + " were not saved: these settings were changed meanwhile " +
		"(in another tab, or by someone else). The form now shows the current values; make your change again if it still applies."
	s.settingsPage(w, r, c, http.StatusConflict, sec, f, changes...)
}

func summaryJSON(facts []fact) string {
	vals := make([]string, len(facts))
	for i, f := range facts {
		vals[i] = f.Value
	}
	b, _ := json.Marshal(vals)
	return string(b)
}

func lowerFirst(s string) string {
	if s == "" {
		return s
	}
	return string(s[0]|0x20) + s[1:]
}
