package httpapi_test

import (
	"context"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/frontdeskhq/frontdesk"
	"github.com/frontdeskhq/frontdesk/storetest"
)

// icsCalendar is a parsed iCalendar: the calendar's own properties and one
// property map per VEVENT, keyed by name with parameters ("DTSTART;VALUE=DATE").
type icsCalendar struct {
	Props  map[string]string
	Events []map[string]string
}

// parseICS checks that every physical line of body ends in CRLF and is at
// most 75 octets, unfolds the lines and returns the calendar.
func parseICS(t *testing.T, body []byte) icsCalendar {
	t.Helper()
	s := string(body)
	if !strings.HasSuffix(s, "\r\n") {
		t.Fatalf("calendar does not end with CRLF: %q", s)
	}
	var logical []string
	for i, l := range strings.Split(strings.TrimSuffix(s, "\r\n"), "\r\n") {
		if strings.ContainsAny(l, "\r\n") {
			t.Fatalf("line %d has a bare CR or LF: %q", i, l)
		}
		if len(l) > 75 {
			t.Fatalf("line %d is %d octets: %q", i, len(l), l)
		}
		if strings.HasPrefix(l, " ") {
			if len(logical) == 0 {
				t.Fatal("calendar starts with a continuation line")
			}
			logical[len(logical)-1] += l[1:]
			continue
		}
		logical = append(logical, l)
	}
	if len(logical) < 2 || logical[0] != "BEGIN:VCALENDAR" || logical[len(logical)-1] != "END:VCALENDAR" {
		t.Fatalf("calendar not framed by BEGIN/END:VCALENDAR: %q", logical)
	}
	cal := icsCalendar{Props: map[string]string{}}
	var ev map[string]string
	for _, l := range logical[1 : len(logical)-1] {
		name, value, ok := strings.Cut(l, ":")
		if !ok {
			t.Fatalf("line without a colon: %q", l)
		}
		switch {
		case l == "BEGIN:VEVENT":
			if ev != nil {
				t.Fatalf("VEVENT inside a VEVENT: %q", logical)
			}
			ev = map[string]string{}
		case l == "END:VEVENT":
			if ev == nil {
				t.Fatalf("END:VEVENT without BEGIN: %q", logical)
			}
			cal.Events = append(cal.Events, ev)
			ev = nil
		case name == "BEGIN" || name == "END":
			t.Fatalf("unexpected component line %q", l)
		case ev != nil:
			if _, dup := ev[name]; dup {
				t.Fatalf("property %s twice in one event: %q", name, l)
			}
			ev[name] = value
		default:
			cal.Props[name] = value
		}
	}
	if ev != nil {
		t.Fatal("VEVENT not closed")
	}
	return cal
}

// calendarToken returns tenant f's calendar token as stored.
func (h *harness) calendarToken(t *testing.T, f *storetest.Fixture) string {
	t.Helper()
	tn, err := h.store.TenantByID(context.Background(), f.Tenant.ID)
	if err != nil {
		t.Fatal(err)
	}
	if tn.CalendarToken == "" {
		t.Fatal("tenant has no calendar token")
	}
	return tn.CalendarToken
}

// emailUID returns the UID of the calendar file attached to the one email
// of this kind about the booking with this confirmation code.
func (h *harness) emailUID(t *testing.T, f *storetest.Fixture, kind, code string) (uid string, props map[string]string) {
	t.Helper()
	for _, e := range h.emails(t, f, kind) {
		if !strings.Contains(e.Email.Subject+e.Email.Text, code) {
			continue
		}
		for _, a := range e.Email.Attachments {
			if strings.HasPrefix(a.ContentType, "text/calendar") {
				cal := parseICS(t, a.Content)
				if len(cal.Events) != 1 {
					t.Fatalf("%s email's calendar has %d events", kind, len(cal.Events))
				}
				return cal.Events[0]["UID"], cal.Events[0]
			}
		}
		t.Fatalf("%s email about %s has no calendar file", kind, code)
	}
	t.Fatalf("no %s email about %s", kind, code)
	return "", nil
}

func wantNotFound(t *testing.T, r response, what string) {
	t.Helper()
	if r.Status != http.StatusNotFound {
		t.Fatalf("%s: status %d, want 404; body %s", what, r.Status, r.Body)
	}
	if ct := r.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/plain") {
		t.Fatalf("%s: Content-Type %q, want plain text", what, ct)
	}
	if strings.Contains(string(r.Body), "BEGIN:VCALENDAR") {
		t.Fatalf("%s: a calendar in a 404", what)
	}
}

func TestCalendarFeed(t *testing.T) {
	eachBackend(t, func(t *testing.T, h *harness) {
		ctx := context.Background()
		ny := h.a.Tenant.Location()
		token := h.calendarToken(t, h.a)
		feed := "/calendar/" + token + ".ics"

		// A wedding booked through the chat: PENDING until paid.
		wedding := h.bookWedding(t, h.a, 15, "Ann Lee", "ann@example.com")
		// Another tenant's booking must never show in a's feed.
		other := h.bookWedding(t, h.b, 16, "Bob Other", "bob@other.test")

		// A confirmed portrait for a customer whose name tries to break out
		// of its property, with notes that need escaping.
		hostile := "Ann; X:Y\nBEGIN:VEVENT"
		if _, err := h.store.FindOrCreateCustomer(ctx, &frontdesk.Customer{ID: frontdesk.NewID(), TenantID: h.a.Tenant.ID,
			Email: "hostile@example.com", Name: hostile, Phone: "+1 555 0100", CreatedAt: testNow}); err != nil {
			t.Fatal(err)
		}
		portraitStart := time.Date(2026, 12, 14, 10, 0, 0, 0, ny)
		portrait := h.storeBooking(t, h.a, h.a.Portrait, "hostile@example.com", portraitStart, frontdesk.StatusConfirmed, testNow,
			func(b *frontdesk.Booking) { b.Notes = "line1\nline2, with; a \\ backslash" })
		if portrait.Customer.Name != hostile {
			t.Fatalf("stored customer name %q", portrait.Customer.Name)
		}
		// Recent past (20 days back) is in; 40 days back and 2 years ahead are out.
		recent := h.storeBooking(t, h.a, h.a.Wedding, "recent@example.com", time.Date(2026, 11, 20, 12, 0, 0, 0, ny),
			frontdesk.StatusConfirmed, testNow, nil)
		tooOld := h.storeBooking(t, h.a, h.a.Wedding, "old@example.com", time.Date(2026, 10, 31, 12, 0, 0, 0, ny),
			frontdesk.StatusConfirmed, testNow, nil)
		tooFar := h.storeBooking(t, h.a, h.a.Wedding, "far@example.com", time.Date(2028, 12, 10, 12, 0, 0, 0, ny),
			frontdesk.StatusConfirmed, testNow, nil)
		// Bookings that are no longer live are absent.
		var dead []*frontdesk.Booking
		for i, st := range []frontdesk.BookingStatus{frontdesk.StatusCanceled, frontdesk.StatusExpired, frontdesk.StatusRefunded} {
			dead = append(dead, h.storeBooking(t, h.a, h.a.Portrait, string(st)+"@example.com",
				time.Date(2026, 12, 21+i, 11, 0, 0, 0, ny), st, testNow, nil))
		}

		r := h.do(t, http.MethodGet, feed, nil)
		if r.Status != http.StatusOK {
			t.Fatalf("feed: %s", r)
		}
		for name, want := range map[string]string{
			"Content-Type":           "text/calendar; charset=utf-8",
			"Cache-Control":          "private, max-age=300",
			"Content-Disposition":    `inline; filename="lumen-studio.ics"`,
			"X-Content-Type-Options": "nosniff",
		} {
			if got := r.Header.Get(name); got != want {
				t.Errorf("%s = %q, want %q", name, got, want)
			}
		}
		cal := parseICS(t, r.Body)
		for name, want := range map[string]string{
			"VERSION":                         "2.0",
			"METHOD":                          "PUBLISH",
			"PRODID":                          "-//Frontdesk//Bookings//EN",
			"X-WR-CALNAME":                    "Lumen Studio",
			"X-WR-TIMEZONE":                   "America/New_York",
			"REFRESH-INTERVAL;VALUE=DURATION": "PT1H",
			"X-PUBLISHED-TTL":                 "PT1H",
		} {
			if got := cal.Props[name]; got != want {
				t.Errorf("calendar %s = %q, want %q", name, got, want)
			}
		}

		byUID := map[string]map[string]string{}
		for _, ev := range cal.Events {
			byUID[ev["UID"]] = ev
		}
		wantUIDs := []string{wedding.BookingID + "@frontdesk", portrait.ID + "@frontdesk", recent.ID + "@frontdesk"}
		gotUIDs := make([]string, 0, len(byUID))
		for uid := range byUID {
			gotUIDs = append(gotUIDs, uid)
		}
		slices.Sort(wantUIDs)
		slices.Sort(gotUIDs)
		if len(cal.Events) != len(wantUIDs) || !slices.Equal(gotUIDs, wantUIDs) {
			t.Fatalf("feed events %q, want %q\n%s", gotUIDs, wantUIDs, r.Body)
		}
		for _, b := range append([]*frontdesk.Booking{tooOld, tooFar}, dead...) {
			if strings.Contains(string(r.Body), b.ID) || strings.Contains(string(r.Body), b.ConfirmationCode) {
				t.Errorf("booking %s (%s, %s) is in the feed", b.ID, b.Status, b.Date)
			}
		}
		// Isolation: nothing of tenant b.
		for _, s := range []string{other.BookingID, other.ConfirmationCode, "bob@other.test", "Bob Other", "Other Studio"} {
			if strings.Contains(string(r.Body), s) {
				t.Errorf("tenant b's %q is in tenant a's feed", s)
			}
		}

		// The wedding is the same event as in the booking's email.
		uid, emailEvent := h.emailUID(t, h.a, frontdesk.EmailBookingReceived, wedding.ConfirmationCode)
		ev := byUID[uid]
		if ev == nil {
			t.Fatalf("the email's UID %q is not in the feed", uid)
		}
		for _, p := range []string{"DTSTART;VALUE=DATE", "DTEND;VALUE=DATE", "STATUS"} {
			if ev[p] != emailEvent[p] {
				t.Errorf("wedding %s: feed %q, email %q", p, ev[p], emailEvent[p])
			}
		}
		if ev["DTSTART;VALUE=DATE"] != "20261215" || ev["DTEND;VALUE=DATE"] != "20261216" || ev["STATUS"] != "TENTATIVE" {
			t.Errorf("wedding event %v", ev)
		}
		if ev["SUMMARY"] != "Wedding Photography – Ann Lee" {
			t.Errorf("wedding SUMMARY %q", ev["SUMMARY"])
		}
		for _, want := range []string{"Confirmation code: " + wedding.ConfirmationCode, `Status: Pending`, "Email: ann@example.com"} {
			if !strings.Contains(ev["DESCRIPTION"], want) {
				t.Errorf("wedding DESCRIPTION %q lacks %q", ev["DESCRIPTION"], want)
			}
		}

		// The portrait: timed in UTC, confirmed, the hostile text escaped.
		ev = byUID[portrait.ID+"@frontdesk"]
		if ev["DTSTART"] != "20261214T150000Z" || ev["DTEND"] != "20261214T160000Z" || ev["STATUS"] != "CONFIRMED" {
			t.Errorf("portrait event %v", ev)
		}
		if want := `Portrait Session – Ann\; X:Y BEGIN:VEVENT`; ev["SUMMARY"] != want {
			t.Errorf("portrait SUMMARY %q, want %q", ev["SUMMARY"], want)
		}
		for _, want := range []string{"Confirmation code: " + portrait.ConfirmationCode + `\n`, `Status: Confirmed\n`,
			`Email: hostile@example.com\n`, `Phone: +1 555 0100\n`, `Notes: line1\nline2\, with\; a \\ backslash`} {
			if !strings.Contains(ev["DESCRIPTION"], want) {
				t.Errorf("portrait DESCRIPTION %q lacks %q", ev["DESCRIPTION"], want)
			}
		}
		if got := strings.Count(string(r.Body), "\r\nBEGIN:VEVENT\r\n"); got != 3 {
			t.Errorf("%d BEGIN:VEVENT lines, want 3", got)
		}

		// HEAD answers the headers without the body; an unchanged feed is a 304.
		head := h.do(t, http.MethodHead, feed, nil)
		if head.Status != http.StatusOK || len(head.Body) != 0 || head.Header.Get("Content-Type") != "text/calendar; charset=utf-8" {
			t.Errorf("HEAD: %d %q %q", head.Status, head.Header.Get("Content-Type"), head.Body)
		}
		etag := r.Header.Get("ETag")
		if etag == "" {
			t.Fatal("no ETag")
		}
		if again := h.do(t, http.MethodGet, feed, nil, "If-None-Match", etag); again.Status != http.StatusNotModified {
			t.Errorf("If-None-Match: %d", again.Status)
		}

		// Refusals: all the same plain 404, whether the token is malformed,
		// unknown, or another tenant's with the wrong name.
		for _, path := range []string{
			"/calendar/" + frontdesk.NewCalendarToken() + ".ics",
			"/calendar/x.ics",
			"/calendar/" + token,
			"/calendar/" + token + ".ics.ics",
			"/calendar/" + token + ".ICS",
			"/calendar/" + strings.ToUpper(token) + ".ics",
			"/calendar/" + token[:len(token)-1] + ".ics",
			"/calendar/.ics",
			"/calendar/%2e%2e%2fx.ics",
			"/calendar/" + token + "%2f.ics",
		} {
			wantNotFound(t, h.do(t, http.MethodGet, path, nil), path)
		}
		// ServeMux cleans a path with dot segments by redirecting to the
		// clean path; where that leads is a 404 too.
		dots := h.do(t, http.MethodGet, "/calendar/../x.ics", nil)
		if dots.Status == http.StatusOK || strings.Contains(string(dots.Body), "BEGIN:VCALENDAR") {
			t.Fatalf("/calendar/../x.ics: %s", dots)
		}
		if loc := dots.Header.Get("Location"); dots.Status/100 == 3 {
			wantNotFound(t, h.do(t, http.MethodGet, loc, nil), "/calendar/../x.ics → "+loc)
		} else {
			wantNotFound(t, dots, "/calendar/../x.ics")
		}
		unknown := h.do(t, http.MethodGet, "/calendar/"+frontdesk.NewCalendarToken()+".ics", nil)
		malformed := h.do(t, http.MethodGet, "/calendar/x.ics", nil)
		if string(unknown.Body) != string(malformed.Body) {
			t.Errorf("an unknown token and a malformed name answer differently: %q, %q", unknown.Body, malformed.Body)
		}

		// Tenant b's own feed has its booking and none of a's.
		rb := h.do(t, http.MethodGet, "/calendar/"+h.calendarToken(t, h.b)+".ics", nil)
		if rb.Status != http.StatusOK {
			t.Fatalf("b's feed: %s", rb)
		}
		calB := parseICS(t, rb.Body)
		if len(calB.Events) != 1 || calB.Events[0]["UID"] != other.BookingID+"@frontdesk" || calB.Props["X-WR-TIMEZONE"] != "Europe/Berlin" {
			t.Errorf("b's feed: %s", rb.Body)
		}

		// Rotating the calendar key stops the old address at once.
		fresh := frontdesk.NewCalendarToken()
		if err := h.store.SetTenantKey(ctx, h.a.Tenant.ID, frontdesk.KeyCalendar, fresh); err != nil {
			t.Fatal(err)
		}
		wantNotFound(t, h.do(t, http.MethodGet, feed, nil), "the old feed address after rotation")
		if r := h.do(t, http.MethodGet, "/calendar/"+fresh+".ics", nil); r.Status != http.StatusOK || len(parseICS(t, r.Body).Events) != 3 {
			t.Errorf("the new feed address: %s", r)
		}
	})
}

// TestCalendarFeedEmpty serves a tenant without bookings: a valid calendar
// with no events.
func TestCalendarFeedEmpty(t *testing.T) {
	eachBackend(t, func(t *testing.T, h *harness) {
		r := h.do(t, http.MethodGet, "/calendar/"+h.calendarToken(t, h.a)+".ics", nil)
		if r.Status != http.StatusOK {
			t.Fatalf("feed: %s", r)
		}
		if cal := parseICS(t, r.Body); len(cal.Events) != 0 || cal.Props["X-WR-CALNAME"] != "Lumen Studio" {
			t.Fatalf("empty feed: %s", r.Body)
		}
	})
}
