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

// catWeek writes a tenant's stored week as "MON 09:00-17:00, ...".
func catWeek(t *testing.T, h *harness, f *storetest.Fixture) string {
	t.Helper()
	w, err := h.dash.Business.WeekOf(context.Background(), f.Tenant)
	if err != nil {
		t.Fatal(err)
	}
	var parts []string
	for _, r := range w.Rules {
		parts = append(parts, r.Weekday+" "+r.Start+"-"+r.End)
	}
	return strings.Join(parts, ", ")
}

const catFixtureWeek = "MON 09:00-17:00, TUE 09:00-17:00, WED 09:00-17:00, THU 09:00-17:00, FRI 09:00-17:00, SAT 09:00-17:00"

// catClearWeek empties every range of an hours form.
func catClearWeek(v url.Values) {
	for k := range v {
		if strings.HasSuffix(k, "-start") || strings.HasSuffix(k, "-end") {
			v.Set(k, "")
		}
	}
}

func TestCatalogHours(t *testing.T) {
	eachBackend(t, func(t *testing.T, h *harness) {
		o := h.signIn(t, h.a)
		p := o.get(t, "/dashboard/hours")
		wantPage(t, p, http.StatusOK, `aria-current="page">Hours</a>`, "<legend>Monday</legend>", "<legend>Sunday</legend>",
			"Saved: closed", "America/New_York")
		catLabelled(t, p)
		if catValue(t, p, "MON-0-start") != "09:00" || catValue(t, p, "MON-0-end") != "17:00" || catValue(t, p, "MON-1-start") != "" ||
			catValue(t, p, "SUN-0-start") != "" {
			t.Fatalf("the form does not show the week:\n%s", p.Body)
		}
		form := catForm(t, p.Body, "/dashboard/hours")
		copyOf := func() url.Values {
			v := url.Values{}
			for k, vs := range form {
				v[k] = append([]string(nil), vs...)
			}
			return v
		}

		// Errors land on the range they are about: a range with one end
		// only, one overlapping another, one ending before it starts.
		v := copyOf()
		v.Set("WED-0-end", "")
		v.Set("MON-0-end", "12:00")
		v.Set("MON-1-start", "11:00")
		v.Set("MON-1-end", "15:00")
		v.Set("TUE-0-start", "17:00")
		v.Set("TUE-0-end", "09:00")
		r := o.post(t, "/dashboard/hours", v)
		wantPage(t, r, http.StatusBadRequest, `class="alert"`)
		catFieldErr(t, r, "WED-0-end", "Give the time this range ends")
		catFieldErr(t, r, "MON-1-start", "overlaps another range of MON (09:00 to 12:00)")
		catFieldErr(t, r, "TUE-0-end", "must be later than start")
		if catValue(t, r, "MON-1-start") != "11:00" || catValue(t, r, "TUE-0-start") != "17:00" || catValue(t, r, "WED-0-start") != "09:00" {
			t.Fatalf("what was typed was lost:\n%s", r.Body)
		}

		// A post without the week's inputs closes nothing.
		r = o.post(t, "/dashboard/hours", nil)
		if r.Status != http.StatusSeeOther || !strings.Contains(catFlash(t, o.follow(t, r)), "the form was incomplete") {
			t.Fatalf("an empty post: %d", r.Status)
		}

		// A week in which a service no longer fits.
		v = copyOf()
		catClearWeek(v)
		v.Set("MON-0-start", "09:00")
		v.Set("MON-0-end", "09:30")
		r = o.post(t, "/dashboard/hours", v)
		wantPage(t, r, http.StatusBadRequest)
		catFieldErr(t, r, "week", "The week has no range long enough for Portrait Session (60 minutes)")
		if got := catWeek(t, h, h.a); got != catFixtureWeek {
			t.Fatalf("refused forms changed the week: %s", got)
		}

		// Saved: two ranges on Monday, a time typed loosely, Sunday to midnight, Wednesday closed.
		v = copyOf()
		v.Set("MON-0-end", "12:00")
		v.Set("MON-1-start", "13:00")
		v.Set("MON-1-end", "18:30")
		v.Set("TUE-0-start", "8:00")
		v.Set("WED-0-start", "")
		v.Set("WED-0-end", "")
		v.Set("SUN-0-start", "18:00")
		v.Set("SUN-0-end", "00:00")
		r = o.post(t, "/dashboard/hours", v)
		next := o.follow(t, r)
		if got := catFlash(t, next); got != "Saved your opening hours." {
			t.Fatalf("flash %q", got)
		}
		want := "MON 09:00-12:00, MON 13:00-18:30, TUE 08:00-17:00, THU 09:00-17:00, FRI 09:00-17:00, SAT 09:00-17:00, SUN 18:00-24:00"
		if got := catWeek(t, h, h.a); got != want {
			t.Fatalf("saved week %s, want %s", got, want)
		}
		if catValue(t, next, "MON-1-start") != "13:00" || catValue(t, next, "SUN-0-end") != "00:00" || catValue(t, next, "MON-2-start") != "" ||
			!strings.Contains(next.Body, "Saved: 09:00–12:00, 13:00–18:30") {
			t.Fatalf("the page after saving:\n%s", next.Body)
		}

		// An edit racing another says what changed instead of overwriting it.
		stale := catForm(t, next.Body, "/dashboard/hours")
		if _, err := h.dash.Business.ReplaceWeek(context.Background(), h.a.Tenant, []business.Rule{{Weekday: "MON", Start: "10:00", End: "16:00"}}); err != nil {
			t.Fatal(err)
		}
		stale.Set("FRI-0-start", "10:00")
		r = o.post(t, "/dashboard/hours", stale)
		wantPage(t, r, http.StatusConflict, "Nothing was saved", "Monday is now “10:00–16:00”", "Sunday is now “closed”")
		if got := catWeek(t, h, h.a); got != "MON 10:00-16:00" {
			t.Fatalf("a stale form was saved: %s", got)
		}
		if catValue(t, r, "FRI-0-start") != "10:00" {
			t.Fatal("the stale form lost what was typed")
		}
		o.follow(t, o.post(t, "/dashboard/hours", catForm(t, r.Body, "/dashboard/hours")))
		if got := catWeek(t, h, h.a); !strings.HasPrefix(got, "MON 09:00-12:00, MON 13:00-18:30, TUE 08:00-17:00, THU 09:00-17:00, FRI 10:00-17:00") {
			t.Fatalf("saving again after the warning: %s", got)
		}

		// Another business's hours are its own.
		if got := catWeek(t, h, h.b); got != catFixtureWeek {
			t.Fatalf("another business's week changed: %s", got)
		}
	})
}

func TestCatalogDaysOff(t *testing.T) {
	eachBackend(t, func(t *testing.T, h *harness) {
		ctx := context.Background()
		o := h.signIn(t, h.a)
		p := o.get(t, "/dashboard/hours/daysoff")
		wantPage(t, p, http.StatusOK, `aria-current="page">Hours</a>`, "Upcoming days off", "Fri 25 Dec 2026", "Christmas", "No bookings on this day.")
		catLabelled(t, p)

		// One day with a booking on it: the booking stays, and the page links to it.
		b := catBooking(t, h, h.a, h.a.Portrait, catXSS, "xss@example.com", time.Date(2026, 12, 17, 15, 0, 0, 0, time.UTC))
		r := o.post(t, "/dashboard/hours/daysoff", url.Values{"from": {"2026-12-17"}, "to": {""}, "reason": {"Family day"}})
		if r.Status != http.StatusSeeOther || r.Location != "/dashboard/hours/daysoff" {
			t.Fatalf("add: %d %q\n%s", r.Status, r.Location, r.Body)
		}
		next := o.follow(t, r)
		if got := catFlash(t, next); got != "Closed Thu 17 Dec 2026. 1 booking is on those days and stays booked: move or cancel it (it is listed below)." {
			t.Fatalf("flash %q", got)
		}
		wantPage(t, next, http.StatusOK, "Thu 17 Dec 2026", "Family day", `href="/dashboard/bookings/`+b.ID+`"`, b.ConfirmationCode,
			"1 booking is still on this day", "&lt;script&gt;alert(1)&lt;/script&gt;", "Thu 17 Dec 2026, 10:00 AM EST")
		if strings.Contains(next.Body, catXSS) {
			t.Fatal("a customer's name is not escaped")
		}
		if got, _ := h.store.Booking(ctx, h.a.Tenant.ID, b.ID); got.Status != frontdesk.StatusConfirmed {
			t.Fatalf("closing a day changed its booking: %s", got.Status)
		}

		// A range.
		r = o.post(t, "/dashboard/hours/daysoff", url.Values{"from": {"2026-12-28"}, "to": {"2026-12-31"}, "reason": {"Holiday"}})
		next = o.follow(t, r)
		if got := catFlash(t, next); got != "Closed 4 days: Mon 28 Dec 2026 to Thu 31 Dec 2026." {
			t.Fatalf("flash %q", got)
		}
		wantPage(t, next, http.StatusOK, "Mon 28 Dec 2026 to Thu 31 Dec 2026", "(4 days)", "No bookings on these days.")

		// Errors next to their fields; nothing added.
		days := func() int {
			list, err := h.store.ListBlackoutDates(ctx, h.a.Tenant.ID, frontdesk.Date{Year: 2026, Month: 1, Day: 1}, frontdesk.Date{Year: 2027, Month: 12, Day: 31})
			if err != nil {
				t.Fatal(err)
			}
			return len(list)
		}
		n := days()
		r = o.post(t, "/dashboard/hours/daysoff", url.Values{"from": {""}, "to": {""}, "reason": {"Nothing"}})
		wantPage(t, r, http.StatusBadRequest, `class="alert"`)
		catFieldErr(t, r, "from", "Choose the first day off")
		if catValue(t, r, "reason") != "Nothing" {
			t.Fatal("the typed reason was lost")
		}
		r = o.post(t, "/dashboard/hours/daysoff", url.Values{"from": {"2027-01-10"}, "to": {"2027-01-05"}})
		catFieldErr(t, r, "to", "The last day off must not be before the first day off.")
		if catValue(t, r, "from") != "2027-01-10" {
			t.Fatal("the typed day was lost")
		}
		r = o.post(t, "/dashboard/hours/daysoff", url.Values{"from": {"10/01/2027"}})
		catFieldErr(t, r, "from", "must be a date YYYY-MM-DD")
		if got := days(); got != n {
			t.Fatalf("refused forms added days off: %d, want %d", got, n)
		}

		// Opening a range again opens all its days; another business finds none of them.
		list, err := h.store.ListBlackoutDates(ctx, h.a.Tenant.ID, frontdesk.Date{Year: 2026, Month: 12, Day: 28}, frontdesk.Date{Year: 2026, Month: 12, Day: 31})
		if err != nil || len(list) != 4 {
			t.Fatalf("the range: %v %v", list, err)
		}
		other := h.signIn(t, h.b)
		wantPage(t, other.post(t, "/dashboard/hours/daysoff/"+list[0].ID+"/delete", nil), http.StatusNotFound)
		if got := days(); got != n {
			t.Fatal("another business opened a day")
		}
		v := catForm(t, next.Body, "/dashboard/hours/daysoff/"+list[0].ID+"/delete")
		if len(v["more"]) != 3 {
			t.Fatalf("the range's form: %v", v)
		}
		r = o.post(t, "/dashboard/hours/daysoff/"+list[0].ID+"/delete", v)
		next = o.follow(t, r)
		if got := catFlash(t, next); got != "Opened 4 days again: customers can book them." {
			t.Fatalf("flash %q", got)
		}
		if got := days(); got != n-4 {
			t.Fatalf("days off after opening the range: %d, want %d", got, n-4)
		}
		if strings.Contains(next.Body, "Mon 28 Dec 2026") {
			t.Fatal("the opened range is still listed")
		}

		// A past day is listed after it is closed, with its bookings.
		r = o.post(t, "/dashboard/hours/daysoff", url.Values{"from": {"2026-12-01"}})
		if r.Location != "/dashboard/hours/daysoff?from=2026-12-01" {
			t.Fatalf("after closing a past day: %q", r.Location)
		}
		wantPage(t, o.follow(t, r), http.StatusOK, "Days off from Tue 1 Dec 2026", "Tue 1 Dec 2026")
	})
}
