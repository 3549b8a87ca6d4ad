package guided

// Whole booking conversations: each kind of service, one message or many,
// days and times that are not open, side questions on the way.

import (
	"reflect"
	"strings"
	"testing"

	"github.com/frontdeskhq/frontdesk"
)

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
	after := s.st()
	// Which question the replies ended on is bookkeeping of the replies
	// (see notThrice), not of the booking.
	after.LastQ, after.QRun = before.LastQ, before.QRun
	if after != before {
		t.Fatalf("state changed by a question\nbefore %+v\n after %+v", before, after)
	}

	turn = s.say("Cancellation policy")
	wantReply(t, turn, "Cancellation policy: Free cancellation up to 48 hours before your session.", "What name")

	turn = s.say("how can I contact you")
	wantReply(t, turn, "Email: hello@lumen.example", "Phone: +1 212 555 0100", "What name")

	s.say("Ann Lee")
	turn = s.say("ann@example.com") // no phone question: the business does not require one
	wantReply(t, turn, "Please confirm below.")
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

// TestPriceOfTheChosenService: asked mid-booking, the price of the service
// chosen is said once, with its length, and the booking resumes.
func TestPriceOfTheChosenService(t *testing.T) {
	s := newSession(t)
	s.say("mini session friday")
	turn := s.say("how much does it cost?")
	if n := strings.Count(turn.Reply, "$150.00"); n != 1 {
		t.Fatalf("reply %q gives the price %d times, want once", turn.Reply, n)
	}
	wantReply(t, turn, "Mini Session is $150.00", "30 min", "What time")
	// The list is still there for the asking.
	turn = s.say("what are your prices?")
	wantReply(t, turn, "Here's what you can book", "Wedding Photography")
}

// TestBusinessInfoReadOnceATurn: a side question whose answer needs the
// business's details several ways (the FAQ, the fallback's contact line)
// reads them with one get_business_info call.
func TestBusinessInfoReadOnceATurn(t *testing.T) {
	s := newSession(t)
	s.say("mini session friday")
	before := len(s.tools.callsOf(frontdesk.ToolGetBusinessInfo))
	s.say("do you have parking?")
	s.say("is the studio wheelchair accessible?")
	if n := len(s.tools.callsOf(frontdesk.ToolGetBusinessInfo)) - before; n != 2 {
		t.Fatalf("%d get_business_info calls for two side questions, want one each", n)
	}
}
