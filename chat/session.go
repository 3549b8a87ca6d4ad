package chat

import (
	"context"

	"github.com/frontdeskhq/frontdesk"
	"github.com/frontdeskhq/frontdesk/booking"
	"github.com/frontdeskhq/frontdesk/guided"
)

// Session is a started or resumed conversation.
type Session struct {
	SessionID string    `json:"sessionId"`
	Greeting  string    `json:"greeting"`
	Messages  []Message `json:"messages"`
	// Suggestions are quick replies to show under the greeting of a chat
	// with no messages yet.
	Suggestions []string `json:"suggestions,omitempty"`
	// Customer is the returning customer the session is linked to.
	Customer *SessionCustomer `json:"customer,omitempty"`
}

// SessionCustomer is what the widget learns of a returning customer.
type SessionCustomer struct {
	Name string `json:"name"`
}

// Greeting is the assistant's first line for a tenant.
func (s *Service) Greeting(t *frontdesk.Tenant) string { return guided.Greeting(t) }

// StartSession resumes the tenant's session with this id, or starts a new
// one when id is empty or unknown. A session is found only by its own
// unguessable id and only within its tenant. A new session is linked to
// the returning customer customerToken names (see
// booking.Service.ReturningCustomer); any other token is ignored.
func (s *Service) StartSession(ctx context.Context, t *frontdesk.Tenant, id, customerToken string) (*Session, error) {
	if id != "" {
		cs, err := s.Store.Session(ctx, t.ID, id)
		if err == nil {
			msgs, err := s.Store.RecentMessages(ctx, t.ID, cs.ID, 100)
			if err != nil {
				return nil, err
			}
			out := s.session(cs, s.sessionCustomer(ctx, t, cs), t)
			if len(msgs) > 0 {
				out.Suggestions = nil // the conversation has moved on
			}
			for _, m := range msgs {
				out.Messages = append(out.Messages, Message{ID: m.ID, Role: m.Role, Content: m.Content, CreatedAt: m.CreatedAt})
			}
			return out, nil
		}
		if !frontdesk.IsCode(err, frontdesk.ENotFound) {
			return nil, err
		}
	}
	now := s.now()
	cs := &frontdesk.ChatSession{ID: frontdesk.NewID(), TenantID: t.ID, CreatedAt: now, UpdatedAt: now}
	c := s.returningCustomer(ctx, t, customerToken)
	if c != nil {
		cs.CustomerID, cs.CustomerToken = c.CustomerID, c.Hash
	}
	err := s.Store.WithTx(ctx, func(tx frontdesk.Tx) error {
		if err := tx.CreateSession(ctx, cs); err != nil {
			return err
		}
		// Counted apart from the session, which cleanup deletes after a day.
		return tx.CountSession(ctx, t.ID, frontdesk.DateOf(now.In(t.Location())))
	})
	if err != nil {
		return nil, err
	}
	return s.session(cs, c, t), nil
}

// session is the widget's view of a session without its messages.
func (s *Service) session(cs *frontdesk.ChatSession, c *frontdesk.CustomerToken, t *frontdesk.Tenant) *Session {
	out := &Session{SessionID: cs.ID, Greeting: guided.GreetingFor(t, guidedCustomer(c)), Messages: []Message{},
		Suggestions: guided.GreetingSuggestions()}
	if c != nil {
		out.Customer = &SessionCustomer{Name: c.Name}
	}
	return out
}

// ProposalNotFound is the answer to confirming a proposal this chat does
// not have: another session's, another business's, removed, or made up.
func ProposalNotFound() *frontdesk.Error {
	return frontdesk.Errorf(frontdesk.ENotFound, "This booking offer is not part of this chat any more. Ask the assistant to prepare the booking again.")
}

// Confirm executes a proposal of this session and notes the outcome in the
// conversation. Another session's or tenant's proposal is not found.
func (s *Service) Confirm(ctx context.Context, t *frontdesk.Tenant, sessionID, proposalID string) (*booking.Result, error) {
	cs, err := s.Store.Session(ctx, t.ID, sessionID)
	if frontdesk.IsCode(err, frontdesk.ENotFound) {
		return nil, ProposalNotFound()
	}
	if err != nil {
		return nil, err
	}
	res, err := s.Bookings.Confirm(ctx, t, cs.ID, proposalID)
	if err != nil {
		if frontdesk.IsCode(err, frontdesk.ENotFound) {
			return nil, ProposalNotFound()
		}
		return nil, err
	}
	if res.Action == "booked" {
		// The owner sees the conversation that led to the booking; chat
		// sessions themselves are deleted after a day.
		if _, text, err := s.transcript(ctx, t, cs.ID); err != nil {
			s.log().Warn("read the conversation of a booking", "err", err)
		} else if err := s.Store.SaveTranscript(ctx, t.ID, res.BookingID, text); err != nil {
			s.log().Warn("keep the conversation of a booking", "err", err)
		}
	}
	// A fresh booking conversation starts after a confirmed one, with the
	// customer who booked known from now on.
	cs.State, cs.UpdatedAt = nil, s.now()
	if res.Action == "booked" && res.CustomerToken != "" {
		if b, err := s.Store.Booking(ctx, t.ID, res.BookingID); err == nil {
			link(cs, b.CustomerID, res.CustomerToken)
		}
	}
	if err := s.Store.SaveSessionState(ctx, cs); err != nil {
		s.log().Warn("reset session state", "err", err)
	}
	if err := s.Store.AppendMessage(ctx, &frontdesk.ChatMessage{ID: frontdesk.NewID(), SessionID: cs.ID, TenantID: t.ID,
		Role: frontdesk.RoleAssistant, Content: res.Message, CreatedAt: s.now()}); err != nil {
		s.log().Warn("note confirmation in chat", "err", err)
	}
	return res, nil
}
