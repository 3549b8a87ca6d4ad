// Package stripetest builds realistic Stripe events and signs them the way
// Stripe does, for tests of the webhook and the booking flow. It lives
// apart from package stripe so the binary does not link "testing".
package stripetest

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	stripego "github.com/stripe/stripe-go/v86"
	"github.com/stripe/stripe-go/v86/webhook"
)

// SignedPayload marshals event and signs it with secret, timestamped now. It
// returns the request body and the Stripe-Signature header value.
func SignedPayload(t testing.TB, secret string, event map[string]any) (payload []byte, header string) {
	t.Helper()
	return SignedPayloadAt(t, secret, event, time.Now())
}

// SignedPayloadAt is SignedPayload with the signature's timestamp at ts.
func SignedPayloadAt(t testing.TB, secret string, event map[string]any, ts time.Time) (payload []byte, header string) {
	t.Helper()
	body, err := json.Marshal(event)
	if err != nil {
		t.Fatalf("stripetest.SignedPayload: marshal event: %v", err)
	}
	sp := webhook.GenerateTestSignedPayload(&webhook.UnsignedPayload{
		Payload:   body,
		Secret:    secret,
		Timestamp: ts,
	})
	return sp.Payload, sp.Header
}

// CompletedEvent returns a checkout.session.completed event as Stripe sends it
// for a paid session created by CreateCheckout. Set event["account"] to make
// it a connected account's event.
func CompletedEvent(id, sessionID, bookingID, tenantID string, amount int64, currency string) map[string]any {
	s := checkoutSessionObject(sessionID, bookingID, tenantID, amount, currency)
	s["status"] = "complete"
	s["payment_status"] = "paid"
	s["payment_intent"] = "pi_" + strings.TrimPrefix(strings.TrimPrefix(sessionID, "cs_test_"), "cs_live_")
	s["url"] = nil
	return checkoutEvent(id, "checkout.session.completed", s)
}

// ExpiredEvent returns a checkout.session.expired event for an unpaid session.
func ExpiredEvent(id, sessionID, bookingID, tenantID string, amount int64, currency string) map[string]any {
	s := checkoutSessionObject(sessionID, bookingID, tenantID, amount, currency)
	s["status"] = "expired"
	s["payment_status"] = "unpaid"
	s["payment_intent"] = nil
	s["url"] = nil
	return checkoutEvent(id, "checkout.session.expired", s)
}

func checkoutEvent(id, typ string, object map[string]any) map[string]any {
	return map[string]any{
		"id":               id,
		"object":           "event",
		"api_version":      stripego.APIVersion,
		"created":          time.Now().Unix(),
		"type":             typ,
		"livemode":         false,
		"pending_webhooks": 1,
		"request":          map[string]any{"id": nil, "idempotency_key": nil},
		"data":             map[string]any{"object": object},
	}
}

func checkoutSessionObject(sessionID, bookingID, tenantID string, amount int64, currency string) map[string]any {
	now := time.Now()
	return map[string]any{
		"id":                  sessionID,
		"object":              "checkout.session",
		"mode":                "payment",
		"ui_mode":             "hosted_page",
		"livemode":            false,
		"amount_subtotal":     amount,
		"amount_total":        amount,
		"currency":            currency,
		"client_reference_id": bookingID,
		"customer":            nil,
		"customer_email":      "customer@example.com",
		"customer_details": map[string]any{
			"email": "customer@example.com",
			"name":  "Test Customer",
		},
		"created":    now.Add(-10 * time.Minute).Unix(),
		"expires_at": now.Add(20 * time.Minute).Unix(),
		"metadata": map[string]any{
			"bookingId": bookingID,
			"tenantId":  tenantID,
		},
		"payment_method_types": []string{"card"},
		"success_url":          "http://localhost:8080/checkout/success",
		"cancel_url":           "http://localhost:8080/checkout/cancel",
	}
}
