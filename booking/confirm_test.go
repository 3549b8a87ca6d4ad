package booking_test

import (
	"encoding/json"
	"reflect"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/frontdeskhq/frontdesk"
	"github.com/frontdeskhq/frontdesk/booking"
	"github.com/frontdeskhq/frontdesk/payments/testmode"
	"github.com/frontdeskhq/frontdesk/storetest"
)

var codeRE = regexp.MustCompile(`^BK-[ABCDEFGHJKLMNPQRSTUVWXYZ23456789]{6}$`)

// TestConfirm runs the confirm checks on one store per backend, each
// subtest on days of its own.
func TestConfirm(t *testing.T) {
	tests := []struct {
		name string
		run  func(t *testing.T, e *env)
	}{
		{"free package is confirmed at once", testConfirmFree},
		{"paid package starts checkout", testConfirmPaid},
		{"concurrent confirms book once", testConfirmConcurrently},
		{"customer found case-insensitively", testConfirmKnownCustomer},
		{"another session's proposal is not found", testConfirmOtherSession},
		{"expired proposal", testConfirmExpired},
		{"slot taken since the proposal", testConfirmSlotTaken},
		{"stored result", testConfirmStoredResult},
	}
	storetest.EachBackend(t, func(t *testing.T, b storetest.Backend) {
		e := newEnv(t, b)
		for _, tc := range tests {
			t.Run(tc.name, func(t *testing.T) { tc.run(t, e.sub(t)) })
		}
	})
}

func testConfirmFree(t *testing.T, e *env) {
	day := e.nextDay()
	p := e.propose(input("consult", day, "10:00"))
	res := e.confirm(p)
	if !res.Success || res.Action != "booked" || res.Status != string(frontdesk.StatusConfirmed) || res.CheckoutURL != "" {
		t.Fatalf("result %+v: want a CONFIRMED booking without checkout", res)
	}
	if !codeRE.MatchString(res.ConfirmationCode) || !strings.Contains(res.Message, res.ConfirmationCode) {
		t.Errorf("code %q / message %q", res.ConfirmationCode, res.Message)
	}
	bk := e.booking(res.BookingID)
	d, _ := frontdesk.ParseDate(day)
	start := time.Date(d.Year, d.Month, d.Day, 15, 0, 0, 0, time.UTC) // 10:00 EST
	if bk.Status != frontdesk.StatusConfirmed || bk.TotalPriceCents != 0 || bk.Date != d ||
		bk.StartAt == nil || !bk.StartAt.Equal(start) || !bk.EndAt.Equal(start.Add(30*time.Minute)) ||
		bk.Source != frontdesk.SourceChatbot || bk.CheckoutSessionID != "" || bk.Customer.Email != "ada@example.com" {
		t.Errorf("booking %+v", bk)
	}
	if n := len(e.emailsAbout(bk.ID)); n != 2 {
		t.Fatalf("%d emails, want booking_received and tenant_new_booking", n)
	}
	now := e.clock.Now()
	cust := e.email(frontdesk.EmailBookingReceived, bk.ID)
	mustDueBy(t, cust, now)
	if cust.Email.To != "ada@example.com" || cust.Email.Subject != "Booking received: "+bk.ConfirmationCode || cust.Status != frontdesk.EmailPending {
		t.Errorf("customer email %+v", cust.Email)
	}
	if strings.Contains(cust.Email.Text, "/checkout/") || strings.Contains(cust.Email.Text, "payment link") {
		t.Errorf("free booking email talks about payment:\n%s", cust.Email.Text)
	}
	owner := e.email(frontdesk.EmailTenantNewBooking, bk.ID)
	mustDueBy(t, owner, now)
	if owner.Email.To != e.fx.Tenant.ContactEmail {
		t.Errorf("tenant email to %q, want %q", owner.Email.To, e.fx.Tenant.ContactEmail)
	}
	got, err := e.store.Proposal(e.ctx, e.fx.Tenant.ID, e.session, p.ID)
	if err != nil || got.Status != frontdesk.ProposalExecuted {
		t.Errorf("proposal after confirm: %+v, %v", got, err)
	}
}

func testConfirmPaid(t *testing.T, e *env) {
	day := e.nextDay()
	p := e.propose(input("portrait", day, "10:15"))
	res := e.confirm(p)
	if !res.Success || res.Status != string(frontdesk.StatusPending) {
		t.Fatalf("result %+v: want PENDING", res)
	}
	url := e.pay.URL(res.BookingID)
	if res.CheckoutURL != url || !strings.Contains(res.Message, "complete payment") {
		t.Errorf("result %+v: want checkoutUrl %s and a word on payment", res, url)
	}
	now := e.clock.Now()
	bk := e.booking(res.BookingID)
	if bk.Status != frontdesk.StatusPending || bk.TotalPriceCents != 25000 || bk.PaidAt != nil ||
		bk.CheckoutSessionID != testmode.SessionID(bk.ID) || bk.CheckoutURL != url ||
		bk.CheckoutExpiresAt == nil || !bk.CheckoutExpiresAt.Equal(now.Add(45*time.Minute)) {
		t.Errorf("booking %+v: want PENDING with the test-mode checkout until %s", bk, now.Add(45*time.Minute))
	}
	cust := e.email(frontdesk.EmailBookingReceived, bk.ID)
	mustDueBy(t, cust, now)
	if cust.Attempts != 0 || cust.Email.Subject != "Booking received: "+bk.ConfirmationCode {
		t.Errorf("customer email %+v", cust)
	}
	if !strings.Contains(cust.Email.Text, url) || !strings.Contains(cust.Email.HTML, url) {
		t.Errorf("customer email lacks the payment link %s:\n%s", url, cust.Email.Text)
	}
	mustDueBy(t, e.email(frontdesk.EmailTenantNewBooking, bk.ID), now)
	if n := len(e.emailsAbout(bk.ID)); n != 2 {
		t.Errorf("%d emails, want 2", n)
	}

	// Confirming again replays the result, payment link included.
	again := e.confirm(p)
	if !reflect.DeepEqual(again, res) {
		t.Errorf("second confirm\n got %+v\nwant %+v", again, res)
	}
	if n := e.bookingsOn(day); n != 1 {
		t.Errorf("%d bookings after confirming twice, want 1", n)
	}
	if n := len(e.emailsAbout(bk.ID)); n != 2 {
		t.Errorf("%d emails after confirming twice, want 2", n)
	}
}

// A double-clicked Confirm books once. A confirm that replays the result
// while the first is still creating the checkout may go without the link;
// it then says the link follows by email, and the confirmation email has it.
func testConfirmConcurrently(t *testing.T, e *env) {
	day := e.nextDay()
	p := e.propose(input("wedding", day, ""))
	const n = 6
	results := make([]*booking.Result, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() { results[i], errs[i] = e.svc.Confirm(e.ctx, e.fx.Tenant, e.session, p.ID) })
	}
	wg.Wait()
	var bookingID string
	withLink := 0
	for i, res := range results {
		if errs[i] != nil {
			t.Fatalf("confirm %d: %v", i, errs[i])
		}
		if i == 0 {
			bookingID = res.BookingID
		}
		if res.BookingID != bookingID || res.ConfirmationCode != results[0].ConfirmationCode || res.Status != string(frontdesk.StatusPending) {
			t.Errorf("confirm %d: %+v, confirm 0: %+v", i, res, results[0])
		}
		switch url := e.pay.URL(bookingID); {
		case res.CheckoutURL == url:
			withLink++
		case res.CheckoutURL != "" || !strings.Contains(res.Message, "will follow by email"):
			t.Errorf("confirm %d: %+v: want the checkout link or word that it follows", i, res)
		}
	}
	if withLink == 0 {
		t.Error("no confirm returned the checkout link")
	}
	if got := e.bookingsOn(day); got != 1 {
		t.Errorf("%d bookings, want 1", got)
	}
	if got := len(e.emailsAbout(bookingID)); got != 2 {
		t.Errorf("%d emails, want 2", got)
	}
	if m := e.email(frontdesk.EmailBookingReceived, bookingID); !strings.Contains(m.Email.Text, e.pay.URL(bookingID)) {
		t.Errorf("confirmation email lacks the link:\n%s", m.Email.Text)
	}
	// Once it has settled, a confirm replays the link.
	if res := e.confirm(p); res.CheckoutURL != e.pay.URL(bookingID) {
		t.Errorf("later confirm %+v: want the checkout link", res)
	}
}

func testConfirmKnownCustomer(t *testing.T, e *env) {
	in := input("consult", e.nextDay(), "10:00")
	in.CustomerEmail = "grace@example.com"
	first := e.booking(e.book(in).BookingID)
	in = input("portrait", e.nextDay(), "10:15")
	in.CustomerEmail, in.CustomerName = "GRACE@Example.COM", "Grace H."
	second := e.booking(e.book(in).BookingID)
	if second.CustomerID != first.CustomerID {
		t.Errorf("second booking has customer %s, want the first's %s", second.CustomerID, first.CustomerID)
	}
	if n := storetest.Count(t, e.store, `SELECT count(*) FROM customers WHERE tenant_id = $1 AND lower(email) = 'grace@example.com'`, e.fx.Tenant.ID); n != 1 {
		t.Errorf("%d customers, want 1", n)
	}
	// Both confirmations go to the one stored address.
	if to := e.email(frontdesk.EmailBookingReceived, second.ID).Email.To; to != "grace@example.com" {
		t.Errorf("second confirmation to %q", to)
	}
}

func testConfirmOtherSession(t *testing.T, e *env) {
	day := e.nextDay()
	p := e.propose(input("wedding", day, ""))
	_, err := e.svc.Confirm(e.ctx, e.fx.Tenant, e.newSession(), p.ID)
	wantCode(t, err, frontdesk.ENotFound, "")
	other := storetest.NewFixture(t, e.store, "Other Studio", zone)
	_, err = e.svc.Confirm(e.ctx, other.Tenant, e.session, p.ID)
	wantCode(t, err, frontdesk.ENotFound, "")
	if n := e.bookingsOn(day); n != 0 {
		t.Errorf("%d bookings, want 0", n)
	}
}

func testConfirmExpired(t *testing.T, e *env) {
	cases := []struct {
		name  string
		after time.Duration
	}{
		{"at expiry", frontdesk.ProposalTTL},
		{"after expiry", frontdesk.ProposalTTL + time.Minute},
		{"a day later", 24 * time.Hour},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			e := e.sub(t)
			day := e.nextDay()
			p := e.propose(input("wedding", day, ""))
			before := len(e.emails())
			e.clock.Advance(tc.after)
			res, err := e.svc.Confirm(e.ctx, e.fx.Tenant, e.session, p.ID)
			wantCode(t, err, frontdesk.EExpired, "Ask the assistant")
			if res != nil {
				t.Errorf("result %+v with an error", res)
			}
			if n := e.bookingsOn(day); n != 0 {
				t.Errorf("%d bookings, want 0", n)
			}
			if n := len(e.emails()); n != before {
				t.Errorf("%d emails, want %d", n, before)
			}
		})
	}
	// A second before expiry it still books.
	p := e.propose(input("wedding", e.nextDay(), ""))
	e.clock.Advance(frontdesk.ProposalTTL - time.Second)
	if res := e.confirm(p); !res.Success {
		t.Errorf("confirm a second before expiry: %+v", res)
	}
}

func testConfirmSlotTaken(t *testing.T, e *env) {
	cases := []struct {
		name  string
		first frontdesk.BookServiceIn // booked first
		later frontdesk.BookServiceIn // proposed before first was booked
	}{
		{"same slot", input("portrait", "", "10:15"), input("portrait", "", "10:15")},
		{"overlapping another service's slot", input("portrait", "", "10:15"), input("consult", "", "11:00")},
		{"inside the buffer", input("portrait", "", "09:00"), input("consult", "", "10:00")},
		{"same date", input("wedding", "", ""), input("wedding", "", "")},
		{"whole day on a day with a slot", input("consult", "", "10:00"), input("wedding", "", "")},
		{"slot on a booked whole day", input("wedding", "", ""), input("consult", "", "10:00")},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			e := e.sub(t)
			day := e.nextDay()
			first, later := tc.first, tc.later
			first.Date, later.Date = day, day
			later.CustomerEmail = "bob@example.com"
			pFirst, pLater := e.propose(first), e.propose(later)
			res := e.confirm(pFirst)
			before := e.emails()
			_, err := e.svc.Confirm(e.ctx, e.fx.Tenant, e.session, pLater.ID)
			wantCode(t, err, frontdesk.ESlotUnavailable, "no longer available")
			if n := e.bookingsOn(day); n != 1 {
				t.Errorf("%d bookings, want 1", n)
			}
			if after := e.emails(); len(after) != len(before) {
				t.Errorf("%d emails after the refused confirm, want %d", len(after), len(before))
			}
			if n := len(e.emailsAbout(res.BookingID)); n != 2 {
				t.Errorf("%d emails about the first booking, want 2", n)
			}
			if n := storetest.Count(t, e.store, `SELECT count(*) FROM customers WHERE email = 'bob@example.com'`); n != 0 {
				t.Errorf("the refused booking left its customer behind")
			}
			got, err := e.store.Proposal(e.ctx, e.fx.Tenant.ID, e.session, pLater.ID)
			if err != nil || got.Status != frontdesk.ProposalPending || len(got.Result) != 0 {
				t.Errorf("refused proposal: %+v, %v; want it still PENDING without result", got, err)
			}
		})
	}
}

// The stored proposal result is the JSON the public API returns.
func testConfirmStoredResult(t *testing.T, e *env) {
	p := e.propose(input("portrait", e.nextDay(), "10:15"))
	res := e.confirm(p)
	got, err := e.store.Proposal(e.ctx, e.fx.Tenant.ID, e.session, p.ID)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(got.Result, &m); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"success", "action", "bookingId", "confirmationCode", "status", "checkoutUrl", "message"} {
		if _, ok := m[k]; !ok {
			t.Errorf("stored result %s lacks %q", got.Result, k)
		}
	}
	if m["checkoutUrl"] != res.CheckoutURL || m["bookingId"] != res.BookingID {
		t.Errorf("stored result %s, returned %+v", got.Result, res)
	}
}

func TestPaymentsDown(t *testing.T) {
	storetest.EachBackend(t, func(t *testing.T, b storetest.Backend) {
		e := newEnv(t, b)
		t.Run("link follows by email", func(t *testing.T) { testPaymentsDownLinkFollows(t, e.sub(t)) })
		t.Run("too late for a session", func(t *testing.T) { testPaymentsDownTooLate(t, e.sub(t)) })
	})
}

func testPaymentsDownLinkFollows(t *testing.T, e *env) {
	down := &failingPayments{}
	e.svc.Payments = down
	p := e.propose(input("portrait", e.nextDay(), "10:15"))
	res := e.confirm(p)
	if !res.Success || res.Status != string(frontdesk.StatusPending) || res.CheckoutURL != "" {
		t.Fatalf("result %+v: want a PENDING booking without checkout", res)
	}
	if !strings.Contains(res.Message, res.ConfirmationCode) || !strings.Contains(res.Message, "payment link will follow by email") {
		t.Errorf("message %q does not tell the customer the link follows by email", res.Message)
	}
	if down.calls != 1 {
		t.Errorf("%d checkout attempts, want 1", down.calls)
	}
	bk := e.booking(res.BookingID)
	if bk.Status != frontdesk.StatusPending || bk.CheckoutSessionID != "" || bk.CheckoutURL != "" {
		t.Errorf("booking %+v: want PENDING without a session", bk)
	}
	cust := e.email(frontdesk.EmailBookingReceived, bk.ID)
	mustDueBy(t, cust, e.clock.Now())
	if strings.Contains(cust.Email.Text, "/checkout/") || !strings.Contains(cust.Email.Text, "send you the payment link") {
		t.Errorf("customer email should go without a link and say it follows:\n%s", cust.Email.Text)
	}
	mustDueBy(t, e.email(frontdesk.EmailTenantNewBooking, bk.ID), e.clock.Now())

	// The provider is back; the job creates the session and mails the link once.
	e.svc.Payments = e.pay
	e.clock.Advance(time.Minute)
	for run := range 2 {
		n, err := e.svc.RetryCheckouts(e.ctx)
		if err != nil {
			t.Fatal(err)
		}
		if want := 1 - run; n != want {
			t.Errorf("run %d: RetryCheckouts sent %d links, want %d", run, n, want)
		}
	}
	url := e.pay.URL(bk.ID)
	bk = e.booking(bk.ID)
	if bk.CheckoutSessionID != testmode.SessionID(bk.ID) || bk.CheckoutURL != url || bk.Status != frontdesk.StatusPending {
		t.Errorf("booking after retry %+v", bk)
	}
	links := e.emailsAbout(bk.ID, frontdesk.EmailPaymentLink)
	if len(links) != 1 {
		t.Fatalf("%d payment_link emails, want 1", len(links))
	}
	mustDueBy(t, links[0], e.clock.Now())
	if links[0].Email.To != "ada@example.com" || !strings.Contains(links[0].Email.Text, url) {
		t.Errorf("payment link email %+v", links[0].Email)
	}
	if down.calls != 1 {
		t.Errorf("the failing provider was called again")
	}
	// Asking to confirm again now gives the link too.
	if again := e.confirm(p); again.BookingID != res.BookingID || again.CheckoutURL != url {
		t.Errorf("confirm after the retry: %+v, want the checkout link %s", again, url)
	}
}

func testPaymentsDownTooLate(t *testing.T, e *env) {
	e.svc.Payments = &failingPayments{}
	res := e.book(input("portrait", e.nextDay(), "10:15"))
	e.svc.Payments = e.pay
	// Stripe needs 30 minutes left on a new session; 20 minutes after
	// confirm the 45-minute hold has too little left.
	e.clock.Advance(20 * time.Minute)
	n, err := e.svc.RetryCheckouts(e.ctx)
	if err != nil || n != 0 {
		t.Fatalf("RetryCheckouts = %d, %v; want 0", n, err)
	}
	if bk := e.booking(res.BookingID); bk.CheckoutSessionID != "" {
		t.Errorf("session created for a booking too late to pay")
	}
	if got := len(e.emailsAbout(res.BookingID, frontdesk.EmailPaymentLink)); got != 0 {
		t.Errorf("%d payment_link emails, want 0", got)
	}
}
