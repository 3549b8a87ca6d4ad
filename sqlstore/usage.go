package sqlstore

import (
	"context"
	"time"
)

// spendBucket is the span of token_spend's running totals. Every time
// zone's offset is a whole number of quarter hours, so a month starts on
// a bucket's first instant.
const spendBucket = 15 * time.Minute

// TokenSpend sums the estimated cost of a tenant's model calls since an
// instant: the running totals of the quarter hours from since on, and the
// calls themselves before the first of them when since is not a quarter
// hour's start.
func (s *queries) TokenSpend(ctx context.Context, tenantID string, since time.Time) (int64, error) {
	from := since.Truncate(spendBucket)
	if from.Before(since) {
		from = from.Add(spendBucket)
	}
	var spent int64
	err := s.q.QueryRowContext(ctx, `SELECT
		(SELECT COALESCE(SUM(micro_cents), 0) FROM token_spend WHERE tenant_id = $1 AND bucket >= $3) +
		(SELECT COALESCE(SUM(cost_micro_cents), 0) FROM token_usage WHERE tenant_id = $1 AND created_at >= $2 AND created_at < $3)`,
		tenantID, ts(since), ts(from)).Scan(&spent)
	if err != nil {
		return 0, s.mapErr(err)
	}
	return spent, nil
}
