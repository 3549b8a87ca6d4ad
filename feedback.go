package frontdesk

import "time"

// Feedback types, as the widget sends them.
const (
	FeedbackThumbsUp   = "THUMBS_UP"
	FeedbackThumbsDown = "THUMBS_DOWN"
	FeedbackRating     = "RATING"
)

// FeedbackSessionTarget is the Target of a session's rating.
const FeedbackSessionTarget = "session"

// Feedback is a customer's verdict on an assistant message (a thumb) or on
// the whole conversation (a 1–5 rating). There is one per target: sending
// again replaces it, so network retries are harmless.
type Feedback struct {
	ID        string
	TenantID  string
	SessionID string
	Target    string // an assistant message id, or FeedbackSessionTarget
	Type      string
	Rating    int // 1–5 for a RATING, else 0
	Comment   string
	// Message is the text of the rated assistant message, kept with the
	// feedback because chat sessions are deleted after a day.
	Message   string
	CreatedAt time.Time
}

// Escalation statuses.
const (
	EscalationPending      = "PENDING"
	EscalationAcknowledged = "ACKNOWLEDGED"
	EscalationResolved     = "RESOLVED"
)

// Escalation is a customer's request to reach a person.
type Escalation struct {
	ID            string
	TenantID      string
	SessionID     string
	Reason        string
	CustomerEmail string
	CustomerPhone string
	Summary       string // the conversation, sanitised for the owner
	Status        string
	CreatedAt     time.Time
}

// EscalationFilter selects a tenant's escalations for listing.
type EscalationFilter struct {
	Status string // empty: any
	Limit  int
	Cursor string
}

// EscalationPage is one page of escalations.
type EscalationPage struct {
	Escalations []*Escalation
	NextCursor  string
}
