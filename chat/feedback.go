package chat

import (
	"context"
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/frontdeskhq/frontdesk"
	"github.com/frontdeskhq/frontdesk/booking"
	"github.com/frontdeskhq/frontdesk/mail"
)

// FeedbackIn is a customer's feedback as the widget sends it.
type FeedbackIn struct {
	MessageID    string
	FeedbackType string
	Rating       int
	Comment      string
}

// MaxComment bounds a feedback comment as stored, in characters.
const MaxComment = 1000

// FeedbackResult is what saving feedback returns.
type FeedbackResult struct {
	Success    bool   `json:"success"`
	FeedbackID string `json:"feedbackId"`
}

// Feedback stores a thumb on one of the session's assistant messages, or
// the session's 1–5 rating. Sending again replaces the earlier feedback on
// the same target, so a retried request counts once.
func (s *Service) Feedback(ctx context.Context, t *frontdesk.Tenant, sessionID string, in FeedbackIn) (*FeedbackResult, error) {
	if _, err := s.Store.Session(ctx, t.ID, sessionID); err != nil {
		return nil, sessionErr(err)
	}
	f := &frontdesk.Feedback{ID: frontdesk.NewID(), TenantID: t.ID, SessionID: sessionID, Type: in.FeedbackType,
		Rating: in.Rating, Comment: frontdesk.CleanText(in.Comment, MaxComment), CreatedAt: s.now()}
	if in.FeedbackType == frontdesk.FeedbackRating {
		f.Target = frontdesk.FeedbackSessionTarget
	} else {
		m, err := s.Store.Message(ctx, t.ID, sessionID, in.MessageID)
		if err != nil {
			if frontdesk.IsCode(err, frontdesk.ENotFound) {
				return nil, frontdesk.Invalid(frontdesk.FieldError{Field: "messageId", Message: "is not a message of this chat"})
			}
			return nil, err
		}
		if m.Role != frontdesk.RoleAssistant {
			return nil, frontdesk.Invalid(frontdesk.FieldError{Field: "messageId", Message: "must be one of the assistant's messages"})
		}
		f.Target, f.Message = m.ID, m.Content
	}
	if err := s.Store.SaveFeedback(ctx, f); err != nil {
		return nil, err
	}
	return &FeedbackResult{Success: true, FeedbackID: f.ID}, nil
}

// EscalateIn is a customer's request to reach a person.
type EscalateIn struct {
	Reason        string
	CustomerEmail string
	CustomerPhone string
}

// EscalateResult is what an escalation returns.
type EscalateResult struct {
	Success      bool   `json:"success"`
	EscalationID string `json:"escalationId"`
	Message      string `json:"message"`
}

// transcriptMessages bounds the conversation sent to the business.
const transcriptMessages = 12

// Escalate records the request and, in the same transaction, queues an
// email to the business with the reason, the contact and a sanitised
// transcript of the conversation.
func (s *Service) Escalate(ctx context.Context, t *frontdesk.Tenant, sessionID string, in EscalateIn) (*EscalateResult, error) {
	if _, err := s.Store.Session(ctx, t.ID, sessionID); err != nil {
		return nil, sessionErr(err)
	}
	lines, summary, err := s.transcript(ctx, t, sessionID)
	if err != nil {
		return nil, err
	}
	now := s.now()
	e := &frontdesk.Escalation{ID: frontdesk.NewID(), TenantID: t.ID, SessionID: sessionID, Reason: Sanitize(in.Reason, 500),
		CustomerEmail: frontdesk.CleanLine(in.CustomerEmail, 254), CustomerPhone: Sanitize(in.CustomerPhone, 40),
		Summary: summary, Status: frontdesk.EscalationPending, CreatedAt: now}
	email, err := mail.Escalation(s.Bookings.MailFrom, s.Bookings.PublicURL, t, e, lines)
	if err != nil {
		return nil, err
	}
	err = s.Store.WithTx(ctx, func(tx frontdesk.Tx) error {
		if err := tx.CreateEscalation(ctx, e); err != nil {
			return err
		}
		return tx.EnqueueEmail(ctx, &frontdesk.OutboxEmail{ID: frontdesk.NewID(), TenantID: t.ID,
			IdempotencyKey: booking.EmailKey(frontdesk.EmailEscalation, e.ID), Kind: frontdesk.EmailEscalation,
			Email: email, NextAttemptAt: now, CreatedAt: now})
	})
	if err != nil {
		return nil, err
	}
	msg := "Thanks, I've passed this to the team at " + t.Name + "."
	switch {
	case e.CustomerEmail != "" || e.CustomerPhone != "":
		msg += " Someone will get back to you soon."
	default:
		msg += " Leave an email or phone number if you'd like them to contact you."
	}
	return &EscalateResult{Success: true, EscalationID: e.ID, Message: msg}, nil
}

// transcript is the latest conversation of a session, sanitised for the
// business: as lines for an email, and as text ("Customer: ...").
func (s *Service) transcript(ctx context.Context, t *frontdesk.Tenant, sessionID string) ([]mail.TranscriptLine, string, error) {
	msgs, err := s.Store.RecentMessages(ctx, t.ID, sessionID, transcriptMessages)
	if err != nil {
		return nil, "", err
	}
	var lines []mail.TranscriptLine
	var text strings.Builder
	for _, m := range msgs {
		who := "Customer"
		if m.Role == frontdesk.RoleAssistant {
			who = "Assistant"
		}
		line := Sanitize(m.Content, 300)
		lines = append(lines, mail.TranscriptLine{Who: who, Text: line})
		text.WriteString(who + ": " + line + "\n")
	}
	return lines, text.String(), nil
}

// LiveSession loads the tenant's live session with this id, with the same
// not-found error Send gives; a store failure stays internal.
func (s *Service) LiveSession(ctx context.Context, t *frontdesk.Tenant, sessionID string) (*frontdesk.ChatSession, error) {
	cs, err := s.Store.Session(ctx, t.ID, sessionID)
	if err != nil {
		return nil, sessionErr(err)
	}
	return cs, nil
}

func sessionErr(err error) error {
	if err == nil {
		return nil
	}
	if frontdesk.IsCode(err, frontdesk.ENotFound) {
		return frontdesk.Errorf(frontdesk.ENotFound, "This chat session was not found or has ended. Start a new chat.")
	}
	return err
}

// cardLike matches runs of 13–19 digits, optionally split by spaces or
// dashes: what a payment card number looks like.
var cardLike = regexp.MustCompile(`\b(?:\d[ -]?){12,18}\d\b`)

// Sanitize prepares customer text for the business: cleaned to one line
// by the shared sanitiser (frontdesk.CleanLine: no control, bidi or
// zero-width characters, no line breaks), card-like numbers removed, at
// most max runes, the last an ellipsis when it was cut.
func Sanitize(s string, max int) string {
	s = cardLike.ReplaceAllString(frontdesk.CleanLine(s, 0), "[number removed]")
	if max > 0 && utf8.RuneCountInString(s) > max {
		s = frontdesk.CleanLine(string([]rune(s)[:max-1]), 0) + "…"
	}
	return s
}
