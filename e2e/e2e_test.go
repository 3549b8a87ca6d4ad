// Package e2e holds the brief's manual test made automatic: book through the
// widget in a real browser, pay in the test-mode checkout, and find the
// emails.
package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/frontdeskhq/frontdesk/app"
	"github.com/frontdeskhq/frontdesk/browsertest"
	"github.com/frontdeskhq/frontdesk/demo"
	"github.com/frontdeskhq/frontdesk/storetest"
)

// mailpit returns the SMTP_URL and API base of a running Mailpit, or "" when
// there is none (outside CI).
func mailpit(t *testing.T) (smtpURL, api string) {
	t.Helper()
	smtpAddr := os.Getenv("TEST_MAILPIT_SMTP")
	api = os.Getenv("TEST_MAILPIT_API")
	if smtpAddr == "" || api == "" {
		if os.Getenv("CI") == "true" {
			t.Fatal("TEST_MAILPIT_SMTP and TEST_MAILPIT_API must be set under CI")
		}
		t.Log("Mailpit part skipped: set TEST_MAILPIT_SMTP and TEST_MAILPIT_API")
		return "", ""
	}
	return "smtp://" + smtpAddr, strings.TrimRight(api, "/")
}

// TestBookThroughWidget books a TIMESLOT service in the demo storefront's
// widget with the guided assistant, pays in the test-mode checkout, sees
// the booking confirmed, and finds both emails.
func TestBookThroughWidget(t *testing.T) { bookThroughWidget(t, false) }

// TestBookThroughWidgetStreaming is the same journey with the widget
// reading answers from the event stream (data-stream="true").
func TestBookThroughWidgetStreaming(t *testing.T) { bookThroughWidget(t, true) }

func bookThroughWidget(t *testing.T, stream bool) {
	browsertest.Chromium(t)
	shots := browsertest.ArtifactsDir(t, "widget")
	if stream {
		shots = browsertest.ArtifactsDir(t, "widget-stream")
	}
	smtpURL, mailpitAPI := mailpit(t)

	srv := httptest.NewUnstartedServer(nil)
	base := "http://" + srv.Listener.Addr().String()
	env := map[string]string{"DATABASE_URL": filepath.Join(t.TempDir(), "e2e.db"), "PUBLIC_URL": base, "SMTP_URL": smtpURL}
	cfg, err := app.LoadConfig(func(k string) string { return env[k] })
	if err != nil {
		t.Fatal(err)
	}
	logs := &storetest.LogBuffer{}
	ctx := context.Background()
	a, err := app.New(ctx, cfg, slog.New(slog.NewTextHandler(logs, nil)))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { a.Close() })
	seeded, err := demo.Seed(ctx, a.Store, base, time.Now().UTC(), false)
	if err != nil {
		t.Fatal(err)
	}
	a.Server.Demo, a.Server.DemoKey, a.Server.DevMailbox = true, seeded.PublicKey, true
	srv.Config.Handler = a.Server.Handler()
	srv.Start()
	t.Cleanup(srv.Close) // after the browser's cleanup

	bctx, cancelTimeout := context.WithTimeout(browsertest.New(t, 420, 860, false), 90*time.Second)
	defer cancelTimeout()

	// The widget lives in a shadow root; q reaches into it.
	const q = `document.getElementById('frontdesk-widget').shadowRoot.querySelector`
	const qa = `document.getElementById('frontdesk-widget').shadowRoot.querySelectorAll`
	step := func(name string, actions ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		if err := chromedp.Do(bctx, actions...); err != nil {
			browsertest.TryShot(t, bctx, shots, "failed-"+name)
			t.Fatalf("%s: %v", name, err)
		}
	}
	waitFor := func(js string) chromedp.Action[chromedp.Void] {
		return chromedp.Poll[chromedp.Void](js, chromedp.WithPollingTimeout(20*time.Second), chromedp.WithPollingInterval(100*time.Millisecond))
	}
	// afterNavigation waits for a condition on the page a click navigates
	// to; evaluation fails while the old page is torn down, so it retries.
	afterNavigation := func(name, js string) {
		t.Helper()
		if err := browsertest.Until(bctx, js, 20*time.Second); err != nil {
			browsertest.TryShot(t, bctx, shots, "failed-"+name)
			t.Fatalf("%s: %v", name, err)
		}
	}
	click := func(sel string) chromedp.Action[chromedp.Void] {
		return chromedp.Evaluate[chromedp.Void](fmt.Sprintf(`%s(%q).click()`, q, sel))
	}
	assistantCount := func() int {
		n, err := chromedp.Run(bctx, chromedp.Evaluate[int](qa+`('.fd-msg.fd-assistant').length`))
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	// say sends text as the visitor and waits for the assistant's answer.
	say := func(text string) {
		t.Helper()
		before := assistantCount()
		step("say "+text,
			chromedp.Evaluate[chromedp.Void](fmt.Sprintf(`(() => { const i = %s('[data-testid=fd-input]'); i.value = %q; i.dispatchEvent(new Event('input', {bubbles: true})); })()`, q, text)),
			click("[data-testid=fd-send]"),
			waitFor(fmt.Sprintf(`%s('.fd-msg.fd-assistant').length > %d && !%s('[data-testid=fd-typing]:not([hidden])') && %s('[data-testid=fd-panel]').getAttribute('data-state') !== 'busy'`, qa, before, q, q)),
		)
	}
	// pick taps the first quick reply whose text matches re (a JavaScript
	// regular expression, case-insensitive).
	pick := func(re string) string {
		t.Helper()
		before := assistantCount()
		label, err := chromedp.Run(bctx, chromedp.Evaluate[string](fmt.Sprintf(`(() => {
			const b = [...%s('[data-testid=fd-suggestion]')].find(b => new RegExp(%q, 'i').test(b.textContent));
			if (!b) return '';
			b.click(); return b.textContent; })()`, qa, re)))
		if err != nil || label == "" {
			browsertest.TryShot(t, bctx, shots, "no-suggestion")
			t.Fatalf("no quick reply matching %q: %v", re, err)
		}
		// The answer has arrived and, when streamed, finished: the panel
		// takes the next message only once it is no longer busy.
		step("pick "+label, waitFor(fmt.Sprintf(`%s('.fd-msg.fd-assistant').length > %d && %s('[data-testid=fd-panel]').getAttribute('data-state') !== 'busy'`, qa, before, q)))
		return label
	}

	// A phone-sized screen: the panel must take the whole width.
	step("open storefront", chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile), chromedp.Navigate(base+"/"),
		waitFor(`document.getElementById('frontdesk-widget') && document.getElementById('frontdesk-widget').shadowRoot`),
		click("[data-testid=fd-launcher]"),
		waitFor(qa+`('.fd-msg.fd-assistant').length > 0`))

	if stream {
		step("stream", chromedp.Evaluate[chromedp.Void](`document.querySelector('script[data-tenant-key]').dataset.stream = 'true'`))
	}
	width, err := chromedp.Run(bctx, chromedp.Evaluate[float64](q+`('[data-testid=fd-panel]').getBoundingClientRect().width`))
	if err != nil || width < 380 {
		browsertest.TryShot(t, bctx, shots, "phone-panel")
		t.Fatalf("on a 390px phone the chat panel is %vpx wide (%v), want the full width", width, err)
	}
	say("hi")
	pick(`services`)
	pick(`Mini Session`)
	pick(`.`) // the first open date
	pick(`(AM|PM)`)
	say("I'm Ann Lee")
	say("ann.lee@example.com")
	step("proposal", waitFor(q+`('[data-testid=fd-confirm]')`))
	browsertest.TryShot(t, bctx, shots, "chat-proposal")
	step("confirm", click("[data-testid=fd-confirm]"), waitFor(q+`('[data-testid=fd-code]') && `+q+`('[data-testid=fd-pay]')`))
	code, err := chromedp.Run(bctx, chromedp.Evaluate[string](q+`('[data-testid=fd-code]').textContent`))
	if err != nil {
		t.Fatal(err)
	}
	code = regexp.MustCompile(`BK-[A-HJ-NP-Z2-9]{6}`).FindString(code)
	if code == "" {
		t.Fatal("no confirmation code shown after confirm")
	}
	browsertest.TryShot(t, bctx, shots, "chat-booked")

	// Rate the last answer and ask for a person; the business is emailed.
	step("thumbs up", chromedp.Evaluate[chromedp.Void](fmt.Sprintf(`[...%s('[data-testid=fd-thumb-up]')].pop().click()`, qa)),
		waitFor(fmt.Sprintf(`[...%s('[data-testid=fd-thumb-up]')].pop().getAttribute('aria-pressed') === 'true'`, qa)))
	step("talk to a person", click("[data-testid=fd-human]"), waitFor(q+`('[data-testid=fd-human-reason]')`),
		chromedp.Evaluate[chromedp.Void](fmt.Sprintf(`(() => { const r = %s('[data-testid=fd-human-reason]'); r.value = 'Can I bring my dog?'; r.dispatchEvent(new Event('input', {bubbles: true})); })()`, q)),
		click("[data-testid=fd-human-send]"), waitFor(q+`('[data-testid=fd-human-note]')`))

	step("open checkout", click("[data-testid=fd-pay]"))
	afterNavigation("open checkout", `location.pathname.startsWith('/checkout/test/') && document.getElementById('pay')`)
	amount, _ := chromedp.Run(bctx, chromedp.Evaluate[string](`document.getElementById('amount').textContent`))
	if !strings.Contains(amount, "$75.00") {
		t.Errorf("checkout shows %q, want the Mini Session's $75.00", amount)
	}
	browsertest.TryShot(t, bctx, shots, "checkout")
	step("pay", chromedp.Evaluate[chromedp.Void](`document.getElementById('pay').click()`))
	afterNavigation("pay", `location.pathname === '/booking/success' && document.getElementById('status')`)
	status, _ := chromedp.Run(bctx, chromedp.Evaluate[string](`document.getElementById('status').textContent`))
	if strings.TrimSpace(status) != "CONFIRMED" {
		t.Fatalf("success page shows status %q, want CONFIRMED", status)
	}
	browsertest.TryShot(t, bctx, shots, "booking-confirmed")

	// Send the outbox now rather than waiting for the scheduler.
	if err := a.Jobs.Run(ctx, "outbox"); err != nil {
		t.Fatal(err)
	}
	subjects := []string{"Booking received: " + code, "New booking from Ann Lee", "Payment received: " + code, "A customer asked for a person"}
	step("dev mailbox", chromedp.Navigate(base+"/dev/mail"))
	page, _ := chromedp.Run(bctx, chromedp.Evaluate[string](`document.body.innerText`))
	for _, s := range subjects {
		if !strings.Contains(page, s) {
			t.Errorf("dev mailbox lacks %q:\n%s", s, page)
		}
	}
	// Back on the site in a new chat: the widget kept Ann's customer token,
	// so the assistant greets her; "Not Ann?" forgets her on this device.
	// (The mailbox is on the site's origin: forgetting the chat there starts
	// a new one on the site.)
	step("return to the site", chromedp.Evaluate[chromedp.Void](`Object.keys(localStorage).filter(k => k.startsWith('frontdesk.session.')).forEach(k => localStorage.removeItem(k))`),
		chromedp.Navigate(base+"/"),
		waitFor(`document.getElementById('frontdesk-widget') && document.getElementById('frontdesk-widget').shadowRoot`),
		click("[data-testid=fd-launcher]"),
		waitFor(qa+`('.fd-msg.fd-assistant').length > 0`))
	greeting, _ := chromedp.Run(bctx, chromedp.Evaluate[string](qa+`('.fd-msg.fd-assistant')[0].textContent`))
	notYou, _ := chromedp.Run(bctx, chromedp.Evaluate[string](`(() => { const b = `+q+`('[data-testid=fd-not-you]'); return b && !b.hidden ? b.textContent : ''; })()`))
	browsertest.TryShot(t, bctx, shots, "chat-returning")
	step("desktop", chromedp.EmulateViewport(1280, 800))
	browsertest.TryShot(t, bctx, shots, "chat-returning-desktop")
	step("phone", chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile))
	if !strings.Contains(greeting, "Welcome back, Ann!") || notYou != "Not Ann?" {
		t.Errorf("a returning visitor is greeted %q with %q, want Ann's first name and \"Not Ann?\"", greeting, notYou)
	}
	step("not you", click("[data-testid=fd-not-you]"),
		waitFor(q+`('[data-testid=fd-not-you]').hidden && `+qa+`('.fd-msg.fd-assistant').length === 1 && !`+qa+`('.fd-msg.fd-assistant')[0].textContent.includes('Ann')`))
	kept, _ := chromedp.Run(bctx, chromedp.Evaluate[int](`Object.keys(localStorage).filter(k => k.startsWith('frontdesk.customer.')).length`))
	if kept != 0 {
		t.Errorf("after \"Not you?\" the widget still keeps %d customer tokens", kept)
	}

	// The widget used the endpoint it was set up for.
	streamed := strings.Count(logs.String(), "path=/v1/public/chat/message/stream ")
	plain := strings.Count(logs.String(), "path=/v1/public/chat/message ")
	if (stream && (streamed < 6 || plain != 0)) || (!stream && (streamed != 0 || plain < 6)) {
		t.Errorf("stream=%v: %d streamed and %d plain message requests", stream, streamed, plain)
	}
	fb, err := a.Store.ListFeedback(ctx, seeded.TenantID, time.Time{}, time.Time{})
	if err != nil || len(fb) != 1 || fb[0].Type != "THUMBS_UP" {
		t.Errorf("feedback stored from the widget: %+v, %v; want one THUMBS_UP", fb, err)
	}
	if mailpitAPI != "" {
		for _, s := range subjects[:2] { // the booking emails carry the code
			if !mailpitHas(t, mailpitAPI, s, code) {
				t.Errorf("Mailpit has no message %q carrying %s", s, code)
			}
		}
	}
}

// mailpitHas searches Mailpit for a message with this subject whose text
// carries the code.
func mailpitHas(t *testing.T, api, subject, code string) bool {
	t.Helper()
	res, err := http.Get(api + "/api/v1/search?query=" + urlQuery(`subject:"`+subject+`"`))
	if err != nil {
		t.Fatalf("Mailpit API: %v", err)
	}
	defer res.Body.Close()
	var list struct {
		Messages []struct {
			ID      string `json:"ID"`
			Subject string `json:"Subject"`
			Snippet string `json:"Snippet"`
		} `json:"messages"`
	}
	if err := json.NewDecoder(res.Body).Decode(&list); err != nil {
		t.Fatalf("Mailpit API: %v", err)
	}
	for _, m := range list.Messages {
		if m.Subject != subject {
			continue
		}
		msg, err := http.Get(api + "/api/v1/message/" + m.ID)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(msg.Body)
		msg.Body.Close()
		if strings.Contains(string(body), code) {
			return true
		}
	}
	return false
}

func urlQuery(s string) string {
	return strings.NewReplacer(" ", "%20", `"`, "%22", ":", "%3A").Replace(s)
}
