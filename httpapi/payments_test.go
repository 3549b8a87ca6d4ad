package httpapi_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/frontdeskhq/frontdesk"
	"github.com/frontdeskhq/frontdesk/payments/stripe/stripetest"
	"github.com/frontdeskhq/frontdesk/payments/testmode"
	"github.com/frontdeskhq/frontdesk/storetest"
)

func wantHTML(t *testing.T, r response, status int, parts ...string) string {
	t.Helper()
	if r.Status != status {
		t.Fatalf("status %d, want %d; body %s", r.Status, status, r.Body)
	}
	if ct := r.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/html") {
		t.Fatalf("Content-Type %q, want HTML", ct)
	}
	page := string(r.Body)
	for _, p := range parts {
		if !strings.Contains(page, p) {
			t.Fatalf("page does not contain %q:\n%s", p, page)
		}
	}
	return page
}

func TestTestModeCheckout(t *testing.T) {
	eachBackend(t, func(t *testing.T, h *harness) {
		c := h.bookWedding(t, h.a, 15, "Ann Lee", "ann@example.com")
		id := c.BookingID

		page := wantHTML(t, h.do(t, http.MethodGet, c.CheckoutURL, nil), http.StatusOK,
			"$1,500.00", c.ConfirmationCode, "Wedding Photography", "Lumen Studio", `action="/checkout/test/`+id+`/pay"`)
		if !strings.Contains(page, "Test mode") {
			t.Fatal("the page does not say it is test mode")
		}

		pay := h.do(t, http.MethodPost, "/checkout/test/"+id+"/pay", nil)
		wantLoc := "/booking/success?" + url.Values{"booking": {id}, "code": {c.ConfirmationCode}}.Encode()
		if pay.Status != http.StatusSeeOther || pay.Header.Get("Location") != wantLoc {
			t.Fatalf("pay: %d Location %q, want 303 %q", pay.Status, pay.Header.Get("Location"), wantLoc)
		}
		b := h.booking(t, h.a, id)
		if b.Status != frontdesk.StatusConfirmed || b.PaidAt == nil || !b.PaidAt.Equal(testNow) || b.PaymentIntentID == "" {
			t.Fatalf("after pay: %+v", b)
		}
		wantHTML(t, h.do(t, http.MethodGet, wantLoc, nil), http.StatusOK, "CONFIRMED", "Your booking is confirmed", c.ConfirmationCode)
		paid := h.emails(t, h.a, frontdesk.EmailPaymentConfirmed)
		if len(paid) != 1 || paid[0].Email.To != "ann@example.com" || !strings.Contains(paid[0].Email.Subject, c.ConfirmationCode) {
			t.Fatalf("payment_confirmed emails %+v", paid)
		}

		t.Run("pay twice", func(t *testing.T) {
			// A minute later, so a second write would show in the times.
			h.clock.Advance(time.Minute)
			defer h.clock.Set(testNow)
			again := h.do(t, http.MethodPost, "/checkout/test/"+id+"/pay", nil)
			if again.Status != http.StatusSeeOther || again.Header.Get("Location") != wantLoc {
				t.Fatalf("second pay: %d %q", again.Status, again.Header.Get("Location"))
			}
			b2 := h.booking(t, h.a, id)
			if b2.Status != frontdesk.StatusConfirmed || !b2.PaidAt.Equal(*b.PaidAt) || !b2.UpdatedAt.Equal(b.UpdatedAt) {
				t.Fatalf("second pay changed the booking: %+v", b2)
			}
			if n := len(h.emails(t, h.a, frontdesk.EmailPaymentConfirmed)); n != 1 {
				t.Fatalf("%d payment_confirmed emails after paying twice, want 1", n)
			}
			// The page no longer offers to pay.
			page := wantHTML(t, h.do(t, http.MethodGet, c.CheckoutURL, nil), http.StatusOK, "CONFIRMED", "nothing to pay")
			if strings.Contains(page, "/pay") {
				t.Fatal("a paid booking still offers the pay button")
			}
		})
		t.Run("tenant sees it paid", func(t *testing.T) {
			var v map[string]any
			decode(t, h.tenantAPI(t, h.a, "/v1/tenant/bookings/"+id), &v)
			if v["status"] != "CONFIRMED" || v["paidAt"] != testNow.Format(time.RFC3339) || v["checkoutUrl"] != nil {
				t.Fatalf("tenant view %v", v)
			}
		})
		t.Run("cancel", func(t *testing.T) {
			c2 := h.bookWedding(t, h.a, 16, "Bob Ray", "bob@example.com")
			r := h.do(t, http.MethodPost, "/checkout/test/"+c2.BookingID+"/cancel", nil)
			loc := "/booking/cancel?" + url.Values{"booking": {c2.BookingID}, "code": {c2.ConfirmationCode}}.Encode()
			if r.Status != http.StatusSeeOther || r.Header.Get("Location") != loc {
				t.Fatalf("cancel: %d %q", r.Status, r.Header.Get("Location"))
			}
			wantHTML(t, h.do(t, http.MethodGet, loc, nil), http.StatusOK, "PENDING", "Payment not completed", `href="`+c2.CheckoutURL+`"`)
			if b := h.booking(t, h.a, c2.BookingID); b.Status != frontdesk.StatusPending {
				t.Fatalf("cancel changed the booking: %s", b.Status)
			}
			wantError(t, h.do(t, http.MethodPost, "/checkout/test/"+c2.BookingID+"/refund", nil), http.StatusNotFound, frontdesk.ENotFound)
		})
		t.Run("status page needs the code", func(t *testing.T) {
			for _, q := range []string{
				"booking=" + id + "&code=BK-WRONG1",
				"booking=" + id,
				"booking=" + frontdesk.NewID() + "&code=" + c.ConfirmationCode,
				"booking=nope&code=" + c.ConfirmationCode,
				"",
			} {
				page := wantHTML(t, h.do(t, http.MethodGet, "/booking/success?"+q, nil), http.StatusNotFound)
				if strings.Contains(page, "CONFIRMED") || strings.Contains(page, "Lumen") {
					t.Fatalf("%s: the page reveals the booking: %s", q, page)
				}
			}
		})
		t.Run("not a test-mode booking", func(t *testing.T) {
			live := h.storeBooking(t, h.a, h.a.Portrait, "live@example.com", time.Date(2026, 12, 18, 15, 0, 0, 0, time.UTC),
				frontdesk.StatusPending, testNow, func(b *frontdesk.Booking) { b.CheckoutSessionID = "cs_live_abc" })
			wantError(t, h.do(t, http.MethodGet, "/checkout/test/"+live.ID, nil), http.StatusNotFound, frontdesk.ENotFound)
			wantError(t, h.do(t, http.MethodPost, "/checkout/test/"+live.ID+"/pay", nil), http.StatusNotFound, frontdesk.ENotFound)
			if b := h.booking(t, h.a, live.ID); b.Status != frontdesk.StatusPending {
				t.Fatalf("a live-mode booking was paid in test mode: %s", b.Status)
			}
			for _, p := range []string{"/checkout/test/nope", "/checkout/test/" + frontdesk.NewID()} {
				wantError(t, h.do(t, http.MethodGet, p, nil), http.StatusNotFound, frontdesk.ENotFound)
			}
		})
	})
}

// directBooking stores a PENDING wedding of tenant f on day of December
// 2026 with a checkout session, as if made through Stripe.
func (h *harness) directBooking(t *testing.T, f *storetest.Fixture, day int) *frontdesk.Booking {
	t.Helper()
	return h.storeBooking(t, f, f.Wedding, fmt.Sprintf("c%d@example.com", day), time.Date(2026, 12, day, 17, 0, 0, 0, time.UTC),
		frontdesk.StatusPending, testNow, func(b *frontdesk.Booking) {
			b.CheckoutSessionID = "cs_test_" + frontdesk.NewID()
			b.CheckoutURL = "https://checkout.stripe.com/c/pay/" + b.CheckoutSessionID
			exp := testNow.Add(time.Hour)
			b.CheckoutExpiresAt = &exp
		})
}

func completed(evID string, b *frontdesk.Booking) map[string]any {
	return stripetest.CompletedEvent(evID, b.CheckoutSessionID, b.ID, b.TenantID, b.TotalPriceCents, b.Currency)
}

func wantReceived(t *testing.T, r response) {
	t.Helper()
	var v map[string]any
	decode(t, r, &v)
	if v["received"] != true {
		t.Fatalf("webhook answer %s", r.Body)
	}
}

func TestStripeWebhook(t *testing.T) {
	eachBackend(t, func(t *testing.T, h *harness) {
		t.Run("completed confirms a chat booking", func(t *testing.T) {
			c := h.bookWedding(t, h.a, 15, "Ann Lee", "ann@example.com")
			b := h.booking(t, h.a, c.BookingID)
			if b.CheckoutSessionID != testmode.SessionID(b.ID) {
				t.Fatalf("checkout session %q", b.CheckoutSessionID)
			}
			wantReceived(t, h.deliver(t, completed("evt_chat_1", b)))
			got := h.booking(t, h.a, b.ID)
			if got.Status != frontdesk.StatusConfirmed || got.PaidAt == nil || got.PaymentIntentID == "" {
				t.Fatalf("after completed: %+v", got)
			}
			if n := len(h.emails(t, h.a, frontdesk.EmailPaymentConfirmed)); n != 1 {
				t.Fatalf("%d payment_confirmed emails, want 1", n)
			}
			// The test-mode checkout of the paid booking now changes nothing.
			if r := h.do(t, http.MethodPost, "/checkout/test/"+b.ID+"/pay", nil); r.Status != http.StatusSeeOther {
				t.Fatalf("pay after webhook: %s", r)
			}
			if n := len(h.emails(t, h.a, frontdesk.EmailPaymentConfirmed)); n != 1 {
				t.Fatalf("%d payment_confirmed emails after paying again, want 1", n)
			}
		})

		t.Run("completed found by checkout session", func(t *testing.T) {
			b := h.directBooking(t, h.a, 16)
			ev := stripetest.CompletedEvent("evt_by_session", b.CheckoutSessionID, "", "", b.TotalPriceCents, "usd")
			wantReceived(t, h.deliver(t, ev))
			if got := h.booking(t, h.a, b.ID); got.Status != frontdesk.StatusConfirmed || got.PaidAt == nil {
				t.Fatalf("after completed: %+v", got)
			}
		})

		t.Run("ten concurrent deliveries", func(t *testing.T) {
			b := h.directBooking(t, h.a, 17)
			before := len(h.emails(t, h.a, frontdesk.EmailPaymentConfirmed))
			payload, sig := signed(t, completed("evt_concurrent", b))
			var wg sync.WaitGroup
			results := make([]response, 10)
			for i := range results {
				wg.Go(func() { results[i] = h.webhook(t, payload, sig) })
			}
			wg.Wait()
			for i, r := range results {
				if r.Status != http.StatusOK {
					t.Errorf("delivery %d: %s", i, r)
				}
			}
			if got := h.booking(t, h.a, b.ID); got.Status != frontdesk.StatusConfirmed {
				t.Fatalf("after deliveries: %s", got.Status)
			}
			if n := len(h.emails(t, h.a, frontdesk.EmailPaymentConfirmed)) - before; n != 1 {
				t.Fatalf("%d payment_confirmed emails from one event, want 1", n)
			}
			changes := 0
			for _, line := range strings.Split(h.logs.String(), "\n") {
				if strings.Contains(line, "event_id=evt_concurrent") && strings.Contains(line, "outcome=confirmed") {
					changes++
				}
			}
			if changes != 1 {
				t.Fatalf("the event was applied %d times, want once", changes)
			}
		})

		t.Run("bad signatures", func(t *testing.T) {
			b := h.directBooking(t, h.a, 18)
			ev := completed("evt_signed_badly", b)
			good, goodSig := signed(t, ev)
			_, wrongSig := stripetest.SignedPayloadAt(t, "whsec_someone_else", ev, testNow)
			stale, staleSig := stripetest.SignedPayloadAt(t, webhookSecret, ev, testNow.Add(-10*time.Minute))
			tampered := []byte(strings.Replace(string(good), `"amount_total":150000`, `"amount_total":100`, 1))
			if string(tampered) == string(good) {
				t.Fatal("tampering did not change the payload")
			}
			cases := []struct {
				name    string
				payload []byte
				sig     string
			}{
				{"missing", good, ""},
				{"garbage", good, "nonsense"},
				{"no v1", good, fmt.Sprintf("t=%d", testNow.Unix())},
				{"wrong secret", good, wrongSig},
				{"stale", stale, staleSig},
				{"tampered body", tampered, goodSig},
			}
			for _, c := range cases {
				t.Run(c.name, func(t *testing.T) {
					e := wantError(t, h.webhook(t, c.payload, c.sig), http.StatusBadRequest, "invalid_signature")
					if strings.Contains(e.Message, webhookSecret) {
						t.Fatal("the secret is echoed")
					}
					if got := h.booking(t, h.a, b.ID); got.Status != frontdesk.StatusPending || got.PaidAt != nil {
						t.Fatalf("a refused delivery changed the booking: %+v", got)
					}
				})
			}
			// The refused deliveries did not record the event: the genuine
			// one is still applied.
			wantReceived(t, h.webhook(t, good, goodSig))
			if got := h.booking(t, h.a, b.ID); got.Status != frontdesk.StatusConfirmed {
				t.Fatalf("the genuine delivery after refused ones: %s", got.Status)
			}
		})

		t.Run("expired after completed", func(t *testing.T) {
			b := h.directBooking(t, h.a, 19)
			wantReceived(t, h.deliver(t, completed("evt_paid_19", b)))
			wantReceived(t, h.deliver(t, stripetest.ExpiredEvent("evt_expired_19", b.CheckoutSessionID, b.ID, b.TenantID, b.TotalPriceCents, "usd")))
			if got := h.booking(t, h.a, b.ID); got.Status != frontdesk.StatusConfirmed || got.PaidAt == nil {
				t.Fatalf("expired after completed: %+v", got)
			}
		})

		t.Run("expired releases an unpaid booking", func(t *testing.T) {
			b := h.directBooking(t, h.a, 21)
			wantReceived(t, h.deliver(t, stripetest.ExpiredEvent("evt_expired_21", b.CheckoutSessionID, b.ID, b.TenantID, b.TotalPriceCents, "usd")))
			if got := h.booking(t, h.a, b.ID); got.Status != frontdesk.StatusExpired {
				t.Fatalf("after expired: %s", got.Status)
			}
		})

		t.Run("amount mismatch", func(t *testing.T) {
			b := h.directBooking(t, h.a, 22)
			before := len(h.emails(t, h.a, frontdesk.EmailPaymentConfirmed))
			for i, ev := range []map[string]any{
				stripetest.CompletedEvent("evt_short", b.CheckoutSessionID, b.ID, b.TenantID, b.TotalPriceCents-1, "usd"),
				stripetest.CompletedEvent("evt_currency", b.CheckoutSessionID, b.ID, b.TenantID, b.TotalPriceCents, "eur"),
			} {
				wantReceived(t, h.deliver(t, ev))
				if got := h.booking(t, h.a, b.ID); got.Status != frontdesk.StatusPending || got.PaidAt != nil {
					t.Fatalf("event %d: a wrong payment confirmed the booking: %+v", i, got)
				}
			}
			if n := len(h.emails(t, h.a, frontdesk.EmailPaymentConfirmed)); n != before {
				t.Fatalf("a wrong payment sent an email")
			}
		})

		t.Run("unknown booking", func(t *testing.T) {
			wantReceived(t, h.deliver(t, stripetest.CompletedEvent("evt_unknown", "cs_test_"+frontdesk.NewID(), frontdesk.NewID(), h.a.Tenant.ID, 100, "usd")))
		})

		t.Run("other tenant's id in metadata", func(t *testing.T) {
			// Metadata naming a booking of another tenant does not confirm it.
			b := h.directBooking(t, h.b, 22)
			ev := stripetest.CompletedEvent("evt_cross", "cs_test_"+frontdesk.NewID(), b.ID, h.a.Tenant.ID, b.TotalPriceCents, "usd")
			wantReceived(t, h.deliver(t, ev))
			if got := h.booking(t, h.b, b.ID); got.Status != frontdesk.StatusPending {
				t.Fatalf("confirmed through another tenant's metadata: %s", got.Status)
			}
		})

		t.Run("unknown event type", func(t *testing.T) {
			ev := map[string]any{"id": "evt_other_type", "object": "event", "type": "customer.created", "api_version": "2026-06-24.dahlia",
				"data": map[string]any{"object": map[string]any{"id": "cus_123", "object": "customer"}}}
			wantReceived(t, h.deliver(t, ev))
		})

		t.Run("signed but not an event", func(t *testing.T) {
			for _, ev := range []map[string]any{
				{"object": "list", "data": []any{}},
				{"id": "evt_no_type", "object": "event"},
			} {
				wantError(t, h.deliver(t, ev), http.StatusBadRequest, frontdesk.EInvalid)
			}
			payload := []byte("not json")
			_, sig := stripetest.SignedPayloadAt(t, webhookSecret, map[string]any{}, testNow)
			// A signature over other bytes is a bad signature, not bad JSON.
			wantError(t, h.webhook(t, payload, sig), http.StatusBadRequest, "invalid_signature")
		})

		t.Run("too large", func(t *testing.T) {
			// A large event (well over the 64 KiB API limit) is still taken...
			big := h.directBooking(t, h.a, 23)
			ev := completed("evt_big", big)
			ev["padding"] = strings.Repeat("x", 200<<10)
			if r := h.deliver(t, ev); r.Status != http.StatusOK {
				t.Fatalf("a 200 KiB event: %s", r)
			}
			// Taken means applied, not only acknowledged.
			if got := h.booking(t, h.a, big.ID); got.Status != frontdesk.StatusConfirmed || got.PaidAt == nil {
				t.Fatalf("after a 200 KiB completed event: %s paid %v, want CONFIRMED and paid", got.Status, got.PaidAt)
			}
			// ...but not one over 1 MiB.
			ev = completed("evt_huge", big)
			ev["padding"] = strings.Repeat("x", 1100<<10)
			wantError(t, h.deliver(t, ev), http.StatusRequestEntityTooLarge, frontdesk.ETooLarge)
		})

		t.Run("response shape", func(t *testing.T) {
			r := h.deliver(t, stripetest.CompletedEvent("evt_shape", "cs_test_x", "", "", 1, "usd"))
			var v map[string]any
			if err := json.Unmarshal(r.Body, &v); err != nil || r.Status != http.StatusOK {
				t.Fatalf("%s", r)
			}
			wantKeys(t, "webhook answer", v, "received")
		})
	})
}
