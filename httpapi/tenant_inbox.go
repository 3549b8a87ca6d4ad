package httpapi

import (
	"net/http"
	"time"

	"github.com/frontdeskhq/frontdesk"
	"github.com/frontdeskhq/frontdesk/booking"
)

// EscalationView is a request to reach a person, as the owner sees it.
type EscalationView struct {
	ID            string    `json:"id"`
	SessionID     string    `json:"sessionId"`
	Reason        string    `json:"reason"`
	CustomerEmail string    `json:"customerEmail,omitempty"`
	CustomerPhone string    `json:"customerPhone,omitempty"`
	Status        string    `json:"status"`
	CreatedAt     time.Time `json:"createdAt"`
	// Transcript is the sanitised conversation; only the detail carries it.
	Transcript string `json:"transcript,omitempty"`
}

func escalationView(e *frontdesk.Escalation, withTranscript bool) EscalationView {
	v := EscalationView{ID: e.ID, SessionID: e.SessionID, Reason: e.Reason, CustomerEmail: e.CustomerEmail,
		CustomerPhone: e.CustomerPhone, Status: e.Status, CreatedAt: e.CreatedAt}
	if withTranscript {
		v.Transcript = e.Summary
	}
	return v
}

func validEscalationStatus(s string) bool {
	return s == frontdesk.EscalationPending || s == frontdesk.EscalationAcknowledged || s == frontdesk.EscalationResolved
}

func (s *Server) listEscalations(r *http.Request) (tenantStep, error) {
	q := r.URL.Query()
	if err := checkQuery(q, "status", "limit", "cursor"); err != nil {
		return nil, err
	}
	var bad []frontdesk.FieldError
	f := frontdesk.EscalationFilter{Status: q.Get("status"), Cursor: q.Get("cursor")}
	if f.Status != "" && !validEscalationStatus(f.Status) {
		bad = append(bad, frontdesk.FieldError{Field: "status", Message: "must be PENDING, ACKNOWLEDGED or RESOLVED"})
	}
	f.Limit, bad = queryLimit(q, bad)
	if len(bad) > 0 {
		return nil, frontdesk.Invalid(bad...)
	}
	return func(t *frontdesk.Tenant) (any, error) {
		page, err := s.Store.ListEscalations(r.Context(), t.ID, f)
		if err != nil {
			return nil, err
		}
		out := struct {
			Escalations []EscalationView `json:"escalations"`
			NextCursor  string           `json:"nextCursor,omitempty"`
		}{Escalations: []EscalationView{}, NextCursor: page.NextCursor}
		for _, e := range page.Escalations {
			out.Escalations = append(out.Escalations, escalationView(e, false))
		}
		return out, nil
	}, nil
}

func (s *Server) getEscalation(r *http.Request) (tenantStep, error) {
	id, err := pathID(r, "id", "The escalation")
	if err != nil {
		return nil, err
	}
	return func(t *frontdesk.Tenant) (any, error) {
		e, err := s.Store.Escalation(r.Context(), t.ID, id)
		if err != nil {
			return nil, err
		}
		return escalationView(e, true), nil
	}, nil
}

func (s *Server) patchEscalation(r *http.Request) (tenantStep, error) {
	id, err := pathID(r, "id", "The escalation")
	if err != nil {
		return nil, err
	}
	var req struct {
		Status string `json:"status"`
	}
	if err := decodeJSON(r, &req); err != nil {
		return nil, err
	}
	if !validEscalationStatus(req.Status) {
		return nil, frontdesk.Invalid(frontdesk.FieldError{Field: "status", Message: "must be ACKNOWLEDGED or RESOLVED (or PENDING to reopen)"})
	}
	return func(t *frontdesk.Tenant) (any, error) {
		e, err := s.Business.SetEscalationStatus(r.Context(), t, id, req.Status)
		if err != nil {
			return nil, err
		}
		return escalationView(e, true), nil
	}, nil
}

// FeedbackView is one thumb or rating, as the owner sees it.
type FeedbackView struct {
	ID           string    `json:"id"`
	SessionID    string    `json:"sessionId"`
	FeedbackType string    `json:"feedbackType"`
	Rating       *int      `json:"rating,omitempty"`
	Comment      string    `json:"comment,omitempty"`
	MessageID    string    `json:"messageId,omitempty"`
	Message      string    `json:"message,omitempty"` // the assistant's message that was rated
	CreatedAt    time.Time `json:"createdAt"`
}

func (s *Server) listFeedback(r *http.Request) (tenantStep, error) {
	from, to, err := dateRange(r)
	if err != nil {
		return nil, err
	}
	return func(t *frontdesk.Tenant) (any, error) {
		var start, end time.Time
		if from != nil {
			start = from.In(t.Location())
		}
		if to != nil {
			end = to.AddDays(1).In(t.Location())
		}
		fs, err := s.Store.ListFeedback(r.Context(), t.ID, start, end)
		if err != nil {
			return nil, err
		}
		out := struct {
			Feedback []FeedbackView `json:"feedback"`
		}{Feedback: []FeedbackView{}}
		for _, f := range fs {
			v := FeedbackView{ID: f.ID, SessionID: f.SessionID, FeedbackType: f.Type, Comment: f.Comment, Message: f.Message, CreatedAt: f.CreatedAt}
			if f.Type == frontdesk.FeedbackRating {
				rating := f.Rating
				v.Rating = &rating
			} else {
				v.MessageID = f.Target
			}
			out.Feedback = append(out.Feedback, v)
		}
		return out, nil
	}, nil
}

// CustomerDetail is a customer with their bookings.
type CustomerDetail struct {
	booking.CustomerView
	CreatedAt time.Time      `json:"createdAt"`
	Bookings  []booking.View `json:"bookings"`
}

func (s *Server) listCustomers(r *http.Request) (tenantStep, error) {
	q := r.URL.Query()
	if err := checkQuery(q, "q", "limit", "cursor"); err != nil {
		return nil, err
	}
	var bad []frontdesk.FieldError
	f := frontdesk.CustomerFilter{Query: q.Get("q"), Cursor: q.Get("cursor")}
	if len(f.Query) > 200 || frontdesk.HasControlChars(f.Query) {
		bad = append(bad, frontdesk.FieldError{Field: "q", Message: "must be plain text of at most 200 characters"})
	}
	f.Limit, bad = queryLimit(q, bad)
	if len(bad) > 0 {
		return nil, frontdesk.Invalid(bad...)
	}
	return func(t *frontdesk.Tenant) (any, error) {
		page, err := s.Store.ListCustomers(r.Context(), t.ID, f)
		if err != nil {
			return nil, err
		}
		type item struct {
			booking.CustomerView
			CreatedAt time.Time `json:"createdAt"`
		}
		out := struct {
			Customers  []item `json:"customers"`
			NextCursor string `json:"nextCursor,omitempty"`
		}{Customers: []item{}, NextCursor: page.NextCursor}
		for _, c := range page.Customers {
			out.Customers = append(out.Customers, item{booking.CustomerViewOf(c), c.CreatedAt})
		}
		return out, nil
	}, nil
}

func (s *Server) getCustomer(r *http.Request) (tenantStep, error) {
	id, err := pathID(r, "id", "The customer")
	if err != nil {
		return nil, err
	}
	return func(t *frontdesk.Tenant) (any, error) {
		c, err := s.Store.Customer(r.Context(), t.ID, id)
		if err != nil {
			return nil, err
		}
		page, err := s.Store.ListBookings(r.Context(), t.ID, frontdesk.BookingFilter{CustomerID: c.ID, Limit: 100})
		if err != nil {
			return nil, err
		}
		out := CustomerDetail{CustomerView: booking.CustomerViewOf(c),
			CreatedAt: c.CreatedAt, Bookings: []booking.View{}}
		for _, b := range page.Bookings {
			out.Bookings = append(out.Bookings, booking.ViewOf(b))
		}
		return out, nil
	}, nil
}
