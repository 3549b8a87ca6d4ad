package frontdesk

import "time"

// Email kinds; with the booking id they form an email's idempotency key.
const (
	EmailBookingReceived  = "booking_received"
	EmailTenantNewBooking = "tenant_new_booking"
	EmailPaymentConfirmed = "payment_confirmed"
	EmailPaymentLink      = "payment_link"
	EmailBookingExpired   = "booking_expired"
	EmailPaymentAttention = "payment_attention"
	EmailEscalation       = "escalation"
	// The booking lifecycle: one email per event, to each side.
	EmailBookingCanceled          = "booking_canceled"
	EmailTenantBookingCanceled    = "tenant_booking_canceled"
	EmailBookingRescheduled       = "booking_rescheduled"
	EmailTenantBookingRescheduled = "tenant_booking_rescheduled"
	EmailRefundIssued             = "refund_issued"
	EmailRefundFailed             = "refund_failed"
	EmailReminder                 = "reminder"
	EmailTenantPaymentReceived    = "tenant_payment_received"
)

// EmailStatus is where an outbox email is in its life.
type EmailStatus string

// Outbox statuses. DEAD means the attempts ran out; it stays visible.
const (
	EmailPending EmailStatus = "PENDING"
	EmailSent    EmailStatus = "SENT"
	EmailDead    EmailStatus = "DEAD"
)

// Attachment is a file attached to an email.
type Attachment struct {
	Name        string `json:"name"`
	ContentType string `json:"contentType"`
	Content     []byte `json:"content"`
}

// Email is a rendered message ready for a provider.
type Email struct {
	From        string       `json:"from"`
	To          string       `json:"to"`
	ReplyTo     string       `json:"replyTo,omitempty"`
	Subject     string       `json:"subject"`
	HTML        string       `json:"html"`
	Text        string       `json:"text"`
	Attachments []Attachment `json:"attachments,omitempty"`
	// MessageID is the Message-ID header, derived from the outbox email's
	// id when it is sent, so a rare second send after a crash collapses
	// into one message in mail clients.
	MessageID string `json:"messageId,omitempty"`
}

// OutboxEmail is an email waiting in (or done with) the transactional outbox.
type OutboxEmail struct {
	ID             string
	TenantID       string
	IdempotencyKey string
	Kind           string
	Email          Email
	Status         EmailStatus
	Attempts       int
	NextAttemptAt  time.Time
	LastError      string
	SentAt         *time.Time
	CreatedAt      time.Time
}
