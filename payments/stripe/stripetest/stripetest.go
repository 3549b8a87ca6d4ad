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
	return newEvent(id, "checkout.session.completed", s)
}

// ExpiredEvent returns a checkout.session.expired event for an unpaid session.
func ExpiredEvent(id, sessionID, bookingID, tenantID string, amount int64, currency string) map[string]any {
	s := checkoutSessionObject(sessionID, bookingID, tenantID, amount, currency)
	s["status"] = "expired"
	s["payment_status"] = "unpaid"
	s["payment_intent"] = nil
	s["url"] = nil
	return newEvent(id, "checkout.session.expired", s)
}

// ChargeRefundedEvent returns a charge.refunded event for the charge of
// paymentIntentID (a checkout's payment): amount is the charge's, and
// amountRefunded all that was refunded of it so far. Stripe copies the
// payment intent's metadata (bookingId, tenantId, set by CreateCheckout) to
// its charge; delete it from data.object to test an event without it.
func ChargeRefundedEvent(id, paymentIntentID, bookingID, tenantID string, amount, amountRefunded int64, currency string) map[string]any {
	now := time.Now()
	ch := map[string]any{
		"id":                     "ch_" + strings.TrimPrefix(paymentIntentID, "pi_"),
		"object":                 "charge",
		"amount":                 amount,
		"amount_captured":        amount,
		"amount_refunded":        amountRefunded,
		"application_fee":        nil,
		"application_fee_amount": nil,
		"balance_transaction":    "txn_" + strings.TrimPrefix(paymentIntentID, "pi_"),
		"captured":               true,
		"created":                now.Add(-time.Hour).Unix(),
		"currency":               currency,
		"customer":               nil,
		"description":            nil,
		"disputed":               false,
		"failure_code":           nil,
		"failure_message":        nil,
		"livemode":               false,
		"metadata": map[string]any{
			"bookingId": bookingID,
			"tenantId":  tenantID,
		},
		"paid":           true,
		"payment_intent": paymentIntentID,
		"payment_method": "pm_" + strings.TrimPrefix(paymentIntentID, "pi_"),
		"receipt_email":  "customer@example.com",
		"refunded":       amountRefunded >= amount,
		"status":         "succeeded",
	}
	return newEvent(id, "charge.refunded", ch)
}

// RefundFailedEvent returns a refund.failed event for Stripe refund refundID
// (re_...) of amount of paymentIntentID, made with the metadata Refund sets
// (bookingId, tenantId; add "refundId" to data.object.metadata if needed).
func RefundFailedEvent(id, refundID, paymentIntentID, bookingID, tenantID string, amount int64, currency string) map[string]any {
	return newEvent(id, "refund.failed", refundObject(refundID, paymentIntentID, bookingID, tenantID, amount, currency, "failed"))
}

// RefundUpdatedEvent is a refund.updated event whose refund has status
// ("pending", "succeeded", "failed", ...): newer API versions report a failed
// refund this way too.
func RefundUpdatedEvent(id, refundID, paymentIntentID, bookingID, tenantID string, amount int64, currency, status string) map[string]any {
	return newEvent(id, "refund.updated", refundObject(refundID, paymentIntentID, bookingID, tenantID, amount, currency, status))
}

func refundObject(refundID, paymentIntentID, bookingID, tenantID string, amount int64, currency, status string) map[string]any {
	re := map[string]any{
		"id":                  refundID,
		"object":              "refund",
		"amount":              amount,
		"balance_transaction": "txn_" + strings.TrimPrefix(refundID, "re_"),
		"charge":              "ch_" + strings.TrimPrefix(paymentIntentID, "pi_"),
		"created":             time.Now().Add(-time.Hour).Unix(),
		"currency":            currency,
		"destination_details": map[string]any{"type": "card", "card": map[string]any{"type": "refund"}},
		"metadata": map[string]any{
			"bookingId": bookingID,
			"tenantId":  tenantID,
		},
		"payment_intent":           paymentIntentID,
		"reason":                   "requested_by_customer",
		"receipt_number":           nil,
		"source_transfer_reversal": nil,
		"status":                   status,
		"transfer_reversal":        nil,
	}
	if status == "failed" {
		re["failure_reason"] = "expired_or_canceled_card"
		re["failure_balance_transaction"] = "txn_fail_" + strings.TrimPrefix(refundID, "re_")
	}
	return re
}

func newEvent(id, typ string, object map[string]any) map[string]any {
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
