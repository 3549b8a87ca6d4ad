package httpapi

import (
	"errors"
	"fmt"
	"html/template"
	"io"
	"net/http"
	"net/url"

	"github.com/frontdeskhq/frontdesk"
	"github.com/frontdeskhq/frontdesk/booking"
	"github.com/frontdeskhq/frontdesk/mail"
	"github.com/frontdeskhq/frontdesk/payments/testmode"
)

// stripeWebhook verifies the raw body against Stripe-Signature, then hands
// the event to the booking service, which records it once.
func (s *Server) stripeWebhook(w http.ResponseWriter, r *http.Request) {
	if s.StripeWebhook == nil {
		writeError(w, r, frontdesk.Errorf(frontdesk.ENotFound, "Stripe webhooks are not configured: set STRIPE_WEBHOOK_SECRET."))
		return
	}
	payload, err := io.ReadAll(r.Body)
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			writeError(w, r, frontdesk.Errorf(frontdesk.ETooLarge, "The webhook body is too large."))
			return
		}
		writeError(w, r, frontdesk.Errorf(frontdesk.EInvalid, "The webhook body could not be read."))
		return
	}
	ev, err := s.StripeWebhook(payload, r.Header.Get("Stripe-Signature"), s.now())
	if err != nil {
		if s.IsBadSignature != nil && s.IsBadSignature(err) {
			logger(r.Context()).Warn("stripe webhook refused: bad signature")
			writeJSON(w, http.StatusBadRequest, errorBody{Error: "invalid_signature", Message: "The Stripe-Signature header does not match this payload.", RequestID: requestID(r.Context())})
			return
		}
		writeError(w, r, frontdesk.Errorf(frontdesk.EInvalid, "The webhook payload is not a Stripe event."))
		return
	}
	if err := s.Bookings.HandlePaymentEvent(r.Context(), ev); err != nil {
		writeError(w, r, err) // 500: Stripe delivers again later
		return
	}
	writeJSON(w, http.StatusOK, map[string]bool{"received": true})
}

// testCheckoutCSP: no script, the page's own styles, forms only to this
// origin, never framed (a framed Pay button could be clicked by a visitor
// of another site who thinks it is something else).
const testCheckoutCSP = "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"

// statusPageCSP: no script, the page's own styles, no forms, never framed.
const statusPageCSP = "default-src 'none'; style-src 'unsafe-inline'; form-action 'none'; base-uri 'none'; frame-ancestors 'none'"

// testCheckoutRefused answers a cross-origin post to the test checkout: a
// page of another site must not pay or cancel a booking for its visitor.
func (s *Server) testCheckoutRefused(w http.ResponseWriter, r *http.Request) {
	logger(r.Context()).Warn("test checkout: cross-origin post refused")
	writeError(w, r, frontdesk.Errorf(frontdesk.EForbidden, "This checkout only takes payments from its own page. Open the checkout link and press the button there."))
}

var testCheckoutTmpl = template.Must(template.New("checkout").Parse(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>Test checkout: {{.Code}}</title>
<style>body{font-family:system-ui,sans-serif;max-width:28rem;margin:3rem auto;padding:0 1rem;color:#222}
.card{border:1px solid #ddd;border-radius:12px;padding:1.5rem}.amount{font-size:2rem;font-weight:700;margin:.5rem 0}
.note{background:#fff7d6;border-radius:8px;padding:.5rem .75rem;font-size:.9rem}
button{font-size:1rem;padding:.7rem 1.2rem;border-radius:8px;border:0;cursor:pointer;margin-right:.5rem}
#pay{background:#635bff;color:#fff}#cancel{background:#eee}</style></head>
<body><div class="card">
<p class="note">Test mode: no card is charged. Set STRIPE_SECRET_KEY for real payments.</p>
<h1>{{.Business}}</h1>
<p>{{.Service}} &middot; booking <strong>{{.Code}}</strong></p>
<div class="amount" id="amount">{{.Amount}}</div>
{{if .Payable}}
<form method="post" action="/checkout/test/{{.ID}}/pay" style="display:inline"><button id="pay" type="submit">Pay {{.Amount}}</button></form>
<form method="post" action="/checkout/test/{{.ID}}/cancel" style="display:inline"><button id="cancel" type="submit">Cancel</button></form>
{{else}}<p id="status">This booking is {{.Status}}; there is nothing to pay.</p>{{end}}
</div></body></html>`))

func (s *Server) testCheckoutPage(w http.ResponseWriter, r *http.Request) {
	b, err := s.testBooking(r)
	if err != nil {
		writeError(w, r, err)
		return
	}
	t, err := s.Store.TenantByID(r.Context(), b.TenantID)
	if err != nil {
		writeError(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Content-Security-Policy", testCheckoutCSP)
	testCheckoutTmpl.Execute(w, map[string]any{"ID": b.ID, "Code": b.ConfirmationCode, "Business": t.Name, "Service": b.PackageName,
		"Amount": mail.FormatMoney(b.TotalPriceCents, b.Currency), "Payable": b.Status == frontdesk.StatusPending, "Status": b.Status})
}

func (s *Server) testBooking(r *http.Request) (*frontdesk.Booking, error) {
	id, err := pathID(r, "bookingId", "The booking")
	if err != nil {
		return nil, err
	}
	b, err := s.Store.BookingForPayment(r.Context(), id)
	if err != nil {
		return nil, err
	}
	if b.CheckoutSessionID != testmode.SessionID(b.ID) {
		return nil, frontdesk.NotFound("The booking") // not a test-mode checkout
	}
	return b, nil
}

// testCheckoutAction pays or cancels through the same path as a Stripe
// webhook: a payment event handled by the booking service.
func (s *Server) testCheckoutAction(w http.ResponseWriter, r *http.Request) {
	b, err := s.testBooking(r)
	if err != nil {
		writeError(w, r, err)
		return
	}
	q := url.Values{"booking": {b.ID}, "code": {b.ConfirmationCode}}
	switch r.PathValue("action") {
	case "pay":
		switch b.Status {
		case frontdesk.StatusPending:
		case frontdesk.StatusConfirmed:
			http.Redirect(w, r, "/booking/success?"+q.Encode(), http.StatusSeeOther) // paid already
			return
		default:
			// Stripe refuses to take money on a closed session; so does this.
			http.Redirect(w, r, "/booking/cancel?"+q.Encode(), http.StatusSeeOther)
			return
		}
		ev := frontdesk.PaymentEvent{ID: "evt_test_paid_" + b.ID, Provider: "testmode", Type: frontdesk.EventCheckoutCompleted,
			SessionID: b.CheckoutSessionID, BookingID: b.ID, TenantID: b.TenantID, PaymentStatus: "paid",
			AmountTotal: b.TotalPriceCents, Currency: b.Currency, PaymentIntentID: "pi_test_" + b.ID[:16]}
		if err := s.Bookings.HandlePaymentEvent(r.Context(), ev); err != nil {
			writeError(w, r, err)
			return
		}
		http.Redirect(w, r, "/booking/success?"+q.Encode(), http.StatusSeeOther)
	case "cancel":
		http.Redirect(w, r, "/booking/cancel?"+q.Encode(), http.StatusSeeOther)
	default:
		writeError(w, r, frontdesk.NotFound("The checkout action"))
	}
}

var statusTmpl = template.Must(template.New("status").Parse(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
{{if .Pending}}<meta http-equiv="refresh" content="3">{{end}}
<title>Booking {{.Code}}</title>
<style>body{font-family:system-ui,sans-serif;max-width:32rem;margin:3rem auto;padding:0 1rem;color:#222}
.status{display:inline-block;padding:.2rem .6rem;border-radius:999px;background:#eee;font-weight:600}
.CONFIRMED{background:#d7f5dd;color:#11602a}.PENDING{background:#fff3cd;color:#7a5b00}.EXPIRED,.CANCELED{background:#fde2e1;color:#8a1c13}</style></head>
<body><h1>{{.Title}}</h1>
<p>{{.Business}} &middot; {{.Service}}</p>
<p>{{.WhenLabel}}: <strong id="when">{{.When}}</strong><br><span id="zone">Time zone: {{.Zone}}</span></p>
<p>Confirmation code <strong id="code">{{.Code}}</strong></p>
<p>Status: <span id="status" class="status {{.Status}}">{{.Status}}</span></p>
<p>{{.Note}}</p>
{{if and .Pending .CheckoutURL}}<p><a href="{{.CheckoutURL}}">Complete payment</a></p>{{end}}
</body></html>`))

// bookingStatusPage shows a booking's live status after checkout. It needs
// both the booking id and its confirmation code, so ids alone reveal nothing.
func (s *Server) bookingStatusPage(w http.ResponseWriter, r *http.Request) {
	id, code := r.URL.Query().Get("booking"), r.URL.Query().Get("code")
	var b *frontdesk.Booking
	var err error
	if frontdesk.ValidID(id) {
		b, err = s.Store.BookingForPayment(r.Context(), id)
	}
	if b == nil || err != nil || b.ConfirmationCode != code {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Header().Set("Content-Security-Policy", statusPageCSP)
		w.WriteHeader(http.StatusNotFound)
		fmt.Fprint(w, "<!doctype html><title>Not found</title><p>We could not find that booking. Check the link in your confirmation email.</p>")
		return
	}
	t, err := s.Store.TenantByID(r.Context(), b.TenantID)
	if err != nil {
		writeError(w, r, err)
		return
	}
	title, note := "Thank you!", ""
	switch b.Status {
	case frontdesk.StatusConfirmed:
		title, note = "Your booking is confirmed", "A confirmation email is on its way."
	case frontdesk.StatusPending:
		title, note = "Waiting for payment", "This page updates by itself once the payment is received."
		if r.URL.Path == "/booking/cancel" {
			title, note = "Payment not completed", "Your slot is held for a short while; you can still complete the payment."
		}
	case frontdesk.StatusExpired:
		title, note = "This booking has expired", "The payment was not completed in time and the slot was released. Please book again."
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Content-Security-Policy", statusPageCSP)
	whenLabel, when := whenWords(t, b)
	statusTmpl.Execute(w, map[string]any{"Title": title, "Note": note, "Business": t.Name, "Service": b.PackageName,
		"WhenLabel": whenLabel, "When": when, "Zone": zoneWords(t, booking.StartOf(b, t.Location())),
		"Code": b.ConfirmationCode, "Status": string(b.Status), "Pending": b.Status == frontdesk.StatusPending, "CheckoutURL": b.CheckoutURL})
}
