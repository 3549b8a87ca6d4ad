package dashboard_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/frontdeskhq/frontdesk"
	"github.com/frontdeskhq/frontdesk/booking"
	"github.com/frontdeskhq/frontdesk/browsertest"
	"github.com/frontdeskhq/frontdesk/dashboard"
)

// TestBookingScreenshots looks at every bookings page at 1280x800 and
// 390x844, and checks them for labels, heading order and width.
func TestBookingScreenshots(t *testing.T) {
	browsertest.Chromium(t)
	dir := browsertest.ArtifactsDir(t, "dashboard-bookings")
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
	bctx, cancel := context.WithTimeout(browsertest.New(t, 1280, 800, false), 3*time.Minute)
	defer cancel()
	do := func(name string, actions ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		if err := chromedp.Do(bctx, actions...); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
	}
	signInBrowser(t, bctx, link)
	do("sign in", chromedp.WaitVisible(chromedp.CSS("main h1")))

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
		w, h int
	}{{"1280", 1280, 800}, {"390", 390, 844}} {
		do("viewport", browsertest.Viewport(size.w, size.h, size.w < 600))
		for _, p := range pages {
			do(p.name, chromedp.Navigate(h.srv.URL+p.path), chromedp.WaitVisible(chromedp.CSS(p.ready)))
			browsertest.Shot(t, bctx, dir, p.name+"-"+size.name)
			if bad, err := browsertest.A11y(bctx); err != nil || len(bad) > 0 {
				t.Errorf("%s at %s: %s %v", p.name, size.name, strings.Join(bad, "; "), err)
			}
		}
		// The new-booking form with its errors.
		do("new with errors", chromedp.Navigate(h.srv.URL+"/dashboard/bookings/new?date=2026-12-14&service="+h.a.Portrait.ID),
			chromedp.WaitVisible(chromedp.CSS("#book")),
			chromedp.Evaluate[chromedp.Void](`document.querySelector('form.form').noValidate = true`),
			chromedp.Evaluate[chromedp.Void](`document.getElementById('time').value = '10:15'`), chromedp.SendKeys(chromedp.CSS("#email"), "not-an-email"),
			chromedp.Click(chromedp.CSS("#book")), chromedp.WaitVisible(chromedp.CSS(".alert")))
		browsertest.Shot(t, bctx, dir, "new-errors-"+size.name)
		if bad, err := browsertest.A11y(bctx); err != nil || len(bad) > 0 {
			t.Errorf("new with errors at %s: %s %v", size.name, strings.Join(bad, "; "), err)
		}
	}
	// The cancel confirmation works without the script's confirm too; with
	// it, accept the dialog.
	do("cancel", chromedp.Navigate(h.srv.URL+"/dashboard/bookings/"+wedding.ID+"/cancel"), chromedp.WaitVisible(chromedp.CSS("#confirm-cancel")),
		chromedp.Evaluate[chromedp.Void](`window.confirm = () => true`),
		chromedp.Click(chromedp.CSS(`label[for="refund-full"]`)), chromedp.Click(chromedp.CSS("#confirm-cancel")),
		chromedp.WaitVisible(chromedp.CSS(".flash-ok")))
	browsertest.Shot(t, bctx, dir, "canceled-390")
	text, _ := chromedp.Run(bctx, chromedp.Evaluate[string](`document.querySelector('.flash-ok').textContent`))
	if !strings.Contains(text, "is canceled") {
		t.Errorf("after cancel: %q", text)
	}
}

// signInBrowser follows a sign-in link in the browser and presses Sign in
// on the page it opens (opening the link alone signs no one in), then waits
// for the page it leads to.
func signInBrowser(t *testing.T, bctx context.Context, link string) {
	t.Helper()
	if err := chromedp.Do(bctx, chromedp.Navigate(link), chromedp.WaitVisible(chromedp.CSS("#signin")), chromedp.Click(chromedp.CSS("#signin"))); err != nil {
		t.Fatalf("sign in: %v", err)
	}
	if err := browsertest.Until(bctx, `!location.pathname.startsWith('/dashboard/signin') && document.readyState === 'complete'`, 20*time.Second); err != nil {
		t.Fatalf("sign in: %v", err)
	}
}
