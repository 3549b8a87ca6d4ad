package sqlstore

import (
	"context"
	"time"

	"github.com/frontdeskhq/frontdesk"
)

// CountSession adds one to the tenant's session count for day.
func (s *queries) CountSession(ctx context.Context, tenantID string, day frontdesk.Date) error {
	_, err := s.q.ExecContext(ctx, `INSERT INTO chat_session_counts (tenant_id, day, sessions) VALUES ($1, $2, 1)
		ON CONFLICT (tenant_id, day) DO UPDATE SET sessions = chat_session_counts.sessions + 1`, tenantID, day)
	return s.mapErr(err)
}

// Analytics sums a tenant's chat activity in one query.
func (s *queries) Analytics(ctx context.Context, tenantID string, from, to frontdesk.Date, start, end time.Time) (*frontdesk.Analytics, error) {
	var a frontdesk.Analytics
	err := s.q.QueryRowContext(ctx, `SELECT
		(SELECT COALESCE(SUM(sessions), 0) FROM chat_session_counts WHERE tenant_id = $1 AND day >= $2 AND day <= $3),
		(SELECT COUNT(*) FROM bookings WHERE tenant_id = $1 AND source = 'CHATBOT' AND created_at >= $4 AND created_at < $5),
		(SELECT COUNT(*) FROM bookings WHERE tenant_id = $1 AND source = 'CHATBOT' AND status = 'CONFIRMED' AND created_at >= $4 AND created_at < $5),
		(SELECT COUNT(*) FROM chat_feedback WHERE tenant_id = $1 AND feedback_type = 'THUMBS_UP' AND created_at >= $4 AND created_at < $5),
		(SELECT COUNT(*) FROM chat_feedback WHERE tenant_id = $1 AND feedback_type = 'THUMBS_DOWN' AND created_at >= $4 AND created_at < $5),
		(SELECT COUNT(*) FROM chat_feedback WHERE tenant_id = $1 AND feedback_type = 'RATING' AND created_at >= $4 AND created_at < $5),
		(SELECT COALESCE(SUM(rating), 0) FROM chat_feedback WHERE tenant_id = $1 AND feedback_type = 'RATING' AND created_at >= $4 AND created_at < $5),
		(SELECT COUNT(*) FROM chat_escalations WHERE tenant_id = $1 AND created_at >= $4 AND created_at < $5),
		(SELECT COALESCE(SUM(input_tokens), 0) FROM token_usage WHERE tenant_id = $1 AND created_at >= $4 AND created_at < $5),
		(SELECT COALESCE(SUM(output_tokens), 0) FROM token_usage WHERE tenant_id = $1 AND created_at >= $4 AND created_at < $5),
		(SELECT COALESCE(SUM(cost_micro_cents), 0) FROM token_usage WHERE tenant_id = $1 AND created_at >= $4 AND created_at < $5)`,
		tenantID, from, to, ts(start), ts(end)).Scan(&a.Sessions, &a.ChatBookings, &a.ConfirmedBookings, &a.ThumbsUp, &a.ThumbsDown,
		&a.Ratings, &a.RatingSum, &a.Escalations, &a.InputTokens, &a.OutputTokens, &a.CostMicroCents)
	if err != nil {
		return nil, s.mapErr(err)
	}
	return &a, nil
}
