package guided

// The extractor: one message in, every booking field it carries out, each
// with where it is written. It knows nothing of the conversation beyond
// what a short reply may answer (Expect).

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/frontdeskhq/frontdesk"
)

// FieldKind names what a Field holds.
type FieldKind string

// Field kinds.
const (
	FieldService    FieldKind = "service"    // Value: the service's id
	FieldDate       FieldKind = "date"       // Value: YYYY-MM-DD
	FieldTime       FieldKind = "time"       // Value: HH:MM, or HH:MM-HH:MM for a window ("after 2pm")
	FieldName       FieldKind = "name"       // Value: the name as typed (capitalised if typed in one case)
	FieldEmail      FieldKind = "email"      // Value: the address, lower case
	FieldPhone      FieldKind = "phone"      // Value: the number as typed, spaces collapsed
	FieldIntent     FieldKind = "intent"     // Value: an Intent
	FieldCode       FieldKind = "code"       // Value: a confirmation code, BK-XXXXXX
	FieldCorrection FieldKind = "correction" // Value: the words that correct ("no wait", "not"), lower case
)

// Field is one thing a message says, and where: Text is exactly the
// message's bytes Start to End.
type Field struct {
	Kind       FieldKind
	Value      string
	Start, End int
	Text       string
}

// Extraction is what one message carries.
type Extraction struct {
	// Fields holds at most one field of each kind but FieldCorrection: when
	// a message gives a kind twice, the value a correction points to (the
	// later one, "3pm, no wait, 4pm") or the one not negated ("Jon, not
	// John").
	Fields []Field
	// Dropped are values the message gave and took back, or gave with
	// another one and nothing to say which holds ("2pm or 3pm").
	Dropped []Field
	// Unsure lists the kinds given twice with nothing to say which holds;
	// they are not in Fields.
	Unsure []FieldKind
}

// Get returns the field of kind k.
func (e Extraction) Get(k FieldKind) (Field, bool) {
	for _, f := range e.Fields {
		if f.Kind == k {
			return f, true
		}
	}
	return Field{}, false
}

// Has reports whether the message carries a field of kind k.
func (e Extraction) Has(k FieldKind) bool {
	_, ok := e.Get(k)
	return ok
}

// ExtractOptions say how to read a message.
type ExtractOptions struct {
	// Today is the business's local date; relative dates count from it.
	Today frontdesk.Date
	// DayFirst reads 5/12 as 5 December (see dayFirstZone).
	DayFirst bool
	// Services returns the services a message may name; nil looks for none.
	// It is called only when the message may name one.
	Services func() []frontdesk.ServiceOut
	// Expect is the field a short reply answers: "2" is an hour after
	// "what time?", a day of the month after "what date?", a menu item
	// after the list of services, and "Ann Lee" a name after "your name?".
	Expect FieldKind
}

var (
	reCorrection = regexp.MustCompile(`(?i)\b(no,? wait|wait|actually|oops|sorry|i meant|meant|make it|change (?:it|that) to|instead|rather|correction|scratch that|typo|wrong|spelt|spelled|better|on second thought|let'?s say|not)\b`)
	// reNegBefore sets a value aside: "not Friday", "anything but 3pm",
	// "monday, no mornings" ("no" opening a message corrects instead: "no
	// the 16th").
	reNegBefore = regexp.MustCompile(`(?i)(?:\b(not|never|except|anything but|instead of|rather than|isn'?t|wasn'?t|can'?t do|cannot do|can'?t make|avoid)|[\w,][ \t]+no)\s+(?:(?:on|at|in|the)\s+){0,2}$`)
	// reContrast turns a message from what it sets aside to what it asks
	// for: "the wedding is on Jan 9 but I want Monday", "my flight lands at
	// 8am, so 2pm".
	reContrast = regexp.MustCompile(`(?i)\b(but|so|though|however)\b`)
	// reBareNumberSaid is a bare number with words that add nothing to
	// it: "11 then", "ok 2 please", "let's say 10".
	reBareNumberSaid = regexp.MustCompile(`(?i)^\W*(?:(?:ok|okay|alright|then|so|um+|hmm+|let'?s (?:do|say)|make it|how about|what about)\W+)*(\d{1,2})(?:st|nd|rd|th)?(?:\W+(?:then|please|pls|instead|is fine|works|is good|ok|okay|thanks|thank you))*\W*$`)
	// reOtherLabel ends a reply with the label of another field, its
	// value read already: "… and my email is", "…, phone:".
	reOtherLabel = regexp.MustCompile(`(?i)(?:^|[\s,;]+)(?:and\s+)?(?:my\s+|the\s+)?(?:e-?mail(?:\s+address)?|phone(?:\s+number)?|mobile(?:\s+number)?|cell(?:\s+number)?|number)(?:\s+is|\s*:)?\s*$`)
	// reQuestionSentence is a sentence that asks: what it names is asked
	// about, not booked, when another sentence names the same kind.
	reQuestionSentence = regexp.MustCompile(`[^.!?\n]*\?`)
	// reIfQuestion is a question that supposes: "if I booked ..., could I".
	// reChangeQuestion is a question that asks for a change, not about
	// one: "can we make it 3:30?", "could we do Tuesday instead?". What it
	// names is asked for, as if told.
	reChangeQuestion = regexp.MustCompile(`(?i)\b(make it|instead|rather|change (?:it|that|the time|the date|the day) to|switch (?:it )?to|move it to)\b`)
	reIfQuestion     = regexp.MustCompile(`(?i)^\W*if\s+(?:i|we)\s+(?:booked|book|were|was|had|did|made|went)\b`)
	// reNoAgain is a "no" that opens a sentence or follows a value, to
	// correct it: "make it 2pm. no, 2:30pm".
	reNoAgain  = regexp.MustCompile(`(?i)(?:^|[.!;]\s*|\d(?:[ap]m)?,?\s+)(no)\b,`)
	reNegAfter = regexp.MustCompile(`(?i)^\s*(?:is|was|'s)\s+(?:wrong|not right|incorrect|a typo)\b`)
)

// candidate is one value found, before the values of a kind are resolved.
type candidate struct {
	kind       FieldKind
	value      string
	start, end int // in the normalized text
	rank       int // dates: the kind of date, strongest lowest
}

// Extract reads every booking field a message carries: the service, the
// date, the time or window of time, the name, the email, the phone, the
// intent, a booking's confirmation code and words of correction. Each
// field's digits and words are claimed once, in this order: email, code,
// phone, date, time, name, service; so a phone number is never read as a
// time or a date, nor an email's digits as anything.
func Extract(text string, o ExtractOptions) Extraction {
	s, at := normalizeMap(text)
	if len(text) > maxTextLen {
		text = text[:at[len(at)-1]]
	}
	var cands []candidate
	rest := s
	claim := func(kind FieldKind, value string, start, end, rank int) {
		cands = append(cands, candidate{kind, value, start, end, rank})
		rest = mask(rest, [][]int{{start, end}})
	}
	for range 3 {
		e, span := findEmail(rest)
		if e == "" {
			break
		}
		claim(FieldEmail, e, span[0], span[1], 0)
	}
	for _, c := range cands {
		// A name spelt out by its email address is read before the days
		// and services its words could also be.
		local, _, _ := strings.Cut(c.value, "@")
		if m, ok := backedRun(rest, c.start, nameEvidence{emailLocal: local}); ok {
			claim(FieldName, m.name, m.start, m.end, 0)
			break
		}
	}
	for _, m := range reCode.FindAllStringSubmatchIndex(rest, 3) {
		claim(FieldCode, codeOf(rest[m[2]:m[3]]), m[0], m[1], 0)
	}
	if o.Expect == FieldCode {
		if c, span := findBareCode(rest); c != "" {
			claim(FieldCode, c, span[0], span[1], 0)
		}
	}
	for range 3 {
		p, span := findPhone(rest)
		if p == "" {
			break
		}
		// findPhone trims the run; the span is what it returned.
		start := span[0] + strings.Index(rest[span[0]:span[1]], strings.Fields(p)[0])
		claim(FieldPhone, p, start, start+len(strings.TrimSpace(rest[start:span[1]])), 0)
	}
	rest = mask(rest, streetSpans(rest))
	for _, m := range dateMatches(rest, o.Today, o.DayFirst) {
		if m.ok && !lifeEventDate(rest, m.start) {
			claim(FieldDate, m.date.String(), m.start, m.end, m.kind)
		} else {
			rest = mask(rest, [][]int{{m.start, m.end}}) // an impossible date or a birthday is no time either
		}
	}
	for _, m := range timeMatches(rest) {
		v := hhmm(m.minutes)
		if !m.exact() {
			v = hhmm(m.from) + "-" + hhmm(min(m.to-1, 24*60-1)) // both ends included
		}
		claim(FieldTime, v, m.start, m.end, 0)
	}
	bare := reBareNumber.FindStringSubmatchIndex(rest)
	if bare == nil {
		bare = reBareNumberSaid.FindStringSubmatchIndex(rest) // "11 then", "ok 2 please"
	}
	if bare != nil {
		n := rest[bare[2]:bare[3]]
		switch o.Expect {
		case FieldTime:
			if m, ok := ParseTime("at " + n); ok {
				claim(FieldTime, hhmm(m), bare[2], bare[3], 0)
				bare = nil
			}
		case FieldDate:
			if d, ok := nextDayOfMonth(o.Today, atoi(n)); ok {
				claim(FieldDate, d.String(), bare[2], bare[3], dateOrdinal)
				bare = nil
			}
		}
	}

	var services []frontdesk.ServiceOut
	loaded := false
	load := func() []frontdesk.ServiceOut {
		if !loaded && o.Services != nil {
			loaded, services = true, o.Services()
		}
		return services
	}
	isService := func(w string) bool {
		for _, svc := range load() {
			if matchesAny(w, tokens(svc.Name)) {
				return true
			}
		}
		return false
	}
	ev := nameEvidence{isService: isService}
	emailAt := -1
	for _, c := range cands {
		if c.kind == FieldEmail {
			ev.emailLocal, _, _ = strings.Cut(c.value, "@")
			emailAt = c.start
			break
		}
	}
	for _, m := range nameMatches(rest, ev) {
		claim(FieldName, m.name, m.start, m.end, 0)
	}
	if o.Services != nil && (bare != nil && o.Expect == FieldService || bare == nil && reHasLetter.MatchString(rest) && !smallTalk(rest) && !onlyWhen(rest)) {
		if neg := negatedServices(rest, load()); neg != nil {
			// "not a wedding, just portraits": the service set aside is
			// neither a service asked for nor a name.
			rest = mask(rest, neg)
		}
		if m, ok := matchService(rest, load()); ok {
			claim(FieldService, services[m.index].ID, m.start, m.end, 0)
		}
	}
	if emailAt >= 0 && !hasKind(cands, FieldName) {
		// A name written beside the address, with nothing to announce it.
		if m, ok := nameBesideEmail(s, rest, emailAt, ev); ok {
			claim(FieldName, m.name, m.start, m.end, 0)
		}
	}
	if o.Expect == FieldName && !hasKind(cands, FieldName, FieldDate, FieldTime, FieldService) {
		trimmed := strings.Trim(rest, " \t\r\n,;")
		if l := reOtherLabel.FindStringIndex(trimmed); l != nil && l[0] > 0 {
			// "Sofia Rossi and my email is …": the label of the field
			// that follows is not part of the name.
			trimmed = strings.Trim(trimmed[:l[0]], " \t\r\n,;")
		}
		n, ok := ParseBareName(trimmed)
		if !ok {
			n, ok = backedName(trimmed, ev) // "jess day" beside jess@…
		}
		if ok {
			start := strings.Index(rest, trimmed)
			end := start + len(strings.TrimRight(trimmed, `.!"'`))
			claim(FieldName, n, start, end, 0)
		}
	}

	var corrections []candidate
	for _, m := range reCorrection.FindAllStringIndex(s, 20) {
		corrections = append(corrections, candidate{FieldCorrection, strings.ToLower(s[m[0]:m[1]]), m[0], m[1], 0})
	}
	ex := resolve(s, cands, corrections)
	if in := ParseIntent(s); in != IntentNone || WantsPerson(s) || reQuestion.MatchString(s) {
		switch {
		case WantsPerson(s):
			in = IntentHuman
		case in == IntentNone:
			in = IntentQuestion
		}
		start := len(s) - len(strings.TrimLeft(s, " \t\r\n"))
		end := len(strings.TrimRight(s, " \t\r\n"))
		if start < end {
			ex.Fields = append(ex.Fields, Field{Kind: FieldIntent, Value: string(in), Start: start, End: end})
		}
	}
	for _, c := range corrections {
		ex.Fields = append(ex.Fields, Field{Kind: FieldCorrection, Value: c.value, Start: c.start, End: c.end})
	}
	for _, fs := range []*[]Field{&ex.Fields, &ex.Dropped} {
		for i := range *fs {
			f := &(*fs)[i]
			f.Start, f.End = at[f.Start], at[f.End]
			f.Text = text[f.Start:f.End]
		}
	}
	return ex
}

func hasKind(cands []candidate, kinds ...FieldKind) bool {
	for _, c := range cands {
		for _, k := range kinds {
			if c.kind == k {
				return true
			}
		}
	}
	return false
}

func hhmm(minutes int) string { return fmt.Sprintf("%02d:%02d", minutes/60, minutes%60) }

// resolve keeps one value of each kind. A value negated ("not John", "3pm
// is wrong") is dropped. Of the others, all alike is that value; else the
// last wins when a correction comes before it ("3pm, no wait, 4pm"); else a
// date written with its month beats a weekday ("Saturday, Dec 5"), an
// exact time beats a window it lies in ("in the afternoon, at 3"), and an
// email, phone or name keeps the first; anything else is unsure.
func resolve(s string, cands, corrections []candidate) Extraction {
	var ex Extraction
	questions := reQuestionSentence.FindAllStringIndex(s, -1)
	asked := func(c candidate) bool {
		for _, q := range questions {
			if c.start >= q[0] && c.end <= q[1] {
				return !reChangeQuestion.MatchString(s[q[0]:q[1]])
			}
		}
		return false
	}
	supposed := func(c candidate) bool {
		// "if I booked Monday at 2pm, could I move it?" asks what would
		// happen; it books nothing.
		for _, q := range questions {
			if c.start >= q[0] && c.end <= q[1] && reIfQuestion.MatchString(s[q[0]:q[1]]) {
				return true
			}
		}
		return false
	}
	for _, re := range []*regexp.Regexp{reContrast, reNoAgain} {
		for _, m := range re.FindAllStringSubmatchIndex(s, -1) {
			corrections = append(corrections, candidate{FieldCorrection, "", m[2], m[3], 0})
		}
	}
	for _, kind := range []FieldKind{FieldService, FieldDate, FieldTime, FieldName, FieldEmail, FieldPhone, FieldCode} {
		var live []candidate
		var negated *candidate
		for _, c := range cands {
			if c.kind != kind {
				continue
			}
			if (kind == FieldDate || kind == FieldTime) && supposed(c) ||
				reNegBefore.MatchString(s[max(0, c.start-16):c.start]) || reNegAfter.MatchString(s[c.end:min(len(s), c.end+20)]) ||
				negated != nil && c.value == negated.value && c.start >= negated.end && strings.Trim(s[negated.end:c.start], " ,") == "" {
				// A value set aside takes the same value written right
				// after it with it: "not on friday the 11th".
				ex.Dropped = append(ex.Dropped, c.field())
				negated = &c
				continue
			}
			live = append(live, c)
		}
		if kind == FieldDate || kind == FieldTime {
			// "are you open on the 25th? I'd like the 28th": the day asked
			// about gives way to the day asked for.
			var told []candidate
			for _, c := range live {
				if !asked(c) {
					told = append(told, c)
				}
			}
			if len(told) > 0 && len(told) < len(live) {
				for _, c := range live {
					if asked(c) {
						ex.Dropped = append(ex.Dropped, c.field())
					}
				}
				live = told
			}
		}
		if len(live) == 0 {
			continue
		}
		pick := pickOne(kind, live, corrections)
		if pick < 0 {
			ex.Unsure = append(ex.Unsure, kind)
		} else {
			ex.Fields = append(ex.Fields, live[pick].field())
		}
		for i, c := range live {
			if i != pick {
				ex.Dropped = append(ex.Dropped, c.field())
			}
		}
	}
	return ex
}

func (c candidate) field() Field {
	return Field{Kind: c.kind, Value: c.value, Start: c.start, End: c.end}
}

// pickOne returns the index of the value of live that holds, or -1.
func pickOne(kind FieldKind, live []candidate, corrections []candidate) int {
	same := true
	for _, c := range live[1:] {
		same = same && c.value == live[0].value
	}
	if same {
		return 0
	}
	last := live[len(live)-1]
	for _, k := range corrections {
		if k.start >= live[0].end && k.end <= last.start {
			return len(live) - 1
		}
	}
	switch kind {
	case FieldDate:
		best, tie := 0, false
		for i, c := range live[1:] {
			switch {
			case c.rank < live[best].rank:
				best, tie = i+1, false
			case c.rank == live[best].rank && c.value != live[best].value:
				tie = true
			}
		}
		if !tie {
			return best
		}
	case FieldTime:
		exact := -1
		for i, c := range live {
			if !strings.Contains(c.value, "-") {
				if exact >= 0 && live[exact].value != c.value {
					return -1
				}
				exact = i
			}
		}
		if exact < 0 {
			return -1
		}
		for _, c := range live {
			if from, to, ok := strings.Cut(c.value, "-"); ok && (live[exact].value < from || live[exact].value > to) {
				return -1
			}
		}
		return exact
	case FieldEmail, FieldPhone, FieldName, FieldCode:
		return 0
	}
	return -1
}
