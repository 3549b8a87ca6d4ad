package httpapi

import (
	"context"
	"errors"
	"io"
	"net/http"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/frontdeskhq/frontdesk"
)

// MaxMessageChars bounds one chat message.
const MaxMessageChars = 2000

func (s *Server) greeting(r *http.Request) (tenantStep, error) {
	return func(t *frontdesk.Tenant) (any, error) {
		return map[string]string{"greeting": s.Chat.Greeting(t), "businessName": t.Name}, nil
	}, nil
}

type sessionRequest struct {
	SessionID *string `json:"sessionId"`
}

func (s *Server) session(r *http.Request) (tenantStep, error) {
	var req sessionRequest
	// The body is optional: no body (with or without Content-Length) starts
	// a new session like {}.
	if r.ContentLength != 0 {
		if err := decodeJSON(r, &req); err != nil && !errors.Is(err, io.EOF) {
			return nil, err
		}
	}
	id := ""
	if req.SessionID != nil && *req.SessionID != "" {
		id = *req.SessionID
		if err := sessionIDField(id); err != nil {
			return nil, err
		}
	}
	return func(t *frontdesk.Tenant) (any, error) { return s.Chat.StartSession(r.Context(), t, id) }, nil
}

type messageRequest struct {
	SessionID string `json:"sessionId"`
	Message   string `json:"message"`
}

func (s *Server) message(r *http.Request) (tenantStep, error) {
	var req messageRequest
	if err := decodeJSON(r, &req); err != nil {
		return nil, err
	}
	var bad []frontdesk.FieldError
	if !frontdesk.ValidID(req.SessionID) {
		bad = append(bad, frontdesk.FieldError{Field: "sessionId", Message: "must be the sessionId returned by POST /v1/public/chat/session"})
	}
	msg := strings.TrimSpace(req.Message)
	switch n := utf8.RuneCountInString(msg); {
	case !utf8.ValidString(req.Message):
		bad = append(bad, frontdesk.FieldError{Field: "message", Message: "must be valid UTF-8 text"})
	case frontdesk.HasControlChars(msg):
		bad = append(bad, frontdesk.FieldError{Field: "message", Message: "must be plain text without control characters"})
	case n == 0:
		bad = append(bad, frontdesk.FieldError{Field: "message", Message: "must not be empty"})
	case n > MaxMessageChars:
		bad = append(bad, frontdesk.FieldError{Field: "message", Message: "must be at most 2000 characters; please send a shorter message"})
	}
	if len(bad) > 0 {
		return nil, frontdesk.Invalid(bad...)
	}
	return func(t *frontdesk.Tenant) (any, error) { return s.Chat.Send(r.Context(), t, req.SessionID, msg) }, nil
}

type confirmRequest struct {
	SessionID string `json:"sessionId"`
}

func (s *Server) confirm(r *http.Request) (tenantStep, error) {
	proposalID, err := pathID(r, "proposalId", "The proposal")
	if err != nil {
		return nil, err
	}
	var req confirmRequest
	if err := decodeJSON(r, &req); err != nil {
		return nil, err
	}
	if err := sessionIDField(req.SessionID); err != nil {
		return nil, err
	}
	return func(t *frontdesk.Tenant) (any, error) {
		// Once the customer has pressed Confirm, finish the booking and its
		// checkout even if they close the page meanwhile.
		ctx, cancel := context.WithTimeout(context.WithoutCancel(r.Context()), time.Minute)
		defer cancel()
		return s.Chat.Confirm(ctx, t, req.SessionID, proposalID)
	}, nil
}
