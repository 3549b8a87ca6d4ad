package guided

// Email addresses, phone numbers and names in free text.

import (
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"
)

// ---------------------------------------------------------------- email and phone

var reEmail = regexp.MustCompile(`[A-Za-z0-9._%+\-]+@[A-Za-z0-9](?:[A-Za-z0-9\-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9\-]*[A-Za-z0-9])?)*\.[A-Za-z]{2,}\b`)

// findEmail returns the first plausible email address in s, lower-cased,
// and where it is written.
func findEmail(s string) (string, []int) {
	for _, m := range reEmail.FindAllStringIndex(s, -1) {
		addr := strings.TrimLeft(s[m[0]:m[1]], ".")
		local := addr[:strings.IndexByte(addr, '@')]
		if local == "" || strings.HasSuffix(local, ".") || strings.Contains(addr, "..") || len(addr) > 254 {
			continue
		}
		return strings.ToLower(addr), m
	}
	return "", nil
}

// ParseEmail finds an email address in free text and returns it lower-cased
// (addresses are compared case-insensitively). It returns false when there
// is none.
func ParseEmail(text string) (string, bool) {
	e, _ := findEmail(normalize(text))
	return e, e != ""
}

var (
	rePhoneRun    = regexp.MustCompile(`\+?\(?\d[\d()\-. ]*\d\)?`)
	reSpaces      = regexp.MustCompile(`\s+`)
	reDateLikeRun = regexp.MustCompile(`^\d{1,4}[-.]\d{1,2}[-.]\d{1,4}$`)
)

// findPhone returns the first phone number in s and where it is written.
func findPhone(s string) (string, []int) {
	masked := maskEmails(s)
	masked = mask(masked, dateSpans(masked))
	masked = mask(masked, timeSpans(masked))
	for _, m := range rePhoneRun.FindAllStringIndex(masked, -1) {
		if m[0] > 0 {
			r, _ := utf8.DecodeLastRuneInString(masked[:m[0]])
			if unicode.IsLetter(r) || unicode.IsDigit(r) || strings.ContainsRune("/.$€£", r) {
				continue
			}
		}
		if m[1] < len(masked) {
			r, _ := utf8.DecodeRuneInString(masked[m[1]:])
			if unicode.IsLetter(r) || unicode.IsDigit(r) || strings.ContainsRune("/%", r) {
				continue
			}
		}
		run := strings.TrimSpace(masked[m[0]:m[1]])
		digits := 0
		for _, r := range run {
			if r >= '0' && r <= '9' {
				digits++
			}
		}
		if digits < 7 || digits > 15 || reDateLikeRun.MatchString(run) {
			continue
		}
		return reSpaces.ReplaceAllString(run, " "), m
	}
	return "", nil
}

// ParsePhone finds a phone number in free text: 7 to 15 digits, optionally
// with a leading +, spaces, dashes, dots and parentheses. Dates, times and
// digits inside email addresses are not phone numbers. The number is
// returned as written, with runs of spaces collapsed.
func ParsePhone(text string) (string, bool) {
	p, _ := findPhone(normalize(text))
	return p, p != ""
}

// ---------------------------------------------------------------- names

var reNameTrigger = regexp.MustCompile(`(?i)\b(?:(my name is|my name's|name is|call me|i am|i'm|im|this is|it's|it is)\s+|(name)\s*:\s*)`)

// nameStop ends a name: words that follow a name in a sentence.
var nameStop = wordSet(nameStopWords)

const nameStopWords = `a an and or but so my your our me us we you i i'd i'm im i'll i've it
	is am was are be will would could can should want wants like need needs looking
	book booking from here there at with on in by for to of via the this that just also
	please pls thanks thank thx email e-mail mail phone number cell mobile tel
	today tonight tomorrow next monday tuesday wednesday thursday friday saturday sunday`

// weakStop words right after "I'm" or "this is" show that no name follows
// ("I'm looking", "this is great").
var weakStop = wordSet(`not no just really actually currently still also only so very too
	here there new back free busy available flexible able unable sure fine good great
	ok okay sorry happy glad ready afraid done interested excited engaged married based
	located open curious confused late early around after about trying gonna going
	a an the your his her their our my it its what who why how when where yes hi hello hey
	in on at from with for to of into over out up down off well
	keen due unsure certain eager local nearby nervous worried pregnant later now asap anytime
	whenever maybe perfect awesome amazing fantastic wonderful lovely nice cool helpful useful
	weird strange expensive cheap urgent important correct right wrong exactly all me still`)

// bareStop words mean a short reply is not a name.
var bareStop = wordSet(nameStopWords, `yes yeah yep yup no nope nah ok okay sure skip none thanks thank hi hello hey
	help what why how when where who which services service menu hours hour price prices
	cancel cancellation refund reschedule policy contact start over restart reset again
	book booking appointment session maybe later whatever idk dunno stop quit exit back
	morning afternoon evening noon tonight week weekend date time day
	jan feb mar apr jun jul aug sep sept oct nov dec it's its`)

// wordSet returns the set of the words of each list.
func wordSet(lists ...string) map[string]bool {
	m := make(map[string]bool)
	for _, l := range lists {
		for _, w := range strings.Fields(l) {
			m[w] = true
		}
	}
	return m
}

// isNameWord reports whether w can be a word of a person's name: letters,
// with apostrophes, hyphens or dots inside (O'Brien, Mary-Jane, J.).
func isNameWord(w string) bool {
	if w == "" || utf8.RuneCountInString(w) > 30 {
		return false
	}
	letters := 0
	for i, r := range w {
		switch {
		case unicode.IsLetter(r):
			letters++
		case (r == '\'' || r == '-' || r == '.') && i > 0:
		default:
			return false
		}
	}
	return letters > 0
}

// titleWord capitalises a name word typed all in lower or upper case
// ("o'brien" → "O'Brien") and keeps a mixed-case one as typed (McDonald).
func titleWord(w string) string {
	hasLower, hasUpper := false, false
	for _, r := range w {
		hasLower = hasLower || unicode.IsLower(r)
		hasUpper = hasUpper || unicode.IsUpper(r)
	}
	if hasLower && hasUpper {
		return w
	}
	var b strings.Builder
	up := true
	for _, r := range w {
		if up {
			b.WriteRune(unicode.ToUpper(r))
		} else {
			b.WriteRune(unicode.ToLower(r))
		}
		up = r == '\'' || r == '-'
	}
	return b.String()
}

// nameAfter reads up to three name words at the start of s. weak says the
// words followed "I'm" or "this is", which also start many sentences that
// name no one.
func nameAfter(s string, weak bool) (string, bool) {
	if len(s) > 120 { // three name words fit; don't split a long tail per trigger
		s = s[:120]
	}
	var words []string
	for _, f := range strings.Fields(s) {
		if len(words) == 3 {
			break
		}
		f = strings.TrimLeft(f, `"'(`)
		w := strings.TrimRight(f, `,.;:!?)"'`)
		end := w != f
		lw := strings.ToLower(w)
		if !isNameWord(w) || nameStop[lw] {
			break
		}
		if len(words) == 0 && weak && (weakStop[lw] || strings.HasSuffix(lw, "ing")) {
			return "", false
		}
		words = append(words, titleWord(w))
		if end {
			break
		}
	}
	if len(words) == 0 {
		return "", false
	}
	return strings.Join(words, " "), true
}

// ParseName finds a customer's name introduced in free text: "I'm Ann",
// "i am Ann Lee", "my name is Ann Lee", "this is Bob", "call me Bob",
// "name: Ann Lee". It takes at most three words, stops at punctuation or at
// words that cannot be part of a name ("and", "from", an email address),
// title-cases words typed in one case, and rejects phrases such as "I'm
// looking for..." or "this is great".
func ParseName(text string) (string, bool) {
	s := normalize(text)
	for _, m := range reNameTrigger.FindAllStringSubmatchIndex(s, -1) {
		weak := false
		if m[2] >= 0 {
			switch strings.ToLower(s[m[2]:m[3]]) {
			case "i am", "i'm", "im", "this is", "call me", "it's", "it is":
				weak = true
			}
		}
		if n, ok := nameAfter(s[m[1]:], weak); ok {
			return n, true
		}
	}
	return "", false
}

// ParseBareName reads a reply to "What's your name?": a name introduced as
// ParseName understands, or the whole reply when it is one to three words
// of letters that are not common replies ("yes", "skip", "what") or days.
// Trailing punctuation is ignored; digits, "@" or "?" mean it is not a name.
func ParseBareName(text string) (string, bool) {
	if n, ok := ParseName(text); ok {
		return n, true
	}
	s := strings.TrimSpace(normalize(text))
	if strings.ContainsAny(s, "?@0123456789") {
		return "", false
	}
	fields := strings.Fields(s)
	if len(fields) == 0 || len(fields) > 3 {
		return "", false
	}
	words := make([]string, 0, len(fields))
	for _, f := range fields {
		w := strings.Trim(f, `,.;:!"'()`)
		if !isNameWord(w) || bareStop[strings.ToLower(w)] {
			return "", false
		}
		words = append(words, titleWord(w))
	}
	return strings.Join(words, " "), true
}
