package guided

// What a message asks for apart from booking facts.

import (
	"regexp"
	"strings"
)

// ---------------------------------------------------------------- intents

// Intent is what a message asks of the assistant apart from booking facts.
type Intent string

// Intents, strongest first: ParseIntent returns the first that applies.
const (
	IntentNone     Intent = ""
	IntentRestart  Intent = "restart"  // start over, new booking
	IntentPolicy   Intent = "policy"   // cancellation, refund, rescheduling, payment
	IntentHours    Intent = "hours"    // opening hours
	IntentContact  Intent = "contact"  // how to reach the business, a human
	IntentServices Intent = "services" // what can be booked, prices
	IntentSkip     Intent = "skip"     // skip an optional question
	IntentYes      Intent = "yes"
	IntentNo       Intent = "no"
	IntentGreeting Intent = "greeting"
	IntentThanks   Intent = "thanks" // thanks or goodbye
	IntentBook     Intent = "book"   // wants to book, nothing more specific
	IntentHelp     Intent = "help"   // what can the assistant do
	// Changes of a booking already made, and leaving one.
	IntentCancel     Intent = "cancel"     // cancel a booking ("cancel my booking", "can I cancel?")
	IntentReschedule Intent = "reschedule" // move a booking ("I need to reschedule")
	IntentNevermind  Intent = "nevermind"  // leave it as it is ("never mind", "keep my booking")
	// IntentLater: the visitor leaves for now ("I'll think about it",
	// "maybe later", "I'll check with my partner and come back").
	IntentLater Intent = "later"
	// Reported by Extract only: ParseIntent leaves them to WantsPerson and
	// the FAQ.
	IntentHuman    Intent = "human"    // wants a person ("talk to a human")
	IntentQuestion Intent = "question" // asks something none of the above covers
)

var (
	reCountedHours = regexp.MustCompile(`(?i)\b\d+\s*(?:-\s*\d+\s*)?(?:hours?|hrs?)\b`)
	// rePolicyQuestion asks about the rules of a change rather than for
	// one: "can I cancel 48 hours before?", "how do I reschedule".
	rePolicyQuestion = regexp.MustCompile(`(?i)\b(polic(y|ies)|refund\w*|fees?|charge[sd]?|penalt(y|ies)|deposit|notice|deadline|in advance|last[- ]minute|what happens|how (do|can|does|late|far|long|soon|much|many)|\d+\s*(-\s*\d+\s*)?(hours?|hrs?|days?|weeks?))\b`)
	intentPatterns   = []struct {
		intent Intent
		re     *regexp.Regexp
		unless *regexp.Regexp // the intent does not apply when this matches
	}{
		{IntentRestart, regexp.MustCompile(`(?i)\b(start over|start again|restart|reset|begin again|from scratch|new booking|another booking|book another)\b`), nil},
		{IntentNevermind, regexp.MustCompile(`(?i)^\W*(never ?mind|nvm|forget (it|about it|that)|leave it|keep (it|my booking|the booking|my appointment|the appointment)|don'?t (cancel|move|change|reschedule|bother))\b`), nil},
		{IntentCancel, regexp.MustCompile(`(?i)\b(cancel|cancell?ing|call off)\b`), rePolicyQuestion},
		{IntentReschedule, regexp.MustCompile(`(?i)\b(re-?schedul\w*|postpone|push (it|my \w+) back|bring (it|my \w+) forward)\b|\b(move|change|shift) (my|our) (booking|appointment|reservation|session|shoot)\b|\b(move|push|shift) (my|our) (\w+ ){1,2}(booking|appointment|appt|reservation|session|shoot)\b|\b(move|change|shift) the (date|day|time) of (my|our) (booking|appointment|reservation|session)\b|^\W*move( it)?\W*$`), rePolicyQuestion},
		{IntentPolicy, regexp.MustCompile(`(?i)\b(cancel\w*|refund\w*|reschedul\w*|policy|policies|deposit|no[- ]shows?)\b`), nil},
		{IntentHours, regexp.MustCompile(`(?i)\b(hours|opening times?|closing times?|when (are|do) you (open|close)|are you open|what time do you (open|close)|do you open|open on (weekends|sundays|saturdays))\b`), nil},
		{IntentContact, regexp.MustCompile(`(?i)^\W*contact\W*$|\b(contact (details|info|information|number|email|you|us)|your (phone|number|email|e-mail|address|location|website)|call you|email you|reach you|get in touch|where are you|talk to (a |an )?(human|person|someone|real person)|speak (to|with) (a |an )?(human|person|someone))\b`), nil},
		{IntentServices, regexp.MustCompile(`(?i)\b(services|service list|menu|what do you (offer|have|do)|offerings|packages|prices|pricing|price list|how much|what can i book)\b`), nil},
		{IntentSkip, regexp.MustCompile(`(?i)^\W*(skip|no phone|none|no thanks|no thank you|n/a|not now|rather not|i don'?t have one|dont have one|no number)\b`), nil},
		{IntentLater, regexp.MustCompile(`(?i)\b(come back|get back to you|think about it|think it over|let you know|maybe later|another time|some other time|i'?ll be back)\b|\b(talk|speak|check) (to|with) my (partner|wife|husband|fianc|boyfriend|girlfriend|family|mum|mom|dad|boss)`), nil},
		// "ok thanks" thanks; it does not say yes to a question.
		{IntentThanks, regexp.MustCompile(`(?i)^\W*(ok|okay|alright|great|perfect)\W+(thanks|thank you|thx|ty|cheers)\W*$`), nil},
		{IntentYes, regexp.MustCompile(`(?i)^\W*(yes|yeah|yep|yup|ya|sure|ok|okay|correct|confirm|confirmed|sounds good|perfect|great|please do|do it|go ahead|book it|try again|retry|y)\b`), nil},
		{IntentNo, regexp.MustCompile(`(?i)^\W*(no|nope|nah|n|not really|wrong)\b`), nil},
		{IntentGreeting, regexp.MustCompile(`(?i)^\W*(hi|hello|hey|hiya|howdy|yo|greetings|hola|good (morning|afternoon|evening))\b`), nil},
		{IntentThanks, regexp.MustCompile(`(?i)^\W*(thanks|thank you|thx|ty|cheers|bye|goodbye|good bye|see you|that's all|that is all)\b`), nil},
		{IntentBook, regexp.MustCompile(`(?i)\b(book|booking|appointment|reserve|reservation|schedule)\b`), nil},
		{IntentHelp, regexp.MustCompile(`(?i)^\W*(help|what can you do|how does (this|it) work|what are you)\W*$`), nil},
	}
)

// ParseIntent returns the strongest intent of a message, or IntentNone.
// Counted hours ("48 hours") do not ask for opening hours, and an email
// address or phone number does not ask for contact details. A question
// about the rules of a change ("can I cancel 48 hours before?", "how do I
// reschedule") asks for the policy, not for the change.
func ParseIntent(text string) Intent {
	raw := maskEmails(normalize(text))
	// A confirmation code names the customer's booking: "move BK-7XK3QM
	// to Friday" asks what "move my booking to Friday" does.
	raw = reCode.ReplaceAllString(raw, "my booking")
	s := reCountedHours.ReplaceAllString(raw, " ")
	for _, p := range intentPatterns {
		if p.re.MatchString(s) && (p.unless == nil || !p.unless.MatchString(raw)) {
			return p.intent
		}
	}
	return IntentNone
}

// Policy topics, the keys a tenant's BusinessInfo.Policies usually has.
const (
	TopicCancellation = "cancellation"
	TopicRefund       = "refund"
	TopicReschedule   = "reschedule"
	TopicPayment      = "payment"
)

// PolicyTopic returns which policy a message asks about, or "" for policies
// in general.
func PolicyTopic(text string) string {
	s := strings.ToLower(normalize(text))
	switch {
	case strings.Contains(s, "refund"):
		return TopicRefund
	case strings.Contains(s, "reschedul"):
		return TopicReschedule
	case strings.Contains(s, "cancel") || strings.Contains(s, "no-show") || strings.Contains(s, "no show"):
		return TopicCancellation
	case strings.Contains(s, "deposit") || strings.Contains(s, "pay"):
		return TopicPayment
	}
	return ""
}
