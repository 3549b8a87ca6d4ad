package chat_test

import (
	"encoding/json"
	"fmt"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/frontdeskhq/frontdesk"
	"github.com/frontdeskhq/frontdesk/booking"
	"github.com/frontdeskhq/frontdesk/chat"
	"github.com/frontdeskhq/frontdesk/claude/claudetest"
	"github.com/frontdeskhq/frontdesk/payments/testmode"
	"github.com/frontdeskhq/frontdesk/sqlstore"
	"github.com/frontdeskhq/frontdesk/storetest"
)

var confirmationCodeRE = regexp.MustCompile(`^BK-[A-HJ-NP-Z2-9]{6}$`)

// Monday 14 December 2026 in New York.
var (
	monday      = "2026-12-14"
	monday9am   = time.Date(2026, 12, 14, 14, 0, 0, 0, time.UTC) // 09:00 EST
	mondaySlot9 = "2026-12-14T09:00:00-05:00"
)

// checkResult checks what a successful booking confirm returns.
func checkResult(t testing.TB, res *booking.Result, status frontdesk.BookingStatus, checkout bool) {
	t.Helper()
	if res == nil || !res.Success || res.Action != "booked" || res.BookingID == "" || res.Status != string(status) {
		t.Fatalf("confirm result %+v, want success, action booked, status %s", res, status)
	}
	if !confirmationCodeRE.MatchString(res.ConfirmationCode) {
		t.Errorf("confirmation code %q does not match %s", res.ConfirmationCode, confirmationCodeRE)
	}
	wantURL := ""
	if checkout {
		wantURL = (&testmode.Payments{PublicURL: "http://test"}).URL(res.BookingID)
	}
	if res.CheckoutURL != wantURL {
		t.Errorf("checkoutUrl %q, want %q", res.CheckoutURL, wantURL)
	}
	wantContains(t, "confirm message", res.Message, res.ConfirmationCode)
}

// wantBookingEmails checks that the outbox holds exactly the customer's and
// the owner's emails about booking b.
func wantBookingEmails(t testing.TB, e *env, f *storetest.Fixture, b *frontdesk.Booking, customer string) {
	t.Helper()
	got := map[string]string{}
	for _, m := range e.emails(t, f) {
		got[m.Kind] = m.Email.To
		if m.IdempotencyKey != booking.EmailKey(m.Kind, b.ID) {
			t.Errorf("email %s has key %q, want one for booking %s", m.Kind, m.IdempotencyKey, b.ID)
		}
	}
	want := map[string]string{frontdesk.EmailBookingReceived: customer, frontdesk.EmailTenantNewBooking: f.Tenant.ContactEmail}
	if len(got) != 2 || len(e.emails(t, f)) != 2 {
		t.Fatalf("outbox %v, want exactly %v", got, want)
	}
	for k, to := range want {
		if !strings.Contains(got[k], to) {
			t.Errorf("%s email to %q, want %q", k, got[k], to)
		}
	}
}

// TestModelBooksAndCustomerConfirms runs a whole booking through the model:
// services, availability, book_service with the slot it was given, the
// proposal, and the confirm.
func TestModelBooksAndCustomerConfirms(t *testing.T) {
	forEachBackend(t, func(t *testing.T, open func(testing.TB) *sqlstore.DB) {
		e := newEnv(t, open, opts{model: true})
		// Someone already holds Monday 09:00-10:15 (60 minutes and a 15-minute buffer).
		taken := e.a.Booking(e.a.Portrait, e.a.Customer(t, e.store, "earlier@example.com"), monday9am)
		must(t, e.store.CreateBooking(ctx, taken))
		sid := e.session(t, e.a)

		var mu sync.Mutex
		var services frontdesk.GetServicesOut
		var avail frontdesk.CheckAvailabilityOut
		var booked frontdesk.BookServiceIn
		// The model reads each tool result and uses what it got.
		readResult := func(req claudetest.Request, v any) bool {
			res := req.ToolResults()
			if len(res) != 1 || res[0].IsError {
				t.Errorf("want one successful tool result, got %+v", res)
				return false
			}
			if err := json.Unmarshal([]byte(res[0].ContentText()), v); err != nil {
				t.Errorf("tool result %q: %v", res[0].ContentText(), err)
				return false
			}
			return true
		}
		e.fake.Reply(
			claudetest.ToolUse(frontdesk.ToolGetServices, map[string]any{}),
			func(req claudetest.Request) claudetest.Response {
				mu.Lock()
				defer mu.Unlock()
				id := "missing"
				if readResult(req, &services) {
					for _, s := range services.Services {
						if s.Slug == "portrait" {
							id = s.ID
						}
					}
				}
				return claudetest.ToolUse(frontdesk.ToolCheckAvailability, frontdesk.CheckAvailabilityIn{PackageID: id, StartDate: monday, EndDate: monday})(req)
			},
			func(req claudetest.Request) claudetest.Response {
				mu.Lock()
				defer mu.Unlock()
				booked = frontdesk.BookServiceIn{PackageID: avail.PackageID, Date: monday, CustomerName: "Ann Lee", CustomerEmail: "ann@example.com"}
				if readResult(req, &avail) && len(avail.Days) > 0 {
					booked.PackageID, booked.StartTime = avail.PackageID, avail.Days[0].Times[0]
				}
				return claudetest.ToolUse(frontdesk.ToolBookService, booked)(req)
			},
			// The proposal ends the turn: no call after book_service.
		)
		r := e.send(t, e.a, sid, "I'd like a portrait session on Monday morning. I'm Ann Lee, ann@example.com")
		reqs := e.requests(t)
		if len(reqs) != 3 || e.fake.Pending() != 0 {
			t.Fatalf("%d model requests and %d steps left, want 3 and none", len(reqs), e.fake.Pending())
		}
		mu.Lock()
		defer mu.Unlock()

		// check_availability: Monday's open slots, without the taken one.
		if avail.PackageID != e.a.Portrait.ID || avail.BookingType != frontdesk.BookingTimeslot || avail.TimeZone != testZone ||
			avail.StartDate != monday || avail.EndDate != monday || len(avail.Days) != 1 || avail.Days[0].Date != monday {
			t.Fatalf("check_availability = %+v: want Monday's open times, in one day", avail)
		}
		var starts []string
		for _, st := range avail.Starts(e.a.Tenant.Location()) {
			starts = append(starts, st.Format(time.RFC3339))
			if st.Before(monday9am.Add(75 * time.Minute)) {
				t.Errorf("slot %s overlaps the booking held 09:00-10:15", st)
			}
		}
		if slices.Contains(starts, mondaySlot9) || len(starts) == 0 || starts[0] != "2026-12-14T10:15:00-05:00" || avail.Days[0].Times[0] != "10:15" {
			t.Errorf("open slots %q (%v): want the first at 10:15, after the taken 09:00", starts, avail.Days)
		}

		// book_service: a proposal for the slot the model was given, as
		// stored with the answer (no model call reads it).
		stored := storedResults(t, e, e.a, sid)
		if len(stored) != 3 {
			t.Fatalf("%d tool calls stored with the answer, want 3", len(stored))
		}
		res := stored[2]
		var out frontdesk.BookServiceOut
		decodeResult(t, res, &out)
		if res.IsError || !out.Success || out.ProposalID == "" {
			t.Fatalf("book_service = %s", res.ContentText())
		}
		if want := "I've prepared your booking. Please check the details and press Confirm."; r.Message != want {
			t.Errorf("reply %q, want %q", r.Message, want)
		}
		p := r.Proposal
		if p == nil {
			t.Fatal("the reply has no proposal")
		}
		wantExpiry := testNow.Add(30 * time.Minute)
		if p.ProposalID != out.ProposalID || p.Operation != frontdesk.OpCreateBooking || !p.RequiresApproval || !p.ExpiresAt.Equal(wantExpiry) {
			t.Errorf("proposal %+v, want %s, create_booking, approval required, expiring at %s", p, out.ProposalID, wantExpiry)
		}
		if out.ExpiresAt != wantExpiry.Format(time.RFC3339) || out.Preview != p.Preview {
			t.Errorf("book_service result %+v does not match the proposal %+v", out, p)
		}
		wantContains(t, "preview", p.Preview, "Portrait Session", "Monday 14 December 2026, 10:15 AM", "Ann Lee", "ann@example.com", "$250.00")
		if n := len(e.allBookings(t, e.a)); n != 1 {
			t.Fatalf("%d bookings before the confirm, want only the earlier one", n)
		}

		// The customer confirms.
		e.clock.Advance(5 * time.Minute)
		cres, err := e.svc.Confirm(ctx, e.a.Tenant, sid, p.ProposalID)
		if err != nil {
			t.Fatalf("Confirm: %v", err)
		}
		checkResult(t, cres, frontdesk.StatusPending, true)
		b, err := e.store.Booking(ctx, e.a.Tenant.ID, cres.BookingID)
		must(t, err)
		wantStart := time.Date(2026, 12, 14, 15, 15, 0, 0, time.UTC)
		if b.Status != frontdesk.StatusPending || b.ConfirmationCode != cres.ConfirmationCode || b.PackageID != e.a.Portrait.ID ||
			b.StartAt == nil || !b.StartAt.Equal(wantStart) || b.EndAt == nil || !b.EndAt.Equal(wantStart.Add(time.Hour)) ||
			b.Date.String() != monday || b.Customer.Email != "ann@example.com" || b.Customer.Name != "Ann Lee" ||
			b.TotalPriceCents != 25000 || b.Source != frontdesk.SourceChatbot ||
			b.CheckoutSessionID != testmode.SessionID(b.ID) || b.CheckoutURL != cres.CheckoutURL {
			t.Fatalf("stored booking %+v", b)
		}
		wantBookingEmails(t, e, e.a, b, "ann@example.com")

		// The confirmation is noted in the conversation.
		s, err := e.svc.StartSession(ctx, e.a.Tenant, sid, "")
		must(t, err)
		if n := len(s.Messages); n != 3 || s.Messages[2].Content != cres.Message {
			t.Errorf("conversation after the confirm: %+v", s.Messages)
		}
	})
}

func TestConfirmRefusals(t *testing.T) {
	forEachBackend(t, func(t *testing.T, open func(testing.TB) *sqlstore.DB) {
		e := newEnv(t, open, opts{})
		sid := e.session(t, e.a)
		otherSID := e.session(t, e.a)
		bSID := e.session(t, e.b)
		p := e.propose(t, e.a, sid, frontdesk.BookServiceIn{PackageID: "wedding", Date: monday, CustomerName: "Ann Lee", CustomerEmail: "ann@example.com"})

		refusals := []struct {
			name     string
			tenant   *storetest.Fixture
			session  string
			proposal string
		}{
			{"another tenant with the right session", e.b, sid, p.ID},
			{"another tenant with its own session", e.b, bSID, p.ID},
			{"another session of the same tenant", e.a, otherSID, p.ID},
			{"an unknown session", e.a, frontdesk.NewID(), p.ID},
			{"an unknown proposal", e.a, sid, frontdesk.NewID()},
			{"a malformed proposal id", e.a, sid, "'; DROP TABLE proposals; --"},
		}
		for _, tc := range refusals {
			t.Run(tc.name, func(t *testing.T) {
				res, err := e.svc.Confirm(ctx, tc.tenant.Tenant, tc.session, tc.proposal)
				wantCode(t, err, frontdesk.ENotFound)
				if res != nil {
					t.Fatalf("refused confirm returned %+v", res)
				}
			})
		}
		if n := len(e.allBookings(t, e.a)) + len(e.allBookings(t, e.b)); n != 0 {
			t.Fatalf("%d bookings after refused confirms", n)
		}

		t.Run("twice gives the same result and one booking", func(t *testing.T) {
			first, err := e.svc.Confirm(ctx, e.a.Tenant, sid, p.ID)
			must(t, err)
			checkResult(t, first, frontdesk.StatusPending, true)
			second, err := e.svc.Confirm(ctx, e.a.Tenant, sid, p.ID)
			must(t, err)
			if !reflect.DeepEqual(first, second) {
				t.Fatalf("second confirm %+v, want the first %+v", second, first)
			}
			all := e.allBookings(t, e.a)
			if len(all) != 1 || all[0].ID != first.BookingID {
				t.Fatalf("bookings %+v, want only %s", all, first.BookingID)
			}
			wantBookingEmails(t, e, e.a, all[0], "ann@example.com")
			// Still refused to another session once executed.
			_, err = e.svc.Confirm(ctx, e.a.Tenant, otherSID, p.ID)
			wantCode(t, err, frontdesk.ENotFound)
		})

		t.Run("expired", func(t *testing.T) {
			late := e.propose(t, e.a, sid, frontdesk.BookServiceIn{PackageID: "consult", Date: "2026-12-16",
				StartTime: "11:00", CustomerName: "Bo Chen", CustomerEmail: "bo@example.com"})
			e.clock.Advance(31 * time.Minute)
			res, err := e.svc.Confirm(ctx, e.a.Tenant, sid, late.ID)
			wantCode(t, err, frontdesk.EExpired)
			if res != nil {
				t.Fatalf("expired confirm returned %+v", res)
			}
			if n := len(e.allBookings(t, e.a)); n != 1 {
				t.Fatalf("%d bookings, want only the earlier one", n)
			}
		})
	})
}

// TestConcurrentConfirmsOfOneSlot confirms 50 proposals of 50 sessions for
// the same slot at once: exactly one wins.
func TestConcurrentConfirmsOfOneSlot(t *testing.T) {
	const n = 50
	forEachBackend(t, func(t *testing.T, open func(testing.TB) *sqlstore.DB) {
		e := newEnv(t, open, opts{})
		sessions := make([]string, n)
		proposals := make([]string, n)
		for i := range n {
			sessions[i] = e.session(t, e.a)
			proposals[i] = e.propose(t, e.a, sessions[i], frontdesk.BookServiceIn{PackageID: "portrait", Date: monday,
				StartTime: mondaySlot9, CustomerName: fmt.Sprintf("Customer %d", i), CustomerEmail: fmt.Sprintf("c%d@example.com", i)}).ID
		}
		results := make([]*booking.Result, n)
		errs := make([]error, n)
		start := make(chan struct{})
		var wg sync.WaitGroup
		for i := range n {
			wg.Go(func() {
				<-start
				results[i], errs[i] = e.svc.Confirm(ctx, e.a.Tenant, sessions[i], proposals[i])
			})
		}
		close(start)
		wg.Wait()

		winner := -1
		lost := 0
		for i, err := range errs {
			switch {
			case err == nil:
				if winner >= 0 {
					t.Errorf("confirms %d and %d both booked", winner, i)
				}
				winner = i
				checkResult(t, results[i], frontdesk.StatusPending, true)
			case frontdesk.IsCode(err, frontdesk.ESlotUnavailable):
				lost++
			default:
				t.Errorf("confirm %d: %v (code %s), want success or slot_unavailable", i, err, frontdesk.ErrorCode(err))
			}
		}
		if winner < 0 || lost != n-1 {
			t.Fatalf("winner %d, %d slot_unavailable; want one booked and %d refused", winner, lost, n-1)
		}
		all := e.allBookings(t, e.a)
		if len(all) != 1 || all[0].ID != results[winner].BookingID || !all[0].StartAt.Equal(monday9am) {
			t.Fatalf("bookings %+v, want only the winner's", all)
		}
		wantBookingEmails(t, e, e.a, all[0], fmt.Sprintf("c%d@example.com", winner))
	})
}

// TestGuidedConversations books through chat.Service with no model, one
// message at a time, as the widget does.
func TestGuidedConversations(t *testing.T) {
	type step struct {
		say  string
		want []string // in the reply
		sugg []string // among the quick replies
	}
	tests := []struct {
		name     string
		steps    []step
		preview  []string
		status   frontdesk.BookingStatus
		checkout bool
		date     string
		start    *time.Time
	}{
		{name: "day package", steps: []step{
			{"hi", []string{"Alpha Studio"}, []string{"See services"}},
			{"See services", []string{"Wedding Photography", "Portrait Session", "Free Consultation"},
				[]string{"Wedding Photography", "Portrait Session", "Free Consultation"}},
			{"Wedding Photography", []string{"Wedding Photography", "What date"}, []string{"Tue Dec 15"}},
			{"Dec 15", []string{"Tuesday, December 15", "name"}, nil},
			{"Ann Lee", []string{"email"}, nil},
			{"ann@example.com", []string{"Please confirm below."}, []string{"Change date"}},
		}, preview: []string{"Wedding Photography", "Tuesday 15 December 2026", "Ann Lee", "ann@example.com", "$1,500.00"},
			status: frontdesk.StatusPending, checkout: true, date: "2026-12-15"},
		{name: "timed free package", steps: []step{
			{"hi", []string{"Alpha Studio"}, []string{"See services"}},
			{"See services", []string{"Free Consultation"}, nil},
			{"Free Consultation", []string{"Free Consultation", "What date"}, nil},
			{"Dec 14", []string{"What time", "Monday, December 14"}, []string{"9:00 AM"}},
			{"11am", []string{"11:00", "name"}, nil},
			{"Ann Lee", []string{"email"}, nil},
			{"ann@example.com", []string{"Please confirm below."}, []string{"Change date"}},
		}, preview: []string{"Free Consultation", "Monday 14 December 2026, 11:00 AM", "Ann Lee", "free"},
			status: frontdesk.StatusConfirmed, checkout: false, date: monday, start: ptr(time.Date(2026, 12, 14, 16, 0, 0, 0, time.UTC))},
		{name: "timed paid package", steps: []step{
			{"hi", []string{"Alpha Studio"}, []string{"See services"}},
			{"I'd like a portrait session", []string{"Portrait Session", "What date"}, nil},
			{"Wednesday", []string{"What time", "Wednesday, December 16"}, []string{"10:15 AM"}},
			{"10:15", []string{"name"}, nil},
			{"My name is Ann Lee, ann@example.com", []string{"Please confirm below."}, nil},
		}, preview: []string{"Portrait Session", "Wednesday 16 December 2026, 10:15 AM", "Ann Lee", "$250.00"},
			status: frontdesk.StatusPending, checkout: true, date: "2026-12-16", start: ptr(time.Date(2026, 12, 16, 15, 15, 0, 0, time.UTC))},
	}
	forEachBackend(t, func(t *testing.T, open func(testing.TB) *sqlstore.DB) {
		e := newEnv(t, open, opts{})
		for _, tc := range tests {
			t.Run(tc.name, func(t *testing.T) {
				sid := e.session(t, e.a)
				var r *chat.Reply
				for i, st := range tc.steps {
					r = e.send(t, e.a, sid, st.say)
					t.Logf("> %s\n< %s %q", st.say, r.Message, r.Suggestions)
					wantContains(t, fmt.Sprintf("reply %d", i+1), r.Message, st.want...)
					for _, q := range st.sugg {
						if !slices.Contains(r.Suggestions, q) {
							t.Errorf("reply %d suggestions %q, want %q among them", i+1, r.Suggestions, q)
						}
					}
					if (r.Proposal != nil) != (i == len(tc.steps)-1) {
						t.Fatalf("reply %d proposal %+v: want one only after the last step", i+1, r.Proposal)
					}
				}
				p := r.Proposal
				if p.Operation != frontdesk.OpCreateBooking || !p.RequiresApproval || !p.ExpiresAt.Equal(e.clock.Now().Add(frontdesk.ProposalTTL)) {
					t.Errorf("proposal %+v", p)
				}
				wantContains(t, "preview", p.Preview, tc.preview...)
				wantContains(t, "reply", r.Message, p.Preview)

				res, err := e.svc.Confirm(ctx, e.a.Tenant, sid, p.ProposalID)
				must(t, err)
				checkResult(t, res, tc.status, tc.checkout)
				b, err := e.store.Booking(ctx, e.a.Tenant.ID, res.BookingID)
				must(t, err)
				if b.Status != tc.status || b.Date.String() != tc.date || b.Customer.Name != "Ann Lee" || b.Customer.Email != "ann@example.com" ||
					(tc.start == nil) != (b.StartAt == nil) || tc.start != nil && !b.StartAt.Equal(*tc.start) {
					t.Fatalf("booking %+v, want %s on %s at %v", b, tc.status, tc.date, tc.start)
				}
				// After a confirm the next conversation starts afresh.
				cs, err := e.store.Session(ctx, e.a.Tenant.ID, sid)
				must(t, err)
				if len(cs.State) != 0 {
					t.Errorf("state after the confirm: %s", cs.State)
				}
			})
		}
	})
}

func ptr[T any](v T) *T { return &v }
