package storetest

import (
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/frontdeskhq/frontdesk"
)

// sameLoginToken reports whether two sign-in links hold the same fields.
func sameLoginToken(a, b *frontdesk.LoginToken) bool {
	return a.Hash == b.Hash && a.TenantID == b.TenantID && a.Email == b.Email && a.ExpiresAt.Equal(b.ExpiresAt) &&
		sameTime(a.UsedAt, b.UsedAt) && a.CreatedAt.Equal(b.CreatedAt)
}

// testLoginTokens: a sign-in link works once, until it expires, and names
// its tenant; links are made only for tenants that exist.
func testLoginTokens(t *testing.T, s frontdesk.Store) {
	a := NewFixture(t, s, "Alpha", "UTC")
	b := NewFixture(t, s, "Beta", "UTC")
	now := time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)
	link := func(hash string, f *Fixture, ttl time.Duration) *frontdesk.LoginToken {
		t.Helper()
		lt := &frontdesk.LoginToken{Hash: hash, TenantID: f.Tenant.ID, Email: f.Tenant.ContactEmail,
			ExpiresAt: now.Add(ttl), CreatedAt: now}
		must(t, s.CreateLoginToken(ctx, lt))
		return lt
	}
	mine := link("hash-a", a, 15*time.Minute)
	theirs := link("hash-b", b, 15*time.Minute)
	link("hash-old", a, -time.Second)
	link("hash-edge", a, time.Minute)

	at := now.Add(time.Minute - time.Microsecond)
	got, err := s.UseLoginToken(ctx, "hash-a", at)
	must(t, err)
	want := *mine
	want.UsedAt = &at
	if !sameLoginToken(got, &want) {
		t.Fatalf("UseLoginToken = %+v, want %+v", got, want)
	}
	got, err = s.UseLoginToken(ctx, "hash-b", at)
	must(t, err)
	if got.TenantID != b.Tenant.ID || got.Email != theirs.Email {
		t.Fatalf("UseLoginToken of another tenant's link = %+v", got)
	}
	cases := []struct {
		name, hash string
		at         time.Time
	}{
		{"used", "hash-a", at},
		{"used by another tenant", "hash-b", at},
		{"expired", "hash-old", now},
		{"expiring this instant", "hash-edge", now.Add(time.Minute)},
		{"unknown", "hash-c", now},
		{"other case", "HASH-EDGE", now},
		{"empty", "", now},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := s.UseLoginToken(ctx, tc.hash, tc.at)
			wantCode(t, err, frontdesk.ENotFound)
		})
	}
	// An expired link stays expired, and one not yet expired still works
	// after another failed.
	if _, err := s.UseLoginToken(ctx, "hash-edge", now.Add(time.Minute-time.Microsecond)); err != nil {
		t.Fatalf("a link used a microsecond before it expires: %v", err)
	}

	wantCode(t, s.CreateLoginToken(ctx, &frontdesk.LoginToken{Hash: "hash-a", TenantID: b.Tenant.ID, Email: "x@y.test",
		ExpiresAt: now.Add(time.Hour), CreatedAt: now}), frontdesk.EConflict)
	wantCode(t, s.CreateLoginToken(ctx, &frontdesk.LoginToken{Hash: "hash-z", TenantID: frontdesk.NewID(), Email: "x@y.test",
		ExpiresAt: now.Add(time.Hour), CreatedAt: now}), frontdesk.ENotFound)
	_, err = s.UseLoginToken(ctx, "hash-z", now)
	wantCode(t, err, frontdesk.ENotFound)

	// Inside a transaction: a link made and used at once.
	must(t, s.WithTx(ctx, func(tx frontdesk.Tx) error {
		if err := tx.CreateLoginToken(ctx, &frontdesk.LoginToken{Hash: "hash-tx", TenantID: a.Tenant.ID, Email: "a@x.test",
			ExpiresAt: now.Add(time.Hour), CreatedAt: now}); err != nil {
			return err
		}
		got, err := tx.UseLoginToken(ctx, "hash-tx", now)
		if err == nil && got.TenantID != a.Tenant.ID {
			err = fmt.Errorf("used in a transaction: %+v", got)
		}
		return err
	}))
	_, err = s.UseLoginToken(ctx, "hash-tx", now)
	wantCode(t, err, frontdesk.ENotFound)
}

// testLoginTokenRace: of many uses of one link at once, alone or in
// transactions, exactly one succeeds and the others are not found.
func testLoginTokenRace(t *testing.T, s frontdesk.Store) {
	a := NewFixture(t, s, "Alpha", "UTC")
	now := time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)
	must(t, s.CreateLoginToken(ctx, &frontdesk.LoginToken{Hash: "hash-race", TenantID: a.Tenant.ID, Email: "a@x.test",
		ExpiresAt: now.Add(time.Hour), CreatedAt: now}))
	const n = 20
	var wins, refused atomic.Int32
	var wg sync.WaitGroup
	errs := make(chan error, n)
	start := make(chan struct{})
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			<-start
			at := now.Add(time.Duration(i) * time.Second)
			var err error
			if i%2 == 0 {
				_, err = s.UseLoginToken(ctx, "hash-race", at)
			} else {
				err = s.WithTx(ctx, func(tx frontdesk.Tx) error {
					_, err := tx.UseLoginToken(ctx, "hash-race", at)
					return err
				})
			}
			switch {
			case err == nil:
				wins.Add(1)
			case frontdesk.IsCode(err, frontdesk.ENotFound):
				refused.Add(1)
			default:
				errs <- err
			}
		}(i)
	}
	close(start)
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Errorf("unexpected error: %v", err)
	}
	if wins.Load() != 1 || refused.Load() != n-1 {
		t.Fatalf("wins=%d refused=%d, want 1 and %d", wins.Load(), refused.Load(), n-1)
	}
}

// sameSession reports whether two dashboard sessions hold the same fields.
func sameSession(a, b *frontdesk.DashboardSession) bool {
	return a.ID == b.ID && a.Hash == b.Hash && a.TenantID == b.TenantID && a.Email == b.Email && a.CSRFToken == b.CSRFToken &&
		a.UserAgent == b.UserAgent && a.CreatedAt.Equal(b.CreatedAt) && a.LastSeenAt.Equal(b.LastSeenAt) &&
		a.ExpiresAt.Equal(b.ExpiresAt) && sameTime(a.RevokedAt, b.RevokedAt)
}

func sessionIDs(ss []*frontdesk.DashboardSession) []string {
	out := []string{}
	for _, d := range ss {
		out = append(out, d.ID)
	}
	return out
}

// testDashboardSessions: sessions are found by hash while live, listed per
// tenant newest first, touched, and revoked only by their own tenant.
func testDashboardSessions(t *testing.T, s frontdesk.Store) {
	a := NewFixture(t, s, "Alpha", "UTC")
	b := NewFixture(t, s, "Beta", "UTC")
	now := time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)
	session := func(f *Fixture, hash string, created time.Time, ttl time.Duration) *frontdesk.DashboardSession {
		t.Helper()
		d := &frontdesk.DashboardSession{ID: frontdesk.NewID(), Hash: hash, TenantID: f.Tenant.ID, Email: f.Tenant.ContactEmail,
			CSRFToken: "csrf-" + hash, UserAgent: "Mozilla/5.0 (" + hash + ")", CreatedAt: created, LastSeenAt: created,
			ExpiresAt: created.Add(ttl)}
		must(t, s.CreateDashboardSession(ctx, d))
		return d
	}
	older := session(a, "hash-1", now.Add(-2*time.Hour), 30*24*time.Hour)
	newer := session(a, "hash-2", now.Add(-time.Hour), 30*24*time.Hour)
	soon := session(a, "hash-3", now.Add(-3*time.Hour), 3*time.Hour+time.Minute) // expires at now+1m
	gone := session(a, "hash-4", now.Add(-4*time.Hour), 4*time.Hour)             // expires at now
	theirs := session(b, "hash-b", now.Add(-30*time.Minute), 30*24*time.Hour)

	for _, want := range []*frontdesk.DashboardSession{older, newer, soon, theirs} {
		got, err := s.DashboardSessionByHash(ctx, want.Hash, now)
		must(t, err)
		if !sameSession(got, want) {
			t.Fatalf("DashboardSessionByHash(%s) = %+v, want %+v", want.Hash, got, want)
		}
	}
	for _, hash := range []string{"hash-4", "hash-5", "HASH-1", ""} {
		_, err := s.DashboardSessionByHash(ctx, hash, now)
		wantCode(t, err, frontdesk.ENotFound)
	}
	_, err := s.DashboardSessionByHash(ctx, soon.Hash, now.Add(time.Minute))
	wantCode(t, err, frontdesk.ENotFound)

	list := func(f *Fixture, at time.Time, want ...*frontdesk.DashboardSession) {
		t.Helper()
		got, err := s.ListDashboardSessions(ctx, f.Tenant.ID, at)
		must(t, err)
		if fmt.Sprint(sessionIDs(got)) != fmt.Sprint(sessionIDs(want)) {
			t.Fatalf("ListDashboardSessions(%s) = %v, want %v", f.Tenant.Name, sessionIDs(got), sessionIDs(want))
		}
		for i := range got {
			if !sameSession(got[i], want[i]) {
				t.Fatalf("listed %+v, want %+v", got[i], want[i])
			}
		}
	}
	list(a, now, newer, older, soon)
	list(a, now.Add(time.Minute), newer, older)
	list(b, now, theirs)
	list(a, now.Add(60*24*time.Hour))

	// Touch records the last use.
	seen := now.Add(5 * time.Minute)
	must(t, s.TouchDashboardSession(ctx, older.ID, seen))
	older.LastSeenAt = seen
	got, err := s.DashboardSessionByHash(ctx, older.Hash, seen)
	must(t, err)
	if !sameSession(got, older) {
		t.Fatalf("after a touch = %+v, want %+v", got, older)
	}
	wantCode(t, s.TouchDashboardSession(ctx, frontdesk.NewID(), seen), frontdesk.ENotFound)

	// Another tenant cannot revoke a session; an unknown one is not found.
	wantCode(t, s.RevokeDashboardSession(ctx, b.Tenant.ID, newer.ID, now), frontdesk.ENotFound)
	wantCode(t, s.RevokeDashboardSession(ctx, a.Tenant.ID, theirs.ID, now), frontdesk.ENotFound)
	wantCode(t, s.RevokeDashboardSession(ctx, a.Tenant.ID, frontdesk.NewID(), now), frontdesk.ENotFound)
	list(a, now, newer, older, soon)
	list(b, now, theirs)

	// Revoking ends the session at once; revoking again is fine.
	must(t, s.RevokeDashboardSession(ctx, a.Tenant.ID, newer.ID, now))
	_, err = s.DashboardSessionByHash(ctx, newer.Hash, now)
	wantCode(t, err, frontdesk.ENotFound)
	list(a, now, older, soon)
	must(t, s.RevokeDashboardSession(ctx, a.Tenant.ID, newer.ID, now.Add(time.Minute)))
	wantCode(t, s.TouchDashboardSession(ctx, newer.ID, now), frontdesk.ENotFound)
	list(b, now, theirs)
	// An expired session can still be revoked (it is the tenant's).
	must(t, s.RevokeDashboardSession(ctx, a.Tenant.ID, gone.ID, now))

	// Sessions are made only for tenants that exist; ids and hashes are unique.
	d := &frontdesk.DashboardSession{ID: frontdesk.NewID(), Hash: "hash-x", TenantID: frontdesk.NewID(), Email: "x@y.test",
		CSRFToken: "c", CreatedAt: now, LastSeenAt: now, ExpiresAt: now.Add(time.Hour)}
	wantCode(t, s.CreateDashboardSession(ctx, d), frontdesk.ENotFound)
	d.TenantID, d.Hash = b.Tenant.ID, older.Hash
	wantCode(t, s.CreateDashboardSession(ctx, d), frontdesk.EConflict)
	d.ID, d.Hash = older.ID, "hash-y"
	wantCode(t, s.CreateDashboardSession(ctx, d), frontdesk.EConflict)
	list(b, now, theirs)

	// Inside a transaction, as a sign-in link is exchanged for a session.
	must(t, s.CreateLoginToken(ctx, &frontdesk.LoginToken{Hash: "link", TenantID: b.Tenant.ID, Email: "b@x.test",
		ExpiresAt: now.Add(time.Hour), CreatedAt: now}))
	fresh := &frontdesk.DashboardSession{ID: frontdesk.NewID(), Hash: "hash-tx", Email: "b@x.test", CSRFToken: "c",
		CreatedAt: now, LastSeenAt: now, ExpiresAt: now.Add(time.Hour)}
	must(t, s.WithTx(ctx, func(tx frontdesk.Tx) error {
		lt, err := tx.UseLoginToken(ctx, "link", now)
		if err != nil {
			return err
		}
		fresh.TenantID = lt.TenantID
		return tx.CreateDashboardSession(ctx, fresh)
	}))
	list(b, now, fresh, theirs)
}

// testTranscripts: a booking's conversation is saved and replaced only by
// the booking's tenant, and read back only by it.
func testTranscripts(t *testing.T, s frontdesk.Store) {
	a := NewFixture(t, s, "Alpha", "UTC")
	b := NewFixture(t, s, "Beta", "UTC")
	bk := a.Booking(a.Portrait, a.Customer(t, s, "ann@example.com"), time.Date(2026, 12, 15, 10, 0, 0, 0, time.UTC))
	must(t, s.CreateBooking(ctx, bk))
	theirs := b.Booking(b.Wedding, b.Customer(t, s, "bob@example.com"), time.Date(2026, 12, 15, 0, 0, 0, 0, time.UTC))
	must(t, s.CreateBooking(ctx, theirs))
	transcript := func(f *Fixture, bookingID, want string) {
		t.Helper()
		got, err := s.Transcript(ctx, f.Tenant.ID, bookingID)
		must(t, err)
		if got != want {
			t.Fatalf("Transcript(%s, %s) = %q, want %q", f.Tenant.Name, bookingID, got, want)
		}
	}

	transcript(a, bk.ID, "")
	first := "customer: Bonjour, une séance portrait ?\nassistant: Bien sûr — mardi 15 à 10 h 00 ? 📷\n"
	must(t, s.SaveTranscript(ctx, a.Tenant.ID, bk.ID, first))
	transcript(a, bk.ID, first)
	must(t, s.SaveTranscript(ctx, a.Tenant.ID, bk.ID, "second"))
	transcript(a, bk.ID, "second")
	transcript(b, theirs.ID, "")

	// Another tenant can neither write nor read it.
	wantCode(t, s.SaveTranscript(ctx, b.Tenant.ID, bk.ID, "stolen"), frontdesk.ENotFound)
	_, err := s.Transcript(ctx, b.Tenant.ID, bk.ID)
	wantCode(t, err, frontdesk.ENotFound)
	wantCode(t, s.SaveTranscript(ctx, a.Tenant.ID, frontdesk.NewID(), "x"), frontdesk.ENotFound)
	_, err = s.Transcript(ctx, a.Tenant.ID, frontdesk.NewID())
	wantCode(t, err, frontdesk.ENotFound)
	_, err = s.Transcript(ctx, a.Tenant.ID, theirs.ID)
	wantCode(t, err, frontdesk.ENotFound)
	transcript(a, bk.ID, "second")

	must(t, s.SaveTranscript(ctx, b.Tenant.ID, theirs.ID, "theirs"))
	transcript(b, theirs.ID, "theirs")
	transcript(a, bk.ID, "second")

	// Inside a transaction, as the booking is made.
	third := a.Booking(a.Portrait, a.Customer(t, s, "ann@example.com"), time.Date(2026, 12, 16, 10, 0, 0, 0, time.UTC))
	must(t, s.WithTx(ctx, func(tx frontdesk.Tx) error {
		if err := tx.CreateBooking(ctx, third); err != nil {
			return err
		}
		return tx.SaveTranscript(ctx, a.Tenant.ID, third.ID, "made in a transaction")
	}))
	transcript(a, third.ID, "made in a transaction")
	transcript(a, bk.ID, "second")
}
