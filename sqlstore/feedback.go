package sqlstore

import (
	"context"
	"database/sql"

	"github.com/frontdeskhq/frontdesk"
)

// Message finds a message of a tenant's session.
func (s *queries) Message(ctx context.Context, tenantID, sessionID, id string) (*frontdesk.ChatMessage, error) {
	m, err := scanMessage(s.q.QueryRowContext(ctx, `SELECT `+messageCols+` FROM chat_messages
		WHERE tenant_id = $1 AND session_id = $2 AND id = $3`, tenantID, sessionID, id))
	if err != nil {
		return nil, s.notFound(err, "The message")
	}
	return m, nil
}

// SaveFeedback upserts the feedback on its target.
func (s *queries) SaveFeedback(ctx context.Context, f *frontdesk.Feedback) error {
	var rating any
	if f.Rating > 0 {
		rating = f.Rating
	}
	err := s.q.QueryRowContext(ctx, `INSERT INTO chat_feedback (id, tenant_id, session_id, target, feedback_type, rating, comment, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8)
		ON CONFLICT (tenant_id, session_id, target) DO UPDATE SET feedback_type = excluded.feedback_type,
			rating = excluded.rating, comment = excluded.comment, updated_at = excluded.updated_at
		RETURNING id`, f.ID, f.TenantID, f.SessionID, f.Target, f.Type, rating, f.Comment, ts(f.CreatedAt)).Scan(&f.ID)
	return s.mapErr(err)
}

// ListFeedback lists a tenant's feedback.
func (s *queries) ListFeedback(ctx context.Context, tenantID string) ([]*frontdesk.Feedback, error) {
	return queryAll(ctx, s, func(row rowScanner) (*frontdesk.Feedback, error) {
		var f frontdesk.Feedback
		var rating sql.NullInt64
		var created scanTime
		err := row.Scan(&f.ID, &f.TenantID, &f.SessionID, &f.Target, &f.Type, &rating, &f.Comment, &created)
		f.Rating, f.CreatedAt = int(rating.Int64), created.T
		return &f, err
	}, `SELECT id, tenant_id, session_id, target, feedback_type, rating, comment, created_at
		FROM chat_feedback WHERE tenant_id = $1 ORDER BY created_at, id`, tenantID)
}

// CreateEscalation stores an escalation.
func (s *queries) CreateEscalation(ctx context.Context, e *frontdesk.Escalation) error {
	_, err := s.q.ExecContext(ctx, `INSERT INTO chat_escalations (id, tenant_id, session_id, reason, customer_email,
		customer_phone, summary, status, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
		e.ID, e.TenantID, e.SessionID, e.Reason, e.CustomerEmail, e.CustomerPhone, e.Summary, e.Status, ts(e.CreatedAt))
	return s.mapErr(err)
}

// ListEscalations lists a tenant's escalations, newest first.
func (s *queries) ListEscalations(ctx context.Context, tenantID string) ([]*frontdesk.Escalation, error) {
	return queryAll(ctx, s, func(row rowScanner) (*frontdesk.Escalation, error) {
		var e frontdesk.Escalation
		var created scanTime
		err := row.Scan(&e.ID, &e.TenantID, &e.SessionID, &e.Reason, &e.CustomerEmail, &e.CustomerPhone, &e.Summary,
			&e.Status, &created)
		e.CreatedAt = created.T
		return &e, err
	}, `SELECT id, tenant_id, session_id, reason, customer_email, customer_phone, summary,
		status, created_at FROM chat_escalations WHERE tenant_id = $1 ORDER BY created_at DESC, id`, tenantID)
}
