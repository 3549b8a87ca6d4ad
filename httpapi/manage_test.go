package httpapi_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/frontdeskhq/frontdesk"
	"github.com/frontdeskhq/frontdesk/booking"
	"github.com/frontdeskhq/frontdesk/browsertest"
	"github.com/frontdeskhq/frontdesk/storetest"
)

// managed is a booking made for a test with the path of its manage page.
type managed struct {
	ID, Code, CheckoutURL string
	Page                  string // /b/m_...
}

// bookedOut is the confirm result of a booking, with its manage link.
type bookedOut struct {
	confirmOut
	ManageURL string `json:"manageUrl"`
}

// managePath checks that link is a manage link of this server and returns
// its path.
func (h *harness) managePath(t *testing.T, link string) string {
	t.Helper()
	u, err := url.Parse(link)
	if err != nil || u.Scheme+"://"+u.Host != h.srv.URL || !regexp.MustCompile(`^/b/m_[0-9a-f]{64}$`).MatchString(u.Path) {
		t.Fatalf("manage link %q is not %s/b/m_<64 hex>", link, h.srv.URL)
	}
	return u.Path
}

// bookWeddingManaged books a wedding on day of December 2026 through the
// chat and returns it with the manage link of the confirm result.
func (h *harness) bookWeddingManaged(t *testing.T, f *storetest.Fixture, day int, name, email string) managed {
	t.Helper()
	sid, pid := h.propose(t, f, day, name, email)
	var c bookedOut
	decode(t, h.confirm(t, f, sid, pid), &c)
	if !c.Success || c.ManageURL == "" {
		t.Fatalf("confirm result %+v", c)
	}
	return managed{ID: c.BookingID, Code: c.ConfirmationCode, CheckoutURL: c.CheckoutURL, Page: h.managePath(t, c.ManageURL)}
}

// bookPortraitManaged books a portrait session starting at start through
// a proposal and the confirm endpoint.
func (h *harness) bookPortraitManaged(t *testing.T, f *storetest.Fixture, start time.Time, notes string) managed {
	t.Helper()
	loc := f.Tenant.Location()
	sid := h.newSession(t, f)
	pid := h.proposeDirect(t, f, sid, frontdesk.BookServiceIn{PackageID: f.Portrait.ID, Date: start.In(loc).Format("2006-01-02"),
		StartTime: start.In(loc).Format("15:04"), CustomerName: "Cy Doe", CustomerEmail: "cy@example.com", Notes: notes},
		testNow.Add(frontdesk.ProposalTTL))
	var c bookedOut
	decode(t, h.confirm(t, f, sid, pid), &c)
	if !c.Success || c.ManageURL == "" {
		t.Fatalf("confirm result %+v", c)
	}
	return managed{ID: c.BookingID, Code: c.ConfirmationCode, CheckoutURL: c.CheckoutURL, Page: h.managePath(t, c.ManageURL)}
}

// issueToken stores a manage token for a booking the test stored itself.
func (h *harness) issueToken(t *testing.T, f *storetest.Fixture, bookingID string) string {
	t.Helper()
	token := "m_" + frontdesk.NewID() + frontdesk.NewID()
	if err := h.store.CreateManageToken(context.Background(), f.Tenant.ID, bookingID, booking.HashManageToken(token), testNow); err != nil {
		t.Fatal(err)
	}
	return "/b/" + token
}

// pay pays a booking in the test-mode checkout.
func (h *harness) pay(t *testing.T, bookingID string) {
	t.Helper()
	if r := h.do(t, http.MethodPost, "/checkout/test/"+bookingID+"/pay", nil); r.Status != http.StatusSeeOther {
		t.Fatalf("pay: %s", r)
	}
}

// form posts an HTML form as a browser on this origin would.
func (h *harness) form(t *testing.T, path string, v url.Values, headers ...string) response {
	t.Helper()
	hdr := append([]string{"Content-Type", "application/x-www-form-urlencoded", "Sec-Fetch-Site", "same-origin", "Origin", h.srv.URL}, headers...)
	return h.do(t, http.MethodPost, path, v.Encode(), hdr...)
}

// follow reads the page a 303 answer leads to, with the flash cookie it set.
func (h *harness) follow(t *testing.T, r response) response {
	t.Helper()
	if r.Status != http.StatusSeeOther {
		t.Fatalf("status %d, want 303; body %s", r.Status, r.Body)
	}
	var cookies []string
	for _, c := range (&http.Response{Header: r.Header}).Cookies() {
		cookies = append(cookies, c.Name+"="+c.Value)
	}
	return h.do(t, http.MethodGet, r.Header.Get("Location"), nil, "Cookie", strings.Join(cookies, "; "))
}

// wantManageHeaders checks the headers every answer under /b/ carries.
func wantManageHeaders(t *testing.T, r response) {
	t.Helper()
	for name, want := range map[string]string{
		"X-Content-Type-Options": "nosniff",
		"Referrer-Policy":        "no-referrer",
		"X-Frame-Options":        "DENY",
		"Cache-Control":          "no-store",
	} {
		if got := r.Header.Get(name); got != want {
			t.Errorf("%s = %q, want %q", name, got, want)
		}
	}
	csp := r.Header.Get("Content-Security-Policy")
	for _, want := range []string{"frame-ancestors 'none'", "default-src 'none'", "form-action 'self'"} {
		if !strings.Contains(csp, want) {
			t.Errorf("Content-Security-Policy %q lacks %q", csp, want)
		}
	}
}

// alertOf returns the text of the page's one alert, failing when there is
// not exactly one.
func alertOf(t *testing.T, page string) string {
	t.Helper()
	m := regexp.MustCompile(`(?s)<div class="alert" role="alert" id="error"><p>(.*?)</p></div>`).FindAllStringSubmatch(page, -1)
	if len(m) != 1 {
		t.Fatalf("page has %d alerts, want 1:\n%s", len(m), page)
	}
	return m[0][1]
}

func TestManagePageShowsBooking(t *testing.T) {
	eachBackend(t, func(t *testing.T, h *harness) {
		w := h.bookWeddingManaged(t, h.a, 15, "Ann Lee", "ann@example.com")
		r := h.do(t, http.MethodGet, w.Page, nil)
		wantManageHeaders(t, r)
		page := wantHTML(t, r, http.StatusOK, `<html lang="en">`, "Lumen Studio", "Wedding Photography",
			"Tuesday 15 December 2026 (all day)", "America/New_York", "Awaiting payment", "$1,500.00, not paid yet", w.Code, "Ann Lee",
			`href="`+w.CheckoutURL+`"`, `href="`+w.Page+`/booking.ics"`, `href="`+w.Page+`/cancel"`, `href="`+w.Page+`/reschedule"`,
			`href="mailto:owner@lumen-studio.test"`, `<link rel="stylesheet" href="/static/manage.css?v=`)
		if strings.Contains(page, "<script") {
			t.Error("the manage page has a script")
		}

		t.Run("timed service names the zone", func(t *testing.T) {
			p := h.bookPortraitManaged(t, h.a, time.Date(2026, 12, 14, 14, 0, 0, 0, time.UTC), "")
			wantHTML(t, h.do(t, http.MethodGet, p.Page, nil), http.StatusOK,
				"Monday 14 December 2026, 9:00 AM – 10:00 AM EST", "New York time (America/New_York, EST)", "$250.00")
		})
		t.Run("paid", func(t *testing.T) {
			h.pay(t, w.ID)
			page := wantHTML(t, h.do(t, http.MethodGet, w.Page, nil), http.StatusOK, "Confirmed", "$1,500.00, paid")
			if strings.Contains(page, w.CheckoutURL) || strings.Contains(page, `id="pay"`) {
				t.Error("a paid booking still offers to pay")
			}
		})
		t.Run("stylesheet", func(t *testing.T) {
			css := h.do(t, http.MethodGet, "/static/manage.css", nil)
			if css.Status != http.StatusOK || !strings.HasPrefix(css.Header.Get("Content-Type"), "text/css") || !strings.Contains(string(css.Body), "--accent") {
				t.Fatalf("stylesheet: %d %q", css.Status, css.Header.Get("Content-Type"))
			}
		})
		t.Run("link in the customer email", func(t *testing.T) {
			for _, e := range h.emails(t, h.a, frontdesk.EmailBookingReceived) {
				if e.Email.To != "ann@example.com" {
					continue
				}
				link := regexp.MustCompile(`http://[^\s"<>]+/b/m_[0-9a-f]{64}`).FindString(e.Email.Text)
				if link == "" {
					t.Fatalf("the confirmation email has no manage link:\n%s", e.Email.Text)
				}
				wantHTML(t, h.do(t, http.MethodGet, h.managePath(t, link), nil), http.StatusOK, w.Code)
				return
			}
			t.Fatal("no confirmation email to ann@example.com")
		})
	})
}

func TestManagePageEscapes(t *testing.T) {
	eachBackend(t, func(t *testing.T, h *harness) {
		ctx := context.Background()
		const hostile = `<script>alert("pwned")</script> & 'Co'`
		c, err := h.store.FindOrCreateCustomer(ctx, &frontdesk.Customer{ID: frontdesk.NewID(), TenantID: h.a.Tenant.ID,
			Email: "evil@example.com", Name: hostile, CreatedAt: testNow})
		if err != nil {
			t.Fatal(err)
		}
		b := h.a.Booking(h.a.Portrait, c, time.Date(2026, 12, 14, 14, 0, 0, 0, time.UTC))
		b.Notes = "line one\n" + `<img src=x onerror=alert(1)>`
		if err := h.store.CreateBooking(ctx, b); err != nil {
			t.Fatal(err)
		}
		page := wantHTML(t, h.do(t, http.MethodGet, h.issueToken(t, h.a, b.ID), nil), http.StatusOK,
			`&lt;script&gt;alert(&#34;pwned&#34;)&lt;/script&gt; &amp; &#39;Co&#39;`, `&lt;img src=x onerror=alert(1)&gt;`)
		for _, bad := range []string{`<script>alert`, `<img src=x`} {
			if strings.Contains(page, bad) {
				t.Errorf("the page carries %q unescaped", bad)
			}
		}
	})
}

func TestManageUnknownToken(t *testing.T) {
	eachBackend(t, func(t *testing.T, h *harness) {
		w := h.bookWeddingManaged(t, h.a, 15, "Ann Lee", "ann@example.com")
		token := strings.TrimPrefix(w.Page, "/b/")
		for _, path := range []string{
			"/b/m_" + frontdesk.NewID() + frontdesk.NewID(), // well formed, never issued
			"/b/" + strings.ToUpper(token),
			"/b/" + token[:len(token)-1],
			"/b/" + token + "0",
			"/b/" + strings.TrimPrefix(token, "m_"),
			"/b/nope",
			"/b/" + w.ID, // a booking id is not a token
			"/b/" + w.Code,
			"/b/m_" + frontdesk.NewID() + frontdesk.NewID() + "/booking.ics",
			"/b/m_" + frontdesk.NewID() + frontdesk.NewID() + "/cancel",
			"/b/" + token + "/nothing-here",
			"/b/",
		} {
			t.Run(path, func(t *testing.T) {
				r := h.do(t, http.MethodGet, path, nil)
				wantManageHeaders(t, r)
				page := wantHTML(t, r, http.StatusNotFound, "link in your booking confirmation email")
				if strings.Contains(page, "Lumen") || strings.Contains(page, w.Code) {
					t.Fatal("the 404 page reveals the booking")
				}
			})
		}
		r := h.form(t, "/b/m_"+frontdesk.NewID()+frontdesk.NewID()+"/cancel", url.Values{"reason": {"x"}})
		wantHTML(t, r, http.StatusNotFound, "link in your booking confirmation email")
		if b := h.booking(t, h.a, w.ID); b.Status != frontdesk.StatusPending {
			t.Fatalf("booking %s after posts to unknown tokens", b.Status)
		}
	})
}

func TestManageCalendarFile(t *testing.T) {
	eachBackend(t, func(t *testing.T, h *harness) {
		w := h.bookWeddingManaged(t, h.a, 15, "Ann Lee", "ann@example.com")
		r := h.do(t, http.MethodGet, w.Page+"/booking.ics", nil)
		wantManageHeaders(t, r)
		if r.Status != http.StatusOK || !strings.HasPrefix(r.Header.Get("Content-Type"), "text/calendar") {
			t.Fatalf("booking.ics: %d %q", r.Status, r.Header.Get("Content-Type"))
		}
		if cd := r.Header.Get("Content-Disposition"); cd != `attachment; filename=booking-`+w.Code+`.ics` {
			t.Errorf("Content-Disposition %q", cd)
		}
		ics := string(r.Body)
		for _, want := range []string{"BEGIN:VCALENDAR", "UID:" + w.ID + "@frontdesk", "DTSTART;VALUE=DATE:20261215", w.Code, "STATUS:TENTATIVE"} {
			if !strings.Contains(ics, want) {
				t.Errorf("booking.ics lacks %q:\n%s", want, ics)
			}
		}
		p := h.bookPortraitManaged(t, h.a, time.Date(2026, 12, 14, 14, 0, 0, 0, time.UTC), "")
		ics = string(h.do(t, http.MethodGet, p.Page+"/booking.ics", nil).Body)
		for _, want := range []string{"DTSTART:20261214T140000Z", "DTEND:20261214T150000Z"} {
			if !strings.Contains(ics, want) {
				t.Errorf("portrait booking.ics lacks %q:\n%s", want, ics)
			}
		}
	})
}

func TestManageCancel(t *testing.T) {
	eachBackend(t, func(t *testing.T, h *harness) {
		w := h.bookWeddingManaged(t, h.a, 15, "Ann Lee", "ann@example.com")
		h.pay(t, w.ID)

		// The step states the refund before anything changes.
		step := h.do(t, http.MethodGet, w.Page+"/cancel", nil)
		wantManageHeaders(t, step)
		wantHTML(t, step, http.StatusOK, "Cancel this booking?", "You&#39;ll get $1,500.00 back.", `action="`+w.Page+`/cancel"`,
			`<label for="reason">`, `id="reason" name="reason"`, `href="`+w.Page+`"`, "100% when you cancel at least 48 hours before")
		if b := h.booking(t, h.a, w.ID); b.Status != frontdesk.StatusConfirmed {
			t.Fatalf("showing the step changed the booking: %s", b.Status)
		}

		// Another booking's id in the form changes nothing of that booking.
		other := h.bookWeddingManaged(t, h.a, 16, "Bob Ray", "bob@example.com")
		r := h.form(t, w.Page+"/cancel", url.Values{"reason": {"Plans changed"}, "bookingId": {other.ID}})
		if r.Header.Get("Location") != w.Page {
			t.Fatalf("cancel: %d Location %q, want 303 to %s", r.Status, r.Header.Get("Location"), w.Page)
		}
		after := h.follow(t, r)
		page := wantHTML(t, after, http.StatusOK, `role="status"`, "is canceled", "$1,500.00", "Canceled and refunded", "Refunded")
		if strings.Contains(page, `id="cancel"`) || strings.Contains(page, `id="reschedule"`) || strings.Contains(page, `id="ics"`) {
			t.Error("a canceled booking still offers to cancel, move or add to a calendar")
		}
		b := h.booking(t, h.a, w.ID)
		if b.Status != frontdesk.StatusRefunded || b.RefundedCents != 150000 || b.CancellationReason != "Plans changed" {
			t.Fatalf("after cancel: status %s refunded %d reason %q", b.Status, b.RefundedCents, b.CancellationReason)
		}
		if o := h.booking(t, h.a, other.ID); o.Status != frontdesk.StatusPending {
			t.Fatalf("the other booking is %s", o.Status)
		}
		// The flash shows once.
		if again := string(h.do(t, http.MethodGet, w.Page, nil).Body); strings.Contains(again, `role="status"`) {
			t.Error("the flash message shows again")
		}
		// The day is free: it can be booked again.
		h.bookWedding(t, h.a, 15, "Cat Moe", "cat@example.com")

		t.Run("twice", func(t *testing.T) {
			wantHTML(t, h.follow(t, h.form(t, w.Page+"/cancel", nil)), http.StatusOK, "already canceled")
			page := wantHTML(t, h.do(t, http.MethodGet, w.Page+"/cancel", nil), http.StatusConflict)
			if !strings.Contains(alertOf(t, page), "nothing to cancel") {
				t.Errorf("cancel step of a canceled booking: %s", alertOf(t, page))
			}
			if n := len(h.emails(t, h.a, frontdesk.EmailBookingCanceled)); n != 1 {
				t.Errorf("%d cancellation emails, want 1", n)
			}
		})
		t.Run("half refund inside 48 hours", func(t *testing.T) {
			soon := h.bookWeddingManaged(t, h.a, 11, "Dan Poe", "dan@example.com")
			h.pay(t, soon.ID)
			wantHTML(t, h.do(t, http.MethodGet, soon.Page+"/cancel", nil), http.StatusOK, "You&#39;ll get $750.00 back of the $1,500.00 you paid.")
		})
		t.Run("unpaid", func(t *testing.T) {
			wantHTML(t, h.do(t, http.MethodGet, other.Page+"/cancel", nil), http.StatusOK, "Nothing was charged")
			wantHTML(t, h.follow(t, h.form(t, other.Page+"/cancel", url.Values{})), http.StatusOK, "Nothing was charged", "Canceled")
			if o := h.booking(t, h.a, other.ID); o.Status != frontdesk.StatusCanceled || o.RefundedCents != 0 {
				t.Fatalf("unpaid cancel: %s %d", o.Status, o.RefundedCents)
			}
		})
		t.Run("reason too long", func(t *testing.T) {
			p := h.bookWeddingManaged(t, h.a, 18, "Eve Roe", "eve@example.com")
			long := strings.Repeat("é", 501)
			page := wantHTML(t, h.form(t, p.Page+"/cancel", url.Values{"reason": {long}}), http.StatusBadRequest, long)
			if !strings.Contains(alertOf(t, page), "500 characters") {
				t.Errorf("alert %q", alertOf(t, page))
			}
			if b := h.booking(t, h.a, p.ID); b.Status != frontdesk.StatusPending {
				t.Fatalf("a refused cancel changed the booking: %s", b.Status)
			}
		})
	})
}

func TestManageReschedule(t *testing.T) {
	eachBackend(t, func(t *testing.T, h *harness) {
		start := time.Date(2026, 12, 14, 14, 0, 0, 0, time.UTC) // Monday 9:00 in New York
		p := h.bookPortraitManaged(t, h.a, start, "")

		step := h.do(t, http.MethodGet, p.Page+"/reschedule?date=2026-12-15", nil)
		wantManageHeaders(t, step)
		wantHTML(t, step, http.StatusOK, `<form class="card pick-day" method="get" action="`+p.Page+`/reschedule">`,
			`<label for="date">Day</label>`, `<option value="2026-12-15" selected>Tuesday 15 December`,
			`action="`+p.Page+`/reschedule"`, `<input type="hidden" name="date" value="2026-12-15">`,
			`value="2026-12-15T10:15:00-05:00"`, "10:15 AM EST", "Times are in New York time (America/New_York, EST).")

		r := h.form(t, p.Page+"/reschedule", url.Values{"date": {"2026-12-15"}, "startTime": {"2026-12-15T10:15:00-05:00"}})
		wantHTML(t, h.follow(t, r), http.StatusOK, "is now on", "Tuesday 15 December 2026, 10:15 AM – 11:15 AM EST")
		b := h.booking(t, h.a, p.ID)
		if b.StartAt == nil || !b.StartAt.Equal(time.Date(2026, 12, 15, 15, 15, 0, 0, time.UTC)) || b.ConfirmationCode != p.Code || b.RescheduleCount != 1 {
			t.Fatalf("after reschedule: %+v", b)
		}
		// The old time is open again.
		offer, err := booking.Offer(context.Background(), h.store, h.a.Tenant, testNow, h.a.Portrait.ID, "2026-12-14", "2026-12-14")
		if err != nil {
			t.Fatal(err)
		}
		free := false
		for _, at := range offer.Starts(h.a.Tenant.Location()) {
			if at.Format(time.RFC3339) == "2026-12-14T09:00:00-05:00" {
				free = true
			}
		}
		if !free {
			t.Fatalf("the old time is not offered again: %+v", offer.Days)
		}

		t.Run("taken time", func(t *testing.T) {
			h.storeBooking(t, h.a, h.a.Portrait, "taken@example.com", time.Date(2026, 12, 16, 14, 0, 0, 0, time.UTC), frontdesk.StatusConfirmed, testNow, nil)
			page := wantHTML(t, h.form(t, p.Page+"/reschedule", url.Values{"date": {"2026-12-16"}, "startTime": {"2026-12-16T09:00:00-05:00"}}),
				http.StatusConflict, `<input type="hidden" name="date" value="2026-12-16">`)
			if a := alertOf(t, page); !strings.Contains(a, "9:00 AM EST on Wednesday 16 December 2026") {
				t.Errorf("alert %q does not name the time", a)
			}
			if b := h.booking(t, h.a, p.ID); !b.StartAt.Equal(time.Date(2026, 12, 15, 15, 15, 0, 0, time.UTC)) {
				t.Fatalf("a refused move changed the booking: %v", b.StartAt)
			}
		})
		t.Run("no time chosen", func(t *testing.T) {
			page := wantHTML(t, h.form(t, p.Page+"/reschedule", url.Values{"date": {"2026-12-16"}}), http.StatusBadRequest)
			if a := alertOf(t, page); !strings.Contains(a, "choose a time") {
				t.Errorf("alert %q", a)
			}
		})
		t.Run("whole day", func(t *testing.T) {
			w := h.bookWeddingManaged(t, h.a, 17, "Ann Lee", "ann@example.com")
			wantHTML(t, h.do(t, http.MethodGet, w.Page+"/reschedule", nil), http.StatusOK,
				`<legend>Open days</legend>`, `name="date" value="2026-12-18"`, `<label for="day-`)
			wantHTML(t, h.follow(t, h.form(t, w.Page+"/reschedule", url.Values{"date": {"2026-12-18"}})), http.StatusOK, "Friday 18 December 2026")
			if b := h.booking(t, h.a, w.ID); b.Date != (frontdesk.Date{Year: 2026, Month: 12, Day: 18}) {
				t.Fatalf("wedding moved to %s", b.Date)
			}
		})
		t.Run("inside the cutoff", func(t *testing.T) {
			soon := h.storeBooking(t, h.a, h.a.Portrait, "soon@example.com", time.Date(2026, 12, 11, 14, 0, 0, 0, time.UTC), frontdesk.StatusConfirmed, testNow, nil)
			page := h.issueToken(t, h.a, soon.ID)
			body := wantHTML(t, h.do(t, http.MethodGet, page, nil), http.StatusOK, `id="reschedule-note"`, "24 hours", `href="mailto:owner@lumen-studio.test"`)
			if strings.Contains(body, `id="reschedule"`) {
				t.Error("the page offers to move a booking inside the cutoff")
			}
			wantHTML(t, h.do(t, http.MethodGet, page+"/reschedule", nil), http.StatusConflict, "24 hours")
			wantHTML(t, h.form(t, page+"/reschedule", url.Values{"date": {"2026-12-15"}, "startTime": {"2026-12-15T13:00:00-05:00"}}), http.StatusConflict, "24 hours")
			if b := h.booking(t, h.a, soon.ID); !b.StartAt.Equal(*soon.StartAt) {
				t.Fatal("a booking inside the cutoff was moved")
			}
		})
	})
}

func TestManageRefusesCrossOriginPosts(t *testing.T) {
	eachBackend(t, func(t *testing.T, h *harness) {
		w := h.bookWeddingManaged(t, h.a, 15, "Ann Lee", "ann@example.com")
		h.pay(t, w.ID)
		for _, tc := range []struct {
			name    string
			path    string
			headers []string
		}{
			{"cancel, cross-site fetch", "/cancel", []string{"Sec-Fetch-Site", "cross-site"}},
			{"cancel, same-site other origin", "/cancel", []string{"Sec-Fetch-Site", "same-site"}},
			{"cancel, foreign Origin", "/cancel", []string{"Sec-Fetch-Site", "", "Origin", "https://evil.example"}},
			{"reschedule, cross-site fetch", "/reschedule", []string{"Sec-Fetch-Site", "cross-site"}},
		} {
			t.Run(tc.name, func(t *testing.T) {
				r := h.form(t, w.Page+tc.path, url.Values{"reason": {"forged"}, "date": {"2026-12-17"}}, tc.headers...)
				wantManageHeaders(t, r)
				wantHTML(t, r, http.StatusForbidden, "nothing was changed")
				if b := h.booking(t, h.a, w.ID); b.Status != frontdesk.StatusConfirmed || b.Date.Day != 15 || b.CancellationReason != "" {
					t.Fatalf("a forged post changed the booking: %s %s", b.Status, b.Date)
				}
			})
		}
		if n := len(h.emails(t, h.a, frontdesk.EmailBookingCanceled)); n != 0 {
			t.Fatalf("%d cancellation emails after forged posts", n)
		}
	})
}

func TestStatusPageShowsWhen(t *testing.T) {
	eachBackend(t, func(t *testing.T, h *harness) {
		w := h.bookWeddingManaged(t, h.a, 15, "Ann Lee", "ann@example.com")
		h.pay(t, w.ID)
		q := url.Values{"booking": {w.ID}, "code": {w.Code}}.Encode()
		r := h.do(t, http.MethodGet, "/booking/success?"+q, nil)
		wantHTML(t, r, http.StatusOK, "Tuesday 15 December 2026 (all day)", "America/New_York", w.Code, ">CONFIRMED<")
		if r.Header.Get("Referrer-Policy") != "no-referrer" {
			t.Errorf("Referrer-Policy %q", r.Header.Get("Referrer-Policy"))
		}
		p := h.bookPortraitManaged(t, h.a, time.Date(2026, 12, 14, 14, 0, 0, 0, time.UTC), "")
		q = url.Values{"booking": {p.ID}, "code": {p.Code}}.Encode()
		wantHTML(t, h.do(t, http.MethodGet, "/booking/cancel?"+q, nil), http.StatusOK,
			"Monday 14 December 2026, 9:00 AM – 10:00 AM EST", "New York time (America/New_York, EST)", "Payment not completed")
	})
}

// TestManageScreenshots drives the page in Chromium at a phone's size and
// saves screenshots under the artifacts directory's manage (see
// browsertest). It also proves that a real browser's same-origin posts
// pass the cross-origin check.
func TestManageScreenshots(t *testing.T) {
	browsertest.Chromium(t)
	dir := browsertest.ArtifactsDir(t, "manage")
	{
		h := newHarness(t, storetest.Backend{Name: "sqlite", Open: storetest.OpenSQLite})
		p := h.bookPortraitManaged(t, h.a, time.Date(2026, 12, 14, 14, 0, 0, 0, time.UTC), "Please bring the blue backdrop.\nTwo kids, one dog.")
		w := h.bookWeddingManaged(t, h.a, 15, "Ann Lee", "ann@example.com")
		h.pay(t, w.ID)

		bctx, cancel := context.WithTimeout(browsertest.New(t, 390, 844, true), 90*time.Second)
		defer cancel()
		shot := func(name string) {
			t.Helper()
			browsertest.Shot(t, bctx, dir, name)
		}
		text := func(js string) string {
			t.Helper()
			s, err := chromedp.Run(bctx, chromedp.Evaluate[string](js))
			if err != nil {
				t.Fatalf("%s: %v", js, err)
			}
			return s
		}
		do := func(name string, actions ...chromedp.Action[chromedp.Void]) {
			t.Helper()
			if err := chromedp.Do(bctx, actions...); err != nil {
				shot("failed-" + name)
				t.Fatalf("%s: %v", name, err)
			}
		}
		do("open", chromedp.Navigate(h.srv.URL+p.Page), chromedp.WaitVisible(chromedp.CSS("#code")))
		if wide := text(`String(document.documentElement.scrollWidth)`); wide != "390" {
			t.Errorf("the page is %spx wide on a 390px screen", wide)
		}
		shot("1-page-pending")
		do("cancel step", chromedp.Click(chromedp.CSS("#cancel")), chromedp.WaitVisible(chromedp.CSS("#confirm-cancel")))
		shot("2-cancel-step")
		do("reschedule step", chromedp.Navigate(h.srv.URL+p.Page+"/reschedule?date=2026-12-16"), chromedp.WaitVisible(chromedp.CSS("#confirm-reschedule")))
		shot("3-reschedule-step")
		// Someone takes the first time while the customer looks at it.
		h.storeBooking(t, h.a, h.a.Portrait, "quick@example.com", time.Date(2026, 12, 16, 14, 0, 0, 0, time.UTC), frontdesk.StatusConfirmed, testNow, nil)
		do("taken time", chromedp.Click(chromedp.CSS(`label[for="time-0"]`)), chromedp.Click(chromedp.CSS("#confirm-reschedule")),
			chromedp.WaitVisible(chromedp.CSS("#error")))
		if got := text(`document.getElementById('error').textContent`); !strings.Contains(got, "9:00 AM EST on Wednesday 16 December 2026") {
			t.Errorf("a taken time says %q", got)
		}
		shot("3b-taken-time")
		do("pick a time", chromedp.Click(chromedp.CSS(`label[for="time-2"]`)), chromedp.Click(chromedp.CSS("#confirm-reschedule")),
			chromedp.WaitVisible(chromedp.CSS("#flash")))
		if got := text(`document.getElementById('flash').textContent`); !strings.Contains(got, "is now on") {
			t.Errorf("after moving, the flash says %q", got)
		}
		shot("4-rescheduled")
		do("paid page", chromedp.Navigate(h.srv.URL+w.Page), chromedp.WaitVisible(chromedp.CSS("#code")))
		shot("5-page-paid")
		do("paid cancel step", chromedp.Click(chromedp.CSS("#cancel")), chromedp.WaitVisible(chromedp.CSS("#confirm-cancel")),
			chromedp.SendKeys(chromedp.CSS("#reason"), "We moved the wedding abroad."))
		shot("6-cancel-step-paid")
		do("cancel", chromedp.Click(chromedp.CSS("#confirm-cancel")), chromedp.WaitVisible(chromedp.CSS("#flash")))
		if got := text(`document.getElementById('status').textContent`); !strings.Contains(got, "Canceled") {
			t.Errorf("after canceling, the status says %q", got)
		}
		shot("7-canceled")
		if b := h.booking(t, h.a, w.ID); b.Status != frontdesk.StatusRefunded {
			t.Errorf("the browser's cancel left the booking %s", b.Status)
		}
		do("not found", chromedp.Navigate(h.srv.URL+"/b/m_"+frontdesk.NewID()+frontdesk.NewID()), chromedp.WaitVisible(chromedp.CSS("#problem")))
		shot("8-not-found")
		fmt.Fprintln(os.Stderr, "manage screenshots in", dir)
	}
}
