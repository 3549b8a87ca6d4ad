package frontdesk

import (
	"context"
	"encoding/json"
	"time"
)

// Tool names: fixed by the product, shared by prompts, tests and the guided
// assistant.
const (
	ToolGetServices       = "get_services"
	ToolCheckAvailability = "check_availability"
	ToolGetBusinessInfo   = "get_business_info"
	ToolBookService       = "book_service"
	ToolCancelBooking     = "cancel_booking"
	ToolRescheduleBooking = "reschedule_booking"
	ToolRequestHuman      = "request_human"
)

// CancelBookingIn is the input of cancel_booking: the booking is found by
// its confirmation code and its email together.
type CancelBookingIn struct {
	BookingReference string `json:"bookingReference"`
	CustomerEmail    string `json:"customerEmail"`
	Reason           string `json:"reason,omitempty"`
}

// RescheduleBookingIn is the input of reschedule_booking.
type RescheduleBookingIn struct {
	BookingReference string `json:"bookingReference"`
	CustomerEmail    string `json:"customerEmail"`
	NewDate          string `json:"newDate"`           // YYYY-MM-DD
	NewTime          string `json:"newTime,omitempty"` // HH:MM local, for a timed service
}

// RequestHumanIn is the input of request_human.
type RequestHumanIn struct {
	Reason        string `json:"reason"`
	CustomerEmail string `json:"customerEmail,omitempty"`
}

// ChangeProposalOut is the result of cancel_booking and reschedule_booking:
// a proposal the customer must confirm, like book_service's.
type ChangeProposalOut struct {
	Success    bool   `json:"success"`
	ProposalID string `json:"proposalId"`
	Preview    string `json:"preview"`
	ExpiresAt  string `json:"expiresAt"`
	Message    string `json:"message"`
}

// ToolRunner runs an assistant tool for the tenant and session it was made
// for. The result is always JSON: a failure is {"success": false, "error":
// "..."} in words the customer can act on, never a Go error.
type ToolRunner interface {
	RunTool(ctx context.Context, name string, input json.RawMessage) json.RawMessage
}

// ServiceOut is one package as get_services reports it.
type ServiceOut struct {
	ID              string      `json:"id"`
	Slug            string      `json:"slug"`
	Name            string      `json:"name"`
	Description     string      `json:"description"`
	PriceCents      int64       `json:"priceCents"`
	Price           string      `json:"price"`
	Currency        string      `json:"currency"`
	BookingType     BookingType `json:"bookingType"`
	DurationMinutes int         `json:"durationMinutes,omitempty"`
	Category        string      `json:"category,omitempty"`
}

// GetServicesIn is the input of get_services.
type GetServicesIn struct {
	Category string `json:"category,omitempty"`
}

// GetServicesOut is the result of get_services.
type GetServicesOut struct {
	Success  bool         `json:"success"`
	Services []ServiceOut `json:"services"`
}

// CheckAvailabilityIn is the input of check_availability.
type CheckAvailabilityIn struct {
	PackageID string `json:"packageId"`
	StartDate string `json:"startDate,omitempty"`
	EndDate   string `json:"endDate,omitempty"`
}

// DayOut is one day with open TIMESLOT starts: the date and the local
// times of day (HH:MM, 24-hour) in the tenant's zone. The shape is compact
// on purpose: the model pays for every byte again on each later turn.
type DayOut struct {
	Date  string   `json:"date"`  // local YYYY-MM-DD
	Times []string `json:"times"` // local HH:MM, in order
}

// CheckAvailabilityOut is the result of check_availability.
type CheckAvailabilityOut struct {
	Success     bool        `json:"success"`
	PackageID   string      `json:"packageId"`
	PackageName string      `json:"packageName"`
	BookingType BookingType `json:"bookingType"`
	TimeZone    string      `json:"timeZone"`
	StartDate   string      `json:"startDate"`
	EndDate     string      `json:"endDate"`
	Dates       []string    `json:"dates,omitzero"` // DATE packages: present, maybe empty
	Days        []DayOut    `json:"days,omitzero"`  // TIMESLOT packages: present, maybe empty
}

// Starts returns every open start of a TIMESLOT result as an instant, in
// time order, reading the local times in loc (the tenant's zone). A time
// that does not parse is skipped.
func (o *CheckAvailabilityOut) Starts(loc *time.Location) []time.Time {
	var out []time.Time
	for _, d := range o.Days {
		for _, hm := range d.Times {
			if at, ok := LocalStart(d.Date, hm, loc); ok {
				out = append(out, at)
			}
		}
	}
	return out
}

// StartsOn returns the open starts of one local date (YYYY-MM-DD) of a
// TIMESLOT result as instants, in time order, reading the times in loc.
func (o *CheckAvailabilityOut) StartsOn(date string, loc *time.Location) []time.Time {
	for _, d := range o.Days {
		if d.Date == date {
			day := CheckAvailabilityOut{Days: []DayOut{d}}
			return day.Starts(loc)
		}
	}
	return nil
}

// LocalStart is the instant of a local date (YYYY-MM-DD) and time of day
// (HH:MM) in loc.
func LocalStart(date, hm string, loc *time.Location) (time.Time, bool) {
	d, err := ParseDate(date)
	if err != nil {
		return time.Time{}, false
	}
	c, err := time.Parse("15:04", hm)
	if err != nil {
		return time.Time{}, false
	}
	return time.Date(d.Year, d.Month, d.Day, c.Hour(), c.Minute(), 0, 0, loc), true
}

// GetBusinessInfoIn is the input of get_business_info.
type GetBusinessInfoIn struct {
	Topic string `json:"topic,omitempty"`
}

// GetBusinessInfoOut is the result of get_business_info.
type GetBusinessInfoOut struct {
	Success bool   `json:"success"`
	Name    string `json:"name"`
	Email   string `json:"email"`
	// Hours are the opening hours in words, drawn from the bookable weekly
	// hours, so they never disagree with availability.
	Hours string `json:"hours"`
	// DaysOff are the closed days of the coming weeks.
	DaysOff []DayOffOut  `json:"daysOff,omitempty"`
	Info    BusinessInfo `json:"info"`
}

// DayOffOut is one closed day as the assistant is told it.
type DayOffOut struct {
	Date   string `json:"date"` // YYYY-MM-DD
	Reason string `json:"reason,omitempty"`
}

// BookServiceIn is the input of book_service.
type BookServiceIn struct {
	PackageID     string `json:"packageId"`
	Date          string `json:"date"`
	StartTime     string `json:"startTime,omitempty"` // RFC 3339, or HH:MM local
	CustomerName  string `json:"customerName"`
	CustomerEmail string `json:"customerEmail"`
	CustomerPhone string `json:"customerPhone,omitempty"`
	Notes         string `json:"notes,omitempty"`
}

// BookServiceOut is the result of book_service: a proposal to confirm.
type BookServiceOut struct {
	Success    bool   `json:"success"`
	ProposalID string `json:"proposalId"`
	Preview    string `json:"preview"`
	ExpiresAt  string `json:"expiresAt"`
	Message    string `json:"message"`
}

// ToolError is the result of a failed tool.
type ToolError struct {
	Success bool   `json:"success"`
	Error   string `json:"error"`
}

// LLM is a chat model that can call tools.
type LLM interface {
	// Complete sends one request. Errors mean the provider failed or timed
	// out; the caller falls back to the guided assistant.
	Complete(ctx context.Context, req LLMRequest) (*LLMResponse, error)
}

// LLMRequest is one call to the model.
//
// A provider with a prompt cache (Claude's) caches the prompt in the order
// Tools, System, Context, Messages, so what changes least comes first:
// System is the same for every visitor of a business on every day, Context
// changes by day and by visitor, and the conversation grows at the end.
type LLMRequest struct {
	// System is the static part of the system prompt: the business, its
	// services and the rules. It is cached.
	System string
	// Context follows System: what changes by day or by visitor (today's
	// date, a returning customer). Kept apart so that System's cache holds
	// across days and visitors.
	Context string
	Tools   []ToolSpec
	// Messages is the conversation, starting with the customer.
	Messages []LLMMessage
	// CacheMessages are the indexes in Messages of up to two messages that
	// end a prefix later calls send again (the settled conversation, a long
	// tool loop so far): the prompt is cached up to each. Tools and System
	// are always cached. Out-of-range indexes are ignored.
	CacheMessages []int
	MaxTokens     int
}

// ToolSpec describes a tool to the model.
type ToolSpec struct {
	Name        string
	Description string
	InputSchema json.RawMessage // a JSON Schema object
}

// Block kinds of an LLMMessage.
const (
	BlockText       = "text"
	BlockToolUse    = "tool_use"
	BlockToolResult = "tool_result"
)

// Block is one piece of a model message.
type Block struct {
	Type      string          `json:"type"`
	Text      string          `json:"text,omitempty"`
	ToolUseID string          `json:"toolUseId,omitempty"`
	ToolName  string          `json:"toolName,omitempty"`
	Input     json.RawMessage `json:"input,omitempty"`   // tool_use
	Content   string          `json:"content,omitempty"` // tool_result
	IsError   bool            `json:"isError,omitempty"`
}

// LLMMessage is one message of the model conversation.
type LLMMessage struct {
	Role   string  `json:"role"` // RoleUser or RoleAssistant
	Blocks []Block `json:"blocks"`
}

// LLMUsage counts the tokens of one call.
type LLMUsage struct {
	InputTokens      int64
	OutputTokens     int64
	CacheReadTokens  int64
	CacheWriteTokens int64
}

// LLMResponse is the model's answer.
type LLMResponse struct {
	Model      string
	Blocks     []Block
	StopReason string // "end_turn", "tool_use", "max_tokens", ...
	Usage      LLMUsage
}

// StreamingLLM is an LLM that can also report its text as it is generated.
type StreamingLLM interface {
	LLM
	// Stream is Complete, calling onText with each piece of text as it
	// arrives; the response holds the whole message at the end.
	Stream(ctx context.Context, req LLMRequest, onText func(string)) (*LLMResponse, error)
}

// Mailer delivers one rendered email. An error means it was not delivered;
// the outbox decides whether to retry.
type Mailer interface {
	Send(ctx context.Context, e Email) error
}
