package sqlstore

import (
	"context"

	"github.com/frontdeskhq/frontdesk"
)

const refundCols = `id, tenant_id, booking_id, amount_cents, currency, reason, status, provider_refund_id,
	attempts, next_attempt_at, last_error, created_at, updated_at`

func scanRefund(row rowScanner) (*frontdesk.Refund, error) {
	var r frontdesk.Refund
	var status string
	var next, created, updated scanTime
	if err := row.Scan(&r.ID, &r.TenantID, &r.BookingID, &r.AmountCents, &r.Currency, &r.Reason, &status, &r.ProviderRefundID,
		&r.Attempts, &next, &r.LastError, &created, &updated); err != nil {
		return nil, err
	}
	r.Status = frontdesk.RefundStatus(status)
	r.NextAttemptAt, r.CreatedAt, r.UpdatedAt = next.T, created.T, updated.T
	return &r, nil
}

// CreateRefund records a refund of a tenant's booking. ENotFound when the
// tenant has no such booking; EConflict when the refunds of the booking
// that have not failed would come to more than its price, or when the id
// or the provider's refund id is taken.
func (s *queries) CreateRefund(ctx context.Context, r *frontdesk.Refund) error {
	// Selecting the booking keeps a refund in its booking's tenant.
	return s.execOne(ctx, "The booking", `INSERT INTO refunds (id, tenant_id, booking_id, amount_cents, currency, reason,
		status, provider_refund_id, attempts, next_attempt_at, last_error, created_at, updated_at)
		SELECT $1, tenant_id, id, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13
		FROM bookings WHERE tenant_id = $2 AND id = $3`,
		r.ID, r.TenantID, r.BookingID, r.AmountCents, r.Currency, r.Reason,
		string(r.Status), r.ProviderRefundID, r.Attempts, ts(r.NextAttemptAt), r.LastError, ts(r.CreatedAt), ts(r.UpdatedAt))
}

// UpdateRefund writes a refund's status, provider refund id, attempts, next
// attempt, last error and UpdatedAt. ENotFound when the tenant has no such
// refund; EConflict when the provider's refund id belongs to another.
func (s *queries) UpdateRefund(ctx context.Context, r *frontdesk.Refund) error {
	return s.execOne(ctx, "The refund", `UPDATE refunds SET status = $3, provider_refund_id = $4, attempts = $5,
		next_attempt_at = $6, last_error = $7, updated_at = $8
		WHERE tenant_id = $1 AND id = $2`,
		r.TenantID, r.ID, string(r.Status), r.ProviderRefundID, r.Attempts, ts(r.NextAttemptAt), r.LastError, ts(r.UpdatedAt))
}

// Refunds lists the refunds of a tenant's booking, oldest first; none (and
// no error) for a booking the tenant does not have.
func (s *queries) Refunds(ctx context.Context, tenantID, bookingID string) ([]*frontdesk.Refund, error) {
	return queryAll(ctx, s, scanRefund, `SELECT `+refundCols+` FROM refunds
		WHERE tenant_id = $1 AND booking_id = $2 ORDER BY created_at, id`, tenantID, bookingID)
}

// RefundByProviderID finds a refund by the provider's refund id, in any
// tenant.
func (s *queries) RefundByProviderID(ctx context.Context, providerRefundID string) (*frontdesk.Refund, error) {
	if providerRefundID == "" {
		return nil, frontdesk.NotFound("The refund")
	}
	r, err := scanRefund(s.q.QueryRowContext(ctx, `SELECT `+refundCols+` FROM refunds WHERE provider_refund_id = $1`, providerRefundID))
	if err != nil {
		return nil, s.notFound(err, "The refund")
	}
	return r, nil
}
