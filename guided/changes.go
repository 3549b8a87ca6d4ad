package guided

// Changing a booking already made, and reaching a person. These journeys
// run beside the booking one: their own slots (the confirmation code, the
// booking's email, the day and time to move to, the reason for a person),
// their own questions, the same tools the model calls (cancel_booking,
// reschedule_booking, request_human). A booking in progress is kept and
// taken up again when a journey ends without a proposal.

import (
	"fmt"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/frontdeskhq/frontdesk"
)

// Journeys of state.Change.
const (
	changeCancel = "cancel"
	changeMove   = "move"
	changeHuman  = "human"
)

// changeAsks are the questions of the change journeys.
var changeAsks = map[string]bool{askChangeKind: true, askCode: true, askBookingEmail: true, askMoveDate: true,
	askMoveTime: true, askChangeConfirm: true, askChangeRetry: true, askHumanEmail: true}

// maxReasonLen bounds the reason sent with a request for a person; the
// tool takes up to 500 characters.
const maxReasonLen = 450

// repairChange drops change slots that do not parse or do not belong to
// the journey, and a change question asked outside its journey.
func (st *state) repairChange() {
	switch st.Change {
	case "", changeCancel, changeMove, changeHuman:
	default:
		st.Change = ""
	}
	if c, ok := ParseConfirmationCode(st.Code); !ok || c != st.Code {
		st.Code = ""
	}
	if e, ok := ParseEmail(st.BookingEmail); !ok || e != st.BookingEmail {
		st.BookingEmail = ""
	}
	if _, err := frontdesk.ParseDate(st.MoveDate); err != nil || st.Change != changeMove {
		st.MoveDate = ""
	}
	if _, err := time.Parse("15:04", st.MoveTime); err != nil || st.Change != changeMove {
		st.MoveTime = ""
	}
	if utf8.RuneCountInString(st.HumanReason) > maxReasonLen || !utf8.ValidString(st.HumanReason) {
		st.HumanReason = ""
	}
	verifying := st.Change == changeCancel || st.Change == changeMove
	switch st.Asked {
	case askChangeKind:
		if st.Code == "" || st.Change != "" {
			st.Asked = ""
		}
	case askHumanEmail:
		if st.Change != changeHuman {
			st.Asked = ""
		}
	case askCode, askBookingEmail, askChangeConfirm, askChangeRetry:
		if !verifying {
			st.Asked = ""
		}
	case askMoveDate, askMoveTime:
		if st.Change != changeMove {
			st.Asked = ""
		}
	}
}

// clearChange ends a journey: its slots are forgotten, the booking ones kept.
func (st *state) clearChange() {
	st.Change, st.Code, st.BookingEmail, st.MoveDate, st.MoveTime, st.HumanReason = "", "", "", "", "", ""
	if changeAsks[st.Asked] {
		st.Asked = ""
	}
}

// handleChange starts or continues a change journey and reports whether it
// answered the message. Info questions are left to the caller, which comes
// back here through resume.
func (c *conv) handleChange(msg string, intent Intent) bool {
	st := &c.st
	if WantsPerson(msg) {
		c.startHuman(msg)
		return true
	}
	if st.Change == "" {
		st.HumanReason = "" // the offer of a person was not taken up
	}
	if code, _ := findCode(msg); code != "" && intent == IntentPolicy {
		// "How do I cancel BK-7XK3QM?" names the booking: it asks for the change.
		switch PolicyTopic(msg) {
		case TopicCancellation, TopicRefund:
			intent = IntentCancel
		case TopicReschedule:
			intent = IntentReschedule
		}
	}
	if st.Change == "" && st.Asked != askChangeKind {
		switch intent {
		case IntentCancel:
			c.startChange(changeCancel, msg)
			return true
		case IntentReschedule:
			c.startChange(changeMove, msg)
			return true
		}
		if code, _ := findCode(msg); code != "" {
			c.st.clearChange()
			st.Code = code
			if e, _ := findEmail(msg); e != "" {
				st.BookingEmail = e
			}
			c.askChangeKind()
			return true
		}
		return false
	}
	switch intent {
	case IntentHours, IntentPolicy, IntentContact:
		return false
	case IntentServices:
		c.st.clearChange()
		return false
	}
	if st.Change == changeHuman {
		return c.continueHuman(msg, intent)
	}
	return c.continueChange(msg, intent)
}

// startChange begins cancelling (changeCancel) or moving (changeMove) a
// booking, with whatever the message already tells.
func (c *conv) startChange(kind, msg string) {
	st := &c.st
	if kind == changeCancel && st.Change == "" && !reCode.MatchString(msg) && (st.Asked == askConfirm || st.booking() && reCancelThis.MatchString(msg)) {
		// "Cancel" while a new booking is under way: nothing is booked
		// until the customer confirms, so there is nothing to cancel but
		// the booking in progress.
		c.st = state{V: stateVersion}
		c.say("No problem, I won't book it: nothing is booked until you press Confirm.")
		c.say("If you meant a booking you made earlier, tell me its confirmation code (it looks like BK-7XK3QM) and I'll cancel it.")
		c.st.Change, c.st.Asked = changeCancel, askCode
		c.sugg = []string{"Never mind"}
		return
	}
	if st.Change == changeHuman || st.Change == "" && st.Asked != askChangeKind {
		st.clearChange()
	}
	if kind == changeCancel {
		st.MoveDate, st.MoveTime = "", ""
	}
	st.Change, st.HumanReason = kind, ""
	if st.Asked == askChangeKind {
		st.Asked = ""
	}
	c.readChange(msg)
	if kind == changeCancel {
		c.say("I can cancel your booking here.")
	} else {
		c.say("I can move your booking here.")
	}
	c.advanceChange()
}

// readChange records the change facts of msg: a confirmation code, an
// email, and for a move a day and time. Short replies are read in the
// light of the question: "7XK3QM" after "what's the code?", "15" after
// "what day?", "3" after "what time?".
func (c *conv) readChange(msg string) bool {
	st := &c.st
	learnt := false
	rest := msg
	if e, span := findEmail(rest); e != "" {
		st.BookingEmail, learnt = e, true
		rest = mask(rest, [][]int{span})
	}
	code, span := findCode(rest)
	if code == "" && st.Asked == askCode {
		code, span = findBareCode(rest)
	}
	if code != "" {
		st.Code, learnt = code, true
		rest = mask(rest, [][]int{span})
	}
	if st.Change != changeMove {
		return learnt
	}
	bare := reBareNumber.FindStringSubmatch(rest)
	if d, ok := parseDate(rest, c.today, c.dayFirst); ok { // day first where the business writes dates so, as Extract
		st.MoveDate, learnt = d.String(), true
	} else if bare != nil && st.Asked == askMoveDate {
		if d, ok := nextDayOfMonth(c.today, atoi(bare[1])); ok {
			st.MoveDate, learnt = d.String(), true
		}
	}
	m, ok := ParseTime(rest)
	if !ok && bare != nil && st.Asked == askMoveTime {
		m, ok = ParseTime("at " + bare[1])
	}
	if ok {
		st.MoveTime, learnt = hhmm(m), true
	}
	return learnt
}

// reCancelThis cancels what is under way rather than a booking made
// earlier: "cancel", "cancel that", "stop this booking please".
var reCancelThis = regexp.MustCompile(`(?i)^\W*(please\s+)?(cancel|stop)(\s+(it|that|this|this booking|the booking))?(\s+please)?\W*$`)

var reAnother = regexp.MustCompile(`(?i)\b(another|different|other|later|earlier)\s+(day|date|time|slot)\b`)

// continueChange reads an answer within a cancel or move journey. It
// reports false when the message is not about the change (after its
// proposal), which is then read as anything else is.
func (c *conv) continueChange(msg string, intent Intent) bool {
	st := &c.st
	switch {
	case intent == IntentNevermind, intent == IntentNo:
		c.leaveChange("No problem, I've left your booking as it is.")
		return true
	case intent == IntentCancel && st.Change != changeCancel:
		c.startChange(changeCancel, msg)
		return true
	case intent == IntentReschedule && st.Change != changeMove:
		c.startChange(changeMove, msg)
		return true
	case st.Change == "": // asked whether to cancel or move
		c.sayNotUnderstood()
		c.askChangeKind()
		return true
	}
	learnt := c.readChange(msg)
	switch st.Asked {
	case askChangeConfirm:
		switch {
		case learnt:
		case st.Change == changeMove && reAnother.MatchString(msg):
			st.MoveTime = ""
			if m := reAnother.FindStringSubmatch(msg); m[2] == "day" || m[2] == "date" {
				st.MoveDate = ""
			}
		case intent == IntentYes:
			c.say("Tap Confirm below to %s it. Nothing changes until you do.", c.changeVerb())
			c.sugg = c.changeConfirmSuggestions()
			return true
		default:
			// On to something else; the card stays valid until it expires.
			st.clearChange()
			return false
		}
	case askChangeRetry:
		if intent != IntentYes && !learnt {
			c.sayNotUnderstood()
			c.askChangeRetry()
			return true
		}
	default:
		if !learnt {
			c.sayNotUnderstood()
		}
	}
	c.advanceChange()
	return true
}

// advanceChange asks for the first missing detail of a cancel or move, and
// prepares the change when nothing is missing.
func (c *conv) advanceChange() {
	st := &c.st
	switch {
	case st.Code == "":
		st.Asked = askCode
		c.say("What's the confirmation code of your booking? It looks like BK-7XK3QM and is in your confirmation email.")
		c.sugg = []string{"Talk to a person", "Never mind"}
	case st.BookingEmail == "":
		st.Asked = askBookingEmail
		c.say("And what email address was the booking made with?")
		c.sugg = []string{st.Email, "Never mind"}
	case st.Change == changeMove && st.MoveDate == "":
		st.Asked = askMoveDate
		c.say("What day would you like to move it to? You can add a time, for example \"Friday at 3pm\".")
		c.sugg = []string{"Never mind"}
	case st.Change == changeMove && c.movePassed():
		d, _ := frontdesk.ParseDate(st.MoveDate)
		st.MoveDate, st.MoveTime, st.Asked = "", "", askMoveDate
		c.say("%s has already passed. What day would you like instead?", c.longDate(d))
		c.sugg = []string{"Never mind"}
	default:
		c.proposeChange()
	}
}

func (c *conv) movePassed() bool {
	d, err := frontdesk.ParseDate(c.st.MoveDate)
	return err == nil && d.Before(c.today)
}

// proposeChange asks cancel_booking or reschedule_booking for a proposal.
func (c *conv) proposeChange() {
	st := &c.st
	var out frontdesk.ChangeProposalOut
	var f toolFailure
	if st.Change == changeCancel {
		f = c.callTool(frontdesk.ToolCancelBooking, frontdesk.CancelBookingIn{BookingReference: st.Code, CustomerEmail: st.BookingEmail}, &out)
	} else {
		f = c.callTool(frontdesk.ToolRescheduleBooking, frontdesk.RescheduleBookingIn{BookingReference: st.Code, CustomerEmail: st.BookingEmail,
			NewDate: st.MoveDate, NewTime: st.MoveTime}, &out)
	}
	if f.Error != "" {
		c.changeFailed(f)
		return
	}
	st.Asked = askChangeConfirm
	preview := strings.TrimSpace(out.Preview)
	if preview == "" {
		preview = fmt.Sprintf("Your request to %s booking %s is ready.", c.changeVerb(), st.Code)
	}
	c.para("%s", preview)
	c.para("Please confirm below.")
	c.sugg = c.changeConfirmSuggestions()
}

func (c *conv) changeConfirmSuggestions() []string {
	if c.st.Change == changeMove {
		return []string{"Another day", "Another time", "Keep my booking"}
	}
	return []string{"Keep my booking"}
}

// changeVerb is what the journey does to the booking: "cancel" or "move".
func (c *conv) changeVerb() string {
	if c.st.Change == changeMove {
		return "move"
	}
	return "cancel"
}

// Offers in the domain's messages about a time or day that is not open.
var (
	reOpenTimes = regexp.MustCompile(`Open that day: ([^.]+)\.`)
	reOpenDays  = regexp.MustCompile(`Open days nearby: ([^.]+)\.`)
)

// reZoneSuffix is a time zone abbreviation after an offered time ("9:00
// AM EST"); quick replies leave it out, as the booking flow's do.
var reZoneSuffix = regexp.MustCompile(`\s+[A-Z]{2,5}$`)

// offered returns the items of the offer re finds in msg.
func offered(re *regexp.Regexp, msg string) []string {
	m := re.FindStringSubmatch(msg)
	if m == nil {
		return nil
	}
	var out []string
	for _, s := range strings.Split(m[1], ",") {
		if s = reZoneSuffix.ReplaceAllString(strings.TrimSpace(s), ""); s != "" && len(out) < 6 {
			out = append(out, s)
		}
	}
	return out
}

// changeFailed explains why a cancel or move could not be prepared and
// asks for what would make it work, or offers a person.
func (c *conv) changeFailed(f toolFailure) {
	st := &c.st
	text := strings.TrimSpace(strings.TrimPrefix(f.Error, f.Field+":"))
	switch {
	case f.Code == frontdesk.ENotFound:
		c.para("%s", sentence(f.Error))
		st.Code, st.BookingEmail = "", ""
		if f.TriesLeft != nil && *f.TriesLeft <= 0 {
			c.needsPerson(fmt.Sprintf("The customer wanted to %s a booking but the chat could not find it by the code and email they gave.", c.changeVerb()))
			return
		}
		st.Asked = askCode
		c.say("What's the confirmation code?")
		c.sugg = []string{"Talk to a person", "Never mind"}
	case f.Code == frontdesk.ERateLimited:
		c.para("%s", sentence(f.Error))
		c.needsPerson(fmt.Sprintf("The customer wanted to %s a booking; the chat could no longer look bookings up.", c.changeVerb()))
	case f.Code == frontdesk.EConflict:
		c.para("%s", sentence(f.Error))
		c.needsPerson(fmt.Sprintf("The customer wanted to %s booking %s online, which was refused: %s", c.changeVerb(), st.Code, text))
	case st.Change == changeMove && (f.Code == frontdesk.ESlotUnavailable || f.Field == "newTime" || f.Field == "newDate"):
		c.moveNotOpen(f, text)
	default:
		c.para("I couldn't prepare that: %s", sentence(text))
		c.askChangeRetry()
	}
}

// moveNotOpen says why the day or time to move to does not work and asks
// again, offering the open times or days the tool named.
func (c *conv) moveNotOpen(f toolFailure, text string) {
	st := &c.st
	times, days := offered(reOpenTimes, text), offered(reOpenDays, text)
	switch {
	case f.Field == "newDate" && strings.Contains(text, "already"):
		c.para("That's already the day of your booking.")
	case f.Field == "newTime" && strings.Contains(text, "already"):
		c.para("That's already the time of your booking.")
	case f.Field == "newTime" && len(times) > 0:
		c.para("Which time would you like on %s? Open times include %s.", c.moveDay(), joinAnd(times))
		st.MoveTime, st.Asked = "", askMoveTime
		c.sugg = append(times, "Another day")
		return
	default:
		c.para("%s", sentence(text))
	}
	switch {
	case len(times) > 0:
		st.MoveTime, st.Asked = "", askMoveTime
		c.say("Which time would you like instead?")
		c.sugg = append(times, "Another day")
	case f.Field == "newTime" && strings.Contains(text, "already"):
		st.MoveTime, st.Asked = "", askMoveTime
		c.say("What time would you like instead?")
		c.sugg = []string{"Another day", "Never mind"}
	default:
		// The day does not work; the time of day may still suit.
		st.MoveDate, st.Asked = "", askMoveDate
		if len(days) > 0 {
			c.say("Which day would you like instead?")
			c.sugg = days
		} else {
			c.say("Which other day would suit you?")
			c.sugg = []string{"Never mind"}
		}
	}
}

// moveDay is the day to move to, in words.
func (c *conv) moveDay() string {
	d, err := frontdesk.ParseDate(c.st.MoveDate)
	if err != nil {
		return "that day"
	}
	return c.longDate(d)
}

func (c *conv) askChangeKind() {
	c.st.Asked = askChangeKind
	c.say("Would you like to cancel booking %s, or move it to another day?", c.st.Code)
	c.sugg = []string{"Cancel it", "Move it", "Never mind"}
}

func (c *conv) askChangeRetry() {
	c.st.Asked = askChangeRetry
	c.say("Would you like me to try again?")
	c.sugg = []string{"Try again", "Talk to a person", "Never mind"}
}

// needsPerson ends a change that cannot be made here and offers to pass it
// to a person, with reason for the business.
func (c *conv) needsPerson(reason string) {
	email := c.st.BookingEmail // offered as the address to reply to
	c.st.clearChange()
	c.st.HumanReason, c.st.BookingEmail = clip(reason, maxReasonLen), email
	c.say("I can pass this to %s and they'll get back to you.", c.businessName())
	c.sugg = []string{"Talk to a person", "Contact details"}
}

// leaveChange ends a journey the customer gave up, taking up a booking in
// progress again.
func (c *conv) leaveChange(text string) {
	c.st.clearChange()
	c.say("%s", text)
	if c.st.booking() {
		c.resume()
		return
	}
	c.sugg = StartSuggestions()
}

// resumeChange takes a journey up again after an answer to a side question.
func (c *conv) resumeChange() {
	st := &c.st
	switch {
	case st.Asked == askChangeConfirm:
		c.para("Your request to %s the booking is still ready to confirm below.", c.changeVerb())
		c.sugg = c.changeConfirmSuggestions()
	case st.Asked == askChangeKind:
		c.para("")
		c.askChangeKind()
	case st.Change == changeHuman:
		c.para("Shall I pass your request to %s?", c.businessName())
		c.askHumanEmail()
	case st.Asked == askChangeRetry:
		c.para("")
		c.askChangeRetry()
	default:
		c.para("Now, back to your booking change.")
		c.advanceChange()
	}
}

// offerChange follows an answer about the cancellation or rescheduling
// policy with the offer to do it, when nothing else is under way.
func (c *conv) offerChange(msg string) {
	switch PolicyTopic(msg) {
	case TopicCancellation, TopicReschedule, TopicRefund:
	default:
		return
	}
	if c.st.inProgress() {
		return
	}
	c.para("I can also cancel or move a booking for you here: just tell me its confirmation code.")
	c.sugg = []string{"Cancel my booking", "Move my booking", "Talk to a person"}
}
