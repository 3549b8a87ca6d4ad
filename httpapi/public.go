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
	"github.com/frontdeskhq/frontdesk/chat"
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
	// CustomerToken is the returning customer's token the widget kept: a
	// string that is not a valid token is ignored (a normal session), a
	// value that is not a string is a 400 like any ill-typed field.
	CustomerToken *string `json:"customerToken"`
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
	token := ""
	if req.CustomerToken != nil {
		token = *req.CustomerToken
	}
	return func(t *frontdesk.Tenant) (any, error) { return s.Chat.StartSession(r.Context(), t, id, token) }, nil
}

type messageRequest struct {
	SessionID string `json:"sessionId"`
	Message   string `json:"message"`
}

func (s *Server) message(r *http.Request) (tenantStep, error) {
	req, err := decodeMessage(r)
	if err != nil {
		return nil, err
	}
	return func(t *frontdesk.Tenant) (any, error) { return s.Chat.Send(r.Context(), t, req.SessionID, req.Message) }, nil
}

// decodeMessage reads and validates the body of /message and
// /message/stream; the message comes back trimmed.
func decodeMessage(r *http.Request) (messageRequest, error) {
	var req messageRequest
	if err := decodeJSON(r, &req); err != nil {
		return req, err
	}
	bad := checkSessionID(nil, req.SessionID)
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
		return req, frontdesk.Invalid(bad...)
	}
	req.Message = msg
	return req, nil
}

type confirmRequest struct {
	SessionID string `json:"sessionId"`
}

func (s *Server) confirm(r *http.Request) (tenantStep, error) {
	proposalID := r.PathValue("proposalId")
	if !frontdesk.ValidID(proposalID) {
		return nil, chat.ProposalNotFound()
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

type feedbackRequest struct {
	SessionID    string  `json:"sessionId"`
	MessageID    *string `json:"messageId"`
	FeedbackType string  `json:"feedbackType"`
	Rating       *int    `json:"rating"`
	Comment      *string `json:"comment"`
}

// MaxCommentChars bounds a feedback comment.
const MaxCommentChars = 1000

func (s *Server) feedback(r *http.Request) (tenantStep, error) {
	var req feedbackRequest
	if err := decodeJSON(r, &req); err != nil {
		return nil, err
	}
	bad := checkSessionID(nil, req.SessionID)
	in := chat.FeedbackIn{FeedbackType: req.FeedbackType}
	switch req.FeedbackType {
	case frontdesk.FeedbackThumbsUp, frontdesk.FeedbackThumbsDown:
		if req.MessageID == nil || !frontdesk.ValidID(*req.MessageID) {
			bad = append(bad, frontdesk.FieldError{Field: "messageId", Message: "must be the messageId of the assistant's message being rated"})
		} else {
			in.MessageID = *req.MessageID
		}
		if req.Rating != nil {
			bad = append(bad, frontdesk.FieldError{Field: "rating", Message: "is only for feedbackType RATING"})
		}
	case frontdesk.FeedbackRating:
		if req.Rating == nil || *req.Rating < 1 || *req.Rating > 5 {
			bad = append(bad, frontdesk.FieldError{Field: "rating", Message: "must be a whole number from 1 to 5"})
		} else {
			in.Rating = *req.Rating
		}
		if req.MessageID != nil && *req.MessageID != "" {
			bad = append(bad, frontdesk.FieldError{Field: "messageId", Message: "is not used with a RATING, which rates the whole chat"})
		}
	default:
		bad = append(bad, frontdesk.FieldError{Field: "feedbackType", Message: "must be THUMBS_UP, THUMBS_DOWN or RATING"})
	}
	if req.Comment != nil {
		in.Comment = *req.Comment
		if utf8.RuneCountInString(in.Comment) > MaxCommentChars || !utf8.ValidString(in.Comment) || frontdesk.HasControlChars(in.Comment) {
			bad = append(bad, frontdesk.FieldError{Field: "comment", Message: "must be plain text of at most 1000 characters"})
		}
	}
	if len(bad) > 0 {
		return nil, frontdesk.Invalid(bad...)
	}
	return func(t *frontdesk.Tenant) (any, error) { return s.Chat.Feedback(r.Context(), t, req.SessionID, in) }, nil
}

type escalateRequest struct {
	SessionID     string  `json:"sessionId"`
	Reason        string  `json:"reason"`
	CustomerEmail *string `json:"customerEmail"`
	CustomerPhone *string `json:"customerPhone"`
}

func (s *Server) escalate(r *http.Request) (tenantStep, error) {
	var req escalateRequest
	if err := decodeJSON(r, &req); err != nil {
		return nil, err
	}
	bad := checkSessionID(nil, req.SessionID)
	in := chat.EscalateIn{Reason: req.Reason}
	if req.CustomerEmail != nil {
		in.CustomerEmail = *req.CustomerEmail
	}
	if req.CustomerPhone != nil {
		in.CustomerPhone = *req.CustomerPhone
	}
	in, err := chat.CheckEscalation(in)
	var fe *frontdesk.Error
	if errors.As(err, &fe) {
		bad = append(bad, fe.Details...)
	}
	if len(bad) > 0 {
		return nil, frontdesk.Invalid(bad...)
	}
	return func(t *frontdesk.Tenant) (any, error) { return s.Chat.Escalate(r.Context(), t, req.SessionID, in) }, nil
}
