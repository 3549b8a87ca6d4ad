package guided

import (
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/frontdeskhq/frontdesk"
)

// maxTextLen bounds the text a parser looks at. Chat messages are limited to
// 2000 characters upstream; the bound keeps a parser's work small whatever
// it is given.
const maxTextLen = 4000

// normalize makes text safe and uniform for the parsers: valid UTF-8, at most
// maxTextLen bytes, typographic quotes and non-breaking spaces replaced by
// their ASCII forms. Every parser indexes only the string normalize returns.
func normalize(text string) string {
	if len(text) > maxTextLen {
		cut := maxTextLen
		for cut > 0 && !utf8.RuneStart(text[cut]) {
			cut--
		}
		text = text[:cut]
	}
	text = strings.ToValidUTF8(text, " ")
	return quoteReplacer.Replace(text)
}

var quoteReplacer = strings.NewReplacer("\u2019", "'", "\u2018", "'", "\u201c", `"`, "\u201d", `"`, "\u00a0", " ")

// mask returns s with the byte ranges spans replaced by spaces, so later
// patterns cannot match inside text already recognised as something else.
func mask(s string, spans [][]int) string {
	if len(spans) == 0 {
		return s
	}
	b := []byte(s)
	for _, sp := range spans {
		for i := sp[0]; i < sp[1] && i < len(b); i++ {
			b[i] = ' '
		}
	}
	return string(b)
}

// maskEmails returns s with its email addresses masked, so that their
// digits and words are not read as anything else.
func maskEmails(s string) string {
	return mask(s, reEmail.FindAllStringIndex(s, -1))
}

// spansOf returns where the patterns res match in s.
func spansOf(s string, res ...*regexp.Regexp) [][]int {
	var spans [][]int
	for _, re := range res {
		spans = append(spans, re.FindAllStringIndex(s, -1)...)
	}
	return spans
}

// ---------------------------------------------------------------- dates

const monthPattern = `(january|february|march|april|may|june|july|august|september|october|november|december|jan|feb|mar|apr|jun|jul|aug|sept|sep|oct|nov|dec)`

var (
	reISODate   = regexp.MustCompile(`\b(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})\b`)
	reSlashDate = regexp.MustCompile(`\b(\d{1,2})/(\d{1,2})(?:/(\d{4}|\d{2}))?\b`)
	reMonthDay  = regexp.MustCompile(`(?i)\b` + monthPattern + `\b\.?\s*(\d{1,2})(?:st|nd|rd|th)?\b(?:,?\s*(20\d{2})\b)?`)
	reDayMonth  = regexp.MustCompile(`(?i)\b(\d{1,2})(?:st|nd|rd|th)?\s*(?:of\s+)?` + monthPattern + `\b\.?(?:,?\s*(20\d{2})\b)?`)
	reDashDate  = regexp.MustCompile(`\b\d{1,2}-\d{1,2}-(?:\d{4}|\d{2})\b`)
	reOrdinal   = regexp.MustCompile(`(?i)(?:\bon\s+(?:the\s+)?|\bthe\s+)(\d{1,2})(?:st|nd|rd|th)\b`)
	reNotDay    = regexp.MustCompile(`(?i)^\s*(one|option|choice|service|package|session|person|people|time)\b`)
	reRelative  = regexp.MustCompile(`(?i)\b(day after tomorrow|today|tonight|tomorrow|tmrw|tmr)\b`)
	reWeekday   = regexp.MustCompile(`(?i)\b(?:(next|this|coming|on)\s+)?(monday|tuesday|wednesday|thursday|friday|saturday|sunday|mon|tues|tue|wed|thurs|thur|thu|fri|sat|sun)\b`)
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

var weekdayByName = map[string]time.Weekday{
	"sun": time.Sunday, "mon": time.Monday, "tue": time.Tuesday, "wed": time.Wednesday,
	"thu": time.Thursday, "fri": time.Friday, "sat": time.Saturday,
}

// guardedWeekdays are abbreviations that are also ordinary words ("wed like
// to book", "c'mon", "I sat"): they count as days only after on, this, next
// or coming, or as the whole message.
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
	start int
	date  frontdesk.Date
	ok    bool // false: the text names an impossible date
}

// calendarDates finds dates written with a month (numerically or by name),
// with or without a year.
func calendarDates(s string, today frontdesk.Date) []dateMatch {
	var out []dateMatch
	for _, m := range reISODate.FindAllStringSubmatchIndex(s, -1) {
		d, ok := validDate(atoi(s[m[2]:m[3]]), time.Month(atoi(s[m[4]:m[5]])), atoi(s[m[6]:m[7]]))
		out = append(out, dateMatch{m[0], d, ok})
	}
	for _, m := range reSlashDate.FindAllStringSubmatchIndex(s, -1) {
		if m[0] > 0 && strings.IndexByte("/-.:", s[m[0]-1]) >= 0 {
			continue // part of 2026/12/15, a decimal or a time
		}
		if m[1] < len(s) && s[m[1]] == '/' {
			continue
		}
		mo, day := atoi(s[m[2]:m[3]]), atoi(s[m[4]:m[5]])
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
		out = append(out, dateMatch{m[0], d, ok})
	}
	named := func(m []int, monthAt, dayAt, yearAt int) {
		mo := monthOf(s[m[monthAt]:m[monthAt+1]])
		day := atoi(s[m[dayAt]:m[dayAt+1]])
		y := -1
		if m[yearAt] >= 0 {
			y = atoi(s[m[yearAt]:m[yearAt+1]])
		}
		d, ok := resolveDate(y, mo, day, today)
		out = append(out, dateMatch{m[0], d, ok})
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

// ordinalDates finds "on the 15th" or "the 15th": the next such day of a month.
func ordinalDates(s string, today frontdesk.Date) []dateMatch {
	var out []dateMatch
	for _, m := range reOrdinal.FindAllStringSubmatchIndex(s, -1) {
		if reNotDay.MatchString(s[m[1]:]) {
			continue // "the 2nd one" picks from a list
		}
		d, ok := nextDayOfMonth(today, atoi(s[m[2]:m[3]]))
		out = append(out, dateMatch{m[0], d, ok})
	}
	return out
}

// relativeDates finds today, tomorrow and weekday names.
func relativeDates(s string, today frontdesk.Date) []dateMatch {
	var out []dateMatch
	for _, m := range reRelative.FindAllStringSubmatchIndex(s, -1) {
		d := today
		switch strings.ToLower(s[m[2]:m[3]]) {
		case "day after tomorrow":
			d = today.AddDays(2)
		case "tomorrow", "tmrw", "tmr":
			d = today.AddDays(1)
		}
		out = append(out, dateMatch{m[0], d, true})
	}
	whole := strings.ToLower(strings.Trim(s, " \t\r\n.,!?"))
	for _, m := range reWeekday.FindAllStringSubmatchIndex(s, -1) {
		word := strings.ToLower(s[m[4]:m[5]])
		prefix := ""
		if m[2] >= 0 {
			prefix = strings.ToLower(s[m[2]:m[3]])
		}
		if guardedWeekdays[word] && prefix == "" && whole != word {
			continue
		}
		w := weekdayByName[word[:3]]
		d := comingWeekday(today, w)
		if prefix == "next" {
			d = nextWeekWeekday(today, w)
		}
		out = append(out, dateMatch{m[0], d, true})
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
	s := maskEmails(normalize(text))
	if ms := calendarDates(s, today); len(ms) > 0 {
		return earliest(ms)
	}
	if ms := ordinalDates(s, today); len(ms) > 0 {
		return earliest(ms)
	}
	return earliest(relativeDates(s, today))
}

// dateSpans returns where calendar dates are written in s, valid or not, so
// that the phone parser does not read them as numbers.
func dateSpans(s string) [][]int {
	return spansOf(s, reISODate, reSlashDate, reMonthDay, reDayMonth, reDashDate)
}

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

// ---------------------------------------------------------------- services

var (
	reMenuNumber = regexp.MustCompile(`(?i)^\W*(?:#|no\.?\s*|number\s+|option\s+|choice\s+)?(\d{1,2})\W*$`)
	reNonAlnum   = regexp.MustCompile(`[^\p{L}\p{N}]+`)
)

// serviceStop words never tell services apart.
var serviceStop = wordSet(`and of with for the a an to in on my your our i me`)

// tokens returns the lower-case words of s.
func tokens(s string) []string {
	return strings.Fields(reNonAlnum.ReplaceAllString(strings.ToLower(s), " "))
}

func stem(w string) string {
	if len(w) > 3 && strings.HasSuffix(w, "s") && !strings.HasSuffix(w, "ss") {
		return w[:len(w)-1]
	}
	return w
}

// wordsMatch compares a word of a message with a word of a service name,
// tolerating plurals and shared stems ("photos" and "photography").
func wordsMatch(a, b string) bool {
	if a == b || stem(a) == stem(b) {
		return true
	}
	short, long := a, b
	if len(short) > len(long) {
		short, long = long, short
	}
	if len(short) >= 4 && strings.HasPrefix(long, short) {
		return true
	}
	n := 0
	for n < len(a) && n < len(b) && a[n] == b[n] {
		n++
	}
	return n >= 5
}

// matchesAny reports whether w matches one of words (see wordsMatch).
func matchesAny(w string, words []string) bool {
	for _, o := range words {
		if wordsMatch(w, o) {
			return true
		}
	}
	return false
}

func containsSeq(words, seq []string) bool {
	for i := 0; i+len(seq) <= len(words); i++ {
		if slices.Equal(words[i:i+len(seq)], seq) {
			return true
		}
	}
	return false
}

// serviceKeys returns the words that name a service: from its name and
// slug, without filler words and numbers.
func serviceKeys(s frontdesk.ServiceOut) []string {
	var keys []string
	seen := map[string]bool{}
	for _, w := range append(tokens(s.Name), tokens(s.Slug)...) {
		if serviceStop[w] || seen[w] || strings.Trim(w, "0123456789") == "" {
			continue
		}
		seen[w] = true
		keys = append(keys, w)
	}
	return keys
}

// MatchService finds the service a customer names loosely: by its number in
// the listed menu when the whole reply is a number ("2", "#2", "option 2"),
// by its full name or slug anywhere in the text (the longest wins), or else
// by the words of its name, each weighted by how few services share it
// ("wedding photos" → Wedding Photography; "session" alone matches nothing
// when several services are sessions). An ambiguous or empty match is false.
func MatchService(text string, services []frontdesk.ServiceOut) (frontdesk.ServiceOut, bool) {
	s := normalize(text)
	if len(services) == 0 {
		return frontdesk.ServiceOut{}, false
	}
	if m := reMenuNumber.FindStringSubmatch(s); m != nil {
		n := atoi(m[1])
		if n >= 1 && n <= len(services) {
			return services[n-1], true
		}
		return frontdesk.ServiceOut{}, false
	}
	words := tokens(s)

	best, bestLen, tie := -1, 0, false
	for i, svc := range services {
		for _, phrase := range [][]string{tokens(svc.Name), tokens(svc.Slug)} {
			if len(phrase) == 0 || !containsSeq(words, phrase) {
				continue
			}
			switch {
			case len(phrase) > bestLen:
				best, bestLen, tie = i, len(phrase), false
			case len(phrase) == bestLen && i != best:
				tie = true
			}
		}
	}
	if best >= 0 {
		return services[best], !tie
	}

	var msg []string
	for _, w := range words {
		if len(w) >= 3 && !serviceStop[w] && strings.Trim(w, "0123456789") != "" {
			msg = append(msg, w)
		}
	}
	keys := make([][]string, len(services))
	for i, svc := range services {
		keys[i] = serviceKeys(svc)
	}
	// share counts the services with a key like k.
	share := func(k string) int {
		n := 0
		for _, ks := range keys {
			if matchesAny(k, ks) {
				n++
			}
		}
		return n
	}
	scores := make([]float64, len(services))
	for i, ks := range keys {
		for _, k := range ks {
			if matchesAny(k, msg) {
				scores[i] += 1 / float64(share(k))
			}
		}
	}
	best = 0
	for i, sc := range scores {
		if sc > scores[best] {
			best = i
		}
	}
	second := 0.0
	for i, sc := range scores {
		if i != best && sc > second {
			second = sc
		}
	}
	if scores[best] < 0.5 || scores[best] <= second+1e-9 {
		return frontdesk.ServiceOut{}, false
	}
	return services[best], true
}

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
		{IntentReschedule, regexp.MustCompile(`(?i)\b(re-?schedul\w*|postpone|push (it|my \w+) back|bring (it|my \w+) forward)\b|\b(move|change|shift) (my|our) (booking|appointment|reservation|session|shoot)\b|\b(move|change|shift) the (date|day|time) of (my|our) (booking|appointment|reservation|session)\b|^\W*move( it)?\W*$`), rePolicyQuestion},
		{IntentPolicy, regexp.MustCompile(`(?i)\b(cancel\w*|refund\w*|reschedul\w*|policy|policies|deposit|no[- ]shows?)\b`), nil},
		{IntentHours, regexp.MustCompile(`(?i)\b(hours|opening times?|closing times?|when (are|do) you (open|close)|are you open|what time do you (open|close)|do you open|open on (weekends|sundays|saturdays))\b`), nil},
		{IntentContact, regexp.MustCompile(`(?i)^\W*contact\W*$|\b(contact (details|info|information|number|email|you|us)|your (phone|number|email|e-mail|address|location|website)|call you|email you|reach you|get in touch|where are you|talk to (a |an )?(human|person|someone|real person)|speak (to|with) (a |an )?(human|person|someone))\b`), nil},
		{IntentServices, regexp.MustCompile(`(?i)\b(services|service list|menu|what do you (offer|have|do)|offerings|packages|prices|pricing|price list|how much|what can i book)\b`), nil},
		{IntentSkip, regexp.MustCompile(`(?i)^\W*(skip|no phone|none|no thanks|no thank you|n/a|not now|rather not|i don'?t have one|dont have one|no number)\b`), nil},
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
