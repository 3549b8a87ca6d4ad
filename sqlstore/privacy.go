package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"strings"
	"time"

	"github.com/frontdeskhq/frontdesk"
)

// A customer's data is found by their id where a row carries it
// (bookings, chat sessions) and by their email where only text does
// (escalations, proposals, messages, outbox emails). Emails are compared
// in lower case; LIKE patterns are escaped so an address matches itself.

// ErasedCustomerName is the name an erased customer keeps.
const ErasedCustomerName = "Erased customer"

// erasedEmail is the address an erased customer keeps: unique per
// customer (emails are unique per tenant) and undeliverable (.invalid).
func erasedEmail(customerID string) string { return "erased-" + customerID + "@invalid" }

// customerSessionIDs is the set of the customer's chat sessions, by id:
// linked to the customer, or whose escalation, proposal or messages carry
// the email ($3, lower case; $4 the LIKE pattern of it). $1 is the
// tenant, $2 the customer.
const customerSessionIDs = `SELECT id FROM chat_sessions WHERE tenant_id = $1 AND customer_id = $2
	UNION SELECT session_id FROM chat_escalations WHERE tenant_id = $1 AND lower(customer_email) = $3
	UNION SELECT session_id FROM proposals WHERE tenant_id = $1 AND lower(payload) LIKE $4 ESCAPE '\'
	UNION SELECT session_id FROM chat_messages WHERE tenant_id = $1 AND lower(content) LIKE $4 ESCAPE '\'`

// subject is the customer whose data is looked up, with the arguments of
// the queries that find it.
type subject struct {
	c     *frontdesk.Customer
	email string // lower case
}

func (s *queries) subject(ctx context.Context, tenantID, customerID string) (*subject, error) {
	c, err := s.Customer(ctx, tenantID, customerID)
	if err != nil {
		return nil, err
	}
	return &subject{c: c, email: strings.ToLower(strings.TrimSpace(c.Email))}, nil
}

// args are $1–$4 of customerSessionIDs.
func (p *subject) args() []any {
	return []any{p.c.TenantID, p.c.ID, p.email, contains(p.email)}
}

// CustomerBookings lists every booking of a tenant's customer, oldest first.
func (s *queries) CustomerBookings(ctx context.Context, tenantID, customerID string) ([]*frontdesk.Booking, error) {
	if _, err := s.Customer(ctx, tenantID, customerID); err != nil {
		return nil, err
	}
	return s.queryBookings(ctx, bookingSelect+`WHERE b.tenant_id = $1 AND b.customer_id = $2
		ORDER BY b.created_at, b.id`, tenantID, customerID)
}

// CustomerTokens lists the returning-customer tokens of a tenant's
// customer, oldest first.
func (s *queries) CustomerTokens(ctx context.Context, tenantID, customerID string) ([]*frontdesk.CustomerToken, error) {
	if _, err := s.Customer(ctx, tenantID, customerID); err != nil {
		return nil, err
	}
	return queryAll(ctx, s, scanCustomerToken, `SELECT `+customerTokenCols+` FROM customer_tokens
		WHERE tenant_id = $1 AND customer_id = $2 ORDER BY created_at, token_hash`, tenantID, customerID)
}

// CustomerSessions lists the chat sessions held for a tenant's customer.
func (s *queries) CustomerSessions(ctx context.Context, tenantID, customerID string) ([]*frontdesk.ChatSession, error) {
	p, err := s.subject(ctx, tenantID, customerID)
	if err != nil {
		return nil, err
	}
	return queryAll(ctx, s, scanSession, `SELECT `+sessionCols+` FROM chat_sessions
		WHERE tenant_id = $1 AND id IN (`+customerSessionIDs+`) ORDER BY created_at, id`, p.args()...)
}

// CustomerMessages lists the messages of the customer's sessions.
func (s *queries) CustomerMessages(ctx context.Context, tenantID, customerID string) ([]*frontdesk.ChatMessage, error) {
	p, err := s.subject(ctx, tenantID, customerID)
	if err != nil {
		return nil, err
	}
	return queryAll(ctx, s, scanMessage, `SELECT `+messageCols+` FROM chat_messages
		WHERE tenant_id = $1 AND session_id IN (`+customerSessionIDs+`) ORDER BY session_id, seq`, p.args()...)
}

// customerFeedbackWhere selects the feedback of the customer's sessions
// or whose comment or rated message carries their email.
const customerFeedbackWhere = ` WHERE tenant_id = $1 AND (session_id IN (` + customerSessionIDs + `)
	OR lower(comment) LIKE $4 ESCAPE '\' OR lower(message) LIKE $4 ESCAPE '\')`

// CustomerFeedback lists the feedback given in the customer's sessions.
func (s *queries) CustomerFeedback(ctx context.Context, tenantID, customerID string) ([]*frontdesk.Feedback, error) {
	p, err := s.subject(ctx, tenantID, customerID)
	if err != nil {
		return nil, err
	}
	return queryAll(ctx, s, scanFeedback, `SELECT id, tenant_id, session_id, target, feedback_type, rating, comment,
		message, created_at FROM chat_feedback`+customerFeedbackWhere+` ORDER BY created_at, id`, p.args()...)
}

// customerEscalationsWhere selects the escalations that carry the
// customer's email or come from their sessions.
const customerEscalationsWhere = ` WHERE tenant_id = $1 AND (lower(customer_email) = $3
	OR session_id IN (` + customerSessionIDs + `))`

// CustomerEscalations lists the escalations of the customer.
func (s *queries) CustomerEscalations(ctx context.Context, tenantID, customerID string) ([]*frontdesk.Escalation, error) {
	p, err := s.subject(ctx, tenantID, customerID)
	if err != nil {
		return nil, err
	}
	return queryAll(ctx, s, scanEscalation, `SELECT `+escalationCols+` FROM chat_escalations`+
		customerEscalationsWhere+` ORDER BY created_at, id`, p.args()...)
}

// mentioningEmails lists the tenant's outbox emails whose message carries
// the customer's email anywhere: sent to them, or about them to the owner.
func (s *queries) mentioningEmails(ctx context.Context, p *subject) ([]*frontdesk.OutboxEmail, error) {
	return s.queryEmails(ctx, `SELECT `+emailCols+` FROM email_outbox
		WHERE tenant_id = $1 AND lower(message) LIKE $2 ESCAPE '\' ORDER BY created_at, id`,
		p.c.TenantID, contains(jsonText(p.email)))
}

// jsonText is s as it appears inside a JSON string, which is how the
// outbox stores a message.
func jsonText(s string) string {
	b, _ := json.Marshal(s)
	return string(b[1 : len(b)-1])
}

// CustomerEmails lists the outbox emails addressed to the customer.
func (s *queries) CustomerEmails(ctx context.Context, tenantID, customerID string) ([]*frontdesk.OutboxEmail, error) {
	p, err := s.subject(ctx, tenantID, customerID)
	if err != nil {
		return nil, err
	}
	all, err := s.mentioningEmails(ctx, p)
	if err != nil {
		return nil, err
	}
	out := []*frontdesk.OutboxEmail{}
	for _, e := range all {
		if strings.EqualFold(strings.TrimSpace(e.Email.To), p.email) {
			out = append(out, e)
		}
	}
	return out, nil
}

// EraseCustomer erases a tenant's customer; see frontdesk.BookingStore.
func (s *queries) EraseCustomer(ctx context.Context, tenantID, customerID string, at time.Time) error {
	return s.inTx(ctx, func(q *queries) error { return q.eraseCustomer(ctx, tenantID, customerID, at) })
}

func (s *queries) eraseCustomer(ctx context.Context, tenantID, customerID string, at time.Time) error {
	p, err := s.subject(ctx, tenantID, customerID)
	if err != nil {
		return err
	}
	args := p.args()
	// The emails first: the messages that find the sessions go below.
	emails, err := s.mentioningEmails(ctx, p)
	if err != nil {
		return err
	}
	for _, e := range emails {
		if err := s.blankEmail(ctx, e, p.email); err != nil {
			return err
		}
	}
	// The sessions are collected once: deleting their messages and
	// proposals would otherwise shrink the set half-way.
	sessions, err := queryAll(ctx, s, func(row rowScanner) (string, error) {
		var id string
		return id, row.Scan(&id)
	}, customerSessionIDs, args...)
	if err != nil {
		return err
	}
	if _, err := s.q.ExecContext(ctx, `DELETE FROM chat_feedback`+customerFeedbackWhere, args...); err != nil {
		return s.mapErr(err)
	}
	if _, err := s.q.ExecContext(ctx, `UPDATE chat_escalations SET reason = '', customer_email = '',
		customer_phone = '', summary = ''`+customerEscalationsWhere, args...); err != nil {
		return s.mapErr(err)
	}
	for _, id := range sessions {
		for _, query := range []string{
			`DELETE FROM chat_feedback WHERE tenant_id = $1 AND session_id = $2`,
			`UPDATE chat_escalations SET reason = '', customer_email = '', customer_phone = '', summary = ''
				WHERE tenant_id = $1 AND session_id = $2`,
			`DELETE FROM proposals WHERE tenant_id = $1 AND session_id = $2`,
			`DELETE FROM chat_messages WHERE tenant_id = $1 AND session_id = $2`,
			`DELETE FROM chat_sessions WHERE tenant_id = $1 AND id = $2`,
		} {
			if _, err := s.q.ExecContext(ctx, query, tenantID, id); err != nil {
				return s.mapErr(err)
			}
		}
	}
	for _, query := range []string{
		`DELETE FROM proposals WHERE tenant_id = $1 AND lower(payload) LIKE $2 ESCAPE '\'`,
		`DELETE FROM chat_messages WHERE tenant_id = $1 AND lower(content) LIKE $2 ESCAPE '\'`,
	} {
		if _, err := s.q.ExecContext(ctx, query, tenantID, contains(p.email)); err != nil {
			return s.mapErr(err)
		}
	}
	for _, query := range []string{
		`DELETE FROM booking_transcripts WHERE tenant_id = $1
			AND booking_id IN (SELECT id FROM bookings WHERE tenant_id = $1 AND customer_id = $2)`,
		`DELETE FROM manage_tokens WHERE tenant_id = $1
			AND booking_id IN (SELECT id FROM bookings WHERE tenant_id = $1 AND customer_id = $2)`,
		`DELETE FROM customer_tokens WHERE tenant_id = $1 AND customer_id = $2`,
	} {
		if _, err := s.q.ExecContext(ctx, query, tenantID, customerID); err != nil {
			return s.mapErr(err)
		}
	}
	// Notes and a cancellation reason are free text the customer may have
	// typed; the rest of a booking is the business's accounts.
	if _, err := s.q.ExecContext(ctx, `UPDATE bookings SET notes = '', cancellation_reason = '', updated_at = $3
		WHERE tenant_id = $1 AND customer_id = $2 AND (notes <> '' OR cancellation_reason <> '')`,
		tenantID, customerID, ts(at)); err != nil {
		return s.mapErr(err)
	}
	email := erasedEmail(customerID)
	return s.execOne(ctx, "The customer", `UPDATE customers SET name = $3, email = $4, email_norm = $4, phone = ''
		WHERE tenant_id = $1 AND id = $2`, tenantID, customerID, ErasedCustomerName, email)
}

// blankEmail keeps an outbox email's row (its idempotency key stops the
// same event from sending it again) but not what it said: subject,
// bodies and attachments go, and the customer's address too. One not
// yet sent is never sent.
func (s *queries) blankEmail(ctx context.Context, e *frontdesk.OutboxEmail, email string) error {
	m := frontdesk.Email{From: e.Email.From, To: e.Email.To, ReplyTo: e.Email.ReplyTo, MessageID: e.Email.MessageID}
	if strings.EqualFold(strings.TrimSpace(m.To), email) {
		m.To = ""
	}
	if strings.EqualFold(strings.TrimSpace(m.ReplyTo), email) {
		m.ReplyTo = ""
	}
	msg, err := json.Marshal(m)
	if err != nil {
		return err
	}
	status, lastErr := e.Status, ""
	if status == frontdesk.EmailPending {
		status, lastErr = frontdesk.EmailDead, "not sent: the customer's data was erased"
	}
	_, err = s.q.ExecContext(ctx, `UPDATE email_outbox SET message = $3, status = $4, last_error = $5
		WHERE tenant_id = $1 AND id = $2`, e.TenantID, e.ID, string(msg), string(status), lastErr)
	return s.mapErr(err)
}

func scanFeedback(row rowScanner) (*frontdesk.Feedback, error) {
	var f frontdesk.Feedback
	var rating sql.NullInt64
	var created scanTime
	if err := row.Scan(&f.ID, &f.TenantID, &f.SessionID, &f.Target, &f.Type, &rating, &f.Comment, &f.Message, &created); err != nil {
		return nil, err
	}
	f.Rating, f.CreatedAt = int(rating.Int64), created.T
	return &f, nil
}
