package sqlstore

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"io"
	"net"
	"strings"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/stdlib"
	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"github.com/frontdeskhq/frontdesk"
	"github.com/frontdeskhq/frontdesk/circuit"
)

// How PostgreSQL is reconnected to during an outage. database/sql dials a
// new connection for every request that finds none idle, so without a
// breaker a dead server is dialled once per request; with it, after
// connectFailures failed dials in a row requests fail fast (503) and one
// dial probes the server after a backoff that doubles, with jitter, from
// connectBackoff up to maxConnectBackoff.
const (
	connectTimeout    = 5 * time.Second
	connectFailures   = 3
	connectBackoff    = time.Second
	maxConnectBackoff = 15 * time.Second
)

// unavailable reports whether err means the database cannot take requests
// right now, though the request itself is fine: it cannot be reached, it
// is shutting down or starting, it has no connection to spare, or a
// SQLite lock outlasted the busy timeout. Such errors are worth retrying
// shortly; others (a constraint, a bug) are not.
func unavailable(err error) bool {
	if err == nil {
		return false
	}
	if frontdesk.IsCode(err, frontdesk.EUnavailable) {
		return true
	}
	var pg *pgconn.PgError
	if errors.As(err, &pg) {
		switch {
		case strings.HasPrefix(pg.Code, "08"), // connection exception
			strings.HasPrefix(pg.Code, "53"), // insufficient resources: too many connections, disk full
			pg.Code == "57P01",               // admin shutdown
			pg.Code == "57P02",               // crash shutdown
			pg.Code == "57P03",               // cannot connect now (starting up, recovering)
			pg.Code == "57P05":               // idle session timeout
			return true
		}
	}
	var ce *pgconn.ConnectError
	if errors.As(err, &ce) {
		return true // whatever the reason, no connection means no answer
	}
	var se *sqlite.Error
	if errors.As(err, &se) {
		switch se.Code() & 0xff { // the primary code of an extended one
		case sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED:
			return true
		}
		return false
	}
	var ne net.Error
	return errors.As(err, &ne) || pgconn.Timeout(err) ||
		errors.Is(err, driver.ErrBadConn) || errors.Is(err, sql.ErrConnDone) || errors.Is(err, pgconn.ErrConnClosed) ||
		errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, context.DeadlineExceeded) ||
		// database/sql's error after Close (during shutdown) is not exported.
		strings.Contains(err.Error(), "sql: database is closed")
}

// unavailableError returns err as an EUnavailable error keeping err as its
// cause, or err itself when it is one already.
func unavailableError(err error) error {
	if frontdesk.IsCode(err, frontdesk.EUnavailable) {
		return err
	}
	return frontdesk.Unavailable(err)
}

// openPostgres returns a database whose new connections go through a
// circuit breaker (see connectFailures). It does not connect.
func openPostgres(cfg *pgx.ConnConfig, breaker *circuit.Breaker) *sql.DB {
	if cfg.ConnectTimeout == 0 { // connect_timeout in the URL wins
		cfg.ConnectTimeout = connectTimeout
	}
	return sql.OpenDB(&breakerConnector{Connector: stdlib.GetConnector(*cfg), breaker: breaker})
}

func newConnectBreaker() *circuit.Breaker {
	return &circuit.Breaker{Threshold: connectFailures, Backoff: connectBackoff, MaxBackoff: maxConnectBackoff}
}

// breakerConnector is a driver.Connector that stops dialling a server that
// keeps refusing: while its breaker is open, Connect fails at once with
// EUnavailable, carrying the last dial's error for the log.
type breakerConnector struct {
	driver.Connector
	breaker *circuit.Breaker

	mu      sync.Mutex
	lastErr error
}

// Connect dials a new connection unless the breaker is open. Every
// failure is an EUnavailable error wrapping the cause.
func (c *breakerConnector) Connect(ctx context.Context) (driver.Conn, error) {
	if !c.breaker.Allow() {
		c.mu.Lock()
		last := c.lastErr
		c.mu.Unlock()
		return nil, frontdesk.Unavailable(fmt.Errorf("PostgreSQL: not dialling for %v after failed connection attempts; last: %w",
			c.breaker.RetryIn().Round(time.Millisecond), last))
	}
	conn, err := c.Connector.Connect(ctx)
	if err != nil && errors.Is(err, context.Canceled) && ctx.Err() != nil {
		return nil, err // the caller gave up: nothing learnt about the server
	}
	if err != nil {
		c.mu.Lock()
		c.lastErr = err // before Record, so a refusal always has a cause to show
		c.mu.Unlock()
	}
	c.breaker.Record(err)
	if err != nil {
		return nil, frontdesk.Unavailable(err)
	}
	return conn, nil
}
