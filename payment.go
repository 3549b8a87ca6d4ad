package frontdesk

import (
	"context"
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

// Payments creates checkout sessions. An error means no session was made;
// the booking stays PENDING and a job retries.
type Payments interface {
	CreateCheckout(ctx context.Context, req CheckoutRequest) (*Checkout, error)
}

// Payment event types, as Stripe names them.
const (
	EventCheckoutCompleted     = "checkout.session.completed"
	EventCheckoutAsyncSucceded = "checkout.session.async_payment_succeeded"
	EventCheckoutAsyncFailed   = "checkout.session.async_payment_failed"
	EventCheckoutExpired       = "checkout.session.expired"
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
}
