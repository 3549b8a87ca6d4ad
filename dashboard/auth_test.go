package dashboard_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/frontdeskhq/frontdesk/business"
	"github.com/frontdeskhq/frontdesk/dashboard"
	"github.com/frontdeskhq/frontdesk/mail"
	"github.com/frontdeskhq/frontdesk/ratelimit"
)

func TestSignIn(t *testing.T) {
	eachBackend(t, func(t *testing.T, h *harness) {
		anon := &owner{h: h, client: h.client}
		// No session: the sign-in page, coming back to the page asked for.
		r := anon.get(t, "/dashboard/bookings?status=PENDING")
		if r.Status != http.StatusSeeOther || r.Location != "/dashboard/signin?next="+url.QueryEscape("/dashboard/bookings?status=PENDING") {
			t.Fatalf("without a session: %d %q", r.Status, r.Location)
		}
		// The same answer for a known and an unknown address; a link only for the known one.
		known := anon.post(t, "/dashboard/signin", url.Values{"email": {strings.ToUpper(h.a.Tenant.ContactEmail)}, "next": {"/dashboard/bookings"}})
		unknown := anon.post(t, "/dashboard/signin", url.Values{"email": {"stranger@example.com"}})
		strip := func(s string) string {
			return regexp.MustCompile(`(?i)[a-z0-9.@_-]+@[a-z0-9.-]+`).ReplaceAllString(s, "EMAIL")
		}
		if known.Status != http.StatusOK || strip(known.Body) != strip(unknown.Body) {
			t.Fatalf("a known and an unknown address get different pages:\n%s\n---\n%s", known.Body, unknown.Body)
		}
		emails, err := h.store.ListEmails(context.Background(), h.a.Tenant.ID)
		if err != nil {
			t.Fatal(err)
		}
		var link string
		for _, e := range emails {
			if e.Kind == mail.EmailDashboardSignIn {
				link = regexp.MustCompile(`https?://\S+/dashboard/signin/l_[0-9a-f]{64}\S*`).FindString(e.Email.Text)
			}
		}
		if link == "" {
			t.Fatal("no sign-in email for the contact address")
		}
		if n := len(allEmails(t, h, h.b.Tenant.ID)); n != 0 {
			t.Fatalf("another business got %d emails", n)
		}

		o := &owner{h: h, client: newJarClient()}
		// Opening the link (as a mail scanner does) uses nothing up.
		for range 2 {
			wantPage(t, o.get(t, link), http.StatusOK, `id="signin"`)
		}
		r = o.post(t, link, url.Values{})
		if r.Status != http.StatusSeeOther || r.Location != "/dashboard/bookings" {
			t.Fatalf("sign-in link: %d %q", r.Status, r.Location)
		}
		ck := r.Header.Get("Set-Cookie")
		for _, want := range []string{"HttpOnly", "SameSite=Lax", "Path=/dashboard", "Max-Age="} {
			if !strings.Contains(ck, want) {
				t.Errorf("session cookie %q lacks %s", ck, want)
			}
		}
		if strings.Contains(ck, "Secure") {
			t.Errorf("Secure on a plain-http deployment: %q", ck)
		}
		wantPage(t, o.get(t, "/dashboard/"), http.StatusOK, "Lumen Studio", `name="csrf"`)

		// The link works once.
		again := &owner{h: h, client: newJarClient()}
		wantPage(t, again.post(t, link, url.Values{}), http.StatusGone, "expired or was already used")

		// An expired link.
		old, err := dashboard.NewLoginLink(context.Background(), h.store, h.srv.URL, h.a.Tenant, h.a.Tenant.ContactEmail, "", h.clock.Now())
		if err != nil {
			t.Fatal(err)
		}
		h.clock.Advance(dashboard.LoginTTL + time.Second)
		wantPage(t, again.post(t, old, url.Values{}), http.StatusGone, "expired or was already used")
		h.clock.Set(testNow)
	})
}

func allEmails(t *testing.T, h *harness, tenantID string) []string {
	t.Helper()
	es, err := h.store.ListEmails(context.Background(), tenantID)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range es {
		out = append(out, e.Kind)
	}
	return out
}

func TestFormsNeedTheSessionToken(t *testing.T) {
	h := sqliteHarness(t)
	o := h.signIn(t, h.a)
	// No token, a wrong token: refused, still signed in.
	wantPage(t, o.post(t, "/dashboard/signout", url.Values{"csrf": {""}}), http.StatusForbidden, "expired")
	wantPage(t, o.post(t, "/dashboard/signout", url.Values{"csrf": {"nope"}}), http.StatusForbidden, "expired")
	// Another site's form, even with the token: refused.
	req, _ := http.NewRequest(http.MethodPost, o.url("/dashboard/signout"), strings.NewReader(url.Values{"csrf": {o.csrf}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", "https://evil.example")
	req.Header.Set("Sec-Fetch-Site", "cross-site")
	wantPage(t, o.do(t, req), http.StatusForbidden, "another site")
	wantPage(t, o.get(t, "/dashboard/"), http.StatusOK, "Lumen Studio")

	// Signing out ends the session on the server: the old cookie is dead.
	cookies := o.client.Jar.Cookies(mustURL(t, o.url("/dashboard/")))
	r := o.post(t, "/dashboard/signout", nil)
	if r.Status != http.StatusSeeOther || r.Location != "/dashboard/signin" {
		t.Fatalf("sign out: %d %q", r.Status, r.Location)
	}
	replay := &owner{h: h, client: newJarClient()}
	replay.client.Jar.SetCookies(mustURL(t, o.url("/dashboard/")), cookies)
	if r := replay.get(t, "/dashboard/"); r.Status != http.StatusSeeOther {
		t.Fatalf("a signed-out session still works: %d", r.Status)
	}
}

func TestSignInLimit(t *testing.T) {
	h := sqliteHarness(t)
	h.dash.SignInLimiter = ratelimit.New("signin", 5, time.Hour, nil, nil)
	anon := &owner{h: h, client: h.client}
	for i := 0; i < 5; i++ {
		wantPage(t, anon.post(t, "/dashboard/signin", url.Values{"email": {h.a.Tenant.ContactEmail}}), http.StatusOK, "on its way")
	}
	wantPage(t, anon.post(t, "/dashboard/signin", url.Values{"email": {h.a.Tenant.ContactEmail}}), http.StatusTooManyRequests, "Too many sign-in links")
	wantPage(t, anon.post(t, "/dashboard/signin", url.Values{"email": {"not an email"}}), http.StatusBadRequest, "Enter an email address")
}

func TestPagesAreEscapedAndFramingRefused(t *testing.T) {
	h := sqliteHarness(t)
	o := h.signIn(t, h.a)
	r := o.get(t, "/dashboard/")
	for _, hdr := range []string{"X-Frame-Options", "Content-Security-Policy", "X-Content-Type-Options"} {
		if r.Header.Get(hdr) == "" {
			t.Errorf("no %s header", hdr)
		}
	}
	wantPage(t, o.get(t, "/dashboard/no-such-page"), http.StatusNotFound, "does not exist")
}

func mustURL(t *testing.T, s string) *url.URL {
	t.Helper()
	u, err := url.Parse(s)
	if err != nil {
		t.Fatal(err)
	}
	return u
}

// TestSignInLinkCrossSiteAndAccess: another site can't post a link's
// button (no sign-in CSRF), a look-alike address gets nothing, and an
// address removed from the business's access loses its session.
func TestSignInLinkCrossSiteAndAccess(t *testing.T) {
	h := sqliteHarness(t)
	link, err := dashboard.NewLoginLink(context.Background(), h.store, h.srv.URL, h.a.Tenant, h.a.Tenant.ContactEmail, "", h.clock.Now())
	if err != nil {
		t.Fatal(err)
	}
	o := &owner{h: h, client: newJarClient()}
	req, _ := http.NewRequest(http.MethodPost, link, strings.NewReader(""))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", "https://evil.example")
	req.Header.Set("Sec-Fetch-Site", "cross-site")
	wantPage(t, o.do(t, req), http.StatusForbidden, "another site")
	// The link still works from the page itself.
	if r := o.post(t, link, url.Values{}); r.Status != http.StatusSeeOther {
		t.Fatalf("the link was used up by the refused post: %d", r.Status)
	}

	// A look-alike address (Kelvin sign for k) is not the owner's.
	anon := &owner{h: h, client: h.client}
	lookalike := strings.Replace(h.a.Tenant.ContactEmail, "l", "\u212a", 1)
	anon.post(t, "/dashboard/signin", url.Values{"email": {lookalike}})
	for _, kind := range allEmails(t, h, h.a.Tenant.ID) {
		if kind == mail.EmailDashboardSignIn {
			t.Fatal("a look-alike address got a sign-in link")
		}
	}

	// Remove a staff address: its session ends.
	staff := "staff@lumen-studio.test"
	biz := h.dash.Business
	tn, _ := h.store.TenantByID(context.Background(), h.a.Tenant.ID)
	emails := []string{staff}
	if _, err := biz.UpdateProfile(context.Background(), tn, business.ProfilePatch{Settings: &business.SettingsPatch{DashboardEmails: &emails}}); err != nil {
		t.Fatal(err)
	}
	tn, _ = h.store.TenantByID(context.Background(), h.a.Tenant.ID)
	staffLink, err := dashboard.NewLoginLink(context.Background(), h.store, h.srv.URL, tn, staff, "", h.clock.Now())
	if err != nil {
		t.Fatal(err)
	}
	s := &owner{h: h, client: newJarClient()}
	s.post(t, staffLink, url.Values{})
	wantPage(t, s.get(t, "/dashboard/"), http.StatusOK)
	none := []string{}
	if _, err := biz.UpdateProfile(context.Background(), tn, business.ProfilePatch{Settings: &business.SettingsPatch{DashboardEmails: &none}}); err != nil {
		t.Fatal(err)
	}
	if r := s.get(t, "/dashboard/"); r.Status != http.StatusSeeOther {
		t.Fatalf("a removed address is still signed in: %d", r.Status)
	}
}
