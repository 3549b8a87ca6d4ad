package storetest

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/frontdeskhq/frontdesk"
)

// Person is a customer seeded with every kind of record a business can
// hold about someone, by SeedPerson.
type Person struct {
	Customer   *frontdesk.Customer
	Bookings   []*frontdesk.Booking
	Sessions   []string // chat sessions that hold their data
	ManageHash string   // the hash of a manage-page token of their first booking
	// Needles are the texts that must be gone after an erasure: name,
	// email (in the case it was typed and in lower case) and phone.
	Needles []string
}

// SeedPerson creates, in f's tenant, a customer named name with email and
// phone and: two bookings (one with notes naming them), a transcript and
// a manage token, a returning-customer token for the second booking
// carrying the first, a chat session linked to them and a guest session where
// they typed their email, a proposal, a rating with a comment, an
// escalation, and three outbox emails (one sent to them, one waiting, one
// about them to the owner).
func SeedPerson(t testing.TB, s frontdesk.Store, f *Fixture, name, email, phone string) *Person {
	t.Helper()
	ctx := context.Background()
	now := time.Date(2026, 11, 2, 10, 0, 0, 0, time.UTC)
	c, err := s.FindOrCreateCustomer(ctx, &frontdesk.Customer{ID: frontdesk.NewID(), TenantID: f.Tenant.ID,
		Email: email, Name: name, Phone: phone, CreatedAt: now})
	must(t, err)
	p := &Person{Customer: c, Needles: []string{name, email, strings.ToLower(email), phone}}
	b1 := f.Booking(f.Wedding, c, time.Date(2027, 3, 10+len(name)%10, 12, 0, 0, 0, time.UTC))
	b1.Notes = "Call " + name + " on " + phone
	must(t, s.CreateBooking(ctx, b1))
	b2 := f.Booking(f.Portrait, c, time.Date(2027, 4, 6, 9+2*(len(name)%4), 0, 0, 0, time.UTC))
	must(t, s.CreateBooking(ctx, b2))
	p.Bookings = []*frontdesk.Booking{b1, b2}
	must(t, s.SaveTranscript(ctx, f.Tenant.ID, b1.ID, "Customer: I am "+name+", "+email+"\nAssistant: Booked."))
	p.ManageHash = frontdesk.HashSecretKey("manage-" + c.ID)
	must(t, s.CreateManageToken(ctx, f.Tenant.ID, b1.ID, p.ManageHash, now))
	must(t, s.CreateCustomerToken(ctx, &frontdesk.CustomerToken{Hash: frontdesk.HashSecretKey("customer-" + c.ID), TenantID: f.Tenant.ID,
		CustomerID: c.ID, BookingID: b2.ID, Earlier: []string{b1.ID}, Name: name, Email: email, Phone: phone, CreatedAt: now}))

	linked := &frontdesk.ChatSession{ID: frontdesk.NewID() + frontdesk.NewID()[:6], TenantID: f.Tenant.ID, CustomerID: c.ID,
		State: json.RawMessage(`{"name":` + quote(name) + `}`), CreatedAt: now, UpdatedAt: now}
	guest := &frontdesk.ChatSession{ID: frontdesk.NewID() + frontdesk.NewID()[:6], TenantID: f.Tenant.ID, CreatedAt: now, UpdatedAt: now}
	var rated string
	for i, cs := range []*frontdesk.ChatSession{linked, guest} {
		must(t, s.CreateSession(ctx, cs))
		p.Sessions = append(p.Sessions, cs.ID)
		user := &frontdesk.ChatMessage{ID: frontdesk.NewID(), SessionID: cs.ID, TenantID: f.Tenant.ID, Role: frontdesk.RoleUser,
			Content: fmt.Sprintf("Hi, I'm %s, %s, phone %s (%d)", name, email, phone, i), CreatedAt: now}
		reply := &frontdesk.ChatMessage{ID: frontdesk.NewID(), SessionID: cs.ID, TenantID: f.Tenant.ID, Role: frontdesk.RoleAssistant,
			Content: "Welcome, " + name + "!", CreatedAt: now.Add(time.Second)}
		must(t, s.AppendMessage(ctx, user))
		must(t, s.AppendMessage(ctx, reply))
		rated = reply.ID
	}
	payload, _ := json.Marshal(map[string]string{"customerName": name, "customerEmail": email, "customerPhone": phone})
	must(t, s.CreateProposal(ctx, &frontdesk.Proposal{ID: frontdesk.NewID(), TenantID: f.Tenant.ID, SessionID: guest.ID,
		Operation: frontdesk.OpCreateBooking, Payload: payload, Preview: "Wedding for " + name, Status: frontdesk.ProposalPending,
		ExpiresAt: now.Add(time.Hour), CreatedAt: now}))
	must(t, s.SaveFeedback(ctx, &frontdesk.Feedback{ID: frontdesk.NewID(), TenantID: f.Tenant.ID, SessionID: guest.ID,
		Target: rated, Type: frontdesk.FeedbackThumbsUp, Comment: "Great, thanks - " + name, Message: "Welcome, " + name + "!",
		CreatedAt: now}))
	must(t, s.CreateEscalation(ctx, &frontdesk.Escalation{ID: frontdesk.NewID(), TenantID: f.Tenant.ID, SessionID: linked.ID,
		Reason: name + " wants a person", CustomerEmail: email, CustomerPhone: phone, Summary: "Customer: I am " + name,
		Status: frontdesk.EscalationPending, CreatedAt: now}))
	for i, m := range []frontdesk.Email{
		{From: "studio@example.com", To: email, Subject: "Your booking, " + name, HTML: "<p>Dear " + name + "</p>", Text: "Dear " + name},
		{From: "studio@example.com", To: email, Subject: "Reminder for " + name, HTML: "<p>" + phone + "</p>", Text: phone},
		{From: "studio@example.com", To: f.Tenant.ContactEmail, ReplyTo: email, Subject: "New booking from " + name,
			HTML: "<p>" + name + " " + email + "</p>", Text: name + " " + email + " " + phone},
	} {
		e := &frontdesk.OutboxEmail{ID: frontdesk.NewID(), TenantID: f.Tenant.ID, IdempotencyKey: "privacy:" + c.ID + ":" + fmt.Sprint(i),
			Kind: []string{"confirmation", "reminder", "owner_new_booking"}[i], Email: m, NextAttemptAt: now, CreatedAt: now.Add(time.Duration(i) * time.Second)}
		must(t, s.EnqueueEmail(ctx, e))
		if i != 1 {
			must(t, s.MarkEmailSent(ctx, e.ID, now.Add(time.Minute)))
		}
	}
	return p
}

func quote(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

// SQLDB is a store that shows its database, as sqlstore.DB does.
type SQLDB interface {
	SQL() *sql.DB
	Dialect() string
}

// TextLeft searches every text column of every table of db for each
// needle, in any case, and returns where it is found ("table.column:
// needle"); nothing when none is left anywhere.
func TextLeft(t testing.TB, db SQLDB, needles ...string) []string {
	t.Helper()
	ctx := context.Background()
	var listing string
	if db.Dialect() == "postgres" {
		listing = `SELECT table_name, column_name FROM information_schema.columns
			WHERE table_schema = current_schema() AND data_type IN ('text', 'character varying', 'json', 'jsonb')
			ORDER BY table_name, column_name`
	} else {
		listing = `SELECT m.name, p.name FROM sqlite_master m, pragma_table_info(m.name) p
			WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%' AND upper(p.type) = 'TEXT'
			ORDER BY m.name, p.name`
	}
	rows, err := db.SQL().QueryContext(ctx, listing)
	if err != nil {
		t.Fatalf("listing text columns: %v", err)
	}
	var cols [][2]string
	for rows.Next() {
		var table, col string
		if err := rows.Scan(&table, &col); err != nil {
			t.Fatal(err)
		}
		cols = append(cols, [2]string{table, col})
	}
	rows.Close()
	if len(cols) < 50 {
		t.Fatalf("only %d text columns found: the listing is wrong", len(cols))
	}
	var found []string
	for _, c := range cols {
		for _, n := range needles {
			var k int
			q := fmt.Sprintf(`SELECT count(*) FROM %s WHERE lower(CAST(%s AS text)) LIKE $1`, c[0], c[1])
			if err := db.SQL().QueryRowContext(ctx, q, "%"+strings.ToLower(n)+"%").Scan(&k); err != nil {
				t.Fatalf("%s: %v", q, err)
			}
			if k > 0 {
				found = append(found, c[0]+"."+c[1]+": "+n)
			}
		}
	}
	return found
}

// Privacy checks that a customer's data is found by the export queries (and
// only theirs, and only in their tenant), and erasing them leaves their
// name, email and phone nowhere in the database while their bookings stay.
func Privacy(t *testing.T, s frontdesk.Store) {
	a := NewFixture(t, s, "Privacy Studio", "Europe/London")
	b := NewFixture(t, s, "Other Studio", "Europe/London")
	p := SeedPerson(t, s, a, "Zebulon Quartermaine", "Zeb.Quartermaine@Example.org", "+1 555 0199 321")
	other := SeedPerson(t, s, a, "Olive Bystander", "olive.bystander@example.net", "+1 555 0100 777")
	tid, cid := a.Tenant.ID, p.Customer.ID

	bookings, err := s.CustomerBookings(ctx, tid, cid)
	must(t, err)
	sessions, err := s.CustomerSessions(ctx, tid, cid)
	must(t, err)
	messages, err := s.CustomerMessages(ctx, tid, cid)
	must(t, err)
	feedback, err := s.CustomerFeedback(ctx, tid, cid)
	must(t, err)
	escalations, err := s.CustomerEscalations(ctx, tid, cid)
	must(t, err)
	emails, err := s.CustomerEmails(ctx, tid, cid)
	must(t, err)
	if len(bookings) != 2 || len(sessions) != 2 || len(messages) != 4 || len(feedback) != 1 || len(escalations) != 1 || len(emails) != 2 {
		t.Fatalf("found %d bookings, %d sessions, %d messages, %d feedback, %d escalations, %d emails; want 2, 2, 4, 1, 1, 2",
			len(bookings), len(sessions), len(messages), len(feedback), len(escalations), len(emails))
	}
	for _, m := range messages {
		if m.SessionID != p.Sessions[0] && m.SessionID != p.Sessions[1] {
			t.Fatalf("message of another session %s", m.SessionID)
		}
	}
	for _, e := range emails {
		if !strings.EqualFold(e.Email.To, p.Customer.Email) {
			t.Fatalf("email to %s listed", e.Email.To)
		}
	}

	// Another tenant's key finds nothing and erases nothing.
	for name, call := range map[string]func() error{
		"CustomerBookings":    func() error { _, err := s.CustomerBookings(ctx, b.Tenant.ID, cid); return err },
		"CustomerSessions":    func() error { _, err := s.CustomerSessions(ctx, b.Tenant.ID, cid); return err },
		"CustomerMessages":    func() error { _, err := s.CustomerMessages(ctx, b.Tenant.ID, cid); return err },
		"CustomerFeedback":    func() error { _, err := s.CustomerFeedback(ctx, b.Tenant.ID, cid); return err },
		"CustomerEscalations": func() error { _, err := s.CustomerEscalations(ctx, b.Tenant.ID, cid); return err },
		"CustomerEmails":      func() error { _, err := s.CustomerEmails(ctx, b.Tenant.ID, cid); return err },
		"CustomerTokens":      func() error { _, err := s.CustomerTokens(ctx, b.Tenant.ID, cid); return err },
		"EraseCustomer":       func() error { return s.EraseCustomer(ctx, b.Tenant.ID, cid, time.Now()) },
	} {
		if err := call(); !frontdesk.IsCode(err, frontdesk.ENotFound) {
			t.Fatalf("%s with another tenant: %v, want not found", name, err)
		}
	}

	must(t, s.WithTx(ctx, func(tx frontdesk.Tx) error { return tx.EraseCustomer(ctx, tid, cid, time.Now()) }))
	if db, ok := s.(SQLDB); ok {
		if left := TextLeft(t, db, p.Needles...); len(left) > 0 {
			t.Fatalf("after erasure the person is still in:\n%s", strings.Join(left, "\n"))
		}
		if left := TextLeft(t, db, other.Needles...); len(left) == 0 {
			t.Fatal("the bystander was erased too")
		}
	}
	c, err := s.Customer(ctx, tid, cid)
	must(t, err)
	if c.Name != "Erased customer" || c.Email != "erased-"+cid+"@invalid" || c.Phone != "" {
		t.Fatalf("erased customer = %+v", c)
	}
	for _, bk := range p.Bookings {
		got, err := s.Booking(ctx, tid, bk.ID)
		must(t, err)
		if got.Customer.ID != cid || got.Customer.Name != "Erased customer" || got.TotalPriceCents != bk.TotalPriceCents {
			t.Fatalf("booking after erasure = %+v", got)
		}
		if text, err := s.Transcript(ctx, tid, bk.ID); err != nil || text != "" {
			t.Fatalf("transcript after erasure = %q, %v", text, err)
		}
	}
	if _, err := s.BookingByManageToken(ctx, p.ManageHash); !frontdesk.IsCode(err, frontdesk.ENotFound) {
		t.Fatalf("manage token after erasure: %v", err)
	}
	for _, id := range p.Sessions {
		if _, err := s.Session(ctx, tid, id); !frontdesk.IsCode(err, frontdesk.ENotFound) {
			t.Fatalf("session after erasure: %v", err)
		}
	}
	// The waiting email is never sent; the rows stay, blank.
	due, err := s.ClaimEmails(ctx, time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC), time.Minute, 100)
	must(t, err)
	for _, e := range due {
		if e.Email.To == "" || strings.Contains(e.IdempotencyKey, cid) {
			t.Fatalf("an erased customer's email is still due: %+v", e)
		}
	}
	// What is left of them is empty, and erasing again changes nothing.
	sessions, err = s.CustomerSessions(ctx, tid, cid)
	must(t, err)
	emails, err = s.CustomerEmails(ctx, tid, cid)
	must(t, err)
	if len(sessions) != 0 || len(emails) != 0 {
		t.Fatalf("after erasure: %d sessions, %d emails", len(sessions), len(emails))
	}
	must(t, s.EraseCustomer(ctx, tid, cid, time.Now()))
	again, err := s.Customer(ctx, tid, cid)
	must(t, err)
	if *again != *c {
		t.Fatalf("second erasure changed %+v into %+v", c, again)
	}
	// The bystander keeps everything.
	bookings, err = s.CustomerBookings(ctx, tid, other.Customer.ID)
	must(t, err)
	sessions, err = s.CustomerSessions(ctx, tid, other.Customer.ID)
	must(t, err)
	emails, err = s.CustomerEmails(ctx, tid, other.Customer.ID)
	must(t, err)
	if len(bookings) != 2 || len(sessions) != 2 || len(emails) != 2 {
		t.Fatalf("bystander after erasure: %d bookings, %d sessions, %d emails", len(bookings), len(sessions), len(emails))
	}
}
