package dashboard_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/frontdeskhq/frontdesk"
	"github.com/frontdeskhq/frontdesk/business"
	"github.com/frontdeskhq/frontdesk/storetest"
)

// catPackages lists a tenant's services in their order, by slug.
func catPackages(t *testing.T, h *harness, f *storetest.Fixture) []string {
	t.Helper()
	pkgs, err := h.store.ListPackages(context.Background(), f.Tenant.ID, false)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, p := range pkgs {
		out = append(out, p.Slug)
	}
	return out
}

func catPackage(t *testing.T, h *harness, f *storetest.Fixture, slug string) *frontdesk.Package {
	t.Helper()
	p, err := h.store.Package(context.Background(), f.Tenant.ID, slug)
	if err != nil {
		t.Fatalf("service %s: %v", slug, err)
	}
	return p
}

func TestCatalogServices(t *testing.T) {
	eachBackend(t, func(t *testing.T, h *harness) {
		o := h.signIn(t, h.a)
		ctx := context.Background()
		list := o.get(t, "/dashboard/services")
		wantPage(t, list, http.StatusOK, `aria-current="page">Services</a>`, "Wedding Photography", "Whole day", "$1,500.00",
			"Portrait Session", "60 min, then 15 min free", "Free Consultation", "Not offered", "Offered", `<td data-label="Price"`)

		// A new service, with the price typed as the owner reads it.
		form := o.get(t, "/dashboard/services/new")
		wantPage(t, form, http.StatusOK, "Price in USD", `id="type-timeslot" name="bookingType" value="TIMESLOT" checked`)
		catLabelled(t, form)
		v := catForm(t, form.Body, "/dashboard/services/new")
		v.Set("name", "Family Session")
		v.Set("description", "The whole family,\r\nin the garden.")
		v.Set("price", "180.50")
		v.Set("duration", "90")
		v.Set("buffer", "10")
		v.Set("category", "Portraits")
		r := o.post(t, "/dashboard/services/new", v)
		if r.Status != http.StatusSeeOther || r.Location != "/dashboard/services" {
			t.Fatalf("create: %d %q\n%s", r.Status, r.Location, r.Body)
		}
		next := o.follow(t, r)
		if got := catFlash(t, next); got != "Added Family Session." {
			t.Fatalf("flash %q", got)
		}
		fam := catPackage(t, h, h.a, "family-session")
		if fam.PriceCents != 18050 || fam.DurationMinutes != 90 || fam.BufferMinutes != 10 || fam.Category != "Portraits" || !fam.Active ||
			fam.Description != "The whole family,\nin the garden." || fam.BookingType != frontdesk.BookingTimeslot {
			t.Fatalf("created %+v", fam)
		}
		if order := catPackages(t, h, h.a); order[len(order)-1] != "family-session" {
			t.Fatalf("a new service is not last: %v", order)
		}
		wantPage(t, next, http.StatusOK, "Family Session", "$180.50", "90 min, then 10 min free")

		// Errors next to their fields, what was typed kept, nothing created.
		count := len(catPackages(t, h, h.a))
		v.Set("name", "Mini Session")
		v.Set("price", "abc")
		r = o.post(t, "/dashboard/services/new", v)
		wantPage(t, r, http.StatusBadRequest, `class="alert"`)
		catFieldErr(t, r, "price", "is not an amount")
		if catValue(t, r, "name") != "Mini Session" || catValue(t, r, "price") != "abc" || catValue(t, r, "duration") != "90" {
			t.Fatalf("what was typed was lost:\n%s", r.Body)
		}
		v.Set("name", " ")
		v.Set("price", "20")
		v.Set("duration", "600")
		r = o.post(t, "/dashboard/services/new", v)
		wantPage(t, r, http.StatusBadRequest)
		catFieldErr(t, r, "name", "The name must not be empty.")
		catFieldErr(t, r, "duration", "longer than any of your opening ranges")
		// What the form can't read and what the domain refuses, at once.
		v.Set("price", "1,5,0")
		v.Set("buffer", "ten")
		r = o.post(t, "/dashboard/services/new", v)
		wantPage(t, r, http.StatusBadRequest)
		catFieldErr(t, r, "name", "The name must not be empty.")
		catFieldErr(t, r, "price", "is not an amount")
		catFieldErr(t, r, "duration", "longer than any of your opening ranges")
		catFieldErr(t, r, "buffer", "must be a whole number of minutes")
		v.Set("buffer", "10")
		v.Set("price", "20")
		v.Set("name", "Mini Session")
		v.Set("duration", "")
		r = o.post(t, "/dashboard/services/new", v)
		catFieldErr(t, r, "duration", "is required for a time-slot service")
		v.Set("duration", "30")
		v.Set("slug", "portrait")
		r = o.post(t, "/dashboard/services/new", v)
		catFieldErr(t, r, "slug", "Another service already uses this slug")
		if n := len(catPackages(t, h, h.a)); n != count {
			t.Fatalf("refused forms created services: %d, want %d", n, count)
		}

		// Edit: the form shows the service; a whole-day service drops its length.
		edit := o.get(t, "/dashboard/services/"+h.a.Portrait.ID+"/edit")
		wantPage(t, edit, http.StatusOK, "Edit Portrait Session", `value="250.00"`, "Delete Portrait Session")
		if catValue(t, edit, "duration") != "60" || catValue(t, edit, "buffer") != "15" || catValue(t, edit, "slug") != "portrait" {
			t.Fatalf("edit form:\n%s", edit.Body)
		}
		catLabelled(t, edit)
		v = catForm(t, edit.Body, "/dashboard/services/"+h.a.Portrait.ID+"/edit")
		v.Set("price", "2.5.0")
		v.Set("name", "")
		r = o.post(t, "/dashboard/services/"+h.a.Portrait.ID+"/edit", v)
		wantPage(t, r, http.StatusBadRequest)
		catFieldErr(t, r, "price", "is not an amount")
		catFieldErr(t, r, "name", "must not be empty")
		if pt := catPackage(t, h, h.a, h.a.Portrait.ID); pt.PriceCents != 25000 || pt.Name != "Portrait Session" {
			t.Fatalf("a refused edit changed the service: %+v", pt)
		}
		v = catForm(t, edit.Body, "/dashboard/services/"+h.a.Portrait.ID+"/edit")
		v.Set("price", "275")
		v.Set("name", "Portrait Hour")
		v.Del("active")
		r = o.post(t, "/dashboard/services/"+h.a.Portrait.ID+"/edit", v)
		if got := catFlash(t, o.follow(t, r)); got != "Saved Portrait Hour." {
			t.Fatalf("flash %q", got)
		}
		pt := catPackage(t, h, h.a, h.a.Portrait.ID)
		if pt.PriceCents != 27500 || pt.Name != "Portrait Hour" || pt.Active || pt.Slug != "portrait" || pt.DurationMinutes != 60 {
			t.Fatalf("edited %+v", pt)
		}
		edit = o.get(t, "/dashboard/services/"+h.a.Free.ID+"/edit")
		v = catForm(t, edit.Body, "/dashboard/services/"+h.a.Free.ID+"/edit")
		v.Set("bookingType", "DATE")
		o.follow(t, o.post(t, "/dashboard/services/"+h.a.Free.ID+"/edit", v))
		if fr := catPackage(t, h, h.a, h.a.Free.ID); fr.BookingType != frontdesk.BookingDate || fr.DurationMinutes != 0 {
			t.Fatalf("made a whole-day service: %+v", fr)
		}

		// An edit racing another says what changed instead of overwriting it.
		edit = o.get(t, "/dashboard/services/"+h.a.Wedding.ID+"/edit")
		stale := catForm(t, edit.Body, "/dashboard/services/"+h.a.Wedding.ID+"/edit")
		price := int64(180000)
		if _, err := h.dash.Business.UpdatePackage(ctx, h.a.Tenant, h.a.Wedding.ID, business.PackageInput{PriceCents: &price}); err != nil {
			t.Fatal(err)
		}
		stale.Set("name", "Weddings")
		r = o.post(t, "/dashboard/services/"+h.a.Wedding.ID+"/edit", stale)
		wantPage(t, r, http.StatusConflict, "Nothing was saved", "The price is now “$1,800.00”")
		if catValue(t, r, "name") != "Weddings" {
			t.Fatal("the stale form lost what was typed")
		}
		if w := catPackage(t, h, h.a, h.a.Wedding.ID); w.Name != "Wedding Photography" || w.PriceCents != 180000 {
			t.Fatalf("a stale form was saved: %+v", w)
		}
		o.follow(t, o.post(t, "/dashboard/services/"+h.a.Wedding.ID+"/edit", catForm(t, r.Body, "/dashboard/services/"+h.a.Wedding.ID+"/edit")))
		if w := catPackage(t, h, h.a, h.a.Wedding.ID); w.Name != "Weddings" || w.PriceCents != 150000 {
			t.Fatalf("saving again after the warning: %+v", w)
		}

		// Order: consult moves up one place, then back down.
		before := catPackages(t, h, h.a)
		i := indexOf(before, "consult")
		r = o.post(t, "/dashboard/services/"+h.a.Free.ID+"/move?dir=up", nil)
		if r.Status != http.StatusSeeOther || r.Location != "/dashboard/services#service-"+h.a.Free.ID {
			t.Fatalf("move: %d %q", r.Status, r.Location)
		}
		after := catPackages(t, h, h.a)
		if indexOf(after, "consult") != i-1 || after[i] != before[i-1] {
			t.Fatalf("move up: %v → %v", before, after)
		}
		if got := catFlash(t, o.follow(t, r)); got != "Moved Free Consultation up." {
			t.Fatalf("flash %q", got)
		}
		o.post(t, "/dashboard/services/"+h.a.Free.ID+"/move?dir=down", nil)
		if got := catPackages(t, h, h.a); strings.Join(got, " ") != strings.Join(before, " ") {
			t.Fatalf("move down: %v, want %v", got, before)
		}
		first := before[0]
		r = o.post(t, "/dashboard/services/"+catPackage(t, h, h.a, first).ID+"/move?dir=up", nil)
		if got := catFlash(t, o.follow(t, r)); !strings.Contains(got, "is already first") {
			t.Fatalf("flash %q", got)
		}

		// Delete: without bookings the service goes; with bookings it is archived.
		ask := o.get(t, "/dashboard/services/"+fam.ID+"/delete")
		wantPage(t, ask, http.StatusOK, "Delete Family Session?", "has no bookings", `id="confirm-delete"`, "Cancel</a>")
		r = o.post(t, "/dashboard/services/"+fam.ID+"/delete", nil)
		if got := catFlash(t, o.follow(t, r)); got != "Deleted Family Session." {
			t.Fatalf("flash %q", got)
		}
		if _, err := h.store.Package(ctx, h.a.Tenant.ID, fam.ID); !frontdesk.IsCode(err, frontdesk.ENotFound) {
			t.Fatalf("deleted service: %v", err)
		}
		catBooking(t, h, h.a, h.a.Portrait, "Ann Lee", "ann@example.com", time.Date(2026, 12, 14, 15, 0, 0, 0, time.UTC))
		ask = o.get(t, "/dashboard/services/"+h.a.Portrait.ID+"/delete")
		wantPage(t, ask, http.StatusOK, "has bookings, so it will be archived", "Archive Portrait Hour")
		r = o.post(t, "/dashboard/services/"+h.a.Portrait.ID+"/delete", nil)
		next = o.follow(t, r)
		if got := catFlash(t, next); !strings.HasPrefix(got, "Archived Portrait Hour: it has bookings") {
			t.Fatalf("flash %q", got)
		}
		if strings.Contains(next.Body, "/dashboard/services/"+h.a.Portrait.ID+"/edit") {
			t.Fatal("an archived service is still listed")
		}
		if p, err := h.store.Package(ctx, h.a.Tenant.ID, h.a.Portrait.ID); err != nil || !p.Archived {
			t.Fatalf("archived service: %+v %v", p, err)
		}
		wantPage(t, o.get(t, "/dashboard/services/"+h.a.Portrait.ID+"/edit"), http.StatusNotFound)
	})
}

func indexOf(list []string, s string) int {
	for i, v := range list {
		if v == s {
			return i
		}
	}
	return -1
}

func TestCatalogServicesIsolationAndEscaping(t *testing.T) {
	eachBackend(t, func(t *testing.T, h *harness) {
		ctx := context.Background()
		name := catXSS
		if _, err := h.dash.Business.CreatePackage(ctx, h.a.Tenant, business.PackageInput{Name: &name, PriceCents: new(int64), BookingType: new("DATE")}); err != nil {
			t.Fatal(err)
		}
		a := h.signIn(t, h.a)
		list := a.get(t, "/dashboard/services")
		if strings.Contains(list.Body, catXSS) || !strings.Contains(list.Body, "&lt;script&gt;alert(1)&lt;/script&gt;") {
			t.Fatalf("a service's name is not escaped:\n%s", list.Body)
		}

		// Another business's owner finds none of these services.
		b := h.signIn(t, h.b)
		id := h.a.Portrait.ID
		for _, path := range []string{"/dashboard/services/" + id, "/dashboard/services/" + id + "/edit", "/dashboard/services/" + id + "/delete"} {
			wantPage(t, b.get(t, path), http.StatusNotFound)
		}
		edit := a.get(t, "/dashboard/services/"+id+"/edit")
		v := catForm(t, edit.Body, "/dashboard/services/"+id+"/edit")
		v.Set("name", "Stolen")
		v.Del("csrf")
		for path, vals := range map[string]url.Values{
			"/dashboard/services/" + id + "/edit":                      v,
			"/dashboard/services/" + id + "/delete":                    nil,
			"/dashboard/services/" + id + "/move?dir=down":             nil,
			"/dashboard/services/" + h.a.Wedding.ID + "/move?dir=down": nil,
		} {
			wantPage(t, b.post(t, path, vals), http.StatusNotFound)
		}
		if p := catPackage(t, h, h.a, id); p.Name != "Portrait Session" || p.Position != 0 {
			t.Fatalf("another business changed a service: %+v", p)
		}
	})
}

// TestCatalogPrices checks how typed prices are read: what can be read
// without guessing is, the rest is refused next to the field.
func TestCatalogPrices(t *testing.T) {
	h := sqliteHarness(t)
	o := h.signIn(t, h.a)
	form := catForm(t, o.get(t, "/dashboard/services/new").Body, "/dashboard/services/new")
	for i, tc := range []struct {
		in    string
		cents int64
		err   string
	}{
		{"150", 15000, ""}, {"150.00", 15000, ""}, {"150.5", 15050, ""}, {"0", 0, ""}, {"$150", 15000, ""},
		{"1,500.50", 150050, ""}, {"1.500,50", 150050, ""}, {"150,5", 15050, ""}, {" 2 500.00 ", 250000, ""},
		{"USD 99.99", 9999, ""}, {"1,000,000", 100000000, ""}, {".5", 50, ""}, {"19.9900", 1999, ""}, {"19.990", 0, "is unclear"},
		{"", 0, "is required"}, {"abc", 0, "is not an amount"}, {"-5", 0, "cannot be negative"},
		{"1,500", 0, "is unclear"}, {"12.345", 0, "is unclear"}, {"12.3456", 0, "more decimals than USD has (2)"},
		{"1.2.3", 0, "is not an amount"}, {"1,000,001", 0, "at most $1,000,000.00"}, {"99999999999999", 0, "at most"},
		{"1e5", 0, "is not an amount"}, {"€150", 0, "is not an amount"},
	} {
		v := url.Values{}
		for k, vs := range form {
			v[k] = append([]string(nil), vs...)
		}
		name := "Price case " + string(rune('A'+i))
		v.Set("name", name)
		v.Set("price", tc.in)
		r := o.post(t, "/dashboard/services/new", v)
		if tc.err != "" {
			if r.Status != http.StatusBadRequest {
				t.Errorf("price %q: %d, want a refusal", tc.in, r.Status)
				continue
			}
			catFieldErr(t, r, "price", tc.err)
			continue
		}
		if r.Status != http.StatusSeeOther {
			t.Errorf("price %q refused: %d", tc.in, r.Status)
			continue
		}
		if p := catPackage(t, h, h.a, business.Slugify(name)); p.PriceCents != tc.cents {
			t.Errorf("price %q read as %d, want %d", tc.in, p.PriceCents, tc.cents)
		}
	}
	// A currency without decimals.
	cur := "jpy"
	if _, err := h.dash.Business.UpdateProfile(context.Background(), h.a.Tenant, business.ProfilePatch{Currency: &cur}); err != nil {
		t.Fatal(err)
	}
	for i, tc := range []struct {
		in    string
		cents int64
	}{{"1500", 1500}, {"1,500", 1500}, {"1.500", 1500}, {"1500.00", 1500}} {
		v := url.Values{}
		for k, vs := range form {
			v[k] = append([]string(nil), vs...)
		}
		name := "Yen " + string(rune('A'+i))
		v.Set("name", name)
		v.Set("price", tc.in)
		r := o.post(t, "/dashboard/services/new", v)
		if r.Status != http.StatusSeeOther {
			t.Errorf("yen price %q: %d\n%s", tc.in, r.Status, r.Body)
			continue
		}
		if p := catPackage(t, h, h.a, business.Slugify(name)); p.PriceCents != tc.cents {
			t.Errorf("yen price %q read as %d, want %d", tc.in, p.PriceCents, tc.cents)
		}
	}
	r := o.post(t, "/dashboard/services/new", url.Values{"name": {"Yen bad"}, "price": {"15.5"}, "bookingType": {"DATE"}})
	catFieldErr(t, r, "price", "more decimals than JPY has (0)")
	wantPage(t, o.get(t, "/dashboard/services/"+h.a.Wedding.ID+"/edit"), http.StatusOK, `value="150000"`, "Price in JPY")
}
