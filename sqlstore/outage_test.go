package sqlstore_test

import (
	"context"
	"database/sql"
	"net"
	neturl "net/url"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/frontdeskhq/frontdesk"
	"github.com/frontdeskhq/frontdesk/sqlstore"
	"github.com/frontdeskhq/frontdesk/storetest"
)

// wantUnavailable fails the test unless err is EUnavailable, says to try
// again, and keeps a cause containing cause for the log.
func wantUnavailable(t *testing.T, what string, err error, cause string) {
	t.Helper()
	if !frontdesk.IsCode(err, frontdesk.EUnavailable) {
		t.Fatalf("%s: %v, want %s", what, err, frontdesk.EUnavailable)
	}
	if msg := frontdesk.ErrorMessage(err); !strings.Contains(msg, "try again") {
		t.Fatalf("%s: message %q does not say to try again", what, msg)
	}
	if !strings.Contains(err.Error(), cause) {
		t.Fatalf("%s: %v lost its cause %q", what, err, cause)
	}
}

func TestUnavailableWhenClosed(t *testing.T) {
	storetest.EachBackend(t, func(t *testing.T, b storetest.Backend) {
		store := b.Open(t)
		f := storetest.NewFixture(t, store, "Lumen Studio", "America/New_York")
		ctx := context.Background()
		store.Close() // the database goes away under the running server
		const cause = "database is closed"
		_, err := store.TenantByPublicKey(ctx, f.Tenant.PublicKey)
		wantUnavailable(t, "TenantByPublicKey", err, cause)
		_, err = store.ListTenants(ctx)
		wantUnavailable(t, "ListTenants", err, cause)
		err = store.CreateBlackoutDate(ctx, &frontdesk.BlackoutDate{ID: frontdesk.NewID(), TenantID: f.Tenant.ID,
			Date: frontdesk.Date{Year: 2026, Month: 12, Day: 24}})
		wantUnavailable(t, "CreateBlackoutDate", err, cause)
		err = store.WithTx(ctx, func(tx frontdesk.Tx) error { return nil })
		wantUnavailable(t, "WithTx", err, cause)
		_, err = store.RunExclusive(ctx, "job", func(context.Context) error { return nil })
		if b.Name == "postgres" { // SQLite's job lock lives in memory
			wantUnavailable(t, "RunExclusive", err, cause)
		}
		wantUnavailable(t, "Ping", store.Ping(ctx), cause)
	})
}

func TestUnavailableWhenSQLiteIsLocked(t *testing.T) {
	store := storetest.OpenSQLite(t)
	ctx := context.Background()
	// Another process holds the write lock for longer than the busy timeout.
	other, err := sql.Open("sqlite", "file:"+sqliteFile(t, store)+"?_pragma=busy_timeout(0)")
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	conn, err := other.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, `BEGIN IMMEDIATE`); err != nil {
		t.Fatal(err)
	}
	defer conn.ExecContext(ctx, `ROLLBACK`)
	if _, err := store.SQL().ExecContext(ctx, `PRAGMA busy_timeout = 50`); err != nil {
		t.Fatal(err)
	}
	f := &frontdesk.Tenant{ID: frontdesk.NewID(), Name: "Locked", Slug: "locked", ContactEmail: "a@b.test", TimeZone: "UTC",
		Currency: "usd", PublicKey: "pk_locked", SecretKeyHash: "x", CreatedAt: time.Now()}
	wantUnavailable(t, "CreateTenant while another process writes", store.CreateTenant(ctx, f), "database is locked")
}

// sqliteFile returns the path of a SQLite store's database file.
func sqliteFile(t *testing.T, store *sqlstore.DB) string {
	t.Helper()
	var seq int
	var name, file string
	if err := store.SQL().QueryRowContext(context.Background(), `PRAGMA database_list`).Scan(&seq, &name, &file); err != nil {
		t.Fatal(err)
	}
	return file
}

// countingDialer dials like net.Dialer and counts the attempts; while down
// is set it refuses them, as a server that is not there would.
type countingDialer struct {
	dials atomic.Int64
	down  atomic.Bool
}

func (d *countingDialer) dial(ctx context.Context, network, addr string) (net.Conn, error) {
	d.dials.Add(1)
	if d.down.Load() {
		return nil, &net.OpError{Op: "dial", Net: network, Err: syscall.ECONNREFUSED}
	}
	return (&net.Dialer{}).DialContext(ctx, network, addr)
}

func TestReconnectBacksOff(t *testing.T) {
	clock := storetest.NewClock(time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC))
	var d countingDialer
	// Nothing listens on port 1: every dial is refused.
	store, err := sqlstore.OpenPostgresDialer("postgres://nobody@127.0.0.1:1/db?sslmode=disable", d.dial, clock.Now)
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	ctx := context.Background()
	requests := func(n int) {
		t.Helper()
		for range n {
			_, err := store.TenantByPublicKey(ctx, "pk_x")
			wantUnavailable(t, "TenantByPublicKey with PostgreSQL down", err, "connection refused")
		}
	}
	requests(200)
	if got := d.dials.Load(); got != sqlstore.ConnectFailures {
		t.Fatalf("200 requests dialled %d times, want %d and then fail fast", got, sqlstore.ConnectFailures)
	}
	// One probe after the backoff, then a backoff twice as long.
	for i, wait := range []time.Duration{sqlstore.ConnectBackoff, 2 * sqlstore.ConnectBackoff, 4 * sqlstore.ConnectBackoff} {
		before := d.dials.Load()
		clock.Advance(wait - time.Millisecond)
		requests(50)
		if got := d.dials.Load() - before; got != 0 {
			t.Fatalf("probe %d: %d dials before the backoff of %v passed", i, got, wait)
		}
		clock.Advance(time.Millisecond)
		requests(50)
		if got := d.dials.Load() - before; got != 1 {
			t.Fatalf("probe %d: %d dials after the backoff of %v, want 1", i, got, wait)
		}
	}
}

func TestReconnectRecovers(t *testing.T) {
	base := storetest.ServiceURL(t, "TEST_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/test")
	u, err := neturl.Parse(base)
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	q.Set("sslmode", "disable") // one dial per connection attempt
	u.RawQuery = q.Encode()
	clock := storetest.NewClock(time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC))
	var d countingDialer
	d.down.Store(true)
	store, err := sqlstore.OpenPostgresDialer(u.String(), d.dial, clock.Now)
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	ctx := context.Background()
	for range 20 {
		wantUnavailable(t, "Ping while down", store.Ping(ctx), "connection refused")
	}
	d.down.Store(false) // PostgreSQL is back, but the breaker does not know yet
	if err := store.Ping(ctx); !frontdesk.IsCode(err, frontdesk.EUnavailable) {
		t.Fatalf("Ping before the backoff passed: %v, want a fast EUnavailable", err)
	}
	if got := d.dials.Load(); got != sqlstore.ConnectFailures {
		t.Fatalf("%d dials, want %d", got, sqlstore.ConnectFailures)
	}
	clock.Advance(sqlstore.ConnectBackoff)
	for i := range 20 {
		if err := store.Ping(ctx); err != nil {
			t.Fatalf("Ping %d after PostgreSQL came back: %v", i, err)
		}
	}
}

func TestTerminatedConnectionIsUnavailable(t *testing.T) {
	base := storetest.ServiceURL(t, "TEST_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/test")
	store := storetest.OpenPostgres(t)
	ctx := context.Background()
	db := store.SQL()
	db.SetMaxOpenConns(1)
	var pid int
	if err := db.QueryRowContext(ctx, `SELECT pg_backend_pid()`).Scan(&pid); err != nil {
		t.Fatal(err)
	}
	admin, err := sql.Open("pgx", base)
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close()
	if _, err := admin.ExecContext(ctx, `SELECT pg_terminate_backend($1)`, pid); err != nil {
		t.Fatal(err)
	}
	// The pooled connection is dead: the next query says the database is
	// unavailable (57P01), never an internal error, and the one after
	// reconnects.
	_, err = store.ListTenants(ctx)
	if err != nil && !frontdesk.IsCode(err, frontdesk.EUnavailable) {
		t.Fatalf("query after the server ended the connection: %v (code %s), want %s",
			err, frontdesk.ErrorCode(err), frontdesk.EUnavailable)
	}
	if _, err := store.ListTenants(ctx); err != nil {
		t.Fatalf("the store did not reconnect: %v", err)
	}
}
