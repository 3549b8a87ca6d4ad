package guided

// Reaching a person: request_human with the reason and where to reply.

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/frontdeskhq/frontdesk"
)

// startHuman begins a request for a person: why (the journey that could not
// finish, or the customer's words), then where the business should reply.
func (c *conv) startHuman(msg string) {
	st := &c.st
	reason := st.HumanReason
	if reason == "" && (st.Change == changeCancel || st.Change == changeMove) {
		reason = fmt.Sprintf("The customer wants to %s a booking", c.changeVerb())
		if st.Code != "" {
			reason += " (code given: " + st.Code + ")"
		}
		reason += " and asked for a person."
	}
	if reason == "" {
		reason = "The customer asked for a person."
	}
	if words := clip(plainText(msg), 200); !WantsPersonOnly(words) {
		reason += " They wrote: \"" + words + "\""
	}
	known := st.BookingEmail
	st.clearChange()
	st.Change, st.HumanReason = changeHuman, clip(reason, maxReasonLen)
	email, _ := findEmail(msg)
	if email != "" {
		c.sendHuman(email, "")
		return
	}
	c.say("I can pass this to the team at %s, and they'll get back to you.", c.businessName())
	c.askHumanEmail(known)
}

// askHumanEmail asks where the business should reply, offering the emails
// the customer already gave.
func (c *conv) askHumanEmail(known ...string) {
	c.st.Asked = askHumanEmail
	c.say("What email address should they reply to? You can also skip it.")
	c.sugg = append(append(known, c.st.Email), "Skip", "Never mind")
}

// continueHuman reads the answer to "what email should they reply to?".
func (c *conv) continueHuman(msg string, intent Intent) bool {
	switch {
	case intent == IntentNevermind:
		c.leaveChange("No problem, I won't pass anything on.")
	case intent == IntentCancel || intent == IntentReschedule:
		kind := changeCancel
		if intent == IntentReschedule {
			kind = changeMove
		}
		c.st.clearChange()
		c.startChange(kind, msg)
	case intent == IntentBook:
		c.st.clearChange()
		return false
	default:
		if e, _ := findEmail(msg); e != "" {
			c.sendHuman(e, "")
		} else if p, _ := findPhone(msg); p != "" {
			c.sendHuman("", p)
		} else if intent == IntentSkip || intent == IntentNo {
			c.sendHuman("", "")
		} else {
			c.say("That doesn't look like an email address.")
			c.askHumanEmail()
		}
	}
	return true
}

// sendHuman calls request_human.
func (c *conv) sendHuman(email, phone string) {
	st := &c.st
	reason := st.HumanReason
	if reason == "" {
		reason = "The customer asked for a person."
	}
	if phone != "" {
		reason += " Phone: " + phone
	}
	var out struct {
		Message string `json:"message"`
	}
	f := c.callTool(frontdesk.ToolRequestHuman, frontdesk.RequestHumanIn{Reason: reason, CustomerEmail: email}, &out)
	switch {
	case f.Error == "":
		msg := strings.TrimSpace(out.Message)
		if msg == "" {
			msg = fmt.Sprintf("Thanks, I've passed this to the team at %s. They'll get back to you.", c.businessName())
		}
		c.para("%s", msg)
	case f.Field == "customerEmail":
		c.say("That email address doesn't look right.")
		c.askHumanEmail()
		return
	default:
		c.para("%s", sentence(f.Error))
		if line := strings.TrimSpace(c.contactLine()); line != "" && f.Code != frontdesk.EEscalationLimit {
			c.say("%s", line)
		}
	}
	st.clearChange()
	if st.booking() {
		c.resume()
		return
	}
	c.sugg = StartSuggestions()
}

// WantsPersonOnly reports whether text says no more than that the customer
// wants a person ("talk to a human", "agent please"), so it adds nothing to
// the reason given to the business.
func WantsPersonOnly(text string) bool {
	s := strings.TrimSpace(rePerson.ReplaceAllString(normalize(text), " "))
	for _, w := range tokens(s) {
		if !personFiller[w] {
			return false
		}
	}
	return true
}

var personFiller = wordSet(`i i'd id i'm im want would like need to can could please pls let me us speak talk
	with a an the some your real someone person human now just hi hello hey ok okay d m ll`)

// plainText makes customer text fit a reason: one line of plain text, by
// the sanitiser every path uses (no control, bidi or zero-width
// characters, white space collapsed).
func plainText(s string) string { return frontdesk.CleanLine(s, 0) }

// clip shortens s to at most n runes.
func clip(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return strings.TrimSpace(string([]rune(s)[:n-1])) + "…"
}
