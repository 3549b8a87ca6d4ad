package guided

// Dates in free text.

import (
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/frontdeskhq/frontdesk"
)

// ---------------------------------------------------------------- dates

const monthPattern = `(january|february|march|april|may|june|july|august|september|october|november|december|jan|feb|mar|apr|jun|jul|aug|sept|sep|oct|nov|dec)`

var (
	reISODate   = regexp.MustCompile(`\b(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})\b`)
	reSlashDate = regexp.MustCompile(`\b(\d{1,2})/(\d{1,2})(?:/(\d{4}|\d{2}))?\b`)
	reMonthDay  = regexp.MustCompile(`(?i)\b` + monthPattern + `\b\.?\s*(\d{1,2})(?:st|nd|rd|th)?\b(?:,?\s*(20\d{2})\b)?`)
	reDayMonth  = regexp.MustCompile(`(?i)\b(\d{1,2})(?:st|nd|rd|th)?\s*(?:of\s+)?` + monthPattern + `\b\.?(?:,?\s*(20\d{2})\b)?`)
	reDashDate  = regexp.MustCompile(`\b\d{1,2}-\d{1,2}-(?:\d{4}|\d{2})\b`)
	reOrdinal   = regexp.MustCompile(`(?i)(?:\bon\s+(?:the\s+)?|\bthe\s+)(\d{1,2})(?:st|nd|rd|th)\b`)
	reNotDay    = regexp.MustCompile(`(?i)^\s*(one|option|choice|service|package|session|person|people|time|floor|fl|storey|story|level|grade|row|street|st|avenue|ave|birthday|anniversary|year)\b`)
	reRelative  = regexp.MustCompile(`(?i)\b(day after tomorrow|today|tonight|tomorrow|tmrw|tmr|tmw|2moro|2morrow|tom+or+o?w)\b`)
	// reWeekday is a weekday name; "a week on Friday" and the British
	// "Saturday week" are the one after the coming one.
	reWeekday = regexp.MustCompile(`(?i)\b(?:(next|this|coming|a week on|on)\s+)?(monday|tuesday|wednesday|thursday|friday|saturday|sunday|mon|tues|tue|wed|thurs|thur|thu|fri|sat|sun)\b(\s+week\b)?`)
	// reOffset is a day counted from today: "in 4 days", "2 weeks from
	// today", "a week from now". It is read before the weekday and the
	// "today" inside it.
	reOffset = regexp.MustCompile(`(?i)\b(?:in\s+(a|one|two|three|four|\d{1,2})\s+(days?|weeks?)\b(?:\s+(?:from\s+)?(?:today|now|time))?|(a|one|two|three|four|\d{1,2})\s+(days?|weeks?)\s+(?:from|after)\s+(?:today|now)\b)`)
	// reWeekAfterNext is the week after next: "Monday the week after
	// next", "the week after next, Monday".
	reWeekAfterNext = regexp.MustCompile(`(?i)\b(?:the\s+)?week\s+after\s+next\b`)
	// reThisDayPart is today named by its part: "this afternoon".
	reThisDayPart = regexp.MustCompile(`(?i)\b(this)\s+(?:morning|afternoon|evening|arvo)\b`)
)

var monthByName = map[string]time.Month{
	"jan": time.January, "feb": time.February, "mar": time.March, "apr": time.April,
	"may": time.May, "jun": time.June, "jul": time.July, "aug": time.August,
	"sep": time.September, "oct": time.October, "nov": time.November, "dec": time.December,
}

func monthOf(word string) time.Month {
	w := strings.ToLower(word)
	if len(w) > 3 {
		w = w[:3]
	}
	return monthByName[w]
}

// reDayContext, right after a guarded abbreviation, shows it is a day:
// a time, a date, a day part, or the end of a clause ("mini session wed
// 11am", "wed at 3", "portrait wed, ...").
var reDayContext = regexp.MustCompile(`(?i)^(?:\s*$|\s*[,;.!?)]|\s+(?:at\b|@|around\b|morning\b|afternoon\b|evening\b|noon\b|midday\b|lunch|first thing\b|week\b|half\s+\d|\d{1,2}(?:[:.]\d{2})?\s*(?:[ap]\.?m\b|o'?clock\b|$|,)|\d{1,2}(?:st|nd|rd|th)?\s+` + monthPattern + `\b|\d{1,2}(?:st|nd|rd|th)\b|\d{1,2}[:.]\d{2}\b))`)

var weekdayByName = map[string]time.Weekday{
	"sun": time.Sunday, "mon": time.Monday, "tue": time.Tuesday, "wed": time.Wednesday,
	"thu": time.Thursday, "fri": time.Friday, "sat": time.Saturday,
}

// guardedWeekdays are abbreviations that are also ordinary words ("wed like
// to book", "c'mon", "I sat"): they count as days only after on, this, next
// or coming, or as the whole message.
// reWeekdaySlip is a word that may be a misspelt weekday ("teusday",
// "wednseday", "firday"), after "on", "next", "this" or "coming", or before
// a time; reTimeAfter is that time.
var (
	reWeekdaySlip = regexp.MustCompile(`(?i)\b(?:(on|next|this|coming)\s+)?([a-z]{5,10})\b`)
	reTimeAfter   = regexp.MustCompile(`(?i)^\s+(?:at\b|@|around\b|\d{1,2}(?:[:.]\d{2})?\s*[ap]\.?m\b)`)
)

// weekdayNames are the full weekday names, for slips.
var weekdayNames = []string{"sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"}

// weekdaySlip reads a weekday name with one letter wrong, missing, added
// or two neighbours swapped ("teusday", "firday", "wensday" is two: not
// read), only when exactly one weekday is that close ("tursday" could be
// Tuesday or Thursday: not read) and the word is not a weekday already.
func weekdaySlip(word string) (time.Weekday, bool) {
	found, n := time.Sunday, 0
	for i, name := range weekdayNames {
		if word == name || strings.HasPrefix(word, name) {
			return 0, false
		}
		if editDistance(word, name) == 1 {
			found, n = time.Weekday(i), n+1
		}
	}
	return found, n == 1 && !notWeekdays[word]
}

// notWeekdays are words one slip from a weekday.
var notWeekdays = map[string]bool{"sundae": true, "sundaes": true, "munday": true}

var guardedWeekdays = map[string]bool{"mon": true, "wed": true, "sat": true, "sun": true}

// validDate returns the date y-m-d and whether it exists (no 30 February).
func validDate(y int, m time.Month, d int) (frontdesk.Date, bool) {
	if y < 1 || y > 9999 || m < 1 || m > 12 || d < 1 || d > 31 {
		return frontdesk.Date{}, false
	}
	t := time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
	if t.Day() != d || t.Month() != m {
		return frontdesk.Date{}, false
	}
	return frontdesk.Date{Year: y, Month: m, Day: d}, true
}

// nextOccurrence returns the first m-d on or after today. A day that exists
// only in leap years (29 February) is found within the next eight years.
func nextOccurrence(today frontdesk.Date, m time.Month, d int) (frontdesk.Date, bool) {
	for y := today.Year; y <= today.Year+8; y++ {
		if c, ok := validDate(y, m, d); ok && !c.Before(today) {
			return c, true
		}
	}
	return frontdesk.Date{}, false
}

// resolveDate returns the date m-d of year y, or, when y is -1 (no year
// written), its next occurrence on or after today. A day that exists in no
// year (30 February) is not ok.
func resolveDate(y int, m time.Month, d int, today frontdesk.Date) (frontdesk.Date, bool) {
	if y != -1 {
		return validDate(y, m, d)
	}
	if _, ok := validDate(2000, m, d); !ok { // 2000 is a leap year
		return frontdesk.Date{}, false
	}
	return nextOccurrence(today, m, d)
}

// nextDayOfMonth returns the first date on or after today whose day of the
// month is d ("on the 15th").
func nextDayOfMonth(today frontdesk.Date, d int) (frontdesk.Date, bool) {
	for i := 0; i <= 12; i++ {
		t := time.Date(today.Year, today.Month+time.Month(i), 1, 0, 0, 0, 0, time.UTC)
		if c, ok := validDate(t.Year(), t.Month(), d); ok && !c.Before(today) {
			return c, true
		}
	}
	return frontdesk.Date{}, false
}

// isoWeekday numbers Monday 0 to Sunday 6.
func isoWeekday(w time.Weekday) int { return (int(w) + 6) % 7 }

// comingWeekday returns the first day after today (today excluded) that
// falls on w.
func comingWeekday(today frontdesk.Date, w time.Weekday) frontdesk.Date {
	n := (int(w) - int(today.Weekday()) + 7) % 7
	if n == 0 {
		n = 7
	}
	return today.AddDays(n)
}

// nextWeekWeekday returns w in the calendar week after today's, weeks
// starting on Monday ("next Friday").
func nextWeekWeekday(today frontdesk.Date, w time.Weekday) frontdesk.Date {
	nextMonday := today.AddDays(7 - isoWeekday(today.Weekday()))
	return nextMonday.AddDays(isoWeekday(w))
}

func atoi(s string) int {
	n, err := strconv.Atoi(s)
	if err != nil {
		return -1
	}
	return n
}

// dateMatch is one date found in a text.
type dateMatch struct {
	start, end int
	kind       int // dateCalendar, dateOrdinal or dateRelative
	date       frontdesk.Date
	ok         bool // false: the text names an impossible date
}

// Kinds of dateMatch, strongest first.
const (
	dateCalendar = iota // with a month: Dec 15, 12/15, 2026-12-15
	dateOrdinal         // the 15th
	dateRelative        // tomorrow, Friday
)

// calendarDates finds dates written with a month (numerically or by name),
// with or without a year. dayFirst reads 5/12 as 5 December rather than
// May 12 (see dayFirstZone).
func calendarDates(s string, today frontdesk.Date, dayFirst bool) []dateMatch {
	var out []dateMatch
	for _, m := range reISODate.FindAllStringSubmatchIndex(s, -1) {
		d, ok := validDate(atoi(s[m[2]:m[3]]), time.Month(atoi(s[m[4]:m[5]])), atoi(s[m[6]:m[7]]))
		out = append(out, dateMatch{m[0], m[1], dateCalendar, d, ok})
	}
	for _, m := range reSlashDate.FindAllStringSubmatchIndex(s, -1) {
		if m[0] > 0 && strings.IndexByte("/-.:", s[m[0]-1]) >= 0 {
			continue // part of 2026/12/15, a decimal or a time
		}
		if m[1] < len(s) && s[m[1]] == '/' {
			continue
		}
		mo, day := atoi(s[m[2]:m[3]]), atoi(s[m[4]:m[5]])
		if dayFirst {
			mo, day = day, mo
		}
		if mo > 12 && day <= 12 {
			mo, day = day, mo // 15/12 can only be day/month
		}
		y := -1
		if m[6] >= 0 {
			y = atoi(s[m[6]:m[7]])
			if y < 100 {
				y += 2000
			}
		}
		d, ok := resolveDate(y, time.Month(mo), day, today)
		out = append(out, dateMatch{m[0], m[1], dateCalendar, d, ok})
	}
	named := func(m []int, monthAt, dayAt, yearAt int) {
		mo := monthOf(s[m[monthAt]:m[monthAt+1]])
		day := atoi(s[m[dayAt]:m[dayAt+1]])
		y := -1
		if m[yearAt] >= 0 {
			y = atoi(s[m[yearAt]:m[yearAt+1]])
		}
		d, ok := resolveDate(y, mo, day, today)
		out = append(out, dateMatch{m[0], m[1], dateCalendar, d, ok})
	}
	for _, m := range reMonthDay.FindAllStringSubmatchIndex(s, -1) {
		if m[1] < len(s) && s[m[1]] == ':' {
			continue // "Dec 15:00" is a time after a month name
		}
		named(m, 2, 4, 6)
	}
	for _, m := range reDayMonth.FindAllStringSubmatchIndex(s, -1) {
		if m[0] > 0 && strings.IndexByte(":/.", s[m[0]-1]) >= 0 {
			continue
		}
		named(m, 4, 2, 6)
	}
	return out
}

// reBareOrdinal is a day of the month without "the" ("15th"); it counts
// only where a date fits: after a weekday, or before a time, a comma or
// the end ("Thursday 17th", "15th at 2", "11am 15th,"), never "21st
// birthday".
var (
	reBareOrdinal  = regexp.MustCompile(`(?i)\b(\d{1,2})(?:st|nd|rd|th)\b`)
	reOrdinalAfter = regexp.MustCompile(`(?i)^(?:\s*$|\s*[,;.!?)]|\s+(?:at\b|@|around\b|in the\b|morning\b|afternoon\b|evening\b|noon\b|\d))`)
	reWeekdayEnd   = regexp.MustCompile(`(?i)\b(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|mon|tues|tue|wed|thurs|thur|thu|fri|sat|sun)\.?,?\s+$`)
)

// ordinalDates finds "on the 15th" or "the 15th": the next such day of a month.
func ordinalDates(s string, today frontdesk.Date) []dateMatch {
	var out []dateMatch
	ms := reOrdinal.FindAllStringSubmatchIndex(s, -1)
	for _, m := range reBareOrdinal.FindAllStringSubmatchIndex(s, -1) {
		if m[0] > 0 && strings.IndexByte("/-.:$", s[m[0]-1]) >= 0 {
			continue
		}
		if !reWeekdayEnd.MatchString(s[:m[0]]) && !reOrdinalAfter.MatchString(s[m[1]:]) {
			continue
		}
		inside := false
		for _, o := range ms {
			inside = inside || m[0] >= o[0] && m[1] <= o[1]
		}
		if !inside {
			ms = append(ms, m)
		}
	}
	for _, m := range ms {
		if reNotDay.MatchString(s[m[1]:]) {
			continue // "the 2nd one" picks from a list
		}
		d, ok := nextDayOfMonth(today, atoi(s[m[2]:m[3]]))
		out = append(out, dateMatch{m[0], m[1], dateOrdinal, d, ok})
	}
	return out
}

// offsetCount reads the count of an offset: "a", "two", "14".
func offsetCount(w string) int {
	switch strings.ToLower(w) {
	case "a", "one":
		return 1
	case "two":
		return 2
	case "three":
		return 3
	case "four":
		return 4
	}
	return atoi(w)
}

// offsetDates finds days counted from today ("in 4 days", "2 weeks from
// today") and masks them in s, so that their number is no time and their
// "today" no date.
func offsetDates(s string, today frontdesk.Date) ([]dateMatch, string) {
	var out []dateMatch
	for _, m := range reOffset.FindAllStringSubmatchIndex(s, -1) {
		n, unit := 0, ""
		if m[2] >= 0 {
			n, unit = offsetCount(s[m[2]:m[3]]), s[m[4]:m[5]]
		} else {
			n, unit = offsetCount(s[m[6]:m[7]]), s[m[8]:m[9]]
		}
		if strings.HasPrefix(strings.ToLower(unit), "week") {
			n *= 7
		}
		out = append(out, dateMatch{m[0], m[1], dateRelative, today.AddDays(n), n > 0 && n <= 366})
	}
	return out, mask(s, spansOfMatches(out))
}

func spansOfMatches(ms []dateMatch) [][]int {
	var spans [][]int
	for _, m := range ms {
		spans = append(spans, []int{m.start, m.end})
	}
	return spans
}

// relativeDates finds today, tomorrow, days counted from today and weekday
// names; a weekday beside "the week after next" is in that week.
func relativeDates(s string, today frontdesk.Date) []dateMatch {
	out, s := offsetDates(s, today)
	afterNext := reWeekAfterNext.FindStringIndex(s)
	if afterNext != nil {
		s = mask(s, [][]int{afterNext})
	}
	for _, m := range reRelative.FindAllStringSubmatchIndex(s, -1) {
		d := today
		switch strings.ToLower(s[m[2]:m[3]]) {
		case "day after tomorrow":
			d = today.AddDays(2)
		case "today", "tonight":
		default: // tomorrow and its spellings
			d = today.AddDays(1)
		}
		out = append(out, dateMatch{m[0], m[1], dateRelative, d, true})
	}
	whole := strings.ToLower(strings.Trim(s, " \t\r\n.,!?"))
	for _, m := range reWeekday.FindAllStringSubmatchIndex(s, -1) {
		word := strings.ToLower(s[m[4]:m[5]])
		prefix := ""
		if m[2] >= 0 {
			prefix = strings.ToLower(s[m[2]:m[3]])
		}
		if guardedWeekdays[word] && prefix == "" && whole != word && (!reDayContext.MatchString(s[m[1]:]) || m[0] > 0 && s[m[0]-1] == '\'') {
			continue
		}
		w := weekdayByName[word[:3]]
		d := comingWeekday(today, w)
		if prefix == "next" {
			d = nextWeekWeekday(today, w)
		}
		if prefix == "a week on" || m[6] >= 0 {
			d = comingWeekday(today, w).AddDays(7)
		}
		if afterNext != nil && (prefix == "" || prefix == "on") {
			d = nextWeekWeekday(today, w).AddDays(7)
		}
		out = append(out, dateMatch{m[0], m[1], dateRelative, d, true})
	}
	for _, m := range reWeekdaySlip.FindAllStringSubmatchIndex(s, -1) {
		word := strings.ToLower(s[m[4]:m[5]])
		if m[2] < 0 && !reTimeAfter.MatchString(s[m[1]:]) {
			continue // a slip is read only where a day is expected
		}
		w, ok := weekdaySlip(word)
		if !ok {
			continue
		}
		d := comingWeekday(today, w)
		if m[2] >= 0 && strings.ToLower(s[m[2]:m[3]]) == "next" {
			d = nextWeekWeekday(today, w)
		}
		if afterNext != nil {
			continue // "the week after next" with a misspelt day: ask
		}
		out = append(out, dateMatch{m[0], m[1], dateRelative, d, true})
	}
	for _, m := range reThisDayPart.FindAllStringSubmatchIndex(s, -1) {
		// Only "this" is the date: the day part is the time's window.
		out = append(out, dateMatch{m[2], m[3], dateRelative, today, true})
	}
	return out
}

// earliest returns the match that starts first; if that text names an
// impossible date, the result is not ok.
func earliest(ms []dateMatch) (frontdesk.Date, bool) {
	best := -1
	for i, m := range ms {
		if best < 0 || m.start < ms[best].start {
			best = i
		}
	}
	if best < 0 || !ms[best].ok {
		return frontdesk.Date{}, false
	}
	return ms[best].date, true
}

// ParseDate finds the date a customer means in free text, relative to today
// (the tenant's local date). It understands, in this order of precedence:
//
//  1. calendar dates: 2026-12-15, 12/15 and 12/15/2026 (month/day; 15/12 is
//     read as day/month because no month 15 exists), Dec 15, December 15th,
//     15 Dec, 15th of December, each with an optional year;
//  2. a day of the month: "on the 15th", "the 15th";
//  3. today, tonight, tomorrow, the day after tomorrow, and weekday names.
//
// Within the first kind found, the earliest in the text wins. A calendar
// date without a year is its next occurrence: today or later this year,
// otherwise next year. "Friday" and "this Friday" mean the coming Friday,
// today excluded; "next Friday" means the Friday of next week, weeks
// starting on Monday (on Thursday 10 December "Friday" is the 11th and
// "next Friday" the 18th; on Saturday the 12th both are the 18th). An
// impossible date (February 30) yields false, as does text with no date.
// A date given with an explicit year may lie in the past.
func ParseDate(text string, today frontdesk.Date) (frontdesk.Date, bool) {
	return parseDate(text, today, false)
}

// parseDate is ParseDate reading 5/12 as 5 December when dayFirst (see
// dayFirstZone).
func parseDate(text string, today frontdesk.Date, dayFirst bool) (frontdesk.Date, bool) {
	return strongest(dateMatches(maskEmails(normalize(text)), today, dayFirst))
}

// dateMatches finds every date written in s, in text order.
func dateMatches(s string, today frontdesk.Date, dayFirst bool) []dateMatch {
	ms := calendarDates(s, today, dayFirst)
	ms = append(ms, ordinalDates(s, today)...)
	ms = append(ms, relativeDates(s, today)...)
	sort.SliceStable(ms, func(i, j int) bool { return ms[i].start < ms[j].start })
	return ms
}

// strongest applies ParseDate's precedence: the earliest match of the
// strongest kind present.
func strongest(ms []dateMatch) (frontdesk.Date, bool) {
	for kind := dateCalendar; kind <= dateRelative; kind++ {
		var of []dateMatch
		for _, m := range ms {
			if m.kind == kind {
				of = append(of, m)
			}
		}
		if len(of) > 0 {
			return earliest(of)
		}
	}
	return frontdesk.Date{}, false
}

// dayFirstZone reports whether numeric dates are written day first (5/12 is
// 5 December) where the business is. The tenant's IANA zone is the best
// hint of its country Frontdesk has: the United States (and the few places
// that share its month-first habit, the Philippines and some Pacific
// islands) write month first; nearly everywhere else writes day first.
// Canada is mixed; its zones are read month first, like its neighbour's
// forms. An unknown zone is read month first, as before. Whatever the
// zone, a first number above 12 can only be a day (15/12).
func dayFirstZone(zone string) bool {
	switch {
	case zone == "" || zone == "UTC" || zone == "Etc/UTC":
		return false
	case strings.HasPrefix(zone, "US/"), strings.HasPrefix(zone, "Canada/"), strings.HasPrefix(zone, "America/"):
		return !monthFirstAmericas[strings.TrimPrefix(zone, "America/")] &&
			strings.HasPrefix(zone, "America/")
	case zone == "Pacific/Honolulu", zone == "Pacific/Guam", zone == "Pacific/Saipan", zone == "Pacific/Pago_Pago",
		zone == "Asia/Manila", zone == "Pacific/Majuro", zone == "Pacific/Palau":
		return false
	}
	return true
}

// monthFirstAmericas are the zones of the Americas, under America/, of the
// United States and Canada; the rest of the Americas write day first.
var monthFirstAmericas = wordSet(`New_York Chicago Denver Los_Angeles Phoenix Anchorage Juneau Sitka Yakutat Nome
	Metlakatla Adak Boise Detroit Menominee Indiana/Indianapolis Indiana/Knox Indiana/Marengo Indiana/Petersburg
	Indiana/Tell_City Indiana/Vevay Indiana/Vincennes Indiana/Winamac Kentucky/Louisville Kentucky/Monticello
	North_Dakota/Beulah North_Dakota/Center North_Dakota/New_Salem Puerto_Rico
	Toronto Vancouver Edmonton Winnipeg Halifax St_Johns Regina Moncton Glace_Bay Goose_Bay Whitehorse Dawson
	Dawson_Creek Fort_Nelson Creston Iqaluit Rankin_Inlet Resolute Cambridge_Bay Inuvik Swift_Current Atikokan Blanc-Sablon`)

// dateSpans returns where calendar dates are written in s, valid or not, so
// that the phone parser does not read them as numbers.
func dateSpans(s string) [][]int {
	return spansOf(s, reISODate, reSlashDate, reMonthDay, reDayMonth, reDashDate)
}
