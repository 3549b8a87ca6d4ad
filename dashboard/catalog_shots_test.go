package dashboard_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/frontdeskhq/frontdesk"
	"github.com/frontdeskhq/frontdesk/booking"
	"github.com/frontdeskhq/frontdesk/browsertest"
	"github.com/frontdeskhq/frontdesk/business"
	"github.com/frontdeskhq/frontdesk/chat"
	"github.com/frontdeskhq/frontdesk/dashboard"
	"github.com/frontdeskhq/frontdesk/httpapi"
	"github.com/frontdeskhq/frontdesk/payments/testmode"
	"github.com/frontdeskhq/frontdesk/storetest"
)

// TestCatalogScreenshots drives the services, hours, days off, business
// info and widget pages in Chromium on a laptop's and a phone's screen,
// forms with errors included, and saves full-page screenshots under the
// artifacts directory's dashboard-catalog (see browsertest). On each
// page it checks that nothing is wider than the screen, that every input
// has a label and that headings do not skip a level; on the widget page it
// opens the live preview's assistant.
func TestCatalogScreenshots(t *testing.T) {
	browsertest.Chromium(t)
	dir := browsertest.ArtifactsDir(t, "dashboard-catalog")
	store := storetest.OpenSQLite(t)
	hand := storetest.NewClock(testNow)
	clock := frontdesk.ClockFunc(hand.Now)
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	srv := httptest.NewUnstartedServer(nil)
	base := "http://" + srv.Listener.Addr().String()
	bookings := &booking.Service{Store: store, Clock: clock, Payments: &testmode.Payments{PublicURL: base}, Log: log,
		PublicURL: base, MailFrom: "Frontdesk <bookings@frontdesk.test>", CheckoutTTL: time.Hour}
	biz := &business.Service{Store: store, Clock: clock, PublicURL: base}
	dash := &dashboard.Server{Store: store, Bookings: bookings, Business: biz, Clock: clock, Log: log, PublicURL: base,
		MailFrom: "Frontdesk <bookings@frontdesk.test>"}
	api := &httpapi.Server{Store: store, Chat: &chat.Service{Store: store, Clock: clock, Bookings: bookings, Log: log},
		Bookings: bookings, Business: biz, Clock: clock, Log: log, PublicURL: base, TestCheckout: true, Dashboard: dash.Handler()}
	srv.Config.Handler = api.Handler()
	srv.Start()
	t.Cleanup(srv.Close)

	a := storetest.NewFixture(t, store, "Lumen Studio", "America/New_York")
	ctx := context.Background()
	h := &harness{t: t, store: store, clock: hand, dash: dash, a: a}
	catBooking(t, h, a, a.Portrait, catXSS, "xss@example.com", time.Date(2026, 12, 17, 15, 0, 0, 0, time.UTC))
	catBooking(t, h, a, a.Wedding, "Ann Lee", "ann@example.com", time.Date(2026, 12, 18, 15, 0, 0, 0, time.UTC))
	if _, _, err := biz.AddDaysOff(ctx, a.Tenant, business.DayOffInput{From: "2026-12-17", To: "2026-12-18", Reason: "Family visit"}); err != nil {
		t.Fatal(err)
	}
	if _, _, err := biz.AddDaysOff(ctx, a.Tenant, business.DayOffInput{From: "2027-01-04", To: "2027-01-08", Reason: "Winter break"}); err != nil {
		t.Fatal(err)
	}
	if _, err := biz.ReplaceWeek(ctx, a.Tenant, []business.Rule{{Weekday: "MON", Start: "09:00", End: "12:00"}, {Weekday: "MON", Start: "13:00", End: "17:00"},
		{Weekday: "TUE", Start: "09:00", End: "17:00"}, {Weekday: "WED", Start: "09:00", End: "17:00"}, {Weekday: "THU", Start: "09:00", End: "20:00"},
		{Weekday: "FRI", Start: "09:00", End: "17:00"}, {Weekday: "SAT", Start: "10:00", End: "14:00"}}); err != nil {
		t.Fatal(err)
	}
	faq := []frontdesk.FAQ{{Question: "Can I bring my dog?", Answer: "Yes, well-behaved dogs are welcome in the studio."}}
	phone, site := "+1 555 010 0100", "https://lumen.example"
	if _, err := biz.UpdateProfile(ctx, a.Tenant, business.ProfilePatch{Info: &business.InfoPatch{FAQ: &faq, Phone: &phone, Website: &site}}); err != nil {
		t.Fatal(err)
	}
	cat := "Portraits"
	if _, err := biz.UpdatePackage(ctx, a.Tenant, a.Portrait.ID, business.PackageInput{Category: &cat}); err != nil {
		t.Fatal(err)
	}

	bctx, cancel := context.WithTimeout(browsertest.New(t, 1280, 800, false), 3*time.Minute)
	defer cancel()

	shot := func(name string) {
		t.Helper()
		browsertest.Shot(t, bctx, dir, name)
	}
	// until waits for a condition, retrying while a page is replaced.
	until := func(name, js string) {
		t.Helper()
		if err := browsertest.Until(bctx, js, 20*time.Second); err != nil {
			shot("failed-" + name)
			t.Fatalf("%s: %v", name, err)
		}
	}
	run := func(name, js string) {
		t.Helper()
		if _, err := chromedp.Run(bctx, chromedp.Evaluate[bool]("(() => { "+js+"; return true })()")); err != nil {
			shot("failed-" + name)
			t.Fatalf("%s: %v", name, err)
		}
	}
	// check: nothing wider than the screen, a label for every input,
	// headings in order, one h1 (see browsertest.A11y).
	check := func(name string, width int) {
		t.Helper()
		bad, err := browsertest.A11y(bctx)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if len(bad) > 0 {
			t.Errorf("%s at %dpx: %s", name, width, strings.Join(bad, "; "))
		}
	}
	open := func(path, ready string) {
		t.Helper()
		if _, err := chromedp.Run(bctx, chromedp.Navigate(base+path)); err != nil {
			t.Fatalf("open %s: %v", path, err)
		}
		until(path, ready)
	}

	link, err := dashboard.NewLoginLink(ctx, store, base, a.Tenant, a.Tenant.ContactEmail, "/dashboard/services", hand.Now())
	if err != nil {
		t.Fatal(err)
	}
	signInBrowser(t, bctx, link)
	until("sign in", `document.querySelector('h1') && document.querySelector('h1').textContent === 'Services'`)

	for _, size := range []struct {
		name          string
		width, height int
		mobile        bool
	}{{"laptop", 1280, 800, false}, {"phone", 390, 844, true}} {
		if err := chromedp.Do(bctx, browsertest.Viewport(size.width, size.height, size.mobile)); err != nil {
			t.Fatal(err)
		}
		page := func(n int, name string) string { return fmt.Sprintf("%s-%02d-%s", size.name, n, name) }

		open("/dashboard/services", `document.getElementById('add-service')`)
		check("services", size.width)
		shot(page(1, "services"))

		open("/dashboard/services/new", `document.getElementById('save')`)
		run("fill service", `document.getElementById('name').value = 'Mini Session';
			document.getElementById('price').value = '1,500'; document.getElementById('save').click()`)
		until("service errors", `document.getElementById('price-error')`)
		check("service form with errors", size.width)
		shot(page(2, "service-new-errors"))

		open("/dashboard/services/"+a.Portrait.ID+"/edit", `document.getElementById('save')`)
		check("service edit", size.width)
		shot(page(3, "service-edit"))

		open("/dashboard/services/"+a.Portrait.ID+"/delete", `document.getElementById('confirm-delete')`)
		check("service delete", size.width)
		shot(page(4, "service-delete"))

		open("/dashboard/hours", `document.getElementById('save-hours')`)
		check("hours", size.width)
		shot(page(5, "hours"))
		run("overlap", `document.getElementById('TUE-1-start').value = '16:00'; document.getElementById('TUE-1-end').value = '18:00';
			document.getElementById('WED-0-end').value = '08:00'; document.getElementById('save-hours').click()`)
		until("hours errors", `document.getElementById('TUE-1-start-error')`)
		check("hours with errors", size.width)
		shot(page(6, "hours-errors"))

		open("/dashboard/hours/daysoff", `document.getElementById('add-dayoff')`)
		check("days off", size.width)
		shot(page(7, "daysoff"))
		run("bad range", `document.getElementById('from').value = '2027-02-10'; document.getElementById('to').value = '2027-02-01';
			document.getElementById('add-dayoff').click()`)
		until("days off errors", `document.getElementById('to-error')`)
		check("days off with errors", size.width)
		shot(page(8, "daysoff-errors"))

		open("/dashboard/info", `document.getElementById('save-info')`)
		check("info", size.width)
		shot(page(9, "info"))
		run("bad info", `document.getElementById('contactEmail').value = 'owner at lumen';
			document.getElementById('timeZone').value = 'Mars/Olympus';
			document.getElementById('faq-1-question').value = 'Do you print photos?';
			document.getElementById('policy-1-name').value = 'payment';
			document.querySelector('form[action="/dashboard/info"]').submit()`)
		until("info errors", `document.querySelector('.alert')`)
		check("info with errors", size.width)
		shot(page(10, "info-errors"))

		open("/dashboard/widget", `document.getElementById('save-origins')`)
		run("bad origin", `document.getElementById('origin-1').value = 'https://shop.example.com/book'; document.getElementById('save-origins').click()`)
		until("origin errors", `document.getElementById('origin-1-error')`)
		check("widget with errors", size.width)
		shot(page(11, "widget-errors"))
		open("/dashboard/widget", `document.getElementById('save-origins')`)
		run("scroll to the preview", `document.querySelector('iframe.cat-preview').scrollIntoView()`)
		const widget = `document.querySelector('iframe.cat-preview').contentDocument.getElementById('frontdesk-widget')`
		until("preview loads", widget+` && `+widget+`.shadowRoot && `+widget+`.shadowRoot.querySelector('[data-testid=fd-launcher]')`)
		run("open the assistant", widget+`.shadowRoot.querySelector('[data-testid=fd-launcher]').click()`)
		until("the assistant answers", widget+`.shadowRoot.querySelectorAll('.fd-msg.fd-assistant').length > 0`)
		run("top", `window.scrollTo(0, 0)`)
		check("widget", size.width)
		shot(page(12, "widget"))

		// Analytics, with the month's spend against the budget.
		open("/dashboard/analytics", `document.querySelector('h1') && document.querySelector('h1').textContent === 'Analytics'`)
		check("analytics", size.width)
		shot(page(13, "analytics"))
	}
	fmt.Fprintln(os.Stderr, "catalog screenshots in", dir)
}
