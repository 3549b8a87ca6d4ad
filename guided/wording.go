package guided

// Wording: how decisions become text and quick replies.

import (
	"encoding/json"
	"fmt"
	"hash/fnv"
	"strings"
	"time"

	"github.com/frontdeskhq/frontdesk"
)

// StartSuggestions are the quick replies offered once a question is
// answered or a booking is done: what visitors ask next.
func StartSuggestions() []string {
	return []string{"See services", "Opening hours", "Cancellation policy", "Contact details"}
}

// GreetingSuggestions are the quick replies offered with the greeting:
// booking first, then the questions visitors ask most. A person is not
// among them: the widget always shows its own "Talk to a person" link
// under the chat.
func GreetingSuggestions() []string {
	return []string{"Book an appointment", "See services", "Opening hours"}
}

// GreetingFor greets a returning customer by first name ("Welcome back,
// Ann! …"); without a customer (or a name) it is Greeting(t).
func GreetingFor(t *frontdesk.Tenant, c *Customer) string {
	if c == nil {
		return Greeting(t)
	}
	fields := strings.Fields(plainText(c.Name))
	if len(fields) == 0 {
		return Greeting(t)
	}
	name := ""
	if t != nil {
		name = strings.TrimSpace(t.Name)
	}
	if name == "" {
		return fmt.Sprintf("Welcome back, %s! I can check availability and book for you; I already have your details. What would you like to do?", fields[0])
	}
	return fmt.Sprintf("Welcome back, %s! I can check availability and book with %s for you; I already have your details. What would you like to do?", fields[0], name)
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
	reply = c.notThrice(reply)
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

// notThrice is the last guard of "never the same question three times",
// whatever path led to it (a miss, a side question, a correction): when
// a message that answered nothing would get the question the two replies
// before it ended on (a side question's answer resumes with the question
// too), the question gives way to the quick replies and a person.
func (c *conv) notThrice(reply string) string {
	qs := reQuestionSentence.FindAllStringIndex(reply, -1)
	if len(qs) == 0 || c.st.Asked == "" {
		c.st.LastQ, c.st.QRun = 0, 0
		return reply
	}
	at := qs[len(qs)-1]
	q := strings.TrimSpace(reply[at[0]:at[1]])
	h := fnv.New32a()
	h.Write([]byte(q))
	sum := h.Sum32()
	if sum != c.st.LastQ {
		c.st.LastQ, c.st.QRun = sum, 1
		return reply
	}
	if c.st.QRun < 2 || !c.missed {
		c.st.QRun++
		return reply
	}
	c.st.LastQ, c.st.QRun = 0, 0
	c.sugg = append(c.sugg, "Talk to a person", "Start over")
	// The question goes, and what follows it (its hint) with it.
	pre := strings.TrimRight(reply[:at[0]], " ")
	if c.st.Misses >= 2 {
		return strings.TrimSpace(pre) // the second miss's words already say what to do (sayNotUnderstood)
	}
	way := "You can tap one of the options below, or ask for a person and the team will get back to you."
	if pre != "" && !strings.HasSuffix(pre, "\n") {
		way = " " + way
	}
	return strings.TrimSpace(pre + way)
}

// sayNotUnderstood says what kind of answer the assistant expected.
func (c *conv) sayNotUnderstood() {
	c.missed = true
	c.st.Misses++
	if c.st.Misses >= 2 && c.st.Asked != "" {
		c.say("I'm still not sure I follow, sorry. You can tap one of the options below, say \"start over\", or ask for a person and the team will get back to you.")
		return
	}
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
