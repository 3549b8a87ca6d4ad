package httpapi_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/frontdeskhq/frontdesk"
	"github.com/frontdeskhq/frontdesk/payments/stripe/stripetest"
)

// ownerBooking is the part of a booking view these tests read.
type ownerBooking struct {
	ID               string     `json:"id"`
	ConfirmationCode string     `json:"confirmationCode"`
	Status           string     `json:"status"`
	Date             string     `json:"date"`
	StartTime        *time.Time `json:"startTime"`
	Source           string     `json:"source"`
	RefundedCents    int64      `json:"refundedCents"`
	RescheduleCount  int        `json:"rescheduleCount"`
	CanceledAt       *time.Time `json:"canceledAt"`
	Reason           string     `json:"cancellationReason"`
	Notes            string     `json:"notes"`
	Customer         struct {
		Name, Email, Phone string
	} `json:"customer"`
}

type changeOut struct {
	Success       bool         `json:"success"`
	Action        string       `json:"action"`
	Status        string       `json:"status"`
	RefundedCents *int64       `json:"refundedCents"`
	Message       string       `json:"message"`
	Booking       ownerBooking `json:"booking"`
}

func TestOwnerBookingActions(t *testing.T) {
	eachBackend(t, func(t *testing.T, h *harness) {
		// A phone booking, paid at the desk.
		var b ownerBooking
		unmarshal(t, wantStatus(t, h.owner(t, h.a, http.MethodPost, "/v1/tenant/bookings", map[string]any{
			"packageId": "portrait", "date": "2026-12-18", "startTime": "10:15", "paid": true, "notes": "Bring the dog",
			"customer": map[string]string{"name": "Phone Caller", "email": "caller@example.com", "phone": "+1 555 010 0177"},
		}), http.StatusCreated), &b)
		if b.Source != "API" || b.Status != "CONFIRMED" || b.Customer.Phone != "+1 555 010 0177" || b.Notes != "Bring the dog" {
			t.Fatalf("phone booking %+v", b)
		}
		// The same slot again: 409.
		r := h.owner(t, h.a, http.MethodPost, "/v1/tenant/bookings", map[string]any{"packageId": "portrait", "date": "2026-12-18", "startTime": "10:15",
			"customer": map[string]string{"name": "Other", "email": "other@example.com"}})
		if r.Status != http.StatusConflict || errOf(t, r).Error != frontdesk.ESlotUnavailable {
			t.Fatalf("double phone booking: %s", r)
		}

		// Move it: the owner is not held to the customer's limits.
		var ch changeOut
		unmarshal(t, wantStatus(t, h.owner(t, h.a, http.MethodPost, "/v1/tenant/bookings/"+b.ID+"/reschedule",
			map[string]any{"date": "2026-12-19", "startTime": "14:00"}), http.StatusOK), &ch)
		if ch.Action != "rescheduled" || ch.Booking.Date != "2026-12-19" || ch.Booking.RescheduleCount != 1 ||
			ch.Booking.StartTime.In(h.a.Tenant.Location()).Format("15:04") != "14:00" || ch.Booking.ConfirmationCode != b.ConfirmationCode {
			t.Fatalf("reschedule = %+v", ch)
		}
		r = h.owner(t, h.a, http.MethodPost, "/v1/tenant/bookings/"+b.ID+"/reschedule", map[string]any{"date": "2026-12-20", "startTime": "14:00"})
		if r.Status != http.StatusConflict || !strings.Contains(errOf(t, r).Message, "not open") && errOf(t, r).Error != frontdesk.ESlotUnavailable {
			t.Fatalf("reschedule to a Sunday: %s", r)
		}

		// Cancel with a full refund, twice: the second answer is the first.
		unmarshal(t, wantStatus(t, h.owner(t, h.a, http.MethodPost, "/v1/tenant/bookings/"+b.ID+"/cancel",
			map[string]any{"refund": "full", "reason": "Studio flooded"}), http.StatusOK), &ch)
		if ch.Action != "canceled" || ch.Booking.Status != "REFUNDED" || ch.Booking.RefundedCents != 25000 ||
			ch.Booking.Reason != "Studio flooded" || ch.Booking.CanceledAt == nil || *ch.RefundedCents != 25000 {
			t.Fatalf("cancel = %+v", ch)
		}
		var again changeOut
		unmarshal(t, wantStatus(t, h.owner(t, h.a, http.MethodPost, "/v1/tenant/bookings/"+b.ID+"/cancel", map[string]any{"refund": "full"}), http.StatusOK), &again)
		if again.Booking.RefundedCents != 25000 || *again.RefundedCents != 25000 {
			t.Fatalf("second cancel refunded again: %+v", again)
		}
		if n := len(h.emails(t, h.a, frontdesk.EmailBookingCanceled)); n != 1 {
			t.Fatalf("%d cancellation emails", n)
		}

		// Search by code and by name.
		var list struct {
			Bookings []ownerBooking `json:"bookings"`
		}
		decode(t, h.tenantAPI(t, h.a, "/v1/tenant/bookings?q="+strings.ToLower(b.ConfirmationCode)), &list)
		if len(list.Bookings) != 1 || list.Bookings[0].ID != b.ID {
			t.Fatalf("search by code: %+v", list)
		}
		decode(t, h.tenantAPI(t, h.a, "/v1/tenant/bookings?q=caller"), &list)
		if len(list.Bookings) != 1 {
			t.Fatalf("search by name: %+v", list)
		}

		// Another tenant's booking is not found by any action.
		for path, body := range map[string]any{"/cancel": map[string]any{"refund": "none"}, "/reschedule": map[string]any{"date": "2026-12-21", "startTime": "10:15"}} {
			r := h.owner(t, h.b, http.MethodPost, "/v1/tenant/bookings/"+b.ID+path, body)
			if r.Status != http.StatusNotFound {
				t.Errorf("tenant b %s on tenant a's booking: %s", path, r)
			}
		}
	})
}

func TestOwnerBookingBadInput(t *testing.T) {
	h := sqliteHarness(t)
	paid := h.bookWedding(t, h.a, 18, "Ann Lee", "ann@example.com")
	bk := h.booking(t, h.a, paid.BookingID)
	h.deliver(t, stripetest.CompletedEvent("evt_bad_input_pay", bk.CheckoutSessionID, bk.ID, bk.TenantID, bk.TotalPriceCents, bk.Currency))
	for _, tc := range []struct {
		name, path string
		body       any
		status     int
		field      string
	}{
		{"unknown refund choice", "/v1/tenant/bookings/" + bk.ID + "/cancel", map[string]any{"refund": "half"}, 400, "refund"},
		{"reschedule without a date", "/v1/tenant/bookings/" + bk.ID + "/reschedule", map[string]any{}, 400, "date"},
		{"reschedule to the past", "/v1/tenant/bookings/" + bk.ID + "/reschedule", map[string]any{"date": "2026-12-01"}, 400, ""},
		{"phone booking without a customer", "/v1/tenant/bookings", map[string]any{"packageId": "wedding", "date": "2026-12-21"}, 400, "customer.name"},
		{"phone booking with a bad email", "/v1/tenant/bookings", map[string]any{"packageId": "wedding", "date": "2026-12-21",
			"customer": map[string]string{"name": "A", "email": "nope"}}, 400, "customer.email"},
		{"phone booking of an unknown service", "/v1/tenant/bookings", map[string]any{"packageId": "nope", "date": "2026-12-21",
			"customer": map[string]string{"name": "A", "email": "a@example.com"}}, 404, ""},
		{"unknown field", "/v1/tenant/bookings/" + bk.ID + "/cancel", map[string]any{"refunds": "full"}, 400, "refunds"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := h.owner(t, h.a, http.MethodPost, tc.path, tc.body)
			e := errOf(t, r)
			if r.Status != tc.status || e.Message == "" {
				t.Fatalf("%s", r)
			}
			if tc.field == "" {
				return
			}
			for _, d := range e.Details {
				if d.Field == tc.field {
					return
				}
			}
			t.Fatalf("no detail for %s: %s", tc.field, r.Body)
		})
	}
	if got := h.booking(t, h.a, bk.ID); got.Status != frontdesk.StatusConfirmed || got.RefundedCents != 0 {
		t.Fatalf("refused requests changed the booking: %s", got.Status)
	}
}
