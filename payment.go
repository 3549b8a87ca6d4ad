package frontdesk

import (
	"context"
	"errors"
	"time"
)

// CheckoutRequest asks a payment provider for a hosted checkout page for
// one booking.
type CheckoutRequest struct {
	Booking       *Booking
	Tenant        *Tenant
	PackageName   string
	CustomerEmail string
	SuccessURL    string
	CancelURL     string
	ExpiresAt     time.Time // the slot is held until then
	// PlatformFeeCents is the platform's fee when the tenant has a connected account.
	PlatformFeeCents int64
}

// Checkout is a created checkout session.
type Checkout struct {
	SessionID string
	URL       string
	ExpiresAt time.Time
}

// Payments creates checkout sessions and refunds.
type Payments interface {
	// CreateCheckout makes a hosted checkout page. An error means no
	// session was made; the booking stays PENDING and a job retries.
	CreateCheckout(ctx context.Context, req CheckoutRequest) (*Checkout, error)
	// ExpireCheckout closes an open checkout session so it can no longer
	// be paid. A session that is already expired is not an error; one
	// that was already paid returns ErrCheckoutPaid.
	ExpireCheckout(ctx context.Context, t *Tenant, sessionID string) error
	// Refund refunds req.Refund.AmountCents of the booking's payment (on
	// the tenant's connected account when it has one). Refund.ID is the
	// idempotency key: asking again returns the same refund.
	Refund(ctx context.Context, req RefundRequest) (*RefundResult, error)
}

// ErrCheckoutPaid is ExpireCheckout's answer for a session already paid.
var ErrCheckoutPaid = errors.New("the checkout session was already paid")

// Payment event types, as Stripe names them.
const (
	EventCheckoutCompleted     = "checkout.session.completed"
	EventCheckoutAsyncSucceded = "checkout.session.async_payment_succeeded"
	EventCheckoutAsyncFailed   = "checkout.session.async_payment_failed"
	EventCheckoutExpired       = "checkout.session.expired"
	// EventChargeRefunded: a charge was refunded, wholly or in part.
	EventChargeRefunded = "charge.refunded"
	// EventRefundFailed: a refund the provider had accepted failed.
	EventRefundFailed = "refund.failed"
)

// PaymentEvent is a verified payment notification, from Stripe's webhook or
// from the test-mode checkout; both take the same path.
type PaymentEvent struct {
	ID              string // provider event id, recorded once
	Provider        string // "stripe" or "testmode"
	Type            string
	Account         string // connected account id, if any
	SessionID       string
	BookingID       string // from metadata / client_reference_id
	TenantID        string // from metadata
	PaymentStatus   string // "paid", "unpaid", "no_payment_required"
	AmountTotal     int64
	Currency        string
	PaymentIntentID string
	// AmountRefunded is the charge's total refunded so far (charge.refunded).
	AmountRefunded int64
	// RefundID names the refund of a refund.failed event.
	RefundID string
}
