package guided

import (
	"regexp"
	"strings"
	"unicode"
)

// Extractors for changing a booking already made: its confirmation code,
// and whether the customer asks for a person.

// codeAlphabet is what confirmation codes are made of: no 0, 1, I or O,
// which are easily confused.
const codeAlphabet = `[A-HJ-NP-Za-hj-np-z2-9]`

var (
	// reCode allows spaces around the dash and inside the code, as people
	// copy it out in groups ("bk - 7xk3qm", "bk 7xk 3qm").
	reCode     = regexp.MustCompile(`(?i)\bBK\s?[\-_]?\s?(` + codeAlphabet + `(?:\s?` + codeAlphabet + `){5})\b`)
	reBareCode = regexp.MustCompile(`^` + codeAlphabet + `{6}$`)
)

// findCode returns the first confirmation code written with its BK prefix
// in s ("BK-7XK3QM", "bk 7xk3qm", "BK7XK3QM"), upper-cased, and where it is.
func findCode(s string) (string, []int) {
	m := reCode.FindStringSubmatchIndex(s)
	if m == nil {
		return "", nil
	}
	return codeOf(s[m[2]:m[3]]), m[:2]
}

// codeOf writes the code part reCode matched as a confirmation code:
// "bk 7xk 3qm" is BK-7XK3QM.
func codeOf(match string) string {
	return "BK-" + strings.ToUpper(strings.Join(strings.Fields(match), ""))
}

// ParseConfirmationCode finds a booking's confirmation code in free text:
// BK, an optional dash or space, and six characters of the code alphabet
// (letters and digits without 0, 1, I and O), in any case. It returns the
// code as BK-XXXXXX.
func ParseConfirmationCode(text string) (string, bool) {
	c, _ := findCode(maskEmails(normalize(text)))
	return c, c != ""
}

// ParseBareCode reads a reply to "what's your confirmation code?": a code
// as ParseConfirmationCode finds it, or else the one word of six
// characters of the code alphabet with a digit or typed in capitals
// ("7XK3QM", "my code is 7xk3qm"), so that a six-letter word ("thanks",
// "sunday") is not taken for one.
func ParseBareCode(text string) (string, bool) {
	s := maskEmails(normalize(text))
	c, _ := findCode(s)
	if c == "" {
		c, _ = findBareCode(s)
	}
	return c, c != ""
}

var reWord = regexp.MustCompile(`[\pL\pN]+`)

// findBareCode returns the only word of s that can be a code written
// without its BK prefix, and where it is.
func findBareCode(s string) (string, []int) {
	var code string
	var at []int
	for _, m := range reWord.FindAllStringIndex(s, -1) {
		w := s[m[0]:m[1]]
		if !reBareCode.MatchString(w) {
			continue
		}
		digit, lower := false, false
		for _, r := range w {
			digit = digit || unicode.IsDigit(r)
			lower = lower || unicode.IsLower(r)
		}
		if !digit && lower {
			continue
		}
		if code != "" {
			return "", nil // two candidates: neither is sure
		}
		code, at = "BK-"+strings.ToUpper(w), m
	}
	return code, at
}

var rePerson = regexp.MustCompile(`(?i)\b(talk|speak|chat)\s+(to|with)\s+(a |an |the |some |your )?(human|person|someone|somebody|real person|real human|staff|agent|owner|manager|team|people)\b|\b(want|need|get|ask for|request)\s+(a |an )?(human|real person|person|agent|representative)\b|^\W*(a |an )?(human|agent|person|real person|representative|operator)( please)?\W*$` +
	// "is there a human I can talk to", "can I just call someone", "can someone call me back"
	`|\b(human|person|someone|somebody)\s+(i|we)\s+(can|could)\s+(talk|speak|chat)\s+(to|with)\b` +
	`|\bcall\s+(a |the )?(human|person|someone|somebody)\b` +
	`|\b(someone|somebody|a person|a human)\s+(call|ring|phone)\s+me\b`)

// WantsPerson reports whether a message asks to reach a person rather than
// the assistant: "I want to talk to a human", "speak with someone",
// "agent please", "is there someone I can speak to", "can someone call
// me". Asking how to contact the business is not enough: that
// asks for contact details.
func WantsPerson(text string) bool {
	return rePerson.MatchString(maskEmails(normalize(text)))
}
