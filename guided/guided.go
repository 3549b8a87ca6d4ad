// Package guided is the booking assistant that needs no language model. It
// is the default when no API key is configured and the fallback when the
// model fails, so the widget never dead-ends.
//
// It is deterministic: the reply depends only on the tenant, the clock, the
// state of the previous turn, the message and what the tools answer. It
// keeps what it has learnt (service, date, slot, name, email, phone) in a
// small JSON state that the caller stores between turns, asks for what is
// missing one thing at a time, and, when everything is known, calls
// book_service, which makes a proposal the customer confirms in the widget.
// Beside booking it cancels or moves a booking already made (by its
// confirmation code and email, through cancel_booking and
// reschedule_booking) and passes a request to a person (request_human).
package guided

import (
	"context"
	"encoding/json"
	"slices"
	"time"

	"github.com/frontdeskhq/frontdesk"
)

// Input is one customer message and what the assistant needs to answer it.
type Input struct {
	Tenant *frontdesk.Tenant
	// Now is the current instant; "today" is Now in the tenant's time zone.
	Now time.Time
	// State is Turn.State of the previous turn, nil at the start. State that
	// does not parse starts a fresh conversation.
	State   json.RawMessage
	Message string
	// Tools runs get_services, check_availability, get_business_info,
	// book_service, cancel_booking, reschedule_booking and request_human
	// for this tenant and session.
	Tools frontdesk.ToolRunner
	// Customer is the returning customer the session recognised, nil
	// otherwise: their name, email and phone are filled in without asking
	// (the visitor may still correct them).
	Customer *Customer
}

// Customer is what the assistant knows of a returning customer.
type Customer struct {
	Name, Email, Phone string
}

// Turn is the assistant's answer to one message.
type Turn struct {
	Reply       string          // plain text
	Suggestions []string        // quick replies for the widget, plain text
	State       json.RawMessage // to pass back as Input.State next turn
}

// Respond answers one customer message and returns the reply, its quick
// replies and the state to pass back next turn; it never fails.
// When every detail is known it calls book_service; the caller finds the
// proposal in that tool call's result. The reply then carries the preview
// and "Please confirm below."
func Respond(ctx context.Context, in Input) Turn {
	c := &conv{ctx: ctx, in: in, st: loadState(in.State), loc: time.UTC}
	c.askedBefore, c.fieldsBefore = c.st.Asked, c.st.fields()
	if in.Tenant != nil {
		c.loc = in.Tenant.Location()
	}
	now := in.Now
	if now.IsZero() {
		now = time.Now()
	}
	c.today = frontdesk.DateOf(now.In(c.loc))
	if in.Tenant != nil {
		c.dayFirst = dayFirstZone(in.Tenant.TimeZone)
	}
	c.handle(normalize(in.Message))
	return c.turn()
}

// conv is one turn of the conversation.
type conv struct {
	ctx   context.Context
	in    Input
	st    state
	loc   *time.Location
	today frontdesk.Date

	// askedBefore is what the previous turn asked, fieldsBefore the
	// booking as it stood.
	askedBefore, fieldsBefore string

	paras []string // reply paragraphs
	sugg  []string

	services       []frontdesk.ServiceOut
	servicesErr    string
	servicesLoaded bool
	info           frontdesk.GetBusinessInfoOut // get_business_info's answer, once loaded this turn (businessInfo)
	infoErr        string
	infoLoaded     bool
	slots          []slot // open slots of st.Date, when loaded this turn
	slotsDate      string
	bookFailed     bool
	dayFirst       bool       // numeric dates are day first where the business is
	extraction     Extraction // what this turn's message carried
	missed         bool       // the reply did not answer the question asked
}

// handle reads the message and moves the conversation on.
func (c *conv) handle(msg string) {
	st := &c.st
	intent := ParseIntent(msg)
	switch intent {
	case IntentRestart:
		c.st = state{V: stateVersion}
		c.say("No problem, let's start over. I can show you our services, check availability and book for you. What would you like to do?")
		c.sugg = StartSuggestions()
		return
	}
	if c.handleChange(msg, intent) {
		return
	}
	switch intent {
	case IntentHours, IntentPolicy, IntentContact:
		// An info question is answered without reading booking facts from
		// it ("what are your hours on Friday?" does not choose Friday).
		c.answerInfo(intent, msg)
		c.resume()
		if intent == IntentPolicy {
			c.offerChange(msg)
		}
		return
	}

	// Offered: the visitor only asked about a service ("how much is a
	// wedding?"); it is kept for "ok, book it" but nothing is asked until
	// they want to book.
	offered := st.Offered
	st.Offered = false
	changed := c.applyChange(msg)
	f := c.extract(msg)
	if !changed && c.priceInquiry(msg, intent, f) {
		return
	}
	learnt := c.apply(f)
	if learnt || changed {
		c.st.Misses = 0
		c.advance()
		return
	}
	switch {
	case intent == IntentLater || offered && (intent == IntentThanks || intent == IntentNo):
		// Leaving for now is not a miss: no question again, a short close.
		st.Misses = 0
		st.Offered = offered
		c.say("No problem, take your time. Whenever you're ready, just message me here and I'll help you book.")
		c.sugg = StartSuggestions()
		return
	case offered && (reQuestion.MatchString(msg) || reCost.MatchString(msg)) && intent != IntentBook && intent != IntentYes:
		st.Offered = true
		if !c.answerFAQ(msg) {
			c.answerQuestion(msg)
		}
		c.sugg = append([]string{"Book " + st.ServiceName}, c.sugg...)
		return
	case intent == IntentServices && st.ServiceID != "" && st.inProgress() && reCost.MatchString(msg) &&
		!reServicesAsked.MatchString(msg):
		// "how much is it?" mid-booking asks the price of the service
		// chosen: a side question, not a new choice of service.
		c.answerQuestion(msg)
		c.resume()
		return
	case intent == IntentServices:
		c.listServices()
		return
	case st.Asked == askPhone && (intent == IntentSkip || intent == IntentNo) && !c.phoneRequired():
		st.PhoneSkipped = true
	case st.Asked == askConfirm && intent == IntentNo:
		c.say("No problem.")
		c.askWhatToChange()
		return
	case st.Asked == askConfirm && (reQuestion.MatchString(msg) || reCost.MatchString(msg)):
		if !c.answerFAQ(msg) {
			c.answerQuestion(msg)
		}
		c.resume()
		return
	case st.Asked == askConfirm:
		c.say("Your booking is ready: tap Confirm below to book it. To change something, just tell me (for example \"change the time\").")
		c.sugg = c.changeSuggestions()
		return
	case st.Asked == askRetry && (intent == IntentYes || intent == IntentBook):
	case st.Asked == askRetry:
		// Only a yes books again; anything else asks again.
		c.sayNotUnderstood()
		c.askRetry()
		return
	case st.Asked == askChange:
		c.sayNotUnderstood()
		c.askWhatToChange()
		return
	case intent == IntentGreeting && !st.inProgress():
		c.say("%s", Greeting(c.in.Tenant))
		c.sugg = StartSuggestions()
		return
	case intent == IntentGreeting:
		c.say("Hi again!")
	case intent == IntentThanks && !st.inProgress():
		c.say("You're welcome! Is there anything else I can help with?")
		c.sugg = StartSuggestions()
		return
	case intent == IntentThanks:
		c.say("You're welcome!")
	case intent == IntentHelp:
		c.say("I can show you our services, check open dates and times, answer questions about opening hours, policies and how to reach us, and book for you. Say \"start over\" at any time to begin again.")
		c.resume()
		return
	case intent == IntentBook, intent == IntentYes && st.Asked == "":
	case msg == "" && !st.inProgress():
		c.say("%s", Greeting(c.in.Tenant))
		c.sugg = StartSuggestions()
		return
	case c.answerFAQ(msg):
		st.Offered = offered
		c.resume()
		return
	case reHasLetter.MatchString(msg) && (reQuestion.MatchString(msg) || reCost.MatchString(msg)):
		// "???" or an emoji asks nothing: it is a miss, not a question.
		c.answerQuestion(msg)
		c.resume()
		return
	default:
		c.sayNotUnderstood()
	}
	said := slices.Clone(c.paras)
	c.advance()
	if c.missed && c.st.Misses >= 2 {
		// Never the same question a third time: the quick replies of the
		// question and a person are offered instead of asking it again.
		c.paras = said
		c.sugg = append(c.sugg, "Talk to a person", "Start over")
	}
}

// priceInquiry answers a question about what a service costs, asked
// before any booking ("How much is wedding photography?"): the price is
// said and the service kept for "ok, book it", but no booking is started
// and nothing is asked. It reports whether the message was one.
func (c *conv) priceInquiry(msg string, intent Intent, f facts) bool {
	st := &c.st
	if st.inProgress() || f.service == nil || !reCost.MatchString(msg) || !reQuestion.MatchString(msg) ||
		intent == IntentBook || f.date != nil || f.minutes >= 0 || f.to > 0 || f.name != "" || f.email != "" || f.phone != "" {
		return false
	}
	s := *f.service
	st.ServiceID, st.ServiceName, st.BookingType = s.ID, s.Name, s.BookingType
	if st.BookingType != frontdesk.BookingDate && st.BookingType != frontdesk.BookingTimeslot {
		st.BookingType = frontdesk.BookingTimeslot
	}
	c.said(FieldService, c.typed(FieldService))
	st.Offered, st.Asked, st.Misses = true, "", 0
	c.say("%s is %s.", s.Name, serviceTerms(s))
	c.say("Whenever you'd like to book it, just tell me a date.")
	c.sugg = append([]string{"Book " + s.Name}, StartSuggestions()...)
	return true
}

// resume continues the booking after an answer to a side question.
func (c *conv) resume() {
	switch {
	case c.st.Change != "" || c.st.Asked == askChangeKind:
		c.resumeChange()
	case c.st.Asked == askConfirm:
		c.para("Your booking is still ready to confirm below.")
		c.sugg = c.changeSuggestions()
	case c.st.Asked == askRetry:
		c.para("Would you like me to try your booking again?")
		c.sugg = []string{"Try again", "Start over"}
	case c.st.Offered && c.st.Asked == "":
		c.sugg = append([]string{"Book " + c.st.ServiceName}, StartSuggestions()...)
	case c.st.inProgress():
		c.para("Now, back to your booking.")
		c.advance()
	default:
		c.sugg = StartSuggestions()
	}
}
