package chat_test

import (
	"strings"
	"testing"
	"time"

	"github.com/frontdeskhq/frontdesk"
	"github.com/frontdeskhq/frontdesk/booking"
	"github.com/frontdeskhq/frontdesk/claude/claudetest"
	"github.com/frontdeskhq/frontdesk/sqlstore"
)

// bookAnn books Monday's wedding for Ann Lee through a chat of tenant a and
// returns the confirm result, which carries her customer token.
func (e *env) bookAnn(t *testing.T) *booking.Result {
	t.Helper()
	sid := e.session(t, e.a)
	p := e.propose(t, e.a, sid, frontdesk.BookServiceIn{PackageID: "wedding", Date: "2026-12-14",
		CustomerName: "Ann Lee", CustomerEmail: "ann@example.com", CustomerPhone: "+1 212 555 0100"})
	res, err := e.svc.Confirm(ctx, e.a.Tenant, sid, p.ID)
	if err != nil {
		t.Fatalf("Confirm: %v", err)
	}
	return res
}

func TestReturningCustomerIsRecognised(t *testing.T) {
	forEachBackend(t, func(t *testing.T, open func(testing.TB) *sqlstore.DB) {
		e := newEnv(t, open, opts{})
		res := e.bookAnn(t)
		token := res.CustomerToken
		if !strings.HasPrefix(token, "c_") || len(token) != 66 {
			t.Fatalf("the confirm result's customerToken is %q, want c_ and 64 hex digits", token)
		}
		// Confirming again gives the same result, token included.
		bookings := e.allBookings(t, e.a)
		if len(bookings) != 1 {
			t.Fatalf("%d bookings, want 1", len(bookings))
		}

		s, err := e.svc.StartSession(ctx, e.a.Tenant, "", token)
		if err != nil {
			t.Fatal(err)
		}
		if s.Customer == nil || s.Customer.Name != "Ann Lee" {
			t.Fatalf("a session with Ann's token knows %+v, want Ann Lee", s.Customer)
		}
		if !strings.Contains(s.Greeting, "Ann") || strings.Contains(s.Greeting, "Lee") {
			t.Errorf("greeting %q: want Ann's first name only", s.Greeting)
		}
		// Resuming the session keeps the link; the token is not needed again.
		again, err := e.svc.StartSession(ctx, e.a.Tenant, s.SessionID, "")
		if err != nil || again.Customer == nil || again.Customer.Name != "Ann Lee" {
			t.Fatalf("resumed session: %+v, %v", again, err)
		}

		// Tokens that must be ignored, each giving a normal session.
		unknown := "c_" + strings.Repeat("ab", 32)
		for name, tc := range map[string]struct {
			tenant *frontdesk.Tenant
			token  string
		}{
			"another tenant's": {e.b.Tenant, token},
			"wrong shape":      {e.a.Tenant, token[:20]},
			"unknown":          {e.a.Tenant, unknown},
			"a manage token":   {e.a.Tenant, "m_" + token[2:]},
			"empty":            {e.a.Tenant, ""},
		} {
			s, err := e.svc.StartSession(ctx, tc.tenant, "", tc.token)
			if err != nil {
				t.Fatalf("%s token: %v", name, err)
			}
			if s.Customer != nil || strings.Contains(s.Greeting, "Ann") {
				t.Errorf("%s token: session knows %+v, greeting %q; want a stranger", name, s.Customer, s.Greeting)
			}
		}

		// A year and a day later the token has expired.
		e.clock.Advance(booking.CustomerTokenTTL + 24*time.Hour)
		if s, err := e.svc.StartSession(ctx, e.a.Tenant, "", token); err != nil || s.Customer != nil {
			t.Errorf("an expired token: %+v, %v; want a stranger", s, err)
		}
	})
}

func TestErasedCustomersTokenIsIgnored(t *testing.T) {
	forEachBackend(t, func(t *testing.T, open func(testing.TB) *sqlstore.DB) {
		e := newEnv(t, open, opts{})
		res := e.bookAnn(t)
		b, err := e.store.Booking(ctx, e.a.Tenant.ID, res.BookingID)
		if err != nil {
			t.Fatal(err)
		}
		if err := e.store.EraseCustomer(ctx, e.a.Tenant.ID, b.CustomerID, e.clock.Now()); err != nil {
			t.Fatal(err)
		}
		s, err := e.svc.StartSession(ctx, e.a.Tenant, "", res.CustomerToken)
		if err != nil || s.Customer != nil {
			t.Fatalf("the erased customer's token: %+v, %v; want a stranger", s, err)
		}
	})
}

func TestReturningCustomerInTheModelsContext(t *testing.T) {
	e := sqliteEnv(t, opts{model: true})
	res := e.bookAnn(t)
	s, err := e.svc.StartSession(ctx, e.a.Tenant, "", res.CustomerToken)
	if err != nil {
		t.Fatal(err)
	}
	stranger := e.session(t, e.a)
	e.fake.Reply(claudetest.Text("Welcome back, Ann!"), claudetest.Text("Hello!"))
	e.send(t, e.a, s.SessionID, "hi, I'd like to book again")
	e.send(t, e.a, stranger, "hi")
	reqs := e.requests(t)
	if len(reqs) != 2 {
		t.Fatalf("%d model requests, want 2", len(reqs))
	}
	known := reqs[0].System
	for _, want := range []string{"Ann Lee", "ann@example.com", "+1 212 555 0100", res.ConfirmationCode, "Wedding Photography", "Monday 14 December 2026", "PENDING"} {
		if !strings.Contains(known, want) {
			t.Errorf("the returning customer's context lacks %q:\n%s", want, known)
		}
	}
	if other := reqs[1].System; strings.Contains(other, "Ann") || strings.Contains(other, "ann@example.com") {
		t.Errorf("a stranger's context names Ann:\n%s", other)
	}
}

// TestGuidedAssistantKnowsAReturningCustomer: without a model, a chat
// started with Ann's token books without asking her name or email.
func TestGuidedAssistantKnowsAReturningCustomer(t *testing.T) {
	forEachBackend(t, func(t *testing.T, open func(testing.TB) *sqlstore.DB) {
		e := newEnv(t, open, opts{})
		res := e.bookAnn(t)
		s, err := e.svc.StartSession(ctx, e.a.Tenant, "", res.CustomerToken)
		if err != nil {
			t.Fatal(err)
		}
		if len(s.Suggestions) == 0 {
			t.Errorf("a new chat offers no quick replies under its greeting %q", s.Greeting)
		}
		r := e.send(t, e.a, s.SessionID, "I'd like a wedding on Tuesday December 15")
		if r.Proposal == nil {
			t.Fatalf("the guided assistant answered %q without a proposal: it should know Ann's name and email", r.Message)
		}
		for _, want := range []string{"Ann Lee", "ann@example.com", "Tuesday 15 December 2026"} {
			if !strings.Contains(r.Proposal.Preview, want) {
				t.Errorf("proposal %q lacks %q", r.Proposal.Preview, want)
			}
		}
	})
}

// TestTokenShowsOnlyWhatItsHolderBooked: customers are found by an email
// nobody verifies, so someone booking with Ann's email gets a token for
// her customer row; it must show them only what they typed and booked,
// never Ann's name, phone or bookings.
func TestTokenShowsOnlyWhatItsHolderBooked(t *testing.T) {
	forEachBackend(t, func(t *testing.T, open func(testing.TB) *sqlstore.DB) {
		e := newEnv(t, open, opts{model: true})
		ann := e.bookAnn(t)
		sid := e.session(t, e.a)
		p := e.propose(t, e.a, sid, frontdesk.BookServiceIn{PackageID: "wedding", Date: "2026-12-16",
			CustomerName: "Mallory Moe", CustomerEmail: "ann@example.com"})
		mal, err := e.svc.Confirm(ctx, e.a.Tenant, sid, p.ID)
		if err != nil {
			t.Fatal(err)
		}
		s, err := e.svc.StartSession(ctx, e.a.Tenant, "", mal.CustomerToken)
		if err != nil {
			t.Fatal(err)
		}
		if s.Customer == nil || s.Customer.Name != "Mallory Moe" || strings.Contains(s.Greeting, "Ann") {
			t.Fatalf("the second booker's session knows %+v and greets %q: want Mallory, never Ann", s.Customer, s.Greeting)
		}
		e.fake.Reply(claudetest.Text("Hello again!"))
		e.send(t, e.a, s.SessionID, "hi")
		system := e.requests(t)[0].System
		for _, leak := range []string{"Ann Lee", "+1 212 555 0100", ann.ConfirmationCode} {
			if strings.Contains(system, leak) {
				t.Errorf("the model's context for the second booker carries %q:\n%s", leak, system)
			}
		}
		if !strings.Contains(system, mal.ConfirmationCode) || !strings.Contains(system, "Mallory Moe") {
			t.Errorf("the model's context lacks the second booker's own booking and name:\n%s", system)
		}
	})
}

// TestReturningCustomerHistory: a customer who books again in a chat their
// token linked gets a token that carries their earlier bookings too (the
// history made on that device, at most frontdesk.MaxEarlierBookings of
// them); someone else booking in that chat starts a history of their own.
func TestReturningCustomerHistory(t *testing.T) {
	forEachBackend(t, func(t *testing.T, open func(testing.TB) *sqlstore.DB) {
		e := newEnv(t, open, opts{model: true})
		res := e.bookAnn(t)
		codes := []string{res.ConfirmationCode}
		s, err := e.svc.StartSession(ctx, e.a.Tenant, "", res.CustomerToken)
		if err != nil {
			t.Fatal(err)
		}
		// Four more weddings in the linked chat, each confirm linking the
		// chat to the newest token.
		for _, day := range []string{"2026-12-15", "2026-12-16", "2026-12-17", "2026-12-18"} {
			p := e.propose(t, e.a, s.SessionID, frontdesk.BookServiceIn{PackageID: "wedding", Date: day,
				CustomerName: "Ann Lee", CustomerEmail: "ANN@example.com"})
			if res, err = e.svc.Confirm(ctx, e.a.Tenant, s.SessionID, p.ID); err != nil {
				t.Fatalf("Confirm %s: %v", day, err)
			}
			codes = append(codes, res.ConfirmationCode)
		}
		context := func(token string) string {
			t.Helper()
			s, err := e.svc.StartSession(ctx, e.a.Tenant, "", token)
			if err != nil {
				t.Fatal(err)
			}
			before := len(e.requests(t))
			e.fake.Reply(claudetest.Text("Welcome back!"))
			e.send(t, e.a, s.SessionID, "hi")
			return e.requests(t)[before].System
		}
		// The newest token shows the newest booking and the three before
		// it, newest first; the first booking has dropped off.
		system := context(res.CustomerToken)
		last := -1
		for i := len(codes) - 1; i >= 1; i-- {
			at := strings.Index(system, codes[i])
			if at < 0 || at < last {
				t.Fatalf("booking %d (%s) missing or out of order in the context:\n%s", i, codes[i], system)
			}
			last = at
		}
		if strings.Contains(system, codes[0]) {
			t.Errorf("the context carries more than %d earlier bookings:\n%s", frontdesk.MaxEarlierBookings, system)
		}

		// Bob books in a chat Ann's token linked: his token shows his
		// booking only.
		linked, err := e.svc.StartSession(ctx, e.a.Tenant, "", res.CustomerToken)
		if err != nil {
			t.Fatal(err)
		}
		p := e.propose(t, e.a, linked.SessionID, frontdesk.BookServiceIn{PackageID: "wedding", Date: "2026-12-21",
			CustomerName: "Bob Stone", CustomerEmail: "bob@example.com"})
		bob, err := e.svc.Confirm(ctx, e.a.Tenant, linked.SessionID, p.ID)
		if err != nil {
			t.Fatal(err)
		}
		system = context(bob.CustomerToken)
		if !strings.Contains(system, bob.ConfirmationCode) {
			t.Errorf("Bob's context lacks his booking:\n%s", system)
		}
		for _, c := range codes {
			if strings.Contains(system, c) {
				t.Errorf("Bob's context carries Ann's booking %s:\n%s", c, system)
			}
		}
	})
}
