package dashboard

import (
	"net/http"
	"strings"
	"time"

	"github.com/frontdeskhq/frontdesk"
	"github.com/frontdeskhq/frontdesk/business"
)

// ---- Sessions ----

// sessionRow is one signed-in browser.
type sessionRow struct {
	ID, Email         string
	Device, UserAgent string
	Created, LastSeen *time.Time
	This              bool // the browser looking at the page
}

func sessionRows(list []*frontdesk.DashboardSession, current string) []sessionRow {
	out := make([]sessionRow, 0, len(list))
	for _, s := range list {
		out = append(out, sessionRow{ID: s.ID, Email: s.Email, Device: describeUA(s.UserAgent), UserAgent: s.UserAgent,
			Created: &s.CreatedAt, LastSeen: &s.LastSeenAt, This: s.ID == current})
	}
	return out
}

// describeUA names a browser and its system from a user agent, roughly:
// "Firefox on Windows". The full string is shown beside it.
func describeUA(ua string) string {
	if strings.TrimSpace(ua) == "" {
		return "Unknown device"
	}
	browser := "A browser"
	for _, b := range []struct{ token, name string }{
		{"Edg/", "Edge"}, {"OPR/", "Opera"}, {"Firefox/", "Firefox"}, {"FxiOS/", "Firefox"}, {"CriOS/", "Chrome"},
		{"Chromium/", "Chromium"}, {"Chrome/", "Chrome"}, {"Safari/", "Safari"},
	} {
		if strings.Contains(ua, b.token) {
			browser = b.name
			break
		}
	}
	for _, o := range []struct{ token, name string }{
		{"iPhone", "iPhone"}, {"iPad", "iPad"}, {"Android", "Android"}, {"CrOS", "ChromeOS"}, {"Windows", "Windows"},
		{"Mac OS X", "macOS"}, {"Macintosh", "macOS"}, {"Linux", "Linux"},
	} {
		if strings.Contains(ua, o.token) {
			return browser + " on " + o.name
		}
	}
	if browser == "A browser" {
		// A program rather than a browser: its own name, e.g. curl.
		if name, _, _ := strings.Cut(ua, "/"); name != "" && len(name) <= 40 {
			return name
		}
	}
	return browser
}

// settingsRevokeSession signs a browser out. Signing out the browser that
// asks ends here too: back to the sign-in page.
func (s *Server) settingsRevokeSession(w http.ResponseWriter, r *http.Request, c *reqCtx) {
	id := r.PathValue("id")
	if err := s.Store.RevokeDashboardSession(r.Context(), c.Tenant.ID, id, s.now()); err != nil {
		s.fail(w, r, c, err)
		return
	}
	if id == c.Session.ID {
		http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: "", Path: Prefix, MaxAge: -1, HttpOnly: true, Secure: s.secure(), SameSite: http.SameSiteLaxMode})
		http.Redirect(w, r, Prefix+"/signin", http.StatusSeeOther)
		return
	}
	s.done(w, r, Prefix+"/settings", "That browser was signed out. It needs a new sign-in link to come back.")
}

// ---- Keys ----

// keyInfo is one of the keys an owner can rotate.
type keyInfo struct {
	Kind    string // as in the route: secret, publishable, calendar
	Name    string // "secret key"
	Confirm string // the question before rotating
	Effect  string // what rotating it does, said before
	CSRF    string // the session's form token, for the button's form
}

var keyList = []keyInfo{
	{Kind: "secret", Name: "secret key",
		Confirm: "Rotate the secret key? Anything using the current key stops working at once.",
		Effect: "Rotating it stops the current secret key at once: your own server, scripts or tools that call the tenant API get " +
			"refused until you give them the new key. The new key is shown once, on the next page."},
	{Kind: "publishable", Name: "publishable key",
		Confirm: "Rotate the publishable key? The widget on your website stops working until you update its tag.",
		Effect: "Rotating it stops the widget on your website at once, until you replace the widget tag on every page of your site " +
			"with the new one from the Website widget page."},
	{Kind: "calendar", Name: "calendar feed address",
		Confirm: "Make a new calendar feed address? Calendars subscribed to the current one stop updating.",
		Effect: "Making a new address stops the current one at once: calendars subscribed to it stop updating " +
			"until you subscribe again with the new address."},
}

func keyByKind(kind string) (keyInfo, bool) {
	for _, k := range keyList {
		if k.Kind == kind {
			return k, true
		}
	}
	return keyInfo{}, false
}

// rotateView is the confirmation step before rotating a key, for browsers
// without JavaScript (which ask with a dialog instead).
type rotateView struct{ Key keyInfo }

// settingsRotateConfirm asks before rotating a key.
func (s *Server) settingsRotateConfirm(w http.ResponseWriter, r *http.Request, c *reqCtx) {
	k, ok := keyByKind(r.PathValue("kind"))
	if !ok {
		s.notFound(w, r, c)
		return
	}
	s.render(w, r, c, http.StatusOK, "settings_rotate", "Rotate the "+k.Name, "settings", rotateView{Key: k})
}

// secretView shows a new secret key, the one time it is ever shown.
type secretView struct{ Key string }

// settingsRotate replaces a key. The new secret key is written into this
// answer only (never a redirect, a cookie or a log) and never stored: a
// reload can't show it again.
func (s *Server) settingsRotate(w http.ResponseWriter, r *http.Request, c *reqCtx) {
	k, ok := keyByKind(r.PathValue("kind"))
	kind, known := business.ParseKeyKind(k.Kind)
	if !ok || !known {
		s.notFound(w, r, c)
		return
	}
	v, err := s.Business.RotateKey(r.Context(), c.Tenant, kind)
	if err != nil {
		s.fail(w, r, c, err)
		return
	}
	s.log().Info("dashboard: key rotated", "tenant", c.Tenant.ID, "key", k.Kind, "session", c.Session.ID)
	switch kind {
	case frontdesk.KeySecret:
		w.Header().Set("Cache-Control", "no-store")
		w.Header().Set("Pragma", "no-cache")
		s.render(w, r, c, http.StatusOK, "settings_secret", "Your new secret key", "settings", secretView{Key: v})
	case frontdesk.KeyPublishable:
		s.done(w, r, Prefix+"/settings", "The publishable key is now "+v+". Update the widget tag on your website now: "+
			"the old tag stopped working. The Website widget page has the new tag.")
	default:
		s.done(w, r, Prefix+"/settings", "The calendar feed has a new address. The old one stopped working: "+
			"subscribe to the new one in your calendar app.")
	}
}
