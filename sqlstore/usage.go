package sqlstore

import (
	"context"
	"time"
)

// TokenSpend sums the estimated cost of a tenant's model calls since an
// instant (the token_usage_tenant index covers the range).
func (s *queries) TokenSpend(ctx context.Context, tenantID string, since time.Time) (int64, error) {
	var spent int64
	err := s.q.QueryRowContext(ctx, `SELECT COALESCE(SUM(cost_micro_cents), 0) FROM token_usage
		WHERE tenant_id = $1 AND created_at >= $2`, tenantID, ts(since)).Scan(&spent)
	if err != nil {
		return 0, s.mapErr(err)
	}
	return spent, nil
}
