package e2e

import (
	"github.com/frontdeskhq/frontdesk"

	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"html/template"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/frontdeskhq/frontdesk/app"
	"github.com/frontdeskhq/frontdesk/browsertest"
	"github.com/frontdeskhq/frontdesk/business"
	"github.com/frontdeskhq/frontdesk/storetest"
)

// customerPage is a business's own website, on its own origin, embedding
// the widget with the one tag the README gives.
var customerPage = template.Must(template.New("page").Parse(`<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Harbor Yoga</title></head>
<body>
<h1>Harbor Yoga</h1>
<p>A small yoga studio by the harbour. Book a lesson with our assistant.</p>
<script src="{{.Frontdesk}}/widget.js" data-tenant-key="{{.PublicKey}}" async></script>
</body></html>
`))

// ownerAPI calls the tenant API with the business's secret key.
type ownerAPI struct {
	t    *testing.T
	base string
	key  string
}

// call sends body (nil: none) as JSON, fails the test unless the answer
// has status want, and decodes the answer into out (nil: ignored).
func (o ownerAPI) call(method, path string, body any, want int, out any) {
	o.t.Helper()
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			o.t.Fatal(err)
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, o.base+path, rd)
	if err != nil {
		o.t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+o.key)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		o.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer res.Body.Close()
	raw, _ := io.ReadAll(res.Body)
	if res.StatusCode != want {
		o.t.Fatalf("%s %s: status %d, want %d: %s", method, path, res.StatusCode, want, raw)
	}
	if out != nil {
		if err := json.Unmarshal(raw, out); err != nil {
			o.t.Fatalf("%s %s: %v in %s", method, path, err, raw)
		}
	}
}

// widgetStatus is the status of the public API's greeting asked from a
// browser on origin, as the widget asks it (no browser: Origin set by hand).
func widgetStatus(t *testing.T, base, publicKey, origin string) int {
	t.Helper()
	req, err := http.NewRequest("GET", base+"/v1/public/chat/greeting", nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("X-Tenant-Key", publicKey)
	req.Header.Set("Origin", origin)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	return res.StatusCode
}

// TestOwnerBuildsBusinessAndSells builds a business with no SQL and no demo
// code, from the repository's sample business file (what `frontdesk tenant
// apply` runs) and the tenant API; embeds its widget on the business's own
// site, a different origin; and books and pays the service the owner added
// through that widget in a real browser. The same page on a site the
// business has not allowed gets the "not available" state.
func TestOwnerBuildsBusinessAndSells(t *testing.T) {
	browsertest.Chromium(t)
	shots := browsertest.ArtifactsDir(t, "owner")

	srv := httptest.NewUnstartedServer(nil)
	base := "http://" + srv.Listener.Addr().String()
	env := map[string]string{"DATABASE_URL": filepath.Join(t.TempDir(), "owner.db"), "PUBLIC_URL": base}
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
	srv.Config.Handler = a.Server.Handler()
	srv.Start()
	t.Cleanup(srv.Close) // after the browser's cleanup

	// The business, from the sample file, as `frontdesk tenant apply` does.
	data, err := os.ReadFile("../examples/business.yaml")
	if err != nil {
		t.Fatal(err)
	}
	file, err := business.ParseFile(data)
	if err != nil {
		t.Fatalf("examples/business.yaml: %v", err)
	}
	applied, err := a.Business.Apply(ctx, file, business.ApplyOptions{})
	if err != nil {
		t.Fatalf("apply examples/business.yaml: %v", err)
	}
	if !applied.Created || !strings.HasPrefix(applied.SecretKey, "sk_") || !strings.HasPrefix(applied.PublicKey, "pk_") {
		t.Fatalf("apply made %+v, want a new business with its keys", applied)
	}
	owner := ownerAPI{t: t, base: base, key: applied.SecretKey}

	// The business's own website, and a site it has not allowed.
	serve := func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/" {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		customerPage.Execute(w, map[string]string{"Frontdesk": base, "PublicKey": applied.PublicKey})
	}
	shop := httptest.NewServer(http.HandlerFunc(serve))
	defer shop.Close()
	stranger := httptest.NewServer(http.HandlerFunc(serve))
	defer stranger.Close()

	// The owner allows the website (the file's origins are replaced).
	if got := widgetStatus(t, base, applied.PublicKey, shop.URL); got != http.StatusForbidden {
		t.Fatalf("before the owner allowed %s its widget answered %d, want 403", shop.URL, got)
	}
	var profile business.Profile
	owner.call("PATCH", "/v1/tenant", map[string]any{"allowedOrigins": []string{shop.URL}}, http.StatusOK, &profile)
	if !slices.Equal(profile.AllowedOrigins, []string{shop.URL}) || profile.Name != "Harbor Yoga" || profile.PublicKey != applied.PublicKey {
		t.Fatalf("PATCH /v1/tenant answered %+v, want Harbor Yoga allowing only %s", profile, shop.URL)
	}
	if got := widgetStatus(t, base, applied.PublicKey, shop.URL); got != http.StatusOK {
		t.Fatalf("once allowed, %s gets %d from the widget's API, want 200", shop.URL, got)
	}

	// A new service, and evening hours on the days the file keeps closed.
	var pkg business.PackageView
	owner.call("POST", "/v1/tenant/packages", map[string]any{"slug": "sunset-session", "name": "Sunset Session",
		"description": "Forty-five minutes of slow flow as the sun goes down.", "priceCents": 4500,
		"bookingType": "TIMESLOT", "durationMinutes": 45, "category": "lessons"}, http.StatusCreated, &pkg)
	if pkg.Slug != "sunset-session" || pkg.BookingType != "TIMESLOT" || pkg.DurationMinutes == nil || *pkg.DurationMinutes != 45 ||
		pkg.Currency != "eur" || !pkg.Active {
		t.Fatalf("POST /v1/tenant/packages answered %+v", pkg)
	}
	rules := append([]business.Rule{}, *file.Hours...)
	for _, d := range []string{"SUN", "TUE", "THU"} {
		rules = append(rules, business.Rule{Weekday: d, Start: "17:00", End: "21:00"})
	}
	var week business.Week
	owner.call("PUT", "/v1/tenant/availability", map[string]any{"rules": rules}, http.StatusOK, &week)
	if week.TimeZone != "Europe/Lisbon" || len(week.Rules) != len(rules) {
		t.Fatalf("PUT /v1/tenant/availability answered %+v, want the %d ranges sent", week, len(rules))
	}

	// What visitors are offered: the first open slot is the one to book.
	var offer struct {
		PackageName string `json:"packageName"`
		frontdesk.CheckAvailabilityOut
	}
	owner.call("GET", "/v1/tenant/availability/preview?packageId=sunset-session", nil, http.StatusOK, &offer)
	lisbon, err := time.LoadLocation(offer.TimeZone)
	if err != nil {
		t.Fatalf("the preview's time zone %q: %v", offer.TimeZone, err)
	}
	starts := offer.Starts(lisbon)
	if offer.PackageName != "Sunset Session" || len(starts) == 0 {
		t.Fatalf("the preview of sunset-session offers %+v, want open slots", offer)
	}
	sunday := false
	for _, st := range starts {
		sunday = sunday || st.Weekday() == time.Sunday
	}
	if !sunday {
		t.Errorf("the preview offers no Sunday slot though the owner opened Sunday evenings: %+v", offer.Days)
	}
	slot := starts[0]
	day, clock := slot.Format("2006-01-02"), slot.Format("3:04 PM")
	t.Logf("booking the first open slot, %s at %s (%s)", day, clock, slot.Format(time.RFC3339))

	// The browser, on the business's own site.
	bctx, cancelTimeout := context.WithTimeout(browsertest.New(t, 420, 860, false), 120*time.Second)
	defer cancelTimeout()

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
	text := func(js string) string {
		t.Helper()
		s, err := chromedp.Run(bctx, chromedp.Evaluate[string](js))
		if err != nil {
			t.Fatalf("%s: %v", js, err)
		}
		return s
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
	lastAnswer := func() string {
		return text(fmt.Sprintf(`[...%s('.fd-msg.fd-assistant')].pop().textContent`, qa))
	}
	// say sends text as the visitor and returns the assistant's answer.
	say := func(msg string) string {
		t.Helper()
		before := assistantCount()
		step("say "+msg,
			chromedp.Evaluate[chromedp.Void](fmt.Sprintf(`(() => { const i = %s('[data-testid=fd-input]'); i.value = %q; i.dispatchEvent(new Event('input', {bubbles: true})); })()`, q, msg)),
			click("[data-testid=fd-send]"),
			waitFor(fmt.Sprintf(`(%s('.fd-msg.fd-assistant').length > %d && !%s('[data-testid=fd-typing]:not([hidden])')) || %s('[data-testid=fd-error]')`, qa, before, q, q)),
		)
		if e := text(fmt.Sprintf(`(%s('[data-testid=fd-error]') || {}).textContent || ''`, q)); e != "" {
			browsertest.TryShot(t, bctx, shots, "failed-say")
			t.Fatalf("the widget shows an error after %q: %s", msg, e)
		}
		answer := lastAnswer()
		t.Logf("visitor: %s\nassistant: %s", msg, answer)
		return answer
	}
	// afterNavigation waits for a condition on the page a click navigates to.
	afterNavigation := func(name, js string) {
		t.Helper()
		if err := browsertest.Until(bctx, js, 20*time.Second); err != nil {
			browsertest.TryShot(t, bctx, shots, "failed-"+name)
			t.Fatalf("%s: %v", name, err)
		}
	}

	step("open the business's site", chromedp.Navigate(shop.URL+"/"),
		waitFor(`document.getElementById('frontdesk-widget') && document.getElementById('frontdesk-widget').shadowRoot`),
		click("[data-testid=fd-launcher]"),
		waitFor(qa+`('.fd-msg.fd-assistant').length > 0 || `+q+`('[data-testid=fd-error]')`))
	if e := text(fmt.Sprintf(`(%s('[data-testid=fd-error]') || {}).textContent || ''`, q)); e != "" {
		browsertest.TryShot(t, bctx, shots, "failed-open")
		t.Fatalf("the widget on the allowed site %s shows an error: %s", shop.URL, e)
	}
	if g := lastAnswer(); !strings.Contains(g, "Harbor Yoga") {
		t.Errorf("the greeting on the business's site is %q, want it to name Harbor Yoga", g)
	}

	answers := []string{say("I'd like the Sunset Session")}
	answers = append(answers, say(day))
	answers = append(answers, say(clock))
	answers = append(answers, say("My name is Rita Sousa"))
	answers = append(answers, say("rita.sousa@example.com"))
	// The business does not require a phone: the proposal comes at once.
	if !strings.Contains(answers[len(answers)-1], "Please confirm below.") {
		browsertest.TryShot(t, bctx, shots, "failed-proposal")
		t.Fatalf("after the email the assistant said %q, want the proposal with no phone question", answers[len(answers)-1])
	}
	step("proposal", waitFor(q+`('[data-testid=fd-confirm]')`))
	preview := text(q + `('[data-testid=fd-preview]').textContent`)
	for _, want := range []string{"Sunset Session", "Rita Sousa", clock} {
		if !strings.Contains(preview, want) {
			t.Errorf("the proposal reads %q, want it to carry %q", preview, want)
		}
	}
	browsertest.TryShot(t, bctx, shots, "proposal")
	step("confirm", click("[data-testid=fd-confirm]"), waitFor(q+`('[data-testid=fd-code]') && `+q+`('[data-testid=fd-pay]')`))
	code := regexp.MustCompile(`BK-[A-HJ-NP-Z2-9]{6}`).FindString(text(q + `('[data-testid=fd-code]').textContent`))
	if code == "" {
		t.Fatal("no confirmation code shown after confirm")
	}
	browsertest.TryShot(t, bctx, shots, "booked")

	type bookingList struct {
		Bookings []struct {
			ConfirmationCode string     `json:"confirmationCode"`
			Status           string     `json:"status"`
			PackageName      string     `json:"packageName"`
			StartTime        *time.Time `json:"startTime"`
			TotalPriceCents  int64      `json:"totalPriceCents"`
			Currency         string     `json:"currency"`
			PaidAt           *time.Time `json:"paidAt"`
			Customer         struct {
				Name  string `json:"name"`
				Email string `json:"email"`
			} `json:"customer"`
		} `json:"bookings"`
	}
	checkBooking := func(status string) {
		t.Helper()
		var list bookingList
		owner.call("GET", "/v1/tenant/bookings", nil, http.StatusOK, &list)
		if len(list.Bookings) != 1 {
			t.Fatalf("GET /v1/tenant/bookings lists %d bookings, want the one made in the widget: %+v", len(list.Bookings), list)
		}
		b := list.Bookings[0]
		if b.ConfirmationCode != code || b.Status != status || b.PackageName != "Sunset Session" ||
			b.Customer.Email != "rita.sousa@example.com" || b.Customer.Name != "Rita Sousa" ||
			b.StartTime == nil || !b.StartTime.Equal(slot) || b.TotalPriceCents != 4500 || b.Currency != "eur" ||
			(status != "PENDING") != (b.PaidAt != nil) {
			t.Errorf("the owner sees %+v, want %s %s of Sunset Session at %s for rita.sousa@example.com, EUR 45.00", b, status, code, slot)
		}
	}
	checkBooking("PENDING")

	// The customer pays in the test-mode checkout.
	step("open checkout", click("[data-testid=fd-pay]"))
	afterNavigation("open checkout", `location.pathname.startsWith('/checkout/test/') && document.getElementById('pay')`)
	if amount := text(`document.getElementById('amount').textContent`); !strings.Contains(amount, "45.00") {
		t.Errorf("checkout shows %q, want the Sunset Session's 45.00", amount)
	}
	step("pay", chromedp.Evaluate[chromedp.Void](`document.getElementById('pay').click()`))
	afterNavigation("pay", `location.pathname === '/booking/success' && document.getElementById('status')`)
	if status := strings.TrimSpace(text(`document.getElementById('status').textContent`)); status != "CONFIRMED" {
		browsertest.TryShot(t, bctx, shots, "failed-pay")
		t.Fatalf("success page shows status %q, want CONFIRMED", status)
	}
	checkBooking("CONFIRMED")

	// The emails wait in the outbox.
	mails, err := a.Store.ListEmails(ctx, applied.TenantID)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []struct{ to, subject string }{
		{"rita.sousa@example.com", "Booking received: " + code},
		{"hello@harbor-yoga.example", "New booking from Rita Sousa"},
		{"rita.sousa@example.com", "Payment received: " + code},
	} {
		found := false
		for _, m := range mails {
			found = found || m.Email.Subject == want.subject && strings.Contains(m.Email.To, want.to)
		}
		if !found {
			var got []string
			for _, m := range mails {
				got = append(got, m.Email.To+": "+m.Email.Subject)
			}
			t.Errorf("the outbox has no %q to %s; it holds %q", want.subject, want.to, got)
		}
	}

	// The customer cancels from the link in the email, on a phone.
	var manage string
	for _, m := range mails {
		if m.Email.Subject == "Payment received: "+code {
			manage = regexp.MustCompile(`https?://[^\s"<>]+/b/m_[0-9a-f]{64}`).FindString(m.Email.Text)
		}
	}
	if manage == "" {
		t.Fatal("the payment email has no manage link")
	}
	step("open the manage page on a phone", chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile), chromedp.Navigate(manage),
		waitFor(`document.getElementById('code') && document.getElementById('cancel')`))
	browsertest.TryShot(t, bctx, shots, "manage")
	if got := text(`document.getElementById('code').textContent`); got != code {
		t.Errorf("the manage page shows %q, want %s", got, code)
	}
	step("open the cancel step", chromedp.Evaluate[chromedp.Void](`document.getElementById('cancel').click()`))
	afterNavigation("cancel step", `location.pathname.endsWith('/cancel') && document.getElementById('confirm-cancel')`)
	browsertest.TryShot(t, bctx, shots, "manage-cancel")
	// The sample business refunds in full 24 hours ahead, nothing later.
	wantRefund, wantStatus := "no refund", "CANCELED"
	if time.Until(slot) >= 24*time.Hour {
		wantRefund, wantStatus = "45.00", "REFUNDED"
	}
	if refund := text(`document.getElementById('refund').textContent`); !strings.Contains(refund, wantRefund) {
		t.Errorf("the cancel step says %q, want %q (the slot is %s away)", refund, wantRefund, time.Until(slot).Round(time.Minute))
	}
	step("cancel", chromedp.Evaluate[chromedp.Void](`document.getElementById('reason').value = 'Plans changed'; document.getElementById('confirm-cancel').click()`))
	afterNavigation("canceled", `!location.pathname.endsWith('/cancel') && document.getElementById('status')`)
	browsertest.TryShot(t, bctx, shots, "manage-canceled")
	checkBooking(wantStatus)
	// The slot is offered again.
	var again frontdesk.CheckAvailabilityOut
	owner.call("GET", "/v1/tenant/availability/preview?packageId=sunset-session&from="+day+"&to="+day, nil, http.StatusOK, &again)
	free := false
	for _, at := range again.Starts(lisbon) {
		free = free || at.Equal(slot)
	}
	if !free {
		t.Errorf("the canceled slot %s is not offered again: %+v", slot, again.Days)
	}

	// The same page on a site the business has not allowed.
	step("open the stranger's site", chromedp.Navigate(stranger.URL+"/"),
		waitFor(`document.getElementById('frontdesk-widget') && document.getElementById('frontdesk-widget').shadowRoot`),
		click("[data-testid=fd-launcher]"),
		waitFor(q+`('[data-testid=fd-error]')`))
	browsertest.TryShot(t, bctx, shots, "not-allowed")
	if e := text(q + `('[data-testid=fd-error]').textContent`); !strings.Contains(e, "isn't available on this site") {
		t.Errorf("on %s, not allowed, the widget says %q, want that the assistant isn't available on this site", stranger.URL, e)
	}
	if n := assistantCount(); n != 0 {
		t.Errorf("on %s, not allowed, the widget shows %d assistant messages, want none", stranger.URL, n)
	}
	type answer struct {
		Status int    `json:"status"`
		Error  string `json:"error"`
	}
	got, err := chromedp.Run(bctx, chromedp.Evaluate[answer](fmt.Sprintf(`fetch(%q, {headers: {'X-Tenant-Key': %q}})
		.then(async r => ({status: r.status, error: (await r.json()).error}))`, base+"/v1/public/chat/greeting", applied.PublicKey),
		chromedp.EvalAwaitPromise))
	if err != nil || got.Status != http.StatusForbidden || got.Error != "forbidden" {
		t.Errorf("the public API from %s answered %+v (%v), want 403 forbidden", stranger.URL, got, err)
	}
	if !strings.Contains(logs.String(), "path=/v1/public/chat/session status=403") {
		t.Error("no 403 for the widget's session request from the stranger's site in the request log")
	}
}
