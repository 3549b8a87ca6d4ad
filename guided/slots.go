package guided

// The booking's slots: what the extractor found is recorded, dropping what it makes stale.

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/frontdeskhq/frontdesk"
)

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
