// Package sqlstore implements frontdesk.Store on database/sql with one set of
// queries for SQLite (modernc.org/sqlite, pure Go) and PostgreSQL (pgx). The
// two differ only behind a small dialect seam: locking, the outbox claim, and
// how driver errors map to domain errors.
package sqlstore

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" driver
	"modernc.org/sqlite"
	_ "modernc.org/sqlite" // registers the "sqlite" driver

	"github.com/frontdeskhq/frontdesk"
)

//go:embed migrations
var migrations embed.FS

// DefaultSQLitePath is where the embedded database lives when DATABASE_URL is unset.
const DefaultSQLitePath = "data/frontdesk.db"

// Dialect names.
const (
	SQLite   = "sqlite"
	Postgres = "postgres"
)

// DB is the store: frontdesk.Store on one database.
type DB struct {
	queries
	db *sql.DB
	// readers are SQLite's read-only connections (nil on PostgreSQL and
	// for an in-memory SQLite database).
	readers *sql.DB
	stmts   *stmtCache // the readers' prepared statements
	batch   *batcher   // SQLite's writes outside a transaction

	jobsMu  sync.Mutex
	running map[string]bool // SQLite: jobs running in this process
}

var _ frontdesk.Store = (*DB)(nil)

// Open connects to the database named by databaseURL (a postgres:// URL or a
// SQLite file path; empty means DefaultSQLitePath), checks that it answers,
// and applies pending migrations. Errors name the DATABASE_URL setting and
// say what is wrong, in one line.
func Open(ctx context.Context, databaseURL string) (*DB, error) {
	dialect, dsn, err := parseURL(databaseURL)
	if err != nil {
		return nil, err
	}
	var db, readers *sql.DB
	switch dialect {
	case Postgres:
		cfg, err := pgx.ParseConfig(dsn)
		if err != nil {
			return nil, fmt.Errorf("DATABASE_URL is not a valid PostgreSQL URL (postgres://user@host:5432/db): %s", oneLine(err))
		}
		db = openPostgres(cfg, newConnectBreaker())
		db.SetMaxOpenConns(20)
		db.SetMaxIdleConns(10)
		db.SetConnMaxIdleTime(5 * time.Minute)
	case SQLite:
		db, err = sql.Open("sqlite", dsn)
		if err != nil {
			return nil, fmt.Errorf("DATABASE_URL: %v", err)
		}
		// One connection: SQLite has one writer anyway, and a single
		// connection makes every transaction serial with no busy errors.
		db.SetMaxOpenConns(1)
		db.SetConnMaxIdleTime(0)
		db.SetConnMaxLifetime(0)
		// Reads outside a transaction go to a pool of read-only
		// connections, which WAL lets run beside the writer: a burst of
		// chat turns then waits on the writer only for its writes.
		if !strings.Contains(dsn, ":memory:") {
			if readers, err = sql.Open("sqlite", dsn+"&_pragma=query_only(1)"); err != nil {
				db.Close()
				return nil, fmt.Errorf("DATABASE_URL: %v", err)
			}
			readers.SetMaxOpenConns(SQLiteReaders)
			readers.SetMaxIdleConns(SQLiteReaders)
			readers.SetConnMaxIdleTime(5 * time.Minute)
		}
	}
	pingCtx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if err := db.PingContext(pingCtx); err != nil {
		db.Close()
		if readers != nil {
			readers.Close()
		}
		var fe *frontdesk.Error
		if errors.As(err, &fe) && fe.Err != nil {
			err = fe.Err // the cause says what is wrong; "try again in a few seconds" does not
		}
		return nil, fmt.Errorf("DATABASE_URL: cannot connect to %s: %s", describe(dialect, databaseURL), oneLine(err))
	}
	s := &DB{queries: queries{q: db, d: dialect}, db: db, readers: readers}
	if err := s.migrate(ctx); err != nil {
		s.Close()
		return nil, fmt.Errorf("DATABASE_URL: migrating %s: %s", describe(dialect, databaseURL), oneLine(err))
	}
	if readers != nil {
		s.stmts = &stmtCache{m: map[string]*sql.Stmt{}}
		s.batch = newBatcher(db)
		s.queries.q = split{w: db, r: readers, stmts: s.stmts, batch: s.batch}
	}
	return s, nil
}

// Dialect returns SQLite or Postgres.
func (s *DB) Dialect() string { return s.d }

// SQL returns the underlying database, for tests.
func (s *DB) SQL() *sql.DB { return s.db }

func parseURL(raw string) (dialect, dsn string, err error) {
	if raw == "" {
		raw = DefaultSQLitePath
	}
	if strings.HasPrefix(raw, "postgres://") || strings.HasPrefix(raw, "postgresql://") {
		if _, err := pgx.ParseConfig(raw); err != nil {
			return "", "", fmt.Errorf("DATABASE_URL is not a valid PostgreSQL URL (postgres://user@host:5432/db): %s", oneLine(err))
		}
		return Postgres, raw, nil
	}
	if i := strings.Index(raw, "://"); i >= 0 {
		return "", "", fmt.Errorf("DATABASE_URL must be a postgres:// URL or a SQLite file path, not a %s:// URL", raw[:i])
	}
	path := strings.TrimPrefix(strings.TrimPrefix(raw, "sqlite:"), "file:")
	if i := strings.IndexByte(path, '?'); i >= 0 {
		path = path[:i]
	}
	if path == "" {
		return "", "", errors.New("DATABASE_URL: the SQLite file path is empty")
	}
	if path != ":memory:" {
		if dir := filepath.Dir(path); dir != "." {
			if err := os.MkdirAll(dir, 0o755); err != nil {
				return "", "", fmt.Errorf("DATABASE_URL: cannot create the directory for the SQLite file %s: %s", path, oneLine(err))
			}
		}
		f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o644)
		if err != nil {
			return "", "", fmt.Errorf("DATABASE_URL: cannot write the SQLite file %s: %s", path, oneLine(err))
		}
		f.Close()
	}
	q := url.Values{}
	q.Add("_pragma", "busy_timeout(10000)")
	q.Add("_pragma", "journal_mode(WAL)")
	q.Add("_pragma", "foreign_keys(1)")
	q.Add("_pragma", "synchronous(NORMAL)")
	q.Set("_txlock", "immediate")
	return SQLite, "file:" + path + "?" + q.Encode(), nil
}

func describe(dialect, raw string) string {
	if dialect == SQLite {
		if raw == "" {
			raw = DefaultSQLitePath
		}
		return "SQLite file " + raw
	}
	u, err := url.Parse(raw)
	if err != nil {
		return "PostgreSQL"
	}
	return "PostgreSQL at " + u.Host
}

func oneLine(err error) string { return strings.ReplaceAll(err.Error(), "\n", " ") }

// Close closes the database.
func (s *DB) Close() error {
	if s.batch != nil { // nil when the migrations failed
		s.batch.close()
		s.stmts.close()
	}
	if s.readers != nil {
		s.readers.Close()
	}
	return s.db.Close()
}

// Ping checks that the database answers; EUnavailable when it does not.
func (s *DB) Ping(ctx context.Context) error { return s.mapErr(s.db.PingContext(ctx)) }

// WithTx runs fn in a transaction. On PostgreSQL a serialization failure or
// deadlock is retried a few times.
func (s *DB) WithTx(ctx context.Context, fn func(tx frontdesk.Tx) error) error {
	var err error
	for attempt := 0; attempt < 3; attempt++ {
		err = s.withTx(ctx, fn)
		if !retryable(err) {
			return err
		}
	}
	return err
}

func (s *DB) withTx(ctx context.Context, fn func(tx frontdesk.Tx) error) (err error) {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return s.mapErr(fmt.Errorf("begin: %w", err))
	}
	defer func() {
		if p := recover(); p != nil {
			tx.Rollback()
			panic(p)
		}
		if err != nil {
			tx.Rollback()
		}
	}()
	if err = fn(&queries{q: tx, d: s.d}); err != nil {
		return err
	}
	if err = tx.Commit(); err != nil {
		return s.mapErr(fmt.Errorf("commit: %w", err))
	}
	return nil
}

// retryable reports whether running the transaction again may succeed:
// a serialization failure or deadlock, or a confirmation code that
// collided with another booking's (a new attempt draws a new code).
func retryable(err error) bool {
	var pg *pgconn.PgError
	if errors.As(err, &pg) {
		return pg.Code == "40001" || pg.Code == "40P01" || (pg.Code == "23505" && pg.ConstraintName == "bookings_confirmation_code_key")
	}
	var se *sqlite.Error
	return errors.As(err, &se) && strings.Contains(se.Error(), "bookings.confirmation_code")
}

// migrate applies the embedded migrations of the dialect that are not yet
// recorded in schema_migrations, each in its own transaction. On PostgreSQL
// an advisory lock keeps two instances starting at once from racing.
func (s *DB) migrate(ctx context.Context) error {
	conn, err := s.db.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	if s.d == Postgres {
		if _, err := conn.ExecContext(ctx, `SELECT pg_advisory_lock(7243100)`); err != nil {
			return err
		}
		defer conn.ExecContext(context.Background(), `SELECT pg_advisory_unlock(7243100)`)
	}
	if _, err := conn.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (version integer PRIMARY KEY, applied_at text NOT NULL)`); err != nil {
		return err
	}
	applied := map[int]bool{}
	rows, err := conn.QueryContext(ctx, `SELECT version FROM schema_migrations`)
	if err != nil {
		return err
	}
	for rows.Next() {
		var v int
		if err := rows.Scan(&v); err != nil {
			rows.Close()
			return err
		}
		applied[v] = true
	}
	rows.Close()
	dir := "migrations/" + s.d
	entries, err := fs.ReadDir(migrations, dir)
	if err != nil {
		return err
	}
	sort.Slice(entries, func(i, j int) bool { return entries[i].Name() < entries[j].Name() })
	for _, e := range entries {
		name := e.Name()
		v, err := strconv.Atoi(strings.SplitN(name, "_", 2)[0])
		if err != nil {
			return fmt.Errorf("migration %s: name must start with a number", name)
		}
		if applied[v] {
			continue
		}
		body, err := migrations.ReadFile(dir + "/" + name)
		if err != nil {
			return err
		}
		tx, err := conn.BeginTx(ctx, nil)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, string(body)); err != nil {
			tx.Rollback()
			return fmt.Errorf("migration %s: %w", name, err)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO schema_migrations (version, applied_at) VALUES ($1, $2)`, v, ts(time.Now())); err != nil {
			tx.Rollback()
			return fmt.Errorf("migration %s: %w", name, err)
		}
		if err := tx.Commit(); err != nil {
			return fmt.Errorf("migration %s: %w", name, err)
		}
	}
	return nil
}

// RunExclusive runs fn while holding a lock named after the job. On
// PostgreSQL it is a session advisory lock on a connection of its own, so
// it spans fn's transactions and every instance sees it; SQLite databases
// belong to one process, so a lock in memory does.
func (s *DB) RunExclusive(ctx context.Context, name string, fn func(ctx context.Context) error) (bool, error) {
	if s.d != Postgres {
		s.jobsMu.Lock()
		if s.running == nil {
			s.running = map[string]bool{}
		}
		busy := s.running[name]
		s.running[name] = true
		s.jobsMu.Unlock()
		if busy {
			return false, nil
		}
		defer func() {
			s.jobsMu.Lock()
			delete(s.running, name)
			s.jobsMu.Unlock()
		}()
		return true, fn(ctx)
	}
	conn, err := s.db.Conn(ctx)
	if err != nil {
		return false, s.mapErr(err)
	}
	defer conn.Close()
	var ok bool
	if err := conn.QueryRowContext(ctx, `SELECT pg_try_advisory_lock(hashtextextended('job:' || $1, 0))`, name).Scan(&ok); err != nil || !ok {
		return false, s.mapErr(err)
	}
	defer conn.ExecContext(context.Background(), `SELECT pg_advisory_unlock(hashtextextended('job:' || $1, 0))`, name)
	return true, fn(ctx)
}

// querier is what *sql.DB and *sql.Tx have in common.
type querier interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// SQLiteReaders is how many read-only connections a SQLite store keeps
// beside its one writer.
const SQLiteReaders = 4

// split is SQLite's querier outside a transaction: a SELECT goes to the
// read-only pool, which WAL lets read beside the writer, and everything
// else (writes, and writes that return rows) to the one writer. A read
// begun after a write has committed sees it.
//
// The reads are prepared once per connection and kept (SQLite spends
// about as long preparing a short query as running it); the writer's
// statements are not, since preparing one could wait for the writer's
// connection while a transaction on it is open.
//
// Writes go through the batcher, which commits those waiting together.
type split struct {
	w, r  *sql.DB
	stmts *stmtCache
	batch *batcher
}

func (s split) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	return s.batch.exec(ctx, query, args...)
}

func (s split) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	if !readOnly(query) {
		return s.w.QueryContext(ctx, query, args...)
	}
	if st := s.stmts.get(ctx, s.r, query); st != nil {
		return st.QueryContext(ctx, args...)
	}
	return s.r.QueryContext(ctx, query, args...)
}

func (s split) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	if !readOnly(query) {
		return s.w.QueryRowContext(ctx, query, args...)
	}
	if st := s.stmts.get(ctx, s.r, query); st != nil {
		return st.QueryRowContext(ctx, args...)
	}
	return s.r.QueryRowContext(ctx, query, args...)
}

// readOnly reports whether a query only reads: a SELECT that returns
// nothing it writes.
func readOnly(query string) bool {
	q := strings.TrimSpace(query)
	return len(q) >= 6 && strings.EqualFold(q[:6], "SELECT") && !strings.Contains(strings.ToUpper(q), "RETURNING")
}

// maxCachedStmts bounds the prepared reads kept: the store's queries are
// a fixed set, but listings build their WHERE clause from filters.
const maxCachedStmts = 512

// stmtCache keeps prepared statements by query text.
type stmtCache struct {
	mu sync.Mutex
	m  map[string]*sql.Stmt
}

// get returns the prepared statement of query, preparing it on db the
// first time; nil when the cache is full or preparing fails (the caller
// then runs the query unprepared, and sees any error there).
func (c *stmtCache) get(ctx context.Context, db *sql.DB, query string) *sql.Stmt {
	c.mu.Lock()
	st, ok := c.m[query]
	full := len(c.m) >= maxCachedStmts
	c.mu.Unlock()
	if ok || full {
		return st
	}
	st, err := db.PrepareContext(ctx, query)
	if err != nil {
		return nil
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if prev, ok := c.m[query]; ok { // prepared meanwhile by another caller
		st.Close()
		return prev
	}
	c.m[query] = st
	return st
}

// close closes every kept statement.
func (c *stmtCache) close() {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, st := range c.m {
		st.Close()
	}
	clear(c.m)
}

// rowScanner is what *sql.Row and *sql.Rows have in common.
type rowScanner = interface{ Scan(dest ...any) error }

// queryAll runs a query and scans every row with scan.
func queryAll[T any](ctx context.Context, s *queries, scan func(rowScanner) (T, error), query string, args ...any) ([]T, error) {
	rows, err := s.q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, s.mapErr(err)
	}
	defer rows.Close()
	var out []T
	for rows.Next() {
		v, err := scan(rows)
		if err != nil {
			return nil, s.mapErr(err)
		}
		out = append(out, v)
	}
	return out, s.mapErr(rows.Err())
}

// queries holds every query; it runs on the database or on a transaction.
type queries struct {
	q querier
	d string
}

// mapErr turns driver errors into domain errors: a database that cannot
// take requests now (unreachable, shutting down, out of connections, a
// SQLite lock held past the busy timeout, closed) into EUnavailable, a
// refused double booking into ESlotUnavailable, another uniqueness
// violation or refunds beyond a booking's price into EConflict. The driver
// error stays the cause, for the log.
func (s *queries) mapErr(err error) error {
	if err == nil {
		return nil
	}
	if unavailable(err) {
		return unavailableError(err)
	}
	if errors.Is(err, sql.ErrNoRows) {
		return frontdesk.NotFound("The record")
	}
	var pg *pgconn.PgError
	if errors.As(err, &pg) {
		switch {
		case pg.Code == "23P01" || (pg.Code == "23505" && pg.ConstraintName == "bookings_one_live_date"):
			return &frontdesk.Error{Code: frontdesk.ESlotUnavailable, Message: slotTaken, Err: err}
		case pg.Code == "23505":
			return &frontdesk.Error{Code: frontdesk.EConflict, Message: "That already exists.", Err: err}
		case pg.Code == "23514" && pg.ConstraintName == "refunds_within_total":
			return &frontdesk.Error{Code: frontdesk.EConflict, Message: refundsExceedTotal, Err: err}
		}
		return err
	}
	var se *sqlite.Error
	if errors.As(err, &se) {
		msg := se.Error()
		switch {
		case strings.Contains(msg, "slot_unavailable") || strings.Contains(msg, "bookings.tenant_id, bookings.date"):
			return &frontdesk.Error{Code: frontdesk.ESlotUnavailable, Message: slotTaken, Err: err}
		case strings.Contains(msg, "UNIQUE constraint failed"):
			return &frontdesk.Error{Code: frontdesk.EConflict, Message: "That already exists.", Err: err}
		case strings.Contains(msg, "refunds_exceed_total"):
			return &frontdesk.Error{Code: frontdesk.EConflict, Message: refundsExceedTotal, Err: err}
		}
	}
	return err
}

const slotTaken = "Sorry, that time was just taken. Please choose another date or time."

const refundsExceedTotal = "The refunds of this booking would come to more than it cost; refund less."

// notFound maps sql.ErrNoRows to a not-found error naming what was missing.
func (s *queries) notFound(err error, what string) error {
	if errors.Is(err, sql.ErrNoRows) {
		return frontdesk.NotFound(what)
	}
	return s.mapErr(err)
}

// execOne runs an UPDATE or DELETE meant for one row: no row touched is
// a not-found error naming what.
func (s *queries) execOne(ctx context.Context, what, query string, args ...any) error {
	n, err := s.affected(ctx, query, args...)
	if err != nil {
		return err
	}
	if n == 0 {
		return frontdesk.NotFound(what)
	}
	return nil
}

// foreignKeyViolation reports whether err is a refused write because a row
// still refers to the one written.
func foreignKeyViolation(err error) bool {
	var pg *pgconn.PgError
	if errors.As(err, &pg) {
		return pg.Code == "23503"
	}
	var se *sqlite.Error
	return errors.As(err, &se) && strings.Contains(se.Error(), "FOREIGN KEY constraint failed")
}

// inTx runs fn in a transaction of its own when s is not in one already,
// so that the steps of fn hold together either way.
func (s *queries) inTx(ctx context.Context, fn func(q *queries) error) error {
	var db *sql.DB
	switch q := s.q.(type) {
	case *sql.DB:
		db = q
	case split:
		db = q.w
	default:
		return fn(s) // already in a transaction
	}
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return s.mapErr(fmt.Errorf("begin: %w", err))
	}
	if err := fn(&queries{q: tx, d: s.d}); err != nil {
		tx.Rollback()
		return err
	}
	return s.mapErr(tx.Commit())
}

// page builds the WHERE clause of a listing, newest first, a page at a time.
type page struct {
	where []string
	args  []any
	limit int
}

// newPage starts a listing with the given page size: 50 when limit is not
// in 1..100.
func newPage(limit int) *page {
	if limit <= 0 || limit > 100 {
		limit = 50
	}
	return &page{limit: limit}
}

// add appends a condition whose ? placeholders take v in order.
func (p *page) add(cond string, v ...any) {
	for _, a := range v {
		p.args = append(p.args, a)
		cond = strings.Replace(cond, "?", "$"+itoa(len(p.args)), 1)
	}
	p.where = append(p.where, cond)
}

// after continues from cursor (from a previous page) on the columns
// created and id; a cursor that is not one is a validation error.
func (p *page) after(cursor, created, id string) error {
	if cursor == "" {
		return nil
	}
	at, last, ok := decodeCursor(cursor)
	if !ok {
		return frontdesk.Invalid(frontdesk.FieldError{Field: "cursor", Message: "is not a cursor from a previous page; start without it"})
	}
	p.add("("+created+" < ? OR ("+created+" = ? AND "+id+" < ?))", at, at, last)
	return nil
}

// sql returns the WHERE, ORDER BY and LIMIT clauses (one row more than the
// page, to tell whether another follows) and their arguments.
func (p *page) sql(created, id string) (string, []any) {
	args := append(p.args, p.limit+1)
	return " WHERE " + strings.Join(p.where, " AND ") + " ORDER BY " + created + " DESC, " + id + " DESC LIMIT $" + itoa(len(args)), args
}

// cut trims rows to the page and returns the cursor of the next page, or
// "" when this is the last.
func cut[T any](p *page, rows []T, key func(T) (time.Time, string)) ([]T, string) {
	if len(rows) <= p.limit {
		return rows, ""
	}
	created, id := key(rows[p.limit-1])
	return rows[:p.limit], encodeCursor(ts(created), id)
}

// timeLayout is fixed-width UTC, so that on SQLite text order is time order.
const timeLayout = "2006-01-02T15:04:05.000000Z"

// ts encodes an instant for either database.
func ts(t time.Time) string { return t.UTC().Format(timeLayout) }

// nts encodes an optional instant.
func nts(t *time.Time) any {
	if t == nil {
		return nil
	}
	return ts(*t)
}

// scanTime reads an instant stored as timestamptz or as text.
type scanTime struct {
	T     time.Time
	Valid bool
}

// Scan reads a timestamptz, a text timestamp or NULL.
func (s *scanTime) Scan(src any) error {
	switch v := src.(type) {
	case nil:
		s.Valid = false
		return nil
	case time.Time:
		s.T, s.Valid = v.UTC(), true
		return nil
	case string:
		return s.parse(v)
	case []byte:
		return s.parse(string(v))
	}
	return fmt.Errorf("sqlstore: cannot scan %T as a time", src)
}

func (s *scanTime) parse(v string) error {
	for _, layout := range []string{timeLayout, time.RFC3339Nano, "2006-01-02 15:04:05.999999999-07:00", "2006-01-02 15:04:05"} {
		if t, err := time.Parse(layout, v); err == nil {
			s.T, s.Valid = t.UTC(), true
			return nil
		}
	}
	return fmt.Errorf("sqlstore: cannot parse time %q", v)
}

func (s scanTime) ptr() *time.Time {
	if !s.Valid {
		return nil
	}
	t := s.T
	return &t
}

func itoa(n int) string { return strconv.Itoa(n) }
