package e2e

import (
	"context"
	"fmt"
	"log/slog"
	"net/http/httptest"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"github.com/frontdeskhq/frontdesk/app"
	"github.com/frontdeskhq/frontdesk/browsertest"
	"github.com/frontdeskhq/frontdesk/demo"
	"github.com/frontdeskhq/frontdesk/storetest"
)

// TestDashboardRunsTheBusiness is the owner's day in the dashboard, in a
// real browser, on a laptop and on a phone: sign in with the link from the
// dev mailbox, add a service, open Sunday evenings, close a day; book the
// new service through the demo storefront's widget; then find the booking,
// read its conversation, pay it through its payment link, and cancel it
// with a full refund. Every page is checked for labels, heading order, one
// h1, a lang and a width that fits the screen.
func TestDashboardRunsTheBusiness(t *testing.T) {
	browsertest.Chromium(t)
	for _, size := range []struct {
		w, h   int
		mobile bool
	}{{1280, 800, false}, {390, 844, true}} {
		name := fmt.Sprintf("%dx%d", size.w, size.h)
		t.Run(name, func(t *testing.T) {
			runDashboard(t, browsertest.ArtifactsDir(t, "dashboard-"+name), size.w, size.h, size.mobile)
		})
	}
}

// dashTimeout bounds one step: an action, or the wait for a page.
const dashTimeout = 20 * time.Second

// dash drives one browser tab through the dashboard.
type dash struct {
	t     *testing.T
	ctx   context.Context
	base  string
	shots string
	n     int // screenshots taken, to number them in order

	mu      sync.Mutex
	dialogs []string // the messages of the dialogs accepted
}

// fail takes a screenshot and ends the test.
func (d *dash) fail(name, format string, args ...any) {
	d.t.Helper()
	browsertest.TryShot(d.t, d.ctx, d.shots, "failed-"+safeName(name))
	d.t.Fatalf("%s: "+format, append([]any{name}, args...)...)
}

func safeName(s string) string {
	return strings.Trim(regexp.MustCompile(`[^a-zA-Z0-9]+`).ReplaceAllString(strings.ToLower(s), "-"), "-")
}

// shot saves a numbered screenshot.
func (d *dash) shot(name string) {
	d.t.Helper()
	d.n++
	browsertest.TryShot(d.t, d.ctx, d.shots, fmt.Sprintf("%02d-%s", d.n, name))
}

// do runs actions, each step bounded.
func (d *dash) do(name string, actions ...chromedp.Action[chromedp.Void]) {
	d.t.Helper()
	ctx, cancel := context.WithTimeout(d.ctx, dashTimeout)
	defer cancel()
	if err := chromedp.Do(ctx, actions...); err != nil {
		d.fail(name, "%v", err)
	}
}

// text evaluates a JavaScript expression to a string.
func (d *dash) text(js string) string {
	d.t.Helper()
	s, err := chromedp.Run(d.ctx, chromedp.Evaluate[string](js))
	if err != nil {
		d.fail("read "+js, "%v", err)
	}
	return s
}

// mainText is the text of the page's main content, collapsed.
func (d *dash) mainText() string {
	d.t.Helper()
	return d.text(`(document.querySelector('main') || document.body).innerText.replace(/\s+/g, ' ')`)
}

// problems is what the page says went wrong: its alerts and field errors.
const problems = `[...document.querySelectorAll('[role=alert], .alert, .flash-error, .field-error')].map(e => e.textContent.trim()).filter(Boolean).join(' | ')`

// wait polls until the page satisfies cond, or says something went wrong
// (an alert or a field error), or the step's time is up. Pages being torn
// down fail to evaluate; that is retried.
func (d *dash) wait(name, cond string) {
	d.t.Helper()
	deadline := time.Now().Add(dashTimeout)
	js := `(() => { if (window.__fdStale || document.readyState === 'loading') return 'wait';
		if (` + cond + `) return 'ok'; const p = ` + problems + `; return p ? 'problem: ' + p : 'wait'; })()`
	for {
		got, err := chromedp.Run(d.ctx, chromedp.Evaluate[string](js))
		switch {
		case err == nil && got == "ok":
			return
		case err == nil && strings.HasPrefix(got, "problem: "):
			loc, _ := chromedp.Run(d.ctx, chromedp.Location())
			d.fail(name, "%s says: %s (waited for %s)", loc, strings.TrimPrefix(got, "problem: "), cond)
		case time.Now().After(deadline):
			loc, _ := chromedp.Run(d.ctx, chromedp.Location())
			d.fail(name, "after %s the page %s never satisfied %s (last error %v); it reads: %.600s", dashTimeout, loc, cond, err, d.mainText())
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// follow clicks the element sel with the mouse and waits for the page it
// leads to, known by cond; the page clicked on is marked so that it can't
// pass for the next one.
func (d *dash) follow(name, sel, cond string) {
	d.t.Helper()
	d.do(name+" (mark the page)", chromedp.Evaluate[chromedp.Void](`window.__fdStale = true`))
	d.do(name, chromedp.Click(chromedp.CSS(sel)))
	d.wait(name, cond)
}

// open navigates to a path and waits for cond.
func (d *dash) open(name, path, cond string) {
	d.t.Helper()
	d.do(name, chromedp.Navigate(d.base+path))
	d.wait(name, cond)
}

// typeIn clears the input sel and types text into it, key by key.
func (d *dash) typeIn(sel, text string) {
	d.t.Helper()
	d.do("clear "+sel, chromedp.Evaluate[chromedp.Void](fmt.Sprintf(`document.querySelector(%q).value = ''`, sel)))
	d.do("type into "+sel, chromedp.SendKeys(chromedp.CSS(sel), text))
	if got := d.text(fmt.Sprintf(`document.querySelector(%q).value`, sel)); got != text {
		d.fail("type into "+sel, "the input holds %q after typing %q", got, text)
	}
}

// setValue sets a date or time input, whose typing depends on the
// browser's locale, as its picker does.
func (d *dash) setValue(sel, value string) {
	d.t.Helper()
	d.do("set "+sel, chromedp.Evaluate[chromedp.Void](fmt.Sprintf(`(() => { const i = document.querySelector(%q);
		i.focus(); i.value = %q; i.dispatchEvent(new Event('input', {bubbles: true})); i.dispatchEvent(new Event('change', {bubbles: true})); })()`, sel, value)))
	if got := d.text(fmt.Sprintf(`document.querySelector(%q).value`, sel)); got != value {
		d.fail("set "+sel, "the input holds %q, want %q", got, value)
	}
}

// audit checks the page for browsertest.A11y's problems; they are
// reported, all of them, without stopping the test.
func (d *dash) audit(page string) {
	d.t.Helper()
	bad, err := browsertest.A11y(d.ctx)
	if err != nil {
		d.t.Errorf("accessibility check of %s: %v", page, err)
		return
	}
	if len(bad) > 0 {
		d.shot("a11y-" + safeName(page))
		for _, b := range bad {
			d.t.Errorf("accessibility, page %q: %s", page, b)
		}
	}
}

// acceptDialogs presses OK on every dialog the page opens (the dashboard
// asks before a destructive action) and keeps their messages.
func (d *dash) acceptDialogs() {
	opening := chromedp.Events(d.ctx, page.JavascriptDialogOpening)
	go func() {
		for e, err := range opening {
			if err != nil {
				return
			}
			d.mu.Lock()
			d.dialogs = append(d.dialogs, e.Message)
			d.mu.Unlock()
			go func() {
				_, err := chromedp.Call(d.ctx, page.HandleJavaScriptDialog, page.HandleJavaScriptDialogParams{Accept: true})
				if err != nil && d.ctx.Err() == nil {
					d.t.Errorf("accept the dialog %q: %v", e.Message, err)
				}
			}()
		}
	}()
}

func (d *dash) dialogMessages() []string {
	d.mu.Lock()
	defer d.mu.Unlock()
	return append([]string(nil), d.dialogs...)
}

// checkContains fails the test unless got has every one of want.
func (d *dash) checkContains(what, got string, want ...string) {
	d.t.Helper()
	for _, w := range want {
		if !strings.Contains(got, w) {
			d.t.Errorf("%s lacks %q; it reads: %.800s", what, w, got)
		}
	}
}

func runDashboard(t *testing.T, shots string, width, height int, mobile bool) {
	started := time.Now()
	defer func() { t.Logf("%dx%d took %s", width, height, time.Since(started).Round(100*time.Millisecond)) }()

	// The app as `serve --demo` runs it: SQLite, the dev mailbox, the
	// test-mode checkout and the demo business.
	srv := httptest.NewUnstartedServer(nil)
	base := "http://" + srv.Listener.Addr().String()
	env := map[string]string{"DATABASE_URL": filepath.Join(t.TempDir(), "dashboard.db"), "PUBLIC_URL": base}
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
	a.Dashboard.DevMailbox = true
	srv.Config.Handler = a.Server.Handler()
	srv.Start()
	t.Cleanup(srv.Close) // after the browser's cleanup
	defer func() {
		if t.Failed() {
			l := logs.String()
			t.Logf("server log (last 6000 bytes):\n%s", l[max(0, len(l)-6000):])
		}
	}()
	tenant, err := a.Store.TenantByID(ctx, seeded.TenantID)
	if err != nil {
		t.Fatal(err)
	}
	if tenant.ContactEmail != "owner@lumen.example" {
		t.Fatalf("the demo business's contact email is %q, want owner@lumen.example", tenant.ContactEmail)
	}

	// The day to book: the coming Sunday (not today) at 5 PM, in the
	// business's time zone; and a day to close, the Monday after it.
	loc := tenant.Location()
	today := time.Now().In(loc)
	ahead := (7 - int(today.Weekday())) % 7
	if ahead == 0 {
		ahead = 7
	}
	sunday := time.Date(today.Year(), today.Month(), today.Day()+ahead, 17, 0, 0, 0, loc)
	dayOff := time.Date(sunday.Year(), sunday.Month(), sunday.Day()+1, 0, 0, 0, 0, loc)
	if dayOff.Month() == time.December && dayOff.Day() == 25 { // the demo closes Christmas already
		dayOff = dayOff.AddDate(0, 0, 1)
	}
	t.Logf("booking Sunday %s at 5:00 PM %s; closing %s", sunday.Format("2006-01-02"), loc, dayOff.Format("2006-01-02"))

	bctx, cancelTimeout := context.WithTimeout(browsertest.New(t, width, height, mobile), 4*time.Minute)
	defer cancelTimeout()
	d := &dash{t: t, ctx: bctx, base: base, shots: shots}
	d.acceptDialogs()

	// 1. Sign in: the dashboard sends to the sign-in page, which emails a
	// link, read in the dev mailbox.
	d.open("open the dashboard", "/dashboard/", `location.pathname === '/dashboard/signin' && document.getElementById('email')`)
	if next := d.text(`new URLSearchParams(location.search).get('next') || ''`); next != "/dashboard/" {
		t.Errorf("the sign-in page was reached with next=%q, want /dashboard/", next)
	}
	d.audit("sign-in")
	d.typeIn("#email", "owner@lumen.example")
	d.shot("signin")
	d.follow("ask for a sign-in link", `main form button[type=submit]`, `document.querySelector('.flash-ok')`)
	d.checkContains("the sign-in page after sending", d.mainText(), "owner@lumen.example", "dev mailbox")
	d.audit("sign-in, link sent")
	d.shot("signin-sent")
	d.follow("open the dev mailbox", `main a[href="/dev/mail"]`, `location.pathname === '/dev/mail' && document.querySelector('tr.mail')`)
	d.audit("dev mailbox")
	d.shot("dev-mailbox")
	picked := d.text(`(() => { const row = [...document.querySelectorAll('tr.mail')].find(r => r.cells[1].textContent.includes('owner@lumen.example') &&
		r.cells[2].textContent.startsWith('Your sign-in link')); if (!row) return ''; const a = row.querySelector('a'); a.setAttribute('data-fd-pick', '1'); return a.textContent; })()`)
	if picked == "" {
		d.fail("find the sign-in email", "the dev mailbox lists no sign-in email to owner@lumen.example: %.800s", d.mainText())
	}
	d.follow("open the sign-in email", `a[data-fd-pick]`, `location.pathname.startsWith('/dev/mail/') && document.getElementById('text')`)
	d.audit("dev mailbox, sign-in email")
	d.shot("signin-email")
	link := regexp.MustCompile(`https?://\S+/dashboard/signin/l_[A-Za-z0-9]+(\?\S*)?`).FindString(d.text(`document.getElementById('text').textContent`))
	if !strings.HasPrefix(link, base+"/dashboard/signin/") {
		d.fail("read the sign-in link", "the email %q has no sign-in link to %s: %s", picked, base, d.text(`document.getElementById('text').textContent`))
	}
	d.open("follow the sign-in link", strings.TrimPrefix(link, base), `document.getElementById('signin')`)
	d.follow("press Sign in", `#signin`, `location.pathname === '/dashboard/' && document.querySelector('main h1')`)
	if h := d.text(`document.querySelector('main h1').textContent.trim()`); h != "Lumen Photo Studio" {
		t.Errorf("the dashboard home is headed %q, want Lumen Photo Studio", h)
	}
	d.audit("home")
	d.shot("home")

	// 2. Services: a new one through the form.
	d.follow("open services", `nav a[href="/dashboard/services"]`, `location.pathname === '/dashboard/services' && document.getElementById('add-service')`)
	d.audit("services")
	d.follow("add a service", `#add-service`, `location.pathname === '/dashboard/services/new' && document.getElementById('save')`)
	d.typeIn("#name", "Sunset Session")
	d.typeIn("#description", "Forty-five minutes of portraits in the golden hour.")
	d.typeIn("#price", "120.00")
	d.do("choose a time slot", chromedp.Click(chromedp.CSS(`#type-timeslot`)))
	d.typeIn("#duration", "45")
	d.typeIn("#category", "portraits")
	if !strings.Contains(d.text(`String(document.getElementById('type-timeslot').checked && document.getElementById('active').checked)`), "true") {
		d.fail("the service form", "the service is not set to a time slot offered to customers")
	}
	d.audit("new service")
	d.shot("service-form")
	d.follow("save the service", `#save`, `location.pathname === '/dashboard/services' && document.querySelector('.flash-ok')`)
	d.checkContains("the flash after adding the service", d.text(`document.querySelector('.flash-ok').textContent`), "Added Sunset Session.")
	row := d.text(`(() => { const r = [...document.querySelectorAll('table.cat-services tbody tr')].find(r => r.textContent.includes('Sunset Session'));
		return r ? r.innerText.replace(/\s+/g, ' ') : ''; })()`)
	if row == "" {
		d.fail("the services list", "no row for Sunset Session: %.800s", d.mainText())
	}
	d.checkContains("the Sunset Session row of the services list", row, "Time slot", "45 min", "$120.00", "Offered")
	d.audit("services, service added")
	d.shot("services")

	// 3. Hours: Sunday 17:00-21:00, the other days as the form shows them.
	d.follow("open hours", `nav a[href="/dashboard/hours"]`, `location.pathname === '/dashboard/hours' && document.getElementById('save-hours')`)
	const savedWeek = `JSON.stringify(Object.fromEntries([...document.querySelectorAll('fieldset.cat-day')].map(f => [f.id, f.querySelector('.cat-saved').textContent.trim()])))`
	const formWeek = `JSON.stringify([...document.querySelectorAll('fieldset.cat-day input[type=time]')].filter(i => i.value).map(i => i.id + '=' + i.value))`
	weekBefore, formBefore := d.text(savedWeek), d.text(formWeek)
	if !strings.Contains(weekBefore, `"day-SUN":"Saved: closed"`) || !strings.Contains(weekBefore, `"day-MON":"Saved: 09:00–17:00"`) {
		t.Errorf("the hours form shows the demo week as %s, want Monday 09:00–17:00 and Sunday closed", weekBefore)
	}
	d.audit("hours")
	d.setValue("#SUN-0-start", "17:00")
	d.setValue("#SUN-0-end", "21:00")
	d.shot("hours-form")
	d.follow("save the hours", `#save-hours`, `location.pathname === '/dashboard/hours' && document.querySelector('.flash-ok')`)
	d.checkContains("the flash after saving the hours", d.text(`document.querySelector('.flash-ok').textContent`), "Saved your opening hours.")
	weekAfter := d.text(savedWeek)
	wantWeek := strings.Replace(weekBefore, `"day-SUN":"Saved: closed"`, `"day-SUN":"Saved: 17:00–21:00"`, 1)
	if weekAfter != wantWeek {
		t.Errorf("after opening Sunday 17:00–21:00 the hours read\n%s\nwant\n%s", weekAfter, wantWeek)
	}
	// Sunday's inputs come last in the form.
	if formAfter, want := d.text(formWeek), strings.TrimSuffix(formBefore, "]")+`,"SUN-0-start=17:00","SUN-0-end=21:00"]`; formAfter != want {
		t.Errorf("the hours form after saving holds\n%s\nwant\n%s", formAfter, want)
	}
	d.audit("hours, saved")
	d.shot("hours-saved")

	// 4. Days off: close the Monday after the Sunday to book.
	d.follow("open days off", `main a[href="/dashboard/hours/daysoff"]`, `location.pathname === '/dashboard/hours/daysoff' && document.getElementById('add-dayoff')`)
	d.audit("days off")
	d.setValue("#from", dayOff.Format("2006-01-02"))
	d.typeIn("#reason", "Studio maintenance")
	d.shot("daysoff-form")
	d.follow("close the day", `#add-dayoff`, `location.pathname === '/dashboard/hours/daysoff' && document.querySelector('.flash-ok')`)
	offText := dayOff.Format("Mon 2 Jan 2006")
	d.checkContains("the flash after closing a day", d.text(`document.querySelector('.flash-ok').textContent`), "Closed "+offText+".")
	item := d.text(fmt.Sprintf(`(() => { const li = [...document.querySelectorAll('.cat-daysoff > li')].find(l => l.textContent.includes(%q));
		return li ? li.innerText.replace(/\s+/g, ' ') : ''; })()`, "Studio maintenance"))
	if item == "" {
		d.fail("the days off list", "no day off with the reason Studio maintenance: %.800s", d.mainText())
	}
	d.checkContains("the day off closed", item, "No bookings on this day")
	d.audit("days off, day closed")
	d.shot("daysoff")

	// 5. The widget of the demo storefront books the new service.
	const q = `document.getElementById('frontdesk-widget').shadowRoot.querySelector`
	const qa = `document.getElementById('frontdesk-widget').shadowRoot.querySelectorAll`
	click := func(sel string) chromedp.Action[chromedp.Void] {
		return chromedp.Evaluate[chromedp.Void](fmt.Sprintf(`%s(%q).click()`, q, sel))
	}
	waitFor := func(js string) chromedp.Action[chromedp.Void] {
		return chromedp.Poll[chromedp.Void](js, chromedp.WithPollingTimeout(dashTimeout), chromedp.WithPollingInterval(100*time.Millisecond))
	}
	assistantCount := func() int {
		n, err := chromedp.Run(bctx, chromedp.Evaluate[int](qa+`('.fd-msg.fd-assistant').length`))
		if err != nil {
			d.fail("count the answers", "%v", err)
		}
		return n
	}
	say := func(msg string) string {
		t.Helper()
		before := assistantCount()
		d.do("say "+msg,
			chromedp.Evaluate[chromedp.Void](fmt.Sprintf(`(() => { const i = %s('[data-testid=fd-input]'); i.value = %q; i.dispatchEvent(new Event('input', {bubbles: true})); })()`, q, msg)),
			click("[data-testid=fd-send]"),
			waitFor(fmt.Sprintf(`(%s('.fd-msg.fd-assistant').length > %d && !%s('[data-testid=fd-typing]:not([hidden])')) || %s('[data-testid=fd-error]')`, qa, before, q, q)))
		if e := d.text(fmt.Sprintf(`(%s('[data-testid=fd-error]') || {}).textContent || ''`, q)); e != "" {
			d.fail("say "+msg, "the widget shows an error: %s", e)
		}
		answer := d.text(fmt.Sprintf(`[...%s('.fd-msg.fd-assistant')].pop().textContent`, qa))
		t.Logf("visitor: %s\nassistant: %s", msg, answer)
		return answer
	}
	d.do("open the storefront", chromedp.Navigate(base+"/"),
		waitFor(`document.getElementById('frontdesk-widget') && document.getElementById('frontdesk-widget').shadowRoot && `+q+`('[data-testid=fd-launcher]')`),
		click("[data-testid=fd-launcher]"),
		waitFor(qa+`('.fd-msg.fd-assistant').length > 0 || `+q+`('[data-testid=fd-error]')`))
	d.audit("storefront with the widget open")
	say("I'd like the Sunset Session")
	day := sunday.Format("2006-01-02")
	if answer := say(day); !strings.Contains(answer, "5:00 PM") {
		d.fail("the times of Sunday", "asked for %s, the assistant answered %q, want 5:00 PM among the open times", day, answer)
	}
	if answer := say("5:00 PM"); !strings.Contains(answer, "5:00 PM on") {
		d.fail("pick 5:00 PM", "the assistant answered %q, want it to take 5:00 PM", answer)
	}
	say("My name is Rita Sousa")
	// The business does not require a phone: the proposal comes at once.
	if answer := say("rita.sousa@example.com"); !strings.Contains(answer, "Please confirm below.") {
		d.fail("give the email", "the assistant answered %q, want the proposal with no phone question", answer)
	}
	d.do("the proposal", waitFor(q+`('[data-testid=fd-confirm]')`))
	d.checkContains("the widget's proposal", d.text(q+`('[data-testid=fd-preview]').textContent`), "Sunset Session", "Rita Sousa", "5:00 PM")
	d.shot("widget-proposal")
	d.do("confirm", click("[data-testid=fd-confirm]"), waitFor(q+`('[data-testid=fd-code]')`))
	code := regexp.MustCompile(`BK-[A-HJ-NP-Z2-9]{6}`).FindString(d.text(q + `('[data-testid=fd-code]').textContent`))
	if code == "" {
		d.fail("confirm", "no confirmation code shown after Confirm")
	}
	t.Logf("booked %s", code)
	d.shot("widget-booked")

	// 6. Back in the dashboard: find the booking, read it, pay it, cancel
	// it with a full refund.
	d.open("back to the dashboard", "/dashboard/", `location.pathname === '/dashboard/' && document.querySelector('main h1')`)
	d.checkContains("the home's bookings waiting for payment", d.text(`document.getElementById('unpaid-h').closest('section').innerText.replace(/\s+/g, ' ')`),
		"Rita Sousa: Sunset Session", "$120.00")
	d.audit("home, with the booking")
	d.follow("open bookings", `nav a[href="/dashboard/bookings"]`, `location.pathname === '/dashboard/bookings' && document.getElementById('q')`)
	d.audit("bookings")
	d.typeIn("#q", "Rita Sousa")
	d.follow("search the bookings", `form.bk-filters button[type=submit]`, `location.pathname === '/dashboard/bookings' && location.search.includes('q=')`)
	found := d.text(fmt.Sprintf(`(() => { const a = [...document.querySelectorAll('table.bk-table tbody a')].find(a => a.textContent.includes(%q));
		if (!a) return ''; a.setAttribute('data-fd-pick', '1'); return a.closest('tr').innerText.replace(/\s+/g, ' '); })()`, code))
	if found == "" {
		d.fail("search the bookings", "searching for Rita Sousa lists no %s: %.800s", code, d.mainText())
	}
	d.checkContains("the booking's row", found, "Sunset Session", "Rita Sousa", "Awaiting payment", "$120.00", sunday.Format("Mon 2 Jan 2006, 3:04 PM"))
	d.audit("bookings, searched")
	d.shot("bookings-search")

	d.follow("open the booking", `a[data-fd-pick]`, fmt.Sprintf(`document.getElementById('code') && document.getElementById('code').textContent === %q`, code))
	detail := d.text(`location.pathname`)
	if s := d.text(`document.getElementById('status').textContent.trim()`); s != "Awaiting payment" {
		t.Errorf("the new booking's status reads %q, want Awaiting payment", s)
	}
	chat := d.text(`(() => { const c = document.querySelector('.bk-chat'); return c ? c.innerText.replace(/\s+/g, ' ') : ''; })()`)
	if chat == "" {
		t.Errorf("the booking's page shows no conversation: %q", d.text(`(document.getElementById('no-chat') || {}).textContent || ''`))
	} else {
		d.checkContains("the conversation on the booking's page", chat, "Customer:", "I'd like the Sunset Session", "rita.sousa@example.com", "Assistant:")
	}
	d.checkContains("the booking's page", d.mainText(), "Rita Sousa", "rita.sousa@example.com", "The assistant on your website", "$120.00")
	d.audit("booking")
	d.shot("booking")
	d.do("scroll to the conversation", chromedp.Evaluate[chromedp.Void](`document.getElementById('chat-h').scrollIntoView()`))
	d.shot("booking-conversation")

	// The customer pays through the payment link the page shows.
	d.do("scroll to the payment", chromedp.Evaluate[chromedp.Void](`window.scrollTo(0, 0)`))
	d.follow("open the payment link", `#checkout-url`, `location.pathname.startsWith('/checkout/test/') && document.getElementById('pay')`)
	d.checkContains("the checkout", d.text(`document.getElementById('amount').textContent`), "$120.00")
	d.audit("test checkout")
	d.shot("checkout")
	d.follow("pay", `#pay`, `location.pathname === '/booking/success' && document.getElementById('status')`)
	if s := strings.TrimSpace(d.text(`document.getElementById('status').textContent`)); s != "CONFIRMED" {
		d.fail("pay", "the success page shows status %q, want CONFIRMED", s)
	}
	d.audit("payment success")
	d.shot("paid")
	d.open("the booking, paid", detail, `document.getElementById('code') && document.getElementById('status')`)
	if s := d.text(`document.getElementById('status').textContent.trim()`); s != "Confirmed" {
		t.Errorf("after paying, the booking's status reads %q, want Confirmed", s)
	}
	d.audit("booking, paid")

	d.follow("open the cancel step", `#cancel`, `location.pathname.endsWith('/cancel') && document.getElementById('confirm-cancel')`)
	d.checkContains("the full refund choice", d.text(`document.querySelector('label[for="refund-full"]').textContent.replace(/\s+/g, ' ')`), "Full refund: $120.00")
	d.do("choose a full refund", chromedp.Click(chromedp.CSS(`#refund-full`)))
	if d.text(`String(document.getElementById('refund-full').checked)`) != "true" {
		d.fail("choose a full refund", "the Full refund choice is not checked after a click")
	}
	d.typeIn("#reason", "The photographer is ill, sorry.")
	d.audit("cancel booking")
	d.shot("cancel")
	d.follow("cancel the booking", `#confirm-cancel`, fmt.Sprintf(`location.pathname === %q && document.querySelector('.flash-ok')`, detail))
	if dl := d.dialogMessages(); len(dl) != 1 || !strings.Contains(dl[0], "Cancel booking "+code) {
		t.Errorf("before canceling the page asked %q, want one confirmation naming %s", dl, code)
	}
	d.checkContains("the flash after canceling", d.text(`document.querySelector('.flash-ok').textContent`), "Booking "+code+" is canceled.", "$120.00 was refunded.")
	if s := d.text(`document.getElementById('status').textContent.trim()`); s != "Canceled, refunded" {
		t.Errorf("after the cancellation the status reads %q, want Canceled, refunded", s)
	}
	if r := d.text(`(document.getElementById('refunded') || {}).textContent || ''`); r != "$120.00" {
		t.Errorf("after the cancellation the page says %q was refunded, want $120.00", r)
	}
	d.checkContains("the refunds of the booking", d.text(`(document.querySelector('.bk-refunds') || {}).textContent || ''`), "$120.00", "Refunded")
	d.checkContains("the booking's page after canceling", d.mainText(), "The photographer is ill, sorry.")
	if d.text(`String(!!document.getElementById('cancel'))`) != "false" {
		t.Errorf("a canceled booking still offers to cancel it")
	}
	d.audit("booking, canceled")
	d.shot("canceled")
}
