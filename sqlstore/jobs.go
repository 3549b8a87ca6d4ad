package sqlstore

import (
	"context"
	"time"

	"github.com/frontdeskhq/frontdesk"
)

func (s *queries) affected(ctx context.Context, query string, args ...any) (int64, error) {
	res, err := s.q.ExecContext(ctx, query, args...)
	if err != nil {
		return 0, s.mapErr(err)
	}
	return res.RowsAffected()
}

// DeleteIdleSessions removes chat sessions idle since before; their
// messages go with them.
func (s *queries) DeleteIdleSessions(ctx context.Context, before time.Time) (int64, error) {
	return s.affected(ctx, `DELETE FROM chat_sessions WHERE updated_at < $1`, ts(before))
}

// ExpireProposals marks lapsed pending proposals EXPIRED.
func (s *queries) ExpireProposals(ctx context.Context, now time.Time) (int64, error) {
	return s.affected(ctx, `UPDATE proposals SET status = 'EXPIRED' WHERE status = 'PENDING' AND expires_at < $1`, ts(now))
}

// DeleteOldProposals removes expired or rejected proposals whose expiry is before the given time.
func (s *queries) DeleteOldProposals(ctx context.Context, before time.Time) (int64, error) {
	return s.affected(ctx, `DELETE FROM proposals WHERE status IN ('EXPIRED', 'REJECTED') AND expires_at < $1`, ts(before))
}

// LapsedCheckouts lists PENDING bookings whose checkout expired.
func (s *queries) LapsedCheckouts(ctx context.Context, now time.Time, limit int) ([]*frontdesk.Booking, error) {
	return s.queryBookings(ctx, bookingSelect+`WHERE b.status = 'PENDING' AND b.checkout_expires_at IS NOT NULL
		AND b.checkout_expires_at < $1 ORDER BY b.checkout_expires_at LIMIT $2`, ts(now), limit)
}

// BookingsAwaitingCheckout lists PENDING paid bookings that have no checkout session yet.
func (s *queries) BookingsAwaitingCheckout(ctx context.Context, after, before time.Time, limit int) ([]*frontdesk.Booking, error) {
	return s.queryBookings(ctx, bookingSelect+`WHERE b.status = 'PENDING' AND b.total_price_cents > 0
		AND b.checkout_session_id = '' AND b.created_at > $1 AND b.created_at < $2
		ORDER BY b.created_at LIMIT $3`, ts(after), ts(before), limit)
}

// RefundsDue lists PENDING refunds whose next attempt is at or before now,
// the longest due first, in any tenant.
func (s *queries) RefundsDue(ctx context.Context, now time.Time, limit int) ([]*frontdesk.Refund, error) {
	return queryAll(ctx, s, scanRefund, `SELECT `+refundCols+` FROM refunds
		WHERE status = 'PENDING' AND next_attempt_at <= $1 ORDER BY next_attempt_at, id LIMIT $2`, ts(now), limit)
}

// RemindersDue lists live bookings whose reminder is due at or before now,
// the earliest first, in any tenant.
func (s *queries) RemindersDue(ctx context.Context, now time.Time, limit int) ([]*frontdesk.Booking, error) {
	return s.queryBookings(ctx, bookingSelect+`WHERE b.status IN ('PENDING', 'CONFIRMED') AND b.reminder_due_at IS NOT NULL
		AND b.reminder_due_at <= $1 ORDER BY b.reminder_due_at, b.id LIMIT $2`, ts(now), limit)
}
