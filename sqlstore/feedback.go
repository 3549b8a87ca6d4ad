package sqlstore

import (
	"context"
	"database/sql"
	"time"

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
	err := s.q.QueryRowContext(ctx, `INSERT INTO chat_feedback (id, tenant_id, session_id, target, feedback_type, rating, comment,
			message, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9)
		ON CONFLICT (tenant_id, session_id, target) DO UPDATE SET feedback_type = excluded.feedback_type,
			rating = excluded.rating, comment = excluded.comment, message = excluded.message, updated_at = excluded.updated_at
		RETURNING id`, f.ID, f.TenantID, f.SessionID, f.Target, f.Type, rating, f.Comment, f.Message, ts(f.CreatedAt)).Scan(&f.ID)
	return s.mapErr(err)
}

// ListFeedback lists a tenant's feedback created in [from, to), oldest
// first; a zero bound is open.
func (s *queries) ListFeedback(ctx context.Context, tenantID string, from, to time.Time) ([]*frontdesk.Feedback, error) {
	query := `SELECT id, tenant_id, session_id, target, feedback_type, rating, comment, message, created_at
		FROM chat_feedback WHERE tenant_id = $1`
	args := []any{tenantID}
	if !from.IsZero() {
		args = append(args, ts(from))
		query += ` AND created_at >= $` + itoa(len(args))
	}
	if !to.IsZero() {
		args = append(args, ts(to))
		query += ` AND created_at < $` + itoa(len(args))
	}
	return queryAll(ctx, s, func(row rowScanner) (*frontdesk.Feedback, error) {
		var f frontdesk.Feedback
		var rating sql.NullInt64
		var created scanTime
		err := row.Scan(&f.ID, &f.TenantID, &f.SessionID, &f.Target, &f.Type, &rating, &f.Comment, &f.Message, &created)
		f.Rating, f.CreatedAt = int(rating.Int64), created.T
		return &f, err
	}, query+` ORDER BY created_at, id`, args...)
}

// CreateEscalation stores an escalation.
func (s *queries) CreateEscalation(ctx context.Context, e *frontdesk.Escalation) error {
	_, err := s.q.ExecContext(ctx, `INSERT INTO chat_escalations (`+escalationCols+`)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
		e.ID, e.TenantID, e.SessionID, e.Reason, e.CustomerEmail, e.CustomerPhone, e.Summary, e.Status, ts(e.CreatedAt))
	return s.mapErr(err)
}

const escalationCols = `id, tenant_id, session_id, reason, customer_email, customer_phone, summary, status, created_at`

func scanEscalation(row rowScanner) (*frontdesk.Escalation, error) {
	var e frontdesk.Escalation
	var created scanTime
	if err := row.Scan(&e.ID, &e.TenantID, &e.SessionID, &e.Reason, &e.CustomerEmail, &e.CustomerPhone, &e.Summary,
		&e.Status, &created); err != nil {
		return nil, err
	}
	e.CreatedAt = created.T
	return &e, nil
}

// ListEscalations lists a tenant's escalations, newest first, a page at a
// time, of one status when f.Status is set.
func (s *queries) ListEscalations(ctx context.Context, tenantID string, f frontdesk.EscalationFilter) (*frontdesk.EscalationPage, error) {
	pg := newPage(f.Limit)
	pg.add("tenant_id = ?", tenantID)
	if f.Status != "" {
		pg.add("status = ?", f.Status)
	}
	if err := pg.after(f.Cursor, "created_at", "id"); err != nil {
		return nil, err
	}
	where, args := pg.sql("created_at", "id")
	rows, err := queryAll(ctx, s, scanEscalation, `SELECT `+escalationCols+` FROM chat_escalations`+where, args...)
	if err != nil {
		return nil, err
	}
	out := &frontdesk.EscalationPage{}
	out.Escalations, out.NextCursor = cut(pg, rows, func(e *frontdesk.Escalation) (time.Time, string) { return e.CreatedAt, e.ID })
	return out, nil
}

// Escalation finds a tenant's escalation by id.
func (s *queries) Escalation(ctx context.Context, tenantID, id string) (*frontdesk.Escalation, error) {
	e, err := scanEscalation(s.q.QueryRowContext(ctx, `SELECT `+escalationCols+` FROM chat_escalations
		WHERE tenant_id = $1 AND id = $2`, tenantID, id))
	if err != nil {
		return nil, s.notFound(err, "The escalation")
	}
	return e, nil
}

// SetEscalationStatus changes a tenant's escalation's status.
func (s *queries) SetEscalationStatus(ctx context.Context, tenantID, id, status string) error {
	return s.execOne(ctx, "The escalation", `UPDATE chat_escalations SET status = $3 WHERE tenant_id = $1 AND id = $2`,
		tenantID, id, status)
}
