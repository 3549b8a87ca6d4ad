package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"time"
)

// ClaimJobRun records now as the last run of the job name, in one
// statement, unless the job ran after now-every. The upsert's condition is
// evaluated on the row as it is when the statement gets it: on PostgreSQL
// a concurrent claim waits for the first one's row lock and then sees its
// new time, so it updates nothing and returns no row; SQLite writers are
// serialised. RETURNING needs SQLite 3.35 or later.
func (s *queries) ClaimJobRun(ctx context.Context, name string, now time.Time, every time.Duration) (bool, error) {
	var got string
	err := s.q.QueryRowContext(ctx, `INSERT INTO job_runs (name, last_run_at) VALUES ($1, $2)
		ON CONFLICT (name) DO UPDATE SET last_run_at = excluded.last_run_at
		WHERE job_runs.last_run_at <= $3
		RETURNING name`, name, ts(now), ts(now.Add(-every))).Scan(&got)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	if err != nil {
		return false, s.mapErr(err)
	}
	return true, nil
}
