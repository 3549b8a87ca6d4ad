package dashboard_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/frontdeskhq/frontdesk"
	"github.com/frontdeskhq/frontdesk/booking"
	"github.com/frontdeskhq/frontdesk/dashboard"
	"github.com/frontdeskhq/frontdesk/storetest"
)

// The clock stands at Thursday 10 December 2026, 10:00 in New York; the
// week runs Monday 7 to Sunday 13 December.

// bkBook takes a booking for tenant f as its owner would, and reads it back.
func bkBook(t *testing.T, h *harness, f *storetest.Fixture, in booking.OwnerBooking) *frontdesk.Booking {
	t.Helper()
	if in.Customer.Email == "" {
		in.Customer = frontdesk.Customer{Name: "Ann Lee", Email: "ann@example.com", Phone: "+1 555 010 0100"}
	}
	b, err := h.dash.Bookings.BookForOwner(context.Background(), f.Tenant, in)
	if err != nil {
		t.Fatalf("book %+v: %v", in, err)
	}
	return bkReload(t, h, f, b.ID)
}

func bkReload(t *testing.T, h *harness, f *storetest.Fixture, id string) *frontdesk.Booking {
	t.Helper()
	b, err := h.store.Booking(context.Background(), f.Tenant.ID, id)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// bkPortrait is a portrait session on a day of December 2026 at hh:mm New York time.
func bkPortrait(f *storetest.Fixture, day int, hm string) booking.OwnerBooking {
	return booking.OwnerBooking{PackageID: f.Portrait.ID, Date: fmt.Sprintf("2026-12-%02d", day), StartTime: hm}
}

// bkKinds lists the kinds of the tenant's emails about a booking.
func bkKinds(t *testing.T, h *harness, f *storetest.Fixture, id string) []string {
	t.Helper()
	es, err := h.store.ListEmails(context.Background(), f.Tenant.ID)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range es {
		if strings.Contains(e.IdempotencyKey, id) {
			out = append(out, e.Kind)
		}
	}
	return out
}

func bkHas(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// bkLacks fails when p contains any of the strings.
func bkLacks(t *testing.T, p page, not ...string) {
	t.Helper()
	for _, s := range not {
		if strings.Contains(p.Body, s) {
			t.Fatalf("the page has %q:\n%s", s, p.Body)
		}
	}
}

// bkField fails unless the page shows msg as the error of field name, with
// the field marked invalid and pointing at it.
func bkField(t *testing.T, p page, name, msg string) {
	t.Helper()
	if !strings.Contains(p.Body, `<p class="field-error" id="`+name+`-error">`+msg) {
		t.Fatalf("no error %q next to %s:\n%s", msg, name, p.Body)
	}
	tag := regexp.MustCompile(`<(input|select|textarea)[^>]*id="` + name + `"[^>]*>`).FindString(p.Body)
	if !strings.Contains(tag, `aria-invalid="true"`) || !regexp.MustCompile(`aria-describedby="[^"]*\b`+name+`-error\b`).MatchString(tag) {
		t.Fatalf("field %s is not marked invalid: %s", name, tag)
	}
}

func TestBookingsList(t *testing.T) {
	eachBackend(t, func(t *testing.T, h *harness) {
		o := h.signIn(t, h.a)
		p := bkBook(t, h, h.a, bkPortrait(h.a, 11, "14:00"))
		w := bkBook(t, h, h.a, booking.OwnerBooking{PackageID: h.a.Wedding.ID, Date: "2026-12-12", Paid: true,
			Customer: frontdesk.Customer{Name: "Bob Stone", Email: "bob@example.org"}})
		free := bkBook(t, h, h.a, booking.OwnerBooking{PackageID: h.a.Free.ID, Date: "2026-12-15", StartTime: "09:00",
			Customer: frontdesk.Customer{Name: "Cleo Park", Email: "cleo@example.net"}})

		r := o.get(t, "/dashboard/bookings")
		wantPage(t, r, http.StatusOK, `aria-current="page">Bookings`,
			`href="/dashboard/bookings/`+p.ID+`"`, p.ConfirmationCode, "Fri 11 Dec 2026, 2:00 PM EST", "Portrait Session", "Ann Lee",
			"Awaiting payment", "$250.00, not paid yet",
			w.ConfirmationCode, "Sat 12 Dec 2026, all day", "Wedding Photography", "Bob Stone", "Confirmed", "$1,500.00, paid",
			free.ConfirmationCode, "Free Consultation", "Free")

		// Filters: status, a part of an email, the code, dates.
		r = o.get(t, "/dashboard/bookings?status=CONFIRMED")
		wantPage(t, r, http.StatusOK, w.ConfirmationCode, free.ConfirmationCode, `<option value="CONFIRMED" selected>`)
		bkLacks(t, r, p.ConfirmationCode)
		r = o.get(t, "/dashboard/bookings?q=EXAMPLE.ORG")
		wantPage(t, r, http.StatusOK, w.ConfirmationCode, `value="EXAMPLE.ORG"`, "Clear the filters")
		bkLacks(t, r, p.ConfirmationCode, free.ConfirmationCode)
		r = o.get(t, "/dashboard/bookings?q="+strings.ToLower(p.ConfirmationCode))
		wantPage(t, r, http.StatusOK, p.ConfirmationCode)
		bkLacks(t, r, w.ConfirmationCode, free.ConfirmationCode)
		r = o.get(t, "/dashboard/bookings?from=2026-12-12&to=2026-12-14")
		wantPage(t, r, http.StatusOK, w.ConfirmationCode, `value="2026-12-12"`)
		bkLacks(t, r, p.ConfirmationCode, free.ConfirmationCode)
		wantPage(t, o.get(t, "/dashboard/bookings?q=nobody-at-all"), http.StatusOK, "No booking matches these filters")

		// Bad filters: said next to the field, what was typed kept.
		r = o.get(t, "/dashboard/bookings?from=12/14/2026&to=2026-12-01&status=LOST")
		wantPage(t, r, http.StatusBadRequest, `role="alert"`, `value="12/14/2026"`)
		bkField(t, r, "from", "Enter a date")
		bkField(t, r, "status", "Choose one of the statuses")
		r = o.get(t, "/dashboard/bookings?from=2026-12-14&to=2026-12-01")
		wantPage(t, r, http.StatusBadRequest)
		bkField(t, r, "to", "The end date is before the start date.")

		// A stale page link starts over.
		wantPage(t, o.get(t, "/dashboard/bookings?cursor=nonsense"), http.StatusOK, "out of date", p.ConfirmationCode)
	})
}

func TestBookingsListPages(t *testing.T) {
	h := sqliteHarness(t)
	o := h.signIn(t, h.a)
	ctx := context.Background()
	c := h.a.Customer(t, h.store, "many@example.com")
	codes := map[string]bool{}
	for i := range 30 {
		day := 14 + i/6
		b := h.a.Booking(h.a.Free, c, time.Date(2026, 12, day, 14+i%6, 0, 0, 0, time.UTC))
		if err := h.store.CreateBooking(ctx, b); err != nil {
			t.Fatal(err)
		}
		codes[b.ConfirmationCode] = true
	}
	count := func(p page) int {
		n := 0
		for code := range codes {
			if strings.Contains(p.Body, ">"+code+"<") {
				n++
			}
		}
		return n
	}
	first := o.get(t, "/dashboard/bookings?q=many")
	wantPage(t, first, http.StatusOK, "Older bookings")
	if n := count(first); n != 25 {
		t.Fatalf("first page has %d bookings, want 25", n)
	}
	next := regexp.MustCompile(`href="(/dashboard/bookings\?[^"]*cursor=[^"]+)">Older`).FindStringSubmatch(first.Body)
	if next == nil {
		t.Fatal("no link to the next page")
	}
	link := strings.ReplaceAll(next[1], "&amp;", "&")
	if !strings.Contains(link, "q=many") {
		t.Fatalf("the next page link drops the filter: %s", link)
	}
	second := o.get(t, link)
	wantPage(t, second, http.StatusOK, "Newest bookings")
	bkLacks(t, second, "Older bookings")
	if n := count(second); n != 5 {
		t.Fatalf("second page has %d bookings, want 5", n)
	}
}

func TestBookingsWeek(t *testing.T) {
	eachBackend(t, func(t *testing.T, h *harness) {
		o := h.signIn(t, h.a)
		p := bkBook(t, h, h.a, bkPortrait(h.a, 11, "14:00"))
		early := bkBook(t, h, h.a, booking.OwnerBooking{PackageID: h.a.Free.ID, Date: "2026-12-11", StartTime: "09:00",
			Customer: frontdesk.Customer{Name: "Early Bird", Email: "early@example.com"}})
		w := bkBook(t, h, h.a, booking.OwnerBooking{PackageID: h.a.Wedding.ID, Date: "2026-12-12", Paid: true,
			Customer: frontdesk.Customer{Name: "Bob Stone", Email: "bob@example.org"}})
		gone := bkBook(t, h, h.a, bkPortrait(h.a, 14, "11:30")) // Monday 14: next week
		if _, err := h.dash.Bookings.Cancel(context.Background(), h.a.Tenant, gone.ID, booking.CancelRequest{By: booking.ByBusiness}); err != nil {
			t.Fatal(err)
		}
		other := bkBook(t, h, h.b, booking.OwnerBooking{PackageID: h.b.Portrait.ID, Date: "2026-12-11", StartTime: "09:00",
			Customer: frontdesk.Customer{Name: "Other Customer", Email: "other@example.com"}})

		// This week by default; any day opens its Monday's week.
		for _, path := range []string{"/dashboard/bookings/week", "/dashboard/bookings/week?start=2026-12-13"} {
			r := o.get(t, path)
			wantPage(t, r, http.StatusOK, "Week of 7 – 13 December 2026", "America/New_York (EST)",
				"Monday 7 December", "Sunday 13 December", `Thursday 10 December <span class="bk-tag">Today</span>`,
				`href="/dashboard/bookings/`+p.ID+`"`, "2:00 PM – 3:00 PM", "Ann Lee", "Awaiting payment",
				"9:00 AM – 9:30 AM", "Early Bird", "All day", "Bob Stone",
				`href="/dashboard/bookings/week?start=2026-11-30"`, `href="/dashboard/bookings/week?start=2026-12-14"`,
				`href="/dashboard/bookings/new?date=2026-12-11"`)
			bkLacks(t, r, other.ConfirmationCode, "Other Customer", "This week</a>")
			// Friday lists 9:00 before 2:00 PM.
			fri := r.Body[strings.Index(r.Body, "Friday 11 December"):strings.Index(r.Body, "Saturday 12 December")]
			if strings.Index(fri, early.ID) > strings.Index(fri, p.ID) {
				t.Fatalf("Friday is not in time order:\n%s", fri)
			}
		}
		_ = w

		// Next week: the canceled booking only on asking; Christmas is a day off.
		r := o.get(t, "/dashboard/bookings/week?start=2026-12-14")
		wantPage(t, r, http.StatusOK, "Week of 14 – 20 December 2026", "This week</a>", "Show canceled and expired too")
		bkLacks(t, r, gone.ID)
		r = o.get(t, "/dashboard/bookings/week?start=2026-12-14&all=1")
		wantPage(t, r, http.StatusOK, gone.ID, "Canceled", "Show live bookings only", `href="/dashboard/bookings/week?all=1&amp;start=2026-12-21"`)
		wantPage(t, o.get(t, "/dashboard/bookings/week?start=2026-12-25"), http.StatusOK, "21 – 27 December 2026", "Day off: Christmas")
		wantPage(t, o.get(t, "/dashboard/bookings/week?start=2026-12-28"), http.StatusOK, "28 December 2026 – 3 January 2027")

		// A date that isn't one: this week, and why.
		wantPage(t, o.get(t, "/dashboard/bookings/week?start=soon"), http.StatusOK, `role="alert"`, "is not a date", "Week of 7 – 13 December 2026")
	})
}

func TestBookingDetail(t *testing.T) {
	eachBackend(t, func(t *testing.T, h *harness) {
		ctx := context.Background()
		b := bkBook(t, h, h.a, booking.OwnerBooking{PackageID: h.a.Portrait.ID, Date: "2026-12-14", StartTime: "10:15",
			Customer: frontdesk.Customer{Name: "Ann Lee", Email: "ann@example.com", Phone: "+1 555 010 0100"},
			Notes:    "Two kids.\nOne dog.", NotifyCustomer: true})
		if b.CheckoutURL == "" {
			t.Fatal("no checkout link on a pending paid booking")
		}

		// An owner's email links here: signing in comes back to it.
		anon := &owner{h: h, client: newJarClient()}
		path := "/dashboard/bookings/" + b.ID
		r := anon.get(t, path)
		if r.Status != http.StatusSeeOther || r.Location != "/dashboard/signin?next="+url.QueryEscape(path) {
			t.Fatalf("signed out: %d %q", r.Status, r.Location)
		}
		link, err := dashboard.NewLoginLink(ctx, h.store, h.srv.URL, h.a.Tenant, h.a.Tenant.ContactEmail, path, h.clock.Now())
		if err != nil {
			t.Fatal(err)
		}
		if r := anon.post(t, link, url.Values{}); r.Status != http.StatusSeeOther || r.Location != path {
			t.Fatalf("sign-in link: %d %q", r.Status, r.Location)
		}

		r = anon.get(t, path)
		wantPage(t, r, http.StatusOK, "Booking <span id=\"code\">"+b.ConfirmationCode, "Ann Lee", `href="mailto:ann@example.com"`,
			`href="tel:&#43;1%20555%20010%200100"`, "&#43;1 555 010 0100", "Portrait Session",
			"Monday 14 December 2026, 10:15 AM – 11:15 AM EST", "Awaiting payment", "$250.00, not paid yet",
			"Taken by the business", "Two kids.\nOne dog.", "Never",
			`id="checkout-url" href="`+b.CheckoutURL+`"`, `data-copy="checkout-url"`,
			"Booking confirmation to the customer", "ann@example.com", "Waiting to send",
			"No conversation was kept for this booking.",
			`href="/dashboard/bookings/`+b.ID+`/reschedule"`, `href="/dashboard/bookings/`+b.ID+`/cancel"`)

		// The conversation that led to it, once the chat kept it.
		if err := h.store.SaveTranscript(ctx, h.a.Tenant.ID, b.ID, "customer: Hi, a portrait on Monday?\nassistant: Monday at 10:00 is open.\nIt takes an hour.\n"); err != nil {
			t.Fatal(err)
		}
		r = anon.get(t, path)
		wantPage(t, r, http.StatusOK, "<strong>Customer:</strong> <span class=\"bk-pre\">Hi, a portrait on Monday?",
			"<strong>Assistant:</strong> <span class=\"bk-pre\">Monday at 10:00 is open.\nIt takes an hour.")
		bkLacks(t, r, "No conversation was kept")

		// Unknown ids, another tenant's, malformed: not found.
		wantPage(t, anon.get(t, "/dashboard/bookings/"+frontdesk.NewID()), http.StatusNotFound, "Not found")
		wantPage(t, anon.get(t, "/dashboard/bookings/nope"), http.StatusNotFound)
	})
}

func TestBookingCancel(t *testing.T) {
	eachBackend(t, func(t *testing.T, h *harness) {
		ctx := context.Background()
		// Half back from 120 hours before the start: Monday 10:15 is 96 hours away.
		h.a.Tenant.Settings.RefundPolicy = []frontdesk.RefundTier{{HoursBefore: 120, Percent: 100}, {HoursBefore: 0, Percent: 50}}
		if err := h.store.UpdateTenant(ctx, h.a.Tenant); err != nil {
			t.Fatal(err)
		}
		o := h.signIn(t, h.a)
		b := bkBook(t, h, h.a, booking.OwnerBooking{PackageID: h.a.Portrait.ID, Date: "2026-12-14", StartTime: "10:15", Paid: true})
		path := "/dashboard/bookings/" + b.ID + "/cancel"

		r := o.get(t, path)
		wantPage(t, r, http.StatusOK, "Cancel booking "+b.ConfirmationCode, `data-confirm="Cancel booking `+b.ConfirmationCode,
			`value="policy" checked`, "As your refund policy says: $125.00", "50% at this notice, of $250.00 paid",
			"Full refund: $250.00", "No refund: $0.00", `name="csrf"`, `<label for="reason">`, `id="notify" name="notify" value="1" checked`,
			`href="/dashboard/bookings/`+b.ID+`">Keep the booking`)

		// Errors: next to their field, what was typed kept, nothing canceled.
		long := strings.Repeat("too long ", 60)
		r = o.post(t, path, url.Values{"refund": {"everything"}, "reason": {long}, "notify": {"1"}})
		wantPage(t, r, http.StatusBadRequest, `role="alert"`, `<p class="field-error" id="refund-error">`, strings.TrimSpace(long))
		bkField(t, r, "reason", "Keep the reason to 500 characters")
		if got := bkReload(t, h, h.a, b.ID); got.Status != frontdesk.StatusConfirmed {
			t.Fatalf("a refused form canceled the booking: %s", got.Status)
		}

		// Cancel with a full refund, telling the customer.
		r = o.post(t, path, url.Values{"refund": {"full"}, "reason": {"The studio floods."}, "notify": {"1"}})
		next := o.follow(t, r)
		wantPage(t, next, http.StatusOK, "Booking "+b.ConfirmationCode+" is canceled. $250.00 was refunded. The customer is being emailed.",
			"Canceled, refunded", "The studio floods.", "$250.00", "Refunded", "Cancellation to the customer", "Refund to the customer")
		bkLacks(t, next, `id="cancel"`, `id="reschedule"`)
		got := bkReload(t, h, h.a, b.ID)
		if got.Status != frontdesk.StatusRefunded || got.RefundedCents != 25000 || got.CancellationReason != "The studio floods." {
			t.Fatalf("after cancel: %s refunded %d reason %q", got.Status, got.RefundedCents, got.CancellationReason)
		}
		if k := bkKinds(t, h, h.a, b.ID); !bkHas(k, frontdesk.EmailBookingCanceled) || !bkHas(k, frontdesk.EmailTenantBookingCanceled) {
			t.Fatalf("emails after cancel: %v", k)
		}

		// The same form again (another tab): nothing changes, the first outcome is said.
		r = o.post(t, path, url.Values{"refund": {"full"}, "notify": {"1"}})
		wantPage(t, o.follow(t, r), http.StatusOK, "flash-error", "Nothing was changed: Booking "+b.ConfirmationCode+" is already canceled. A refund of $250.00 was made.")
		wantPage(t, o.get(t, path), http.StatusConflict, "is already canceled")
		bkLacks(t, o.get(t, path), `id="confirm-cancel"`)

		// No refund and no email to the customer.
		q := bkBook(t, h, h.a, booking.OwnerBooking{PackageID: h.a.Portrait.ID, Date: "2026-12-15", StartTime: "10:15", Paid: true})
		r = o.post(t, "/dashboard/bookings/"+q.ID+"/cancel", url.Values{"refund": {"none"}})
		wantPage(t, o.follow(t, r), http.StatusOK, "is canceled. No refund was made. The customer was not emailed.")
		if got := bkReload(t, h, h.a, q.ID); got.Status != frontdesk.StatusCanceled || got.RefundedCents != 0 {
			t.Fatalf("after a cancel without refund: %s %d", got.Status, got.RefundedCents)
		}
		if k := bkKinds(t, h, h.a, q.ID); bkHas(k, frontdesk.EmailBookingCanceled) || !bkHas(k, frontdesk.EmailTenantBookingCanceled) {
			t.Fatalf("emails after a quiet cancel: %v", k)
		}

		// An unpaid booking: nothing to choose.
		u := bkBook(t, h, h.a, bkPortrait(h.a, 16, "10:15"))
		wantPage(t, o.get(t, "/dashboard/bookings/"+u.ID+"/cancel"), http.StatusOK, "Nothing has been paid yet")

		// One that has started can't be canceled.
		today := bkBook(t, h, h.a, booking.OwnerBooking{PackageID: h.a.Free.ID, Date: "2026-12-10", StartTime: "11:00"})
		h.clock.Set(testNow.Add(90 * time.Minute))
		wantPage(t, o.get(t, "/dashboard/bookings/"+today.ID+"/cancel"), http.StatusConflict, "has started or taken place")
		r = o.post(t, "/dashboard/bookings/"+today.ID+"/cancel", url.Values{"refund": {"policy"}})
		wantPage(t, r, http.StatusConflict, `role="alert"`, "already started")
		h.clock.Set(testNow)
		if got := bkReload(t, h, h.a, today.ID); got.Status != frontdesk.StatusConfirmed {
			t.Fatalf("a started booking was canceled: %s", got.Status)
		}
	})
}

func TestBookingReschedule(t *testing.T) {
	eachBackend(t, func(t *testing.T, h *harness) {
		ctx := context.Background()
		// Customers may not move it any more; the business still may.
		h.a.Tenant.Settings.MaxReschedules, h.a.Tenant.Settings.RescheduleCutoffHours = 0, 500
		if err := h.store.UpdateTenant(ctx, h.a.Tenant); err != nil {
			t.Fatal(err)
		}
		o := h.signIn(t, h.a)
		b := bkBook(t, h, h.a, bkPortrait(h.a, 14, "10:15"))
		taken := bkBook(t, h, h.a, booking.OwnerBooking{PackageID: h.a.Portrait.ID, Date: "2026-12-15", StartTime: "12:45",
			Customer: frontdesk.Customer{Name: "Taken Slot", Email: "taken@example.com"}})
		path := "/dashboard/bookings/" + b.ID + "/reschedule"
		current := b.StartAt.UTC().Format(time.RFC3339)

		r := o.get(t, path+"?date=2026-12-15")
		wantPage(t, r, http.StatusOK, "Reschedule booking "+b.ConfirmationCode, "Open times on Tuesday 15 December",
			`name="current" value="`+current+`"`, `name="date" value="2026-12-15"`,
			`value="2026-12-15T09:00:00-05:00"`, "9:00 AM", `<label for="pick-date">`, "Later days",
			`aria-current="true">Tue 15 Dec, 5 open`)
		bkLacks(t, r, `value="2026-12-15T12:45:00-05:00"`) // taken
		// Without a day: the first open one (today, Thursday).
		wantPage(t, o.get(t, path), http.StatusOK, "Open times on Thursday 10 December")

		// No time chosen.
		r = o.post(t, path, url.Values{"current": {current}, "date": {"2026-12-15"}, "notify": {"1"}})
		wantPage(t, r, http.StatusBadRequest, `role="alert"`, `<p class="field-error" id="startTime-error">Choose a time.`)
		// A taken time: said, nothing moved.
		r = o.post(t, path, url.Values{"current": {current}, "date": {"2026-12-15"}, "startTime": {"2026-12-15T12:45:00-05:00"}, "notify": {"1"}})
		wantPage(t, r, http.StatusConflict, `role="alert"`, "Open times on Tuesday 15 December")
		if got := bkReload(t, h, h.a, b.ID); !got.StartAt.Equal(*b.StartAt) {
			t.Fatalf("a refused move moved the booking to %s", got.StartAt)
		}
		_ = taken

		// Move it.
		r = o.post(t, path, url.Values{"current": {current}, "date": {"2026-12-15"}, "startTime": {"2026-12-15T09:00:00-05:00"}, "notify": {"1"}})
		wantPage(t, o.follow(t, r), http.StatusOK, "Booking "+b.ConfirmationCode+" moved to Tuesday 15 December 2026, 9:00 AM – 10:00 AM EST. The customer is being emailed the new time.",
			"Once")
		got := bkReload(t, h, h.a, b.ID)
		if want := time.Date(2026, 12, 15, 14, 0, 0, 0, time.UTC); !got.StartAt.Equal(want) || got.RescheduleCount != 1 {
			t.Fatalf("after the move: %s, moved %d times", got.StartAt, got.RescheduleCount)
		}
		if k := bkKinds(t, h, h.a, b.ID); !bkHas(k, frontdesk.EmailBookingRescheduled) {
			t.Fatalf("emails after the move: %v", k)
		}

		// The old form again: the booking moved meanwhile, so it says so and moves nothing.
		r = o.post(t, path, url.Values{"current": {current}, "date": {"2026-12-16"}, "startTime": {"2026-12-16T09:00:00-05:00"}, "notify": {"1"}})
		wantPage(t, r, http.StatusConflict, "changed meanwhile", "Tuesday 15 December 2026, 9:00 AM – 10:00 AM EST", "Nothing was moved",
			`name="current" value="`+got.StartAt.UTC().Format(time.RFC3339)+`"`)
		if again := bkReload(t, h, h.a, b.ID); !again.StartAt.Equal(*got.StartAt) {
			t.Fatalf("a stale form moved the booking to %s", again.StartAt)
		}

		// A whole-day booking picks among open days; without telling the customer.
		w := bkBook(t, h, h.a, booking.OwnerBooking{PackageID: h.a.Wedding.ID, Date: "2026-12-19", Paid: true})
		wp := "/dashboard/bookings/" + w.ID + "/reschedule"
		r = o.get(t, wp)
		wantPage(t, r, http.StatusOK, "Open days", `name="date" value="2026-12-21"`, "Monday 21 December", `name="current" value="2026-12-19"`)
		bkLacks(t, r, `name="date" value="2026-12-19"`, `name="date" value="2026-12-25"`, `name="date" value="2026-12-20"`)
		r = o.post(t, wp, url.Values{"current": {"2026-12-19"}})
		wantPage(t, r, http.StatusBadRequest, `<p class="field-error" id="date-error">Choose a day.`)
		r = o.post(t, wp, url.Values{"current": {"2026-12-19"}, "date": {"2026-12-21"}})
		wantPage(t, o.follow(t, r), http.StatusOK, "moved to Monday 21 December 2026 (all day). The customer was not emailed.")
		if k := bkKinds(t, h, h.a, w.ID); bkHas(k, frontdesk.EmailBookingRescheduled) || !bkHas(k, frontdesk.EmailTenantBookingRescheduled) {
			t.Fatalf("emails after a quiet move: %v", k)
		}

		// A canceled booking can't be moved.
		if _, err := h.dash.Bookings.Cancel(ctx, h.a.Tenant, b.ID, booking.CancelRequest{By: booking.ByBusiness}); err != nil {
			t.Fatal(err)
		}
		wantPage(t, o.get(t, path), http.StatusConflict, "is canceled, so it can")
		r = o.post(t, path, url.Values{"current": {got.StartAt.UTC().Format(time.RFC3339)}, "date": {"2026-12-16"}, "startTime": {"2026-12-16T09:00:00-05:00"}})
		wantPage(t, r, http.StatusConflict, `role="alert"`, "is canceled, so it can")
	})
}

func TestBookingNew(t *testing.T) {
	eachBackend(t, func(t *testing.T, h *harness) {
		o := h.signIn(t, h.a)
		r := o.get(t, "/dashboard/bookings/new?date=2026-12-14&service="+h.a.Portrait.ID)
		wantPage(t, r, http.StatusOK, "Take a booking", `name="csrf"`, "Portrait Session (60 min, $250.00)",
			"Wedding Photography (whole day, $1,500.00)", "Free Consultation (30 min, free)", `value="2026-12-14"`,
			`<option value="`+h.a.Portrait.ID+`" selected>`, "Open for Portrait Session on Monday 14 December: 9:00 AM, 10:15 AM",
			`id="notify" name="notify" value="1" checked`)
		bkLacks(t, r, "Retired Package")
		for _, id := range []string{"service", "date", "time", "name", "email", "phone", "notes", "paid", "notify"} {
			if !strings.Contains(r.Body, `<label for="`+id+`"`) && !strings.Contains(r.Body, `for="`+id+`"><input`) {
				t.Errorf("no label for %s", id)
			}
		}

		// Errors next to their fields, everything typed kept, nothing booked.
		bad := url.Values{"service": {h.a.Portrait.ID}, "date": {"2026-12-14"}, "time": {"10:15"}, "name": {""},
			"email": {"not-an-email"}, "phone": {"12"}, "notes": {"Side door."}, "paid": {"1"}}
		r = o.post(t, "/dashboard/bookings/new", bad)
		wantPage(t, r, http.StatusBadRequest, "Please correct the fields marked below.", `value="not-an-email"`, `value="10:15"`,
			"Side door.</textarea>", `id="paid" name="paid" value="1" checked`, `<option value="`+h.a.Portrait.ID+`" selected>`)
		bkLacks(t, r, `id="notify" name="notify" value="1" checked`)
		bkField(t, r, "name", "Please give the customer")
		bkField(t, r, "email", "Please give a valid email address")
		bkField(t, r, "phone", "Please give a phone number")
		r = o.post(t, "/dashboard/bookings/new", url.Values{"date": {"2026-12-14"}, "name": {"Ann"}, "email": {"ann@example.com"}})
		wantPage(t, r, http.StatusBadRequest)
		bkField(t, r, "service", "Choose a service.")
		r = o.post(t, "/dashboard/bookings/new", url.Values{"service": {h.a.Portrait.ID}, "date": {"14 Dec"}, "name": {"Ann"}, "email": {"ann@example.com"}})
		wantPage(t, r, http.StatusBadRequest)
		bkField(t, r, "date", "Please give the date")
		r = o.post(t, "/dashboard/bookings/new", url.Values{"service": {h.a.Portrait.ID}, "date": {"2026-12-14"}, "name": {"Ann"}, "email": {"ann@example.com"}})
		wantPage(t, r, http.StatusBadRequest)
		bkField(t, r, "time", "Please choose a start time")
		if page, _ := h.store.ListBookings(context.Background(), h.a.Tenant.ID, frontdesk.BookingFilter{}); len(page.Bookings) != 0 {
			t.Fatalf("refused forms booked %d", len(page.Bookings))
		}

		// Book it, paid at the desk, telling the customer.
		good := url.Values{"service": {h.a.Portrait.ID}, "date": {"2026-12-14"}, "time": {"10:15"}, "name": {"Ann Lee"},
			"email": {"ann@example.com"}, "phone": {"+1 555 010 0100"}, "notes": {"Side door."}, "paid": {"1"}, "notify": {"1"}}
		r = o.post(t, "/dashboard/bookings/new", good)
		if r.Status != http.StatusSeeOther || !strings.HasPrefix(r.Location, "/dashboard/bookings/") {
			t.Fatalf("book: %d %q\n%s", r.Status, r.Location, r.Body)
		}
		id := strings.TrimPrefix(r.Location, "/dashboard/bookings/")
		b := bkReload(t, h, h.a, id)
		wantPage(t, o.follow(t, r), http.StatusOK, "Booking "+b.ConfirmationCode+" is made for Ann Lee, Monday 14 December 2026, 10:15 AM – 11:15 AM EST. The customer is being emailed.",
			"Confirmed", "$250.00, paid", "Side door.")
		if b.Status != frontdesk.StatusConfirmed || b.PaidAt == nil || b.Source != frontdesk.SourceAPI || b.Customer.Phone != "+1 555 010 0100" {
			t.Fatalf("booked: %+v", b)
		}
		if k := bkKinds(t, h, h.a, id); !bkHas(k, frontdesk.EmailBookingReceived) {
			t.Fatalf("emails of the new booking: %v", k)
		}

		// The same time again: taken, said clearly, the form kept, the open times shown.
		good.Set("name", "Second Person")
		good.Set("email", "second@example.com")
		r = o.post(t, "/dashboard/bookings/new", good)
		wantPage(t, r, http.StatusConflict, `role="alert"`, `value="Second Person"`, `value="second@example.com"`,
			"Open for Portrait Session on Monday 14 December: 9:00 AM, 11:30 AM")

		// Unpaid: it waits for payment, with its link on the page.
		r = o.post(t, "/dashboard/bookings/new", url.Values{"service": {h.a.Wedding.ID}, "date": {"2026-12-19"},
			"name": {"Cleo Park"}, "email": {"cleo@example.net"}})
		wantPage(t, o.follow(t, r), http.StatusOK, "It waits for payment", "Awaiting payment", `id="checkout-url"`)
	})
}

func TestBookingsIsolation(t *testing.T) {
	eachBackend(t, func(t *testing.T, h *harness) {
		theirs := bkBook(t, h, h.a, booking.OwnerBooking{PackageID: h.a.Portrait.ID, Date: "2026-12-14", StartTime: "10:15", Paid: true})
		o := h.signIn(t, h.b)
		base := "/dashboard/bookings/" + theirs.ID
		for _, p := range []string{base, base + "/cancel", base + "/reschedule"} {
			wantPage(t, o.get(t, p), http.StatusNotFound)
		}
		wantPage(t, o.post(t, base+"/cancel", url.Values{"refund": {"full"}}), http.StatusNotFound)
		wantPage(t, o.post(t, base+"/reschedule", url.Values{"current": {theirs.StartAt.UTC().Format(time.RFC3339)},
			"date": {"2026-12-15"}, "startTime": {"2026-12-15T09:00:00-05:00"}}), http.StatusNotFound)
		// Another tenant's service can't be booked either.
		r := o.post(t, "/dashboard/bookings/new", url.Values{"service": {h.a.Free.ID}, "date": {"2026-12-14"}, "time": {"10:00"},
			"name": {"Ann"}, "email": {"ann@example.com"}})
		wantPage(t, r, http.StatusBadRequest)
		bkField(t, r, "service", "This service no longer exists")
		bkLacks(t, o.get(t, "/dashboard/bookings"), theirs.ConfirmationCode)
		bkLacks(t, o.get(t, "/dashboard/bookings/week?start=2026-12-14"), theirs.ID)
		if got := bkReload(t, h, h.a, theirs.ID); got.Status != frontdesk.StatusConfirmed || !got.StartAt.Equal(*theirs.StartAt) {
			t.Fatalf("another tenant changed the booking: %s %s", got.Status, got.StartAt)
		}
	})
}

func TestBookingsEscapeCustomerText(t *testing.T) {
	h := sqliteHarness(t)
	evil := "<script>alert(1)</script>"
	b := bkBook(t, h, h.a, booking.OwnerBooking{PackageID: h.a.Portrait.ID, Date: "2026-12-11", StartTime: "14:00", Notes: evil,
		Customer: frontdesk.Customer{Name: evil, Email: "evil@example.com"}})
	if err := h.store.SaveTranscript(context.Background(), h.a.Tenant.ID, b.ID, "customer: "+evil+"\nassistant: ok"); err != nil {
		t.Fatal(err)
	}
	if _, err := h.dash.Bookings.Cancel(context.Background(), h.a.Tenant, b.ID, booking.CancelRequest{By: booking.ByBusiness, Reason: evil}); err != nil {
		t.Fatal(err)
	}
	live := bkBook(t, h, h.a, booking.OwnerBooking{PackageID: h.a.Portrait.ID, Date: "2026-12-14", StartTime: "10:15",
		Customer: frontdesk.Customer{Name: evil, Email: "evil2@example.com"}})
	o := h.signIn(t, h.a)
	for _, p := range []string{"/dashboard/bookings", "/dashboard/bookings?q=" + url.QueryEscape(evil), "/dashboard/bookings/week?all=1",
		"/dashboard/bookings/" + b.ID, "/dashboard/bookings/" + live.ID + "/cancel", "/dashboard/bookings/" + live.ID + "/reschedule?date=2026-12-15"} {
		r := o.get(t, p)
		if r.Status != http.StatusOK {
			t.Fatalf("%s: %d", p, r.Status)
		}
		bkLacks(t, r, evil)
		wantPage(t, r, http.StatusOK, "&lt;script&gt;alert(1)&lt;/script&gt;")
	}
}
