package guided

// The booking's slots: what the extractor found is recorded, dropping what it makes stale.

import (
	"regexp"
	"strings"
	"time"

	"github.com/frontdeskhq/frontdesk"
)

// ---------------------------------------------------------------- facts

// facts are what one message tells about the booking.
type facts struct {
	service *frontdesk.ServiceOut
	date    *frontdesk.Date
	minutes int // -1: no time
	// window is a range of acceptable starts [from, to) ("after 2pm", "in
	// the afternoon"), when no exact time is given; to 0 means none.
	from, to int
	name     string
	// nameFor is the word of the name that name replaces, "" for the whole.
	nameFor string
	email   string
	phone   string
	// unsureTime: two times and nothing to say which holds.
	unsureTime bool
}

var (
	reBareNumber = regexp.MustCompile(`^\W*(\d{1,2})(?:st|nd|rd|th)?\W*$`)
	reHasLetter  = regexp.MustCompile(`\pL`)
	reNumberWord = regexp.MustCompile(`^\d+(?:st|nd|rd|th|am|pm)?$`)
	reNotWord    = regexp.MustCompile(`(?i)\bnot\s+(\pL[\pL'-]*)`)
)

// expect is the field a short reply answers, from what was asked last.
func (c *conv) expect() FieldKind {
	switch c.st.Asked {
	case askService:
		return FieldService
	case askDate:
		return FieldDate
	case askTime:
		return FieldTime
	case askName:
		return FieldName
	}
	return ""
}

// extract reads every booking fact in msg (see Extract). Short replies are
// read in the light of what was asked: "2" is a menu item after a service
// list, a day of the month after "what date?", an hour after "what time?".
func (c *conv) extract(msg string) facts {
	f := facts{minutes: -1}
	asked := c.st.Asked
	opts := ExtractOptions{Today: c.today, DayFirst: c.dayFirst, Expect: c.expect()}
	// A service is looked for until one is chosen, and afterwards while the
	// customer is choosing when, so "the portrait session instead" switches.
	// While the name, email or phone is asked, a service counts only with
	// words of correction ("actually a portrait session instead").
	opts.Services = func() []frontdesk.ServiceOut {
		services, _ := c.loadServices()
		return services
	}
	ex := Extract(msg, opts)
	if c.st.ServiceID != "" && (asked == askName || asked == askEmail || asked == askPhone) && !ex.Has(FieldCorrection) {
		var kept []Field
		for _, fd := range ex.Fields {
			if fd.Kind != FieldService {
				kept = append(kept, fd)
			}
		}
		ex.Fields = kept
	}
	c.extraction = ex
	for _, k := range ex.Unsure {
		if k == FieldTime {
			f.unsureTime = true
		}
	}
	for _, fd := range ex.Fields {
		switch fd.Kind {
		case FieldService:
			for _, s := range c.services {
				if s.ID == fd.Value {
					f.service = &s
				}
			}
		case FieldDate:
			if d, err := frontdesk.ParseDate(fd.Value); err == nil {
				f.date = &d
			}
		case FieldTime:
			if from, to, ok := strings.Cut(fd.Value, "-"); ok {
				f.from, f.to = clockMinutes(from), clockMinutes(to)+1
			} else {
				f.minutes = clockMinutes(fd.Value)
			}
		case FieldName:
			f.name = fd.Value
			if m := reNotWord.FindStringSubmatch(msg); m != nil && len(strings.Fields(fd.Value)) == 1 {
				f.nameFor = m[1] // "spelt Jon, not John": one word of the name
			}
		case FieldEmail:
			f.email = fd.Value
		case FieldPhone:
			f.phone = fd.Value
		}
	}
	if c.st.ServiceID != "" && f.service != nil && f.service.ID == c.st.ServiceID && asked != askService && !ex.Has(FieldCorrection) {
		// Naming the chosen service again ("the mini session at 3") is no news.
		f.service = nil
	}
	return f
}

// clockMinutes reads HH:MM as minutes after midnight, or -1.
func clockMinutes(hm string) int {
	t, err := time.Parse("15:04", hm)
	if err != nil {
		return -1
	}
	return t.Hour()*60 + t.Minute()
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
		c.said(FieldService, c.typed(FieldService))
		changed = true
	}
	if f.date != nil && f.date.String() != st.Date {
		st.setDate(f.date.String())
		c.said(FieldDate, c.typed(FieldDate))
		if st.Time == "" && st.Window == "" {
			st.Time = st.WantTime // a new day keeps the time asked for
		}
		changed = true
	}
	switch {
	case f.minutes >= 0 && st.BookingType == frontdesk.BookingDate:
		c.say("%s is booked for the whole day, so no time is needed.", st.ServiceName)
		changed = true // answered: nothing to apologise for
	case f.minutes >= 0:
		hm := hhmm(f.minutes)
		if hm != st.Time && (st.SlotStart == "" || c.slotMinutes(st.SlotStart) != f.minutes) {
			st.Time, st.SlotStart = hm, ""
			changed = true
		}
		st.WantTime, st.Window = hm, ""
	case f.to > 0 && st.BookingType != frontdesk.BookingDate:
		st.Window = hhmm(f.from) + "-" + hhmm(min(f.to-1, 24*60-1)) // both ends included
		st.Time, st.WantTime, st.SlotStart = "", "", ""
		changed = true
	case f.unsureTime && st.BookingType != frontdesk.BookingDate:
		c.say("I saw more than one time in your message, so let me check which you'd like.")
		st.Time, st.WantTime, st.Window, st.SlotStart = "", "", "", ""
		changed = true
	}
	if f.nameFor != "" {
		words := strings.Fields(st.Name)
		for i, w := range words {
			if strings.EqualFold(w, f.nameFor) {
				words[i] = f.name
				f.name = strings.Join(words, " ")
				break
			}
		}
	}
	if f.name != "" && f.name != st.Name {
		st.Name = f.name
		c.said(FieldName, c.nameSaid(f))
		c.say("Thanks, %s.", strings.Fields(f.name)[0])
		changed = true
	}
	if f.email != "" && f.email != st.Email {
		st.Email = f.email
		c.said(FieldEmail, c.typed(FieldEmail))
		changed = true
	}
	if f.phone != "" && f.phone != st.Phone {
		st.Phone, st.PhoneSkipped = f.phone, false
		c.said(FieldPhone, c.typed(FieldPhone))
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
		st.SlotStart, st.Time, st.WantTime, st.Window = "", "", "", ""
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
	if st.Time == "" && st.Window == "" {
		st.Time = st.WantTime // another service keeps the time asked for
	}
	c.say("Great, %s (%s).", s.Name, serviceTerms(s))
}
