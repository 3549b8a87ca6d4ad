package httpapi_test

import (
	"context"
	"html"
	"mime"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/frontdeskhq/frontdesk"
	"github.com/frontdeskhq/frontdesk/metrics"
	"github.com/frontdeskhq/frontdesk/payments/stripe/stripetest"
	"github.com/frontdeskhq/frontdesk/ratelimit"
)

// scrape reads the metrics m exposes, in Prometheus's text format.
func scrape(t *testing.T, m *metrics.Metrics) string {
	t.Helper()
	rec := httptest.NewRecorder()
	m.Handler().ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/metrics", nil))
	if rec.Code != http.StatusOK {
		t.Fatalf("metrics: status %d", rec.Code)
	}
	return rec.Body.String()
}

// wantMetric checks that the scrape has a sample line starting with series.
func wantMetric(t *testing.T, scraped, series string) {
	t.Helper()
	for _, line := range strings.Split(scraped, "\n") {
		if strings.HasPrefix(line, series) {
			return
		}
	}
	t.Fatalf("no sample %s in the metrics:\n%s", series, grepLines(scraped, "frontdesk_"))
}

func grepLines(s, sub string) string {
	var out []string
	for _, line := range strings.Split(s, "\n") {
		if strings.Contains(line, sub) && !strings.HasPrefix(line, "#") {
			out = append(out, line)
		}
	}
	return strings.Join(out, "\n")
}

// TestEveryPublicEndpointIsLimited gives each public endpoint a budget of
// one request: the second is refused with 429, Retry-After and the
// endpoint's error code, and the refusal is counted by limit name.
func TestEveryPublicEndpointIsLimited(t *testing.T) {
	h := sqliteHarness(t)
	m := metrics.New()
	h.server.Metrics = m
	limiter := func(name string) *ratelimit.Limiter { return ratelimit.New(name, 1, time.Minute, nil, nil) }
	h.server.GreetingLimiter = limiter("greeting")
	h.server.SessionLimiter = limiter("session")
	h.server.ChatLimiter = limiter("chat")
	h.server.ConfirmLimiter = limiter("confirm")
	h.server.FeedbackLimiter = limiter("feedback")
	h.server.EscalationLimiter = limiter("escalation")
	h.restart(t)

	// Valid requests for ids that do not exist: the budget is spent before
	// the tenant's data is read, so the first may be a 404.
	sid := frontdesk.NewID()
	cases := []struct {
		name, method, path string
		body               any
		limit, code        string
	}{
		{"greeting", http.MethodGet, "/v1/public/chat/greeting", nil, "greeting", frontdesk.ERateLimited},
		{"session", http.MethodPost, "/v1/public/chat/session", map[string]any{}, "session", frontdesk.ERateLimited},
		{"message", http.MethodPost, "/v1/public/chat/message", map[string]any{"sessionId": sid, "message": "hi"}, "chat", frontdesk.ERateLimited},
		// /message and /message/stream share the chat budget, spent above.
		{"message stream", http.MethodPost, "/v1/public/chat/message/stream", map[string]any{"sessionId": sid, "message": "hi"}, "chat", frontdesk.ERateLimited},
		{"confirm", http.MethodPost, "/v1/public/chat/confirm/" + frontdesk.NewID(), map[string]any{"sessionId": sid}, "confirm", frontdesk.ERateLimited},
		{"feedback", http.MethodPost, "/v1/public/chat/feedback", map[string]any{"sessionId": sid, "feedbackType": "RATING", "rating": 5}, "feedback", frontdesk.ERateLimited},
		{"escalate", http.MethodPost, "/v1/public/chat/escalate", map[string]any{"sessionId": sid, "reason": "I would like to talk to a person"}, "escalation", frontdesk.EEscalationLimit},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if tc.name != "message stream" {
				if r := h.public(t, h.a, tc.method, tc.path, tc.body); r.Status == http.StatusTooManyRequests || r.Status == http.StatusBadRequest {
					t.Fatalf("first request: %s", r)
				}
			}
			r := h.public(t, h.a, tc.method, tc.path, tc.body)
			e := wantError(t, r, http.StatusTooManyRequests, tc.code)
			if n, err := strconv.Atoi(r.Header.Get("Retry-After")); err != nil || n < 1 || n > 60 {
				t.Fatalf("Retry-After %q, want 1 to 60 seconds", r.Header.Get("Retry-After"))
			}
			if r.Header.Get("RateLimit-Remaining") != "0" || !strings.Contains(e.Message, "wait") {
				t.Fatalf("refusal: %s %v", r, r.Header)
			}
		})
	}
	scraped := scrape(t, m)
	for _, name := range []string{"greeting", "session", "confirm", "feedback", "escalation"} {
		wantMetric(t, scraped, `frontdesk_rate_limited_total{limit="`+name+`"} 1`)
	}
	wantMetric(t, scraped, `frontdesk_rate_limited_total{limit="chat"} 2`)
}

// TestMetricsByRoutePattern: requests are counted by the ServeMux pattern
// that served them, never by their path (which carries ids and tokens).
func TestMetricsByRoutePattern(t *testing.T) {
	h := sqliteHarness(t)
	m := metrics.New()
	h.server.Metrics = m
	h.server.GreetingLimiter = ratelimit.New("greeting", 2, time.Minute, nil, nil)
	h.restart(t)

	for range 3 {
		h.public(t, h.a, http.MethodGet, "/v1/public/chat/greeting", nil)
	}
	proposal := frontdesk.NewID()
	wantError(t, h.public(t, h.a, http.MethodPost, "/v1/public/chat/confirm/"+proposal, map[string]any{"sessionId": frontdesk.NewID()}),
		http.StatusNotFound, frontdesk.ENotFound)
	wantError(t, h.owner(t, h.a, http.MethodGet, "/v1/tenant/bookings/"+frontdesk.NewID(), nil), http.StatusNotFound, frontdesk.ENotFound)
	token := "m_" + frontdesk.NewID()
	h.do(t, http.MethodGet, "/b/"+token, nil)
	h.do(t, http.MethodGet, "/no/such/page", nil)
	h.do(t, "BREW", "/healthz", nil)

	scraped := scrape(t, m)
	for _, series := range []string{
		`frontdesk_http_request_duration_seconds_count{method="GET",route="/v1/public/chat/greeting",status="200"} 2`,
		`frontdesk_http_request_duration_seconds_count{method="GET",route="/v1/public/chat/greeting",status="429"} 1`,
		`frontdesk_http_request_duration_seconds_count{method="POST",route="/v1/public/chat/confirm/{proposalId}",status="404"} 1`,
		`frontdesk_http_request_duration_seconds_count{method="GET",route="/v1/tenant/bookings/{id}",status="404"} 1`,
		`frontdesk_http_request_duration_seconds_count{method="GET",route="/b/{token}",status="404"} 1`,
		`frontdesk_http_request_duration_seconds_count{method="GET",route="other",status="404"} 1`,
		`frontdesk_http_request_duration_seconds_bucket{method="GET",route="/v1/public/chat/greeting",status="200",le="+Inf"} 2`,
		`frontdesk_rate_limited_total{limit="greeting"} 1`,
	} {
		wantMetric(t, scraped, series)
	}
	for _, secret := range []string{proposal, token, "/no/such/page", "BREW"} {
		if strings.Contains(scraped, secret) {
			t.Fatalf("the metrics carry %q:\n%s", secret, grepLines(scraped, "frontdesk_http"))
		}
	}
}

func TestWebhookSignedInTheFuture(t *testing.T) {
	h := sqliteHarness(t)
	c := h.bookWedding(t, h.a, 15, "Ann Lee", "ann@example.com")
	b := h.booking(t, h.a, c.BookingID)
	ev := stripetest.CompletedEvent("evt_future", b.CheckoutSessionID, b.ID, b.TenantID, b.TotalPriceCents, "usd")

	// Signed ten minutes ahead of the server's clock.
	payload, sig := stripetest.SignedPayloadAt(t, webhookSecret, ev, testNow.Add(10*time.Minute))
	wantError(t, h.webhook(t, payload, sig), http.StatusBadRequest, "invalid_signature")
	if got := h.booking(t, h.a, b.ID); got.Status != frontdesk.StatusPending {
		t.Fatalf("a delivery signed in the future changed the booking: %s", got.Status)
	}
	// A little clock drift is fine.
	payload, sig = stripetest.SignedPayloadAt(t, webhookSecret, ev, testNow.Add(time.Minute))
	if r := h.webhook(t, payload, sig); r.Status != http.StatusOK {
		t.Fatalf("delivery signed a minute ahead: %s", r)
	}
	if got := h.booking(t, h.a, b.ID); got.Status != frontdesk.StatusConfirmed {
		t.Fatalf("after the delivery: %s", got.Status)
	}
}

// TestHTMLPageHeaders reads every HTML route the server has: none may be
// sniffed or framed, and each says what goes into a Referer.
func TestHTMLPageHeaders(t *testing.T) {
	h := sqliteHarness(t)
	demo := *h.server // the same server as the harness's, with the demo storefront at /
	demo.Demo, demo.DemoKey = true, h.a.Tenant.PublicKey
	demoSrv := httptest.NewServer(demo.Handler())
	t.Cleanup(demoSrv.Close)
	c := h.bookWedding(t, h.a, 15, "Ann Lee", "ann@example.com")
	managed := h.bookPortraitManaged(t, h.a, time.Date(2026, 12, 14, 14, 0, 0, 0, time.UTC), "")
	status := url.Values{"booking": {c.BookingID}, "code": {c.ConfirmationCode}}.Encode()
	mails, err := h.store.ListEmails(context.Background(), h.a.Tenant.ID)
	if err != nil || len(mails) == 0 {
		t.Fatalf("emails: %v %d", err, len(mails))
	}
	mail := "/dev/mail/" + mails[0].ID

	const sameOrigin, noReferrer = "same-origin", "no-referrer"
	cases := []struct {
		name, path string
		status     int
		referrer   string
	}{
		{"demo storefront", demoSrv.URL + "/", http.StatusOK, sameOrigin},
		{"payment received", "/booking/success?" + status, http.StatusOK, noReferrer},
		{"payment not completed", "/booking/cancel?" + status, http.StatusOK, noReferrer},
		{"unknown booking status", "/booking/success?booking=" + frontdesk.NewID() + "&code=BK-NOPE", http.StatusNotFound, noReferrer},
		{"test checkout", "/checkout/test/" + c.BookingID, http.StatusOK, noReferrer},
		{"dev mailbox", "/dev/mail", http.StatusOK, sameOrigin},
		{"dev mailbox email", mail, http.StatusOK, sameOrigin},
		{"dev mailbox HTML part", mail + "/html", http.StatusOK, sameOrigin},
		{"manage page", managed.Page, http.StatusOK, noReferrer},
		{"unknown manage page", "/b/m_" + frontdesk.NewID(), http.StatusNotFound, noReferrer},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := h.do(t, http.MethodGet, tc.path, nil)
			wantHTML(t, r, tc.status)
			for name, want := range map[string]string{"X-Content-Type-Options": "nosniff", "X-Frame-Options": "DENY", "Referrer-Policy": tc.referrer} {
				if got := r.Header.Get(name); got != want {
					t.Errorf("%s: %q, want %q", name, got, want)
				}
			}
			if csp := r.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "frame-ancestors 'none'") {
				t.Errorf("Content-Security-Policy %q has no frame-ancestors 'none'", csp)
			}
		})
	}
	t.Run("the widget is a script for other sites", func(t *testing.T) {
		r := h.do(t, http.MethodGet, "/widget.js", nil)
		if r.Status != http.StatusOK || r.Header.Get("X-Frame-Options") != "" || r.Header.Get("X-Content-Type-Options") != "nosniff" {
			t.Fatalf("widget.js: %d %v", r.Status, r.Header)
		}
	})
}

// TestTestCheckoutRefusesCrossOriginPosts: another site's page cannot pay
// (or cancel) a booking by posting the test checkout's form.
func TestTestCheckoutRefusesCrossOriginPosts(t *testing.T) {
	h := sqliteHarness(t)
	c := h.bookWedding(t, h.a, 15, "Ann Lee", "ann@example.com")
	for _, tc := range []struct {
		name    string
		headers []string
	}{
		{"cross-site fetch", []string{"Sec-Fetch-Site", "cross-site"}},
		{"same-site other origin", []string{"Sec-Fetch-Site", "same-site"}},
		{"foreign Origin", []string{"Origin", "https://evil.example"}},
	} {
		for _, action := range []string{"pay", "cancel"} {
			t.Run(tc.name+" "+action, func(t *testing.T) {
				wantError(t, h.do(t, http.MethodPost, "/checkout/test/"+c.BookingID+"/"+action, nil, tc.headers...), http.StatusForbidden, frontdesk.EForbidden)
			})
		}
	}
	if got := h.booking(t, h.a, c.BookingID); got.Status != frontdesk.StatusPending {
		t.Fatalf("a cross-origin post changed the booking: %s", got.Status)
	}
	// The page's own button works.
	r := h.do(t, http.MethodPost, "/checkout/test/"+c.BookingID+"/pay", nil, "Sec-Fetch-Site", "same-origin", "Origin", h.srv.URL)
	if r.Status != http.StatusSeeOther {
		t.Fatalf("same-origin pay: %s", r)
	}
	if got := h.booking(t, h.a, c.BookingID); got.Status != frontdesk.StatusConfirmed {
		t.Fatalf("after paying: %s", got.Status)
	}
}

// TestForeignOriginRefusalNamesNoOne: the 403 seen by a page of another
// site does not tell whose widget key it used.
func TestForeignOriginRefusalNamesNoOne(t *testing.T) {
	h := sqliteHarness(t)
	const foreign = "https://copycat.example"
	r := h.do(t, http.MethodGet, "/v1/public/chat/greeting", nil, "X-Tenant-Key", h.a.Tenant.PublicKey, "Origin", foreign)
	e := wantError(t, r, http.StatusForbidden, frontdesk.EForbidden)
	const want = "This website is not allowed to use this booking widget. The business can add it to its allowed origins."
	if e.Message != want {
		t.Fatalf("message %q, want %q", e.Message, want)
	}
	if strings.Contains(string(r.Body), h.a.Tenant.Name) || strings.Contains(string(r.Body), "copycat") {
		t.Fatalf("the refusal names the business or the site: %s", r.Body)
	}
}

func TestAccessLogClientIP(t *testing.T) {
	h := sqliteHarness(t)
	h.server.TrustedProxies = []netip.Prefix{netip.MustParsePrefix("127.0.0.0/8")}
	h.restart(t)
	h.do(t, http.MethodGet, "/healthz", nil, "X-Forwarded-For", "203.0.113.7")
	h.do(t, http.MethodGet, "/readyz", nil)
	logs := h.logs.String()
	for _, want := range []string{"path=/healthz status=200", "client_ip=203.0.113.7", "path=/readyz", "client_ip=127.0.0.1"} {
		if !strings.Contains(logs, want) {
			t.Fatalf("the access log has no %q:\n%s", want, logs)
		}
	}
}

// TestInvalidUTF8 sends bodies with bytes that are not UTF-8 inside a JSON
// string: a 400 that says so, on the public and the tenant API, where
// encoding/json alone would store U+FFFD in their place.
func TestInvalidUTF8(t *testing.T) {
	h := sqliteHarness(t)
	sid := h.newSession(t, h.a)
	pub := []string{"Content-Type", "application/json", "X-Tenant-Key", h.a.Tenant.PublicKey}
	owner := []string{"Content-Type", "application/json", "Authorization", "Bearer " + h.a.SecretKey}
	cases := []struct {
		name, method, path, body string
		headers                  []string
	}{
		{"message", http.MethodPost, "/v1/public/chat/message", `{"sessionId":"` + sid + `","message":"caf` + "\xe9" + `"}`, pub},
		{"message stream", http.MethodPost, "/v1/public/chat/message/stream", `{"sessionId":"` + sid + `","message":"` + "\xff\xfe" + `"}`, pub},
		{"escalate", http.MethodPost, "/v1/public/chat/escalate", `{"sessionId":"` + sid + `","reason":"call me ` + "\xc3\x28" + `"}`, pub},
		{"tenant name", http.MethodPatch, "/v1/tenant", `{"name":"Lumen ` + "\xed\xa0\x80" + `"}`, owner},
		{"package", http.MethodPost, "/v1/tenant/packages", `{"name":"Mini ` + "\x80" + `session","priceCents":1000}`, owner},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			e := wantError(t, h.do(t, tc.method, tc.path, tc.body, tc.headers...), http.StatusBadRequest, frontdesk.EInvalid)
			if !strings.Contains(e.Message, "UTF-8") {
				t.Fatalf("message %q does not name the problem", e.Message)
			}
		})
	}
	if got, err := h.store.TenantByID(context.Background(), h.a.Tenant.ID); err != nil || got.Name != h.a.Tenant.Name {
		t.Fatalf("tenant after the refused patch: %+v %v", got, err)
	}
	// Text that is UTF-8, however far from ASCII, passes.
	r := h.public(t, h.a, http.MethodPost, "/v1/public/chat/message", map[string]string{"sessionId": sid, "message": "Grüße, ça va? 日本語 ☕"})
	if r.Status != http.StatusOK {
		t.Fatalf("UTF-8 message: %s", r)
	}
}

// TestDevMailboxShowsTheWholeEmail: Reply-To shown, the HTML part whole in a
// sandboxed frame, and the .ics downloadable.
func TestDevMailboxShowsTheWholeEmail(t *testing.T) {
	h := sqliteHarness(t)
	h.bookWedding(t, h.a, 15, "Ann Lee", "ann@example.com")
	var mail *frontdesk.OutboxEmail
	all, err := h.store.ListEmails(context.Background(), h.a.Tenant.ID)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range all {
		if len(e.Email.Attachments) > 0 && (mail == nil || e.Email.ReplyTo != "") {
			mail = e
		}
	}
	if mail == nil {
		t.Fatal("no email with an attachment after a booking")
	}
	base := "/dev/mail/" + mail.ID

	parts := []string{`name="viewport"`, `id="to"`, `<iframe sandbox="" srcdoc="`, `href="` + base + `/html"`,
		`href="` + base + `/attachments/0"`, "@media (max-width:40rem)"}
	if mail.Email.ReplyTo != "" {
		parts = append(parts, `id="reply-to"`, html.EscapeString(mail.Email.ReplyTo))
	}
	page := wantHTML(t, h.do(t, http.MethodGet, base, nil), http.StatusOK, parts...)
	if strings.Contains(page, "<script") {
		t.Fatalf("the page has a script:\n%s", page)
	}
	wantHTML(t, h.do(t, http.MethodGet, "/dev/mail", nil), http.StatusOK, `name="viewport"`, `href="`+base+`"`)

	a := mail.Email.Attachments[0]
	r := h.do(t, http.MethodGet, base+"/attachments/0", nil)
	if r.Status != http.StatusOK || string(r.Body) != string(a.Content) {
		t.Fatalf("attachment: %d, %d bytes, want %d", r.Status, len(r.Body), len(a.Content))
	}
	if ct := r.Header.Get("Content-Type"); ct != a.ContentType || !strings.HasPrefix(ct, "text/calendar") {
		t.Fatalf("Content-Type %q, want %q", ct, a.ContentType)
	}
	disp, params, err := mime.ParseMediaType(r.Header.Get("Content-Disposition"))
	if err != nil || disp != "attachment" || params["filename"] != a.Name || !strings.HasSuffix(a.Name, ".ics") {
		t.Fatalf("Content-Disposition %q (%v), want an attachment named %q", r.Header.Get("Content-Disposition"), err, a.Name)
	}
	if r.Header.Get("X-Content-Type-Options") != "nosniff" {
		t.Fatal("attachment without nosniff")
	}
	for _, p := range []string{base + "/attachments/" + strconv.Itoa(len(mail.Email.Attachments)), base + "/attachments/-1",
		base + "/attachments/x", "/dev/mail/" + frontdesk.NewID() + "/attachments/0"} {
		wantError(t, h.do(t, http.MethodGet, p, nil), http.StatusNotFound, frontdesk.ENotFound)
	}
}
