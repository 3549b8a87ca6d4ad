// Package frontdesk holds the booking domain: its types, the error type with
// its codes, and the interfaces the adapters (storage, assistant, mail,
// payments) implement. It imports no adapter.
package frontdesk

import (
	"errors"
	"fmt"
	"log/slog"
)

// Error codes. They are stable and appear as the "error" field of every JSON
// error response, so clients may switch on them.
const (
	EInvalid          = "validation_failed"
	ENotFound         = "not_found"
	ESlotUnavailable  = "slot_unavailable"
	EConflict         = "conflict"
	EExpired          = "proposal_expired"
	EUnauthorized     = "unauthorized"
	EForbidden        = "forbidden"
	ERateLimited      = "rate_limited"
	EEscalationLimit  = "escalation_limit_exceeded"
	ETooLarge         = "payload_too_large"
	EUnavailable      = "unavailable"
	EInternal         = "internal"
	EMethodNotAllowed = "method_not_allowed"
)

// FieldError names one invalid input field and says what is wrong with it.
type FieldError struct {
	Field   string `json:"field"`
	Message string `json:"message"`
}

// Error is the one error type the domain returns to callers that face users.
// Message is written for the customer or the owner and says what to do; the
// wrapped Err is for logs only and never reaches a client.
type Error struct {
	Code    string
	Message string
	Details []FieldError
	Err     error
}

// Error returns the code and message, and the cause when there is one;
// it is for logs, never for clients.
func (e *Error) Error() string {
	if e.Err != nil {
		return fmt.Sprintf("%s: %s: %v", e.Code, e.Message, e.Err)
	}
	return fmt.Sprintf("%s: %s", e.Code, e.Message)
}

// Unwrap returns the underlying cause, if any.
func (e *Error) Unwrap() error { return e.Err }

// Errorf returns an *Error with the given code and a formatted message.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// Invalid returns a validation error carrying per-field details.
func Invalid(details ...FieldError) *Error {
	msg := "The request is not valid."
	if len(details) == 1 {
		msg = details[0].Field + ": " + details[0].Message
	}
	return &Error{Code: EInvalid, Message: msg, Details: details}
}

// NotFound returns a not-found error for the named thing.
func NotFound(what string) *Error {
	return &Error{Code: ENotFound, Message: what + " was not found."}
}

// UnavailableMessage is what a client is told while a service Frontdesk
// depends on (the database) cannot take requests.
const UnavailableMessage = "The service is briefly unavailable. Please try again in a few seconds."

// Unavailable returns an EUnavailable error: the request is fine but a
// service it needs cannot be reached right now, so trying again shortly
// may succeed. cause is kept for the log, never shown to the client.
func Unavailable(cause error) *Error {
	return &Error{Code: EUnavailable, Message: UnavailableMessage, Err: cause}
}

// ErrorCode returns the code of err if it is (or wraps) an *Error, and
// EInternal otherwise.
func ErrorCode(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return EInternal
}

// ErrorMessage returns the user-facing message of err if it is an *Error and
// a generic sentence otherwise, so internal details never leak.
func ErrorMessage(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Message
	}
	return "Something went wrong on our side. Please try again in a moment."
}

// IsCode reports whether err carries the given code.
func IsCode(err error, code string) bool { return err != nil && ErrorCode(err) == code }

// HasControlChars reports whether s holds a control character other than
// tab, newline and carriage return (PostgreSQL cannot even store NUL).
func HasControlChars(s string) bool {
	for _, r := range s {
		if (r < 0x20 && r != '\t' && r != '\n' && r != '\r') || r == 0x7f {
			return true
		}
	}
	return false
}

// LoggerOrDefault returns l, or slog.Default() when l is nil, so services
// built without a logger still run.
func LoggerOrDefault(l *slog.Logger) *slog.Logger {
	if l == nil {
		return slog.Default()
	}
	return l
}
