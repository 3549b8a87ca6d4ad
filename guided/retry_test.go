package guided

// Changing course: a booking the tools refuse, a required phone, a change
// after the proposal, another service, and short replies read in context.

import (
	"testing"

	"github.com/frontdeskhq/frontdesk"
)

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
	wantSuggestions(t, turn) // no Skip, nor anything else

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
	if len(turn.Suggestions) == 0 || turn.Suggestions[0] != "Try again" {
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
