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
	"fmt"
	"regexp"
	"sort"
	"strings"
	"time"
	"unicode"

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
}

// Turn is the assistant's answer to one message.
type Turn struct {
	Reply       string          // plain text
	Suggestions []string        // quick replies for the widget, plain text
	State       json.RawMessage // to pass back as Input.State next turn
}

// stateVersion changes when the meaning of state changes; older state is
// dropped and the conversation starts afresh.
const stateVersion = 1

// What the assistant asked last; it decides how a short reply is read.
const (
	askService = "service"
	askDate    = "date"
	askTime    = "time"
	askName    = "name"
	askEmail   = "email"
	askPhone   = "phone"
	askConfirm = "confirm" // a proposal awaits the customer's confirmation
	askRetry   = "retry"   // book_service failed for no field we can name
	askChange  = "change"  // "what would you like to change?"

	// Changing a booking already made, and reaching a person (changes.go).
	askChangeKind    = "changeKind"    // a code was given: cancel or move?
	askCode          = "code"          // the booking's confirmation code
	askBookingEmail  = "bookingEmail"  // the email the booking was made with
	askMoveDate      = "moveDate"      // the day to move the booking to
	askMoveTime      = "moveTime"      // the time to move it to
	askChangeConfirm = "changeConfirm" // a cancel or move proposal awaits the customer
	askChangeRetry   = "changeRetry"   // the change tool failed for no reason we can name
	askHumanEmail    = "humanEmail"    // where the business should reply
)

// state is the assistant's memory between turns.
type state struct {
	V           int                   `json:"v"`
	Asked       string                `json:"asked,omitempty"`
	ServiceID   string                `json:"serviceId,omitempty"`
	ServiceName string                `json:"serviceName,omitempty"`
	BookingType frontdesk.BookingType `json:"bookingType,omitempty"`
	// Date is the wanted day, YYYY-MM-DD; DateOpen says check_availability
	// found it open for ServiceID.
	Date     string `json:"date,omitempty"`
	DateOpen bool   `json:"dateOpen,omitempty"`
	// Time is a wanted time of day (HH:MM) not yet matched to a slot.
	Time string `json:"time,omitempty"`
	// SlotStart is the chosen slot's startTime (RFC 3339), TIMESLOT only.
	SlotStart    string `json:"slotStart,omitempty"`
	Name         string `json:"name,omitempty"`
	Email        string `json:"email,omitempty"`
	Phone        string `json:"phone,omitempty"`
	PhoneSkipped bool   `json:"phoneSkipped,omitempty"`
	ProposalID   string `json:"proposalId,omitempty"`

	// Change is a journey apart from booking: changeCancel or changeMove of
	// a booking already made, found by Code and BookingEmail, to MoveDate
	// (and MoveTime, HH:MM) for a move; or changeHuman, a request for a
	// person with HumanReason.
	Change       string `json:"change,omitempty"`
	Code         string `json:"code,omitempty"`
	BookingEmail string `json:"bookingEmail,omitempty"`
	MoveDate     string `json:"moveDate,omitempty"`
	MoveTime     string `json:"moveTime,omitempty"`
	HumanReason  string `json:"humanReason,omitempty"`
}

// loadState reads the previous turn's state; anything that does not parse
// or does not make sense starts afresh.
func loadState(raw json.RawMessage) state {
	fresh := state{V: stateVersion}
	var st state
	if len(raw) == 0 || json.Unmarshal(raw, &st) != nil || st.V != stateVersion {
		return fresh
	}
	switch st.Asked {
	case "", askService, askDate, askTime, askName, askEmail, askPhone, askConfirm, askRetry, askChange:
	case askChangeKind, askCode, askBookingEmail, askMoveDate, askMoveTime, askChangeConfirm, askChangeRetry, askHumanEmail:
	default:
		st.Asked = ""
	}
	st.repairChange()
	if st.ServiceID == "" || st.BookingType != frontdesk.BookingDate && st.BookingType != frontdesk.BookingTimeslot {
		st.clearService()
	}
	if _, err := frontdesk.ParseDate(st.Date); err != nil {
		st.setDate("")
	}
	if _, err := time.Parse("15:04", st.Time); err != nil {
		st.Time = ""
	}
	if _, err := time.Parse(time.RFC3339, st.SlotStart); err != nil || st.BookingType != frontdesk.BookingTimeslot || !st.DateOpen {
		st.SlotStart = ""
	}
	return st
}

// inProgress reports whether the customer has started a booking.
func (st *state) inProgress() bool {
	return st.Asked != "" || st.ServiceID != "" || st.Date != "" || st.Time != "" ||
		st.Name != "" || st.Email != "" || st.Phone != ""
}

// booking reports whether the customer has started a new booking (apart
// from changing one already made).
func (st *state) booking() bool {
	return st.ServiceID != "" || st.Date != "" || st.Time != "" || st.Name != "" || st.Email != "" || st.Phone != "" ||
		st.Asked != "" && !changeAsks[st.Asked]
}

// clearService forgets the service, and with it what was checked for it:
// whether the date is open and the chosen slot.
func (st *state) clearService() {
	st.ServiceID, st.ServiceName, st.BookingType = "", "", ""
	st.DateOpen, st.SlotStart = false, ""
}

// setDate records the wanted day ("" for none); whether it is open and the
// slot on it are then unknown.
func (st *state) setDate(date string) {
	st.Date, st.DateOpen, st.SlotStart = date, false, ""
}

// StartSuggestions are the quick replies offered with the greeting.
func StartSuggestions() []string {
	return []string{"See services", "Opening hours", "Cancellation policy", "Contact details"}
}

// Greeting returns the assistant's first message for a tenant's widget.
func Greeting(t *frontdesk.Tenant) string {
	name := ""
	if t != nil {
		name = strings.TrimSpace(t.Name)
	}
	if name == "" {
		return "Hi! I'm the booking assistant. I can show you the services, check availability and book for you. What would you like to do?"
	}
	return fmt.Sprintf("Hi! I'm the booking assistant for %s. I can show you our services, check availability and book for you. What would you like to do?", name)
}

// Respond answers one customer message. It never fails: a tool that fails
// is explained in the reply, and the suggestions always offer a way on.
//
// When every detail is known it calls book_service; the caller finds the
// proposal in that tool call's result. The reply then carries the preview
// and "Please confirm below."
func Respond(ctx context.Context, in Input) Turn {
	c := &conv{ctx: ctx, in: in, st: loadState(in.State), loc: time.UTC}
	if in.Tenant != nil {
		c.loc = in.Tenant.Location()
	}
	now := in.Now
	if now.IsZero() {
		now = time.Now()
	}
	c.today = frontdesk.DateOf(now.In(c.loc))
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

	paras []string // reply paragraphs
	sugg  []string

	services       []frontdesk.ServiceOut
	servicesErr    string
	servicesLoaded bool
	slots          []slot // open slots of st.Date, when loaded this turn
	slotsDate      string
	bookFailed     bool
}

// say adds a sentence to the current paragraph.
func (c *conv) say(format string, args ...any) {
	s := fmt.Sprintf(format, args...)
	switch {
	case len(c.paras) == 0:
		c.paras = append(c.paras, s)
	case c.paras[len(c.paras)-1] == "":
		c.paras[len(c.paras)-1] = s
	default:
		c.paras[len(c.paras)-1] += " " + s
	}
}

// para starts a new paragraph.
func (c *conv) para(format string, args ...any) {
	c.paras = append(c.paras, fmt.Sprintf(format, args...))
}

func (c *conv) turn() Turn {
	reply := strings.TrimSpace(strings.Join(c.paras, "\n\n"))
	if reply == "" {
		reply = "How can I help? I can show you our services, check availability and book for you."
		c.sugg = StartSuggestions()
	}
	sugg := []string{}
	seen := map[string]bool{}
	for _, s := range c.sugg {
		if s != "" && !seen[s] && len(sugg) < 8 {
			seen[s] = true
			sugg = append(sugg, s)
		}
	}
	raw, err := json.Marshal(c.st)
	if err != nil { // cannot happen: state holds only strings and bools
		raw = []byte(`{}`)
	}
	return Turn{Reply: reply, Suggestions: sugg, State: raw}
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

	changed := c.applyChange(msg)
	learnt := c.apply(c.extract(msg))
	if learnt || changed {
		c.advance()
		return
	}
	switch {
	case intent == IntentServices:
		c.listServices()
		return
	case st.Asked == askPhone && (intent == IntentSkip || intent == IntentNo) && !c.phoneRequired():
		st.PhoneSkipped = true
	case st.Asked == askConfirm && intent == IntentNo:
		c.say("No problem.")
		c.askWhatToChange()
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
		c.resume()
		return
	default:
		c.sayNotUnderstood()
	}
	c.advance()
}

// sayNotUnderstood says what kind of answer the assistant expected.
func (c *conv) sayNotUnderstood() {
	switch c.st.Asked {
	case askService:
		c.say("Sorry, I didn't catch which service you'd like.")
	case askDate:
		c.say("Sorry, I didn't catch a date. You can say, for example, \"Friday\", \"tomorrow\" or \"Dec 15\".")
	case askTime:
		c.say("Sorry, I didn't catch a time. You can pick one below or type one, for example \"3pm\".")
	case askName:
		c.say("Sorry, I didn't catch your name.")
	case askEmail:
		c.say("That doesn't look like an email address.")
	case askPhone:
		c.say("That doesn't look like a phone number.")
	case askRetry:
		c.say("Sorry, I didn't follow.")
	case askChange:
		c.say("Sorry, I didn't catch what to change.")
	case askCode:
		c.say("Sorry, I didn't catch a confirmation code. If you can't find it, tap \"Talk to a person\".")
	case askBookingEmail, askHumanEmail:
		c.say("That doesn't look like an email address.")
	case askMoveDate:
		c.say("Sorry, I didn't catch a day. You can say, for example, \"Friday\" or \"Dec 15\".")
	case askMoveTime:
		c.say("Sorry, I didn't catch a time. You can pick one below or type one, for example \"3pm\".")
	case askChangeKind, askChangeRetry:
		c.say("Sorry, I didn't follow.")
	default:
		c.say("I'm a simple booking assistant: I can show you our services, check availability and book for you.")
	}
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
	case c.st.inProgress():
		c.para("Now, back to your booking.")
		c.advance()
	default:
		c.sugg = StartSuggestions()
	}
}

// ---------------------------------------------------------------- facts

// facts are what one message tells about the booking.
type facts struct {
	service *frontdesk.ServiceOut
	date    *frontdesk.Date
	minutes int // -1: no time
	name    string
	email   string
	phone   string
}

var (
	reBareNumber = regexp.MustCompile(`^\W*(\d{1,2})(?:st|nd|rd|th)?\W*$`)
	reHasLetter  = regexp.MustCompile(`\pL`)
	reNumberWord = regexp.MustCompile(`^\d+(?:st|nd|rd|th|am|pm)?$`)
)

// extract reads every booking fact in msg. Short replies are read in the
// light of what was asked: "2" is a menu item after a service list, a day
// of the month after "what date?", an hour after "what time?".
func (c *conv) extract(msg string) facts {
	f := facts{minutes: -1}
	asked := c.st.Asked
	rest := msg
	if e, span := findEmail(rest); e != "" {
		f.email = e
		rest = mask(rest, [][]int{span})
	}
	if p, span := findPhone(rest); p != "" {
		f.phone = p
		rest = mask(rest, [][]int{span})
	}
	bare := reBareNumber.FindStringSubmatch(rest)

	if d, ok := ParseDate(rest, c.today); ok {
		f.date = &d
	} else if bare != nil && asked == askDate {
		if d, ok := nextDayOfMonth(c.today, atoi(bare[1])); ok {
			f.date = &d
		}
	}
	if m, ok := ParseTime(rest); ok {
		f.minutes = m
	} else if bare != nil && asked == askTime {
		if m, ok := ParseTime("at " + bare[1]); ok {
			f.minutes = m
		}
	}
	// A service is looked for until one is chosen, and afterwards while the
	// customer is choosing when, so "the portrait session instead" switches.
	lookForService := c.st.ServiceID == "" || asked != askName && asked != askEmail && asked != askPhone
	if bare != nil && asked != askService {
		lookForService = false
	}
	if c.st.ServiceID != "" && (f.date != nil || f.minutes >= 0) && onlyWhen(rest) {
		lookForService = false // "Friday at 3pm" answers when, not what
	}
	if lookForService && (bare != nil || reHasLetter.MatchString(rest) && !smallTalk(rest)) {
		if services, _ := c.loadServices(); len(services) > 0 {
			if s, ok := MatchService(rest, services); ok {
				f.service = &s
			}
		}
	}
	if n, ok := ParseName(rest); ok {
		f.name = n
	} else if asked == askName && f.date == nil && f.minutes < 0 && f.service == nil {
		if n, ok := ParseBareName(strings.Trim(rest, " \t\r\n,;")); ok {
			f.name = n
		}
	}
	return f
}

// smallTalkWords name no service: a message of only these needs no lookup.
var smallTalkWords = wordSet(`hi hello hey hiya howdy yo greetings hola good morning afternoon evening
	there yes yeah yep yup sure ok okay no nope nah thanks thank you please skip none`)

func smallTalk(s string) bool {
	for _, w := range tokens(s) {
		if !smallTalkWords[w] {
			return false
		}
	}
	return true
}

// whenWords say when, never what: a message of only these and numbers
// names no service.
var whenWords = wordSet(`today tonight tomorrow tmrw tmr day after next this coming on at the of around about
	monday tuesday wednesday thursday friday saturday sunday mon tue tues wed thu thur thurs fri sat sun
	january february march april may june july august september october november december
	jan feb mar apr jun jul aug sep sept oct nov dec am pm a p m noon midday midnight o clock
	how what please then instead maybe or and is ok okay`)

func onlyWhen(s string) bool {
	for _, w := range tokens(s) {
		if !whenWords[w] && !reNumberWord.MatchString(w) {
			return false
		}
	}
	return true
}

// apply records facts, dropping what they make stale, and reports whether
// anything changed.
func (c *conv) apply(f facts) bool {
	st := &c.st
	changed := false
	// Picking the current service again from the menu is an answer too.
	if f.service != nil && (f.service.ID != st.ServiceID || st.Asked == askService) {
		c.chooseService(*f.service)
		changed = true
	}
	if f.date != nil && f.date.String() != st.Date {
		st.setDate(f.date.String())
		changed = true
	}
	if f.minutes >= 0 {
		hm := fmt.Sprintf("%02d:%02d", f.minutes/60, f.minutes%60)
		if st.BookingType == frontdesk.BookingDate {
			c.say("%s is booked for the whole day, so no time is needed.", st.ServiceName)
			changed = true // answered: nothing to apologise for
		} else if hm != st.Time && (st.SlotStart == "" || c.slotMinutes(st.SlotStart) != f.minutes) {
			st.Time, st.SlotStart = hm, ""
			changed = true
		}
	}
	if f.name != "" && f.name != st.Name {
		st.Name = f.name
		c.say("Thanks, %s.", strings.Fields(f.name)[0])
		changed = true
	}
	if f.email != "" && f.email != st.Email {
		st.Email = f.email
		changed = true
	}
	if f.phone != "" && f.phone != st.Phone {
		st.Phone, st.PhoneSkipped = f.phone, false
		changed = true
	}
	return changed
}

var (
	reChange      = regexp.MustCompile(`(?i)\b(?:change|different|another|other|wrong|switch|update|fix|edit)\b.{0,30}?\b(service|package|session|date|day|time|slot|name|e-?mail|phone|number)\b`)
	reChangeReply = regexp.MustCompile(`(?i)^\W*(?:the\s+|my\s+)?(service|package|session|date|day|time|slot|name|e-?mail|phone|number)\b`)
)

// applyChange clears what the customer says to change ("change the date").
func (c *conv) applyChange(msg string) bool {
	m := reChange.FindStringSubmatch(msg)
	if m == nil && c.st.Asked == askChange {
		m = reChangeReply.FindStringSubmatch(msg)
	}
	if m == nil {
		return false
	}
	st := &c.st
	switch strings.ToLower(m[1]) {
	case "service", "package", "session":
		st.clearService()
	case "date", "day":
		st.setDate("")
		st.Time = ""
	case "time", "slot":
		if st.BookingType != frontdesk.BookingTimeslot {
			return false
		}
		st.SlotStart, st.Time = "", ""
	case "name":
		st.Name = ""
	case "email", "e-mail":
		st.Email = ""
	case "phone", "number":
		st.Phone, st.PhoneSkipped = "", false
	}
	return true
}

func (c *conv) chooseService(s frontdesk.ServiceOut) {
	st := &c.st
	st.ServiceID, st.ServiceName, st.BookingType = s.ID, s.Name, s.BookingType
	if st.BookingType != frontdesk.BookingDate && st.BookingType != frontdesk.BookingTimeslot {
		st.BookingType = frontdesk.BookingTimeslot
	}
	st.DateOpen, st.SlotStart = false, ""
	c.say("Great, %s (%s).", s.Name, serviceTerms(s))
}

// serviceTerms describes a service's price and length: "$150, 30 min".
func serviceTerms(s frontdesk.ServiceOut) string {
	parts := []string{}
	if s.Price != "" {
		parts = append(parts, s.Price)
	}
	switch {
	case s.BookingType == frontdesk.BookingDate:
		parts = append(parts, "full day")
	case s.DurationMinutes >= 60 && s.DurationMinutes%60 == 0:
		h := s.DurationMinutes / 60
		parts = append(parts, fmt.Sprintf("%d hour%s", h, plural(h)))
	case s.DurationMinutes > 0:
		parts = append(parts, fmt.Sprintf("%d min", s.DurationMinutes))
	}
	return strings.Join(parts, ", ")
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}

// ---------------------------------------------------------------- the flow

// advance asks for the first missing detail, checking availability on the
// way, and proposes the booking when nothing is missing.
func (c *conv) advance() {
	st := &c.st
	if st.ServiceID == "" {
		c.askService()
		return
	}
	if st.Date == "" {
		c.askDate()
		return
	}
	if !st.DateOpen && !c.checkDate() {
		return
	}
	if st.BookingType == frontdesk.BookingTimeslot && st.SlotStart == "" && !c.pickSlot() {
		return
	}
	switch {
	case st.Name == "":
		c.say("What name should I put the booking under?")
		st.Asked = askName
	case st.Email == "":
		c.say("What email address should I send the confirmation to?")
		st.Asked = askEmail
	case st.Phone == "" && c.phoneRequired():
		c.say("What phone number can %s reach you on? It's needed to book.", c.businessName())
		st.Asked = askPhone
	case st.Phone == "" && !st.PhoneSkipped:
		c.say("Would you like to add a phone number? It's optional: type it, or tap Skip.")
		c.sugg = []string{"Skip"}
		st.Asked = askPhone
	case c.bookFailed:
		c.askRetry()
	default:
		c.book()
	}
}

// askService lists the services, or picks the only one.
func (c *conv) askService() {
	services, errMsg := c.loadServices()
	switch {
	case errMsg != "":
		c.say("Sorry, I couldn't load the services just now (%s). Please try again in a moment.", strings.TrimRight(errMsg, "."))
		c.sugg = []string{"See services"}
		c.st.Asked = ""
	case len(services) == 0:
		c.say("There's nothing to book online here just yet, sorry.%s", c.contactLine())
		c.sugg = []string{"Contact details", "Talk to a person"}
		c.st.Asked = ""
	case len(services) == 1:
		c.chooseService(services[0])
		c.advance()
	default:
		c.listServices()
	}
}

// listServices shows the numbered menu; the suggestions are the names.
func (c *conv) listServices() {
	services, errMsg := c.loadServices()
	if errMsg != "" || len(services) == 0 {
		c.askService()
		return
	}
	lines := []string{"Here's what you can book:"}
	c.sugg = nil
	for i, s := range services {
		line := fmt.Sprintf("%d. %s", i+1, s.Name)
		if terms := serviceTerms(s); terms != "" {
			line += " (" + terms + ")"
		}
		if d := strings.TrimSpace(s.Description); d != "" {
			line += ": " + firstSentence(d)
		}
		lines = append(lines, line)
		c.sugg = append(c.sugg, s.Name)
	}
	c.para("%s", strings.Join(lines, "\n"))
	c.para("Which one would you like? Tap it below or type its number.")
	c.st.Asked = askService
}

// firstSentence shortens a description for a menu line.
func firstSentence(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if i := strings.Index(s, ". "); i > 0 {
		s = s[:i+1]
	}
	if r := []rune(s); len(r) > 120 {
		s = strings.TrimSpace(string(r[:117])) + "..."
	}
	return s
}

// askDate asks for a date, suggesting the next open days.
func (c *conv) askDate() {
	c.st.Asked = askDate
	c.st.setDate("")
	c.offerOpenDays(c.today,
		"What date would you like? You can say, for example, \"Friday\" or \"Dec 15\".",
		fmt.Sprintf("I don't see any openings for %s in the next two weeks. Type a later date (for example \"Jan 15\") and I'll check it.", c.st.ServiceName),
		"What date would you like? The next open days are %s.")
}

// offerOpenDays offers the next open days in the two weeks from day from,
// as some (a format for the list of days) and as suggestions. It says
// failed when they cannot be checked and none when there are none.
func (c *conv) offerOpenDays(from frontdesk.Date, failed, none, some string) {
	days, errMsg := c.openDays(from, 5)
	switch {
	case errMsg != "":
		c.say("%s", failed)
	case len(days) == 0:
		c.say("%s", none)
	default:
		c.say(some, joinAnd(c.longDates(days)))
		c.sugg = c.shortDates(days)
	}
}

// checkDate checks that st.Date is open for the service; if not, it says so
// and offers the next open days.
func (c *conv) checkDate() bool {
	st := &c.st
	d, err := frontdesk.ParseDate(st.Date)
	if err != nil {
		c.askDate()
		return false
	}
	if d.Before(c.today) {
		c.say("%s has already passed.", c.longDate(d))
		c.askDate()
		return false
	}
	out, errMsg := c.availability(d, d)
	if errMsg != "" {
		c.say("Sorry, I couldn't check %s: %s", c.longDate(d), sentence(errMsg))
		st.setDate("")
		st.Asked = askDate
		return false
	}
	open := false
	if st.BookingType == frontdesk.BookingDate {
		for _, x := range out.Dates {
			open = open || x == st.Date
		}
	} else {
		c.slots, c.slotsDate = c.slotsOn(out, d), st.Date
		open = len(c.slots) > 0
	}
	if !open {
		c.sayNotOpen(d)
		return false
	}
	st.DateOpen = true
	if st.BookingType == frontdesk.BookingDate {
		c.say("Good news: %s is available for %s.", c.longDate(d), st.ServiceName)
	}
	return true
}

// sayNotOpen says that day d is not open and offers the next open days of
// the two weeks from d.
func (c *conv) sayNotOpen(d frontdesk.Date) {
	st := &c.st
	c.say("Sorry, %s isn't available for %s.", c.longDate(d), st.ServiceName)
	st.setDate("")
	st.Asked = askDate
	from := d
	if from.Before(c.today) {
		from = c.today
	}
	c.offerOpenDays(from,
		"Which other date would suit you?",
		"I don't see anything open in the two weeks from then either. Would a later date suit you?",
		"The next open days are %s. Which would you like?")
}

// pickSlot chooses the slot at the wanted time, or offers open times.
func (c *conv) pickSlot() bool {
	st := &c.st
	d, _ := frontdesk.ParseDate(st.Date)
	if c.slotsDate != st.Date {
		out, errMsg := c.availability(d, d)
		if errMsg != "" {
			c.say("Sorry, I couldn't check the times on %s: %s", c.longDate(d), sentence(errMsg))
			st.Asked = askTime
			c.sugg = []string{"Start over"}
			return false
		}
		c.slots, c.slotsDate = c.slotsOn(out, d), st.Date
	}
	if len(c.slots) == 0 {
		c.sayNotOpen(d)
		return false
	}
	st.Asked = askTime
	if st.Time != "" {
		t, _ := time.Parse("15:04", st.Time)
		want := t.Hour()*60 + t.Minute()
		st.Time = ""
		for _, s := range c.slots {
			if s.minutes == want {
				st.SlotStart = s.start
				c.say("%s on %s it is.", formatClock(want), c.longDate(d))
				return true
			}
		}
		c.say("Sorry, %s isn't available on %s.", formatClock(want), c.longDate(d))
		near := append([]slot(nil), c.slots...)
		sort.SliceStable(near, func(i, j int) bool { return abs(near[i].minutes-want) < abs(near[j].minutes-want) })
		if len(near) > 6 {
			near = near[:6]
		}
		sort.SliceStable(near, func(i, j int) bool { return near[i].minutes < near[j].minutes })
		c.say("The closest open times are %s. Which would you like?", joinAnd(slotLabels(near)))
		c.sugg = slotLabels(near)
		return false
	}
	offer := spread(c.slots, 6)
	c.say("What time would you like on %s? Open times include %s.", c.longDate(d), joinAnd(slotLabels(offer)))
	if len(c.slots) > len(offer) {
		c.say("There are %d open times in all, so you can also type another.", len(c.slots))
	}
	c.sugg = slotLabels(offer)
	return false
}

// spread picks up to n slots evenly across the day, first and last included.
func spread(slots []slot, n int) []slot {
	if len(slots) <= n {
		return slots
	}
	out := make([]slot, 0, n)
	for i := 0; i < n; i++ {
		out = append(out, slots[i*(len(slots)-1)/(n-1)])
	}
	return out
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}

// book asks book_service for a proposal.
func (c *conv) book() {
	st := &c.st
	in := frontdesk.BookServiceIn{
		PackageID:     st.ServiceID,
		Date:          st.Date,
		CustomerName:  st.Name,
		CustomerEmail: st.Email,
		CustomerPhone: st.Phone,
	}
	if st.BookingType == frontdesk.BookingTimeslot {
		in.StartTime = st.SlotStart
	}
	var out frontdesk.BookServiceOut
	if errMsg := c.call(frontdesk.ToolBookService, in, &out); errMsg != "" {
		c.bookingFailed(errMsg)
		return
	}
	st.ProposalID = out.ProposalID
	st.Asked = askConfirm
	preview := strings.TrimSpace(out.Preview)
	if preview == "" {
		preview = c.summary()
	}
	c.para("%s", preview)
	c.para("Please confirm below.")
	c.sugg = c.changeSuggestions()
}

// summary describes the booking when book_service gave no preview.
func (c *conv) summary() string {
	st := &c.st
	d, _ := frontdesk.ParseDate(st.Date)
	when := c.longDate(d)
	if st.SlotStart != "" {
		when += " at " + formatClock(c.slotMinutes(st.SlotStart))
	}
	return fmt.Sprintf("%s on %s for %s (%s).", st.ServiceName, when, st.Name, st.Email)
}

// bookingFailed relays book_service's error and asks again for the detail
// it blames.
func (c *conv) bookingFailed(errMsg string) {
	st := &c.st
	c.bookFailed = true
	st.ProposalID = ""
	c.para("I couldn't prepare that booking: %s", sentence(errMsg))
	e := strings.ToLower(errMsg)
	has := func(words ...string) bool {
		for _, w := range words {
			if strings.Contains(e, w) {
				return true
			}
		}
		return false
	}
	switch {
	case has("email"):
		st.Email = ""
	case has("phone"):
		st.Phone, st.PhoneSkipped = "", false
	case st.BookingType == frontdesk.BookingTimeslot && has("time", "slot", "date", "day", "available", "booked", "taken", "past"):
		st.DateOpen, st.SlotStart = false, "" // check the day again, then ask for a time
	case has("date", "day", "available", "booked", "taken", "past"):
		st.setDate("")
	case has("package", "service"):
		st.clearService()
	case has("name"):
		st.Name = ""
	default:
		c.askRetry()
		return
	}
	c.advance()
}

func (c *conv) askRetry() {
	c.st.Asked = askRetry
	c.say("Would you like me to try again, or change something?")
	c.sugg = append([]string{"Try again"}, c.changeSuggestions()...)
}

func (c *conv) askWhatToChange() {
	c.st.Asked = askChange
	c.say("What would you like to change?")
	c.sugg = c.changeSuggestions()
}

func (c *conv) changeSuggestions() []string {
	s := []string{"Change date"}
	if c.st.BookingType == frontdesk.BookingTimeslot {
		s = append(s, "Change time")
	}
	return append(s, "Change service", "Start over")
}

// ---------------------------------------------------------------- business info

// answerInfo answers a question about hours, policies or contact details.
func (c *conv) answerInfo(intent Intent, msg string) {
	var out frontdesk.GetBusinessInfoOut
	if errMsg := c.call(frontdesk.ToolGetBusinessInfo, frontdesk.GetBusinessInfoIn{}, &out); errMsg != "" {
		c.say("Sorry, I couldn't look that up just now. Please try again in a moment.")
		return
	}
	name := out.Name
	if name == "" && c.in.Tenant != nil {
		name = c.in.Tenant.Name
	}
	if name == "" {
		name = "the business"
	}
	info := out.Info
	contact := ""
	if out.Email != "" {
		contact = " You can reach " + name + " at " + out.Email + "."
	}
	switch intent {
	case IntentHours:
		if h := strings.TrimSpace(out.Hours); h != "" {
			c.para("Our opening hours: %s%s", sentence(h), daysOffText(out.DaysOff))
		} else {
			c.para("I don't have opening hours on file.%s", contact)
		}
	case IntentPolicy:
		c.answerPolicy(PolicyTopic(msg), info.Policies, contact)
	case IntentContact:
		lines := []string{"You can reach " + name + ":"}
		for _, kv := range [][2]string{{"Email", out.Email}, {"Phone", info.Phone}, {"Address", info.Address}, {"Website", info.Website}} {
			if v := strings.TrimSpace(kv[1]); v != "" {
				lines = append(lines, kv[0]+": "+v)
			}
		}
		if len(lines) == 1 {
			lines = []string{"I don't have contact details on file, but I can take your booking right here."}
		}
		c.para("%s", strings.Join(lines, "\n"))
	}
}

// phoneRequired reports whether the business needs a phone to book.
func (c *conv) phoneRequired() bool { return c.in.Tenant != nil && c.in.Tenant.Settings.RequirePhone }

// businessName is the business's name for a sentence.
func (c *conv) businessName() string {
	if c.in.Tenant != nil && strings.TrimSpace(c.in.Tenant.Name) != "" {
		return strings.TrimSpace(c.in.Tenant.Name)
	}
	return "the business"
}

// daysOffText lists the coming closed days after the hours: " We are
// closed on Friday 25 December (Christmas Day)."
func daysOffText(days []frontdesk.DayOffOut) string {
	var parts []string
	for _, d := range days {
		day, err := frontdesk.ParseDate(d.Date)
		if err != nil {
			continue
		}
		p := day.In(time.UTC).Format("Monday 2 January")
		if r := strings.TrimSpace(d.Reason); r != "" {
			p += " (" + r + ")"
		}
		parts = append(parts, p)
	}
	if len(parts) == 0 {
		return ""
	}
	return "\nWe are closed on " + strings.Join(parts, ", ") + "."
}

// contactLine offers the business's contact details, for when the
// assistant cannot help: " You can reach Lumen at owner@… or +1 555…".
func (c *conv) contactLine() string {
	var out frontdesk.GetBusinessInfoOut
	if c.call(frontdesk.ToolGetBusinessInfo, frontdesk.GetBusinessInfoIn{}, &out) != "" {
		return ""
	}
	var ways []string
	for _, v := range []string{out.Email, out.Info.Phone} {
		if v = strings.TrimSpace(v); v != "" {
			ways = append(ways, v)
		}
	}
	if len(ways) == 0 {
		return " You can ask for a person and the business will get back to you."
	}
	name := out.Name
	if name == "" {
		name = "the business"
	}
	return " You can reach " + name + " at " + strings.Join(ways, " or ") + ", or ask for a person here."
}

// answerPolicy answers with the policy on topic, or all policies when the
// topic is empty or not on file.
func (c *conv) answerPolicy(topic string, policies map[string]string, contact string) {
	keys := make([]string, 0, len(policies))
	for k, v := range policies {
		if strings.TrimSpace(v) != "" {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	if topic != "" {
		stemOf := map[string]string{TopicCancellation: "cancel", TopicRefund: "refund", TopicReschedule: "reschedul", TopicPayment: "pay"}
		for _, k := range keys {
			if strings.Contains(strings.ToLower(k), stemOf[topic]) {
				c.para("%s policy: %s", policyTitle(k), sentence(policies[k]))
				return
			}
		}
	}
	if len(keys) == 0 {
		c.para("I don't have a policy on file for that.%s", contact)
		return
	}
	lines := []string{"Our policies:"}
	if topic != "" {
		lines = []string{fmt.Sprintf("I don't have a specific %s policy on file. Here are our policies:", topic)}
	}
	for _, k := range keys {
		lines = append(lines, policyTitle(k)+": "+sentence(policies[k]))
	}
	c.para("%s", strings.Join(lines, "\n"))
}

// policyTitle turns a policy key ("cancellation", "no_show") into a title.
func policyTitle(k string) string {
	k = strings.TrimSpace(strings.NewReplacer("_", " ", "-", " ").Replace(k))
	r := []rune(k)
	if len(r) == 0 {
		return "Policy"
	}
	return string(unicode.ToUpper(r[0])) + string(r[1:])
}

var reQuestion = regexp.MustCompile(`(?i)\?|^\W*(what|how|do|does|can|could|is|are|will|where|when|why|who|which|should|may)\b`)

// faqWords are too common to tell FAQ entries apart.
var faqWords = wordSet(`what how do does can could is are will where when why who which should may
	you your yours we our us i me my a an the of to in on at for and or with it its this that
	there have has get any some about from be been`)

// answerFAQ answers a question from the tenant's FAQ when one entry shares
// its significant words.
func (c *conv) answerFAQ(msg string) bool {
	if !reQuestion.MatchString(msg) {
		return false
	}
	asked := significant(msg)
	if len(asked) == 0 {
		return false
	}
	var out frontdesk.GetBusinessInfoOut
	if c.call(frontdesk.ToolGetBusinessInfo, frontdesk.GetBusinessInfoIn{}, &out) != "" {
		return false
	}
	best, bestScore := -1, 0
	for i, f := range out.Info.FAQ {
		q := significant(f.Question)
		score := 0
		for _, a := range asked {
			if matchesAny(a, q) {
				score++
			}
		}
		if score > bestScore {
			best, bestScore = i, score
		}
	}
	if best < 0 || bestScore < 2 && bestScore < len(asked) || strings.TrimSpace(out.Info.FAQ[best].Answer) == "" {
		return false
	}
	c.para("%s", strings.TrimSpace(out.Info.FAQ[best].Answer))
	return true
}

func significant(s string) []string {
	var out []string
	for _, w := range tokens(s) {
		if len(w) >= 3 && !faqWords[w] {
			out = append(out, w)
		}
	}
	return out
}

// ---------------------------------------------------------------- tools

// call runs a tool and decodes its result into out. It returns the tool's
// error message, or "" on success.
func (c *conv) call(name string, in, out any) string {
	return c.callTool(name, in, out).Error
}

// toolFailure is what a failed tool said: its message and, from the change
// tools, the error code, the input field to blame and the look-ups left.
type toolFailure struct {
	Error     string `json:"error"`
	Code      string `json:"code"`
	Field     string `json:"field"`
	TriesLeft *int   `json:"triesLeft"`
}

// callTool runs a tool and decodes its result into out. Error is "" on
// success.
func (c *conv) callTool(name string, in, out any) toolFailure {
	broken := toolFailure{Error: "Something went wrong on our side."}
	if c.in.Tools == nil {
		return toolFailure{Error: "The booking system is not available right now."}
	}
	input, err := json.Marshal(in)
	if err != nil {
		return broken
	}
	raw := c.in.Tools.RunTool(c.ctx, name, input)
	var head struct {
		Success *bool `json:"success"`
		toolFailure
	}
	if json.Unmarshal(raw, &head) != nil {
		return broken
	}
	if head.Success != nil && !*head.Success || head.Success == nil && head.Error != "" {
		f := head.toolFailure
		f.Error = strings.TrimSpace(f.Error)
		if f.Error == "" {
			f.Error = broken.Error
		}
		return f
	}
	if json.Unmarshal(raw, out) != nil {
		return broken
	}
	return toolFailure{}
}

// loadServices runs get_services once per turn.
func (c *conv) loadServices() ([]frontdesk.ServiceOut, string) {
	if !c.servicesLoaded {
		c.servicesLoaded = true
		var out frontdesk.GetServicesOut
		c.servicesErr = c.call(frontdesk.ToolGetServices, frontdesk.GetServicesIn{}, &out)
		for _, s := range out.Services {
			if s.ID != "" && s.Name != "" {
				c.services = append(c.services, s)
			}
		}
	}
	return c.services, c.servicesErr
}

func (c *conv) availability(from, to frontdesk.Date) (frontdesk.CheckAvailabilityOut, string) {
	var out frontdesk.CheckAvailabilityOut
	errMsg := c.call(frontdesk.ToolCheckAvailability, frontdesk.CheckAvailabilityIn{
		PackageID: c.st.ServiceID,
		StartDate: from.String(),
		EndDate:   to.String(),
	}, &out)
	return out, errMsg
}

// slot is one open start time of a TIMESLOT package.
type slot struct {
	start   string // RFC 3339 in the tenant's zone, as book_service takes it
	date    string // local YYYY-MM-DD
	minutes int    // local minutes after midnight
}

func (c *conv) slotAt(t time.Time) slot {
	t = t.In(c.loc)
	return slot{start: t.Format(time.RFC3339), date: frontdesk.DateOf(t).String(), minutes: t.Hour()*60 + t.Minute()}
}

// slotMinutes returns the local time of day of an RFC 3339 start, or -1.
func (c *conv) slotMinutes(start string) int {
	t, err := time.Parse(time.RFC3339, start)
	if err != nil {
		return -1
	}
	return c.slotAt(t).minutes
}

// slotsOn returns the open slots of day d, in time order.
func (c *conv) slotsOn(out frontdesk.CheckAvailabilityOut, d frontdesk.Date) []slot {
	var slots []slot
	for _, at := range out.Starts(c.loc) {
		if s := c.slotAt(at); s.date == d.String() {
			slots = append(slots, s)
		}
	}
	sort.SliceStable(slots, func(i, j int) bool { return slots[i].minutes < slots[j].minutes })
	return slots
}

// openDays returns up to n open days of the service in the two weeks from
// day from.
func (c *conv) openDays(from frontdesk.Date, n int) ([]frontdesk.Date, string) {
	out, errMsg := c.availability(from, from.AddDays(13))
	if errMsg != "" {
		return nil, errMsg
	}
	var names []string
	if c.st.BookingType == frontdesk.BookingDate {
		names = out.Dates
	} else {
		for _, d := range out.Days {
			names = append(names, d.Date)
		}
	}
	var days []frontdesk.Date
	seen := map[string]bool{}
	for _, name := range names {
		d, err := frontdesk.ParseDate(name)
		if err != nil || seen[name] || d.Before(from) || d.Before(c.today) {
			continue
		}
		seen[name] = true
		days = append(days, d)
	}
	sort.Slice(days, func(i, j int) bool { return days[i].Before(days[j]) })
	if len(days) > n {
		days = days[:n]
	}
	return days, ""
}

// ---------------------------------------------------------------- formatting

// longDate formats d for a sentence: "Friday, December 11", with the year
// when it is not this year.
func (c *conv) longDate(d frontdesk.Date) string {
	t := d.In(time.UTC)
	if d.Year != c.today.Year {
		return t.Format("Monday, January 2, 2006")
	}
	return t.Format("Monday, January 2")
}

func (c *conv) longDates(ds []frontdesk.Date) []string {
	out := make([]string, len(ds))
	for i, d := range ds {
		out[i] = c.longDate(d)
	}
	return out
}

// shortDates formats days as quick replies ("Fri Dec 11") that ParseDate
// reads back as the same days; the year is added when needed for that.
func (c *conv) shortDates(ds []frontdesk.Date) []string {
	out := make([]string, len(ds))
	for i, d := range ds {
		t := d.In(time.UTC)
		out[i] = t.Format("Mon Jan 2")
		if next, ok := nextOccurrence(c.today, d.Month, d.Day); !ok || next != d {
			out[i] = t.Format("Mon Jan 2 2006")
		}
	}
	return out
}

func slotLabels(slots []slot) []string {
	out := make([]string, len(slots))
	for i, s := range slots {
		out[i] = formatClock(s.minutes)
	}
	return out
}

// joinAnd joins words as a list: "a, b and c".
func joinAnd(words []string) string {
	switch len(words) {
	case 0:
		return ""
	case 1:
		return words[0]
	}
	return strings.Join(words[:len(words)-1], ", ") + " and " + words[len(words)-1]
}

// sentence ends s with a full stop unless it has one.
func sentence(s string) string {
	s = strings.TrimSpace(s)
	if s == "" || strings.ContainsAny(s[len(s)-1:], ".!?") {
		return s
	}
	return s + "."
}
