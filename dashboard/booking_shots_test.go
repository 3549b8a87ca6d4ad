package dashboard_test

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/frontdeskhq/frontdesk"
	"github.com/frontdeskhq/frontdesk/booking"
	"github.com/frontdeskhq/frontdesk/dashboard"
)

// bkChromium finds the browser for the screenshots: TEST_CHROMIUM; under
// CI=true, as the e2e test does, one on PATH or a failure; otherwise the
// test is skipped.
func bkChromium(t *testing.T) string {
	t.Helper()
	if p := os.Getenv("TEST_CHROMIUM"); p != "" {
		return p
	}
	if os.Getenv("CI") == "true" {
		for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
			if p, err := exec.LookPath(name); err == nil {
				return p
			}
		}
		t.Fatal("no Chromium under CI: .ci/run installs Debian's chromium")
	}
	t.Skip("set TEST_CHROMIUM to the Chromium binary to take screenshots of the bookings pages")
	return ""
}

// bkAudit is run in each page: it names what a phone-sized or unlabelled
// page gets wrong, or returns "".
const bkAudit = `(() => {
  const bad = [];
  if (document.documentElement.scrollWidth > window.innerWidth + 1) bad.push('wider than the screen: ' + document.documentElement.scrollWidth);
  for (const el of document.querySelectorAll('input:not([type=hidden]), select, textarea')) {
    const ok = (el.id && document.querySelector('label[for="' + el.id + '"]')) || el.closest('label') || el.getAttribute('aria-label');
    if (!ok) bad.push('no label: ' + (el.name || el.outerHTML));
  }
  let last = 0;
  for (const h of document.querySelectorAll('main h1, main h2, main h3, main h4')) {
    const n = +h.tagName[1];
    if ((last === 0 && n !== 1) || n > last + 1) bad.push('heading ' + h.tagName + ' after h' + last + ': ' + h.textContent.trim());
    last = n;
  }
  return bad.join('; ');
})()`

// TestBookingScreenshots looks at every bookings page at 1280x800 and
// 390x844, and checks them for labels, heading order and width.
func TestBookingScreenshots(t *testing.T) {
	browser := bkChromium(t)
	dir := filepath.Join(os.TempDir(), "dash-shots", "bookings")
	if a := os.Getenv("TEST_ARTIFACTS"); a != "" {
		dir = filepath.Join(a, "dashboard-bookings")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	h := sqliteHarness(t)
	ctx := context.Background()
	h.a.Tenant.Settings = frontdesk.DefaultSettings()
	if err := h.store.UpdateTenant(ctx, h.a.Tenant); err != nil {
		t.Fatal(err)
	}
	mk := func(in booking.OwnerBooking) *frontdesk.Booking { return bkBook(t, h, h.a, in) }
	portrait := mk(booking.OwnerBooking{PackageID: h.a.Portrait.ID, Date: "2026-12-11", StartTime: "14:00", NotifyCustomer: true,
		Notes:    "Please bring the blue backdrop.\nTwo kids, one dog.",
		Customer: frontdesk.Customer{Name: "Ann Lee", Email: "ann.lee@example.com", Phone: "+1 555 010 0100"}})
	if err := h.store.SaveTranscript(ctx, h.a.Tenant.ID, portrait.ID, "customer: Hi! Do you have a portrait session this Friday afternoon?\n"+
		"assistant: Yes: Friday 11 December has 2:00 PM and 3:15 PM open. Shall I book one?\ncustomer: 2 PM please, for Ann Lee, ann.lee@example.com\n"+
		"assistant: Here is the booking to confirm: Portrait Session, Friday 11 December at 2:00 PM, $250.00."); err != nil {
		t.Fatal(err)
	}
	wedding := mk(booking.OwnerBooking{PackageID: h.a.Wedding.ID, Date: "2026-12-12", Paid: true, NotifyCustomer: true,
		Customer: frontdesk.Customer{Name: "Bob Stone", Email: "bob@example.org"}})
	mk(booking.OwnerBooking{PackageID: h.a.Free.ID, Date: "2026-12-10", StartTime: "11:00",
		Customer: frontdesk.Customer{Name: "Cleo Park", Email: "cleo@example.net"}})
	mk(booking.OwnerBooking{PackageID: h.a.Free.ID, Date: "2026-12-11", StartTime: "09:30",
		Customer: frontdesk.Customer{Name: "Dara Okafor-Lindqvist", Email: "dara.okafor-lindqvist@example.com"}})
	h.clock.Set(time.Date(2026, 12, 1, 15, 0, 0, 0, time.UTC))
	gone := mk(booking.OwnerBooking{PackageID: h.a.Portrait.ID, Date: "2026-12-08", StartTime: "09:00", Paid: true, NotifyCustomer: true,
		Customer: frontdesk.Customer{Name: "Eve Adams", Email: "eve@example.com"}})
	if _, err := h.dash.Bookings.Cancel(ctx, h.a.Tenant, gone.ID, booking.CancelRequest{Refund: booking.RefundFull, Reason: "Moving away.",
		By: booking.ByBusiness, NotifyCustomer: true}); err != nil {
		t.Fatal(err)
	}
	h.clock.Set(testNow)

	link, err := dashboard.NewLoginLink(ctx, h.store, h.srv.URL, h.a.Tenant, h.a.Tenant.ContactEmail, "/dashboard/bookings", h.clock.Now())
	if err != nil {
		t.Fatal(err)
	}
	bctxBase, cancel := context.WithTimeout(ctx, 3*time.Minute)
	defer cancel()
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(bctxBase, append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(browser), chromedp.NoSandbox, chromedp.DisableGPU, chromedp.UserDataDir(t.TempDir()), chromedp.WindowSize(1280, 800))...)
	defer cancelAlloc()
	bctx, cancelBrowser := chromedp.NewContext(allocCtx)
	defer cancelBrowser()
	do := func(name string, actions ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		if err := chromedp.Do(bctx, actions...); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
	}
	do("sign in", chromedp.Navigate(link), chromedp.WaitVisible(chromedp.CSS("main h1")))

	pages := []struct{ name, path, ready string }{
		{"list", "/dashboard/bookings", "table"},
		{"week", "/dashboard/bookings/week", ".bk-week"},
		{"detail", "/dashboard/bookings/" + portrait.ID, ".bk-chat"},
		{"detail-canceled", "/dashboard/bookings/" + gone.ID, "#status"},
		{"cancel", "/dashboard/bookings/" + wedding.ID + "/cancel", "#confirm-cancel"},
		{"reschedule", "/dashboard/bookings/" + portrait.ID + "/reschedule?date=2026-12-15", "#confirm-reschedule"},
		{"new", "/dashboard/bookings/new?date=2026-12-14&service=" + h.a.Portrait.ID, "#book"},
	}
	for _, size := range []struct {
		name string
		w, h int64
	}{{"1280", 1280, 800}, {"390", 390, 844}} {
		var opts []chromedp.EmulateViewportOption
		if size.w < 600 {
			opts = append(opts, chromedp.EmulateMobile)
		}
		do("viewport", chromedp.EmulateViewport(size.w, size.h, opts...))
		for _, p := range pages {
			do(p.name, chromedp.Navigate(h.srv.URL+p.path), chromedp.WaitVisible(chromedp.CSS(p.ready)))
			bkShot(t, bctx, dir, p.name+"-"+size.name)
			if bad, err := chromedp.Run(bctx, chromedp.Evaluate[string](bkAudit)); err != nil || bad != "" {
				t.Errorf("%s at %s: %s %v", p.name, size.name, bad, err)
			}
		}
		// The new-booking form with its errors.
		do("new with errors", chromedp.Navigate(h.srv.URL+"/dashboard/bookings/new?date=2026-12-14&service="+h.a.Portrait.ID),
			chromedp.WaitVisible(chromedp.CSS("#book")),
			chromedp.Evaluate[chromedp.Void](`document.querySelector('form.form').noValidate = true`),
			chromedp.Evaluate[chromedp.Void](`document.getElementById('time').value = '10:15'`), chromedp.SendKeys(chromedp.CSS("#email"), "not-an-email"),
			chromedp.Click(chromedp.CSS("#book")), chromedp.WaitVisible(chromedp.CSS(".alert")))
		bkShot(t, bctx, dir, "new-errors-"+size.name)
		if bad, err := chromedp.Run(bctx, chromedp.Evaluate[string](bkAudit)); err != nil || bad != "" {
			t.Errorf("new with errors at %s: %s %v", size.name, bad, err)
		}
	}
	// The cancel confirmation works without the script's confirm too; with
	// it, accept the dialog.
	do("cancel", chromedp.Navigate(h.srv.URL+"/dashboard/bookings/"+wedding.ID+"/cancel"), chromedp.WaitVisible(chromedp.CSS("#confirm-cancel")),
		chromedp.Evaluate[chromedp.Void](`window.confirm = () => true`),
		chromedp.Click(chromedp.CSS(`label[for="refund-full"]`)), chromedp.Click(chromedp.CSS("#confirm-cancel")),
		chromedp.WaitVisible(chromedp.CSS(".flash-ok")))
	bkShot(t, bctx, dir, "canceled-390")
	text, _ := chromedp.Run(bctx, chromedp.Evaluate[string](`document.querySelector('.flash-ok').textContent`))
	if !strings.Contains(text, "is canceled") {
		t.Errorf("after cancel: %q", text)
	}
}

func bkShot(t *testing.T, ctx context.Context, dir, name string) {
	t.Helper()
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Fatalf("screenshot %s: %v", name, err)
	}
	path := filepath.Join(dir, name+".png")
	if err := os.WriteFile(path, png, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshot: %s", path)
}
