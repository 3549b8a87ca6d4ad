// Package testmode is the checkout Frontdesk serves itself when no Stripe
// key is configured: a page with the amount and Pay / Cancel buttons whose
// Pay marks the booking paid through the same path as Stripe's webhook.
// No money moves; it exists for development and the demo.
package testmode

import (
	"context"
	"strings"

	"github.com/frontdeskhq/frontdesk"
)

// Payments implements frontdesk.Payments with the test-mode checkout.
type Payments struct {
	PublicURL string
}

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
