package sqlstore

import (
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

// OpenPostgresDialer opens dsn like Open but neither pings nor migrates;
// every connection is dialled through dial, and the reconnection breaker
// runs on now with no jitter, so a test can count dials during an outage.
func OpenPostgresDialer(dsn string, dial pgconn.DialFunc, now func() time.Time) (*DB, error) {
	cfg, err := pgx.ParseConfig(dsn)
	if err != nil {
		return nil, err
	}
	cfg.DialFunc = dial
	br := newConnectBreaker()
	br.Now = now
	br.Jitter = func(d time.Duration) time.Duration { return d }
	db := openPostgres(cfg, br)
	return &DB{queries: queries{q: db, d: Postgres}, db: db}, nil
}

// Reconnect backoff settings, for tests.
const (
	ConnectFailures = connectFailures
	ConnectBackoff  = connectBackoff
)
