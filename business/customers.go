package business

import (
	"context"
	"time"

	"github.com/frontdeskhq/frontdesk"
	"github.com/frontdeskhq/frontdesk/booking"
)

// CustomerExport is everything a business holds about one customer, as
// the tenant API's export answers it.
type CustomerExport struct {
	Profile     ExportProfile      `json:"profile"`
	Bookings    []booking.View     `json:"bookings"`
	Transcripts []ExportTranscript `json:"transcripts"`
	Chats       []ExportChat       `json:"chats"`
	Feedback    []ExportFeedback   `json:"feedback"`
	Escalations []ExportEscalation `json:"escalations"`
	Emails      []ExportEmail      `json:"emails"`
	// CustomerTokens are the returning-customer tokens the widget keeps
	// on the devices they booked from: what each shows its holder.
	CustomerTokens []ExportCustomerToken `json:"customerTokens"`
	ExportedAt     time.Time             `json:"exportedAt"`
}

// ExportCustomerToken is a returning-customer token as held: the booking
// it was issued for, the earlier bookings it carries and the details
// typed for it (not the token, of which only a hash is kept).
type ExportCustomerToken struct {
	BookingID         string    `json:"bookingId"`
	EarlierBookingIDs []string  `json:"earlierBookingIds"`
	Name              string    `json:"name"`
	Email             string    `json:"email"`
	Phone             string    `json:"phone"`
	CreatedAt         time.Time `json:"createdAt"`
}

// ExportProfile is the customer's own record.
type ExportProfile struct {
	ID        string    `json:"id"`
	Name      string    `json:"name"`
	Email     string    `json:"email"`
	Phone     string    `json:"phone"`
	CreatedAt time.Time `json:"createdAt"`
}

// ExportTranscript is the conversation kept with one of the customer's bookings.
type ExportTranscript struct {
	BookingID  string `json:"bookingId"`
	Transcript string `json:"transcript"`
}

// ExportChat is a chat session still held, with its messages.
type ExportChat struct {
	SessionID string          `json:"sessionId"`
	CreatedAt time.Time       `json:"createdAt"`
	UpdatedAt time.Time       `json:"updatedAt"`
	Messages  []ExportMessage `json:"messages"`
}

// ExportMessage is one turn of a chat.
type ExportMessage struct {
	Role      string    `json:"role"`
	Content   string    `json:"content"`
	CreatedAt time.Time `json:"createdAt"`
}

// ExportFeedback is a thumb or a rating the customer gave.
type ExportFeedback struct {
	SessionID string    `json:"sessionId"`
	Type      string    `json:"type"`
	Rating    int       `json:"rating,omitempty"`
	Comment   string    `json:"comment,omitempty"`
	Message   string    `json:"message,omitempty"`
	CreatedAt time.Time `json:"createdAt"`
}

// ExportEscalation is a request for a person.
type ExportEscalation struct {
	ID            string    `json:"id"`
	SessionID     string    `json:"sessionId"`
	Reason        string    `json:"reason"`
	CustomerEmail string    `json:"customerEmail,omitempty"`
	CustomerPhone string    `json:"customerPhone,omitempty"`
	Summary       string    `json:"summary"`
	Status        string    `json:"status"`
	CreatedAt     time.Time `json:"createdAt"`
}

// ExportEmail is an email sent (or to be sent) to the customer: what it
// was about, not its body, whose links act on the booking.
type ExportEmail struct {
	ID        string     `json:"id"`
	Kind      string     `json:"kind"`
	Subject   string     `json:"subject"`
	Status    string     `json:"status"`
	SentAt    *time.Time `json:"sentAt,omitempty"`
	CreatedAt time.Time  `json:"createdAt"`
}

// Export gathers everything the tenant holds about one of its customers,
// read in one transaction. ENotFound when the tenant has no such customer.
func (s *Service) Export(ctx context.Context, t *frontdesk.Tenant, customerID string) (*CustomerExport, error) {
	var out *CustomerExport
	err := s.Store.WithTx(ctx, func(tx frontdesk.Tx) error {
		var err error
		out, err = s.export(ctx, tx, t, customerID)
		return err
	})
	return out, err
}

func (s *Service) export(ctx context.Context, tx frontdesk.Tx, t *frontdesk.Tenant, customerID string) (*CustomerExport, error) {
	c, err := tx.Customer(ctx, t.ID, customerID)
	if err != nil {
		return nil, err
	}
	out := &CustomerExport{
		Profile:  ExportProfile{ID: c.ID, Name: c.Name, Email: c.Email, Phone: c.Phone, CreatedAt: c.CreatedAt},
		Bookings: []booking.View{}, Transcripts: []ExportTranscript{}, Chats: []ExportChat{},
		Feedback: []ExportFeedback{}, Escalations: []ExportEscalation{}, Emails: []ExportEmail{}, CustomerTokens: []ExportCustomerToken{},
		ExportedAt: s.now(),
	}
	bookings, err := tx.CustomerBookings(ctx, t.ID, c.ID)
	if err != nil {
		return nil, err
	}
	for _, b := range bookings {
		out.Bookings = append(out.Bookings, booking.ViewOf(b))
		text, err := tx.Transcript(ctx, t.ID, b.ID)
		if err != nil {
			return nil, err
		}
		if text != "" {
			out.Transcripts = append(out.Transcripts, ExportTranscript{BookingID: b.ID, Transcript: text})
		}
	}
	sessions, err := tx.CustomerSessions(ctx, t.ID, c.ID)
	if err != nil {
		return nil, err
	}
	messages, err := tx.CustomerMessages(ctx, t.ID, c.ID)
	if err != nil {
		return nil, err
	}
	bySession := map[string][]ExportMessage{}
	for _, m := range messages {
		bySession[m.SessionID] = append(bySession[m.SessionID], ExportMessage{Role: m.Role, Content: m.Content, CreatedAt: m.CreatedAt})
	}
	for _, cs := range sessions {
		msgs := bySession[cs.ID]
		if msgs == nil {
			msgs = []ExportMessage{}
		}
		out.Chats = append(out.Chats, ExportChat{SessionID: cs.ID, CreatedAt: cs.CreatedAt, UpdatedAt: cs.UpdatedAt, Messages: msgs})
	}
	feedback, err := tx.CustomerFeedback(ctx, t.ID, c.ID)
	if err != nil {
		return nil, err
	}
	for _, f := range feedback {
		out.Feedback = append(out.Feedback, ExportFeedback{SessionID: f.SessionID, Type: f.Type, Rating: f.Rating,
			Comment: f.Comment, Message: f.Message, CreatedAt: f.CreatedAt})
	}
	escalations, err := tx.CustomerEscalations(ctx, t.ID, c.ID)
	if err != nil {
		return nil, err
	}
	for _, e := range escalations {
		out.Escalations = append(out.Escalations, ExportEscalation{ID: e.ID, SessionID: e.SessionID, Reason: e.Reason,
			CustomerEmail: e.CustomerEmail, CustomerPhone: e.CustomerPhone, Summary: e.Summary, Status: e.Status,
			CreatedAt: e.CreatedAt})
	}
	emails, err := tx.CustomerEmails(ctx, t.ID, c.ID)
	if err != nil {
		return nil, err
	}
	for _, e := range emails {
		out.Emails = append(out.Emails, ExportEmail{ID: e.ID, Kind: e.Kind, Subject: e.Email.Subject,
			Status: string(e.Status), SentAt: e.SentAt, CreatedAt: e.CreatedAt})
	}
	tokens, err := tx.CustomerTokens(ctx, t.ID, c.ID)
	if err != nil {
		return nil, err
	}
	for _, k := range tokens {
		out.CustomerTokens = append(out.CustomerTokens, ExportCustomerToken{BookingID: k.BookingID,
			EarlierBookingIDs: append([]string{}, k.Earlier...), Name: k.Name, Email: k.Email, Phone: k.Phone, CreatedAt: k.CreatedAt})
	}
	return out, nil
}

// Erase erases one of the tenant's customers in one transaction (see
// frontdesk.BookingStore.EraseCustomer): their name, email and phone are
// replaced, their chats, transcripts and manage links deleted; their
// bookings stay, anonymised. Erasing an erased customer succeeds and
// changes nothing. ENotFound when the tenant has no such customer.
func (s *Service) Erase(ctx context.Context, t *frontdesk.Tenant, customerID string) error {
	return s.Store.WithTx(ctx, func(tx frontdesk.Tx) error {
		return tx.EraseCustomer(ctx, t.ID, customerID, s.now())
	})
}
