package storetest

import (
	"context"
	"encoding/json"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/frontdeskhq/frontdesk"
)

// Run runs the store contract suite against stores made by open, one fresh
// store per subtest.
func Run(t *testing.T, open func(t testing.TB) frontdesk.Store) {
	tests := []struct {
		name string
		fn   func(t *testing.T, s frontdesk.Store)
	}{
		{"Tenants", testTenants},
		{"Catalog", testCatalog},
		{"Customers", testCustomers},
		{"Bookings", testBookings},
		{"BookingPagination", testBookingPagination},
		{"DateDoubleBooking", testDateDoubleBooking},
		{"TimeslotOverlap", testTimeslotOverlap},
		{"RaceDate", func(t *testing.T, s frontdesk.Store) { testRace(t, s, false) }},
		{"RaceTimeslot", func(t *testing.T, s frontdesk.Store) { testRace(t, s, true) }},
		{"TxRollback", testTxRollback},
		{"CodeCollisionRetried", testCodeCollisionRetried},
		{"Chat", testChat},
		{"Proposals", testProposals},
		{"FeedbackAndEscalations", testFeedbackAndEscalations},
		{"Analytics", testAnalytics},
		{"Outbox", testOutbox},
		{"WebhookEvents", testWebhookEvents},
		{"Jobs", testJobs},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) { tc.fn(t, open(t)) })
	}
}

var ctx = context.Background()

func wantCode(t *testing.T, err error, code string) {
	t.Helper()
	if !frontdesk.IsCode(err, code) {
		t.Fatalf("got error %v, want code %s", err, code)
	}
}

func testTenants(t *testing.T, s frontdesk.Store) {
	f := NewFixture(t, s, "Alpha Studio", "Europe/Berlin")
	got, err := s.TenantByPublicKey(ctx, f.Tenant.PublicKey)
	must(t, err)
	if got.ID != f.Tenant.ID || got.Name != "Alpha Studio" || got.TimeZone != "Europe/Berlin" ||
		len(got.AllowedOrigins) != 1 || got.Info.Policies["cancellation"] == "" || !got.CreatedAt.Equal(f.Tenant.CreatedAt) {
		t.Fatalf("TenantByPublicKey = %+v", got)
	}
	got, err = s.TenantBySecretKeyHash(ctx, frontdesk.HashSecretKey(f.SecretKey))
	must(t, err)
	if got.ID != f.Tenant.ID {
		t.Fatalf("TenantBySecretKeyHash = %s", got.ID)
	}
	if got.SecretKeyHash == f.SecretKey {
		t.Fatal("secret key stored in clear")
	}
	_, err = s.TenantBySecretKeyHash(ctx, f.SecretKey)
	wantCode(t, err, frontdesk.ENotFound)
	_, err = s.TenantByPublicKey(ctx, "pk_nope")
	wantCode(t, err, frontdesk.ENotFound)
	got, err = s.TenantBySlug(ctx, "alpha-studio")
	must(t, err)
	if got.ID != f.Tenant.ID {
		t.Fatal("TenantBySlug")
	}
	dup := *f.Tenant
	dup.ID = frontdesk.NewID()
	wantCode(t, s.CreateTenant(ctx, &dup), frontdesk.EConflict)
}

func testCatalog(t *testing.T, s frontdesk.Store) {
	a := NewFixture(t, s, "Alpha", "UTC")
	b := NewFixture(t, s, "Beta", "UTC")
	p, err := s.Package(ctx, a.Tenant.ID, "portrait")
	must(t, err)
	if p.ID != a.Portrait.ID || p.DurationMinutes != 60 || p.BufferMinutes != 15 || p.BookingType != frontdesk.BookingTimeslot || !p.Active {
		t.Fatalf("Package by slug = %+v", p)
	}
	p, err = s.Package(ctx, a.Tenant.ID, a.Wedding.ID)
	must(t, err)
	if p.Slug != "wedding" || p.PriceCents != 150000 {
		t.Fatalf("Package by id = %+v", p)
	}
	_, err = s.Package(ctx, a.Tenant.ID, b.Wedding.ID)
	wantCode(t, err, frontdesk.ENotFound)
	active, err := s.ListPackages(ctx, a.Tenant.ID, true)
	must(t, err)
	all, err := s.ListPackages(ctx, a.Tenant.ID, false)
	must(t, err)
	if len(active) != 3 || len(all) != 4 {
		t.Fatalf("ListPackages active=%d all=%d, want 3 and 4", len(active), len(all))
	}
	for _, p := range all {
		if p.TenantID != a.Tenant.ID {
			t.Fatal("ListPackages leaked another tenant's package")
		}
	}
	rules, err := s.ListAvailabilityRules(ctx, a.Tenant.ID)
	must(t, err)
	if len(rules) != 6 || rules[0].Weekday != time.Monday || rules[0].Start != 540 || rules[0].End != 1020 {
		t.Fatalf("rules = %+v", rules)
	}
	bl, err := s.ListBlackoutDates(ctx, a.Tenant.ID, frontdesk.Date{Year: 2026, Month: 12, Day: 1}, frontdesk.Date{Year: 2026, Month: 12, Day: 31})
	must(t, err)
	if len(bl) != 1 || bl[0].Date.String() != "2026-12-25" {
		t.Fatalf("blackouts = %+v", bl)
	}
	bl, err = s.ListBlackoutDates(ctx, a.Tenant.ID, frontdesk.Date{Year: 2026, Month: 12, Day: 26}, frontdesk.Date{Year: 2026, Month: 12, Day: 31})
	must(t, err)
	if len(bl) != 0 {
		t.Fatalf("blackouts outside range = %+v", bl)
	}
	dup := *a.Portrait
	dup.ID = frontdesk.NewID()
	wantCode(t, s.CreatePackage(ctx, &dup), frontdesk.EConflict)
}

func testCustomers(t *testing.T, s frontdesk.Store) {
	a := NewFixture(t, s, "Alpha", "UTC")
	b := NewFixture(t, s, "Beta", "UTC")
	c1, err := s.FindOrCreateCustomer(ctx, &frontdesk.Customer{ID: frontdesk.NewID(), TenantID: a.Tenant.ID, Email: "Ann@Example.com", Name: "Ann", CreatedAt: time.Now()})
	must(t, err)
	c2, err := s.FindOrCreateCustomer(ctx, &frontdesk.Customer{ID: frontdesk.NewID(), TenantID: a.Tenant.ID, Email: "ann@example.COM", Name: "Other", Phone: "+1 555 0100", CreatedAt: time.Now()})
	must(t, err)
	if c1.ID != c2.ID || c2.Name != "Ann" || c2.Email != "Ann@Example.com" || c2.Phone != "+1 555 0100" {
		t.Fatalf("same email made %+v and %+v", c1, c2)
	}
	c3, err := s.FindOrCreateCustomer(ctx, &frontdesk.Customer{ID: frontdesk.NewID(), TenantID: b.Tenant.ID, Email: "ann@example.com", Name: "Ann B", CreatedAt: time.Now()})
	must(t, err)
	if c3.ID == c1.ID || c3.TenantID != b.Tenant.ID {
		t.Fatal("customers are not tenant-scoped")
	}
}

func testBookings(t *testing.T, s frontdesk.Store) {
	a := NewFixture(t, s, "Alpha", "America/New_York")
	b := NewFixture(t, s, "Beta", "UTC")
	c := a.Customer(t, s, "ann@example.com")
	start := time.Date(2026, 12, 15, 15, 0, 0, 0, time.UTC)
	bk := a.Booking(a.Portrait, c, start)
	bk.Notes = "<b>bring dog</b>"
	must(t, s.CreateBooking(ctx, bk))
	got, err := s.Booking(ctx, a.Tenant.ID, bk.ID)
	must(t, err)
	if got.ConfirmationCode != bk.ConfirmationCode || got.Status != frontdesk.StatusPending || got.PackageName != "Portrait Session" ||
		got.Customer.Email != "ann@example.com" || got.StartAt == nil || !got.StartAt.Equal(start) ||
		!got.HoldUntil.Equal(start.Add(75*time.Minute)) || got.Date.String() != "2026-12-15" || got.Notes != "<b>bring dog</b>" || got.PaidAt != nil {
		t.Fatalf("Booking = %+v", got)
	}
	_, err = s.Booking(ctx, b.Tenant.ID, bk.ID)
	wantCode(t, err, frontdesk.ENotFound)
	_, err = s.BookingByCode(ctx, b.Tenant.ID, bk.ConfirmationCode)
	wantCode(t, err, frontdesk.ENotFound)
	got, err = s.BookingByCode(ctx, a.Tenant.ID, bk.ConfirmationCode)
	must(t, err)
	if got.ID != bk.ID {
		t.Fatal("BookingByCode")
	}
	paid := time.Date(2026, 12, 1, 10, 0, 0, 123000, time.UTC)
	got.Status, got.PaidAt, got.PaymentIntentID, got.CheckoutSessionID = frontdesk.StatusConfirmed, &paid, "pi_1", "cs_1"
	got.UpdatedAt = paid
	must(t, s.UpdateBooking(ctx, got))
	got, err = s.BookingByCheckoutSession(ctx, "cs_1")
	must(t, err)
	if got.Status != frontdesk.StatusConfirmed || got.PaidAt == nil || !got.PaidAt.Equal(paid) || got.PaymentIntentID != "pi_1" {
		t.Fatalf("after update = %+v", got)
	}
	other := *got
	other.TenantID = b.Tenant.ID
	wantCode(t, s.UpdateBooking(ctx, &other), frontdesk.ENotFound)
	live, err := s.LiveBookings(ctx, a.Tenant.ID, frontdesk.Date{Year: 2026, Month: 12, Day: 15}, frontdesk.Date{Year: 2026, Month: 12, Day: 15})
	must(t, err)
	if len(live) != 1 {
		t.Fatalf("LiveBookings = %d", len(live))
	}
	live, err = s.LiveBookings(ctx, b.Tenant.ID, frontdesk.Date{Year: 2026, Month: 12, Day: 1}, frontdesk.Date{Year: 2026, Month: 12, Day: 31})
	must(t, err)
	if len(live) != 0 {
		t.Fatal("LiveBookings leaked another tenant's booking")
	}
	dup := a.Booking(a.Free, c, start.Add(48*time.Hour))
	dup.ConfirmationCode = bk.ConfirmationCode
	wantCode(t, s.CreateBooking(ctx, dup), frontdesk.EConflict)
}

func testBookingPagination(t *testing.T, s frontdesk.Store) {
	a := NewFixture(t, s, "Alpha", "UTC")
	b := NewFixture(t, s, "Beta", "UTC")
	c := a.Customer(t, s, "ann@example.com")
	base := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
	ids := map[string]bool{}
	for i := 0; i < 7; i++ {
		bk := a.Booking(a.Free, c, base.Add(time.Duration(i)*24*time.Hour))
		bk.CreatedAt = base.Add(time.Duration(i%3) * time.Second) // ties on created_at
		if i == 6 {
			bk.Status = frontdesk.StatusCanceled
		}
		must(t, s.CreateBooking(ctx, bk))
		ids[bk.ID] = true
	}
	bc := b.Customer(t, s, "bob@example.com")
	must(t, s.CreateBooking(ctx, b.Booking(b.Free, bc, base)))
	seen := map[string]bool{}
	cursor := ""
	for pages := 0; ; pages++ {
		if pages > 5 {
			t.Fatal("pagination does not end")
		}
		page, err := s.ListBookings(ctx, a.Tenant.ID, frontdesk.BookingFilter{Limit: 3, Cursor: cursor})
		must(t, err)
		for _, bk := range page.Bookings {
			if seen[bk.ID] || !ids[bk.ID] {
				t.Fatalf("page has %s twice or from elsewhere", bk.ID)
			}
			seen[bk.ID] = true
		}
		if page.NextCursor == "" {
			break
		}
		cursor = page.NextCursor
	}
	if len(seen) != 7 {
		t.Fatalf("paged through %d bookings, want 7", len(seen))
	}
	page, err := s.ListBookings(ctx, a.Tenant.ID, frontdesk.BookingFilter{Status: frontdesk.StatusCanceled})
	must(t, err)
	if len(page.Bookings) != 1 || page.Bookings[0].Status != frontdesk.StatusCanceled {
		t.Fatalf("status filter returned %d bookings (%v), want the one CANCELED", len(page.Bookings), page.Bookings)
	}
	from, to := frontdesk.Date{Year: 2026, Month: 12, Day: 2}, frontdesk.Date{Year: 2026, Month: 12, Day: 4}
	page, err = s.ListBookings(ctx, a.Tenant.ID, frontdesk.BookingFilter{From: &from, To: &to})
	must(t, err)
	if len(page.Bookings) != 3 {
		t.Fatalf("date filter: %d, want 3", len(page.Bookings))
	}
	_, err = s.ListBookings(ctx, a.Tenant.ID, frontdesk.BookingFilter{Cursor: "garbage!"})
	wantCode(t, err, frontdesk.EInvalid)
}

func testDateDoubleBooking(t *testing.T, s frontdesk.Store) {
	a := NewFixture(t, s, "Alpha", "UTC")
	b := NewFixture(t, s, "Beta", "UTC")
	c := a.Customer(t, s, "ann@example.com")
	day := time.Date(2026, 12, 19, 0, 0, 0, 0, time.UTC)
	first := a.Booking(a.Wedding, c, day)
	must(t, s.CreateBooking(ctx, first))
	wantCode(t, s.CreateBooking(ctx, a.Booking(a.Wedding, c, day)), frontdesk.ESlotUnavailable)
	must(t, s.CreateBooking(ctx, b.Booking(b.Wedding, b.Customer(t, s, "x@example.com"), day)))
	first.Status = frontdesk.StatusExpired
	must(t, s.UpdateBooking(ctx, first))
	must(t, s.CreateBooking(ctx, a.Booking(a.Wedding, c, day)))
	first.Status = frontdesk.StatusPending
	wantCode(t, s.UpdateBooking(ctx, first), frontdesk.ESlotUnavailable)
}

func testTimeslotOverlap(t *testing.T, s frontdesk.Store) {
	a := NewFixture(t, s, "Alpha", "UTC")
	b := NewFixture(t, s, "Beta", "UTC")
	c := a.Customer(t, s, "ann@example.com")
	start := time.Date(2026, 12, 15, 10, 0, 0, 0, time.UTC)
	first := a.Booking(a.Portrait, c, start) // holds 10:00-11:15
	must(t, s.CreateBooking(ctx, first))
	cases := []struct {
		name string
		p    *frontdesk.Package
		at   time.Time
		want string
	}{
		{"same start", a.Portrait, start, frontdesk.ESlotUnavailable},
		{"inside", a.Free, start.Add(30 * time.Minute), frontdesk.ESlotUnavailable},
		{"in buffer", a.Free, start.Add(65 * time.Minute), frontdesk.ESlotUnavailable},
		{"ends in it", a.Portrait, start.Add(-30 * time.Minute), frontdesk.ESlotUnavailable},
		{"adjacent after buffer", a.Free, start.Add(75 * time.Minute), ""},
		{"adjacent before", a.Free, start.Add(-30 * time.Minute), ""},
	}
	for _, tc := range cases {
		err := s.CreateBooking(ctx, a.Booking(tc.p, c, tc.at))
		if tc.want == "" && err != nil {
			t.Errorf("%s: %v", tc.name, err)
		}
		if tc.want != "" && !frontdesk.IsCode(err, tc.want) {
			t.Errorf("%s: got %v, want %s", tc.name, err, tc.want)
		}
	}
	must(t, s.CreateBooking(ctx, b.Booking(b.Portrait, b.Customer(t, s, "x@example.com"), start)))
	first.Status = frontdesk.StatusCanceled
	must(t, s.UpdateBooking(ctx, first))
	second := a.Booking(a.Portrait, c, start)
	must(t, s.CreateBooking(ctx, second))
	first.Status = frontdesk.StatusConfirmed
	wantCode(t, s.UpdateBooking(ctx, first), frontdesk.ESlotUnavailable)
}

// testRace: 200 goroutines race for one slot; the database lets exactly one win.
func testRace(t *testing.T, s frontdesk.Store, timeslot bool) {
	a := NewFixture(t, s, "Alpha", "UTC")
	c := a.Customer(t, s, "ann@example.com")
	p := a.Wedding
	if timeslot {
		p = a.Portrait
	}
	start := time.Date(2026, 12, 16, 10, 0, 0, 0, time.UTC)
	const n = 200
	var wins, refused atomic.Int32
	var wg sync.WaitGroup
	errs := make(chan error, n)
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			// Stagger slot starts for timeslots so that most overlap only partly.
			at := start
			if timeslot {
				at = start.Add(time.Duration(i%5) * 10 * time.Minute)
			}
			err := s.WithTx(ctx, func(tx frontdesk.Tx) error { return tx.CreateBooking(ctx, a.Booking(p, c, at)) })
			switch {
			case err == nil:
				wins.Add(1)
			case frontdesk.IsCode(err, frontdesk.ESlotUnavailable):
				refused.Add(1)
			default:
				errs <- err
			}
		}(i)
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Errorf("unexpected error: %v", err)
	}
	if wins.Load() != 1 || refused.Load() != n-1 {
		t.Fatalf("wins=%d refused=%d, want 1 and %d", wins.Load(), refused.Load(), n-1)
	}
	live, err := s.LiveBookings(ctx, a.Tenant.ID, frontdesk.DateOf(start), frontdesk.DateOf(start))
	must(t, err)
	if len(live) != 1 {
		t.Fatalf("%d live bookings, want 1", len(live))
	}
}

func testTxRollback(t *testing.T, s frontdesk.Store) {
	a := NewFixture(t, s, "Alpha", "UTC")
	c := a.Customer(t, s, "ann@example.com")
	bk := a.Booking(a.Portrait, c, time.Date(2026, 12, 15, 10, 0, 0, 0, time.UTC))
	boom := fmt.Errorf("boom")
	err := s.WithTx(ctx, func(tx frontdesk.Tx) error {
		must(t, tx.CreateBooking(ctx, bk))
		return boom
	})
	if err != boom {
		t.Fatalf("WithTx = %v", err)
	}
	_, err = s.Booking(ctx, a.Tenant.ID, bk.ID)
	wantCode(t, err, frontdesk.ENotFound)
}

func testChat(t *testing.T, s frontdesk.Store) {
	a := NewFixture(t, s, "Alpha", "UTC")
	b := NewFixture(t, s, "Beta", "UTC")
	now := time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)
	cs := &frontdesk.ChatSession{ID: frontdesk.NewID(), TenantID: a.Tenant.ID, CreatedAt: now, UpdatedAt: now}
	must(t, s.CreateSession(ctx, cs))
	_, err := s.Session(ctx, b.Tenant.ID, cs.ID)
	wantCode(t, err, frontdesk.ENotFound)
	for i := 0; i < 5; i++ {
		must(t, s.AppendMessage(ctx, &frontdesk.ChatMessage{ID: frontdesk.NewID(), SessionID: cs.ID, TenantID: a.Tenant.ID,
			Role: frontdesk.RoleUser, Content: fmt.Sprint("m", i), CreatedAt: now, ToolCalls: json.RawMessage(`[{"x":1}]`)}))
	}
	msgs, err := s.RecentMessages(ctx, a.Tenant.ID, cs.ID, 3)
	must(t, err)
	if len(msgs) != 3 || msgs[0].Content != "m2" || msgs[2].Content != "m4" || string(msgs[0].ToolCalls) != `[{"x":1}]` {
		t.Fatalf("RecentMessages = %v", msgs)
	}
	msgs, err = s.RecentMessages(ctx, b.Tenant.ID, cs.ID, 10)
	must(t, err)
	if len(msgs) != 0 {
		t.Fatal("RecentMessages leaked across tenants")
	}
	// Messages appended at once all land, each with its own place.
	var wg sync.WaitGroup
	for i := 0; i < 20; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			if err := s.AppendMessage(ctx, &frontdesk.ChatMessage{ID: frontdesk.NewID(), SessionID: cs.ID, TenantID: a.Tenant.ID,
				Role: frontdesk.RoleAssistant, Content: fmt.Sprint("c", i), CreatedAt: now}); err != nil {
				t.Errorf("concurrent append %d: %v", i, err)
			}
		}(i)
	}
	wg.Wait()
	msgs, err = s.RecentMessages(ctx, a.Tenant.ID, cs.ID, 100)
	must(t, err)
	if len(msgs) != 25 {
		t.Fatalf("%d messages after concurrent appends, want 25", len(msgs))
	}
	cs.State = json.RawMessage(`{"step":"date"}`)
	cs.UpdatedAt = now.Add(time.Minute)
	must(t, s.SaveSessionState(ctx, cs))
	got, err := s.Session(ctx, a.Tenant.ID, cs.ID)
	must(t, err)
	if string(got.State) != `{"step":"date"}` || !got.UpdatedAt.Equal(now.Add(time.Minute)) {
		t.Fatalf("Session = %+v", got)
	}
	u := &frontdesk.TokenUsage{ID: frontdesk.NewID(), TenantID: a.Tenant.ID, SessionID: cs.ID, Model: "m", InputTokens: 10, OutputTokens: 5, CostMicroCents: 123, CreatedAt: now}
	must(t, s.RecordTokenUsage(ctx, u))
	us, err := s.ListTokenUsage(ctx, a.Tenant.ID)
	must(t, err)
	if len(us) != 1 || us[0].CostMicroCents != 123 || us[0].InputTokens != 10 {
		t.Fatalf("token usage = %+v", us)
	}
}

func testProposals(t *testing.T, s frontdesk.Store) {
	a := NewFixture(t, s, "Alpha", "UTC")
	now := time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)
	p := &frontdesk.Proposal{ID: frontdesk.NewID(), TenantID: a.Tenant.ID, SessionID: "s1", Operation: frontdesk.OpCreateBooking,
		Payload: json.RawMessage(`{"a":1}`), Preview: "Portrait", Status: frontdesk.ProposalPending, ExpiresAt: now.Add(30 * time.Minute), CreatedAt: now}
	must(t, s.CreateProposal(ctx, p))
	_, err := s.Proposal(ctx, a.Tenant.ID, "s2", p.ID)
	wantCode(t, err, frontdesk.ENotFound)
	_, err = s.Proposal(ctx, "other", "s1", p.ID)
	wantCode(t, err, frontdesk.ENotFound)
	p.Status, p.Result = frontdesk.ProposalExecuted, json.RawMessage(`{"ok":true}`)
	must(t, s.UpdateProposal(ctx, p))
	got, err := s.Proposal(ctx, a.Tenant.ID, "s1", p.ID)
	must(t, err)
	if got.Status != frontdesk.ProposalExecuted || string(got.Result) != `{"ok":true}` || string(got.Payload) != `{"a":1}` || !got.ExpiresAt.Equal(p.ExpiresAt) {
		t.Fatalf("Proposal = %+v", got)
	}
}

func testOutbox(t *testing.T, s frontdesk.Store) {
	a := NewFixture(t, s, "Alpha", "UTC")
	now := time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)
	mk := func(key string) *frontdesk.OutboxEmail {
		return &frontdesk.OutboxEmail{ID: frontdesk.NewID(), TenantID: a.Tenant.ID, IdempotencyKey: key, Kind: "k",
			Email:         frontdesk.Email{To: "ann@example.com", Subject: "S " + key, Text: "t", Attachments: []frontdesk.Attachment{{Name: "a.ics", ContentType: "text/calendar", Content: []byte("X")}}},
			NextAttemptAt: now, CreatedAt: now}
	}
	for i := 0; i < 4; i++ {
		must(t, s.EnqueueEmail(ctx, mk(fmt.Sprint("key", i))))
	}
	must(t, s.EnqueueEmail(ctx, mk("key0"))) // repeated key: ignored
	all, err := s.ListEmails(ctx, a.Tenant.ID)
	must(t, err)
	if len(all) != 4 {
		t.Fatalf("%d emails, want 4", len(all))
	}
	got, err := s.ClaimEmails(ctx, now, time.Minute, 3)
	must(t, err)
	if len(got) != 3 || got[0].Attempts != 1 || string(got[0].Email.Attachments[0].Content) != "X" {
		t.Fatalf("claimed %d (%+v)", len(got), got)
	}
	more, err := s.ClaimEmails(ctx, now, time.Minute, 10)
	must(t, err)
	if len(more) != 1 {
		t.Fatalf("second claim got %d, want the 1 unleased email", len(more))
	}
	must(t, s.MarkEmailSent(ctx, got[0].ID, now))
	must(t, s.MarkEmailFailed(ctx, got[1].ID, "smtp down", now.Add(time.Second), false))
	must(t, s.MarkEmailFailed(ctx, got[2].ID, "rejected", now, true))
	again, err := s.ClaimEmails(ctx, now.Add(2*time.Second), time.Minute, 10)
	must(t, err)
	if len(again) != 1 || again[0].ID != got[1].ID || again[0].Attempts != 2 || again[0].LastError != "smtp down" {
		t.Fatalf("retry claim = %+v", again)
	}
	e, err := s.Email(ctx, got[2].ID)
	must(t, err)
	if e.Status != frontdesk.EmailDead {
		t.Fatalf("status %s, want DEAD", e.Status)
	}
	e, err = s.Email(ctx, got[0].ID)
	must(t, err)
	if e.Status != frontdesk.EmailSent || e.SentAt == nil {
		t.Fatalf("sent email = %+v", e)
	}
	// After the lease runs out, an email claimed by a crashed worker is due again.
	late, err := s.ClaimEmails(ctx, now.Add(2*time.Minute), time.Minute, 10)
	must(t, err)
	if len(late) != 2 {
		t.Fatalf("after lease: %d due, want 2", len(late))
	}

	// A held email is rewritten and released once, and never after an attempt.
	held := mk("held")
	held.NextAttemptAt = now.Add(24 * time.Hour)
	must(t, s.EnqueueEmail(ctx, held))
	must(t, s.ReleaseEmail(ctx, "held", &frontdesk.Email{To: "ann@example.com", Subject: "with link"}, now.Add(150*time.Second)))
	rel, err := s.ClaimEmails(ctx, now.Add(150*time.Second), time.Hour, 10)
	must(t, err)
	if len(rel) != 1 || rel[0].Email.Subject != "with link" {
		t.Fatalf("released email = %+v", rel)
	}
	must(t, s.ReleaseEmail(ctx, "held", &frontdesk.Email{Subject: "too late"}, now))
	e, err = s.Email(ctx, held.ID)
	must(t, err)
	if e.Email.Subject != "with link" {
		t.Fatalf("an attempted email was rewritten: %q", e.Email.Subject)
	}

	// Concurrent claimers never get the same email.
	for i := 0; i < 40; i++ {
		must(t, s.EnqueueEmail(ctx, mk(fmt.Sprint("bulk", i))))
	}
	var mu sync.Mutex
	seen := map[string]int{}
	var wg sync.WaitGroup
	for w := 0; w < 8; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				batch, err := s.ClaimEmails(ctx, now.Add(time.Hour), time.Hour, 3)
				if err != nil {
					t.Error(err)
					return
				}
				if len(batch) == 0 {
					return
				}
				mu.Lock()
				for _, e := range batch {
					seen[e.ID]++
				}
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	for id, n := range seen {
		if n != 1 {
			t.Errorf("email %s claimed %d times", id, n)
		}
	}
	if len(seen) != 42 {
		t.Errorf("claimed %d distinct emails, want 42", len(seen))
	}
}

func testWebhookEvents(t *testing.T, s frontdesk.Store) {
	e := &frontdesk.WebhookEvent{ID: "evt_1", Provider: "stripe", Type: "checkout.session.completed", Status: "processed", CreatedAt: time.Now()}
	first, err := s.RecordWebhookEvent(ctx, e)
	must(t, err)
	second, err := s.RecordWebhookEvent(ctx, e)
	must(t, err)
	if !first || second {
		t.Fatalf("first=%v second=%v, want true then false", first, second)
	}
}

func testJobs(t *testing.T, s frontdesk.Store) {
	a := NewFixture(t, s, "Alpha", "UTC")
	now := time.Date(2026, 12, 10, 12, 0, 0, 0, time.UTC)
	for i, age := range []time.Duration{time.Hour, 23 * time.Hour, 25 * time.Hour, 72 * time.Hour} {
		cs := &frontdesk.ChatSession{ID: frontdesk.NewID(), TenantID: a.Tenant.ID, CreatedAt: now.Add(-age), UpdatedAt: now.Add(-age)}
		must(t, s.CreateSession(ctx, cs))
		must(t, s.AppendMessage(ctx, &frontdesk.ChatMessage{ID: frontdesk.NewID(), SessionID: cs.ID, TenantID: a.Tenant.ID, Role: "user", Content: fmt.Sprint(i), CreatedAt: now}))
	}
	n, err := s.DeleteIdleSessions(ctx, now.Add(-24*time.Hour))
	must(t, err)
	if n != 2 {
		t.Fatalf("deleted %d idle sessions, want 2", n)
	}
	mkp := func(status frontdesk.ProposalStatus, expiresAgo time.Duration) *frontdesk.Proposal {
		p := &frontdesk.Proposal{ID: frontdesk.NewID(), TenantID: a.Tenant.ID, SessionID: "s", Operation: frontdesk.OpCreateBooking,
			Payload: json.RawMessage(`{}`), Status: status, ExpiresAt: now.Add(-expiresAgo), CreatedAt: now.Add(-expiresAgo - 30*time.Minute)}
		must(t, s.CreateProposal(ctx, p))
		return p
	}
	pendingFresh := mkp(frontdesk.ProposalPending, -10*time.Minute)
	pendingLapsed := mkp(frontdesk.ProposalPending, time.Minute)
	mkp(frontdesk.ProposalExpired, 8*24*time.Hour)
	mkp(frontdesk.ProposalRejected, 8*24*time.Hour)
	keptExpired := mkp(frontdesk.ProposalExpired, 6*24*time.Hour)
	executedOld := mkp(frontdesk.ProposalExecuted, 30*24*time.Hour)
	n, err = s.ExpireProposals(ctx, now)
	must(t, err)
	if n != 1 {
		t.Fatalf("expired %d proposals, want 1", n)
	}
	n, err = s.DeleteOldProposals(ctx, now.Add(-7*24*time.Hour))
	must(t, err)
	if n != 2 {
		t.Fatalf("deleted %d proposals, want 2", n)
	}
	for _, p := range []*frontdesk.Proposal{pendingFresh, pendingLapsed, keptExpired, executedOld} {
		if _, err := s.Proposal(ctx, a.Tenant.ID, "s", p.ID); err != nil {
			t.Errorf("proposal %s should remain: %v", p.Status, err)
		}
	}
	got, _ := s.Proposal(ctx, a.Tenant.ID, "s", pendingLapsed.ID)
	if got.Status != frontdesk.ProposalExpired {
		t.Errorf("lapsed proposal status %s", got.Status)
	}
	c := a.Customer(t, s, "ann@example.com")
	lapsed := a.Booking(a.Portrait, c, time.Date(2026, 12, 15, 10, 0, 0, 0, time.UTC))
	past := now.Add(-time.Minute)
	lapsed.CheckoutExpiresAt = &past
	must(t, s.CreateBooking(ctx, lapsed))
	fresh := a.Booking(a.Portrait, c, time.Date(2026, 12, 15, 14, 0, 0, 0, time.UTC))
	future := now.Add(time.Minute)
	fresh.CheckoutExpiresAt = &future
	must(t, s.CreateBooking(ctx, fresh))
	bs, err := s.LapsedCheckouts(ctx, now, 10)
	must(t, err)
	if len(bs) != 1 || bs[0].ID != lapsed.ID {
		t.Fatalf("LapsedCheckouts = %v", bs)
	}
	testRunExclusive(t, s)
}

// testRunExclusive: while one caller runs a job, a second caller of the
// same job is turned away and a different job still runs.
func testRunExclusive(t *testing.T, s frontdesk.Store) {
	started, release := make(chan struct{}), make(chan struct{})
	done := make(chan error, 1)
	go func() {
		ran, err := s.RunExclusive(ctx, "cleanup", func(context.Context) error {
			close(started)
			<-release
			return nil
		})
		if err == nil && !ran {
			err = fmt.Errorf("the first caller did not run")
		}
		done <- err
	}()
	<-started
	ran, err := s.RunExclusive(ctx, "cleanup", func(context.Context) error { return nil })
	must(t, err)
	if ran {
		t.Fatal("a second instance ran the job while the first held it")
	}
	other := false
	_, err = s.RunExclusive(ctx, "expire", func(context.Context) error { other = true; return nil })
	must(t, err)
	if !other {
		t.Fatal("another job was blocked")
	}
	close(release)
	must(t, <-done)
	ran, err = s.RunExclusive(ctx, "cleanup", func(context.Context) error { return nil })
	must(t, err)
	if !ran {
		t.Fatal("the job did not run after the first finished")
	}
}

// testCodeCollisionRetried: a transaction whose booking drew a taken
// confirmation code runs again (and draws another).
func testCodeCollisionRetried(t *testing.T, s frontdesk.Store) {
	a := NewFixture(t, s, "Alpha", "UTC")
	c := a.Customer(t, s, "ann@example.com")
	first := a.Booking(a.Portrait, c, time.Date(2026, 12, 15, 10, 0, 0, 0, time.UTC))
	must(t, s.CreateBooking(ctx, first))
	calls := 0
	second := a.Booking(a.Portrait, c, time.Date(2026, 12, 15, 14, 0, 0, 0, time.UTC))
	err := s.WithTx(ctx, func(tx frontdesk.Tx) error {
		calls++
		second.ConfirmationCode = frontdesk.NewConfirmationCode()
		if calls == 1 {
			second.ConfirmationCode = first.ConfirmationCode
		}
		return tx.CreateBooking(ctx, second)
	})
	must(t, err)
	if calls != 2 {
		t.Fatalf("the transaction ran %d times, want 2", calls)
	}
	got, err := s.Booking(ctx, a.Tenant.ID, second.ID)
	must(t, err)
	if got.ConfirmationCode == first.ConfirmationCode {
		t.Fatal("two bookings share a confirmation code")
	}
}

func testFeedbackAndEscalations(t *testing.T, s frontdesk.Store) {
	a := NewFixture(t, s, "Alpha", "UTC")
	b := NewFixture(t, s, "Beta", "UTC")
	now := time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)
	cs := &frontdesk.ChatSession{ID: frontdesk.NewID(), TenantID: a.Tenant.ID, CreatedAt: now, UpdatedAt: now}
	must(t, s.CreateSession(ctx, cs))
	m := &frontdesk.ChatMessage{ID: frontdesk.NewID(), SessionID: cs.ID, TenantID: a.Tenant.ID, Role: frontdesk.RoleAssistant, Content: "hello", CreatedAt: now}
	must(t, s.AppendMessage(ctx, m))
	got, err := s.Message(ctx, a.Tenant.ID, cs.ID, m.ID)
	must(t, err)
	if got.Content != "hello" || got.Role != frontdesk.RoleAssistant {
		t.Fatalf("Message = %+v", got)
	}
	_, err = s.Message(ctx, b.Tenant.ID, cs.ID, m.ID)
	wantCode(t, err, frontdesk.ENotFound)
	_, err = s.Message(ctx, a.Tenant.ID, frontdesk.NewID(), m.ID)
	wantCode(t, err, frontdesk.ENotFound)

	save := func(target, typ string, rating int, comment string) string {
		f := &frontdesk.Feedback{ID: frontdesk.NewID(), TenantID: a.Tenant.ID, SessionID: cs.ID, Target: target, Type: typ, Rating: rating, Comment: comment, CreatedAt: now}
		must(t, s.SaveFeedback(ctx, f))
		return f.ID
	}
	up := save(m.ID, frontdesk.FeedbackThumbsUp, 0, "")
	again := save(m.ID, frontdesk.FeedbackThumbsDown, 0, "changed my mind")
	rating := save(frontdesk.FeedbackSessionTarget, frontdesk.FeedbackRating, 4, "")
	save(frontdesk.FeedbackSessionTarget, frontdesk.FeedbackRating, 5, "great")
	if up != again {
		t.Fatalf("a second thumb on one message made a new row (%s, %s)", up, again)
	}
	fs, err := s.ListFeedback(ctx, a.Tenant.ID)
	must(t, err)
	if len(fs) != 2 {
		t.Fatalf("%d feedback rows, want 2 (one per target)", len(fs))
	}
	for _, f := range fs {
		switch f.ID {
		case up:
			if f.Type != frontdesk.FeedbackThumbsDown || f.Comment != "changed my mind" || f.Rating != 0 {
				t.Errorf("thumb = %+v", f)
			}
		case rating:
			if f.Type != frontdesk.FeedbackRating || f.Rating != 5 || f.Comment != "great" {
				t.Errorf("rating = %+v", f)
			}
		default:
			t.Errorf("unexpected feedback %+v", f)
		}
	}
	if fs, err := s.ListFeedback(ctx, b.Tenant.ID); err != nil || len(fs) != 0 {
		t.Fatalf("ListFeedback of another tenant = %v, %v; want none and no error", fs, err)
	}

	e := &frontdesk.Escalation{ID: frontdesk.NewID(), TenantID: a.Tenant.ID, SessionID: cs.ID, Reason: "a person please",
		CustomerEmail: "ann@example.com", Summary: "customer: hi", Status: frontdesk.EscalationPending, CreatedAt: now}
	must(t, s.CreateEscalation(ctx, e))
	es, err := s.ListEscalations(ctx, a.Tenant.ID)
	must(t, err)
	if len(es) != 1 || es[0].Reason != "a person please" || es[0].Status != frontdesk.EscalationPending || !es[0].CreatedAt.Equal(now) {
		t.Fatalf("escalations = %+v", es)
	}
	if es, err := s.ListEscalations(ctx, b.Tenant.ID); err != nil || len(es) != 0 {
		t.Fatalf("ListEscalations of another tenant = %v, %v; want none and no error", es, err)
	}
}

func testAnalytics(t *testing.T, s frontdesk.Store) {
	a := NewFixture(t, s, "Alpha", "UTC")
	b := NewFixture(t, s, "Beta", "UTC")
	day := func(d int) frontdesk.Date { return frontdesk.Date{Year: 2026, Month: 12, Day: d} }
	at := func(d, h int) time.Time { return time.Date(2026, 12, d, h, 0, 0, 0, time.UTC) }
	for _, d := range []int{1, 1, 2, 5} {
		must(t, s.CountSession(ctx, a.Tenant.ID, day(d)))
	}
	must(t, s.CountSession(ctx, b.Tenant.ID, day(1)))
	c := a.Customer(t, s, "ann@example.com")
	for i, st := range []frontdesk.BookingStatus{frontdesk.StatusConfirmed, frontdesk.StatusPending, frontdesk.StatusConfirmed} {
		bk := a.Booking(a.Free, c, at(20, 9+i))
		bk.Status, bk.CreatedAt = st, at(1+i, 12)
		if i == 2 {
			bk.Source = frontdesk.SourceAPI // not the chat's
		}
		must(t, s.CreateBooking(ctx, bk))
	}
	fb := func(target, typ string, rating int, d int) {
		must(t, s.SaveFeedback(ctx, &frontdesk.Feedback{ID: frontdesk.NewID(), TenantID: a.Tenant.ID, SessionID: "s" + target,
			Target: target, Type: typ, Rating: rating, CreatedAt: at(d, 10)}))
	}
	fb("m1", frontdesk.FeedbackThumbsUp, 0, 1)
	fb("m2", frontdesk.FeedbackThumbsUp, 0, 2)
	fb("m3", frontdesk.FeedbackThumbsDown, 0, 2)
	fb("session", frontdesk.FeedbackRating, 5, 1)
	fb("session2", frontdesk.FeedbackRating, 2, 2)
	fb("m9", frontdesk.FeedbackThumbsUp, 0, 9) // outside the range
	must(t, s.CreateEscalation(ctx, &frontdesk.Escalation{ID: frontdesk.NewID(), TenantID: a.Tenant.ID, SessionID: "s", Reason: "r",
		Summary: "", Status: frontdesk.EscalationPending, CreatedAt: at(2, 8)}))
	for _, d := range []int{1, 2} {
		must(t, s.RecordTokenUsage(ctx, &frontdesk.TokenUsage{ID: frontdesk.NewID(), TenantID: a.Tenant.ID, SessionID: "s", Model: "m",
			InputTokens: 1000, OutputTokens: 100, CostMicroCents: 450_000, CreatedAt: at(d, 11)}))
	}
	got, err := s.Analytics(ctx, a.Tenant.ID, day(1), day(2), at(1, 0), at(3, 0))
	must(t, err)
	want := frontdesk.Analytics{Sessions: 3, ChatBookings: 2, ConfirmedBookings: 1, ThumbsUp: 2, ThumbsDown: 1, Ratings: 2, RatingSum: 7,
		Escalations: 1, InputTokens: 2000, OutputTokens: 200, CostMicroCents: 900_000}
	if *got != want {
		t.Fatalf("Analytics = %+v\nwant        %+v", *got, want)
	}
	empty, err := s.Analytics(ctx, b.Tenant.ID, day(2), day(2), at(2, 0), at(3, 0))
	must(t, err)
	if *empty != (frontdesk.Analytics{}) {
		t.Fatalf("another tenant's analytics = %+v, want zeros", *empty)
	}
}
