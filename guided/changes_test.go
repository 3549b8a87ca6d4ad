package guided

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/frontdeskhq/frontdesk"
)

func TestParseConfirmationCode(t *testing.T) {
	tests := []struct {
		name, text string
		want       string // "" means not ok
		bare       string // ParseBareCode's answer
	}{
		{"as printed", "BK-7XK3QM", "BK-7XK3QM", "BK-7XK3QM"},
		{"in a sentence", "cancel my booking BK-7XK3QM please", "BK-7XK3QM", "BK-7XK3QM"},
		{"lower case with a space", "bk 7xk3qm", "BK-7XK3QM", "BK-7XK3QM"},
		{"without the dash", "BK7XK3QM.", "BK-7XK3QM", "BK-7XK3QM"},
		{"too short", "BK-7XK3Q", "", ""},
		{"letters no code has", "BK-0XK3QI", "", ""},
		{"inside an email address", "bk7xk3qm@example.com", "", ""},
		{"bare with a digit", "7XK3QM", "", "BK-7XK3QM"},
		{"bare lower case with a digit", "it's 7xk3qm", "", "BK-7XK3QM"},
		{"bare in capitals", "SUNDAY", "", "BK-SUNDAY"},
		{"a six-letter word", "thanks", "", ""},
		{"two candidates", "7XK3QM or 8XK3QM", "", ""},
		{"nothing", "I can't find it", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := ParseConfirmationCode(tt.text)
			if ok != (tt.want != "") || got != tt.want {
				t.Errorf("ParseConfirmationCode(%q) = %q, %v; want %q", tt.text, got, ok, tt.want)
			}
			got, ok = ParseBareCode(tt.text)
			if ok != (tt.bare != "") || got != tt.bare {
				t.Errorf("ParseBareCode(%q) = %q, %v; want %q", tt.text, got, ok, tt.bare)
			}
		})
	}
}

func TestWantsPerson(t *testing.T) {
	tests := []struct {
		text string
		want bool
	}{
		{"I want to talk to a human", true},
		{"can I talk to a human", true},
		{"Talk to a person", true},
		{"could I speak with someone please", true},
		{"agent please", true},
		{"I need a real person", true},
		{"is there a human i can talk to", true},
		{"this is confusing, is there someone i can speak to?", true},
		{"actually can i just call someone?", true},
		{"I have a complaint, can someone call me?", true},
		{"can I call you about parking?", false},
		{"someone I know recommended you", false},
		{"how can I contact you", false},
		{"Contact details", false},
		{"a session for one person", false},
		{"the person who booked is my wife", false},
	}
	for _, tt := range tests {
		t.Run(tt.text, func(t *testing.T) {
			if got := WantsPerson(tt.text); got != tt.want {
				t.Fatalf("WantsPerson(%q) = %v, want %v", tt.text, got, tt.want)
			}
		})
	}
}

func TestParseChangeIntent(t *testing.T) {
	tests := []struct {
		text string
		want Intent
	}{
		{"cancel my booking BK-7XK3QM", IntentCancel},
		{"can I cancel?", IntentCancel},
		{"Cancel my booking", IntentCancel},
		{"Cancel it", IntentCancel},
		{"please call off my shoot", IntentCancel},
		{"I need to reschedule", IntentReschedule},
		{"move my appointment to Friday at 3", IntentReschedule},
		{"Move my booking", IntentReschedule},
		{"Move it", IntentReschedule},
		{"can we postpone?", IntentReschedule},
		{"change the date of my booking", IntentReschedule},
		{"never mind", IntentNevermind},
		{"Keep my booking", IntentNevermind},
		{"don't cancel it", IntentNevermind},
		// Questions about the rules are policy questions.
		{"how do I cancel?", IntentPolicy},
		{"I'd like to cancel, is there a fee?", IntentPolicy},
		{"can I reschedule 24 hours before?", IntentPolicy},
		{"Cancellation policy", IntentPolicy},
		// Changing a booking not made yet is the booking flow's business.
		{"change the date", IntentNone},
		{"I want to move to a different time", IntentNone},
	}
	for _, tt := range tests {
		t.Run(tt.text, func(t *testing.T) {
			if got := ParseIntent(tt.text); got != tt.want {
				t.Fatalf("ParseIntent(%q) = %q, want %q", tt.text, got, tt.want)
			}
		})
	}
}

// changeCalls returns the inputs of every cancel_booking or
// reschedule_booking call so far.
func (s *session) changeCalls(tool string) []frontdesk.RescheduleBookingIn {
	s.t.Helper()
	var out []frontdesk.RescheduleBookingIn
	for _, raw := range s.tools.callsOf(tool) {
		var in frontdesk.RescheduleBookingIn
		if err := json.Unmarshal(raw, &in); err != nil {
			s.t.Fatal(err)
		}
		out = append(out, in)
	}
	return out
}

func (s *session) humanCalls() []frontdesk.RequestHumanIn {
	s.t.Helper()
	var out []frontdesk.RequestHumanIn
	for _, raw := range s.tools.callsOf(frontdesk.ToolRequestHuman) {
		var in frontdesk.RequestHumanIn
		if err := json.Unmarshal(raw, &in); err != nil {
			s.t.Fatal(err)
		}
		out = append(out, in)
	}
	return out
}

// step is one customer message and what the reply must hold.
type step struct {
	say  string
	want []string // in the reply
	sugg []string // among the suggestions
	not  []string // not in the reply
}

func (s *session) steps(steps []step) Turn {
	s.t.Helper()
	var turn Turn
	for i, st := range steps {
		turn = s.say(st.say)
		for _, w := range st.want {
			if !strings.Contains(turn.Reply, w) {
				s.t.Fatalf("turn %d (%q): reply %q\ndoes not contain %q", i+1, st.say, turn.Reply, w)
			}
		}
		for _, w := range st.not {
			if strings.Contains(turn.Reply, w) {
				s.t.Fatalf("turn %d (%q): reply %q contains %q", i+1, st.say, turn.Reply, w)
			}
		}
		for _, q := range st.sugg {
			if !slices.Contains(turn.Suggestions, q) {
				s.t.Fatalf("turn %d (%q): suggestions %q, want %q among them", i+1, st.say, turn.Suggestions, q)
			}
		}
	}
	return turn
}

const (
	cancelPreview = "Cancel Portrait Session on Monday 14 December 2026, 10:00 AM EST (BK-7XK3QM). Refund: $300.00 of $300.00 paid."
	askCodeText   = "What's the confirmation code of your booking?"
	askEmailText  = "what email address was the booking made with?"
)

func TestChangeConversations(t *testing.T) {
	move := func(date, tm string) frontdesk.RescheduleBookingIn {
		return frontdesk.RescheduleBookingIn{BookingReference: bookingCode, CustomerEmail: bookingEmail, NewDate: date, NewTime: tm}
	}
	cancel := frontdesk.RescheduleBookingIn{BookingReference: bookingCode, CustomerEmail: bookingEmail}
	tests := []struct {
		name       string
		steps      []step
		cancels    []frontdesk.RescheduleBookingIn
		moves      []frontdesk.RescheduleBookingIn
		wantAsked  string
		wantChange string
	}{
		{name: "cancel with the code in the first message", steps: []step{
			{say: "cancel my booking BK-7XK3QM", want: []string{"I can cancel your booking here.", askEmailText}},
			{say: "ann@example.com", want: []string{cancelPreview, "Please confirm below."}, sugg: []string{"Keep my booking"}},
		}, cancels: []frontdesk.RescheduleBookingIn{cancel}, wantAsked: askChangeConfirm, wantChange: changeCancel},

		{name: "can I cancel asks for the code, then the email", steps: []step{
			{say: "can I cancel?", want: []string{"I can cancel your booking here.", askCodeText, "BK-7XK3QM"}, sugg: []string{"Talk to a person"}},
			{say: "it's 7xk3qm", want: []string{askEmailText}},
			{say: "Ann@Example.com", want: []string{cancelPreview}},
		}, cancels: []frontdesk.RescheduleBookingIn{cancel}, wantAsked: askChangeConfirm, wantChange: changeCancel},

		{name: "everything in one message", steps: []step{
			{say: "Please cancel BK-7XK3QM, booked as ann@example.com", want: []string{cancelPreview}},
		}, cancels: []frontdesk.RescheduleBookingIn{cancel}, wantAsked: askChangeConfirm},

		{name: "reschedule asks for code, email and day", steps: []step{
			{say: "I need to reschedule", want: []string{"I can move your booking here.", askCodeText}},
			{say: "bk 7xk3qm", want: []string{askEmailText}},
			{say: "ann@example.com", want: []string{"What day would you like to move it to?"}},
			{say: "Friday at 3", want: []string{"Move Portrait Session (BK-7XK3QM) from Monday 14 December 2026, 10:00 AM EST to Friday 11 December 2026, 3:00 PM EST.", "Please confirm below."},
				sugg: []string{"Another time", "Keep my booking"}},
		}, moves: []frontdesk.RescheduleBookingIn{move("2026-12-11", "15:00")}, wantAsked: askChangeConfirm, wantChange: changeMove},

		{name: "move with the new time in the first message", steps: []step{
			{say: "move my appointment to Friday at 3", want: []string{askCodeText}},
			{say: "BK-7XK3QM", want: []string{askEmailText}},
			{say: "ann@example.com", want: []string{"to Friday 11 December 2026, 3:00 PM EST."}},
		}, moves: []frontdesk.RescheduleBookingIn{move("2026-12-11", "15:00")}, wantAsked: askChangeConfirm},

		{name: "a day without a time asks for the time with the open ones", steps: []step{
			{say: "reschedule BK-7XK3QM ann@example.com", want: []string{"What day"}},
			{say: "next tuesday", want: []string{"Which time would you like on Tuesday, December 15? Open times include 9:00 AM, 10:00 AM, 11:00 AM and 2:00 PM."},
				sugg: []string{"9:00 AM", "2:00 PM", "Another day"}},
			{say: "11", want: []string{"to Tuesday 15 December 2026, 11:00 AM EST."}},
		}, moves: []frontdesk.RescheduleBookingIn{move("2026-12-15", ""), move("2026-12-15", "11:00")}, wantAsked: askChangeConfirm},

		{name: "a taken time offers the open ones", steps: []step{
			{say: "move my booking BK-7XK3QM to Monday at 12pm, ann@example.com", want: []string{"That time is no longer available.", "Which time would you like instead?"},
				sugg: []string{"9:00 AM", "10:00 AM"}, not: []string{"EST.."}},
			{say: "2:00 PM", want: []string{"to Monday 14 December 2026, 2:00 PM EST."}},
		}, moves: []frontdesk.RescheduleBookingIn{move("2026-12-14", "12:00"), move("2026-12-14", "14:00")}, wantAsked: askChangeConfirm},

		{name: "a closed day asks for another day", steps: []step{
			{say: "move my booking BK-7XK3QM to Saturday at 10am, ann@example.com", want: []string{"We are not open on that day.", "Which other day would suit you?"}},
			{say: "monday", want: []string{"to Monday 14 December 2026, 10:00 AM EST."}},
		}, moves: []frontdesk.RescheduleBookingIn{move("2026-12-12", "10:00"), move("2026-12-14", "10:00")}, wantAsked: askChangeConfirm},

		{name: "another time after the proposal", steps: []step{
			{say: "move BK-7XK3QM to Friday at 3pm, ann@example.com", want: []string{"Please confirm below."}},
			{say: "Another time", want: []string{"Which time would you like on Friday, December 11?"}},
			{say: "4pm", want: []string{"to Friday 11 December 2026, 4:00 PM EST."}},
		}, moves: []frontdesk.RescheduleBookingIn{move("2026-12-11", "15:00"), move("2026-12-11", ""), move("2026-12-11", "16:00")}, wantAsked: askChangeConfirm},

		{name: "a code alone asks what to do", steps: []step{
			{say: "BK-7XK3QM", want: []string{"Would you like to cancel booking BK-7XK3QM, or move it to another day?"}, sugg: []string{"Cancel it", "Move it"}},
			{say: "Move it", want: []string{"I can move your booking here.", askEmailText}},
			{say: "ann@example.com", want: []string{"What day"}},
			{say: "the 16th at 9am", want: []string{"to Wednesday 16 December 2026, 9:00 AM EST."}},
		}, moves: []frontdesk.RescheduleBookingIn{move("2026-12-16", "09:00")}, wantAsked: askChangeConfirm},

		{name: "switch from cancel to move keeps the details", steps: []step{
			{say: "cancel BK-7XK3QM", want: []string{askEmailText}},
			{say: "actually I'd rather reschedule", want: []string{"I can move your booking here.", askEmailText}},
			{say: "ann@example.com", want: []string{"What day"}},
		}, wantAsked: askMoveDate, wantChange: changeMove},

		{name: "never mind leaves the booking as it is", steps: []step{
			{say: "I want to cancel my booking", want: []string{askCodeText}},
			{say: "never mind", want: []string{"I've left your booking as it is."}, sugg: []string{"See services"}},
		}, wantAsked: "", wantChange: ""},

		{name: "no after the proposal", steps: []step{
			{say: "cancel BK-7XK3QM ann@example.com", want: []string{"Please confirm below."}},
			{say: "no", want: []string{"I've left your booking as it is."}},
		}, cancels: []frontdesk.RescheduleBookingIn{cancel}, wantAsked: ""},

		{name: "yes after the proposal points at the card", steps: []step{
			{say: "cancel BK-7XK3QM ann@example.com", want: []string{"Please confirm below."}},
			{say: "yes", want: []string{"Tap Confirm below to cancel it."}},
		}, cancels: []frontdesk.RescheduleBookingIn{cancel}, wantAsked: askChangeConfirm},

		{name: "a side question keeps the journey", steps: []step{
			{say: "I need to cancel my booking", want: []string{askCodeText}},
			{say: "what are your opening hours?", want: []string{"Our opening hours", "Now, back to your booking change.", askCodeText}},
			{say: "BK-7XK3QM", want: []string{askEmailText}},
		}, wantAsked: askBookingEmail, wantChange: changeCancel},

		{name: "an unclear code is asked again", steps: []step{
			{say: "cancel my appointment", want: []string{askCodeText}},
			{say: "I can't find it", want: []string{"didn't catch a confirmation code", askCodeText}, sugg: []string{"Talk to a person"}},
		}, wantAsked: askCode},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := newSession(t)
			s.steps(tc.steps)
			if got := s.changeCalls(frontdesk.ToolCancelBooking); !slices.Equal(got, tc.cancels) {
				t.Errorf("cancel_booking calls %+v, want %+v", got, tc.cancels)
			}
			if got := s.changeCalls(frontdesk.ToolRescheduleBooking); !slices.Equal(got, tc.moves) {
				t.Errorf("reschedule_booking calls %+v, want %+v", got, tc.moves)
			}
			st := s.st()
			if st.Asked != tc.wantAsked || tc.wantChange != "" && st.Change != tc.wantChange {
				t.Errorf("state %+v, want asked %q change %q", st, tc.wantAsked, tc.wantChange)
			}
			if len(s.bookings()) != 0 || st.ServiceID != "" || st.Date != "" {
				t.Errorf("a change journey touched the booking flow: state %+v, book_service %d", st, len(s.bookings()))
			}
		})
	}
}

func TestChangeFailures(t *testing.T) {
	left := func(n int) *int { return &n }
	tests := []struct {
		name   string
		errors []fakeFailure
		steps  []step
		asked  string
		human  string // in the reason of the request for a person
	}{
		{name: "wrong details ask for both again", steps: []step{
			{say: "cancel BK-7XK3QM bob@example.com", want: []string{"No booking matches that confirmation code and email. Please check both", "What's the confirmation code?"},
				sugg: []string{"Talk to a person"}},
			{say: "BK-7XK3QM", want: []string{askEmailText}},
			{say: "ann@example.com", want: []string{cancelPreview}},
		}, asked: askChangeConfirm},

		{name: "the last try offers a person", errors: []fakeFailure{{Error: "No booking matches that confirmation code and email.", Code: frontdesk.ENotFound, TriesLeft: left(0)}},
			steps: []step{
				{say: "cancel BK-7XK3QM ann@example.com", want: []string{"No booking matches", "I can pass this to Lumen Studio"}, sugg: []string{"Talk to a person"},
					not: []string{"What's the confirmation code?"}},
				{say: "Talk to a person", want: []string{"What email address should they reply to?"}, sugg: []string{"Skip"}},
				{say: "skip", want: []string{"passed this to the team at Lumen Studio"}},
			}, human: "could not find it"},

		{name: "look-ups stopped", errors: []fakeFailure{{Error: "I can't look up bookings in this chat any more. Please use the link in your booking confirmation email to cancel or change it, or ask for a person and Lumen Studio will get back to you.", Code: frontdesk.ERateLimited}},
			steps: []step{
				{say: "cancel BK-7XK3QM ann@example.com", want: []string{"use the link in your booking confirmation email", "I can pass this to Lumen Studio"}, sugg: []string{"Talk to a person"}},
			}},

		{name: "too close to the start", errors: []fakeFailure{{Error: "Bookings can be moved online up to 24 hours before they start, and BK-7XK3QM starts sooner. Please ask for a person and Lumen Studio will help.", Code: frontdesk.EConflict}},
			steps: []step{
				{say: "move BK-7XK3QM to friday at 3pm, ann@example.com", want: []string{"up to 24 hours before", "I can pass this to Lumen Studio"}, sugg: []string{"Talk to a person"}},
				{say: "Talk to a person", want: []string{"What email address"}, sugg: []string{"ann@example.com"}},
				{say: "ann@example.com", want: []string{"Someone will get back to you soon."}},
			}, human: "refused: Bookings can be moved online up to 24 hours"},

		{name: "an unexplained failure offers to try again", errors: []fakeFailure{{Error: "Something went wrong on our side. Please try again in a moment.", Code: frontdesk.EInternal}},
			steps: []step{
				{say: "cancel BK-7XK3QM ann@example.com", want: []string{"I couldn't prepare that: Something went wrong", "try again"}, sugg: []string{"Try again"}},
				{say: "Try again", want: []string{cancelPreview}},
			}, asked: askChangeConfirm},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := newSession(t)
			s.tools.changeErrors = tc.errors
			s.steps(tc.steps)
			if st := s.st(); st.Asked != tc.asked {
				t.Errorf("asked %q, want %q", st.Asked, tc.asked)
			}
			h := s.humanCalls()
			if (tc.human != "") != (len(h) == 1) || len(h) > 1 {
				t.Fatalf("request_human calls %+v, want one with %q", h, tc.human)
			}
			if tc.human != "" && !strings.Contains(h[0].Reason, tc.human) {
				t.Errorf("reason %q does not contain %q", h[0].Reason, tc.human)
			}
		})
	}
}

func TestTalkToAHuman(t *testing.T) {
	tests := []struct {
		name   string
		steps  []step
		want   []frontdesk.RequestHumanIn
		reason string // in the reason
	}{
		{name: "with an email", steps: []step{
			{say: "I want to talk to a human", want: []string{"I can pass this to the team at Lumen Studio", "What email address should they reply to?"}, sugg: []string{"Skip", "Never mind"}},
			{say: "it's ann@example.com", want: []string{"Someone will get back to you soon."}, sugg: []string{"See services"}},
		}, want: []frontdesk.RequestHumanIn{{Reason: "The customer asked for a person.", CustomerEmail: "ann@example.com"}}},
		{name: "without an email", steps: []step{
			{say: "can I speak with someone?", want: []string{"What email address"}},
			{say: "no thanks", want: []string{"passed this to the team"}},
		}, want: []frontdesk.RequestHumanIn{{Reason: "The customer asked for a person."}}},
		{name: "the customer's words go with the request", steps: []step{
			{say: "I need a real person, my wedding date changed ann@example.com", want: []string{"Someone will get back to you soon."}},
		}, want: []frontdesk.RequestHumanIn{{Reason: `The customer asked for a person. They wrote: "I need a real person, my wedding date changed ann@example.com"`, CustomerEmail: "ann@example.com"}}},
		{name: "never mind", steps: []step{
			{say: "Talk to a person", want: []string{"What email address"}},
			{say: "never mind", want: []string{"I won't pass anything on."}},
		}},
		{name: "not an email is asked again", steps: []step{
			{say: "human please", want: []string{"What email address"}},
			{say: "hmm", want: []string{"That doesn't look like an email address.", "What email address"}},
			{say: "ann@example.com", want: []string{"get back to you"}},
		}, want: []frontdesk.RequestHumanIn{{Reason: "The customer asked for a person.", CustomerEmail: "ann@example.com"}}},
		{name: "contact details are only contact details", steps: []step{
			{say: "Contact details", want: []string{"Email: hello@lumen.example"}, not: []string{"What email address"}},
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := newSession(t)
			s.steps(tc.steps)
			if got := s.humanCalls(); !slices.Equal(got, tc.want) {
				t.Fatalf("request_human calls %+v, want %+v", got, tc.want)
			}
			if st := s.st(); st.Change != "" || st.Asked != "" {
				t.Errorf("state after the journey %+v", st)
			}
		})
	}
}

// A change journey in the middle of a booking leaves the booking as it was.
func TestChangeDuringABooking(t *testing.T) {
	s := newSession(t)
	s.say("Wedding Photography")
	s.say("Dec 15")
	before := s.st()
	s.steps([]step{
		{say: "wait, I also need to cancel my booking", want: []string{askCodeText}},
		{say: "never mind", want: []string{"I've left your booking as it is.", "Now, back to your booking.", "What name"}},
	})
	if after := s.st(); after != before {
		t.Fatalf("state changed by the journey\nbefore %+v\n after %+v", before, after)
	}
}

// "Cancel" while a new booking waits for its confirm drops the offer.
func TestCancelBeforeConfirm(t *testing.T) {
	s := newSession(t)
	s.say("wedding on dec 15, my name is Ann Lee, ann@example.com, 555 123 4567")
	s.steps([]step{
		{say: "cancel it", want: []string{"I won't book it", "If you meant a booking you made earlier"}},
	})
	st := s.st()
	if st.ServiceID != "" || st.Change != changeCancel || st.Asked != askCode {
		t.Fatalf("state %+v", st)
	}
	if len(s.changeCalls(frontdesk.ToolCancelBooking)) != 0 {
		t.Fatal("cancel_booking was called")
	}
}

// "Cancel" in the middle of a booking drops it.
func TestCancelDuringABooking(t *testing.T) {
	s := newSession(t)
	s.say("Wedding Photography")
	s.say("Dec 15")
	s.steps([]step{{say: "cancel that", want: []string{"I won't book it"}}})
	if st := s.st(); st.ServiceID != "" || st.Date != "" || st.Change != changeCancel {
		t.Fatalf("state %+v", st)
	}
}

// "How do I cancel BK-…?" asks for the change, not the policy.
func TestHowDoICancelWithACode(t *testing.T) {
	s := newSession(t)
	s.steps([]step{{say: "how do I cancel BK-7XK3QM?", want: []string{"I can cancel your booking here.", askEmailText}}})
}

// A question about the policy is answered, with the offer to do it.
func TestPolicyQuestionOffersTheChange(t *testing.T) {
	s := newSession(t)
	s.steps([]step{
		{say: "what's your cancellation policy?", want: []string{"Cancellation policy: Free cancellation up to 48 hours", "I can also cancel or move a booking"},
			sugg: []string{"Cancel my booking", "Move my booking"}},
		{say: "Cancel my booking", want: []string{askCodeText}},
	})
}

func TestChangeStateRepaired(t *testing.T) {
	tests := []struct {
		raw  string
		want state
	}{
		{`{"v":3,"change":"explode","code":"BK-7XK3QM","asked":"code"}`, state{V: stateVersion, Code: "BK-7XK3QM"}},
		{`{"v":3,"change":"cancel","code":"not a code","bookingEmail":"nope","moveDate":"2026-12-11","asked":"moveDate"}`, state{V: stateVersion, Change: changeCancel}},
		{`{"v":3,"change":"move","moveDate":"2026-13-45","moveTime":"25:00","asked":"changeKind"}`, state{V: stateVersion, Change: changeMove}},
		{`{"v":3,"asked":"humanEmail"}`, state{V: stateVersion}},
	}
	for _, tc := range tests {
		t.Run(tc.raw, func(t *testing.T) {
			if got := loadState(json.RawMessage(tc.raw)); got != tc.want {
				t.Fatalf("loadState = %+v, want %+v", got, tc.want)
			}
		})
	}
}

// TestChangeCorpus measures the change journeys on a generated corpus: the
// openings customers use, each with the details given at once, one by one,
// or in other words, must end in the right tool call with the right input.
func TestChangeCorpus(t *testing.T) {
	cancelOpeners := []string{"cancel my booking", "I need to cancel my appointment", "please cancel my reservation",
		"can I cancel?", "I'd like to cancel", "I want to cancel my session", "Cancel my booking", "I have to call off my shoot"}
	moveOpeners := []string{"I need to reschedule", "can I move my appointment?", "I'd like to change my booking",
		"Move my booking", "reschedule please", "we need to postpone my session", "can I reschedule my booking?"}
	codes := []string{"BK-7XK3QM", "bk-7xk3qm", "BK 7XK3QM", "BK7XK3QM", "7XK3QM", "my code is 7xk3qm"}
	emails := []string{"ann@example.com", "It's ANN@example.com", "email: ann@example.com"}
	whens := []struct{ say, date, time string }{
		{"Friday at 3", "2026-12-11", "15:00"}, {"next Tuesday at 10am", "2026-12-15", "10:00"},
		{"Dec 16 at 2pm", "2026-12-16", "14:00"}, {"the 17th, 9:00", "2026-12-17", "09:00"},
		{"monday 11am", "2026-12-14", "11:00"},
	}
	total, ok := 0, 0
	var failures []string
	run := func(name string, msgs []string, tool string, want frontdesk.RescheduleBookingIn) {
		total++
		s := newSession(t)
		var turn Turn
		for _, m := range msgs {
			turn = s.respond(m)
		}
		got := s.changeCalls(tool)
		if len(got) == 1 && got[0] == want && strings.Contains(turn.Reply, "Please confirm below.") {
			ok++
			return
		}
		failures = append(failures, fmt.Sprintf("%s %q: calls %+v, last reply %q", name, msgs, got, turn.Reply))
	}
	for _, o := range cancelOpeners {
		for _, c := range codes {
			for _, e := range emails {
				want := frontdesk.RescheduleBookingIn{BookingReference: bookingCode, CustomerEmail: bookingEmail}
				run("cancel, one by one", []string{o, c, e}, frontdesk.ToolCancelBooking, want)
				if !strings.HasPrefix(c, "my") && c != "7XK3QM" {
					run("cancel, at once", []string{o + " " + c + " " + strings.TrimPrefix(e, "It's ")}, frontdesk.ToolCancelBooking, want)
				}
			}
		}
	}
	for _, o := range moveOpeners {
		for _, c := range codes {
			for _, w := range whens {
				want := frontdesk.RescheduleBookingIn{BookingReference: bookingCode, CustomerEmail: bookingEmail, NewDate: w.date, NewTime: w.time}
				run("move, one by one", []string{o, c, "ann@example.com", w.say}, frontdesk.ToolRescheduleBooking, want)
			}
		}
	}
	t.Logf("change corpus: %d of %d conversations ended in the right proposal", ok, total)
	for i, f := range failures {
		if i == 10 {
			break
		}
		t.Error(f)
	}
}

// TestMoveReadsDatesAsTheBusinessWrites: at a London salon 5/1 is 5
// January when moving a booking, as when booking one.
func TestMoveReadsDatesAsTheBusinessWrites(t *testing.T) {
	s := newSession(t)
	s.tenant, s.tools = londonTenant(), londonTools()
	s.say("please reschedule BK-7XK3QM, ann@example.com, to 5/1 at 3pm")
	got := s.changeCalls(frontdesk.ToolRescheduleBooking)
	if len(got) != 1 || got[0].NewDate != "2027-01-05" || got[0].NewTime != "15:00" {
		t.Fatalf("reschedule_booking calls %+v, want one to 2027-01-05 15:00", got)
	}
}

// TestSecondMissSaysTheWayOnOnce: two messages not understood in the
// cancel journey get the way on once, without the question (asked twice
// already) or its hint left hanging.
func TestSecondMissSaysTheWayOnOnce(t *testing.T) {
	s := newSession(t)
	s.say("cancel my booking")
	s.say("banana")
	turn := s.say("purple")
	if n := strings.Count(turn.Reply, "ask for a person"); n != 1 {
		t.Fatalf("reply %q says to ask for a person %d times, want once", turn.Reply, n)
	}
	if strings.Contains(turn.Reply, "confirmation email") || strings.HasSuffix(strings.TrimSpace(turn.Reply), "?") {
		t.Fatalf("reply %q keeps the question or its hint", turn.Reply)
	}
	wantReply(t, turn, "I'm still not sure I follow")
	if !slices.Contains(turn.Suggestions, "Talk to a person") {
		t.Fatalf("suggestions %q: want a person offered", turn.Suggestions)
	}
}
