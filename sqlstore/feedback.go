package sqlstore

import (
	"context"
	"database/sql"

	"github.com/frontdeskhq/frontdesk"
)

// Message finds a message of a tenant's session.
func (s *queries) Message(ctx context.Context, tenantID, sessionID, id string) (*frontdesk.ChatMessage, error) {
	var m frontdesk.ChatMessage
	var tools string
	var created scanTime
	err := s.q.QueryRowContext(ctx, `SELECT id, tenant_id, session_id, role, content, tool_calls, created_at FROM chat_messages
		WHERE tenant_id = $1 AND session_id = $2 AND id = $3`, tenantID, sessionID, id).Scan(
		&m.ID, &m.TenantID, &m.SessionID, &m.Role, &m.Content, &tools, &created)
	if err != nil {
		return nil, s.notFound(err, "The message")
	}
	m.CreatedAt = created.T
	return &m, nil
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
	rows, err := s.q.QueryContext(ctx, `SELECT id, tenant_id, session_id, target, feedback_type, rating, comment, created_at
		FROM chat_feedback WHERE tenant_id = $1 ORDER BY created_at, id`, tenantID)
	if err != nil {
		return nil, s.mapErr(err)
	}
	defer rows.Close()
	var out []*frontdesk.Feedback
	for rows.Next() {
		var f frontdesk.Feedback
		var rating sql.NullInt64
		var created scanTime
		if err := rows.Scan(&f.ID, &f.TenantID, &f.SessionID, &f.Target, &f.Type, &rating, &f.Comment, &created); err != nil {
			return nil, err
		}
		f.Rating, f.CreatedAt = int(rating.Int64), created.T
		out = append(out, &f)
	}
	return out, rows.Err()
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
	rows, err := s.q.QueryContext(ctx, `SELECT id, tenant_id, session_id, reason, customer_email, customer_phone, summary,
		status, created_at FROM chat_escalations WHERE tenant_id = $1 ORDER BY created_at DESC, id`, tenantID)
	if err != nil {
		return nil, s.mapErr(err)
	}
	defer rows.Close()
	var out []*frontdesk.Escalation
	for rows.Next() {
		var e frontdesk.Escalation
		var created scanTime
		if err := rows.Scan(&e.ID, &e.TenantID, &e.SessionID, &e.Reason, &e.CustomerEmail, &e.CustomerPhone, &e.Summary,
			&e.Status, &created); err != nil {
			return nil, err
		}
		e.CreatedAt = created.T
		out = append(out, &e)
	}
	return out, rows.Err()
}
