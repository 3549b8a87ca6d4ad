package guided

import (
	"context"
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"github.com/frontdeskhq/frontdesk"
)

// session drives a conversation turn by turn, as the chat orchestrator does.
type session struct {
	t      *testing.T
	tools  *fakeTools
	state  json.RawMessage
	tenant *frontdesk.Tenant // nil: testTenant()
}

func newSession(t *testing.T) *session {
	return &session{t: t, tools: newFakeTools()}
}

// say sends one message and checks what must hold of every turn.
func (s *session) say(msg string) Turn {
	s.t.Helper()
	before := len(s.tools.calls)
	tn := s.tenant
	if tn == nil {
		tn = testTenant()
	}
	turn := Respond(context.Background(), Input{
		Tenant: tn, Now: testNow, State: s.state, Message: msg, Tools: s.tools,
	})
	var names []string
	for _, c := range s.tools.calls[before:] {
		names = append(names, c.Name+string(c.Input))
	}
	s.t.Logf("> %s\n< %s\n  suggestions %q\n  tools %s", msg, turn.Reply, turn.Suggestions, strings.Join(names, " "))
	checkTurn(s.t, turn)
	s.state = turn.State
	return turn
}

func checkTurn(t *testing.T, turn Turn) {
	t.Helper()
	if strings.TrimSpace(turn.Reply) == "" {
		t.Fatal("empty reply")
	}
	if !json.Valid(turn.State) {
		t.Fatalf("state is not JSON: %s", turn.State)
	}
	if turn.Suggestions == nil || len(turn.Suggestions) > 8 {
		t.Fatalf("suggestions %q: want a list of at most 8", turn.Suggestions)
	}
}

// st decodes the session's state.
func (s *session) st() state {
	s.t.Helper()
	var st state
	if err := json.Unmarshal(s.state, &st); err != nil {
		s.t.Fatal(err)
	}
	return st
}

// bookings returns the inputs of every book_service call so far.
func (s *session) bookings() []frontdesk.BookServiceIn {
	s.t.Helper()
	var out []frontdesk.BookServiceIn
	for _, raw := range s.tools.callsOf(frontdesk.ToolBookService) {
		var in frontdesk.BookServiceIn
		if err := json.Unmarshal(raw, &in); err != nil {
			s.t.Fatal(err)
		}
		out = append(out, in)
	}
	return out
}

// availabilityCalls returns the inputs of every check_availability call.
func (s *session) availabilityCalls() []frontdesk.CheckAvailabilityIn {
	s.t.Helper()
	var out []frontdesk.CheckAvailabilityIn
	for _, raw := range s.tools.callsOf(frontdesk.ToolCheckAvailability) {
		var in frontdesk.CheckAvailabilityIn
		if err := json.Unmarshal(raw, &in); err != nil {
			s.t.Fatal(err)
		}
		out = append(out, in)
	}
	return out
}

func (s *session) lastAvailability() frontdesk.CheckAvailabilityIn {
	s.t.Helper()
	calls := s.availabilityCalls()
	if len(calls) == 0 {
		s.t.Fatal("check_availability was not called")
	}
	return calls[len(calls)-1]
}

func wantReply(t *testing.T, turn Turn, parts ...string) {
	t.Helper()
	for _, p := range parts {
		if !strings.Contains(turn.Reply, p) {
			t.Fatalf("reply %q\ndoes not contain %q", turn.Reply, p)
		}
	}
}

func wantSuggestions(t *testing.T, turn Turn, want ...string) {
	t.Helper()
	if want == nil {
		want = []string{}
	}
	if !reflect.DeepEqual(turn.Suggestions, want) {
		t.Fatalf("suggestions %q, want %q", turn.Suggestions, want)
	}
}

func wantBooking(t *testing.T, s *session, want frontdesk.BookServiceIn) {
	t.Helper()
	got := s.bookings()
	if len(got) != 1 {
		t.Fatalf("book_service called %d times, want once: %+v", len(got), got)
	}
	if got[0] != want {
		t.Fatalf("book_service input\n got %+v\nwant %+v", got[0], want)
	}
}

func TestDatePackageConversation(t *testing.T) {
	s := newSession(t)

	turn := s.say("hi")
	if turn.Reply != Greeting(testTenant()) {
		t.Fatalf("reply to hi = %q, want the greeting", turn.Reply)
	}
	wantSuggestions(t, turn, StartSuggestions()...)
	if len(s.tools.calls) != 0 {
		t.Fatalf("a greeting called tools: %s", s.tools.names())
	}

	turn = s.say("See services")
	wantReply(t, turn, "1. Mini Session ($150.00, 30 min): A quick 30-minute shoot.", "2. Wedding Photography ($2,500.00, full day)", "3. Portrait Session ($300.00, 1 hour)")
	wantSuggestions(t, turn, "Mini Session", "Wedding Photography", "Portrait Session")

	turn = s.say("Wedding Photography")
	wantReply(t, turn, "Great, Wedding Photography", "What date would you like?", "Thursday, December 10, Friday, December 11, Monday, December 14")
	wantSuggestions(t, turn, "Thu Dec 10", "Fri Dec 11", "Mon Dec 14", "Tue Dec 15", "Wed Dec 16")
	if got, want := s.lastAvailability(), (frontdesk.CheckAvailabilityIn{PackageID: "pkg_wedding", StartDate: "2026-12-10", EndDate: "2026-12-23"}); got != want {
		t.Fatalf("check_availability %+v, want %+v", got, want)
	}

	turn = s.say("December 15th")
	wantReply(t, turn, "Tuesday, December 15 is available for Wedding Photography", "What name")
	if got, want := s.lastAvailability(), (frontdesk.CheckAvailabilityIn{PackageID: "pkg_wedding", StartDate: "2026-12-15", EndDate: "2026-12-15"}); got != want {
		t.Fatalf("check_availability %+v, want %+v", got, want)
	}

	turn = s.say("Ann Lee")
	wantReply(t, turn, "Thanks, Ann.", "email")

	// No optional phone question: the email completes the booking.
	turn = s.say("ann@example.com")
	wantReply(t, turn, "Here's what I have: Wedding Photography on Tuesday 15 December, for Ann Lee (ann@example.com).", "Wedding Photography on 2026-12-15 for Ann Lee (ann@example.com). Total $2,500.00.", "Please confirm below.")
	if !strings.HasSuffix(turn.Reply, "Please confirm below.") {
		t.Fatalf("reply %q does not end with the confirm prompt", turn.Reply)
	}
	wantBooking(t, s, frontdesk.BookServiceIn{
		PackageID: "pkg_wedding", Date: "2026-12-15", CustomerName: "Ann Lee", CustomerEmail: "ann@example.com",
	})
	if st := s.st(); st.Asked != askConfirm || st.ProposalID == "" {
		t.Fatalf("state after proposal %+v", st)
	}

	// Saying yes in the chat does not book again: the widget confirms.
	turn = s.say("yes")
	wantReply(t, turn, "tap Confirm below")
	if len(s.bookings()) != 1 {
		t.Fatal("yes after the proposal called book_service again")
	}
}

func TestTimeslotPackageConversation(t *testing.T) {
	s := newSession(t)
	s.say("hello")

	turn := s.say("I'd like to book a mini session")
	wantReply(t, turn, "Great, Mini Session ($150.00, 30 min).", "What date would you like?")
	wantSuggestions(t, turn, "Thu Dec 10", "Fri Dec 11", "Mon Dec 14", "Tue Dec 15", "Wed Dec 16")

	turn = s.say("Friday")
	wantReply(t, turn, "What time would you like on Friday, December 11?", "16 open times")
	wantSuggestions(t, turn, "9:00 AM", "10:30 AM", "12:00 PM", "1:30 PM", "3:00 PM", "4:30 PM")
	if got, want := s.lastAvailability(), (frontdesk.CheckAvailabilityIn{PackageID: "pkg_mini", StartDate: "2026-12-11", EndDate: "2026-12-11"}); got != want {
		t.Fatalf("check_availability %+v, want %+v", got, want)
	}

	turn = s.say("3:00 PM")
	wantReply(t, turn, "3:00 PM on Friday, December 11 it is.", "What name")
	if st := s.st(); st.SlotStart != "2026-12-11T15:00:00-05:00" {
		t.Fatalf("slot %q", st.SlotStart)
	}

	turn = s.say("my name is bob smith")
	wantReply(t, turn, "Thanks, Bob.", "email")

	turn = s.say("bob@example.com, (555) 123-4567")
	wantReply(t, turn, "Mini Session on Fri 11 Dec 2026, 3:00 PM for Bob Smith", "Please confirm below.")
	wantSuggestions(t, turn, "Change date", "Change time", "Change service", "Start over")
	wantBooking(t, s, frontdesk.BookServiceIn{
		PackageID: "pkg_mini", Date: "2026-12-11", StartTime: "2026-12-11T15:00:00-05:00",
		CustomerName: "Bob Smith", CustomerEmail: "bob@example.com", CustomerPhone: "(555) 123-4567",
	})
}

func TestOneMessageBooking(t *testing.T) {
	s := newSession(t)
	turn := s.say("I'd like the mini session on Friday at 3pm, I'm Ann, ann@example.com, 555-123-4567")
	wantReply(t, turn, "Great, Mini Session", "Thanks, Ann.", "Please confirm below.")
	wantBooking(t, s, frontdesk.BookServiceIn{
		PackageID: "pkg_mini", Date: "2026-12-11", StartTime: "2026-12-11T15:00:00-05:00",
		CustomerName: "Ann", CustomerEmail: "ann@example.com", CustomerPhone: "555-123-4567",
	})
}

// The optional phone costs no turn: without one the booking is proposed.
func TestOneMessageWithoutPhoneBooksAtOnce(t *testing.T) {
	s := newSession(t)
	turn := s.say("I'd like the mini session on Friday at 3pm, I'm Ann, ann@example.com")
	wantReply(t, turn, "Friday 11 December at 3:00 PM", "Please confirm below.")
	if strings.Contains(turn.Reply, "phone") {
		t.Fatalf("asked for an optional phone: %q", turn.Reply)
	}
	wantBooking(t, s, frontdesk.BookServiceIn{
		PackageID: "pkg_mini", Date: "2026-12-11", StartTime: "2026-12-11T15:00:00-05:00",
		CustomerName: "Ann", CustomerEmail: "ann@example.com",
	})
}

func TestDateNotOpen(t *testing.T) {
	s := newSession(t)
	s.say("wedding photos")
	turn := s.say("Dec 12")
	wantReply(t, turn, "Sorry, Saturday, December 12 isn't available for Wedding Photography.", "The next open days are Monday, December 14")
	wantSuggestions(t, turn, "Mon Dec 14", "Tue Dec 15", "Wed Dec 16", "Thu Dec 17", "Fri Dec 18")
	calls := s.availabilityCalls()
	got := calls[len(calls)-2:]
	want := []frontdesk.CheckAvailabilityIn{
		{PackageID: "pkg_wedding", StartDate: "2026-12-12", EndDate: "2026-12-12"},
		{PackageID: "pkg_wedding", StartDate: "2026-12-12", EndDate: "2026-12-25"},
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("check_availability calls %+v, want %+v", got, want)
	}
	if st := s.st(); st.Date != "" || st.Asked != askDate {
		t.Fatalf("state %+v: want the date cleared and asked again", st)
	}

	turn = s.say("Mon Dec 14")
	wantReply(t, turn, "Monday, December 14 is available", "What name")
}

func TestTimeslotDayNotOpen(t *testing.T) {
	s := newSession(t)
	s.say("mini session")
	turn := s.say("saturday")
	wantReply(t, turn, "Sorry, Saturday, December 12 isn't available for Mini Session.")
	wantSuggestions(t, turn, "Mon Dec 14", "Tue Dec 15", "Wed Dec 16", "Thu Dec 17", "Fri Dec 18")
}

func TestTimeNotOpenOffersClosest(t *testing.T) {
	s := newSession(t)
	turn := s.say("mini session on friday at 6pm")
	wantReply(t, turn, "Sorry, 6:00 PM isn't available on Friday, December 11.", "The closest open times are")
	wantSuggestions(t, turn, "2:00 PM", "2:30 PM", "3:00 PM", "3:30 PM", "4:00 PM", "4:30 PM")
	turn = s.say("4:30 PM")
	wantReply(t, turn, "4:30 PM on Friday, December 11 it is.")
}

func TestPastDate(t *testing.T) {
	s := newSession(t)
	s.say("wedding")
	turn := s.say("2026-12-01")
	wantReply(t, turn, "Tuesday, December 1 has already passed.", "What date would you like?")
}

func TestBusinessHoursMidFlowKeepsState(t *testing.T) {
	s := newSession(t)
	s.say("Wedding Photography")
	s.say("Dec 15")
	before := s.st()

	turn := s.say("what are your opening hours?")
	wantReply(t, turn, "Our opening hours: Monday to Friday, 9am to 5pm.", "back to your booking", "What name")
	if after := s.st(); after != before {
		t.Fatalf("state changed by a question\nbefore %+v\n after %+v", before, after)
	}

	turn = s.say("Cancellation policy")
	wantReply(t, turn, "Cancellation policy: Free cancellation up to 48 hours before your session.", "What name")

	turn = s.say("how can I contact you")
	wantReply(t, turn, "Email: hello@lumen.example", "Phone: +1 212 555 0100", "What name")

	s.say("Ann Lee")
	s.say("ann@example.com")
	s.say("skip")
	wantBooking(t, s, frontdesk.BookServiceIn{
		PackageID: "pkg_wedding", Date: "2026-12-15", CustomerName: "Ann Lee", CustomerEmail: "ann@example.com",
	})

	// After the proposal a question leaves it ready to confirm.
	turn = s.say("can I get a refund?")
	wantReply(t, turn, "Refund policy: Deposits are refunded within 5 business days.", "ready to confirm below")
	if len(s.bookings()) != 1 {
		t.Fatal("a question after the proposal booked again")
	}
}

func TestFAQ(t *testing.T) {
	s := newSession(t)
	turn := s.say("Do you travel?")
	wantReply(t, turn, "anywhere within 50 miles")
	wantSuggestions(t, turn, StartSuggestions()...)
}

func TestBadState(t *testing.T) {
	for _, raw := range []string{
		`{not json`,
		`"a string"`,
		`null`,
		`[]`,
		`{"v":2,"date":5}`,
		`{"v":99,"serviceId":"pkg_mini","bookingType":"TIMESLOT"}`,
	} {
		t.Run(raw, func(t *testing.T) {
			s := newSession(t)
			s.state = json.RawMessage(raw)
			turn := s.say("hi")
			if turn.Reply != Greeting(testTenant()) {
				t.Fatalf("reply %q, want the greeting of a fresh start", turn.Reply)
			}
			if st := s.st(); st != (state{V: stateVersion}) {
				t.Fatalf("state %+v, want fresh", st)
			}
		})
	}
}

func TestInconsistentStateIsRepaired(t *testing.T) {
	s := newSession(t)
	s.state = json.RawMessage(`{"v":2,"asked":"weird","serviceId":"pkg_mini","bookingType":"BOGUS","date":"2026-02-30","time":"99:99","slotStart":"yesterday","name":"Ann"}`)
	turn := s.say("Portrait Session")
	wantReply(t, turn, "Great, Portrait Session", "What date")
	st := s.st()
	if st.ServiceID != "pkg_portrait" || st.Date != "" || st.Time != "" || st.SlotStart != "" || st.Name != "Ann" {
		t.Fatalf("state %+v", st)
	}
}

func TestStartOver(t *testing.T) {
	s := newSession(t)
	s.say("mini session on friday")
	turn := s.say("start over")
	wantReply(t, turn, "start over")
	wantSuggestions(t, turn, StartSuggestions()...)
	if st := s.st(); st != (state{V: stateVersion}) {
		t.Fatalf("state %+v, want fresh", st)
	}
}

func TestBookingErrorAsksForTheSlotAgain(t *testing.T) {
	s := newSession(t)
	s.tools.bookErrors = []string{"That time was just taken. Please choose another time."}
	turn := s.say("mini session friday 3pm, I'm Ann, ann@example.com, 555 123 4567")
	wantReply(t, turn, "I couldn't prepare that booking: That time was just taken.", "What time would you like on Friday, December 11?")
	if st := s.st(); st.SlotStart != "" || st.Asked != askTime || st.Name != "Ann" {
		t.Fatalf("state %+v", st)
	}
	turn = s.say("3:30pm")
	wantReply(t, turn, "Please confirm below.")
	got := s.bookings()
	if len(got) != 2 || got[1].StartTime != "2026-12-11T15:30:00-05:00" {
		t.Fatalf("bookings %+v", got)
	}
}

func TestBookingErrorAsksForTheEmailAgain(t *testing.T) {
	s := newSession(t)
	s.tools.bookErrors = []string{"customerEmail: that address cannot receive email"}
	turn := s.say("wedding on dec 15, my name is Ann Lee, ann@example.com")
	wantReply(t, turn, "I couldn't prepare that booking: customerEmail: that address cannot receive email.", "What email address")
	turn = s.say("ann.lee@example.org")
	wantReply(t, turn, "Please confirm below.")
	if got := s.bookings(); len(got) != 2 || got[1].CustomerEmail != "ann.lee@example.org" {
		t.Fatalf("bookings %+v", got)
	}
}

func TestRequiredPhoneCannotBeSkipped(t *testing.T) {
	s := newSession(t)
	s.tenant = testTenant()
	s.tenant.Settings.RequirePhone = true
	turn := s.say("wedding on dec 15, my name is Ann Lee, ann@example.com")
	wantReply(t, turn, "What phone number", "needed to book")
	if len(turn.Suggestions) > 0 && turn.Suggestions[0] == "Skip" {
		t.Fatalf("a required phone offers Skip: %q", turn.Suggestions)
	}
	turn = s.say("skip")
	wantReply(t, turn, "What phone number")
	turn = s.say("+1 555 010 0199")
	wantReply(t, turn, "Please confirm below.")
	if got := s.bookings(); len(got) != 1 || got[0].CustomerPhone != "+1 555 010 0199" {
		t.Fatalf("bookings %+v", got)
	}
}

func TestBookingErrorWithoutACulprit(t *testing.T) {
	s := newSession(t)
	s.tools.bookErrors = []string{"Something went wrong on our side. Please try again in a moment."}
	turn := s.say("wedding on dec 15, my name is Ann Lee, ann@example.com, 555 123 4567")
	wantReply(t, turn, "Something went wrong on our side.", "try again")
	if turn.Suggestions[0] != "Try again" {
		t.Fatalf("suggestions %q", turn.Suggestions)
	}
	if len(s.bookings()) != 1 {
		t.Fatal("book_service retried within the turn")
	}
	turn = s.say("hmm")
	wantReply(t, turn, "try again")
	if len(s.bookings()) != 1 {
		t.Fatal("a reply that is not yes booked again")
	}
	turn = s.say("Try again")
	wantReply(t, turn, "Please confirm below.")
	if len(s.bookings()) != 2 {
		t.Fatal("Try again did not book")
	}
}

func TestChangeAfterProposal(t *testing.T) {
	s := newSession(t)
	s.say("mini session friday 3pm, I'm Ann, ann@example.com, 555 123 4567")
	turn := s.say("no")
	wantReply(t, turn, "No problem. What would you like to change?")
	turn = s.say("hmm")
	wantReply(t, turn, "What would you like to change?")
	if len(s.bookings()) != 1 {
		t.Fatal("an unclear answer to what to change booked again")
	}
	turn = s.say("the time")
	wantReply(t, turn, "What time would you like on Friday, December 11?")
	turn = s.say("10:30 AM")
	wantReply(t, turn, "Please confirm below.")
	got := s.bookings()
	if len(got) != 2 || got[1].StartTime != "2026-12-11T10:30:00-05:00" || got[1].CustomerName != "Ann" {
		t.Fatalf("bookings %+v", got)
	}

	// A new fact after the proposal makes a new proposal; the time stays.
	turn = s.say("actually make it Monday")
	wantReply(t, turn, "Monday 14 December at 10:30 AM", "Please confirm below.")
}

func TestSwitchService(t *testing.T) {
	s := newSession(t)
	s.say("mini session on friday")
	turn := s.say("actually the portrait session")
	wantReply(t, turn, "Great, Portrait Session", "What time would you like on Friday, December 11?")
	if got := s.lastAvailability(); got.PackageID != "pkg_portrait" {
		t.Fatalf("availability checked for %q", got.PackageID)
	}

	// A service named with a new day switches too.
	turn = s.say("mini session on monday please")
	wantReply(t, turn, "Great, Mini Session", "What time would you like on Monday, December 14?")
}

// An answer that only says when does not look the services up again.
func TestWhenAnswerNeedsNoServiceLookup(t *testing.T) {
	s := newSession(t)
	s.say("mini session")
	before := len(s.tools.callsOf(frontdesk.ToolGetServices))
	s.say("next friday")
	s.say("at 3pm please")
	if after := len(s.tools.callsOf(frontdesk.ToolGetServices)); after != before {
		t.Fatalf("get_services called %d more times", after-before)
	}
	if st := s.st(); st.SlotStart != "2026-12-18T15:00:00-05:00" {
		t.Fatalf("slot %q", st.SlotStart)
	}
}

func TestMenuNumber(t *testing.T) {
	s := newSession(t)
	s.say("what services do you have?")
	turn := s.say("3")
	wantReply(t, turn, "Great, Portrait Session")
}

func TestTimeForDatePackage(t *testing.T) {
	s := newSession(t)
	turn := s.say("wedding photography on dec 15 at 3pm")
	wantReply(t, turn, "booked for the whole day", "Tuesday, December 15 is available")
}

func TestNotUnderstood(t *testing.T) {
	s := newSession(t)
	s.say("mini session")
	turn := s.say("blorp")
	wantReply(t, turn, "Sorry, I didn't catch a date.", "What date would you like?")
	if st := s.st(); st.ServiceID != "pkg_mini" || st.Asked != askDate {
		t.Fatalf("state %+v", st)
	}
}

func TestSmallTalk(t *testing.T) {
	s := newSession(t)
	turn := s.say("thanks")
	wantReply(t, turn, "You're welcome!")
	wantSuggestions(t, turn, StartSuggestions()...)

	s.say("wedding on dec 15")
	turn = s.say("help")
	wantReply(t, turn, "I can show you our services", "back to your booking", "What name")
	turn = s.say("at 9am")
	wantReply(t, turn, "booked for the whole day", "What name")
	if strings.Contains(turn.Reply, "Sorry") {
		t.Fatalf("apologised for an answered message: %q", turn.Reply)
	}
	turn = s.say("thank you")
	wantReply(t, turn, "You're welcome!", "What name")
}

func TestToolsFailing(t *testing.T) {
	s := newSession(t)
	s.tools.garbage = true
	turn := s.say("I'd like the mini session")
	wantReply(t, turn, "couldn't load the services")
	if len(turn.Suggestions) == 0 {
		t.Fatal("no way on after a failure")
	}
	turn = s.say("what are your hours?")
	wantReply(t, turn, "couldn't look that up")
}

func TestNilToolsAndTenant(t *testing.T) {
	turn := Respond(context.Background(), Input{Message: "hi"})
	checkTurn(t, turn)
	turn = Respond(context.Background(), Input{Message: "mini session friday", State: turn.State})
	checkTurn(t, turn)
	wantReply(t, turn, "couldn't load the services")
}

func TestGreeting(t *testing.T) {
	if got := Greeting(testTenant()); !strings.Contains(got, "Lumen Studio") {
		t.Fatalf("greeting %q does not name the business", got)
	}
	if got := Greeting(nil); got == "" {
		t.Fatal("empty greeting without a tenant")
	}
}

// The reply depends only on the input: the same conversation twice gives
// the same turns.
func TestDeterministic(t *testing.T) {
	run := func() []Turn {
		s := newSession(t)
		var turns []Turn
		for _, m := range []string{"hi", "See services", "2", "next friday", "Ann Lee", "ann@example.com", "skip"} {
			turns = append(turns, s.say(m))
		}
		return turns
	}
	a, b := run(), run()
	if !reflect.DeepEqual(a, b) {
		t.Fatal("the same conversation gave different turns")
	}
}

// hostile messages: long runs of what the parsers look for.
var hostile = []string{
	strings.Repeat("1 ", 1000),
	strings.Repeat("i am ", 400),
	strings.Repeat("at 3 ", 400),
	strings.Repeat("Dec 15 ", 300),
	strings.Repeat("a@b.co ", 300),
	strings.Repeat("(5", 1000),
	strings.Repeat("mini session portrait wedding ", 70),
}

func BenchmarkParseHostile(b *testing.B) {
	for b.Loop() {
		for _, h := range hostile {
			ParseDate(h, thursday)
			ParseTime(h)
			ParseName(h)
			ParseBareName(h)
			ParseEmail(h)
			ParsePhone(h)
			MatchService(h, menu)
			ParseIntent(h)
		}
	}
}

func BenchmarkRespondOneMessage(b *testing.B) {
	tools := newFakeTools()
	for b.Loop() {
		tools.calls = tools.calls[:0]
		Respond(context.Background(), Input{Tenant: testTenant(), Now: testNow, Tools: tools,
			Message: "I'd like the mini session on Friday at 3pm, I'm Ann, ann@example.com, 555-123-4567"})
	}
}
