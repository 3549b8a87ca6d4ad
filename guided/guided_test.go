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
	t        *testing.T
	tools    *fakeTools
	state    json.RawMessage
	tenant   *frontdesk.Tenant // nil: testTenant()
	customer *Customer         // the returning customer, if any
}

func newSession(t *testing.T) *session {
	return &session{t: t, tools: newFakeTools()}
}

// say sends one message, logs the turn and checks what must hold of
// every turn.
func (s *session) say(msg string) Turn {
	s.t.Helper()
	before := len(s.tools.calls)
	turn := s.respond(msg)
	var names []string
	for _, c := range s.tools.calls[before:] {
		names = append(names, c.Name+string(c.Input))
	}
	s.t.Logf("> %s\n< %s\n  suggestions %q\n  tools %s", msg, turn.Reply, turn.Suggestions, strings.Join(names, " "))
	return turn
}

// respond is say without the log, for tests that run many conversations.
func (s *session) respond(msg string) Turn {
	s.t.Helper()
	tn := s.tenant
	if tn == nil {
		tn = testTenant()
	}
	turn := Respond(context.Background(), Input{
		Tenant: tn, Now: testNow, State: s.state, Message: msg, Tools: s.tools, Customer: s.customer,
	})
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

func TestBadState(t *testing.T) {
	for _, raw := range []string{
		`{not json`,
		`"a string"`,
		`null`,
		`[]`,
		`{"v":3,"date":5}`,
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
	s.state = json.RawMessage(`{"v":3,"asked":"weird","serviceId":"pkg_mini","bookingType":"BOGUS","date":"2026-02-30","time":"99:99","slotStart":"yesterday","name":"Ann"}`)
	turn := s.say("Portrait Session")
	wantReply(t, turn, "Great, Portrait Session", "What date")
	st := s.st()
	if st.ServiceID != "pkg_portrait" || st.Date != "" || st.Time != "" || st.SlotStart != "" || st.Name != "Ann" {
		t.Fatalf("state %+v", st)
	}
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
		for _, m := range []string{"hi", "See services", "2", "next friday", "Ann Lee", "ann@example.com", "what about parking?"} {
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
