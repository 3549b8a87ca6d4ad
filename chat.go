package frontdesk

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"time"
)

// NewID returns a fresh identifier: 128 random bits, hex encoded. It is
// unguessable, so a chat session id can serve as the visitor's credential.
func NewID() string {
	b := make([]byte, 16)
	if _, err := rand.Read(b); err != nil {
		panic(err)
	}
	return hex.EncodeToString(b)
}

// ValidID reports whether s has the shape of an id made by NewID.
func ValidID(s string) bool {
	if len(s) != 32 {
		return false
	}
	for _, c := range s {
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f') {
			return false
		}
	}
	return true
}

// ChatSession is one visitor's conversation with one tenant's assistant.
type ChatSession struct {
	ID         string
	TenantID   string
	CustomerID string
	// State is the guided assistant's memory between turns (JSON).
	State json.RawMessage
	// CustomerToken is the hash of the returning customer's token that
	// links the session (see CustomerToken); "" for a visitor not known.
	CustomerToken string
	// InputTokens is what the model has read in the session, cached or
	// not (input, cache reads and writes): the store adds each model
	// call's as it records the call's usage.
	InputTokens int64
	CreatedAt   time.Time
	UpdatedAt   time.Time
}

// CustomerToken is a returning customer's token as stored: the hash of
// the token the widget keeps, the customer and the booking it was issued
// for, and the name, email and phone typed for that booking. It shows its
// holder only that: the customer row, found by an email nobody verified,
// may hold someone else's details and bookings.
type CustomerToken struct {
	Hash       string
	TenantID   string
	CustomerID string
	BookingID  string
	// Earlier are the bookings made before BookingID with the tokens
	// this one succeeded (booked in a chat an earlier token of the same
	// customer linked), newest first, at most MaxEarlierBookings.
	Earlier   []string
	Name      string
	Email     string
	Phone     string
	CreatedAt time.Time
}

// MaxEarlierBookings is how many earlier bookings a customer token carries.
const MaxEarlierBookings = 3

// Message roles.
const (
	RoleUser      = "user"
	RoleAssistant = "assistant"
)

// ChatMessage is one turn of a conversation. ToolCalls holds, for an
// assistant turn, the tool calls and results the turn made (JSON).
type ChatMessage struct {
	ID        string
	SessionID string
	TenantID  string
	// Seq is the message's place in its session, from 1; set by the
	// store when it reads the message.
	Seq       int64
	Role      string
	Content   string
	ToolCalls json.RawMessage
	CreatedAt time.Time
}

// Proposal operations.
const (
	OpCreateBooking     = "create_booking"
	OpCancelBooking     = "cancel_booking"
	OpRescheduleBooking = "reschedule_booking"
)

// ProposalStatus is where a proposal is in its life.
type ProposalStatus string

// Proposal statuses.
const (
	ProposalPending  ProposalStatus = "PENDING"
	ProposalExecuted ProposalStatus = "EXECUTED"
	ProposalRejected ProposalStatus = "REJECTED"
	ProposalExpired  ProposalStatus = "EXPIRED"
)

// ProposalTTL is how long a customer has to confirm a proposal.
const ProposalTTL = 30 * time.Minute

// Proposal is a write the assistant prepared and the customer must confirm
// (trust tier T3). It belongs to the session that made it.
type Proposal struct {
	ID        string
	TenantID  string
	SessionID string
	Operation string
	Payload   json.RawMessage
	Preview   string
	Status    ProposalStatus
	ExpiresAt time.Time
	Result    json.RawMessage // the confirm result, replayed on a second confirm
	CreatedAt time.Time
}

// TokenUsage records one model call's tokens and estimated cost.
type TokenUsage struct {
	ID               string
	TenantID         string
	SessionID        string
	Model            string
	InputTokens      int64
	OutputTokens     int64
	CacheReadTokens  int64
	CacheWriteTokens int64
	CostMicroCents   int64 // millionths of a cent
	CreatedAt        time.Time
}

// WebhookEvent records a provider event id once, so a repeated delivery of
// the same event changes nothing.
type WebhookEvent struct {
	ID        string // the provider's event id
	Provider  string
	Type      string
	Status    string
	CreatedAt time.Time
}
