package httpapi_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"reflect"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/frontdeskhq/frontdesk"
	"github.com/frontdeskhq/frontdesk/booking"
	"github.com/frontdeskhq/frontdesk/business"
	"github.com/frontdeskhq/frontdesk/chat"
	"github.com/frontdeskhq/frontdesk/httpapi"
	"github.com/frontdeskhq/frontdesk/payments/stripe"
	"github.com/frontdeskhq/frontdesk/payments/stripe/stripetest"
	"github.com/frontdeskhq/frontdesk/payments/testmode"
	"github.com/frontdeskhq/frontdesk/sqlstore"
	"github.com/frontdeskhq/frontdesk/storetest"
)

// testNow is Thursday 10 December 2026, 10:00 in New York: "today" for the
// guided assistant, and the instant the webhook signatures are checked at.
var testNow = time.Date(2026, 12, 10, 15, 0, 0, 0, time.UTC)

// webhookSecret signs the Stripe deliveries of the tests.
const webhookSecret = "whsec_httpapi_test_secret"

// harness is the whole server as cmd/frontdesk wires it without external
// providers: a real store, the booking service with the test-mode checkout,
// the chat service with the guided assistant, the dev mailbox, and the
// Stripe webhook, served over HTTP.
type harness struct {
	t        *testing.T
	store    *sqlstore.DB
	bookings *booking.Service
	chat     *chat.Service
	server   *httpapi.Server
	srv      *httptest.Server
	client   *http.Client // does not follow redirects
	logs     *storetest.LogBuffer
	clock    *storetest.Clock // stands at testNow unless a test moves it
	// a and b are two tenants: a in New York, b in Berlin.
	a, b *storetest.Fixture
}

// eachBackend runs fn on a fresh harness per store backend (SQLite, and
// PostgreSQL when TEST_DATABASE_URL is set).
func eachBackend(t *testing.T, fn func(t *testing.T, h *harness)) {
	t.Helper()
	storetest.EachBackend(t, func(t *testing.T, b storetest.Backend) { fn(t, newHarness(t, b)) })
}

func newHarness(t *testing.T, be storetest.Backend) *harness {
	t.Helper()
	store := be.Open(t)
	logs := &storetest.LogBuffer{}
	log := slog.New(slog.NewTextHandler(logs, nil))
	hand := storetest.NewClock(testNow)
	clock := frontdesk.ClockFunc(hand.Now)

	// The address is known before the server starts, so that checkout URLs
	// and email links point at it.
	srv := httptest.NewUnstartedServer(nil)
	base := "http://" + srv.Listener.Addr().String()

	bookings := &booking.Service{Store: store, Clock: clock, Payments: &testmode.Payments{PublicURL: base}, Log: log,
		PublicURL: base, MailFrom: "Frontdesk <bookings@frontdesk.test>", CheckoutTTL: time.Hour}
	chatSvc := &chat.Service{Store: store, Clock: clock, Bookings: bookings, Log: log}
	biz := &business.Service{Store: store, Clock: clock, PublicURL: base}
	server := &httpapi.Server{Store: store, Chat: chatSvc, Bookings: bookings, Business: biz, Clock: clock, Log: log,
		PublicURL: base, DevMailbox: true, TestCheckout: true,
		StripeWebhook: func(payload []byte, sig string, now time.Time) (frontdesk.PaymentEvent, error) {
			return stripe.ParseWebhook(payload, sig, webhookSecret, now)
		},
		IsBadSignature: func(err error) bool { return errors.Is(err, stripe.ErrBadSignature) },
	}
	srv.Config.Handler = server.Handler()
	srv.Start()
	t.Cleanup(srv.Close)

	h := &harness{t: t, store: store, bookings: bookings, chat: chatSvc, server: server, srv: srv, logs: logs, clock: hand,
		client: &http.Client{Transport: srv.Client().Transport, Timeout: 30 * time.Second,
			CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }},
		a: storetest.NewFixture(t, store, "Lumen Studio", "America/New_York"),
		b: storetest.NewFixture(t, store, "Other Studio", "Europe/Berlin"),
	}
	t.Cleanup(func() {
		if t.Failed() {
			lines := strings.Split(strings.TrimSpace(logs.String()), "\n")
			t.Logf("server log (last %d lines):\n%s", min(len(lines), 40), strings.Join(lines[max(0, len(lines)-40):], "\n"))
		}
	})
	return h
}

// response is a finished HTTP exchange.
type response struct {
	Status int
	Header http.Header
	Body   []byte
}

func (r response) String() string { return fmt.Sprintf("%d %s", r.Status, r.Body) }

// do sends a request. body is sent as is when it is a string or []byte and
// as JSON otherwise (nil: no body). headers are name, value pairs; a JSON
// body gets Content-Type application/json unless headers set one.
func (h *harness) do(t *testing.T, method, path string, body any, headers ...string) response {
	t.Helper()
	var rd io.Reader
	isJSON := false
	switch b := body.(type) {
	case nil:
	case string:
		rd = strings.NewReader(b)
	case []byte:
		rd = bytes.NewReader(b)
	default:
		raw, err := json.Marshal(b)
		if err != nil {
			t.Fatal(err)
		}
		rd, isJSON = bytes.NewReader(raw), true
	}
	url := path
	if strings.HasPrefix(path, "/") {
		url = h.srv.URL + path
	}
	req, err := http.NewRequestWithContext(context.Background(), method, url, rd)
	if err != nil {
		t.Fatal(err)
	}
	if isJSON {
		req.Header.Set("Content-Type", "application/json")
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	res, err := h.client.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	defer res.Body.Close()
	raw, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatalf("%s %s: read body: %v", method, path, err)
	}
	return response{Status: res.StatusCode, Header: res.Header, Body: raw}
}

// public calls the public chat API as tenant f's widget.
func (h *harness) public(t *testing.T, f *storetest.Fixture, method, path string, body any) response {
	t.Helper()
	return h.do(t, method, path, body, "X-Tenant-Key", f.Tenant.PublicKey)
}

// tenantAPI calls the tenant API with f's secret key.
func (h *harness) tenantAPI(t *testing.T, f *storetest.Fixture, path string) response {
	t.Helper()
	return h.do(t, http.MethodGet, path, nil, "Authorization", "Bearer "+f.SecretKey)
}

// owner sends a tenant API request with f's secret key; body as in do.
func (h *harness) owner(t *testing.T, f *storetest.Fixture, method, path string, body any) response {
	t.Helper()
	return h.do(t, method, path, body, "Authorization", "Bearer "+f.SecretKey)
}

// errBody is the documented error shape; decoding refuses any other field.
type errBody struct {
	Error     string                 `json:"error"`
	Message   string                 `json:"message"`
	Details   []frontdesk.FieldError `json:"details"`
	RequestID string                 `json:"requestId"`
}

// wantError checks that r is a JSON error with the status and code, a
// message, and the request id of the response header.
func wantError(t *testing.T, r response, status int, code string) errBody {
	t.Helper()
	if r.Status != status {
		t.Fatalf("status %d, want %d; body %s", r.Status, status, r.Body)
	}
	if ct := r.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		t.Fatalf("Content-Type %q, want JSON; body %s", ct, r.Body)
	}
	var e errBody
	dec := json.NewDecoder(bytes.NewReader(r.Body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&e); err != nil {
		t.Fatalf("error body %s: %v", r.Body, err)
	}
	if e.Error != code {
		t.Fatalf("error %q, want %q; body %s", e.Error, code, r.Body)
	}
	if strings.TrimSpace(e.Message) == "" {
		t.Fatalf("error without a message: %s", r.Body)
	}
	if e.RequestID == "" || e.RequestID != r.Header.Get("X-Request-Id") {
		t.Fatalf("requestId %q, X-Request-Id %q", e.RequestID, r.Header.Get("X-Request-Id"))
	}
	for _, d := range e.Details {
		if d.Field == "" || d.Message == "" {
			t.Fatalf("detail without field or message: %s", r.Body)
		}
	}
	return e
}

// detailFields returns the sorted fields named by an error's details.
func detailFields(e errBody) []string {
	out := []string{}
	for _, d := range e.Details {
		out = append(out, d.Field)
	}
	sort.Strings(out)
	return out
}

// decode reads a 200 JSON response into v.
func decode(t *testing.T, r response, v any) {
	t.Helper()
	if r.Status != http.StatusOK {
		t.Fatalf("status %d, want 200; body %s", r.Status, r.Body)
	}
	if ct := r.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		t.Fatalf("Content-Type %q, want JSON", ct)
	}
	if err := json.Unmarshal(r.Body, v); err != nil {
		t.Fatalf("body %s: %v", r.Body, err)
	}
}

// keys returns the sorted keys of a JSON object.
func keys(m map[string]any) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func wantKeys(t *testing.T, what string, m map[string]any, want ...string) {
	t.Helper()
	sort.Strings(want)
	if got := keys(m); !reflect.DeepEqual(got, want) {
		t.Fatalf("%s has keys %q, want %q", what, got, want)
	}
}

// wantKeysIn checks that m has every required key and no key outside
// required and optional.
func wantKeysIn(t *testing.T, what string, m map[string]any, required, optional []string) {
	t.Helper()
	allowed := map[string]bool{}
	for _, k := range append(append([]string{}, required...), optional...) {
		allowed[k] = true
	}
	for _, k := range required {
		if _, ok := m[k]; !ok {
			t.Fatalf("%s has no %q: keys %q", what, k, keys(m))
		}
	}
	for k := range m {
		if !allowed[k] {
			t.Fatalf("%s has the undocumented key %q", what, k)
		}
	}
}

// sessionOut is the body of POST /session.
type sessionOut struct {
	SessionID string         `json:"sessionId"`
	Greeting  string         `json:"greeting"`
	Messages  []chat.Message `json:"messages"`
	Customer  *struct {
		Name string `json:"name"`
	} `json:"customer"`
}

// replyOut is the body of POST /message.
type replyOut struct {
	SessionID string `json:"sessionId"`
	MessageID string `json:"messageId"`
	Message   string `json:"message"`
	Proposal  *struct {
		ProposalID       string    `json:"proposalId"`
		Operation        string    `json:"operation"`
		Preview          string    `json:"preview"`
		RequiresApproval bool      `json:"requiresApproval"`
		ExpiresAt        time.Time `json:"expiresAt"`
	} `json:"proposal"`
}

// newSession starts a chat session of tenant f over HTTP.
func (h *harness) newSession(t *testing.T, f *storetest.Fixture) string {
	t.Helper()
	var s sessionOut
	decode(t, h.public(t, f, http.MethodPost, "/v1/public/chat/session", map[string]any{}), &s)
	if !frontdesk.ValidID(s.SessionID) {
		t.Fatalf("sessionId %q is not an id", s.SessionID)
	}
	return s.SessionID
}

// say sends one chat message over HTTP.
func (h *harness) say(t *testing.T, f *storetest.Fixture, sessionID, msg string) replyOut {
	t.Helper()
	var r replyOut
	decode(t, h.public(t, f, http.MethodPost, "/v1/public/chat/message", map[string]string{"sessionId": sessionID, "message": msg}), &r)
	t.Logf("> %s\n< %s", msg, r.Message)
	return r
}

// propose chats with the guided assistant until it proposes a wedding on
// day (of December 2026) for the customer, and returns the session and the
// proposal id.
func (h *harness) propose(t *testing.T, f *storetest.Fixture, day int, name, email string) (sessionID, proposalID string) {
	t.Helper()
	sessionID = h.newSession(t, f)
	h.say(t, f, sessionID, "hi")
	r := h.say(t, f, sessionID, fmt.Sprintf("wedding on dec %d, my name is %s, %s, 555 123 4567", day, name, email))
	if r.Proposal == nil {
		r = h.say(t, f, sessionID, "skip")
	}
	if r.Proposal == nil {
		t.Fatalf("no proposal after the booking details; reply %q", r.Message)
	}
	p := r.Proposal
	if p.Operation != frontdesk.OpCreateBooking || !p.RequiresApproval || !frontdesk.ValidID(p.ProposalID) ||
		!p.ExpiresAt.Equal(testNow.Add(frontdesk.ProposalTTL)) || !strings.Contains(p.Preview, "Wedding Photography") {
		t.Fatalf("proposal %+v", p)
	}
	return sessionID, p.ProposalID
}

// proposeDirect makes a create_booking proposal in the session as the
// book_service tool does, for inputs the guided assistant would not produce.
func (h *harness) proposeDirect(t *testing.T, f *storetest.Fixture, sessionID string, in frontdesk.BookServiceIn, expires time.Time) string {
	t.Helper()
	// Propose dates the offer by the clock: stand the clock where an offer
	// expiring at expires is made, then put it back.
	h.clock.Set(expires.Add(-frontdesk.ProposalTTL))
	defer h.clock.Set(testNow)
	p, err := h.bookings.Propose(context.Background(), f.Tenant, sessionID, in)
	if err != nil {
		t.Fatal(err)
	}
	return p.ID
}

// confirmOut is the body of POST /confirm/{proposalId} for a booking.
type confirmOut struct {
	Success          bool   `json:"success"`
	Action           string `json:"action"`
	BookingID        string `json:"bookingId"`
	ConfirmationCode string `json:"confirmationCode"`
	Status           string `json:"status"`
	CheckoutURL      string `json:"checkoutUrl"`
	CustomerToken    string `json:"customerToken"`
	Message          string `json:"message"`
}

func (h *harness) confirm(t *testing.T, f *storetest.Fixture, sessionID, proposalID string) response {
	t.Helper()
	return h.public(t, f, http.MethodPost, "/v1/public/chat/confirm/"+proposalID, map[string]string{"sessionId": sessionID})
}

// bookWedding books a wedding on day of December 2026 through the chat and
// returns the confirm result.
func (h *harness) bookWedding(t *testing.T, f *storetest.Fixture, day int, name, email string) confirmOut {
	t.Helper()
	sid, pid := h.propose(t, f, day, name, email)
	var c confirmOut
	decode(t, h.confirm(t, f, sid, pid), &c)
	if !c.Success || c.Status != string(frontdesk.StatusPending) || !frontdesk.ValidID(c.BookingID) || c.CheckoutURL == "" {
		t.Fatalf("confirm result %+v", c)
	}
	return c
}

// booking reads a booking from the store.
func (h *harness) booking(t *testing.T, f *storetest.Fixture, id string) *frontdesk.Booking {
	t.Helper()
	b, err := h.store.Booking(context.Background(), f.Tenant.ID, id)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// emails returns the outbox emails of tenant f of one kind.
func (h *harness) emails(t *testing.T, f *storetest.Fixture, kind string) []*frontdesk.OutboxEmail {
	t.Helper()
	all, err := h.store.ListEmails(context.Background(), f.Tenant.ID)
	if err != nil {
		t.Fatal(err)
	}
	var out []*frontdesk.OutboxEmail
	for _, e := range all {
		if e.Kind == kind {
			out = append(out, e)
		}
	}
	return out
}

// storeBooking stores a booking of p for a new customer, on date (DATE) or
// at start (TIMESLOT), created at created.
func (h *harness) storeBooking(t *testing.T, f *storetest.Fixture, p *frontdesk.Package, email string, start time.Time,
	status frontdesk.BookingStatus, created time.Time, edit func(b *frontdesk.Booking)) *frontdesk.Booking {
	t.Helper()
	c := f.Customer(t, h.store, email)
	b := f.Booking(p, c, start)
	b.Status, b.CreatedAt, b.UpdatedAt = status, created, created
	if edit != nil {
		edit(b)
	}
	if err := h.store.CreateBooking(context.Background(), b); err != nil {
		t.Fatal(err)
	}
	return h.booking(t, f, b.ID)
}

// signed signs a Stripe event as Stripe would at the server's clock.
func signed(t *testing.T, event map[string]any) (payload []byte, header string) {
	t.Helper()
	return stripetest.SignedPayloadAt(t, webhookSecret, event, testNow)
}

// deliver signs event at the server's clock and delivers it.
func (h *harness) deliver(t *testing.T, event map[string]any) response {
	t.Helper()
	payload, sig := signed(t, event)
	return h.webhook(t, payload, sig)
}

// webhook delivers a payload with a Stripe-Signature header (none when sig is "").
func (h *harness) webhook(t *testing.T, payload []byte, sig string) response {
	t.Helper()
	hdr := []string{"Content-Type", "application/json"}
	if sig != "" {
		hdr = append(hdr, "Stripe-Signature", sig)
	}
	return h.do(t, http.MethodPost, "/v1/webhooks/stripe", payload, hdr...)
}
