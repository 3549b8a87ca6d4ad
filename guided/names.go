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
var reNameTrigger = regexp.MustCompile(`(?i)\b(?:(my name is|my name's|my names|name's|name is|the name is|under the name(?: of)?|(?:the )?name should be|put it under|call me|i am|i'm|im|this is|it's|it is|its|booking for|book for|for|under|name)\s+|(name)\s*:\s*)`)

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
	feb mar apr jun jul aug sep sept oct nov dec it's its
	merci gracias danke grazie obrigado obrigada bonjour hola ciao salut oui si ja nein non nee`)

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
	if letters == 0 {
		return false
	}
	if strings.Contains(w, ".") { // initials (J., J.R.) and abbreviations (Jr.), never a web address
		for _, seg := range strings.Split(strings.TrimSuffix(w, "."), ".") {
			if utf8.RuneCountInString(seg) > 3 {
				return false
			}
		}
	}
	return true
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
func nameAfter(s string, how nameTrigger, ev nameEvidence) (string, int, bool) {
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
		if f == w+"." && len(words) > 0 && lw == "st" {
			w, stop = f, false // "St. Clair": the particle's own full stop
		}
		if len(words) == 0 && nameSkip[lw] {
			continue
		}
		particle := len(words) > 0 && nameParticles[lw]
		if !isNameWord(w) || nameStop[lw] && !particle {
			break
		}
		first, _ := utf8.DecodeRuneInString(w)
		if how == triggerCapital && !particle && !unicode.IsUpper(first) && len(words) > 0 && !lowerRun(words) {
			break // "for Ann and me": a capitalised name ends at the first lower-case word
		}
		if len(words) == 0 && how != triggerStrong && (weakStop[lw] || strings.HasSuffix(lw, "ing")) {
			return "", 0, false
		}
		if ev.isService != nil && ev.isService(lw) {
			if len(words) > 0 && unicode.IsUpper(first) && !lowerRun(words) && !ev.backed(w) {
				// "I'm Portia Session": a capitalised service word right
				// after a capitalised name may be the name's own; ask.
				return "", 0, false
			}
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
	if how == triggerCapital && lowerRun(words) && !ev.plausible(words) {
		return "", 0, false // "for family photos", "for two", "for jane" with nothing to back it
	}
	return nameCase(words), end, true
}

// lowerRun reports whether the first word of a name starts in lower case.
func lowerRun(words []string) bool {
	first, _ := utf8.DecodeRuneInString(words[0])
	return !unicode.IsUpper(first)
}

// nameEvidence is what else a message says that helps tell a name from
// other words.
type nameEvidence struct {
	// isService reports that a word names a service ("for Mini Session").
	isService func(string) bool
	// emailLocal is the part before @ of an email address in the same
	// message, lower case: "jane.roe" backs "jane roe".
	emailLocal string
}

// backed reports whether the email address of the message contains w.
func (ev nameEvidence) backed(w string) bool {
	lw := strings.ToLower(w)
	if ev.emailLocal == "" || utf8.RuneCountInString(lw) < 2 {
		return false
	}
	for _, t := range tokens(ev.emailLocal) {
		if t == lw {
			return true
		}
	}
	return len(lw) >= 3 && strings.Contains(ev.emailLocal, lw)
}

// plausible reports whether words not announced by a capital or a strong
// trigger still make a name: one of them is in the message's email
// address, or there are two or more name words none of which is a common
// word of requests ("family photos", "two people", "my son").
func (ev nameEvidence) plausible(words []string) bool {
	main := 0
	for _, w := range words {
		if ev.backed(w) {
			return true
		}
		lw := strings.ToLower(w)
		if nameParticles[lw] {
			continue
		}
		if bareStop[lw] || weakStop[lw] || unmarkedStop[lw] || ev.isService != nil && ev.isService(lw) {
			return false
		}
		main++
	}
	return main >= 2
}

// unmarkedStop are words of requests that are no one's name: who a session
// is for, what it is for, and words around an email address.
var unmarkedStop = wordSet(`family kids kid children child baby babies newborn couple couples people person adults adult
	guests guest group both two three four five six all everyone everybody
	christmas holiday holidays birthday anniversary engagement graduation wedding prom party event
	work business company team linkedin instagram website profile cards card gift gifts voucher
	photos photo pictures picture pics pic prints headshots headshot shoot shots session sessions portraits portrait
	real sure free now later lunch dinner fun mom mum dad mother father parents son daughter wife husband
	partner friend friends boyfriend girlfriend fiance fiancee grandma grandpa grandmother grandfather sister
	brother dog dogs cat cats pet pets confirm confirmation address send reach contact reply write details info
	email e-mail mail emails phone number cell mobile tel`)

// nameBesideEmail reads a name written with no words to announce it right
// before an email address ("… Jane Roe, jane@example.com", "- Luis de la
// Fuente luis@…"): up to three name words and their particles, separated
// from the address only by spaces, a comma, a dash or a colon. s is the
// normalized text and rest the same with the fields already read masked;
// at is where the address starts. The words must be plausible (see
// nameEvidence.plausible).
func nameBesideEmail(s, rest string, at int, ev nameEvidence) (nameMatch, bool) {
	masked := func(i int) bool { return rest[i] != s[i] }
	i := at
	for i > 0 && strings.IndexByte(" \t,-:(<.", rest[i-1]) >= 0 && !masked(i-1) {
		i--
	}
	var words []string
	start, end, main := 0, 0, 0
	for main < 3 && len(words) < 6 && i > 0 {
		j := i
		for j > 0 && rest[j-1] != ' ' && rest[j-1] != '\t' && rest[j-1] != '\n' {
			j--
		}
		w := rest[j:i]
		lw := strings.ToLower(w)
		particle := len(words) > 0 && nameParticles[lw]
		if !isNameWord(w) || (nameStop[lw] || bareStop[lw] || weakStop[lw]) && !particle && !ev.backed(w) ||
			ev.isService != nil && ev.isService(lw) && !ev.backed(w) || strings.HasSuffix(w, ".") {
			break
		}
		if len(words) == 0 {
			end = i
		}
		words = append([]string{w}, words...)
		start = j
		if !particle {
			main++
		}
		// Only one plain space may separate the words of a name.
		if j < 2 || rest[j-1] != ' ' || masked(j-1) || rest[j-2] == ' ' {
			break
		}
		i = j - 1
	}
	for len(words) > 0 && nameParticles[strings.ToLower(words[0])] {
		start += len(words[0]) + 1
		words = words[1:]
	}
	if len(words) == 0 || !ev.plausible(words) {
		return nameMatch{}, false
	}
	if reHouseNumber.MatchString(rest[:start]) {
		return nameMatch{}, false // "30 Rock Plaza, sam@…" is an address
	}
	return nameMatch{start, end, nameCase(words)}, true
}

var reField = regexp.MustCompile(`\S+`)

// reHouseNumber ends with a number before words: a street address.
var reHouseNumber = regexp.MustCompile(`\d[\dA-Za-z-]*\s+$`)

// backedRun reads the words right before an email address when each of
// them is in the address ("Friday Jones, friday.jones@…", "Mini Park
// mini.park@…"), or when they are all the message holds before it, each
// capitalised, and the first is in the address ("Sunny Monday,
// sunny@…", "Rose Wedding, rose.w@…": a first name and a surname, the
// way a form is filled in): they are the name, whatever else the words
// could mean, and are read before dates and services. at is where the
// address starts.
func backedRun(rest string, at int, ev nameEvidence) (nameMatch, bool) {
	before := strings.TrimRight(rest[:at], " \t,-:(<")
	fields := strings.Fields(before)
	for k := min(3, len(fields)); k >= 2; k-- {
		words := fields[len(fields)-k:]
		all, capitals := true, true
		for _, w := range words {
			all = all && isNameWord(w) && ev.backed(w) && utf8.RuneCountInString(w) >= 2
			r, _ := utf8.DecodeRuneInString(w)
			capitals = capitals && isNameWord(w) && unicode.IsUpper(r) && utf8.RuneCountInString(w) >= 2
		}
		whole := k == len(fields) && capitals && ev.backed(words[0])
		if !all && !whole {
			continue
		}
		start := len(before) - len(strings.Join(words, " "))
		if strings.Join(strings.Fields(before[start:]), " ") != strings.Join(words, " ") {
			return nameMatch{}, false // not one plain space apart
		}
		return nameMatch{start, len(before), nameCase(words)}, true
	}
	return nameMatch{}, false
}

// reNextLabel is a field's label in a message written as a form.
var reNextLabel = regexp.MustCompile(`\s\pL+:`)

// nameMatch is a name found in a text, with where it is written.
type nameMatch struct {
	start, end int
	name       string
}

// nameMatches finds the names introduced in s, in text order. isService,
// when not nil, says a word names a service, so "for Mini Session" is not
// a name.
func nameMatches(s string, ev nameEvidence) []nameMatch {
	var out []nameMatch
	for _, m := range reNameTrigger.FindAllStringSubmatchIndex(s, -1) {
		how := triggerStrong
		if m[2] >= 0 {
			switch strings.ToLower(s[m[2]:m[3]]) {
			case "i am", "i'm", "im", "this is", "call me", "it's", "it is", "its":
				how = triggerWeak
			case "for", "under", "booking for", "book for":
				how = triggerCapital
			}
		}
		tail := s[m[1]:]
		if m[4] >= 0 {
			// "Name: Ann Lee Service: …": in a form of labels the next
			// label ends the name.
			if l := reNextLabel.FindStringIndex(tail); l != nil {
				tail = tail[:l[0]]
			}
		}
		if n, end, ok := nameAfter(tail, how, ev); ok {
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
	ms := nameMatches(normalize(text), nameEvidence{})
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
		} else if strings.HasSuffix(strings.TrimRight(f, ","), ".") {
			w += "." // "St. Clair"
		}
		words = append(words, w)
	}
	if main > 3 {
		return "", false
	}
	return nameCase(words), true
}

// backedName reads a reply to "What's your name?" that ParseBareName
// refuses for a common word ("Jess Day", "Rose Park") when the email
// address in the same message backs one of its words.
func backedName(s string, ev nameEvidence) (string, bool) {
	words := strings.Fields(s)
	if len(words) == 0 || len(words) > 4 {
		return "", false
	}
	backed := false
	for _, w := range words {
		lw := strings.ToLower(w)
		if !isNameWord(w) || nameStop[lw] && !nameParticles[lw] {
			return "", false
		}
		backed = backed || ev.backed(w)
	}
	if !backed {
		return "", false
	}
	return nameCase(words), true
}
