package jobs_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/frontdeskhq/frontdesk"
	"github.com/frontdeskhq/frontdesk/sqlstore"
	"github.com/frontdeskhq/frontdesk/storetest"
)

// t0 is "now" at the start of every test.
var t0 = time.Date(2026, 12, 1, 15, 0, 0, 0, time.UTC)

var discard = slog.New(slog.NewTextHandler(io.Discard, nil))

// testClock is the shared hand-moved clock.
type testClock = storetest.Clock

func newClock() *testClock { return storetest.NewClock(t0) }

var errTemporary = errors.New("smtp: 451 4.3.0 try again later")

// fakeMailer records every Send by subject. fail decides the outcome of
// call n (1-based); nil fail means every call succeeds. onSend, when set,
// runs inside Send before the outcome is decided (a slow provider, a crash).
type fakeMailer struct {
	mu        sync.Mutex
	fail      func(n int) error
	onSend    func(n int, e frontdesk.Email)
	calls     int
	tried     map[string]int    // calls per subject
	delivered map[string]int    // successful calls per subject
	lastErr   map[string]string // the last error per subject
}

func newMailer(fail func(n int) error) *fakeMailer {
	return &fakeMailer{fail: fail, tried: map[string]int{}, delivered: map[string]int{}, lastErr: map[string]string{}}
}

// failFirst fails the first n calls with a temporary error.
func failFirst(n int) func(int) error {
	return func(call int) error {
		if call <= n {
			return fmt.Errorf("%w (call %d)", errTemporary, call)
		}
		return nil
	}
}

func (m *fakeMailer) Send(ctx context.Context, e frontdesk.Email) error {
	m.mu.Lock()
	m.calls++
	n := m.calls
	m.tried[e.Subject]++
	hook := m.onSend
	m.mu.Unlock()
	if hook != nil {
		hook(n, e) // unlocked: it may run another worker that uses this mailer
	}
	var err error
	if m.fail != nil {
		err = m.fail(n)
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if err != nil {
		m.lastErr[e.Subject] = err.Error()
		return err
	}
	m.delivered[e.Subject]++
	return nil
}

func (m *fakeMailer) snapshot() (calls int, tried, delivered map[string]int) {
	m.mu.Lock()
	defer m.mu.Unlock()
	tried, delivered = map[string]int{}, map[string]int{}
	for k, v := range m.tried {
		tried[k] = v
	}
	for k, v := range m.delivered {
		delivered[k] = v
	}
	return m.calls, tried, delivered
}

// reopenable opens a store and returns a function that opens the same
// database again as a new handle, as a restarted or second instance would:
// the same SQLite file, or the same PostgreSQL schema.
func reopenable(t *testing.T, b storetest.Backend) (*sqlstore.DB, func() *sqlstore.DB) {
	t.Helper()
	ctx := context.Background()
	var dsn string
	var first *sqlstore.DB
	switch b.Name {
	case "sqlite":
		dsn = filepath.Join(t.TempDir(), "frontdesk.db")
	default:
		first = b.Open(t) // a schema of its own, dropped at the end
		var schema string
		if err := first.SQL().QueryRowContext(ctx, `SELECT current_schema()`).Scan(&schema); err != nil {
			t.Fatal(err)
		}
		u, err := url.Parse(os.Getenv("TEST_DATABASE_URL"))
		if err != nil {
			t.Fatal(err)
		}
		q := u.Query()
		q.Set("search_path", schema+",public")
		u.RawQuery = q.Encode()
		dsn = u.String()
	}
	open := func() *sqlstore.DB {
		t.Helper()
		db, err := sqlstore.Open(ctx, dsn)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() }) // before the schema is dropped
		return db
	}
	if first == nil {
		first = open()
	}
	return first, open
}

// enqueue adds n emails due at t0 for tenant, with distinct subjects.
func enqueue(t *testing.T, s frontdesk.Store, tenantID string, n int) []*frontdesk.OutboxEmail {
	t.Helper()
	var out []*frontdesk.OutboxEmail
	for i := range n {
		id := frontdesk.NewID()
		e := &frontdesk.OutboxEmail{ID: id, TenantID: tenantID, IdempotencyKey: "test:" + id, Kind: frontdesk.EmailBookingReceived,
			Email: frontdesk.Email{From: "bookings@frontdesk.test", To: fmt.Sprintf("customer%d@example.com", i),
				Subject: fmt.Sprintf("Email %02d %s", i, id[:6]), Text: "Hello", HTML: "<p>Hello</p>"},
			NextAttemptAt: t0, CreatedAt: t0}
		if err := s.EnqueueEmail(context.Background(), e); err != nil {
			t.Fatal(err)
		}
		out = append(out, e)
	}
	return out
}

// reload reads emails back from the store.
func reload(t *testing.T, s frontdesk.Store, emails []*frontdesk.OutboxEmail) []*frontdesk.OutboxEmail {
	t.Helper()
	out := make([]*frontdesk.OutboxEmail, len(emails))
	for i, e := range emails {
		got, err := s.Email(context.Background(), e.ID)
		if err != nil {
			t.Fatal(err)
		}
		out[i] = got
	}
	return out
}

// wantDeliveredOnce fails unless every email was delivered exactly once
// (summed over the mailers) and is SENT.
func wantDeliveredOnce(t *testing.T, s frontdesk.Store, emails []*frontdesk.OutboxEmail, mailers ...*fakeMailer) {
	t.Helper()
	total := map[string]int{}
	for _, m := range mailers {
		_, _, d := m.snapshot()
		for k, v := range d {
			total[k] += v
		}
	}
	for _, e := range reload(t, s, emails) {
		if n := total[e.Email.Subject]; n != 1 {
			t.Errorf("%q delivered %d times, want once", e.Email.Subject, n)
		}
		if e.Status != frontdesk.EmailSent || e.SentAt == nil {
			t.Errorf("%q is %s (sent at %v), want SENT", e.Email.Subject, e.Status, e.SentAt)
		}
	}
	if len(total) != len(emails) {
		t.Errorf("%d distinct emails delivered, want %d", len(total), len(emails))
	}
}
