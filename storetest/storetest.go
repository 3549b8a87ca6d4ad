// Package storetest holds the contract suite that every frontdesk.Store must
// pass, and helpers that open real test databases: SQLite always, PostgreSQL
// when TEST_DATABASE_URL is set.
package storetest

import (
	"context"
	"database/sql"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/frontdeskhq/frontdesk"
	"github.com/frontdeskhq/frontdesk/sqlstore"
	"github.com/redis/go-redis/v9"
)

// Backend opens a fresh, empty, migrated store for one test.
type Backend struct {
	Name string
	Open func(t testing.TB) *sqlstore.DB
}

// Backends returns SQLite, and PostgreSQL when TEST_DATABASE_URL is set.
// Under CI=true a missing TEST_DATABASE_URL fails the test instead of
// quietly testing one database.
func Backends(t testing.TB) []Backend {
	t.Helper()
	out := []Backend{{Name: "sqlite", Open: OpenSQLite}}
	if os.Getenv("TEST_DATABASE_URL") != "" {
		out = append(out, Backend{Name: "postgres", Open: OpenPostgres})
	} else if os.Getenv("CI") == "true" {
		t.Fatal("TEST_DATABASE_URL is not set: CI must test PostgreSQL too")
	} else {
		t.Log("PostgreSQL skipped: set TEST_DATABASE_URL=postgres://... to run these tests on it too")
	}
	return out
}

// OpenSQLite opens a new SQLite database in a temporary directory.
func OpenSQLite(t testing.TB) *sqlstore.DB {
	t.Helper()
	db, err := sqlstore.Open(context.Background(), filepath.Join(t.TempDir(), "test.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// ServiceURL returns the environment variable naming a test service. When
// it is unset the test is skipped with a one-line reason, or fails under
// CI=true, where every service must be there.
func ServiceURL(t testing.TB, name, example string) string {
	t.Helper()
	v := os.Getenv(name)
	if v == "" {
		if os.Getenv("CI") == "true" {
			t.Fatalf("%s is not set under CI", name)
		}
		t.Skipf("skipped: set %s=%s to run this test", name, example)
	}
	return v
}

var pgSetup sync.Once

// OpenPostgres opens TEST_DATABASE_URL with a new schema of its own, dropped
// when the test ends, so tests never see each other's rows. It skips the
// test when TEST_DATABASE_URL is unset (failing under CI=true).
func OpenPostgres(t testing.TB) *sqlstore.DB {
	t.Helper()
	base := ServiceURL(t, "TEST_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/test")
	admin, err := sql.Open("pgx", base)
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close()
	ctx := context.Background()
	pgSetup.Do(func() { admin.ExecContext(ctx, `CREATE EXTENSION IF NOT EXISTS btree_gist`) })
	schema := "t_" + frontdesk.NewID()[:16]
	if _, err := admin.ExecContext(ctx, `CREATE SCHEMA `+schema); err != nil {
		t.Fatalf("PostgreSQL at TEST_DATABASE_URL: %v", err)
	}
	u, err := url.Parse(base)
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	q.Set("search_path", schema+",public")
	u.RawQuery = q.Encode()
	db, err := sqlstore.Open(ctx, u.String())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		db.Close()
		admin, err := sql.Open("pgx", base)
		if err == nil {
			admin.ExecContext(context.Background(), `DROP SCHEMA `+schema+` CASCADE`)
			admin.Close()
		}
	})
	return db
}

// Fixture is a tenant with a catalog, made by NewFixture.
type Fixture struct {
	Tenant    *frontdesk.Tenant
	SecretKey string
	Wedding   *frontdesk.Package // DATE, 150000
	Portrait  *frontdesk.Package // TIMESLOT 60 min + 15 buffer, 25000
	Free      *frontdesk.Package // TIMESLOT 30 min, free
	Retired   *frontdesk.Package // inactive
}

// NewFixture creates a tenant named name in zone tz with four packages,
// rules Monday to Saturday 09:00-17:00, and a blackout on 2026-12-25.
func NewFixture(t testing.TB, s frontdesk.Store, name, tz string) *Fixture {
	t.Helper()
	ctx := context.Background()
	now := time.Date(2026, 11, 1, 12, 0, 0, 0, time.UTC)
	pk, sk := frontdesk.NewTenantKeys()
	slug := strings.ToLower(strings.ReplaceAll(name, " ", "-"))
	tn := &frontdesk.Tenant{
		ID: frontdesk.NewID(), Name: name, Slug: slug, ContactEmail: "owner@" + slug + ".test",
		TimeZone: tz, Currency: "usd", PublicKey: pk, SecretKeyHash: frontdesk.HashSecretKey(sk),
		AllowedOrigins: []string{"https://" + slug + ".test"},
		Info:           frontdesk.BusinessInfo{Description: "Photography in " + name + ".", Policies: map[string]string{"cancellation": "Free cancellation up to 48 hours before."}},
		CreatedAt:      now,
	}
	must(t, s.CreateTenant(ctx, tn))
	f := &Fixture{Tenant: tn, SecretKey: sk}
	mk := func(slug, name string, bt frontdesk.BookingType, price int64, dur, buf int, active bool) *frontdesk.Package {
		p := &frontdesk.Package{ID: frontdesk.NewID(), TenantID: tn.ID, Slug: slug, Name: name, Description: name + " by " + tn.Name,
			PriceCents: price, Currency: "usd", BookingType: bt, DurationMinutes: dur, BufferMinutes: buf, Active: active, CreatedAt: now}
		must(t, s.CreatePackage(ctx, p))
		return p
	}
	f.Wedding = mk("wedding", "Wedding Photography", frontdesk.BookingDate, 150000, 0, 0, true)
	f.Portrait = mk("portrait", "Portrait Session", frontdesk.BookingTimeslot, 25000, 60, 15, true)
	f.Free = mk("consult", "Free Consultation", frontdesk.BookingTimeslot, 0, 30, 0, true)
	f.Retired = mk("retired", "Retired Package", frontdesk.BookingTimeslot, 1000, 30, 0, false)
	for wd := time.Monday; wd <= time.Saturday; wd++ {
		must(t, s.CreateAvailabilityRule(ctx, &frontdesk.AvailabilityRule{ID: frontdesk.NewID(), TenantID: tn.ID, Weekday: wd, Start: 9 * 60, End: 17 * 60}))
	}
	must(t, s.CreateBlackoutDate(ctx, &frontdesk.BlackoutDate{ID: frontdesk.NewID(), TenantID: tn.ID, Date: frontdesk.Date{Year: 2026, Month: 12, Day: 25}, Reason: "Christmas"}))
	return f
}

// Customer creates a customer of the fixture's tenant.
func (f *Fixture) Customer(t testing.TB, s frontdesk.Store, email string) *frontdesk.Customer {
	t.Helper()
	c, err := s.FindOrCreateCustomer(context.Background(), &frontdesk.Customer{ID: frontdesk.NewID(), TenantID: f.Tenant.ID,
		Email: email, Name: "Customer " + email, CreatedAt: time.Now()})
	must(t, err)
	return c
}

// Booking builds (does not store) a PENDING booking of p for c. For a
// TIMESLOT package start is the slot start; for DATE the date of start is used.
func (f *Fixture) Booking(p *frontdesk.Package, c *frontdesk.Customer, start time.Time) *frontdesk.Booking {
	now := time.Now().UTC()
	b := &frontdesk.Booking{ID: frontdesk.NewID(), TenantID: f.Tenant.ID, CustomerID: c.ID, PackageID: p.ID,
		BookingType: p.BookingType, Date: frontdesk.DateOf(start.In(f.Tenant.Location())), Status: frontdesk.StatusPending,
		TotalPriceCents: p.PriceCents, Currency: p.Currency, ConfirmationCode: frontdesk.NewConfirmationCode(),
		Source: frontdesk.SourceChatbot, CreatedAt: now, UpdatedAt: now}
	if p.BookingType == frontdesk.BookingTimeslot {
		s := start.UTC()
		e := s.Add(time.Duration(p.DurationMinutes) * time.Minute)
		h := e.Add(time.Duration(p.BufferMinutes) * time.Minute)
		b.StartAt, b.EndAt, b.HoldUntil = &s, &e, &h
	}
	return b
}

func must(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// Clock is a clock that a test sets and moves by hand; it is safe for
// concurrent use and satisfies frontdesk.Clock.
type Clock struct {
	mu  sync.Mutex
	now time.Time
}

// NewClock returns a Clock standing at t.
func NewClock(t time.Time) *Clock { return &Clock{now: t} }

// Now returns the clock's time.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

// Advance moves the clock by d.
func (c *Clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// Set puts the clock at t.
func (c *Clock) Set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = t
}

// OpenRedis connects to TEST_REDIS_URL, closed when the test ends. It skips
// the test when the variable is unset (failing under CI=true).
func OpenRedis(t testing.TB) *redis.Client {
	t.Helper()
	url := ServiceURL(t, "TEST_REDIS_URL", "redis://127.0.0.1:6379")
	opt, err := redis.ParseURL(url)
	if err != nil {
		t.Fatalf("TEST_REDIS_URL: %v", err)
	}
	rdb := redis.NewClient(opt)
	t.Cleanup(func() { rdb.Close() })
	if err := rdb.Ping(context.Background()).Err(); err != nil {
		t.Fatalf("TEST_REDIS_URL: %v", err)
	}
	return rdb
}

// EachBackend runs fn in a parallel subtest for every backend of Backends.
func EachBackend(t *testing.T, fn func(t *testing.T, b Backend)) {
	t.Helper()
	for _, b := range Backends(t) {
		t.Run(b.Name, func(t *testing.T) {
			t.Parallel()
			fn(t, b)
		})
	}
}

// Count runs a query that counts rows on the store's database.
func Count(t testing.TB, db *sqlstore.DB, query string, args ...any) int {
	t.Helper()
	var n int
	if err := db.SQL().QueryRowContext(context.Background(), query, args...).Scan(&n); err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	return n
}

// LogBuffer collects log output written by concurrent goroutines.
type LogBuffer struct {
	mu  sync.Mutex
	buf strings.Builder
}

// Write appends p.
func (b *LogBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

// String returns everything written so far.
func (b *LogBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// DownRedis returns a client of a Redis that is not there, failing fast,
// for tests of what happens when Redis is down.
func DownRedis(t testing.TB) *redis.Client {
	rdb := redis.NewClient(&redis.Options{Addr: "127.0.0.1:1", DialTimeout: 50 * time.Millisecond, MaxRetries: -1})
	t.Cleanup(func() { rdb.Close() })
	return rdb
}
