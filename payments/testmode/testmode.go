// Package testmode is the checkout Frontdesk serves itself when no Stripe
// key is configured: a page with the amount and Pay / Cancel buttons whose
// Pay marks the booking paid through the same path as Stripe's webhook.
// No money moves; it exists for development and the demo.
package testmode

import (
	"context"
	"errors"
	"strings"

	"github.com/frontdeskhq/frontdesk"
)

// Payments implements frontdesk.Payments with the test-mode checkout. It
// makes no network call and keeps no state.
type Payments struct {
	PublicURL string
}

var _ frontdesk.Payments = (*Payments)(nil)

// SessionID is the checkout session id of a booking's test-mode checkout.
func SessionID(bookingID string) string { return "cs_test_" + bookingID }

// URL is the address of a booking's test-mode checkout page.
func (p *Payments) URL(bookingID string) string {
	return strings.TrimRight(p.PublicURL, "/") + "/checkout/test/" + bookingID
}

// CreateCheckout returns the test-mode checkout page of the booking.
func (p *Payments) CreateCheckout(ctx context.Context, req frontdesk.CheckoutRequest) (*frontdesk.Checkout, error) {
	return &frontdesk.Checkout{SessionID: SessionID(req.Booking.ID), URL: p.URL(req.Booking.ID), ExpiresAt: req.ExpiresAt}, nil
}

// ExpireCheckout does nothing and returns nil: a test-mode checkout has no
// session to close. Its page offers Pay only while the booking is PENDING.
func (p *Payments) ExpireCheckout(ctx context.Context, t *frontdesk.Tenant, sessionID string) error {
	return nil
}

// RefundID is the provider refund id of a test-mode refund.
func RefundID(refundID string) string { return "re_test_" + refundID }

// Refund returns a succeeded refund with RefundID(req.Refund.ID); no money
// moved, so none goes back. Like the Stripe adapter, it refuses a request
// without a refund id or for a booking without a payment intent (the
// test-mode Pay sets one).
func (p *Payments) Refund(ctx context.Context, req frontdesk.RefundRequest) (*frontdesk.RefundResult, error) {
	if req.Refund == nil || req.Refund.ID == "" {
		return nil, errors.New("testmode: refund request has no refund id")
	}
	if req.Booking == nil || req.Booking.PaymentIntentID == "" {
		return nil, errors.New("testmode: the booking has no payment intent to refund")
	}
	return &frontdesk.RefundResult{ProviderRefundID: RefundID(req.Refund.ID), Status: "succeeded"}, nil
}
