package dashboard_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/frontdeskhq/frontdesk"
	"github.com/frontdeskhq/frontdesk/booking"
	"github.com/frontdeskhq/frontdesk/business"
	"github.com/frontdeskhq/frontdesk/dashboard"
	"github.com/frontdeskhq/frontdesk/payments/testmode"
	"github.com/frontdeskhq/frontdesk/sqlstore"
	"github.com/frontdeskhq/frontdesk/storetest"
)

// testNow is Thursday 10 December 2026, 10:00 in New York.
var testNow = time.Date(2026, 12, 10, 15, 0, 0, 0, time.UTC)

// harness is the dashboard on a real store with two tenants, a hand clock
// and the test-mode checkout, served over HTTP.
type harness struct {
	t      *testing.T
	store  *sqlstore.DB
	clock  *storetest.Clock
	srv    *httptest.Server
	dash   *dashboard.Server
	a, b   *storetest.Fixture
	client *http.Client // no cookies, no redirects followed
}

// eachBackend runs fn on a fresh harness per store backend.
func eachBackend(t *testing.T, fn func(t *testing.T, h *harness)) {
	t.Helper()
	storetest.EachBackend(t, func(t *testing.T, b storetest.Backend) { fn(t, newHarness(t, b.Open(t))) })
}

func sqliteHarness(t *testing.T) *harness { return newHarness(t, storetest.OpenSQLite(t)) }

func newHarness(t *testing.T, store *sqlstore.DB) *harness {
	t.Helper()
	hand := storetest.NewClock(testNow)
	clock := frontdesk.ClockFunc(hand.Now)
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	srv := httptest.NewUnstartedServer(nil)
	base := "http://" + srv.Listener.Addr().String()
	bookings := &booking.Service{Store: store, Clock: clock, Payments: &testmode.Payments{PublicURL: base}, Log: log,
		PublicURL: base, MailFrom: "Frontdesk <bookings@frontdesk.test>", CheckoutTTL: time.Hour}
	d := &dashboard.Server{Store: store, Bookings: bookings, Business: &business.Service{Store: store, Clock: clock, PublicURL: base},
		Clock: clock, Log: log, PublicURL: base, MailFrom: "Frontdesk <bookings@frontdesk.test>"}
	srv.Config.Handler = d.Handler()
	srv.Start()
	t.Cleanup(srv.Close)
	return &harness{t: t, store: store, clock: hand, srv: srv, dash: d,
		a:      storetest.NewFixture(t, store, "Lumen Studio", "America/New_York"),
		b:      storetest.NewFixture(t, store, "Other Studio", "Europe/Berlin"),
		client: &http.Client{Timeout: 20 * time.Second, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

// owner is a signed-in browser of one tenant: a cookie jar, and the
// session's form token.
type owner struct {
	h      *harness
	client *http.Client
	csrf   string
}

// signIn signs in to tenant f's dashboard through a one-time link, as an
// owner following the email would.
func (h *harness) signIn(t *testing.T, f *storetest.Fixture) *owner {
	t.Helper()
	link, err := dashboard.NewLoginLink(context.Background(), h.store, h.srv.URL, f.Tenant, f.Tenant.ContactEmail, "", h.clock.Now())
	if err != nil {
		t.Fatal(err)
	}
	o := &owner{h: h, client: newJarClient()}
	if r := o.get(t, link); r.Status != http.StatusOK || !strings.Contains(r.Body, `id="signin"`) {
		t.Fatalf("sign-in link: %d %s", r.Status, r.Body)
	}
	r := o.post(t, link, url.Values{})
	if r.Status != http.StatusSeeOther {
		t.Fatalf("sign-in button: %d %s", r.Status, r.Body)
	}
	home := o.get(t, "/dashboard/")
	m := regexp.MustCompile(`name="csrf" value="([^"]+)"`).FindStringSubmatch(home.Body)
	if home.Status != http.StatusOK || m == nil {
		t.Fatalf("home after sign-in: %d (no form token) %s", home.Status, home.Body)
	}
	o.csrf = m[1]
	return o
}

// newJarClient is a browser: it keeps cookies and does not follow redirects.
func newJarClient() *http.Client {
	jar, _ := cookiejar.New(nil)
	return &http.Client{Jar: jar, Timeout: 20 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

// page is a finished exchange.
type page struct {
	Status   int
	Header   http.Header
	Body     string
	Location string
}

func (o *owner) do(t *testing.T, req *http.Request) page {
	t.Helper()
	res, err := o.client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return page{Status: res.StatusCode, Header: res.Header, Body: string(b), Location: res.Header.Get("Location")}
}

func (o *owner) url(path string) string {
	if strings.HasPrefix(path, "http") {
		return path
	}
	return o.h.srv.URL + path
}

// get loads a page.
func (o *owner) get(t *testing.T, path string) page {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, o.url(path), nil)
	if err != nil {
		t.Fatal(err)
	}
	return o.do(t, req)
}

// post sends a form as the dashboard's own pages do: same origin, with the
// session's token (unless the values set csrf themselves).
func (o *owner) post(t *testing.T, path string, values url.Values) page {
	t.Helper()
	if values == nil {
		values = url.Values{}
	}
	if _, ok := values["csrf"]; !ok {
		values.Set("csrf", o.csrf)
	}
	req, err := http.NewRequest(http.MethodPost, o.url(path), strings.NewReader(values.Encode()))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", o.h.srv.URL)
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	return o.do(t, req)
}

// follow loads the page a redirect points at.
func (o *owner) follow(t *testing.T, p page) page {
	t.Helper()
	if p.Status != http.StatusSeeOther || p.Location == "" {
		t.Fatalf("want a 303 redirect, got %d %s", p.Status, p.Body)
	}
	return o.get(t, p.Location)
}

// wantPage fails unless p has the status and contains every want.
func wantPage(t *testing.T, p page, status int, want ...string) {
	t.Helper()
	if p.Status != status {
		t.Fatalf("status %d, want %d:\n%s", p.Status, status, p.Body)
	}
	for _, w := range want {
		if !strings.Contains(p.Body, w) {
			t.Fatalf("the page lacks %q:\n%s", w, p.Body)
		}
	}
}
