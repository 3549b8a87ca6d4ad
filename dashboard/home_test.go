package dashboard_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/frontdeskhq/frontdesk"
	"github.com/frontdeskhq/frontdesk/storetest"
)

// ibScript is what a hostile customer types as a name or a message.
const ibScript = "<script>alert(1)</script>"

// ibCustomer stores a customer of f with this name.
func ibCustomer(t *testing.T, h *harness, f *storetest.Fixture, name, email string) *frontdesk.Customer {
	t.Helper()
	c, err := h.store.FindOrCreateCustomer(context.Background(), &frontdesk.Customer{ID: frontdesk.NewID(), TenantID: f.Tenant.ID,
		Email: email, Name: name, CreatedAt: testNow})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// ibBooking stores a chat booking of p for c starting at start (UTC), in
// status st, made at created.
func ibBooking(t *testing.T, h *harness, f *storetest.Fixture, p *frontdesk.Package, c *frontdesk.Customer, start time.Time,
	st frontdesk.BookingStatus, created time.Time) *frontdesk.Booking {
	t.Helper()
	b := f.Booking(p, c, start)
	b.Status, b.CreatedAt, b.UpdatedAt = st, created, created
	if st == frontdesk.StatusConfirmed && b.TotalPriceCents > 0 {
		b.PaidAt = &created
	}
	if err := h.store.CreateBooking(context.Background(), b); err != nil {
		t.Fatal(err)
	}
	return b
}

// ibEscalation stores an escalation of f.
func ibEscalation(t *testing.T, h *harness, f *storetest.Fixture, reason, email, phone, status string, at time.Time) *frontdesk.Escalation {
	t.Helper()
	e := &frontdesk.Escalation{ID: frontdesk.NewID(), TenantID: f.Tenant.ID, SessionID: frontdesk.NewID(), Reason: reason,
		CustomerEmail: email, CustomerPhone: phone, Status: status, CreatedAt: at,
		Summary: "Customer: Can I bring my dog " + ibScript + "?\nAssistant: Let me ask the team.\nCustomer: thanks\n"}
	if err := h.store.CreateEscalation(context.Background(), e); err != nil {
		t.Fatal(err)
	}
	return e
}

// ibNY is an instant in New York, where tenant a is.
func ibNY(month time.Month, day, hour, min int) time.Time {
	ny, _ := time.LoadLocation("America/New_York")
	return time.Date(2026, month, day, hour, min, 0, 0, ny).UTC()
}

func TestHomePage(t *testing.T) {
	eachBackend(t, func(t *testing.T, h *harness) {
		ctx := context.Background()
		bad := ibCustomer(t, h, h.a, ibScript, "evil@example.com")
		ann := ibCustomer(t, h, h.a, "Ann Lee", "ann@example.com")
		today := ibBooking(t, h, h.a, h.a.Portrait, bad, ibNY(12, 10, 14, 0), frontdesk.StatusConfirmed, testNow.Add(-48*time.Hour))
		soon := ibBooking(t, h, h.a, h.a.Wedding, ann, ibNY(12, 12, 12, 0), frontdesk.StatusPending, testNow.Add(-time.Hour))
		later := ibBooking(t, h, h.a, h.a.Wedding, ann, ibNY(12, 19, 12, 0), frontdesk.StatusPending, testNow.Add(-2*time.Hour))
		gone := ibBooking(t, h, h.a, h.a.Portrait, ann, ibNY(12, 11, 10, 0), frontdesk.StatusCanceled, testNow.Add(-3*time.Hour))
		open := ibEscalation(t, h, h.a, "Wants to talk about "+ibScript, "evil@example.com", "", frontdesk.EscalationPending, testNow.Add(-time.Hour))
		ack := ibEscalation(t, h, h.a, "Needs a quote", "", "+1 555 0100", frontdesk.EscalationAcknowledged, testNow.Add(-2*time.Hour))
		done := ibEscalation(t, h, h.a, "Old question", "x@example.com", "", frontdesk.EscalationResolved, testNow.Add(-3*time.Hour))
		other := ibEscalation(t, h, h.b, "Another business's customer", "b@example.com", "", frontdesk.EscalationPending, testNow.Add(-time.Hour))
		for _, d := range []int{4, 9, 10, 10} {
			if err := h.store.CountSession(ctx, h.a.Tenant.ID, frontdesk.Date{Year: 2026, Month: 12, Day: d}); err != nil {
				t.Fatal(err)
			}
		}
		// Outside the last 7 days (3 December and before): not counted.
		if err := h.store.CountSession(ctx, h.a.Tenant.ID, frontdesk.Date{Year: 2026, Month: 12, Day: 3}); err != nil {
			t.Fatal(err)
		}
		if err := h.store.SaveFeedback(ctx, &frontdesk.Feedback{ID: frontdesk.NewID(), TenantID: h.a.Tenant.ID, SessionID: "s1",
			Target: frontdesk.FeedbackSessionTarget, Type: frontdesk.FeedbackRating, Rating: 4, CreatedAt: testNow.Add(-time.Hour)}); err != nil {
			t.Fatal(err)
		}

		o := h.signIn(t, h.a)
		p := o.get(t, "/dashboard/")
		wantPage(t, p, http.StatusOK,
			"Lumen Studio", "Today", "Thu 10 Dec 2026", "Tomorrow",
			`href="/dashboard/bookings/`+today.ID+`"`, "2:00 PM – 3:00 PM EST", "Portrait Session",
			`href="/dashboard/bookings/`+soon.ID+`"`, "All day", "Wedding Photography",
			"2 bookings in the next 7 days",           // not the canceled one, nor the one after 7 days
			`href="/dashboard/bookings/`+later.ID+`"`, // unpaid
			`href="/dashboard/escalations/`+open.ID+`"`, `href="/dashboard/escalations/`+ack.ID+`"`, "&#43;1 555 0100",
			`href="/dashboard/bookings?status=PENDING"`, `href="/dashboard/escalations"`,
			"&lt;script&gt;alert(1)&lt;/script&gt;",
			"Last 7 days", "Fri 4 Dec – Thu 10 Dec", "4.0 out of 5 (1 rating)",
			`href="/dashboard/analytics?from=2026-12-04&amp;to=2026-12-10"`)
		if strings.Contains(p.Body, ibScript) {
			t.Error("a customer's <script> reaches the page unescaped")
		}
		if strings.Contains(p.Body, gone.ID) || strings.Contains(p.Body, done.ID) || strings.Contains(p.Body, other.ID) {
			t.Error("the home page lists a canceled booking, a resolved escalation or another business's escalation")
		}
		if strings.Contains(p.Body, "Get started") {
			t.Error("a business with services is told to get started")
		}
		// The 7-day figures: 4 chats (not the one on 3 December), 1 escalation in range.
		if !strings.Contains(ibSquash(p.Body), "<dt>Chats</dt><dd>4</dd>") {
			t.Errorf("the 7-day chats are not 4:\n%s", p.Body)
		}
		// The upcoming agenda: the booking of 12 December is under Saturday.
		if i, j := strings.Index(p.Body, "Sat 12 Dec 2026"), strings.Index(p.Body, soon.ID); i < 0 || j < i {
			t.Error("the wedding of 12 December is not under its day")
		}
	})
}

func TestHomeGetStarted(t *testing.T) {
	h := sqliteHarness(t)
	ctx := context.Background()
	for _, p := range []*frontdesk.Package{h.b.Wedding, h.b.Portrait, h.b.Free, h.b.Retired} {
		if err := h.store.DeletePackage(ctx, h.b.Tenant.ID, p.ID); err != nil {
			t.Fatal(err)
		}
	}
	o := h.signIn(t, h.b)
	wantPage(t, o.get(t, "/dashboard/"), http.StatusOK, "Get started",
		`href="/dashboard/services"`, `href="/dashboard/hours"`, `href="/dashboard/info"`, `href="/dashboard/widget"`,
		"Nothing booked", "No customer is waiting for you.", "No booking is waiting for payment.")
}

// ibSquash removes the white space between tags, to match markup.
func ibSquash(s string) string {
	var b strings.Builder
	for _, line := range strings.Split(s, "\n") {
		b.WriteString(strings.TrimSpace(line))
	}
	return strings.ReplaceAll(b.String(), "> <", "><")
}
