package guided

// The booking flow: which question comes next, availability, the proposal.

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/frontdeskhq/frontdesk"
)

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
	if cu := c.in.Customer; cu != nil && !st.Prefilled {
		st.Prefilled = true
		if st.Name == "" {
			st.Name = plainText(cu.Name)
			c.said(FieldName, srcCustomer)
		}
		if e, ok := ParseEmail(cu.Email); ok && st.Email == "" && e == strings.ToLower(strings.TrimSpace(cu.Email)) {
			st.Email = e
			c.said(FieldEmail, srcCustomer)
		}
		if st.Phone == "" {
			st.Phone = plainText(cu.Phone)
			c.said(FieldPhone, srcCustomer)
		}
	}
	switch {
	case st.Name == "":
		c.askField(askName, "What name should I put the booking under?", "And the name for the booking?")
	case st.Email == "":
		c.askField(askEmail, "What email address should I send the confirmation to?", "And the email for the confirmation?")
	case st.Phone == "" && c.phoneRequired():
		c.askField(askPhone, fmt.Sprintf("What phone number can %s reach you on? It's needed to book.", c.businessName()),
			"And a phone number? It's needed to book.")
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
		c.said(FieldService, srcOnlyService)
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
	if st.Time == "" && st.Window != "" {
		return c.offerWindow(d)
	}
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

// offerWindow offers the open times of day d in the window the visitor
// gave ("after 2pm"); it never chooses one for them.
func (c *conv) offerWindow(d frontdesk.Date) bool {
	st := &c.st
	from, to, _ := strings.Cut(st.Window, "-")
	lo, hi := clockMinutes(from), clockMinutes(to)
	var in []slot
	for _, s := range c.slots {
		if s.minutes >= lo && s.minutes <= hi {
			in = append(in, s)
		}
	}
	st.Window = ""
	if len(in) == 0 {
		offer := spread(c.slots, 6)
		c.say("Sorry, nothing is open at that time of day on %s. Open times that day include %s. Which would you like?",
			c.longDate(d), joinAnd(slotLabels(offer)))
		c.sugg = slotLabels(offer)
		return false
	}
	offer := spread(in, 6)
	c.say("Open times on %s that suit: %s. Which would you like?", c.longDate(d), joinAnd(slotLabels(offer)))
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
	// The safety rule: every field proposed is traced to what the visitor
	// wrote or picked (see untraced), and the slot is at the very time the
	// visitor wrote; otherwise what cannot be traced is asked for.
	if k := c.untraced(); k != "" {
		c.forget(k)
		c.advance()
		return
	}
	if st.BookingType == frontdesk.BookingTimeslot {
		if st.WantTime == "" || c.slotMinutes(st.SlotStart) != clockMinutes(st.WantTime) {
			st.SlotStart, st.Time = "", st.WantTime
			c.advance()
			return
		}
		in.StartTime = st.SlotStart
	}
	c.para("%s", c.understood())
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

// understood echoes every detail of the booking in the words it was
// understood, before the proposal: "Mini Session on Thursday 17 December
// at 11:30 AM, for Jane Roe (jane@example.com, 212-555-0199)."
func (c *conv) understood() string {
	st := &c.st
	d, _ := frontdesk.ParseDate(st.Date)
	when := d.In(time.UTC).Format("Monday 2 January")
	if d.Year != c.today.Year {
		when += d.In(time.UTC).Format(" 2006")
	}
	if st.SlotStart != "" {
		when += " at " + formatClock(c.slotMinutes(st.SlotStart))
	}
	contact := st.Email
	if st.Phone != "" {
		contact += ", " + st.Phone
	}
	return fmt.Sprintf("Here's what I have: %s on %s, for %s (%s).", st.ServiceName, when, st.Name, contact)
}

// askField asks for a field, in other words when it was asked last turn
// too and the visitor changed something else meanwhile ("no wait, 11"), so
// that repeated corrections do not get the same sentence three times in a
// row. A miss or a side question gets the question as first asked.
func (c *conv) askField(kind, first, again string) {
	changed := c.st.fields() != c.fieldsBefore
	switch {
	case c.askedBefore != kind:
		c.st.Again = 0
	case changed:
		c.st.Again++
	}
	if c.st.Again%2 == 1 && changed {
		c.say("%s", again)
	} else {
		c.say("%s", first)
	}
	c.st.Asked = kind
}

// fields is the booking the visitor has given so far, to tell a turn that
// changed it.
func (st state) fields() string {
	return strings.Join([]string{st.ServiceID, st.Date, st.Time, st.Window, st.SlotStart, st.Name, st.Email, st.Phone}, "\x00")
}
