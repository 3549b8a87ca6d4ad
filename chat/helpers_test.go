package chat_test

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/frontdeskhq/frontdesk"
	"github.com/frontdeskhq/frontdesk/booking"
	"github.com/frontdeskhq/frontdesk/chat"
	"github.com/frontdeskhq/frontdesk/claude"
	"github.com/frontdeskhq/frontdesk/claude/claudetest"
	"github.com/frontdeskhq/frontdesk/payments/testmode"
	"github.com/frontdeskhq/frontdesk/sqlstore"
	"github.com/frontdeskhq/frontdesk/storetest"
)

// testNow is Thursday 10 December 2026, 10:00 in New York.
var testNow = time.Date(2026, 12, 10, 15, 0, 0, 0, time.UTC)

const testZone = "America/New_York"

var ctx = context.Background()

// testClock is the shared hand-moved clock.
type testClock = storetest.Clock

// opts configures newEnv.
type opts struct {
	model      bool          // talk to a claudetest fake through the claude adapter
	timeout    time.Duration // the adapter's Timeout (default 5s)
	maxRetries int           // the adapter's MaxRetries (0: its default)
	maxRounds  int           // chat.Service.MaxToolRounds (0: its default)
}

// env is a chat.Service on a real store with two tenants, a fixed clock,
// test-mode payments and, when asked, the real claude adapter talking to
// the fake Messages API.
type env struct {
	store    frontdesk.Store
	clock    *testClock
	a, b     *storetest.Fixture // two tenants, both in New York
	fake     *claudetest.Server // nil without a model
	bookings *booking.Service
	svc      *chat.Service
}

func newEnv(t testing.TB, open func(testing.TB) *sqlstore.DB, o opts) *env {
	t.Helper()
	store := open(t)
	clk := storetest.NewClock(testNow)
	clock := frontdesk.ClockFunc(clk.Now)
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	e := &env{
		store: store,
		clock: clk,
		a:     storetest.NewFixture(t, store, "Alpha Studio", testZone),
		b:     storetest.NewFixture(t, store, "Beta Studio", testZone),
	}
	e.bookings = &booking.Service{Store: store, Clock: clock, Payments: &testmode.Payments{PublicURL: "http://test"},
		Log: log, PublicURL: "http://test", MailFrom: "Frontdesk <bookings@frontdesk.test>"}
	e.svc = &chat.Service{Store: store, Clock: clock, Bookings: e.bookings, Log: log,
		Cost: claude.EstimateCostMicroCents, MaxToolRounds: o.maxRounds}
	if o.model {
		e.fake = claudetest.NewServer(t)
		timeout := o.timeout
		if timeout == 0 {
			timeout = 5 * time.Second
		}
		e.svc.LLM = claude.New(claude.Config{APIKey: "test", BaseURL: e.fake.URL, Timeout: timeout, MaxRetries: o.maxRetries})
	}
	return e
}

func sqliteEnv(t testing.TB, o opts) *env {
	t.Helper()
	return newEnv(t, storetest.OpenSQLite, o)
}

// forEachBackend runs fn on SQLite, and on PostgreSQL when TEST_DATABASE_URL
// is set; the backends run in parallel.
func forEachBackend(t *testing.T, fn func(t *testing.T, open func(testing.TB) *sqlstore.DB)) {
	t.Helper()
	storetest.EachBackend(t, func(t *testing.T, b storetest.Backend) { fn(t, b.Open) })
}

// session starts a new chat session of tenant f.
func (e *env) session(t testing.TB, f *storetest.Fixture) string {
	t.Helper()
	s, err := e.svc.StartSession(ctx, f.Tenant, "", "")
	if err != nil {
		t.Fatalf("StartSession: %v", err)
	}
	return s.SessionID
}

// send sends one customer message of tenant f's session.
func (e *env) send(t testing.TB, f *storetest.Fixture, sessionID, text string) *chat.Reply {
	t.Helper()
	r, err := e.svc.Send(ctx, f.Tenant, sessionID, text)
	if err != nil {
		t.Fatalf("Send(%q): %v", text, err)
	}
	if r.SessionID != sessionID || r.MessageID == "" {
		t.Fatalf("Send(%q) = session %q message %q, want session %q and a message id", text, r.SessionID, r.MessageID, sessionID)
	}
	return r
}

// propose makes a create_booking proposal in a session the way book_service
// does: booking.Service.Prepare, then the store.
func (e *env) propose(t testing.TB, f *storetest.Fixture, sessionID string, in frontdesk.BookServiceIn) *frontdesk.Proposal {
	t.Helper()
	p, err := e.bookings.Propose(ctx, f.Tenant, sessionID, in)
	if err != nil {
		t.Fatalf("Propose(%+v): %v", in, err)
	}
	return p
}

// bookings returns every booking of tenant f.
func (e *env) allBookings(t testing.TB, f *storetest.Fixture) []*frontdesk.Booking {
	t.Helper()
	page, err := e.store.ListBookings(ctx, f.Tenant.ID, frontdesk.BookingFilter{Limit: 100})
	if err != nil {
		t.Fatalf("ListBookings: %v", err)
	}
	return page.Bookings
}

// emails returns tenant f's outbox.
func (e *env) emails(t testing.TB, f *storetest.Fixture) []*frontdesk.OutboxEmail {
	t.Helper()
	out, err := e.store.ListEmails(ctx, f.Tenant.ID)
	if err != nil {
		t.Fatalf("ListEmails: %v", err)
	}
	return out
}

// requests returns the fake's requests, failing on any it rejected.
func (e *env) requests(t testing.TB) []claudetest.Request {
	t.Helper()
	reqs := e.fake.Requests()
	for i, r := range reqs {
		if r.Rejected != "" {
			t.Fatalf("request %d was rejected: %s", i+1, r.Rejected)
		}
	}
	return reqs
}

// toolResult returns the only tool_result of req's last message.
func toolResult(t testing.TB, req claudetest.Request) claudetest.Block {
	t.Helper()
	res := req.ToolResults()
	if len(res) != 1 {
		t.Fatalf("last message has %d tool_result blocks, want 1: %+v", len(res), req.LastMessage())
	}
	return res[0]
}

// toolUseIDs returns the ids of the tool_use blocks of the message before
// req's last one (the assistant turn the tool results answer).
func toolUseIDs(req claudetest.Request) []string {
	if len(req.Messages) < 2 {
		return nil
	}
	var ids []string
	for _, b := range req.Messages[len(req.Messages)-2].Content {
		if b.Type == "tool_use" {
			ids = append(ids, b.ID)
		}
	}
	return ids
}

// decodeResult decodes a tool_result's JSON content into v.
func decodeResult(t testing.TB, b claudetest.Block, v any) {
	t.Helper()
	if err := json.Unmarshal([]byte(b.ContentText()), v); err != nil {
		t.Fatalf("tool_result content %q is not the expected JSON: %v", b.ContentText(), err)
	}
}

// wantCode fails unless err carries code.
func wantCode(t testing.TB, err error, code string) {
	t.Helper()
	if !frontdesk.IsCode(err, code) {
		t.Fatalf("error %v (code %s), want code %s", err, frontdesk.ErrorCode(err), code)
	}
}

func wantContains(t testing.TB, what, s string, parts ...string) {
	t.Helper()
	for _, p := range parts {
		if !strings.Contains(s, p) {
			t.Fatalf("%s %q does not contain %q", what, s, p)
		}
	}
}

func must(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
