package frontdesk

import "time"

// RefundStatus is where a refund is.
type RefundStatus string

// Refund statuses.
const (
	// RefundPending: recorded with the cancellation, not yet accepted by
	// the payment provider (or its call failed and will be retried).
	RefundPending RefundStatus = "PENDING"
	// RefundSucceeded: the provider accepted it; the money is on its way.
	RefundSucceeded RefundStatus = "SUCCEEDED"
	// RefundFailed: the provider refused it or every retry failed; the
	// business has been emailed to settle it by hand.
	RefundFailed RefundStatus = "FAILED"
)

// Refund is money going back to a customer for a booking. It is written in
// the transaction that cancels the booking and carried out after it, so a
// provider outage delays a refund but never loses it; its ID is the
// provider's idempotency key, so it is made at most once.
type Refund struct {
	ID               string
	TenantID         string
	BookingID        string
	AmountCents      int64
	Currency         string
	Reason           string
	Status           RefundStatus
	ProviderRefundID string
	Attempts         int
	NextAttemptAt    time.Time
	LastError        string
	CreatedAt        time.Time
	UpdatedAt        time.Time
}

// RefundRequest asks the payment provider to refund part or all of a
// booking's payment.
type RefundRequest struct {
	Tenant  *Tenant
	Booking *Booking // its PaymentIntentID names the payment
	Refund  *Refund  // its ID is the idempotency key
}

// RefundResult is the provider's answer to a refund request.
type RefundResult struct {
	ProviderRefundID string
	// Status is the provider's: "succeeded", "pending" (accepted, money
	// not yet back) or "failed".
	Status string
}
