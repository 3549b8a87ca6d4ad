package storetest

import (
	"fmt"
	"reflect"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/frontdeskhq/frontdesk"
)

// lifecycle is what the booking lifecycle added to a booking.
type lifecycle struct {
	Refunded      int64
	Reschedules   int
	Sequence      int
	ReminderDueAt string // "" for none
}

func lifecycleOf(b *frontdesk.Booking) lifecycle {
	l := lifecycle{Refunded: b.RefundedCents, Reschedules: b.RescheduleCount, Sequence: b.CalendarSequence}
	if b.ReminderDueAt != nil {
		l.ReminderDueAt = b.ReminderDueAt.UTC().Format(time.RFC3339Nano)
	}
	return l
}

// testBookingLifecycleFields: refunded cents, reschedule count, calendar
// sequence and reminder are written on create and update and read by
// every booking read.
func testBookingLifecycleFields(t *testing.T, s frontdesk.Store) {
	a := NewFixture(t, s, "Alpha", "UTC")
	c := a.Customer(t, s, "ann@example.com")
	start := time.Date(2026, 12, 15, 10, 0, 0, 0, time.UTC)
	reminder := start.Add(-24*time.Hour + 123*time.Microsecond)
	bk := a.Booking(a.Portrait, c, start)
	bk.RefundedCents, bk.RescheduleCount, bk.CalendarSequence, bk.ReminderDueAt = 500, 1, 2, &reminder
	bk.CheckoutSessionID = "cs_life"
	must(t, s.CreateBooking(ctx, bk))
	plain := a.Booking(a.Portrait, c, start.Add(2*time.Hour))
	must(t, s.CreateBooking(ctx, plain))

	reads := func(want *frontdesk.Booking) map[string]func() (*frontdesk.Booking, error) {
		day := want.Date
		return map[string]func() (*frontdesk.Booking, error){
			"Booking":       func() (*frontdesk.Booking, error) { return s.Booking(ctx, a.Tenant.ID, want.ID) },
			"BookingByCode": func() (*frontdesk.Booking, error) { return s.BookingByCode(ctx, a.Tenant.ID, want.ConfirmationCode) },
			"BookingForPayment": func() (*frontdesk.Booking, error) {
				return s.BookingForPayment(ctx, want.ID)
			},
			"BookingByCheckoutSession": func() (*frontdesk.Booking, error) {
				if want.CheckoutSessionID == "" {
					return s.BookingForPayment(ctx, want.ID)
				}
				return s.BookingByCheckoutSession(ctx, want.CheckoutSessionID)
			},
			"ListBookings": func() (*frontdesk.Booking, error) {
				page, err := s.ListBookings(ctx, a.Tenant.ID, frontdesk.BookingFilter{})
				return find(page, err, want.ID)
			},
			"LiveBookings": func() (*frontdesk.Booking, error) {
				bs, err := s.LiveBookings(ctx, a.Tenant.ID, day, day)
				return find(&frontdesk.BookingPage{Bookings: bs}, err, want.ID)
			},
		}
	}
	check := func(stage string, want *frontdesk.Booking) {
		t.Helper()
		for name, read := range reads(want) {
			got, err := read()
			if err != nil {
				t.Fatalf("%s: %s: %v", stage, name, err)
			}
			if lifecycleOf(got) != lifecycleOf(want) {
				t.Errorf("%s: %s read %+v, want %+v", stage, name, lifecycleOf(got), lifecycleOf(want))
			}
		}
	}
	check("created", bk)
	check("created without", plain)
	if lifecycleOf(plain) != (lifecycle{}) {
		t.Fatalf("a new booking's lifecycle = %+v", lifecycleOf(plain))
	}

	bk.RefundedCents, bk.RescheduleCount, bk.CalendarSequence, bk.ReminderDueAt = 25000, 2, 3, nil
	bk.Status, bk.UpdatedAt = frontdesk.StatusConfirmed, start.Add(-time.Hour)
	must(t, s.UpdateBooking(ctx, bk))
	check("updated", bk)
	later := reminder.Add(time.Hour)
	plain.ReminderDueAt, plain.CalendarSequence = &later, 1
	must(t, s.UpdateBooking(ctx, plain))
	check("reminder set", plain)
}

// find returns the booking with id from a listing, or an error when it is
// not listed.
func find(page *frontdesk.BookingPage, err error, id string) (*frontdesk.Booking, error) {
	if err != nil {
		return nil, err
	}
	for _, b := range page.Bookings {
		if b.ID == id {
			return b, nil
		}
	}
	return nil, fmt.Errorf("booking %s not listed", id)
}

// testBookingQuery: a query finds bookings by exact confirmation code or
// by part of the customer's name or email, in any case, with LIKE
// wildcards taken literally, and only the tenant's own.
func testBookingQuery(t *testing.T, s frontdesk.Store) {
	a := NewFixture(t, s, "Alpha", "UTC")
	b := NewFixture(t, s, "Beta", "UTC")
	mkc := func(f *Fixture, email, name string) *frontdesk.Customer {
		c, err := s.FindOrCreateCustomer(ctx, &frontdesk.Customer{ID: frontdesk.NewID(), TenantID: f.Tenant.ID, Email: email, Name: name, CreatedAt: time.Now()})
		must(t, err)
		return c
	}
	ann := mkc(a, "Ann@Example.com", "Ann Lee")
	bob := mkc(a, "bob_1@example.org", "Bob 100% Stone")
	day := time.Date(2026, 12, 14, 9, 0, 0, 0, time.UTC)
	mk := func(f *Fixture, c *frontdesk.Customer, i int, status frontdesk.BookingStatus) *frontdesk.Booking {
		bk := f.Booking(f.Free, c, day.Add(time.Duration(i)*time.Hour))
		bk.Status, bk.CreatedAt = status, day.Add(time.Duration(i)*time.Second)
		must(t, s.CreateBooking(ctx, bk))
		return bk
	}
	ann1 := mk(a, ann, 0, frontdesk.StatusPending)
	ann2 := mk(a, ann, 1, frontdesk.StatusCanceled)
	bob1 := mk(a, bob, 2, frontdesk.StatusConfirmed)
	theirs := mk(b, mkc(b, "ann@example.com", "Ann Lee"), 0, frontdesk.StatusPending)

	cases := []struct {
		name, query string
		status      frontdesk.BookingStatus
		want        []*frontdesk.Booking // newest first
	}{
		{"code", ann2.ConfirmationCode, "", []*frontdesk.Booking{ann2}},
		{"code in lower case, spaced", "  " + lower(bob1.ConfirmationCode) + " ", "", []*frontdesk.Booking{bob1}},
		{"part of a code is no match", ann1.ConfirmationCode[:5], "", nil},
		{"another tenant's code", theirs.ConfirmationCode, "", nil},
		{"name, any case", "aNN l", "", []*frontdesk.Booking{ann2, ann1}},
		{"email, any case", "EXAMPLE.ORG", "", []*frontdesk.Booking{bob1}},
		{"email domain", "example", "", []*frontdesk.Booking{bob1, ann2, ann1}},
		{"percent is literal", "100%", "", []*frontdesk.Booking{bob1}},
		{"lone percent", "%", "", []*frontdesk.Booking{bob1}},
		{"underscore is literal", "b_1", "", []*frontdesk.Booking{bob1}},
		{"backslash is literal", `\`, "", nil},
		{"with a status", "ann", frontdesk.StatusPending, []*frontdesk.Booking{ann1}},
		{"none", "zed", "", nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			page, err := s.ListBookings(ctx, a.Tenant.ID, frontdesk.BookingFilter{Query: tc.query, Status: tc.status})
			must(t, err)
			var got, want []string
			for _, bk := range page.Bookings {
				got = append(got, bk.ID)
			}
			for _, bk := range tc.want {
				want = append(want, bk.ID)
			}
			if !reflect.DeepEqual(got, want) {
				t.Fatalf("query %q found %v, want %v", tc.query, got, want)
			}
		})
	}
	// A query pages like the full list.
	page, err := s.ListBookings(ctx, a.Tenant.ID, frontdesk.BookingFilter{Query: "example", Limit: 2})
	must(t, err)
	next, err := s.ListBookings(ctx, a.Tenant.ID, frontdesk.BookingFilter{Query: "example", Limit: 2, Cursor: page.NextCursor})
	must(t, err)
	if len(page.Bookings) != 2 || len(next.Bookings) != 1 || next.Bookings[0].ID != ann1.ID || next.NextCursor != "" {
		t.Fatalf("query pages of %d and %d", len(page.Bookings), len(next.Bookings))
	}
	page, err = s.ListBookings(ctx, b.Tenant.ID, frontdesk.BookingFilter{Query: "ann"})
	must(t, err)
	if len(page.Bookings) != 1 || page.Bookings[0].ID != theirs.ID {
		t.Fatalf("another tenant's query = %v", page.Bookings)
	}
}

func lower(s string) string {
	out := []byte(s)
	for i, c := range out {
		if 'A' <= c && c <= 'Z' {
			out[i] = c + 'a' - 'A'
		}
	}
	return string(out)
}

// mover moves bookings of a fixture as a reschedule does: same id and
// code, new date and times, one more reschedule and calendar sequence.
type mover struct {
	t *testing.T
	s frontdesk.Store
	f *Fixture
}

// to returns bk moved to at (a copy; bk is untouched).
func (m mover) to(bk *frontdesk.Booking, at time.Time) *frontdesk.Booking {
	p := map[string]*frontdesk.Package{m.f.Wedding.ID: m.f.Wedding, m.f.Portrait.ID: m.f.Portrait, m.f.Free.ID: m.f.Free}[bk.PackageID]
	nb := m.f.Booking(p, &frontdesk.Customer{ID: bk.CustomerID}, at)
	moved := *bk
	moved.Date, moved.StartAt, moved.EndAt, moved.HoldUntil = nb.Date, nb.StartAt, nb.EndAt, nb.HoldUntil
	moved.RescheduleCount++
	moved.CalendarSequence++
	return &moved
}

// refused checks that moving bk to at is refused as a double booking and
// left the stored booking as it was.
func (m mover) refused(name string, bk *frontdesk.Booking, at time.Time) {
	m.t.Helper()
	err := m.s.UpdateBooking(ctx, m.to(bk, at))
	if !frontdesk.IsCode(err, frontdesk.ESlotUnavailable) {
		m.t.Fatalf("%s: got %v, want %s", name, err, frontdesk.ESlotUnavailable)
	}
	m.same(name, bk)
}

// moved moves bk to at, which must succeed, and checks what was stored.
func (m mover) moved(name string, bk *frontdesk.Booking, at time.Time) {
	m.t.Helper()
	moved := m.to(bk, at)
	if err := m.s.UpdateBooking(ctx, moved); err != nil {
		m.t.Fatalf("%s: %v", name, err)
	}
	*bk = *moved
	m.same(name, bk)
}

// same checks that the stored booking has bk's date, times and counts.
func (m mover) same(name string, bk *frontdesk.Booking) {
	m.t.Helper()
	got, err := m.s.Booking(ctx, bk.TenantID, bk.ID)
	must(m.t, err)
	if got.Date != bk.Date || !sameTime(got.StartAt, bk.StartAt) || !sameTime(got.EndAt, bk.EndAt) ||
		!sameTime(got.HoldUntil, bk.HoldUntil) || lifecycleOf(got) != lifecycleOf(bk) || got.ConfirmationCode != bk.ConfirmationCode {
		m.t.Fatalf("%s: stored %s %v-%v (hold %v) %+v, want %s %v-%v (hold %v) %+v", name,
			got.Date, got.StartAt, got.EndAt, got.HoldUntil, lifecycleOf(got), bk.Date, bk.StartAt, bk.EndAt, bk.HoldUntil, lifecycleOf(bk))
	}
}

func sameTime(a, b *time.Time) bool {
	if a == nil || b == nil {
		return a == nil && b == nil
	}
	return a.Equal(*b)
}

// testReschedule: UpdateBooking moves a booking; the database refuses a
// move onto another live booking's slot or day as it refuses an insert,
// and the slot left behind is free at once.
func testReschedule(t *testing.T, s frontdesk.Store) {
	a := NewFixture(t, s, "Alpha", "UTC")
	b := NewFixture(t, s, "Beta", "UTC")
	c := a.Customer(t, s, "ann@example.com")

	t.Run("timeslot", func(t *testing.T) {
		m := mover{t, s, a}
		at := func(d, h, min int) time.Time { return time.Date(2026, 12, d, h, min, 0, 0, time.UTC) }
		first := a.Booking(a.Portrait, c, at(15, 10, 0)) // holds 10:00-11:15
		must(t, s.CreateBooking(ctx, first))
		second := a.Booking(a.Portrait, c, at(15, 13, 0))
		must(t, s.CreateBooking(ctx, second))
		must(t, s.CreateBooking(ctx, b.Booking(b.Portrait, b.Customer(t, s, "x@example.com"), at(16, 10, 0))))

		m.refused("onto the same start", second, at(15, 10, 0))
		m.refused("into the middle", second, at(15, 10, 30))
		m.refused("into the buffer", second, at(15, 11, 0))
		m.refused("ending inside", second, at(15, 9, 0))
		m.refused("the other onto it", first, at(15, 12, 30))
		// Inside a transaction, as the reschedule runs, the refusal is the same.
		err := s.WithTx(ctx, func(tx frontdesk.Tx) error {
			if err := tx.LockTenantSlots(ctx, a.Tenant.ID); err != nil {
				return err
			}
			return tx.UpdateBooking(ctx, m.to(second, at(15, 10, 15)))
		})
		wantCode(t, err, frontdesk.ESlotUnavailable)
		m.same("after a refused move in a transaction", second)

		m.moved("onto its own slot, later", second, at(15, 13, 30))
		m.moved("right after the other's buffer", second, at(15, 11, 15))
		m.moved("onto another tenant's slot", second, at(16, 10, 0))
		// The slots left behind are free for a new booking.
		for _, h := range []int{11, 13} {
			must(t, s.CreateBooking(ctx, a.Booking(a.Free, c, at(15, h, 30))))
		}
		must(t, s.CreateBooking(ctx, a.Booking(a.Portrait, c, at(15, 12, 0))))
		m.refused("onto a slot booked meanwhile", second, at(15, 12, 0))
		// A booking that is not live holds nothing, and once canceled its
		// slot can be taken by a move.
		first.Status = frontdesk.StatusCanceled
		must(t, s.UpdateBooking(ctx, first))
		m.moved("onto a canceled booking's slot", second, at(15, 10, 0))
		first.Status = frontdesk.StatusConfirmed
		wantCode(t, s.UpdateBooking(ctx, first), frontdesk.ESlotUnavailable)
	})

	t.Run("date", func(t *testing.T) {
		m := mover{t, s, a}
		day := func(d int) time.Time { return time.Date(2026, 12, d, 0, 0, 0, 0, time.UTC) }
		first := a.Booking(a.Wedding, c, day(19))
		must(t, s.CreateBooking(ctx, first))
		second := a.Booking(a.Wedding, c, day(20))
		must(t, s.CreateBooking(ctx, second))
		must(t, s.CreateBooking(ctx, b.Booking(b.Wedding, b.Customer(t, s, "y@example.com"), day(22))))

		m.refused("onto a booked day", second, day(19))
		m.refused("the other onto it", first, day(20))
		m.moved("onto a free day", second, day(21))
		must(t, s.CreateBooking(ctx, a.Booking(a.Wedding, c, day(20))))
		m.refused("back onto its old day, now taken", second, day(20))
		m.moved("onto another tenant's day", second, day(22))
		must(t, s.CreateBooking(ctx, a.Booking(a.Wedding, c, day(21))))
	})
}

// testRescheduleRace: bookings moved at once onto overlapping times; the
// database lets exactly one move win and refuses the others as taken.
func testRescheduleRace(t *testing.T, s frontdesk.Store) {
	a := NewFixture(t, s, "Alpha", "UTC")
	c := a.Customer(t, s, "ann@example.com")
	m := mover{t, s, a}
	const n = 20
	var bookings []*frontdesk.Booking
	for i := 0; i < n; i++ {
		bk := a.Booking(a.Free, c, time.Date(2026, 12, 17, 9, 0, 0, 0, time.UTC).Add(time.Duration(i)*30*time.Minute))
		must(t, s.CreateBooking(ctx, bk))
		bookings = append(bookings, bk)
	}
	target := time.Date(2026, 12, 18, 10, 0, 0, 0, time.UTC)
	var wins, refused atomic.Int32
	var wg sync.WaitGroup
	errs := make(chan error, n)
	for i, bk := range bookings {
		wg.Add(1)
		go func(i int, bk *frontdesk.Booking) {
			defer wg.Done()
			// 10:00, 10:10 and 10:20: every pair overlaps.
			moved := m.to(bk, target.Add(time.Duration(i%3)*10*time.Minute))
			err := s.WithTx(ctx, func(tx frontdesk.Tx) error { return tx.UpdateBooking(ctx, moved) })
			switch {
			case err == nil:
				wins.Add(1)
			case frontdesk.IsCode(err, frontdesk.ESlotUnavailable):
				refused.Add(1)
			default:
				errs <- err
			}
		}(i, bk)
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Errorf("unexpected error: %v", err)
	}
	if wins.Load() != 1 || refused.Load() != n-1 {
		t.Fatalf("wins=%d refused=%d, want 1 and %d", wins.Load(), refused.Load(), n-1)
	}
	live, err := s.LiveBookings(ctx, a.Tenant.ID, frontdesk.DateOf(target), frontdesk.DateOf(target))
	must(t, err)
	if len(live) != 1 {
		t.Fatalf("%d live bookings on the target day, want 1", len(live))
	}
}

func testManageTokens(t *testing.T, s frontdesk.Store) {
	a := NewFixture(t, s, "Alpha", "UTC")
	b := NewFixture(t, s, "Beta", "UTC")
	c := a.Customer(t, s, "ann@example.com")
	bk := a.Booking(a.Portrait, c, time.Date(2026, 12, 15, 10, 0, 0, 0, time.UTC))
	bk.CalendarSequence = 4
	must(t, s.CreateBooking(ctx, bk))
	theirs := b.Booking(b.Wedding, b.Customer(t, s, "bob@example.com"), time.Date(2026, 12, 15, 0, 0, 0, 0, time.UTC))
	must(t, s.CreateBooking(ctx, theirs))
	now := time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)

	must(t, s.CreateManageToken(ctx, a.Tenant.ID, bk.ID, "hash-1", now))
	must(t, s.CreateManageToken(ctx, a.Tenant.ID, bk.ID, "hash-2", now.Add(time.Minute))) // one per email
	must(t, s.CreateManageToken(ctx, b.Tenant.ID, theirs.ID, "hash-b", now))
	for _, hash := range []string{"hash-1", "hash-2"} {
		got, err := s.BookingByManageToken(ctx, hash)
		must(t, err)
		if got.ID != bk.ID || got.TenantID != a.Tenant.ID || got.ConfirmationCode != bk.ConfirmationCode || got.PackageName != "Portrait Session" ||
			got.Customer.Email != "ann@example.com" || got.Customer.ID != c.ID || got.CalendarSequence != 4 || !sameTime(got.StartAt, bk.StartAt) {
			t.Fatalf("BookingByManageToken(%s) = %+v", hash, got)
		}
	}
	got, err := s.BookingByManageToken(ctx, "hash-b")
	must(t, err)
	if got.ID != theirs.ID || got.TenantID != b.Tenant.ID || got.PackageName != "Wedding Photography" {
		t.Fatalf("BookingByManageToken of another tenant's token = %+v", got)
	}
	for _, hash := range []string{"", "hash-3", "HASH-1"} {
		_, err := s.BookingByManageToken(ctx, hash)
		wantCode(t, err, frontdesk.ENotFound)
	}
	// A token is issued only for the tenant's own booking.
	wantCode(t, s.CreateManageToken(ctx, b.Tenant.ID, bk.ID, "hash-3", now), frontdesk.ENotFound)
	wantCode(t, s.CreateManageToken(ctx, a.Tenant.ID, theirs.ID, "hash-3", now), frontdesk.ENotFound)
	wantCode(t, s.CreateManageToken(ctx, a.Tenant.ID, frontdesk.NewID(), "hash-3", now), frontdesk.ENotFound)
	_, err = s.BookingByManageToken(ctx, "hash-3")
	wantCode(t, err, frontdesk.ENotFound)
	// A hash names one booking.
	second := a.Booking(a.Portrait, c, time.Date(2026, 12, 16, 10, 0, 0, 0, time.UTC))
	must(t, s.CreateBooking(ctx, second))
	wantCode(t, s.CreateManageToken(ctx, a.Tenant.ID, second.ID, "hash-1", now), frontdesk.EConflict)
	wantCode(t, s.CreateManageToken(ctx, a.Tenant.ID, second.ID, "hash-b", now), frontdesk.EConflict)
	got, err = s.BookingByManageToken(ctx, "hash-1")
	must(t, err)
	if got.ID != bk.ID {
		t.Fatal("a repeated hash moved the token to another booking")
	}
	// Inside a transaction, as a booking is made.
	third := a.Booking(a.Portrait, c, time.Date(2026, 12, 17, 10, 0, 0, 0, time.UTC))
	must(t, s.WithTx(ctx, func(tx frontdesk.Tx) error {
		if err := tx.CreateBooking(ctx, third); err != nil {
			return err
		}
		return tx.CreateManageToken(ctx, a.Tenant.ID, third.ID, "hash-tx", now)
	}))
	got, err = s.BookingByManageToken(ctx, "hash-tx")
	must(t, err)
	if got.ID != third.ID {
		t.Fatalf("token made in a transaction finds %s", got.ID)
	}
}

// testRefunds: refunds are kept per booking and tenant, updated in the
// fields a retry changes, found by the provider's id in any tenant, and
// those not FAILED never add up to more than the booking's price.
func testRefunds(t *testing.T, s frontdesk.Store) {
	a := NewFixture(t, s, "Alpha", "UTC")
	b := NewFixture(t, s, "Beta", "UTC")
	c := a.Customer(t, s, "ann@example.com")
	bk := a.Booking(a.Portrait, c, time.Date(2026, 12, 15, 10, 0, 0, 0, time.UTC)) // 25000
	must(t, s.CreateBooking(ctx, bk))
	other := a.Booking(a.Portrait, c, time.Date(2026, 12, 16, 10, 0, 0, 0, time.UTC))
	must(t, s.CreateBooking(ctx, other))
	theirs := b.Booking(b.Portrait, b.Customer(t, s, "bob@example.com"), time.Date(2026, 12, 15, 10, 0, 0, 0, time.UTC))
	must(t, s.CreateBooking(ctx, theirs))
	now := time.Date(2026, 12, 1, 10, 0, 0, 123000, time.UTC)
	mk := func(f *Fixture, booking *frontdesk.Booking, amount int64, after time.Duration) *frontdesk.Refund {
		return &frontdesk.Refund{ID: frontdesk.NewID(), TenantID: f.Tenant.ID, BookingID: booking.ID, AmountCents: amount, Currency: "usd",
			Reason: "canceled by the customer", Status: frontdesk.RefundPending, NextAttemptAt: now.Add(after), CreatedAt: now.Add(after), UpdatedAt: now.Add(after)}
	}
	r1 := mk(a, bk, 10000, 0)
	r2 := mk(a, bk, 15000, time.Second)
	must(t, s.CreateRefund(ctx, r1))
	must(t, s.CreateRefund(ctx, r2))
	rb := mk(b, theirs, 25000, 0)
	rb.ProviderRefundID, rb.Status = "re_b", frontdesk.RefundSucceeded
	must(t, s.CreateRefund(ctx, rb))

	list := func(tenantID, bookingID string) []*frontdesk.Refund {
		t.Helper()
		rs, err := s.Refunds(ctx, tenantID, bookingID)
		must(t, err)
		return rs
	}
	same := func(got, want []*frontdesk.Refund) {
		t.Helper()
		if len(got) != len(want) {
			t.Fatalf("%d refunds, want %d", len(got), len(want))
		}
		for i := range got {
			if *got[i] != *want[i] {
				t.Fatalf("refund %d = %+v\nwant %+v", i, *got[i], *want[i])
			}
		}
	}
	same(list(a.Tenant.ID, bk.ID), []*frontdesk.Refund{r1, r2})
	same(list(b.Tenant.ID, theirs.ID), []*frontdesk.Refund{rb})
	same(list(b.Tenant.ID, bk.ID), nil)
	same(list(a.Tenant.ID, theirs.ID), nil)
	same(list(a.Tenant.ID, other.ID), nil)

	// A refund belongs to its booking's tenant.
	foreign := mk(b, bk, 100, 0)
	wantCode(t, s.CreateRefund(ctx, foreign), frontdesk.ENotFound)
	foreign = mk(a, theirs, 100, 0)
	wantCode(t, s.CreateRefund(ctx, foreign), frontdesk.ENotFound)
	wantCode(t, s.CreateRefund(ctx, mk(a, &frontdesk.Booking{ID: frontdesk.NewID()}, 100, 0)), frontdesk.ENotFound)
	dup := *r1
	wantCode(t, s.CreateRefund(ctx, &dup), frontdesk.EConflict)
	// The database refuses nonsense the domain should never write.
	for name, edit := range map[string]func(r *frontdesk.Refund){
		"zero amount":    func(r *frontdesk.Refund) { r.AmountCents = 0 },
		"unknown status": func(r *frontdesk.Refund) { r.Status = "LOST" },
	} {
		r := mk(a, other, 100, 0)
		edit(r)
		if err := s.CreateRefund(ctx, r); err == nil {
			t.Errorf("%s: a refund was stored", name)
		}
	}

	// The booking's price is refunded: one cent more is refused.
	wantCode(t, s.CreateRefund(ctx, mk(a, bk, 1, 2*time.Second)), frontdesk.EConflict)
	wantCode(t, s.CreateRefund(ctx, mk(a, other, 25001, 0)), frontdesk.EConflict)

	// Updates write status, provider id, attempts, next attempt, last error
	// and UpdatedAt, nothing else.
	upd := *r2
	upd.Status, upd.ProviderRefundID, upd.Attempts, upd.LastError = frontdesk.RefundSucceeded, "re_2", 1, "timeout"
	upd.NextAttemptAt, upd.UpdatedAt = now.Add(time.Hour), now.Add(time.Minute)
	ignored := upd
	ignored.AmountCents, ignored.Reason, ignored.Currency, ignored.BookingID, ignored.CreatedAt = 1, "changed", "eur", other.ID, now.Add(time.Hour)
	must(t, s.UpdateRefund(ctx, &ignored))
	r2 = &upd
	same(list(a.Tenant.ID, bk.ID), []*frontdesk.Refund{r1, r2})
	got, err := s.RefundByProviderID(ctx, "re_2")
	must(t, err)
	same([]*frontdesk.Refund{got}, []*frontdesk.Refund{r2})
	got, err = s.RefundByProviderID(ctx, "re_b")
	must(t, err)
	same([]*frontdesk.Refund{got}, []*frontdesk.Refund{rb})
	for _, id := range []string{"", "re_nope", "RE_2"} {
		_, err := s.RefundByProviderID(ctx, id)
		wantCode(t, err, frontdesk.ENotFound)
	}
	// Updates stay in the tenant.
	stolen := *r1
	stolen.TenantID, stolen.Status = b.Tenant.ID, frontdesk.RefundFailed
	wantCode(t, s.UpdateRefund(ctx, &stolen), frontdesk.ENotFound)
	ghost := *r1
	ghost.ID = frontdesk.NewID()
	wantCode(t, s.UpdateRefund(ctx, &ghost), frontdesk.ENotFound)
	same(list(a.Tenant.ID, bk.ID), []*frontdesk.Refund{r1, r2})
	// A provider's refund id names one refund; many have none yet.
	taken := *r1
	taken.ProviderRefundID = "re_b"
	wantCode(t, s.UpdateRefund(ctx, &taken), frontdesk.EConflict)
	r3 := mk(a, other, 100, 0)
	must(t, s.CreateRefund(ctx, r3))

	// A FAILED refund no longer counts; reviving it past the price is refused.
	r1.Status, r1.Attempts, r1.LastError, r1.UpdatedAt = frontdesk.RefundFailed, 5, "card closed", now.Add(2*time.Minute)
	must(t, s.UpdateRefund(ctx, r1))
	r4 := mk(a, bk, 10000, 3*time.Second)
	must(t, s.CreateRefund(ctx, r4))
	revived := *r1
	revived.Status = frontdesk.RefundPending
	wantCode(t, s.UpdateRefund(ctx, &revived), frontdesk.EConflict)
	// A failed refund may be recorded as such whatever its amount.
	lost := mk(a, bk, 25000, 4*time.Second)
	lost.Status = frontdesk.RefundFailed
	must(t, s.CreateRefund(ctx, lost))
	r4.Status, r4.ProviderRefundID, r4.UpdatedAt = frontdesk.RefundSucceeded, "re_4", now.Add(3*time.Minute)
	must(t, s.UpdateRefund(ctx, r4))
	same(list(a.Tenant.ID, bk.ID), []*frontdesk.Refund{r1, r2, r4, lost})
	// Inside a transaction the refusal is the same error.
	err = s.WithTx(ctx, func(tx frontdesk.Tx) error { return tx.CreateRefund(ctx, mk(a, bk, 1, 5*time.Second)) })
	wantCode(t, err, frontdesk.EConflict)
}

// testRefundsWithinTotalRace: refunds of one booking written at once never
// add up to more than its price.
func testRefundsWithinTotalRace(t *testing.T, s frontdesk.Store) {
	a := NewFixture(t, s, "Alpha", "UTC")
	c := a.Customer(t, s, "ann@example.com")
	bk := a.Booking(a.Portrait, c, time.Date(2026, 12, 15, 10, 0, 0, 0, time.UTC)) // 25000
	must(t, s.CreateBooking(ctx, bk))
	now := time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)
	const n = 10
	var wins, refused atomic.Int32
	var wg sync.WaitGroup
	errs := make(chan error, n)
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r := &frontdesk.Refund{ID: frontdesk.NewID(), TenantID: a.Tenant.ID, BookingID: bk.ID, AmountCents: 10000, Currency: "usd",
				Status: frontdesk.RefundPending, NextAttemptAt: now, CreatedAt: now, UpdatedAt: now}
			err := s.WithTx(ctx, func(tx frontdesk.Tx) error { return tx.CreateRefund(ctx, r) })
			switch {
			case err == nil:
				wins.Add(1)
			case frontdesk.IsCode(err, frontdesk.EConflict):
				refused.Add(1)
			default:
				errs <- err
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Errorf("unexpected error: %v", err)
	}
	if wins.Load() != 2 || refused.Load() != n-2 {
		t.Fatalf("wins=%d refused=%d, want 2 and %d", wins.Load(), refused.Load(), n-2)
	}
}

// testRefundsDue: PENDING refunds whose next attempt has come, in any
// tenant, the longest due first.
func testRefundsDue(t *testing.T, s frontdesk.Store) {
	a := NewFixture(t, s, "Alpha", "UTC")
	b := NewFixture(t, s, "Beta", "UTC")
	now := time.Date(2026, 12, 10, 12, 0, 0, 0, time.UTC)
	mk := func(f *Fixture, day int, status frontdesk.RefundStatus, due time.Duration) *frontdesk.Refund {
		bk := f.Booking(f.Free, f.Customer(t, s, "ann@example.com"), time.Date(2026, 12, day, 10, 0, 0, 0, time.UTC))
		bk.TotalPriceCents = 5000
		must(t, s.CreateBooking(ctx, bk))
		r := &frontdesk.Refund{ID: frontdesk.NewID(), TenantID: f.Tenant.ID, BookingID: bk.ID, AmountCents: 5000, Currency: "usd",
			Status: status, NextAttemptAt: now.Add(due), CreatedAt: now.Add(-time.Hour), UpdatedAt: now.Add(-time.Hour)}
		must(t, s.CreateRefund(ctx, r))
		return r
	}
	atNow := mk(a, 14, frontdesk.RefundPending, 0)
	theirs := mk(b, 15, frontdesk.RefundPending, -2*time.Minute)
	mine := mk(a, 16, frontdesk.RefundPending, -time.Minute)
	mk(a, 17, frontdesk.RefundPending, time.Microsecond) // not yet
	mk(a, 18, frontdesk.RefundSucceeded, -time.Hour)     // done
	mk(b, 19, frontdesk.RefundFailed, -time.Hour)        // given up
	ids := func(limit int) []string {
		t.Helper()
		rs, err := s.RefundsDue(ctx, now, limit)
		must(t, err)
		var out []string
		for _, r := range rs {
			out = append(out, r.ID)
		}
		return out
	}
	if got, want := ids(10), []string{theirs.ID, mine.ID, atNow.ID}; !reflect.DeepEqual(got, want) {
		t.Fatalf("RefundsDue = %v, want %v", got, want)
	}
	if got, want := ids(2), []string{theirs.ID, mine.ID}; !reflect.DeepEqual(got, want) {
		t.Fatalf("RefundsDue limit 2 = %v, want %v", got, want)
	}
	rs, err := s.RefundsDue(ctx, now, 1)
	must(t, err)
	if *rs[0] != *theirs {
		t.Fatalf("RefundsDue row = %+v, want %+v", *rs[0], *theirs)
	}
	// A retry later takes it off the list until then.
	theirs.Attempts, theirs.NextAttemptAt, theirs.LastError = 1, now.Add(time.Minute), "provider down"
	must(t, s.UpdateRefund(ctx, theirs))
	if got, want := ids(10), []string{mine.ID, atNow.ID}; !reflect.DeepEqual(got, want) {
		t.Fatalf("RefundsDue after a retry was scheduled = %v, want %v", got, want)
	}
}

// testRemindersDue: live bookings whose reminder has come, in any tenant,
// the earliest first.
func testRemindersDue(t *testing.T, s frontdesk.Store) {
	a := NewFixture(t, s, "Alpha", "UTC")
	b := NewFixture(t, s, "Beta", "UTC")
	now := time.Date(2026, 12, 10, 12, 0, 0, 0, time.UTC)
	ca := a.Customer(t, s, "ann@example.com")
	cb := b.Customer(t, s, "bob@example.com")
	hour := 8
	mk := func(f *Fixture, c *frontdesk.Customer, status frontdesk.BookingStatus, due *time.Duration) *frontdesk.Booking {
		hour++
		bk := f.Booking(f.Free, c, time.Date(2026, 12, 11, hour, 0, 0, 0, time.UTC))
		bk.Status = status
		if due != nil {
			at := now.Add(*due)
			bk.ReminderDueAt = &at
		}
		must(t, s.CreateBooking(ctx, bk))
		return bk
	}
	d := func(x time.Duration) *time.Duration { return &x }
	pending := mk(a, ca, frontdesk.StatusPending, d(-2*time.Hour))
	atNow := mk(a, ca, frontdesk.StatusConfirmed, d(0))
	theirs := mk(b, cb, frontdesk.StatusConfirmed, d(-time.Hour))
	mk(a, ca, frontdesk.StatusCanceled, d(-3*time.Hour))
	mk(a, ca, frontdesk.StatusExpired, d(-3*time.Hour))
	mk(b, cb, frontdesk.StatusRefunded, d(-3*time.Hour))
	mk(a, ca, frontdesk.StatusPending, d(time.Microsecond))
	mk(a, ca, frontdesk.StatusConfirmed, nil)
	ids := func(limit int) []string {
		t.Helper()
		bs, err := s.RemindersDue(ctx, now, limit)
		must(t, err)
		var out []string
		for _, bk := range bs {
			out = append(out, bk.ID)
		}
		return out
	}
	if got, want := ids(10), []string{pending.ID, theirs.ID, atNow.ID}; !reflect.DeepEqual(got, want) {
		t.Fatalf("RemindersDue = %v, want %v", got, want)
	}
	if got, want := ids(1), []string{pending.ID}; !reflect.DeepEqual(got, want) {
		t.Fatalf("RemindersDue limit 1 = %v, want %v", got, want)
	}
	bs, err := s.RemindersDue(ctx, now, 10)
	must(t, err)
	if got := bs[1]; got.TenantID != b.Tenant.ID || got.PackageName != "Free Consultation" || got.Customer.Email != "bob@example.com" ||
		lifecycleOf(got) != lifecycleOf(theirs) {
		t.Fatalf("RemindersDue row = %+v", got)
	}
	// Once sent (cleared) or canceled, a reminder is no longer due.
	pending.ReminderDueAt = nil
	must(t, s.UpdateBooking(ctx, pending))
	atNow.Status = frontdesk.StatusCanceled
	must(t, s.UpdateBooking(ctx, atNow))
	if got, want := ids(10), []string{theirs.ID}; !reflect.DeepEqual(got, want) {
		t.Fatalf("RemindersDue after a send and a cancel = %v, want %v", got, want)
	}
}
