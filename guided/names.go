package guided

// Names in free text.

import (
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"
)

// ---------------------------------------------------------------- names

// reNameTrigger introduces a name. Group 1 is the trigger phrase.
var reNameTrigger = regexp.MustCompile(`(?i)\b(?:(my name is|my name's|my names|name's|name is|the name is|call me|i am|i'm|im|this is|it's|it is|for|under|booking for|book for|under the name(?: of)?)\s+|(name)\s*:\s*)`)

// nameSkip words may sit between a trigger and the name: "my name is
// spelt Jon", "it's actually Jon".
var nameSkip = wordSet(`spelt spelled spelled: spelt: actually really just`)

// nameParticles are lower-case words inside a family name ("Jan van Dijk",
// "Luis de la Fuente"): kept as typed and not counted as name words.
var nameParticles = wordSet(`van von der den de del della di da das do dos du la le les ter ten bin ibn al el y zu st`)

// nameStop ends a name: words that follow a name in a sentence.
var nameStop = wordSet(nameStopWords)

const nameStopWords = `a an and or but so my your our me us we you i i'd i'm im i'll i've it
	is am was are be will would could can should want wants like need needs looking
	book booking from here there at with on in by for to of via the this that just also
	please pls thanks thank thx email e-mail mail phone number cell mobile tel
	today tonight tomorrow next monday tuesday wednesday thursday friday saturday sunday
	january february september october november december sept noon midnight
	not instead sorry oops wait`

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
	feb mar apr jun jul aug sep sept oct nov dec it's its`)

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
		case unicode.Is(unicode.Mn, r) && i > 0: // a combining accent
		case (r == '\'' || r == '-' || r == '.') && i > 0:
		default:
			return false
		}
	}
	return letters > 0
}

// titleWord capitalises a name word ("o'brien" → "O'Brien").
func titleWord(w string) string {
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

// nameCase returns a name as typed, unless it was typed all in lower or
// all in upper case: then each word is capitalised, particles after the
// first word kept lower case ("jan van dijk" → "Jan van Dijk").
func nameCase(words []string) string {
	hasLower, hasUpper := false, false
	for _, w := range words {
		for _, r := range w {
			hasLower = hasLower || unicode.IsLower(r)
			hasUpper = hasUpper || unicode.IsUpper(r)
		}
	}
	if hasLower && hasUpper {
		return strings.Join(words, " ")
	}
	out := make([]string, len(words))
	for i, w := range words {
		if i > 0 && nameParticles[strings.ToLower(w)] {
			out[i] = strings.ToLower(w)
		} else {
			out[i] = titleWord(w)
		}
	}
	return strings.Join(out, " ")
}

// nameTrigger is how strongly a trigger announces a name.
type nameTrigger int

const (
	triggerStrong  nameTrigger = iota // "my name is", "name:"
	triggerWeak                       // "I'm", "this is": also start sentences that name no one
	triggerCapital                    // "for", "under": only a capitalised word is a name
)

// nameAfter reads a name at the start of s: up to three name words and the
// particles between them. It returns the name, its end in s, and false if
// no name is there.
func nameAfter(s string, how nameTrigger, isService func(string) bool) (string, int, bool) {
	if len(s) > 160 { // a name fits; don't split a long tail per trigger
		s = s[:160]
	}
	var words []string
	main, end := 0, 0
	for _, loc := range reField.FindAllStringIndex(s, -1) {
		if main == 3 || len(words) == 6 {
			break
		}
		f := s[loc[0]:loc[1]]
		lead := len(f) - len(strings.TrimLeft(f, `"'(`))
		f = f[lead:]
		w := strings.TrimRight(f, `,.;:!?)"'`)
		stop := w != f
		lw := strings.ToLower(w)
		if len(words) == 0 && nameSkip[lw] {
			continue
		}
		particle := len(words) > 0 && nameParticles[lw]
		if !isNameWord(w) || nameStop[lw] && !particle {
			break
		}
		first, _ := utf8.DecodeRuneInString(w)
		if how == triggerCapital && !particle && !unicode.IsUpper(first) {
			break
		}
		if len(words) == 0 && how != triggerStrong && (weakStop[lw] || strings.HasSuffix(lw, "ing")) {
			return "", 0, false
		}
		if isService != nil && isService(lw) {
			break
		}
		words = append(words, w)
		if !particle {
			main++
		}
		end = loc[0] + lead + len(w)
		if stop {
			break
		}
	}
	for len(words) > 0 && nameParticles[strings.ToLower(words[len(words)-1])] && len(words) > 1 {
		words = words[:len(words)-1] // "Jan van" ends before its particle
		end = strings.LastIndex(s[:end], " ")
		end = len(strings.TrimRight(s[:end], " "))
	}
	if main == 0 {
		return "", 0, false
	}
	return nameCase(words), end, true
}

var reField = regexp.MustCompile(`\S+`)

// nameMatch is a name found in a text, with where it is written.
type nameMatch struct {
	start, end int
	name       string
}

// nameMatches finds the names introduced in s, in text order. isService,
// when not nil, says a word names a service, so "for Mini Session" is not
// a name.
func nameMatches(s string, isService func(string) bool) []nameMatch {
	var out []nameMatch
	for _, m := range reNameTrigger.FindAllStringSubmatchIndex(s, -1) {
		how := triggerStrong
		if m[2] >= 0 {
			switch strings.ToLower(s[m[2]:m[3]]) {
			case "i am", "i'm", "im", "this is", "call me", "it's", "it is":
				how = triggerWeak
			case "for", "under", "booking for", "book for":
				how = triggerCapital
			}
		}
		if n, end, ok := nameAfter(s[m[1]:], how, isService); ok {
			start := m[1] + strings.Index(s[m[1]:], strings.Fields(n)[0][:1])
			if st := indexFold(s[m[1]:m[1]+end], strings.Fields(n)[0]); st >= 0 {
				start = m[1] + st
			}
			out = append(out, nameMatch{start, m[1] + end, n})
		}
	}
	return out
}

// indexFold is strings.Index ignoring case, for ASCII and same-length folds.
func indexFold(s, sub string) int {
	ls, lsub := strings.ToLower(s), strings.ToLower(sub)
	if len(ls) != len(s) || len(lsub) != len(sub) {
		return -1
	}
	return strings.Index(ls, lsub)
}

// ParseName finds a customer's name introduced in free text: "I'm Ann",
// "i am Ann Lee", "my name is Ann Lee", "name's Kate", "this is Bob",
// "call me Bob", "name: Ann Lee", "… for Jane Roe". It takes at most three
// name words and the particles between them ("Luis de la Fuente"), stops
// at punctuation or at words that cannot be part of a name ("and", "from",
// an email address), capitalises a name typed all in one case and keeps
// any other as typed, and rejects phrases such as "I'm looking for..." or
// "this is great". After "for" or "under" only a capitalised word starts
// a name ("for Jane", never "for my daughter").
func ParseName(text string) (string, bool) {
	ms := nameMatches(normalize(text), nil)
	if len(ms) == 0 {
		return "", false
	}
	return ms[0].name, true
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
	if len(fields) == 0 || len(fields) > 6 {
		return "", false
	}
	words := make([]string, 0, len(fields))
	main := 0
	for i, f := range fields {
		w := strings.Trim(f, `,.;:!"'()`)
		lw := strings.ToLower(w)
		particle := i > 0 && i < len(fields)-1 && nameParticles[lw]
		if !isNameWord(w) || bareStop[lw] && !particle {
			return "", false
		}
		if !particle {
			main++
		}
		words = append(words, w)
	}
	if main > 3 {
		return "", false
	}
	return nameCase(words), true
}
