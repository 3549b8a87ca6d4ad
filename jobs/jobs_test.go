package jobs_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/frontdeskhq/frontdesk"
	"github.com/frontdeskhq/frontdesk/booking"
	"github.com/frontdeskhq/frontdesk/jobs"
	"github.com/frontdeskhq/frontdesk/payments/testmode"
	"github.com/frontdeskhq/frontdesk/storetest"
)

func TestCleanup(t *testing.T) {
	const day = 24 * time.Hour
	sessions := []struct {
		name string
		idle time.Duration
		kept bool
	}{
		{"idle 1h", time.Hour, true},
		{"idle 23h", 23 * time.Hour, true},
		{"idle exactly 24h", day, true},
		{"idle 25h", 25 * time.Hour, false},
		{"idle 72h", 72 * time.Hour, false},
	}
	proposals := []struct {
		name    string
		status  frontdesk.ProposalStatus
		expires time.Duration // relative to now
		want    frontdesk.ProposalStatus
		kept    bool
	}{
		{"pending, live", frontdesk.ProposalPending, 10 * time.Minute, frontdesk.ProposalPending, true},
		{"pending, lapsed an hour ago", frontdesk.ProposalPending, -time.Hour, frontdesk.ProposalExpired, true},
		{"pending, lapsed 8 days ago", frontdesk.ProposalPending, -8 * day, "", false},
		{"expired 6 days ago", frontdesk.ProposalExpired, -6 * day, frontdesk.ProposalExpired, true},
		{"expired exactly 7 days ago", frontdesk.ProposalExpired, -7 * day, frontdesk.ProposalExpired, true},
		{"expired 8 days ago", frontdesk.ProposalExpired, -8 * day, "", false},
		{"expired 90 days ago", frontdesk.ProposalExpired, -90 * day, "", false},
		{"rejected a day ago", frontdesk.ProposalRejected, -day, frontdesk.ProposalRejected, true},
		{"rejected 8 days ago", frontdesk.ProposalRejected, -8 * day, "", false},
		{"executed 30 days ago", frontdesk.ProposalExecuted, -30 * day, frontdesk.ProposalExecuted, true},
		{"executed a year ago", frontdesk.ProposalExecuted, -365 * day, frontdesk.ProposalExecuted, true},
	}
	storetest.EachBackend(t, func(t *testing.T, b storetest.Backend) {
		ctx := context.Background()
		s := b.Open(t)
		clk := newClock()
		now := clk.Now()
		fx := storetest.NewFixture(t, s, "Lumen Studio", "America/New_York")
		other := storetest.NewFixture(t, s, "Other Studio", "Europe/Berlin")

		live := &frontdesk.ChatSession{ID: frontdesk.NewID(), TenantID: fx.Tenant.ID, CreatedAt: now, UpdatedAt: now}
		if err := s.CreateSession(ctx, live); err != nil {
			t.Fatal(err)
		}
		sessionIDs := make([]string, len(sessions))
		for i, sc := range sessions {
			for _, tenant := range []*frontdesk.Tenant{fx.Tenant, other.Tenant} {
				at := now.Add(-sc.idle)
				cs := &frontdesk.ChatSession{ID: frontdesk.NewID(), TenantID: tenant.ID, CreatedAt: at.Add(-time.Hour), UpdatedAt: at}
				if err := s.CreateSession(ctx, cs); err != nil {
					t.Fatal(err)
				}
				for _, role := range []string{frontdesk.RoleUser, frontdesk.RoleAssistant} {
					if err := s.AppendMessage(ctx, &frontdesk.ChatMessage{ID: frontdesk.NewID(), SessionID: cs.ID, TenantID: tenant.ID,
						Role: role, Content: "hello from " + sc.name, CreatedAt: at}); err != nil {
						t.Fatal(err)
					}
				}
				if tenant == fx.Tenant {
					sessionIDs[i] = cs.ID
				}
			}
		}
		proposalIDs := make([]string, len(proposals))
		for i, pc := range proposals {
			p := &frontdesk.Proposal{ID: frontdesk.NewID(), TenantID: fx.Tenant.ID, SessionID: live.ID, Operation: frontdesk.OpCreateBooking,
				Payload: []byte(`{}`), Preview: pc.name, Status: pc.status, ExpiresAt: now.Add(pc.expires),
				CreatedAt: now.Add(pc.expires - frontdesk.ProposalTTL)}
			if err := s.CreateProposal(ctx, p); err != nil {
				t.Fatal(err)
			}
			proposalIDs[i] = p.ID
		}

		j := &jobs.Jobs{Store: s, Clock: clk, Log: discard}
		for run := range 2 { // a second run finds nothing more to do
			if err := j.Run(ctx, "cleanup"); err != nil {
				t.Fatal(err)
			}
			for i, sc := range sessions {
				_, err := s.Session(ctx, fx.Tenant.ID, sessionIDs[i])
				if kept := err == nil; kept != sc.kept {
					t.Errorf("run %d: session %s: kept %v (%v), want %v", run, sc.name, kept, err, sc.kept)
				}
				msgs := storetest.Count(t, s, `SELECT count(*) FROM chat_messages WHERE session_id = $1`, sessionIDs[i])
				if want := map[bool]int{true: 2, false: 0}[sc.kept]; msgs != want {
					t.Errorf("run %d: session %s has %d messages, want %d", run, sc.name, msgs, want)
				}
			}
			if n := storetest.Count(t, s, `SELECT count(*) FROM chat_sessions WHERE tenant_id = $1`, other.Tenant.ID); n != 3 {
				t.Errorf("run %d: other tenant has %d sessions, want 3 (the same rule for every tenant)", run, n)
			}
			if _, err := s.Session(ctx, fx.Tenant.ID, live.ID); err != nil {
				t.Errorf("run %d: live session: %v", run, err)
			}
			for i, pc := range proposals {
				p, err := s.Proposal(ctx, fx.Tenant.ID, live.ID, proposalIDs[i])
				switch {
				case !pc.kept && !frontdesk.IsCode(err, frontdesk.ENotFound):
					t.Errorf("run %d: proposal %s: %v, %v; want it deleted", run, pc.name, p, err)
				case pc.kept && err != nil:
					t.Errorf("run %d: proposal %s: %v, want it kept", run, pc.name, err)
				case pc.kept && p.Status != pc.want:
					t.Errorf("run %d: proposal %s is %s, want %s", run, pc.name, p.Status, pc.want)
				}
			}
		}
	})
}

func TestExpireJob(t *testing.T) {
	storetest.EachBackend(t, func(t *testing.T, b storetest.Backend) {
		ctx := context.Background()
		s := b.Open(t)
		clk := newClock()
		now := clk.Now()
		fx := storetest.NewFixture(t, s, "Lumen Studio", "America/New_York")
		cust := fx.Customer(t, s, "ada@example.com")
		pay := &testmode.Payments{PublicURL: "https://frontdesk.test"}
		svc := &booking.Service{Store: s, Clock: clk, Payments: pay, Log: discard, PublicURL: "https://frontdesk.test", MailFrom: "bookings@frontdesk.test"}
		j := &jobs.Jobs{Store: s, Bookings: svc, Clock: clk, Log: discard}

		slot := func(day int) time.Time { return time.Date(2026, 12, day, 15, 0, 0, 0, time.UTC) } // 10:00 EST, Mon 7 to Sat 12
		mk := func(day int, created time.Duration, status frontdesk.BookingStatus, checkoutEnds *time.Duration, session bool) *frontdesk.Booking {
			bk := fx.Booking(fx.Portrait, cust, slot(day))
			bk.Status, bk.CreatedAt, bk.UpdatedAt = status, now.Add(created), now.Add(created)
			if checkoutEnds != nil {
				end := now.Add(*checkoutEnds)
				bk.CheckoutExpiresAt = &end
			}
			if session {
				bk.CheckoutSessionID, bk.CheckoutURL = testmode.SessionID(bk.ID), pay.URL(bk.ID)
			}
			if status == frontdesk.StatusConfirmed {
				paid := now.Add(created + time.Minute)
				bk.PaidAt = &paid
			}
			if err := s.CreateBooking(ctx, bk); err != nil {
				t.Fatal(err)
			}
			return bk
		}
		lapsed := mk(7, -50*time.Minute, frontdesk.StatusPending, ptr(-5*time.Minute), true)
		lapsedNoSession := mk(8, -50*time.Minute, frontdesk.StatusPending, ptr(-3*time.Minute), false)
		fresh := mk(9, -10*time.Minute, frontdesk.StatusPending, ptr(35*time.Minute), true)
		atExpiry := mk(10, -45*time.Minute, frontdesk.StatusPending, ptr(time.Duration(0)), true)
		paid := mk(11, -60*time.Minute, frontdesk.StatusConfirmed, ptr(-15*time.Minute), true)
		awaiting := mk(12, -2*time.Minute, frontdesk.StatusPending, ptr(45*time.Minute), false) // payments were down

		if err := j.Run(ctx, "expire"); err != nil {
			t.Fatal(err)
		}
		for _, c := range []struct {
			name string
			bk   *frontdesk.Booking
			want frontdesk.BookingStatus
		}{
			{"lapsed", lapsed, frontdesk.StatusExpired},
			{"lapsed without a session", lapsedNoSession, frontdesk.StatusExpired},
			{"fresh", fresh, frontdesk.StatusPending},
			{"at the expiry instant", atExpiry, frontdesk.StatusPending},
			{"paid", paid, frontdesk.StatusConfirmed},
			{"awaiting checkout", awaiting, frontdesk.StatusPending},
		} {
			got, err := s.Booking(ctx, fx.Tenant.ID, c.bk.ID)
			if err != nil {
				t.Fatal(err)
			}
			if got.Status != c.want {
				t.Errorf("%s booking: %s, want %s", c.name, got.Status, c.want)
			}
			if c.want == frontdesk.StatusExpired && !got.UpdatedAt.Equal(now) {
				t.Errorf("%s booking updated at %s, want %s", c.name, got.UpdatedAt, now)
			}
		}
		// The job also finished the checkout the provider could not make at confirm.
		got, err := s.Booking(ctx, fx.Tenant.ID, awaiting.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.CheckoutSessionID != testmode.SessionID(awaiting.ID) {
			t.Errorf("awaiting booking has session %q after the job", got.CheckoutSessionID)
		}
		links := 0
		emails, err := s.ListEmails(ctx, fx.Tenant.ID)
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range emails {
			if e.Kind != frontdesk.EmailPaymentLink {
				continue
			}
			links++
			if e.IdempotencyKey != booking.EmailKey(frontdesk.EmailPaymentLink, awaiting.ID) || !strings.Contains(e.Email.Text, pay.URL(awaiting.ID)) {
				t.Errorf("payment link email %s: %q", e.IdempotencyKey, e.Email.Subject)
			}
		}
		if links != 1 {
			t.Errorf("%d payment_link emails, want 1", links)
		}

		// The slot of the lapsed booking can be booked again.
		again := fx.Booking(fx.Portrait, cust, slot(7))
		again.Status, again.CreatedAt = frontdesk.StatusConfirmed, now
		if err := s.CreateBooking(ctx, again); err != nil {
			t.Errorf("rebooking the lapsed slot: %v", err)
		}

		// Later, the rest lapse too; running again changes nothing else.
		clk.Advance(time.Hour)
		if err := j.Expire(ctx); err != nil {
			t.Fatal(err)
		}
		for _, bk := range []*frontdesk.Booking{fresh, atExpiry, awaiting} {
			if got, _ := s.Booking(ctx, fx.Tenant.ID, bk.ID); got == nil || got.Status != frontdesk.StatusExpired {
				t.Errorf("booking %s after its checkout lapsed: %v", bk.ID, got)
			}
		}
		if got, _ := s.Booking(ctx, fx.Tenant.ID, paid.ID); got == nil || got.Status != frontdesk.StatusConfirmed {
			t.Errorf("paid booking: %v", got)
		}
		if n := storetest.Count(t, s, `SELECT count(*) FROM email_outbox WHERE kind = 'payment_link'`); n != 1 {
			t.Errorf("%d payment_link emails after the second run, want 1", n)
		}
	})
}

func TestRunUnknownJob(t *testing.T) {
	j := &jobs.Jobs{Log: discard}
	err := j.Run(context.Background(), "vacuum")
	if err == nil || !strings.Contains(err.Error(), "cleanup, expire, reminders or outbox") {
		t.Errorf("Run(vacuum) = %v, want an error naming the jobs", err)
	}
}

func ptr[T any](v T) *T { return &v }

// TestCleanupDashboardAccess: sign-in links and sessions dead for over a
// day are deleted; live ones stay.
func TestCleanupDashboardAccess(t *testing.T) {
	storetest.EachBackend(t, func(t *testing.T, b storetest.Backend) {
		ctx := context.Background()
		s := b.Open(t)
		clk := newClock()
		now := clk.Now()
		fx := storetest.NewFixture(t, s, "Lumen Studio", "America/New_York")
		for i, exp := range []time.Duration{-48 * time.Hour, -time.Hour, 10 * time.Minute} {
			if err := s.CreateLoginToken(ctx, &frontdesk.LoginToken{Hash: fmt.Sprintf("link%d", i), TenantID: fx.Tenant.ID, Email: "a@b.co",
				ExpiresAt: now.Add(exp), CreatedAt: now.Add(exp - 15*time.Minute)}); err != nil {
				t.Fatal(err)
			}
		}
		for i, sc := range []struct {
			expires time.Duration
			revoke  bool
		}{{-48 * time.Hour, false}, {24 * time.Hour, true}, {24 * time.Hour, false}} {
			sess := &frontdesk.DashboardSession{ID: frontdesk.NewID(), Hash: fmt.Sprintf("sess%d", i), TenantID: fx.Tenant.ID, Email: "a@b.co",
				CSRFToken: "x", CreatedAt: now.Add(-72 * time.Hour), LastSeenAt: now.Add(-72 * time.Hour), ExpiresAt: now.Add(sc.expires)}
			if err := s.CreateDashboardSession(ctx, sess); err != nil {
				t.Fatal(err)
			}
			if sc.revoke {
				if err := s.RevokeDashboardSession(ctx, fx.Tenant.ID, sess.ID, now.Add(-48*time.Hour)); err != nil {
					t.Fatal(err)
				}
			}
		}
		j := &jobs.Jobs{Store: s, Clock: clk, Log: discard}
		if err := j.Cleanup(ctx); err != nil {
			t.Fatal(err)
		}
		if n := storetest.Count(t, s, `SELECT count(*) FROM dashboard_login_tokens`); n != 2 {
			t.Errorf("%d sign-in links left, want 2 (the one dead for two days deleted)", n)
		}
		if n := storetest.Count(t, s, `SELECT count(*) FROM dashboard_sessions`); n != 1 {
			t.Errorf("%d sessions left, want the live one", n)
		}
	})
}
