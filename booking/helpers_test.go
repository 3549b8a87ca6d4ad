package booking_test

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/frontdeskhq/frontdesk"
	"github.com/frontdeskhq/frontdesk/booking"
	"github.com/frontdeskhq/frontdesk/payments/testmode"
	"github.com/frontdeskhq/frontdesk/sqlstore"
	"github.com/frontdeskhq/frontdesk/storetest"
)

// The tenant's zone is not UTC, so that local and UTC times differ.
const zone = "America/New_York"

const publicURL = "https://frontdesk.test"

// t0 is "now" at the start of every test: Tuesday 1 December 2026, 10:00 in
// New York (EST, UTC-5).
var t0 = time.Date(2026, 12, 1, 15, 0, 0, 0, time.UTC)

// Calendar days around t0 (the fixture opens Monday to Saturday 09:00-17:00
// and closes 2026-12-25).
const (
	monday    = "2026-12-07"
	tuesday   = "2026-12-08"
	sunday    = "2026-12-06"
	christmas = "2026-12-25"
	yesterday = "2026-11-30"
)

// openDays are open days after t0 (no Sundays, not 2026-12-25), handed
// out by env.nextDay.
var openDays = []string{"2026-12-07", "2026-12-08", "2026-12-09", "2026-12-10", "2026-12-11", "2026-12-12",
	"2026-12-14", "2026-12-15", "2026-12-16", "2026-12-17", "2026-12-18", "2026-12-19",
	"2026-12-21", "2026-12-22", "2026-12-23", "2026-12-24", "2026-12-26", "2026-12-28",
	"2026-12-29", "2026-12-30", "2026-12-31", "2027-01-02", "2027-01-04", "2027-01-05",
	"2027-01-06", "2027-01-07", "2027-01-08", "2027-01-09", "2027-01-11", "2027-01-12"}

var discard = slog.New(slog.NewTextHandler(io.Discard, nil))

// testClock is the shared hand-moved clock.
type testClock = storetest.Clock

// failingPayments is a payment provider that is down.
type failingPayments struct {
	mu    sync.Mutex
	calls int
}

func (p *failingPayments) CreateCheckout(ctx context.Context, req frontdesk.CheckoutRequest) (*frontdesk.Checkout, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.calls++
	return nil, errors.New("stripe: 503 service unavailable")
}

func (p *failingPayments) ExpireCheckout(ctx context.Context, t *frontdesk.Tenant, sessionID string) error {
	return errors.New("stripe: 503 service unavailable")
}

func (p *failingPayments) Refund(ctx context.Context, req frontdesk.RefundRequest) (*frontdesk.RefundResult, error) {
	return nil, errors.New("stripe: 503 service unavailable")
}

// env is one tenant on one real store with a booking service on a fixed
// clock. Subtests that share an env call sub and book days from nextDay, so
// they do not meet each other's bookings.
type env struct {
	t       *testing.T
	ctx     context.Context
	store   *sqlstore.DB
	fx      *storetest.Fixture
	clock   *testClock
	pay     *testmode.Payments
	svc     *booking.Service
	session string
	days    *int // next index into openDays
}

// sub returns e reporting to the subtest t.
// The copy has its own Service value, so a subtest may swap its Payments.
func (e *env) sub(t *testing.T) *env {
	c := *e
	c.t = t
	svc := *e.svc
	c.svc = &svc
	return &c
}

// nextDay returns an open day no other subtest of e has had.
func (e *env) nextDay() string {
	e.t.Helper()
	if *e.days >= len(openDays) {
		e.t.Fatal("out of open days: add more to openDays")
	}
	d := openDays[*e.days]
	*e.days++
	return d
}

// bookingsOn counts the tenant's bookings (of any status) on day.
func (e *env) bookingsOn(day string) int {
	e.t.Helper()
	d, err := frontdesk.ParseDate(day)
	if err != nil {
		e.t.Fatal(err)
	}
	return storetest.Count(e.t, e.store, `SELECT count(*) FROM bookings WHERE tenant_id = $1 AND date = $2`, e.fx.Tenant.ID, d)
}

func newEnv(t *testing.T, b storetest.Backend) *env {
	t.Helper()
	store := b.Open(t)
	fx := storetest.NewFixture(t, store, "Lumen Studio", zone)
	clk := storetest.NewClock(t0)
	pay := &testmode.Payments{PublicURL: publicURL}
	e := &env{t: t, ctx: context.Background(), store: store, fx: fx, clock: clk, pay: pay, days: new(int),
		svc: &booking.Service{Store: store, Clock: clk, Payments: pay, Log: discard, PublicURL: publicURL,
			MailFrom: "Frontdesk <bookings@frontdesk.test>"}}
	e.session = e.newSession()
	return e
}

func (e *env) newSession() string {
	e.t.Helper()
	s := &frontdesk.ChatSession{ID: frontdesk.NewID(), TenantID: e.fx.Tenant.ID, CreatedAt: e.clock.Now(), UpdatedAt: e.clock.Now()}
	if err := e.store.CreateSession(e.ctx, s); err != nil {
		e.t.Fatal(err)
	}
	return s.ID
}

// input is a valid book_service input for pkg (an id or slug).
func input(pkg, date, startTime string) frontdesk.BookServiceIn {
	return frontdesk.BookServiceIn{PackageID: pkg, Date: date, StartTime: startTime,
		CustomerName: "Ada Lovelace", CustomerEmail: "ada@example.com", CustomerPhone: "+1 555 0100"}
}

// propose prepares in and stores the proposal, as the book_service tool does.
func (e *env) propose(in frontdesk.BookServiceIn) *frontdesk.Proposal {
	e.t.Helper()
	p, err := e.svc.Propose(e.ctx, e.fx.Tenant, e.session, in)
	if err != nil {
		e.t.Fatalf("Propose(%+v): %v", in, err)
	}
	return p
}

func (e *env) confirm(p *frontdesk.Proposal) *booking.Result {
	e.t.Helper()
	res, err := e.svc.Confirm(e.ctx, e.fx.Tenant, e.session, p.ID)
	if err != nil {
		e.t.Fatalf("Confirm: %v", err)
	}
	return res
}

// book proposes and confirms in one go.
func (e *env) book(in frontdesk.BookServiceIn) *booking.Result {
	e.t.Helper()
	return e.confirm(e.propose(in))
}

func (e *env) booking(id string) *frontdesk.Booking {
	e.t.Helper()
	b, err := e.store.Booking(e.ctx, e.fx.Tenant.ID, id)
	if err != nil {
		e.t.Fatalf("Booking(%s): %v", id, err)
	}
	return b
}

func (e *env) emails() []*frontdesk.OutboxEmail {
	e.t.Helper()
	list, err := e.store.ListEmails(e.ctx, e.fx.Tenant.ID)
	if err != nil {
		e.t.Fatal(err)
	}
	return list
}

// emailsAbout returns the emails about one booking.
func (e *env) emailsAbout(bookingID string, kinds ...string) []*frontdesk.OutboxEmail {
	e.t.Helper()
	var out []*frontdesk.OutboxEmail
	for _, m := range e.emails() {
		if strings.HasSuffix(m.IdempotencyKey, ":"+bookingID) && (len(kinds) == 0 || slices.Contains(kinds, m.Kind)) {
			out = append(out, m)
		}
	}
	return out
}

// email returns the one email of kind about booking id, failing if absent.
func (e *env) email(kind, bookingID string) *frontdesk.OutboxEmail {
	e.t.Helper()
	key := booking.EmailKey(kind, bookingID)
	for _, m := range e.emails() {
		if m.IdempotencyKey == key {
			return m
		}
	}
	e.t.Fatalf("no %s email for booking %s", kind, bookingID)
	return nil
}

// mustDueBy fails unless m is due at or before at.
func mustDueBy(t *testing.T, m *frontdesk.OutboxEmail, at time.Time) {
	t.Helper()
	if m.NextAttemptAt.After(at) {
		t.Errorf("%s email due at %s, want due by %s", m.Kind, m.NextAttemptAt.Format(time.RFC3339), at.Format(time.RFC3339))
	}
}

// wantCode fails unless err carries code and a message containing want.
func wantCode(t *testing.T, err error, code, want string) {
	t.Helper()
	if err == nil {
		t.Fatalf("got no error, want %s", code)
	}
	if got := frontdesk.ErrorCode(err); got != code {
		t.Fatalf("error code %q (%v), want %q", got, err, code)
	}
	if msg := frontdesk.ErrorMessage(err); !strings.Contains(msg, want) {
		t.Errorf("message %q does not contain %q", msg, want)
	}
}
