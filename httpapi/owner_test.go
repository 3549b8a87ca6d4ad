package httpapi_test

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/frontdeskhq/frontdesk"
	"github.com/frontdeskhq/frontdesk/storetest"
)

// offer is the check_availability shape the preview answers with.
type offer struct {
	PackageID string             `json:"packageId"`
	StartDate string             `json:"startDate"`
	EndDate   string             `json:"endDate"`
	Dates     []string           `json:"dates"`
	Days      []frontdesk.DayOut `json:"days"`
	// Slots are the days' times read in the tenant's zone.
	Slots []offerSlot `json:"-"`
}

// Starts reads the days' times as instants.
func (o offer) Starts(loc *time.Location) []time.Time {
	a := frontdesk.CheckAvailabilityOut{Days: o.Days}
	return a.Starts(loc)
}

type offerSlot struct {
	StartTime time.Time
	Date      string
}

func (h *harness) preview(t *testing.T, f *storetest.Fixture, query string) offer {
	t.Helper()
	var o offer
	decode(t, h.tenantAPI(t, f, "/v1/tenant/availability/preview?"+query), &o)
	for _, at := range o.Starts(f.Tenant.Location()) {
		o.Slots = append(o.Slots, offerSlot{StartTime: at, Date: frontdesk.DateOf(at).String()})
	}
	return o
}

// wantStatus fails unless r has the status, returning r for chaining.
func wantStatus(t *testing.T, r response, status int) response {
	t.Helper()
	if r.Status != status {
		t.Fatalf("status %d, want %d: %s", r.Status, status, r.Body)
	}
	return r
}

func TestOwnerProfileAndSettings(t *testing.T) {
	eachBackend(t, func(t *testing.T, h *harness) {
		var p struct {
			ID              string   `json:"id"`
			Name            string   `json:"name"`
			AllowedOrigins  []string `json:"allowedOrigins"`
			CalendarFeedURL string   `json:"calendarFeedUrl"`
			PublicKey       string   `json:"publicKey"`
			Info            struct {
				Phone    string            `json:"phone"`
				Policies map[string]string `json:"policies"`
			} `json:"info"`
			Settings frontdesk.Settings `json:"settings"`
		}
		decode(t, h.tenantAPI(t, h.a, "/v1/tenant"), &p)
		if p.ID != h.a.Tenant.ID || p.PublicKey != h.a.Tenant.PublicKey || !strings.Contains(p.CalendarFeedURL, "/calendar/cal_") ||
			p.Settings.MaxDaysAhead != frontdesk.DefaultSettings().MaxDaysAhead {
			t.Fatalf("GET /v1/tenant = %+v", p)
		}
		// A PATCH changes only the fields sent, nested ones too.
		r := wantStatus(t, h.owner(t, h.a, http.MethodPatch, "/v1/tenant", map[string]any{
			"allowedOrigins": []string{"https://Shop.Example/", "http://localhost:3000"},
			"info":           map[string]any{"phone": "+1 555 010 0199"},
			"settings":       map[string]any{"requirePhone": true, "minNoticeMinutes": 90},
		}), http.StatusOK)
		decode(t, r, &p)
		if p.Name != "Lumen Studio" || strings.Join(p.AllowedOrigins, " ") != "https://shop.example http://localhost:3000" ||
			p.Info.Phone != "+1 555 010 0199" || p.Info.Policies["cancellation"] == "" ||
			!p.Settings.RequirePhone || p.Settings.MinNoticeMinutes != 90 || p.Settings.MaxReschedules != frontdesk.DefaultSettings().MaxReschedules {
			t.Fatalf("after PATCH: %+v", p)
		}
		stored, err := h.store.TenantByID(context.Background(), h.a.Tenant.ID)
		if err != nil || stored.Version <= h.a.Tenant.Version {
			t.Fatalf("version %d -> %d (%v): a change must raise it", h.a.Tenant.Version, stored.Version, err)
		}
		// The new origin may now use the widget.
		got := h.do(t, http.MethodGet, "/v1/public/chat/greeting", nil, "X-Tenant-Key", h.a.Tenant.PublicKey, "Origin", "https://shop.example")
		wantStatus(t, got, http.StatusOK)

		// requirePhone is enforced where the assistant books.
		sid := h.newSession(t, h.a)
		_, err = h.bookings.Propose(context.Background(), stored, sid, frontdesk.BookServiceIn{PackageID: "wedding", Date: "2026-12-18",
			CustomerName: "Ann Lee", CustomerEmail: "ann@example.com"})
		if fe := asFrontdesk(err); fe == nil || fe.Code != frontdesk.EInvalid || len(fe.Details) != 1 || fe.Details[0].Field != "customerPhone" {
			t.Fatalf("booking without a phone when it is required: %v", err)
		}

		// The hours the assistant tells come from the bookable hours.
		reply := h.say(t, h.a, sid, "what are your opening hours?")
		if !strings.Contains(reply.Message, "Monday to Saturday 9:00 AM to 5:00 PM") || !strings.Contains(reply.Message, "closed Sunday") {
			t.Fatalf("hours answer %q", reply.Message)
		}
	})
}

func asFrontdesk(err error) *frontdesk.Error {
	fe, _ := err.(*frontdesk.Error)
	return fe
}

func TestOwnerSettingsShapeWhatIsOffered(t *testing.T) {
	eachBackend(t, func(t *testing.T, h *harness) {
		// Today (Thursday 10 December, 10:00 in New York) has slots from 10:15 on.
		o := h.preview(t, h.a, "packageId=portrait&from=2026-12-10&to=2026-12-31")
		if len(o.Slots) == 0 || o.Slots[0].Date != "2026-12-10" {
			t.Fatalf("preview without notice: %+v", o)
		}
		wantStatus(t, h.owner(t, h.a, http.MethodPatch, "/v1/tenant", map[string]any{"settings": map[string]any{"minNoticeMinutes": 24 * 60, "maxDaysAhead": 5}}), http.StatusOK)
		o = h.preview(t, h.a, "packageId=portrait&from=2026-12-10&to=2026-12-31")
		earliest := testNow.Add(24 * time.Hour)
		if len(o.Slots) == 0 || o.Slots[0].StartTime.Before(earliest) {
			t.Fatalf("first slot %v is sooner than the notice allows (%v)", o.Slots, earliest)
		}
		if last := o.Slots[len(o.Slots)-1]; last.Date > "2026-12-15" {
			t.Fatalf("slot on %s, beyond maxDaysAhead 5", last.Date)
		}
		dates := h.preview(t, h.a, "packageId=wedding&from=2026-12-10&to=2026-12-31").Dates
		if len(dates) == 0 || dates[0] != "2026-12-11" || dates[len(dates)-1] > "2026-12-15" {
			t.Fatalf("wedding dates %v", dates)
		}
		// The booking path refuses what the preview does not offer.
		tn, _ := h.store.TenantByID(context.Background(), h.a.Tenant.ID)
		_, err := h.bookings.Propose(context.Background(), tn, h.newSession(t, h.a), frontdesk.BookServiceIn{PackageID: "wedding", Date: "2026-12-22",
			CustomerName: "Ann Lee", CustomerEmail: "ann@example.com"})
		if !frontdesk.IsCode(err, frontdesk.ESlotUnavailable) || !strings.Contains(frontdesk.ErrorMessage(err), "5 days ahead") {
			t.Fatalf("a booking beyond maxDaysAhead: %v", err)
		}
	})
}

func TestOwnerServices(t *testing.T) {
	eachBackend(t, func(t *testing.T, h *harness) {
		var p struct {
			ID              string `json:"id"`
			Slug            string `json:"slug"`
			Currency        string `json:"currency"`
			PriceCents      int64  `json:"priceCents"`
			DurationMinutes int    `json:"durationMinutes"`
		}
		r := wantStatus(t, h.owner(t, h.a, http.MethodPost, "/v1/tenant/packages", map[string]any{
			"name": "Sunset Session", "priceCents": 9900, "bookingType": "TIMESLOT", "durationMinutes": 45, "description": "Golden hour."}), http.StatusCreated)
		unmarshal(t, r, &p)
		if p.Slug != "sunset-session" || p.Currency != h.a.Tenant.Currency || p.DurationMinutes != 45 {
			t.Fatalf("created %+v", p)
		}
		// The assistant sells it at once.
		sid := h.newSession(t, h.a)
		if reply := h.say(t, h.a, sid, "what services do you offer?"); !strings.Contains(reply.Message, "Sunset Session") {
			t.Fatalf("the assistant does not list the new service: %q", reply.Message)
		}
		wantStatus(t, h.owner(t, h.a, http.MethodPatch, "/v1/tenant/packages/sunset-session", map[string]any{"priceCents": 12000}), http.StatusOK)
		decode(t, h.tenantAPI(t, h.a, "/v1/tenant/packages/"+p.ID), &p)
		if p.PriceCents != 12000 {
			t.Fatalf("price after PATCH %d", p.PriceCents)
		}
		// Same slug again: 409 naming the field.
		r = wantStatus(t, h.owner(t, h.a, http.MethodPost, "/v1/tenant/packages", map[string]any{
			"slug": "sunset-session", "name": "Other", "priceCents": 1, "bookingType": "DATE"}), http.StatusConflict)
		if e := errOf(t, r); e.Error != frontdesk.EConflict || len(e.Details) != 1 || e.Details[0].Field != "slug" {
			t.Fatalf("slug clash: %s", r.Body)
		}
		// Deleting an unused service removes it; one with bookings is archived.
		unmarshal(t, wantStatus(t, h.owner(t, h.a, http.MethodDelete, "/v1/tenant/packages/sunset-session", nil), http.StatusOK), &struct{}{})
		wantStatus(t, h.tenantAPI(t, h.a, "/v1/tenant/packages/sunset-session"), http.StatusNotFound)
		booked := h.bookWedding(t, h.a, 18, "Ann Lee", "ann@example.com")
		var del struct{ Deleted, Archived bool }
		unmarshal(t, wantStatus(t, h.owner(t, h.a, http.MethodDelete, "/v1/tenant/packages/wedding", nil), http.StatusOK), &del)
		if !del.Deleted || !del.Archived {
			t.Fatalf("delete of a booked service = %+v", del)
		}
		wantStatus(t, h.tenantAPI(t, h.a, "/v1/tenant/packages/wedding"), http.StatusNotFound)
		var list struct {
			Packages []struct{ Slug string } `json:"packages"`
		}
		decode(t, h.tenantAPI(t, h.a, "/v1/tenant/packages"), &list)
		for _, p := range list.Packages {
			if p.Slug == "wedding" || strings.Contains(p.Slug, "archived") {
				t.Fatalf("an archived service is listed: %+v", list)
			}
		}
		var b BookingViewT
		decode(t, h.tenantAPI(t, h.a, "/v1/tenant/bookings/"+booked.BookingID), &b)
		if b.PackageName != "Wedding Photography" {
			t.Fatalf("the booking of an archived service: %+v", b)
		}
		// The slug is free again.
		wantStatus(t, h.owner(t, h.a, http.MethodPost, "/v1/tenant/packages", map[string]any{
			"slug": "wedding", "name": "Wedding", "priceCents": 300000, "bookingType": "DATE"}), http.StatusCreated)
	})
}

// BookingViewT is the part of a booking view the tests read.
type BookingViewT struct {
	ID          string `json:"id"`
	PackageName string `json:"packageName"`
	Date        string `json:"date"`
}

func TestOwnerHoursAndDaysOff(t *testing.T) {
	eachBackend(t, func(t *testing.T, h *harness) {
		week := map[string]any{"rules": []map[string]string{
			{"weekday": "MON", "start": "09:00", "end": "12:00"}, {"weekday": "MON", "start": "14:00", "end": "18:00"},
			{"weekday": "FRI", "start": "10:00", "end": "16:00"},
		}}
		var got struct {
			TimeZone string `json:"timeZone"`
			Rules    []struct{ Weekday, Start, End string }
		}
		unmarshal(t, wantStatus(t, h.owner(t, h.a, http.MethodPut, "/v1/tenant/availability", week), http.StatusOK), &got)
		if got.TimeZone != "America/New_York" || len(got.Rules) != 3 || got.Rules[1].Start != "14:00" {
			t.Fatalf("PUT availability = %+v", got)
		}
		o := h.preview(t, h.a, "packageId=portrait&from=2026-12-14&to=2026-12-14") // a Monday
		loc := h.a.Tenant.Location()
		var starts []string
		for _, s := range o.Slots {
			starts = append(starts, s.StartTime.In(loc).Format("15:04"))
		}
		if strings.Join(starts, " ") != "09:00 10:15 14:00 15:15 16:30" {
			t.Fatalf("Monday slots %v", starts)
		}
		if o := h.preview(t, h.a, "packageId=portrait&from=2026-12-15&to=2026-12-15"); len(o.Slots) != 0 {
			t.Fatalf("Tuesday is closed but offers %v", o.Slots)
		}
		// A day off with a booking on it: the booking is reported, not canceled.
		booked := h.bookWedding(t, h.a, 18, "Ann Lee", "ann@example.com")
		var res struct {
			Blackouts []struct {
				ID   string `json:"id"`
				Date string `json:"date"`
			} `json:"blackouts"`
			AffectedBookings []BookingViewT `json:"affectedBookings"`
		}
		unmarshal(t, wantStatus(t, h.owner(t, h.a, http.MethodPost, "/v1/tenant/blackouts",
			map[string]any{"from": "2026-12-17", "to": "2026-12-21", "reason": "Holiday"}), http.StatusCreated), &res)
		if len(res.Blackouts) != 5 || len(res.AffectedBookings) != 1 || res.AffectedBookings[0].ID != booked.BookingID {
			t.Fatalf("days off = %+v", res)
		}
		if o := h.preview(t, h.a, "packageId=portrait&from=2026-12-21&to=2026-12-21"); len(o.Slots) != 0 {
			t.Fatalf("a day off offers %v", o.Slots)
		}
		if b := h.booking(t, h.a, booked.BookingID); b.Status != frontdesk.StatusPending {
			t.Fatalf("closing a day changed its booking to %s", b.Status)
		}
		wantStatus(t, h.owner(t, h.a, http.MethodDelete, "/v1/tenant/blackouts/"+res.Blackouts[4].ID, nil), http.StatusOK)
		if o := h.preview(t, h.a, "packageId=portrait&from=2026-12-21&to=2026-12-21"); len(o.Slots) != 5 {
			t.Fatalf("the reopened Monday offers %v", o.Slots)
		}
		var list struct {
			Blackouts []struct{ Date string } `json:"blackouts"`
		}
		decode(t, h.tenantAPI(t, h.a, "/v1/tenant/blackouts?from=2026-12-01&to=2026-12-31"), &list)
		var dates []string
		for _, b := range list.Blackouts {
			dates = append(dates, b.Date)
		}
		if strings.Join(dates, " ") != "2026-12-17 2026-12-18 2026-12-19 2026-12-20 2026-12-25" {
			t.Fatalf("days off %v", dates)
		}
	})
}

func TestOwnerInboxAndCustomers(t *testing.T) {
	eachBackend(t, func(t *testing.T, h *harness) {
		sid := h.newSession(t, h.a)
		reply := h.say(t, h.a, sid, "what services do you offer?")
		wantStatus(t, h.public(t, h.a, http.MethodPost, "/v1/public/chat/escalate", map[string]any{"sessionId": sid, "reason": "Can I bring my dog?", "customerEmail": "dog@example.com"}), http.StatusOK)
		wantStatus(t, h.public(t, h.a, http.MethodPost, "/v1/public/chat/feedback", map[string]any{"sessionId": sid, "messageId": reply.MessageID, "feedbackType": "THUMBS_DOWN", "comment": "too long"}), http.StatusOK)

		var list struct {
			Escalations []struct {
				ID, Status, Reason, Transcript string
			} `json:"escalations"`
		}
		decode(t, h.tenantAPI(t, h.a, "/v1/tenant/escalations?status=PENDING"), &list)
		if len(list.Escalations) != 1 || list.Escalations[0].Reason != "Can I bring my dog?" || list.Escalations[0].Transcript != "" {
			t.Fatalf("escalations %+v", list)
		}
		id := list.Escalations[0].ID
		var e struct{ Status, Transcript string }
		decode(t, h.tenantAPI(t, h.a, "/v1/tenant/escalations/"+id), &e)
		if !strings.Contains(e.Transcript, "what services do you offer?") {
			t.Fatalf("the detail lacks the transcript: %+v", e)
		}
		unmarshal(t, wantStatus(t, h.owner(t, h.a, http.MethodPatch, "/v1/tenant/escalations/"+id, map[string]string{"status": "RESOLVED"}), http.StatusOK), &e)
		if e.Status != "RESOLVED" {
			t.Fatalf("after PATCH %+v", e)
		}
		decode(t, h.tenantAPI(t, h.a, "/v1/tenant/escalations?status=PENDING"), &list)
		if len(list.Escalations) != 0 {
			t.Fatalf("a resolved escalation is still pending: %+v", list)
		}

		var fb struct {
			Feedback []struct{ FeedbackType, Comment, Message, MessageID string } `json:"feedback"`
		}
		decode(t, h.tenantAPI(t, h.a, "/v1/tenant/feedback?from=2026-12-10&to=2026-12-10"), &fb)
		if len(fb.Feedback) != 1 || fb.Feedback[0].Comment != "too long" || fb.Feedback[0].Message != reply.Message || fb.Feedback[0].MessageID != reply.MessageID {
			t.Fatalf("feedback %+v", fb)
		}
		decode(t, h.tenantAPI(t, h.a, "/v1/tenant/feedback?from=2026-12-11"), &fb)
		if len(fb.Feedback) != 0 {
			t.Fatalf("feedback of another day %+v", fb)
		}

		booked := h.bookWedding(t, h.a, 18, "Ann Lee", "ann@example.com")
		h.bookWedding(t, h.a, 19, "Bob Roe", "bob@example.com")
		var cs struct {
			Customers []struct{ ID, Name, Email string } `json:"customers"`
		}
		decode(t, h.tenantAPI(t, h.a, "/v1/tenant/customers?q=ANN"), &cs)
		if len(cs.Customers) != 1 || cs.Customers[0].Email != "ann@example.com" {
			t.Fatalf("customers matching ann: %+v", cs)
		}
		decode(t, h.tenantAPI(t, h.a, "/v1/tenant/customers?q=%25"), &cs)
		if len(cs.Customers) != 0 {
			t.Fatalf("%% matched as a wildcard: %+v", cs)
		}
		var c struct {
			Name     string         `json:"name"`
			Bookings []BookingViewT `json:"bookings"`
		}
		decode(t, h.tenantAPI(t, h.a, "/v1/tenant/customers/"+h.booking(t, h.a, booked.BookingID).CustomerID), &c)
		if c.Name != "Ann Lee" || len(c.Bookings) != 1 || c.Bookings[0].ID != booked.BookingID {
			t.Fatalf("customer detail %+v", c)
		}
	})
}

func TestOwnerRotatesKeys(t *testing.T) {
	eachBackend(t, func(t *testing.T, h *harness) {
		var k struct{ Key, Value string }
		unmarshal(t, wantStatus(t, h.owner(t, h.a, http.MethodPost, "/v1/tenant/keys/rotate", map[string]string{"key": "secret"}), http.StatusOK), &k)
		if k.Key != "secret" || !strings.HasPrefix(k.Value, "sk_") {
			t.Fatalf("rotate = %+v", k)
		}
		wantStatus(t, h.tenantAPI(t, h.a, "/v1/tenant"), http.StatusUnauthorized)
		h.a.SecretKey = k.Value
		wantStatus(t, h.tenantAPI(t, h.a, "/v1/tenant"), http.StatusOK)

		unmarshal(t, wantStatus(t, h.owner(t, h.a, http.MethodPost, "/v1/tenant/keys/rotate", map[string]string{"key": "publishable"}), http.StatusOK), &k)
		wantStatus(t, h.public(t, h.a, http.MethodGet, "/v1/public/chat/greeting", nil), http.StatusUnauthorized)
		wantStatus(t, h.do(t, http.MethodGet, "/v1/public/chat/greeting", nil, "X-Tenant-Key", k.Value), http.StatusOK)

		var p struct {
			CalendarFeedURL string `json:"calendarFeedUrl"`
		}
		decode(t, h.tenantAPI(t, h.a, "/v1/tenant"), &p)
		unmarshal(t, wantStatus(t, h.owner(t, h.a, http.MethodPost, "/v1/tenant/keys/rotate", map[string]string{"key": "calendar"}), http.StatusOK), &k)
		if k.Value == p.CalendarFeedURL || !strings.HasSuffix(k.Value, ".ics") {
			t.Fatalf("calendar rotation gave %q (was %q)", k.Value, p.CalendarFeedURL)
		}
	})
}

// TestOwnerIsolation: every route that takes an id answers 404 for
// another tenant's id, and changes nothing.
func TestOwnerIsolation(t *testing.T) {
	eachBackend(t, func(t *testing.T, h *harness) {
		sid := h.newSession(t, h.a)
		wantStatus(t, h.public(t, h.a, http.MethodPost, "/v1/public/chat/escalate", map[string]any{"sessionId": sid, "reason": "help"}), http.StatusOK)
		page, err := h.store.ListEscalations(context.Background(), h.a.Tenant.ID, frontdesk.EscalationFilter{})
		if err != nil || len(page.Escalations) != 1 {
			t.Fatal(page, err)
		}
		esc := page.Escalations[0].ID
		booked := h.bookWedding(t, h.a, 18, "Ann Lee", "ann@example.com")
		customer := h.booking(t, h.a, booked.BookingID).CustomerID
		days, err := h.store.ListBlackoutDates(context.Background(), h.a.Tenant.ID, frontdesk.Date{Year: 2026, Month: 12, Day: 1}, frontdesk.Date{Year: 2026, Month: 12, Day: 31})
		if err != nil || len(days) != 1 {
			t.Fatal(days, err)
		}
		before := snapshotTenant(t, h, h.a)
		for _, tc := range []struct {
			method, path string
			body         any
		}{
			{"GET", "/v1/tenant/packages/" + h.a.Portrait.ID, nil},
			{"GET", "/v1/tenant/packages/" + h.a.Portrait.Slug + "x", nil},
			{"PATCH", "/v1/tenant/packages/" + h.a.Portrait.ID, map[string]any{"priceCents": 1}},
			{"DELETE", "/v1/tenant/packages/" + h.a.Portrait.ID, nil},
			{"DELETE", "/v1/tenant/blackouts/" + days[0].ID, nil},
			{"GET", "/v1/tenant/availability/preview?packageId=" + h.a.Portrait.ID, nil},
			{"GET", "/v1/tenant/escalations/" + esc, nil},
			{"PATCH", "/v1/tenant/escalations/" + esc, map[string]string{"status": "RESOLVED"}},
			{"GET", "/v1/tenant/customers/" + customer, nil},
			{"GET", "/v1/tenant/bookings/" + booked.BookingID, nil},
		} {
			r := h.owner(t, h.b, tc.method, tc.path, tc.body)
			if r.Status != http.StatusNotFound || errOf(t, r).Error != frontdesk.ENotFound {
				t.Errorf("%s %s with another tenant's key: %s", tc.method, tc.path, r)
			}
		}
		if after := snapshotTenant(t, h, h.a); after != before {
			t.Fatalf("another tenant's requests changed tenant a:\n%s\n%s", before, after)
		}
		// Lists never show another tenant's rows.
		for _, path := range []string{"/v1/tenant/escalations", "/v1/tenant/customers", "/v1/tenant/feedback", "/v1/tenant/packages"} {
			r := wantStatus(t, h.tenantAPI(t, h.b, path), http.StatusOK)
			if strings.Contains(string(r.Body), h.a.Tenant.ID) || strings.Contains(string(r.Body), esc) || strings.Contains(string(r.Body), customer) ||
				strings.Contains(string(r.Body), h.a.Portrait.ID) {
				t.Errorf("%s of tenant b shows tenant a's data: %s", path, r.Body)
			}
		}
	})
}

func snapshotTenant(t *testing.T, h *harness, f *storetest.Fixture) string {
	t.Helper()
	var out []string
	for _, path := range []string{"/v1/tenant", "/v1/tenant/packages", "/v1/tenant/availability", "/v1/tenant/blackouts?from=2026-01-01",
		"/v1/tenant/escalations", "/v1/tenant/customers"} {
		out = append(out, string(wantStatus(t, h.tenantAPI(t, f, path), http.StatusOK).Body))
	}
	return strings.Join(out, "\n")
}

// TestOwnerBadInput: every field error is named, with a message, and
// nothing is changed.
func TestOwnerBadInput(t *testing.T) {
	h := sqliteHarness(t)
	before := snapshotTenant(t, h, h.a)
	for _, tc := range []struct {
		name, method, path string
		body               any
		status             int
		code, field        string
	}{
		{"empty name", "PATCH", "/v1/tenant", map[string]any{"name": " "}, 400, frontdesk.EInvalid, "name"},
		{"bad time zone", "PATCH", "/v1/tenant", map[string]any{"timeZone": "Mars/Olympus"}, 400, frontdesk.EInvalid, "timeZone"},
		{"bad currency", "PATCH", "/v1/tenant", map[string]any{"currency": "XYZ"}, 400, frontdesk.EInvalid, "currency"},
		{"origin with path", "PATCH", "/v1/tenant", map[string]any{"allowedOrigins": []string{"https://ok.example", "https://shop.example/book"}}, 400, frontdesk.EInvalid, "allowedOrigins[1]"},
		{"origin without scheme", "PATCH", "/v1/tenant", map[string]any{"allowedOrigins": []string{"shop.example"}}, 400, frontdesk.EInvalid, "allowedOrigins[0]"},
		{"unknown field", "PATCH", "/v1/tenant", map[string]any{"colour": "blue"}, 400, frontdesk.EInvalid, "colour"},
		{"another slug", "PATCH", "/v1/tenant", map[string]any{"slug": "other-studio"}, 400, frontdesk.EInvalid, "slug"},
		{"read-only field", "PATCH", "/v1/tenant", map[string]any{"publicKey": "pk_x"}, 400, frontdesk.EInvalid, "publicKey"},
		{"unknown setting", "PATCH", "/v1/tenant", map[string]any{"settings": map[string]any{"maxDays": 3}}, 400, frontdesk.EInvalid, "maxDays"},
		{"negative notice", "PATCH", "/v1/tenant", map[string]any{"settings": map[string]any{"minNoticeMinutes": -1}}, 400, frontdesk.EInvalid, "settings.minNoticeMinutes"},
		{"refund over 100%", "PATCH", "/v1/tenant", map[string]any{"settings": map[string]any{"refundPolicy": []map[string]int{{"hoursBefore": 0, "percent": 120}}}}, 400, frontdesk.EInvalid, "settings.refundPolicy[0].percent"},
		{"bad dashboard email", "PATCH", "/v1/tenant", map[string]any{"settings": map[string]any{"dashboardEmails": []string{"nope"}}}, 400, frontdesk.EInvalid, "settings.dashboardEmails[0]"},
		{"bad faq", "PATCH", "/v1/tenant", map[string]any{"info": map[string]any{"faq": []map[string]string{{"question": "", "answer": "x"}}}}, 400, frontdesk.EInvalid, "info.faq[0].question"},
		{"wrong type", "PATCH", "/v1/tenant", map[string]any{"settings": map[string]any{"requirePhone": "yes"}}, 400, frontdesk.EInvalid, "settings.requirePhone"},
		{"negative price", "POST", "/v1/tenant/packages", map[string]any{"name": "X", "priceCents": -1, "bookingType": "DATE"}, 400, frontdesk.EInvalid, "priceCents"},
		{"empty service name", "POST", "/v1/tenant/packages", map[string]any{"name": "", "priceCents": 1, "bookingType": "DATE"}, 400, frontdesk.EInvalid, "name"},
		{"unknown booking type", "POST", "/v1/tenant/packages", map[string]any{"name": "X", "priceCents": 1, "bookingType": "HOURLY"}, 400, frontdesk.EInvalid, "bookingType"},
		{"missing duration", "POST", "/v1/tenant/packages", map[string]any{"name": "X", "priceCents": 1, "bookingType": "TIMESLOT"}, 400, frontdesk.EInvalid, "durationMinutes"},
		{"duration longer than any range", "POST", "/v1/tenant/packages", map[string]any{"name": "X", "priceCents": 1, "bookingType": "TIMESLOT", "durationMinutes": 600}, 400, frontdesk.EInvalid, "durationMinutes"},
		{"bad slug", "POST", "/v1/tenant/packages", map[string]any{"slug": "Not A Slug", "name": "X", "priceCents": 1, "bookingType": "DATE"}, 400, frontdesk.EInvalid, "slug"},
		{"slug clash", "POST", "/v1/tenant/packages", map[string]any{"slug": "portrait", "name": "X", "priceCents": 1, "bookingType": "DATE"}, 409, frontdesk.EConflict, "slug"},
		{"slug clash on PATCH", "PATCH", "/v1/tenant/packages/portrait", map[string]any{"slug": "wedding"}, 409, frontdesk.EConflict, "slug"},
		{"unknown service", "PATCH", "/v1/tenant/packages/nope", map[string]any{"priceCents": 1}, 404, frontdesk.ENotFound, ""},
		{"unknown weekday", "PUT", "/v1/tenant/availability", map[string]any{"rules": []map[string]string{{"weekday": "FUNDAY", "start": "09:00", "end": "10:00"}}}, 400, frontdesk.EInvalid, "rules[0].weekday"},
		{"inverted hours", "PUT", "/v1/tenant/availability", map[string]any{"rules": []map[string]string{{"weekday": "MON", "start": "17:00", "end": "09:00"}}}, 400, frontdesk.EInvalid, "rules[0].end"},
		{"overlapping hours", "PUT", "/v1/tenant/availability", map[string]any{"rules": []map[string]string{{"weekday": "MON", "start": "09:00", "end": "13:00"}, {"weekday": "MON", "start": "12:00", "end": "17:00"}}}, 400, frontdesk.EInvalid, "rules[1].start"},
		{"bad clock", "PUT", "/v1/tenant/availability", map[string]any{"rules": []map[string]string{{"weekday": "MON", "start": "9am", "end": "25:00"}}}, 400, frontdesk.EInvalid, "rules[0].start"},
		{"hours too short for a service", "PUT", "/v1/tenant/availability", map[string]any{"rules": []map[string]string{{"weekday": "MON", "start": "09:00", "end": "09:30"}}}, 400, frontdesk.EInvalid, "rules"},
		{"no rules", "PUT", "/v1/tenant/availability", map[string]any{}, 400, frontdesk.EInvalid, "rules"},
		{"day off without a date", "POST", "/v1/tenant/blackouts", map[string]any{"reason": "x"}, 400, frontdesk.EInvalid, "date"},
		{"inverted range", "POST", "/v1/tenant/blackouts", map[string]any{"from": "2026-12-20", "to": "2026-12-10"}, 400, frontdesk.EInvalid, "to"},
		{"bad date", "POST", "/v1/tenant/blackouts", map[string]any{"date": "2026-02-30"}, 400, frontdesk.EInvalid, "date"},
		{"bad escalation status", "PATCH", "/v1/tenant/escalations/0123456789abcdef0123456789abcdef", map[string]any{"status": "DONE"}, 400, frontdesk.EInvalid, "status"},
		{"bad key kind", "POST", "/v1/tenant/keys/rotate", map[string]any{"key": "master"}, 400, frontdesk.EInvalid, "key"},
		{"preview without a service", "GET", "/v1/tenant/availability/preview", nil, 400, frontdesk.EInvalid, "packageId"},
		{"unknown query", "GET", "/v1/tenant/customers?sort=name", nil, 400, frontdesk.EInvalid, "sort"},
		{"bad limit", "GET", "/v1/tenant/escalations?limit=0", nil, 400, frontdesk.EInvalid, "limit"},
		{"bad cursor", "GET", "/v1/tenant/customers?cursor=zzz", nil, 400, frontdesk.EInvalid, "cursor"},
		{"not JSON", "PATCH", "/v1/tenant", "{", 400, frontdesk.EInvalid, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := h.owner(t, h.a, tc.method, tc.path, tc.body)
			e := errOf(t, r)
			if r.Status != tc.status || e.Error != tc.code || e.Message == "" {
				t.Fatalf("%s %s: %s; want %d %s", tc.method, tc.path, r, tc.status, tc.code)
			}
			if tc.field == "" {
				return
			}
			for _, d := range e.Details {
				if d.Field == tc.field && d.Message != "" {
					return
				}
			}
			t.Fatalf("%s %s: no detail for %q in %s", tc.method, tc.path, tc.field, r.Body)
		})
	}
	if after := snapshotTenant(t, h, h.a); after != before {
		t.Fatalf("refused requests changed the business:\n%s\n%s", before, after)
	}
}

// errOf decodes an error body.
func errOf(t *testing.T, r response) errBody {
	t.Helper()
	var e errBody
	if err := json.Unmarshal(r.Body, &e); err != nil {
		t.Fatalf("not an error body: %s", r)
	}
	return e
}

// unmarshal decodes a JSON body whatever its status.
func unmarshal(t *testing.T, r response, v any) {
	t.Helper()
	if err := json.Unmarshal(r.Body, v); err != nil {
		t.Fatalf("body %s: %v", r, err)
	}
}

// TestNewTenantWithNothingToSell: a business made with `tenant create` and
// nothing else greets visitors, says kindly that nothing can be booked
// online yet and gives its contact; nothing fails.
func TestNewTenantWithNothingToSell(t *testing.T) {
	h := sqliteHarness(t)
	pk, sk := frontdesk.NewTenantKeys()
	tn := &frontdesk.Tenant{ID: frontdesk.NewID(), Name: "New Studio", Slug: "new-studio", ContactEmail: "owner@new.example",
		TimeZone: "UTC", Currency: "usd", PublicKey: pk, SecretKeyHash: frontdesk.HashSecretKey(sk), CreatedAt: testNow}
	if err := h.store.CreateTenant(context.Background(), tn); err != nil {
		t.Fatal(err)
	}
	f := &storetest.Fixture{Tenant: tn, SecretKey: sk}
	wantStatus(t, h.public(t, f, http.MethodGet, "/v1/public/chat/greeting", nil), http.StatusOK)
	sid := h.newSession(t, f)
	for _, msg := range []string{"I'd like to book a session", "what services do you have?", "are you open on saturday?"} {
		reply := h.say(t, f, sid, msg)
		if reply.Message == "" || strings.Contains(reply.Message, "Sorry, I couldn't") {
			t.Fatalf("%q: %q", msg, reply.Message)
		}
	}
	reply := h.say(t, f, sid, "book a portrait")
	if !strings.Contains(reply.Message, "nothing to book online") || !strings.Contains(reply.Message, "owner@new.example") {
		t.Fatalf("an empty business answered %q", reply.Message)
	}
	var list struct {
		Packages []any `json:"packages"`
	}
	decode(t, h.tenantAPI(t, f, "/v1/tenant/packages"), &list)
	if list.Packages == nil || len(list.Packages) != 0 {
		t.Fatalf("packages of an empty business: %+v", list)
	}
}
