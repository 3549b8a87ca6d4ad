package dashboard_test

import (
	"context"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/frontdeskhq/frontdesk"
	"github.com/frontdeskhq/frontdesk/business"
	"github.com/frontdeskhq/frontdesk/storetest"
)

// catForm reads the form of a page that posts to action as a browser
// would send it untouched: inputs (checked boxes and radios only) and
// textareas.
func catForm(t *testing.T, body, action string) url.Values {
	t.Helper()
	i := strings.Index(body, `action="`+action+`"`)
	if i < 0 {
		t.Fatalf("no form posting to %s:\n%s", action, body)
	}
	j := strings.Index(body[i:], "</form>")
	part := body[i : i+j]
	attr := func(tag, name string) (string, bool) {
		m := regexp.MustCompile(`\s` + name + `(?:="([^"]*)")?[\s>]`).FindStringSubmatch(tag)
		if m == nil {
			return "", false
		}
		return html.UnescapeString(m[1]), true
	}
	v := url.Values{}
	for _, tag := range regexp.MustCompile(`<input[^>]*>`).FindAllString(part, -1) {
		name, ok := attr(tag, "name")
		if !ok {
			continue
		}
		typ, _ := attr(tag, "type")
		value, _ := attr(tag, "value")
		if typ == "checkbox" || typ == "radio" {
			if _, checked := attr(tag, "checked"); !checked {
				continue
			}
		}
		v.Add(name, value)
	}
	for _, m := range regexp.MustCompile(`(?s)<textarea[^>]*\sname="([^"]+)"[^>]*>(.*?)</textarea>`).FindAllStringSubmatch(part, -1) {
		v.Add(m[1], html.UnescapeString(strings.TrimPrefix(m[2], "\n")))
	}
	return v
}

// catFieldErr fails unless the page shows an error for input id that
// contains want, tied to the input by aria-describedby, with the input
// marked invalid.
func catFieldErr(t *testing.T, p page, id, want string) {
	t.Helper()
	m := regexp.MustCompile(`<p class="field-error[^"]*" id="` + regexp.QuoteMeta(id) + `-error">([^<]*)</p>`).FindStringSubmatch(p.Body)
	if m == nil {
		t.Fatalf("no error for %s:\n%s", id, p.Body)
	}
	if got := html.UnescapeString(m[1]); !strings.Contains(got, want) {
		t.Fatalf("the error of %s says %q, want %q", id, got, want)
	}
	if id == "week" {
		return
	}
	tag := regexp.MustCompile(`<(?:input|textarea|select)[^>]*\sid="` + regexp.QuoteMeta(id) + `"[^>]*>`).FindString(p.Body)
	if !strings.Contains(tag, `aria-invalid="true"`) || !strings.Contains(tag, id+"-error") {
		t.Fatalf("input %s is not marked invalid and described by its error: %s", id, tag)
	}
}

// catValue returns the value attribute of input id.
func catValue(t *testing.T, p page, id string) string {
	t.Helper()
	tag := regexp.MustCompile(`<input[^>]*\sid="` + regexp.QuoteMeta(id) + `"[^>]*>`).FindString(p.Body)
	if tag == "" {
		t.Fatalf("no input %s:\n%s", id, p.Body)
	}
	m := regexp.MustCompile(`\svalue="([^"]*)"`).FindStringSubmatch(tag)
	if m == nil {
		return ""
	}
	return html.UnescapeString(m[1])
}

// catFlash returns the flash message of a page.
func catFlash(t *testing.T, p page) string {
	t.Helper()
	m := regexp.MustCompile(`<p class="flash[^"]*"[^>]*>([^<]*)</p>`).FindStringSubmatch(p.Body)
	if m == nil {
		t.Fatalf("no flash message:\n%s", p.Body)
	}
	return html.UnescapeString(m[1])
}

// catLabelled fails unless every input, textarea and select of the page
// has a label bound to it (hidden inputs aside).
func catLabelled(t *testing.T, p page) {
	t.Helper()
	for _, tag := range regexp.MustCompile(`<(?:input|textarea|select)[^>]*>`).FindAllString(p.Body, -1) {
		if strings.Contains(tag, `type="hidden"`) {
			continue
		}
		m := regexp.MustCompile(`\sid="([^"]+)"`).FindStringSubmatch(tag)
		if m == nil || !strings.Contains(p.Body, `for="`+m[1]+`"`) {
			t.Errorf("no label for %s", tag)
		}
	}
}

// catTenant reads a tenant as stored.
func catTenant(t *testing.T, h *harness, f *storetest.Fixture) *frontdesk.Tenant {
	t.Helper()
	tn, err := h.store.TenantByID(context.Background(), f.Tenant.ID)
	if err != nil {
		t.Fatal(err)
	}
	return tn
}

// catBooking stores a confirmed booking of p at start for a customer.
func catBooking(t *testing.T, h *harness, f *storetest.Fixture, p *frontdesk.Package, name, email string, start time.Time) *frontdesk.Booking {
	t.Helper()
	ctx := context.Background()
	c, err := h.store.FindOrCreateCustomer(ctx, &frontdesk.Customer{ID: frontdesk.NewID(), TenantID: f.Tenant.ID, Email: email, Name: name, CreatedAt: testNow})
	if err != nil {
		t.Fatal(err)
	}
	b := f.Booking(p, c, start)
	b.Status = frontdesk.StatusConfirmed
	if err := h.store.CreateBooking(ctx, b); err != nil {
		t.Fatal(err)
	}
	return b
}

const catXSS = `<script>alert(1)</script>`

func TestCatalogWidget(t *testing.T) {
	eachBackend(t, func(t *testing.T, h *harness) {
		o := h.signIn(t, h.a)
		pk := h.a.Tenant.PublicKey
		p := o.get(t, "/dashboard/widget")
		wantPage(t, p, http.StatusOK, `aria-current="page">Website widget</a>`, `data-copy="widget-snippet"`,
			`src="/dashboard/widget/preview"`, `title="Preview of your booking widget"`)
		snippet := regexp.MustCompile(`(?s)<pre class="snippet" id="widget-snippet">(.*?)</pre>`).FindStringSubmatch(p.Body)
		want := `<script src="` + h.srv.URL + `/widget.js" data-tenant-key="` + pk + `" async></script>`
		if snippet == nil || html.UnescapeString(snippet[1]) != want {
			t.Fatalf("the snippet is %q, want %q", snippet, want)
		}
		if got := catValue(t, p, "origin-0"); got != "https://lumen-studio.test" {
			t.Fatalf("the first allowed website is %q", got)
		}
		if p.Header.Get("X-Frame-Options") != "DENY" {
			t.Fatalf("the widget page may be framed: %q", p.Header.Get("X-Frame-Options"))
		}
		catLabelled(t, p)

		// The preview: a plain page with this business's widget, framable by the dashboard only.
		pv := o.get(t, "/dashboard/widget/preview")
		wantPage(t, pv, http.StatusOK, `<script src="/widget.js" data-tenant-key="`+pk+`" async></script>`, "<noscript>", "needs JavaScript")
		if got := pv.Header.Get("X-Frame-Options"); got != "SAMEORIGIN" {
			t.Errorf("preview X-Frame-Options %q", got)
		}
		csp := pv.Header.Get("Content-Security-Policy")
		for _, w := range []string{"frame-ancestors 'self'", "script-src 'self'", "connect-src 'self'"} {
			if !strings.Contains(csp, w) {
				t.Errorf("preview CSP %q lacks %q", csp, w)
			}
		}
		if strings.Contains(csp, "'none'; form") || strings.Contains(csp, "frame-ancestors 'none'") {
			t.Errorf("preview CSP still refuses framing: %q", csp)
		}
		other := h.signIn(t, h.b)
		if b := other.get(t, "/dashboard/widget/preview"); strings.Contains(b.Body, pk) || !strings.Contains(b.Body, h.b.Tenant.PublicKey) {
			t.Fatalf("another business's preview shows the wrong key:\n%s", b.Body)
		}

		// Errors next to the website they are about; nothing saved, what was typed kept.
		v := catForm(t, p.Body, "/dashboard/widget/origins")
		v.Set("origin-1", "https://shop.example.com/booking")
		v.Set("origin-2", "ftp://files.example.com")
		r := o.post(t, "/dashboard/widget/origins", v)
		wantPage(t, r, http.StatusBadRequest, `class="alert"`)
		catFieldErr(t, r, "origin-1", "must be a site origin")
		catFieldErr(t, r, "origin-2", "must be a site origin")
		if got := catValue(t, r, "origin-1"); got != "https://shop.example.com/booking" {
			t.Fatalf("the typed website became %q", got)
		}
		if got := catTenant(t, h, h.a).AllowedOrigins; !slices.Equal(got, []string{"https://lumen-studio.test"}) {
			t.Fatalf("a refused form changed the websites: %v", got)
		}

		// A post without the list closes nothing; a post without the form's token is refused.
		if got := catFlash(t, o.follow(t, o.post(t, "/dashboard/widget/origins", nil))); !strings.Contains(got, "the form was incomplete") {
			t.Fatalf("an empty post: %q", got)
		}
		forged := catForm(t, p.Body, "/dashboard/widget/origins")
		forged.Set("csrf", "")
		forged.Set("origin-0", "https://evil.example")
		wantPage(t, o.post(t, "/dashboard/widget/origins", forged), http.StatusForbidden)
		if got := catTenant(t, h, h.a).AllowedOrigins; !slices.Equal(got, []string{"https://lumen-studio.test"}) {
			t.Fatalf("a refused post changed the websites: %v", got)
		}

		// Saved, normalised; a cleared line removes a website.
		v = catForm(t, p.Body, "/dashboard/widget/origins")
		v.Set("origin-0", "")
		v.Set("origin-1", "https://Shop.Example.com/")
		v.Set("origin-2", "http://localhost:8080")
		r = o.post(t, "/dashboard/widget/origins", v)
		next := o.follow(t, r)
		if got := catFlash(t, next); !strings.Contains(got, "2 websites") {
			t.Fatalf("flash %q", got)
		}
		if got := catTenant(t, h, h.a).AllowedOrigins; !slices.Equal(got, []string{"https://shop.example.com", "http://localhost:8080"}) {
			t.Fatalf("allowed websites %v", got)
		}
		if catValue(t, next, "origin-0") != "https://shop.example.com" || catValue(t, next, "origin-2") != "" {
			t.Fatalf("the page after saving:\n%s", next.Body)
		}

		// A form opened before a change made elsewhere says what changed.
		stale := catForm(t, next.Body, "/dashboard/widget/origins")
		list := []string{"https://elsewhere.example"}
		if _, err := h.dash.Business.UpdateProfile(context.Background(), catTenant(t, h, h.a), business.ProfilePatch{AllowedOrigins: &list}); err != nil {
			t.Fatal(err)
		}
		stale.Set("origin-2", "https://mine.example")
		r = o.post(t, "/dashboard/widget/origins", stale)
		wantPage(t, r, http.StatusConflict, "Nothing was saved", "https://elsewhere.example")
		if got := catValue(t, r, "origin-2"); got != "https://mine.example" {
			t.Fatalf("the stale form lost what was typed: %q", got)
		}
		if got := catTenant(t, h, h.a).AllowedOrigins; !slices.Equal(got, list) {
			t.Fatalf("a stale form overwrote the websites: %v", got)
		}
		again := o.post(t, "/dashboard/widget/origins", catForm(t, r.Body, "/dashboard/widget/origins"))
		o.follow(t, again)
		if got := catTenant(t, h, h.a).AllowedOrigins; !slices.Equal(got, []string{"https://shop.example.com", "http://localhost:8080", "https://mine.example"}) {
			t.Fatalf("saving again after the warning: %v", got)
		}
	})
}

func TestCatalogInfo(t *testing.T) {
	eachBackend(t, func(t *testing.T, h *harness) {
		o := h.signIn(t, h.a)
		p := o.get(t, "/dashboard/info")
		wantPage(t, p, http.StatusOK, `aria-current="page">Business info</a>`, "Free cancellation up to 48 hours before.", `<datalist id="zones">`)
		catLabelled(t, p)
		if catValue(t, p, "name") != "Lumen Studio" || catValue(t, p, "policy-0-name") != "cancellation" || catValue(t, p, "policy-1-name") != "" ||
			catValue(t, p, "timeZone") != "America/New_York" || catValue(t, p, "currency") != "USD" {
			t.Fatalf("the form does not show the profile:\n%s", p.Body)
		}
		before := catTenant(t, h, h.a)

		// Errors from the domain, each next to its field, what was typed kept.
		v := catForm(t, p.Body, "/dashboard/info")
		v.Set("contactEmail", "not an address")
		v.Set("timeZone", "Mars/Olympus")
		v.Set("faq-0-question", "Can I bring my dog?")
		v.Set("phone", "12")
		v.Set("policy-1-name", "payment")
		r := o.post(t, "/dashboard/info", v)
		wantPage(t, r, http.StatusBadRequest, `class="alert"`)
		catFieldErr(t, r, "contactEmail", "The contact email must be an email address")
		catFieldErr(t, r, "timeZone", "IANA time zone")
		catFieldErr(t, r, "faq-0-answer", "The answer must not be empty")
		catFieldErr(t, r, "phone", "The phone must be a phone number")
		catFieldErr(t, r, "policy-1-text", "The policy must not be empty")
		if catValue(t, r, "contactEmail") != "not an address" || catValue(t, r, "faq-0-question") != "Can I bring my dog?" ||
			catValue(t, r, "policy-1-name") != "payment" || catValue(t, r, "faq-1-question") != "" {
			t.Fatalf("what was typed was lost:\n%s", r.Body)
		}
		// A policy text without a name; two policies under one name.
		v = catForm(t, p.Body, "/dashboard/info")
		v.Set("policy-1-text", "Pay when you book.")
		r = o.post(t, "/dashboard/info", v)
		catFieldErr(t, r, "policy-1-name", "This policy needs a policy name")
		v = catForm(t, p.Body, "/dashboard/info")
		v.Set("policy-1-name", "cancellation")
		v.Set("policy-1-text", "No refunds.")
		r = o.post(t, "/dashboard/info", v)
		catFieldErr(t, r, "policy-1-name", "Another policy already has this name")
		if got := catTenant(t, h, h.a); got.ContactEmail != before.ContactEmail || got.TimeZone != before.TimeZone || len(got.Info.FAQ) != 0 || got.Version != before.Version {
			t.Fatalf("a refused form changed the business: %+v", got)
		}

		// Saved: contact, a policy added and one removed, a question, zone and currency.
		v = catForm(t, p.Body, "/dashboard/info")
		v.Set("phone", "+1 555 010 0100")
		v.Set("website", "https://lumen.example")
		v.Set("address", "1 Main St, Springfield")
		v.Set("description", "Portraits and weddings.\r\nSince 2010.")
		v.Set("policy-0-remove", "1")
		v.Set("policy-1-name", "payment")
		v.Set("policy-1-text", "Pay when you book.")
		v.Set("faq-0-question", "Can I bring my dog?")
		v.Set("faq-0-answer", "Yes, well-behaved dogs are welcome.")
		v.Set("timeZone", "America/Chicago")
		v.Set("currency", "eur")
		r = o.post(t, "/dashboard/info", v)
		next := o.follow(t, r)
		if got := catFlash(t, next); got != "Saved your business info." {
			t.Fatalf("flash %q", got)
		}
		tn := catTenant(t, h, h.a)
		if tn.Info.Phone != "+1 555 010 0100" || tn.Info.Website != "https://lumen.example" || tn.Info.Address != "1 Main St, Springfield" ||
			tn.Info.Description != "Portraits and weddings.\nSince 2010." || tn.TimeZone != "America/Chicago" || tn.Currency != "eur" ||
			len(tn.Info.Policies) != 1 || tn.Info.Policies["payment"] != "Pay when you book." ||
			len(tn.Info.FAQ) != 1 || tn.Info.FAQ[0].Answer != "Yes, well-behaved dogs are welcome." {
			t.Fatalf("saved profile %+v", tn)
		}
		if catValue(t, next, "policy-0-name") != "payment" || catValue(t, next, "faq-0-question") != "Can I bring my dog?" || catValue(t, next, "faq-1-question") != "" {
			t.Fatalf("the page after saving:\n%s", next.Body)
		}

		// A question removed; an edit racing another says what changed.
		stale := catForm(t, next.Body, "/dashboard/info")
		phone := "+1 555 010 0199"
		if _, err := h.dash.Business.UpdateProfile(context.Background(), tn, business.ProfilePatch{Info: &business.InfoPatch{Phone: &phone}}); err != nil {
			t.Fatal(err)
		}
		stale.Set("faq-0-remove", "1")
		r = o.post(t, "/dashboard/info", stale)
		wantPage(t, r, http.StatusConflict, "Nothing was saved")
		if !strings.Contains(html.UnescapeString(r.Body), "The phone number is now “+1 555 010 0199”") {
			t.Fatalf("the stale form does not say what changed:\n%s", r.Body)
		}
		if len(catTenant(t, h, h.a).Info.FAQ) != 1 {
			t.Fatal("a stale form was saved")
		}
		again := catForm(t, r.Body, "/dashboard/info")
		if again.Get("faq-0-remove") != "1" {
			t.Fatalf("the stale form lost the ticked box: %v", again)
		}
		o.follow(t, o.post(t, "/dashboard/info", again))
		if tn := catTenant(t, h, h.a); len(tn.Info.FAQ) != 0 || tn.Info.Phone != "+1 555 010 0100" {
			t.Fatalf("saving again after the warning: %+v", tn.Info)
		}

		// Text is escaped wherever it comes from.
		desc := catXSS
		pol := map[string]string{catXSS: catXSS}
		if _, err := h.dash.Business.UpdateProfile(context.Background(), catTenant(t, h, h.a), business.ProfilePatch{Info: &business.InfoPatch{Description: &desc, Policies: &pol}}); err != nil {
			t.Fatal(err)
		}
		p = o.get(t, "/dashboard/info")
		if strings.Contains(p.Body, catXSS) || !strings.Contains(p.Body, "&lt;script&gt;alert(1)&lt;/script&gt;") {
			t.Fatalf("text not escaped:\n%s", p.Body)
		}
	})
}
