package web

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/frontdeskhq/frontdesk/browsertest"
)

func serve(t *testing.T, h http.Handler, method, target string, header http.Header) *http.Response {
	t.Helper()
	req := httptest.NewRequest(method, target, nil)
	for k, v := range header {
		req.Header[k] = v
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec.Result()
}

func body(t *testing.T, res *http.Response) string {
	t.Helper()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatalf("read body: %v", err)
	}
	return string(b)
}

func TestWidgetHandlerServesScriptWithCachingHeaders(t *testing.T) {
	h := WidgetHandler()
	res := serve(t, h, http.MethodGet, "/widget.js", nil)
	if res.StatusCode != http.StatusOK {
		t.Fatalf("status = %d, want 200", res.StatusCode)
	}
	if got, want := res.Header.Get("Content-Type"), "text/javascript; charset=utf-8"; got != want {
		t.Errorf("Content-Type = %q, want %q", got, want)
	}
	if got, want := res.Header.Get("Cache-Control"), "public, max-age=300"; got != want {
		t.Errorf("Cache-Control = %q, want %q", got, want)
	}
	etag := res.Header.Get("ETag")
	if !regexp.MustCompile(`^"[0-9a-f]{32}"$`).MatchString(etag) {
		t.Errorf("ETag = %q, want a quoted content hash", etag)
	}
	if got := body(t, res); got != string(widgetJS) || len(got) == 0 {
		t.Errorf("body is not the embedded widget (%d bytes, want %d)", len(got), len(widgetJS))
	}
	if got := res.Header.Get("X-Content-Type-Options"); got != "nosniff" {
		t.Errorf("X-Content-Type-Options = %q, want nosniff", got)
	}

	// The ETag follows the content: the same content, the same tag.
	if again := serve(t, h, http.MethodGet, "/widget.js", nil).Header.Get("ETag"); again != etag {
		t.Errorf("ETag changed between requests: %q then %q", etag, again)
	}

	tests := []struct {
		name        string
		ifNoneMatch string
		want        int
	}{
		{"matching tag", etag, http.StatusNotModified},
		{"weak form of the tag", "W/" + etag, http.StatusNotModified},
		{"tag in a list", `"deadbeef", ` + etag, http.StatusNotModified},
		{"any", "*", http.StatusNotModified},
		{"stale tag", `"0123456789abcdef0123456789abcdef"`, http.StatusOK},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			res := serve(t, h, http.MethodGet, "/widget.js", http.Header{"If-None-Match": {tc.ifNoneMatch}})
			if res.StatusCode != tc.want {
				t.Fatalf("status = %d, want %d", res.StatusCode, tc.want)
			}
			b := body(t, res)
			if tc.want == http.StatusNotModified {
				if b != "" {
					t.Errorf("304 carried a body of %d bytes", len(b))
				}
				if got := res.Header.Get("ETag"); got != etag {
					t.Errorf("304 ETag = %q, want %q", got, etag)
				}
			} else if b != string(widgetJS) {
				t.Errorf("200 body is not the widget")
			}
		})
	}
}

func TestWidgetHandlerMethods(t *testing.T) {
	h := WidgetHandler()
	res := serve(t, h, http.MethodHead, "/widget.js", nil)
	if res.StatusCode != http.StatusOK || body(t, res) != "" {
		t.Errorf("HEAD: status %d, want 200 with no body", res.StatusCode)
	}
	if got := res.Header.Get("Content-Type"); got != "text/javascript; charset=utf-8" {
		t.Errorf("HEAD Content-Type = %q", got)
	}
	res = serve(t, h, http.MethodPost, "/widget.js", nil)
	if res.StatusCode != http.StatusMethodNotAllowed {
		t.Errorf("POST: status %d, want 405", res.StatusCode)
	}
	if got := res.Header.Get("Allow"); got != "GET, HEAD" {
		t.Errorf("POST: Allow = %q", got)
	}
}

func TestStorefrontEmbedsWidgetAndEscapes(t *testing.T) {
	const hostile = `Lumen <script>alert("pwned")</script> & "Co" '`
	const key = "pk_test_0123456789abcdef"
	h := StorefrontHandler(hostile, "Light & shade <b>bold</b>", key)
	res := serve(t, h, http.MethodGet, "/", nil)
	if res.StatusCode != http.StatusOK {
		t.Fatalf("status = %d, want 200", res.StatusCode)
	}
	if got, want := res.Header.Get("Content-Type"), "text/html; charset=utf-8"; got != want {
		t.Errorf("Content-Type = %q, want %q", got, want)
	}
	if csp := res.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "script-src 'self'") {
		t.Errorf("Content-Security-Policy = %q, want scripts limited to 'self'", csp)
	}
	page := body(t, res)

	for _, bad := range []string{`<script>alert`, `<b>bold</b>`, `"Co"`} {
		if strings.Contains(page, bad) {
			t.Errorf("page contains unescaped %q", bad)
		}
	}
	for _, want := range []string{
		`Lumen &lt;script&gt;alert(&#34;pwned&#34;)&lt;/script&gt; &amp; &#34;Co&#34; &#39;`,
		`Light &amp; shade &lt;b&gt;bold&lt;/b&gt;`,
		`<script src="/widget.js" data-tenant-key="` + key + `" async></script>`,
		`<a href="/dev/mail">Dev mailbox</a>`,
	} {
		if !strings.Contains(page, want) {
			t.Errorf("page lacks %q", want)
		}
	}
	// Exactly one script element: the widget.
	if n := strings.Count(page, "<script"); n != 1 {
		t.Errorf("page has %d <script elements, want 1", n)
	}
}

func TestStorefrontEscapesHostileKey(t *testing.T) {
	h := StorefrontHandler("Lumen Photo Studio", "", `pk_"><script>alert(1)</script>`)
	page := body(t, serve(t, h, http.MethodGet, "/", nil))
	if strings.Contains(page, `"><script>alert(1)`) {
		t.Fatal("a hostile key broke out of the data-tenant-key attribute")
	}
	if !strings.Contains(page, `data-tenant-key="pk_&#34;&gt;&lt;script&gt;alert(1)&lt;/script&gt;"`) {
		t.Error("the key is not in the attribute, escaped")
	}
	if !strings.Contains(page, "<title>Lumen Photo Studio</title>") || !strings.Contains(page, defaultDescription) {
		t.Error("the page lacks the business name or the default description")
	}
}

func TestStorefrontRoutes(t *testing.T) {
	h := StorefrontHandler("Lumen Photo Studio", "Portraits.", "pk_x")
	tests := []struct {
		method, path string
		want         int
	}{
		{http.MethodGet, "/", http.StatusOK},
		{http.MethodHead, "/", http.StatusOK},
		{http.MethodGet, "/nope", http.StatusNotFound},
		{http.MethodPost, "/", http.StatusMethodNotAllowed},
	}
	for _, tc := range tests {
		t.Run(tc.method+" "+tc.path, func(t *testing.T) {
			res := serve(t, h, tc.method, tc.path, nil)
			if res.StatusCode != tc.want {
				t.Errorf("status = %d, want %d", res.StatusCode, tc.want)
			}
			if tc.method == http.MethodHead && body(t, res) != "" {
				t.Error("HEAD carried a body")
			}
		})
	}
}

// The widget must never parse server data as HTML. The simplest guarantee
// is that it uses no HTML-parsing sink at all.
func TestWidgetSourceHasNoHTMLSinks(t *testing.T) {
	src := string(widgetJS)
	for _, sink := range []string{
		"innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "createContextualFragment",
		"DOMParser", "srcdoc", "eval(", "new Function", "setHTML", "parseHTMLUnsafe",
	} {
		if strings.Contains(src, sink) {
			t.Errorf("widget.js uses %q; render server text with textContent", sink)
		}
	}
	// The rating stars are built in a loop; their selectors fd-rate-1..5
	// come from this expression.
	if !strings.Contains(src, `'data-testid': 'fd-rate-' + n`) {
		t.Error("widget.js lacks the fd-rate-1..fd-rate-5 star buttons")
	}
	// Links from the server (checkoutUrl) are checked for http(s) before use.
	if !strings.Contains(src, "url.protocol === 'https:' || url.protocol === 'http:'") {
		t.Error("widget.js no longer checks the scheme of server-supplied URLs")
	}
}

func TestWidgetSourceHasTestSelectors(t *testing.T) {
	src := string(widgetJS)
	for _, id := range []string{
		"fd-launcher", "fd-input", "fd-send", "fd-messages", "fd-suggestion", "fd-confirm",
		"fd-cancel", "fd-code", "fd-pay", "fd-error", "fd-typing",
		"fd-thumb-up", "fd-thumb-down", "fd-rate-open", "fd-rate-send", "fd-rate-comment",
		"fd-human", "fd-human-reason", "fd-human-email", "fd-human-phone", "fd-human-send", "fd-human-error",
	} {
		if !strings.Contains(src, `'data-testid': '`+id+`'`) {
			t.Errorf("widget.js lacks data-testid %q", id)
		}
	}
	for _, want := range []string{
		`'fd-msg ' + (role === 'user' ? 'fd-user' : 'fd-assistant')`, // message classes
		`id: 'frontdesk-widget'`,                                     // the shadow host
		`attachShadow({ mode: 'open' })`,                             // styles stay inside
		`role: 'dialog'`,
		`'aria-live': 'polite'`,
		`document.currentScript`,
		`querySelector('script[data-tenant-key]')`,
		`localStorage`,
		`'Retry-After'`,
		`You're sending messages quickly. Please wait `,
		`@media (max-width: 480px)`,
		`'Escape'`,
		`'aria-pressed'`,
		`'/feedback'`,
		`feedbackType: 'RATING'`,
		`'/escalate'`,
		`You've asked for a person a few times already. Please wait `,
	} {
		if !strings.Contains(src, want) {
			t.Errorf("widget.js lacks %q", want)
		}
	}
}

func TestWidgetSyntax(t *testing.T) {
	node, err := exec.LookPath("node")
	if err != nil {
		t.Skip("node not installed; skipping the syntax check of widget.js")
	}
	dir := t.TempDir()
	path := dir + "/widget.js"
	if err := os.WriteFile(path, widgetJS, 0o600); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	var out bytes.Buffer
	cmd := exec.CommandContext(ctx, node, "--check", path)
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Run(); err != nil {
		t.Fatalf("node --check widget.js: %v\n%s", err, out.String())
	}
}

// fakeChat is the public chat API as the widget sees it, for one booking:
// a session, one answer with a proposal, and the confirm result with its
// links. The conversation keeps the confirmation, as the server's does.
type fakeChat struct {
	mu       sync.Mutex
	messages []map[string]string
	origin   string
}

func (f *fakeChat) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	defer f.mu.Unlock()
	w.Header().Set("Content-Type", "application/json")
	send := func(v any) { _ = json.NewEncoder(w).Encode(v) }
	switch r.URL.Path {
	case "/v1/public/chat/greeting":
		send(map[string]string{"greeting": "Hi!", "businessName": "Lumen Studio"})
	case "/v1/public/chat/session":
		send(map[string]any{"sessionId": "s0000000000000000000000000000001", "greeting": "Hi! How can I help?", "messages": f.messages})
	case "/v1/public/chat/message":
		f.messages = append(f.messages, map[string]string{"id": "m1", "role": "user", "content": "book it"},
			map[string]string{"id": "m2", "role": "assistant", "content": "Please confirm below."})
		send(map[string]any{"sessionId": "s0000000000000000000000000000001", "messageId": "m2", "message": "Please confirm below.",
			"proposal": map[string]any{"proposalId": "p1", "operation": "create_booking", "requiresApproval": true,
				"preview":   "Portrait Session on Monday 14 December 2026, 9:00 AM–10:00 AM EST for Cy Doe <cy@example.com>, $250.00",
				"expiresAt": time.Now().Add(30 * time.Minute).UTC().Format(time.RFC3339)}})
	case "/v1/public/chat/confirm/p1":
		msg := "You're booked! Your confirmation code is BK-ABC234. Please complete payment to secure your booking."
		f.messages = append(f.messages, map[string]string{"id": "m3", "role": "assistant", "content": msg})
		send(map[string]any{"success": true, "action": "booked", "bookingId": "b1", "confirmationCode": "BK-ABC234", "status": "PENDING",
			"checkoutUrl": f.origin + "/checkout/test/b1", "manageUrl": f.origin + "/b/m_" + strings.Repeat("ab", 32),
			"customerToken": "ct_x", "message": msg})
	default:
		http.NotFound(w, r)
	}
}

// TestWidgetKeepsBookedCard books in a real browser against a fake chat
// API and checks the booked card's links, that it names the zones of the
// times it shows, and that it comes back after a reload.
func TestWidgetKeepsBookedCard(t *testing.T) {
	browsertest.Chromium(t)
	api := &fakeChat{}
	mux := http.NewServeMux()
	mux.Handle("/widget.js", WidgetHandler())
	mux.Handle("/v1/public/chat/", api)
	mux.HandleFunc("/{$}", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprint(w, `<!doctype html><html lang="en"><title>Shop</title><body><script src="/widget.js" data-tenant-key="pk_test_keep"></script></body></html>`)
	})
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close) // after the browser's cleanup
	api.origin = srv.URL

	bctx, cancel := context.WithTimeout(browsertest.New(t, 800, 600, false), 60*time.Second)
	defer cancel()

	const q = `document.getElementById('frontdesk-widget').shadowRoot.querySelector`
	const qa = `document.getElementById('frontdesk-widget').shadowRoot.querySelectorAll`
	poll := func(js string) chromedp.Action[chromedp.Void] {
		return chromedp.Poll[chromedp.Void](js, chromedp.WithPollingTimeout(10*time.Second), chromedp.WithPollingInterval(50*time.Millisecond))
	}
	eval := func(js string) string {
		t.Helper()
		s, err := chromedp.Run(bctx, chromedp.Evaluate[string](js))
		if err != nil {
			t.Fatalf("%s: %v", js, err)
		}
		return s
	}
	do := func(name string, actions ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		if err := chromedp.Do(bctx, actions...); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
	}
	do("open", chromedp.Navigate(srv.URL+"/"), poll(`!!document.getElementById('frontdesk-widget')`),
		chromedp.Evaluate[chromedp.Void](q+`('[data-testid=fd-launcher]').click()`),
		poll(qa+`('.fd-msg.fd-assistant').length > 0`),
		chromedp.Evaluate[chromedp.Void](`(() => { const i = `+q+`('[data-testid=fd-input]'); i.value = 'book it'; `+q+`('[data-testid=fd-send]').click(); })()`),
		poll(q+`('[data-testid=fd-confirm]')`))
	note := eval(q + `('.fd-card .fd-note').textContent`)
	t.Logf("hold note: %s", note)
	if !strings.Contains(note, "your time") || !regexp.MustCompile(`\d:\d\d\s?[AP]M [A-Z]{2,5}|GMT|UTC`).MatchString(note) {
		t.Errorf("the hold note %q does not name the zone of its time", note)
	}
	do("confirm", chromedp.Evaluate[chromedp.Void](q+`('[data-testid=fd-confirm]').click()`), poll(q+`('[data-testid=fd-manage]')`))
	if got := eval(q + `('[data-testid=fd-pay]').textContent`); got != "Pay now" {
		t.Errorf("pay link says %q", got)
	}
	manage := eval(q + `('[data-testid=fd-manage]').href`)
	if manage != srv.URL+"/b/m_"+strings.Repeat("ab", 32) || eval(q+`('[data-testid=fd-manage]').target`) != "_blank" {
		t.Errorf("manage link %q", manage)
	}
	if card := eval(q + `('.fd-card').textContent`); !strings.Contains(card, "9:00 AM–10:00 AM EST") {
		t.Errorf("the booked card does not show the time with its zone: %q", card)
	}
	kept := eval(`localStorage.getItem('frontdesk.booked.pk_test_keep') || ''`)
	var saved map[string]any
	if err := json.Unmarshal([]byte(kept), &saved); err != nil || saved["bookingId"] != "b1" || saved["code"] != "BK-ABC234" ||
		saved["manageUrl"] != manage || saved["status"] != "PENDING" {
		t.Fatalf("kept card %q (%v)", kept, err)
	}

	// After a reload (or a return from checkout) the card is back, before
	// the confirmation message it came with.
	do("reload", chromedp.Navigate(srv.URL+"/"), poll(`!!document.getElementById('frontdesk-widget')`),
		chromedp.Evaluate[chromedp.Void](q+`('[data-testid=fd-launcher]').click()`), poll(q+`('[data-testid=fd-booked]')`))
	for _, check := range []struct{ js, want string }{
		{q + `('[data-testid=fd-booked] [data-testid=fd-code]').textContent`, "BK-ABC234"},
		{q + `('[data-testid=fd-booked] [data-testid=fd-pay]').href`, srv.URL + "/checkout/test/b1"},
		{q + `('[data-testid=fd-booked] [data-testid=fd-manage]').href`, manage},
		{q + `('[data-testid=fd-booked] .fd-card-title').textContent`, "Booking reserved"},
		{q + `('[data-testid=fd-booked]').nextElementSibling.textContent`, "You're booked! Your confirmation code is BK-ABC234. Please complete payment to secure your booking."},
	} {
		if got := eval(check.js); got != check.want {
			t.Errorf("%s = %q, want %q", check.js, got, check.want)
		}
	}
	if n := eval(`String(` + qa + `('[data-testid=fd-booked]').length)`); n != "1" {
		t.Errorf("%s booked cards after the reload", n)
	}
}

func TestHomePage(t *testing.T) {
	h := HomeHandler()
	for _, method := range []string{"GET", "HEAD"} {
		res := serve(t, h, method, "/", nil)
		body, _ := io.ReadAll(res.Body)
		if res.StatusCode != 200 || res.Header.Get("Content-Type") != "text/html; charset=utf-8" {
			t.Fatalf("%s /: %d %s", method, res.StatusCode, res.Header.Get("Content-Type"))
		}
		if res.Header.Get("X-Content-Type-Options") != "nosniff" || res.Header.Get("X-Frame-Options") != "DENY" ||
			!strings.Contains(res.Header.Get("Content-Security-Policy"), "frame-ancestors 'none'") || res.Header.Get("Referrer-Policy") == "" ||
			res.Header.Get("X-Frame-Options") != "DENY" {
			t.Fatalf("%s /: headers %v", method, res.Header)
		}
		if method == "GET" {
			for _, want := range []string{"<title>Frontdesk</title>", `href="/dashboard/"`, "booking", `name="viewport"`} {
				if !bytes.Contains(body, []byte(want)) {
					t.Errorf("home page lacks %q", want)
				}
			}
			if bytes.Contains(body, []byte("<script")) {
				t.Error("home page has a script")
			}
		} else if len(body) != 0 {
			t.Error("HEAD has a body")
		}
	}
	if res := serve(t, h, "GET", "/nope", nil); res.StatusCode != 404 {
		t.Fatalf("GET /nope: %d", res.StatusCode)
	}
	if res := serve(t, h, "POST", "/", nil); res.StatusCode != 405 || res.Header.Get("Allow") != "GET, HEAD" {
		t.Fatalf("POST /: %d %v", res.StatusCode, res.Header)
	}
}
