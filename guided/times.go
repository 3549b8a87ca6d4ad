package guided

// Times of day in free text.

import (
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"
)

// ---------------------------------------------------------------- times

var (
	reTimeAmPm   = regexp.MustCompile(`(?i)\b(\d{1,2})(?:[:.](\d{2}))?\s*([ap])\.?\s?m\b\.?`)
	reTime24     = regexp.MustCompile(`\b(\d{1,2}):(\d{2})\b`)
	reTimeDot    = regexp.MustCompile(`\b(\d{1,2})\.(\d{2})\b`)
	reTimeAt     = regexp.MustCompile(`(?i)(?:\b(?:at|around|about|approx|approximately|say)\s+|@\s*)(\d{1,2})(?:[:.](\d{2}))?\b`)
	reTimeOclock = regexp.MustCompile(`(?i)\b(\d{1,2})\s*o'?\s*clock\b`)
	reTimeWord   = regexp.MustCompile(`(?i)\b(noon|midday|midnight)\b`)
	// reTimeSpoken is a time said in words: "half past 2", "quarter to 11".
	reTimeSpoken = regexp.MustCompile(`(?i)\b(half|quarter|(\d{1,2})\s*(?:minutes?|mins?)?)\s+(past|after|to|till|before)\s+(\d{1,2}|` + hourWords + `)\b`)
	// reTimeHalf is the British "half 3" (3:30) and "half eleven": half
	// followed at once by an hour can be nothing else.
	reTimeHalf = regexp.MustCompile(`(?i)\bhalf\s+(\d{1,2}|` + hourWords + `)\b`)
	// reTimeSpelt is an hour in words with its minutes in words: "two
	// thirty", "eleven fifteen", "four o'clock".
	reTimeSpelt = regexp.MustCompile(`(?i)\b(` + hourWords + `)(?:\s+(fifteen|thirty|forty[- ]?five)|\s*o'?\s*clock)\b`)
	// reTimeLead is a bare hour after words that only a time follows:
	// "make it 11", "can we do 3 instead", "3ish".
	// A correction's opening words count as such words: "no wait 11".
	reTimeLead = regexp.MustCompile(`(?i)(?:\b(?:make it|do|how about|what about|try|switch to|move it to|change (?:it|that|the time) to|wait|actually|rather)[,:]?\s+)(\d{1,2})(?:[:.](\d{2}))?\b`)
	// reTimeTrail is a bare hour before words that take a time: "3ish",
	// "11 would be lovely", "10 please".
	reTimeTrail = regexp.MustCompile(`(?i)\b(\d{1,2})(?:[:.](\d{2}))?(?:\s*ish\b|\s+(?:instead|is better|works better|would be better|would work|works|please|pls|would be (?:lovely|great|perfect|good|ideal|best)|is (?:fine|good|great|perfect|best)|suits(?: me)?)\b)`)
	// reTimeOr is a second hour offered after a time: "at 10 or 11".
	reTimeOr    = regexp.MustCompile(`(?i)^\s*(?:or|and)\s+(\d{1,2})(?:[:.](\d{2}))?\b`)
	reDayPart   = regexp.MustCompile(`(?i)\b(morning|afternoon|evening|lunch ?time|after work)\b`)
	reNotAtTime = regexp.MustCompile(`(?i)^(?:-\s*\d|\s*(?:[/%$]|\d|(?:st|nd|rd|th)\b|[ap]\.?\s?m\b|` + monthPattern + `\b|(?:people|persons|guests|hours?|hrs?|minutes?|mins?|days?|weeks?|months?|years?|dollars?|euros?|pounds?)\b))`)
	// reRangeBefore, just before a time, makes it a bound: "after 2pm".
	reAfterTime  = regexp.MustCompile(`(?i)\b(after|from|later than|no earlier than|not before)\s*$`)
	reBeforeTime = regexp.MustCompile(`(?i)\b(before|by|until|till|earlier than|no later than|not after)\s*$`)
)

// hourWords are the hours in words, for the spoken forms.
const hourWords = `one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve`

// hourDigits writes an hour given in words in digits; digits are kept.
func hourDigits(w string) string {
	for i, h := range strings.Split(hourWords, "|") {
		if strings.EqualFold(w, h) {
			return strconv.Itoa(i + 1)
		}
	}
	return w
}

// bareHour turns an hour written without am/pm into a 24-hour hour: 1 to 7
// without a leading zero mean the afternoon (appointments are rarely at
// 3 am), everything else is taken as written.
func bareHour(h string) int {
	n := atoi(h)
	if len(h) == 1 && n >= 1 && n <= 7 {
		return n + 12
	}
	return n
}

// reTimeRange is a range of starts: "between 2 and 4pm", "from 1 to 3 pm".
var reTimeRange = regexp.MustCompile(`(?i)\b(?:between|from)\s+(\d{1,2}(?::\d{2})?)\s*(?:[ap]\.?m\.?)?\s+(?:and|to|-)\s+(\d{1,2}(?::\d{2})?\s*([ap]\.?m)\b)`)

// timeMatch is a time of day found in a text: an exact time (minutes) or,
// for "after 2pm", "before noon" or "in the afternoon", a window of
// acceptable starts [from, to) with minutes -1.
type timeMatch struct {
	start, end int
	prio       int
	minutes    int
	from, to   int
}

// exact reports whether the match names one time rather than a window.
func (m timeMatch) exact() bool { return m.minutes >= 0 }

// timeMatches finds the times written in s, in text order. Where patterns
// overlap the longest match wins ("at 11:30am" is 11:30, never "at 11").
func timeMatches(s string) []timeMatch {
	var ms []timeMatch
	add := func(start, end, prio, h, m int) {
		if h >= 0 && h <= 23 && m >= 0 && m <= 59 {
			ms = append(ms, timeMatch{start: start, end: end, prio: prio, minutes: h*60 + m})
		}
	}
	for _, m := range reTimeRange.FindAllStringSubmatchIndex(s, -1) {
		// "between 2 and 4pm" is a window: neither end is chosen.
		to, ok := ParseTime("at " + s[m[4]:m[1]])
		if !ok {
			continue
		}
		from, ok := ParseTime("at " + s[m[2]:m[3]] + s[m[6]:m[7]])
		if !ok || from >= to {
			if from, ok = ParseTime("at " + s[m[2]:m[3]]); !ok || from >= to {
				continue
			}
		}
		ms = append(ms, timeMatch{start: m[0], end: m[1], minutes: -1, from: from, to: to + 1})
		s = mask(s, [][]int{{m[0], m[1]}})
	}
	for _, m := range reTimeAmPm.FindAllStringSubmatchIndex(s, -1) {
		if m[0] > 0 && strings.IndexByte("/:.-$", s[m[0]-1]) >= 0 {
			continue
		}
		h, mi := atoi(s[m[2]:m[3]]), 0
		if m[4] >= 0 {
			mi = atoi(s[m[4]:m[5]])
		}
		if h < 1 || h > 12 {
			continue
		}
		h %= 12
		if s[m[6]] == 'p' || s[m[6]] == 'P' {
			h += 12
		}
		add(m[0], m[1], 0, h, mi)
	}
	for _, m := range reTime24.FindAllStringSubmatchIndex(s, -1) {
		if m[0] > 0 && strings.IndexByte(":/.-$", s[m[0]-1]) >= 0 || m[1] < len(s) && strings.IndexByte(":/", s[m[1]]) >= 0 {
			continue
		}
		add(m[0], m[1], 1, bareHour(s[m[2]:m[3]]), atoi(s[m[4]:m[5]]))
	}
	for _, m := range reTimeDot.FindAllStringSubmatchIndex(s, -1) {
		// "10.30" is a time; "$10.30", "10.30%", "1.12.2026" are not.
		if m[0] > 0 && strings.IndexByte(":/.-$€£", s[m[0]-1]) >= 0 || m[1] < len(s) && strings.IndexByte(".%/-", s[m[1]]) >= 0 {
			continue
		}
		if r := reNotAtTime.FindString(s[m[1]:]); r != "" && !strings.ContainsAny(strings.ToLower(r), "ap") {
			continue // "2.50 dollars"
		}
		add(m[0], m[1], 1, bareHour(s[m[2]:m[3]]), atoi(s[m[4]:m[5]]))
	}
	for _, m := range reTimeAt.FindAllStringSubmatchIndex(s, -1) {
		if reNotAtTime.MatchString(s[m[1]:]) {
			continue
		}
		mi := 0
		if m[4] >= 0 {
			mi = atoi(s[m[4]:m[5]])
		}
		add(m[0], m[1], 2, bareHour(s[m[2]:m[3]]), mi)
	}
	for _, re := range []*regexp.Regexp{reTimeLead, reTimeTrail} {
		for _, m := range re.FindAllStringSubmatchIndex(s, -1) {
			if m[2] > 0 && strings.IndexByte("/:.-$", s[m[2]-1]) >= 0 || m[4] < 0 && reNotAtTime.MatchString(s[m[3]:]) {
				continue
			}
			mi := 0
			if m[4] >= 0 {
				mi = atoi(s[m[4]:m[5]])
			}
			// Only the number is the time, so "to 3:30pm" is read whole.
			add(m[2], m[1], 2, bareHour(s[m[2]:m[3]]), mi)
		}
	}
	for _, m := range reTimeSpoken.FindAllStringSubmatchIndex(s, -1) {
		h := bareHour(hourDigits(s[m[8]:m[9]]))
		var mi int
		switch w := strings.ToLower(s[m[2]:m[3]]); {
		case w == "half":
			mi = 30
		case w == "quarter":
			mi = 15
		default:
			mi = atoi(s[m[4]:m[5]])
		}
		if mi < 1 || mi > 59 {
			continue
		}
		if d := strings.ToLower(s[m[6]:m[7]]); d == "to" || d == "till" || d == "before" {
			h, mi = h-1, 60-mi
		}
		add(m[0], m[1], 0, h, mi)
	}
	for _, m := range reTimeHalf.FindAllStringSubmatchIndex(s, -1) {
		if !reNotAtTime.MatchString(s[m[1]:]) {
			add(m[0], m[1], 0, bareHour(hourDigits(s[m[2]:m[3]])), 30)
		}
	}
	for _, m := range reTimeSpelt.FindAllStringSubmatchIndex(s, -1) {
		if reNotAtTime.MatchString(s[m[1]:]) {
			continue
		}
		mi := 0
		switch w := strings.ToLower(s[m[1]-4 : m[1]]); {
		case m[4] < 0:
		case w == "teen":
			mi = 15
		case w == "irty":
			mi = 30
		default:
			mi = 45
		}
		add(m[0], m[1], 1, bareHour(hourDigits(s[m[2]:m[3]])), mi)
	}
	for _, m := range reTimeOclock.FindAllStringSubmatchIndex(s, -1) {
		add(m[0], m[1], 3, bareHour(s[m[2]:m[3]]), 0)
	}
	for _, m := range reTimeWord.FindAllStringSubmatchIndex(s, -1) {
		h := 12
		if strings.EqualFold(s[m[2]:m[3]], "midnight") {
			h = 0
		}
		add(m[0], m[1], 4, h, 0)
	}
	// Longest first, then by pattern; keep what does not overlap.
	sort.SliceStable(ms, func(i, j int) bool {
		li, lj := ms[i].end-ms[i].start, ms[j].end-ms[j].start
		if li != lj {
			return li > lj
		}
		return ms[i].prio < ms[j].prio
	})
	var kept []timeMatch
	for _, m := range ms {
		if !overlapsAny(m.start, m.end, kept) {
			kept = append(kept, m)
		}
	}
	// A second hour offered after an exact one ("at 10 or 11") is a time
	// too, so the two are seen and neither is guessed.
	for _, m := range kept {
		if or := reTimeOr.FindStringSubmatchIndex(s[m.end:]); or != nil && !reNotAtTime.MatchString(s[m.end+or[3]:]) {
			mi := 0
			if or[4] >= 0 {
				mi = atoi(s[m.end+or[4] : m.end+or[5]])
			}
			h := bareHour(s[m.end+or[2] : m.end+or[3]])
			if m.minutes >= 12*60 && h < 12 {
				h += 12 // "3pm or 4": the same half of the day
			}
			if h >= 0 && h <= 23 && mi >= 0 && mi <= 59 && !overlapsAny(m.end+or[0], m.end+or[1], kept) {
				kept = append(kept, timeMatch{start: m.end + or[2], end: m.end + or[1], prio: 2, minutes: h*60 + mi})
			}
		}
	}
	// A bound word before a time makes it a window.
	for i, m := range kept {
		before := s[:m.start]
		if len(before) > 30 {
			before = before[len(before)-30:]
		}
		switch {
		case reAfterTime.MatchString(before):
			kept[i].from, kept[i].to, kept[i].minutes = m.minutes, 24*60, -1 // "after 2pm" includes 2:00, as visitors mean it
			kept[i].start -= len(reAfterTime.FindString(before))
		case reBeforeTime.MatchString(before):
			kept[i].from, kept[i].to, kept[i].minutes = 0, m.minutes, -1
			kept[i].start -= len(reBeforeTime.FindString(before))
		}
	}
	for _, m := range reDayPart.FindAllStringSubmatchIndex(s, -1) {
		if m[0] >= 5 && strings.EqualFold(s[m[0]-5:m[0]], "good ") || overlapsAny(m[0], m[1], kept) {
			continue // "good morning" greets
		}
		w := timeMatch{start: m[0], end: m[1], prio: 5, minutes: -1}
		switch strings.ToLower(s[m[2]:m[3]])[0] {
		case 'm':
			w.from, w.to = 0, 12*60
		case 'a':
			w.from, w.to = 12*60, 17*60
			if strings.EqualFold(s[m[2]:m[3]], "after work") {
				w.from, w.to = 17*60, 24*60
			}
		case 'e':
			w.from, w.to = 17*60, 24*60
		case 'l':
			w.from, w.to = 11*60+30, 14*60
		}
		kept = append(kept, w)
	}
	sort.SliceStable(kept, func(i, j int) bool { return kept[i].start < kept[j].start })
	return kept
}

func overlapsAny(start, end int, ms []timeMatch) bool {
	for _, k := range ms {
		if start < k.end && k.start < end {
			return true
		}
	}
	return false
}

// ParseTime finds a time of day in free text and returns it in minutes after
// midnight. It understands 3pm, 3 pm, 3:30pm, 3:30 p.m., 15:00, 10.30,
// "at 9", "at 3:30", 3 o'clock, noon and midnight; the earliest in the text
// wins. Without am/pm an hour from 1 to 7 written without a leading zero is
// read as afternoon ("at 3" is 15:00, "03:30" is 3:30 am) and any other
// hour as written. Dates (12/15, 2026-12-15), phone numbers, counts ("at 2
// people"), email addresses and windows ("after 2pm", "in the afternoon")
// are not times.
func ParseTime(text string) (minutes int, ok bool) {
	for _, m := range timeMatches(maskEmails(normalize(text))) {
		if m.exact() {
			return m.minutes, true
		}
	}
	return 0, false
}

// timeSpans returns where times are written in s.
func timeSpans(s string) [][]int {
	return spansOf(s, reTimeAmPm, reTime24, reTimeAt, reTimeOclock)
}

// formatClock formats minutes after midnight as "3:00 PM".
func formatClock(minutes int) string {
	return time.Date(2000, 1, 1, minutes/60, minutes%60, 0, 0, time.UTC).Format("3:04 PM")
}
