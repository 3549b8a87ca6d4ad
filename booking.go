package frontdesk

import (
	"crypto/rand"
	"time"
)

// BookingStatus is where a booking is in its life.
type BookingStatus string

// Booking statuses. PENDING and CONFIRMED are live: they hold their slot.
const (
	StatusPending   BookingStatus = "PENDING"
	StatusConfirmed BookingStatus = "CONFIRMED"
	StatusCanceled  BookingStatus = "CANCELED"
	StatusRefunded  BookingStatus = "REFUNDED"
	StatusExpired   BookingStatus = "EXPIRED"
)

// Valid reports whether s is a known status.
func (s BookingStatus) Valid() bool {
	switch s {
	case StatusPending, StatusConfirmed, StatusCanceled, StatusRefunded, StatusExpired:
		return true
	}
	return false
}

// Live reports whether a booking in this status holds its slot.
func (s BookingStatus) Live() bool { return s == StatusPending || s == StatusConfirmed }

// Booking sources.
const (
	SourceChatbot = "CHATBOT"
	SourceAPI     = "API"
)

// Booking is a reservation of a package by a customer.
type Booking struct {
	ID                 string
	TenantID           string
	CustomerID         string
	PackageID          string
	BookingType        BookingType
	Date               Date       // the local date (of the start, for a TIMESLOT)
	StartAt            *time.Time // TIMESLOT only, UTC
	EndAt              *time.Time // TIMESLOT only, UTC; excludes the buffer
	HoldUntil          *time.Time // TIMESLOT only: EndAt plus buffer; what the slot blocks
	Status             BookingStatus
	TotalPriceCents    int64
	Currency           string
	ConfirmationCode   string
	PaidAt             *time.Time
	Source             string
	CheckoutSessionID  string
	CheckoutURL        string
	CheckoutExpiresAt  *time.Time
	PaymentIntentID    string
	CancellationReason string
	CanceledAt         *time.Time
	Notes              string
	// RefundedCents is what has gone back to the customer so far; never
	// more than was paid.
	RefundedCents int64
	// RescheduleCount is how often the booking was moved.
	RescheduleCount int
	// RefundCapPercent caps the refund share the policy gives: set when
	// the customer moves the booking, to the share reached at that moment,
	// so moving a booking away from its start never raises the refund. nil:
	// no cap.
	RefundCapPercent *int
	// CalendarSequence is the SEQUENCE of the booking's calendar event:
	// raised by every change a calendar must pick up (paid, moved, canceled).
	CalendarSequence int
	// ReminderDueAt is when the reminder email goes out; nil when none is
	// due (reminders off, booked inside the window, sent, or not live).
	ReminderDueAt *time.Time
	CreatedAt     time.Time
	UpdatedAt     time.Time

	// Filled by reads for display; not stored on the booking row.
	PackageName string
	Customer    Customer
}

// confirmationAlphabet has no 0, O, 1 or I, so a code read aloud or copied by
// hand is unambiguous.
const confirmationAlphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"

// NewConfirmationCode returns "BK-" and six random characters.
func NewConfirmationCode() string {
	b := make([]byte, 6)
	if _, err := rand.Read(b); err != nil {
		panic(err) // crypto/rand never fails on supported platforms
	}
	out := []byte("BK-")
	for _, c := range b {
		out = append(out, confirmationAlphabet[int(c)%len(confirmationAlphabet)])
	}
	return string(out)
}

// BookingFilter selects a tenant's bookings for listing.
type BookingFilter struct {
	Status     BookingStatus // empty: any
	CustomerID string        // empty: any
	// Query matches case-insensitively the confirmation code, or part of
	// the customer's name or email.
	Query  string
	From   *Date // inclusive
	To     *Date // inclusive
	Limit  int
	Cursor string // opaque, from a previous page
}

// CustomerFilter selects a tenant's customers for listing.
type CustomerFilter struct {
	Query  string // matched case-insensitively against name, email and phone
	Limit  int
	Cursor string
}

// CustomerPage is one page of customers.
type CustomerPage struct {
	Customers  []*Customer
	NextCursor string
}

// BookingPage is one page of bookings.
type BookingPage struct {
	Bookings   []*Booking
	NextCursor string
}
