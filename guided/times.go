package guided

// Times of day in free text.

import (
	"regexp"
	"strings"
	"time"
)

// ---------------------------------------------------------------- times

var (
	reTimeAmPm   = regexp.MustCompile(`(?i)\b(\d{1,2})(?:[:.](\d{2}))?\s*([ap])\.?\s?m\b\.?`)
	reTime24     = regexp.MustCompile(`\b(\d{1,2}):(\d{2})\b`)
	reTimeAt     = regexp.MustCompile(`(?i)(?:\b(?:at|around|about)\s+|@\s*)(\d{1,2})(?:[:.](\d{2}))?\b`)
	reTimeOclock = regexp.MustCompile(`(?i)\b(\d{1,2})\s*o'?\s*clock\b`)
	reTimeWord   = regexp.MustCompile(`(?i)\b(noon|midday|midnight)\b`)
	reNotAtTime  = regexp.MustCompile(`(?i)^\s*(?:[/\-%$]|\d|(?:st|nd|rd|th)\b|[ap]\.?\s?m\b|` + monthPattern + `\b|(?:people|persons|guests|hours?|hrs?|minutes?|mins?|days?|weeks?|months?|years?|dollars?|euros?|pounds?)\b)`)
)

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

type timeMatch struct {
	start, prio, minutes int
}

// ParseTime finds a time of day in free text and returns it in minutes after
// midnight. It understands 3pm, 3 pm, 3:30pm, 3:30 p.m., 15:00, "at 9",
// "at 3:30", 3 o'clock, noon and midnight; the earliest in the text wins.
// Without am/pm an hour from 1 to 7 written without a leading zero is read
// as afternoon ("at 3" is 15:00, "03:30" is 3:30 am) and any other hour as
// written. Dates (12/15, 2026-12-15), phone numbers, counts ("at 2 people")
// and email addresses are not times.
func ParseTime(text string) (minutes int, ok bool) {
	s := maskEmails(normalize(text))
	var ms []timeMatch
	add := func(start, prio, h, m int) {
		if h >= 0 && h <= 23 && m >= 0 && m <= 59 {
			ms = append(ms, timeMatch{start, prio, h*60 + m})
		}
	}
	for _, m := range reTimeAmPm.FindAllStringSubmatchIndex(s, -1) {
		if m[0] > 0 && strings.IndexByte("/:.-", s[m[0]-1]) >= 0 {
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
		add(m[0], 0, h, mi)
	}
	for _, m := range reTime24.FindAllStringSubmatchIndex(s, -1) {
		if m[0] > 0 && strings.IndexByte(":/.-", s[m[0]-1]) >= 0 {
			continue
		}
		add(m[0], 1, bareHour(s[m[2]:m[3]]), atoi(s[m[4]:m[5]]))
	}
	for _, m := range reTimeAt.FindAllStringSubmatchIndex(s, -1) {
		if reNotAtTime.MatchString(s[m[1]:]) {
			continue
		}
		mi := 0
		if m[4] >= 0 {
			mi = atoi(s[m[4]:m[5]])
		}
		add(m[0], 2, bareHour(s[m[2]:m[3]]), mi)
	}
	for _, m := range reTimeOclock.FindAllStringSubmatchIndex(s, -1) {
		add(m[0], 3, bareHour(s[m[2]:m[3]]), 0)
	}
	for _, m := range reTimeWord.FindAllStringSubmatchIndex(s, -1) {
		h := 12
		if strings.EqualFold(s[m[2]:m[3]], "midnight") {
			h = 0
		}
		add(m[0], 4, h, 0)
	}
	if len(ms) == 0 {
		return 0, false
	}
	best := ms[0]
	for _, m := range ms[1:] {
		if m.start < best.start || m.start == best.start && m.prio < best.prio {
			best = m
		}
	}
	return best.minutes, true
}

// timeSpans returns where times are written in s.
func timeSpans(s string) [][]int {
	return spansOf(s, reTimeAmPm, reTime24, reTimeAt, reTimeOclock)
}

// formatClock formats minutes after midnight as "3:00 PM".
func formatClock(minutes int) string {
	return time.Date(2000, 1, 1, minutes/60, minutes%60, 0, 0, time.UTC).Format("3:04 PM")
}
