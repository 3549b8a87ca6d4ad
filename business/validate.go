package business

import (
	"fmt"
	"net/url"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"

	"golang.org/x/text/currency"

	"github.com/frontdeskhq/frontdesk"
	"github.com/frontdeskhq/frontdesk/booking"
)

// checker collects field errors under a path prefix, so the same checks
// name "priceCents" in the API and "packages[2].priceCents" in a file.
type checker struct {
	prefix string
	errs   *[]frontdesk.FieldError
}

func newChecker() checker { return checker{errs: &[]frontdesk.FieldError{}} }

// at returns a checker for a nested object or list element.
func (c checker) at(path string) checker {
	if c.prefix != "" && !strings.HasPrefix(path, "[") {
		path = "." + path
	}
	return checker{prefix: c.prefix + path, errs: c.errs}
}

func (c checker) add(field, format string, args ...any) {
	name := field
	if c.prefix != "" {
		name = c.prefix
		if field != "" {
			if !strings.HasPrefix(field, "[") {
				name += "."
			}
			name += field
		}
	}
	*c.errs = append(*c.errs, frontdesk.FieldError{Field: name, Message: fmt.Sprintf(format, args...)})
}

func (c checker) err() error {
	if len(*c.errs) == 0 {
		return nil
	}
	return frontdesk.Invalid(*c.errs...)
}

// text checks a free-text field: required or not, at most max characters,
// valid UTF-8 without control characters (new lines allowed when multiline).
func (c checker) text(field, v string, required bool, maxLen int, multiline bool) {
	switch {
	case required && strings.TrimSpace(v) == "":
		c.add(field, "must not be empty")
	case !utf8.ValidString(v):
		c.add(field, "must be valid UTF-8 text")
	case utf8.RuneCountInString(v) > maxLen:
		c.add(field, "must be at most %d characters", maxLen)
	case hasControl(v, multiline):
		c.add(field, "must be plain text without control characters")
	}
}

func hasControl(s string, multiline bool) bool {
	if multiline {
		s = strings.NewReplacer("\n", "", "\r", "", "\t", "").Replace(s)
	}
	return frontdesk.HasControlChars(s)
}

func (c checker) intRange(field string, v, lo, hi int) {
	if v < lo || v > hi {
		c.add(field, "must be a whole number from %d to %d", lo, hi)
	}
}

var slugRE = regexp.MustCompile(`^[a-z0-9](?:[a-z0-9-]{0,58}[a-z0-9])?$`)

func (c checker) slug(field, v string) {
	if !slugRE.MatchString(v) {
		c.add(field, "must be 1 to 60 lower-case letters, digits and hyphens, starting and ending with a letter or digit, e.g. family-portrait")
	}
}

func (c checker) email(field, v string) {
	if !booking.ValidEmail(v) {
		c.add(field, "must be an email address, like owner@example.com")
	}
}

// ValidTimeZone reports whether name is an IANA time zone name.
func ValidTimeZone(name string) bool {
	if name == "" || name == "Local" || strings.TrimSpace(name) != name {
		return false
	}
	_, err := time.LoadLocation(name)
	return err == nil
}

func (c checker) timeZone(field, v string) {
	if !ValidTimeZone(v) {
		c.add(field, "must be an IANA time zone such as Europe/Berlin or America/New_York")
	}
}

// ValidCurrency reports whether code is an ISO 4217 currency code (any case).
func ValidCurrency(code string) bool {
	if len(code) != 3 {
		return false
	}
	u, err := currency.ParseISO(strings.ToUpper(code))
	return err == nil && u.String() == strings.ToUpper(code)
}

func (c checker) currency(field, v string) {
	if !ValidCurrency(v) {
		c.add(field, "must be an ISO 4217 currency code such as usd or eur")
	}
}

// NormalizeOrigin returns a site origin (scheme://host[:port]) in its
// canonical form, or false when s is not one.
func NormalizeOrigin(s string) (string, bool) {
	s = strings.TrimSuffix(strings.TrimSpace(s), "/")
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.Hostname() == "" ||
		u.User != nil || u.Path != "" || u.RawQuery != "" || u.Fragment != "" || u.Opaque != "" || strings.HasSuffix(s, "?") || strings.HasSuffix(s, "#") {
		return "", false
	}
	if p := u.Port(); p != "" {
		var n int
		if _, err := fmt.Sscanf(p, "%d", &n); err != nil || n < 1 || n > 65535 || fmt.Sprint(n) != p {
			return "", false
		}
	}
	return strings.ToLower(u.Scheme + "://" + u.Host), true
}

// origins checks and normalises a list of origins in place.
func (c checker) origins(field string, list []string) []string {
	if len(list) > 20 {
		c.add(field, "must list at most 20 origins")
		return list
	}
	out := make([]string, 0, len(list))
	seen := map[string]bool{}
	for i, o := range list {
		n, ok := NormalizeOrigin(o)
		if !ok {
			c.add(fmt.Sprintf("%s[%d]", field, i), "must be a site origin scheme://host[:port] such as https://example.com (no path)")
			continue
		}
		if !seen[n] {
			seen[n] = true
			out = append(out, n)
		}
	}
	return out
}

// website checks an optional http(s) address.
func (c checker) website(field, v string) {
	if v == "" {
		return
	}
	u, err := url.Parse(v)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || len(v) > 500 {
		c.add(field, "must be a web address starting with https:// or http://")
	}
}

func (c checker) info(in *frontdesk.BusinessInfo) {
	c.text("description", in.Description, false, 4000, true)
	if len(in.Policies) > 30 {
		c.add("policies", "must hold at most 30 policies")
	}
	for k, v := range in.Policies {
		pc := c.at("policies")
		if strings.TrimSpace(k) == "" || utf8.RuneCountInString(k) > 60 || hasControl(k, false) {
			pc.add(k, "needs a policy name of 1 to 60 characters, like cancellation")
		}
		pc.text(k, v, true, 4000, true)
	}
	if len(in.FAQ) > 50 {
		c.add("faq", "must hold at most 50 questions")
	}
	for i, f := range in.FAQ {
		fc := c.at(fmt.Sprintf("faq[%d]", i))
		fc.text("question", f.Question, true, 500, false)
		fc.text("answer", f.Answer, true, 4000, true)
	}
	if in.Phone != "" && !booking.ValidPhone(in.Phone) {
		c.add("phone", "must be a phone number of 7 to 15 digits, like +1 555 010 0100")
	}
	c.text("address", in.Address, false, 500, false)
	c.website("website", in.Website)
}

func (c checker) settings(s *frontdesk.Settings) {
	c.intRange("minNoticeMinutes", s.MinNoticeMinutes, 0, frontdesk.MaxNoticeMinutes)
	c.intRange("maxDaysAhead", s.MaxDaysAhead, 1, frontdesk.MaxDaysAheadLimit)
	c.intRange("reminderHoursBefore", s.ReminderHoursBefore, 0, frontdesk.MaxReminderHours)
	c.intRange("rescheduleCutoffHours", s.RescheduleCutoffHours, 0, 24*30)
	c.intRange("maxReschedules", s.MaxReschedules, 0, frontdesk.MaxRescheduleLimit)
	if b := s.MonthlyTokenBudgetCents; b != nil && (*b < 0 || *b > MaxMonthlyTokenBudgetCents) {
		c.add("monthlyTokenBudgetCents", "must be %s", BudgetPatch{}.JSONKind())
	}
	if len(s.RefundPolicy) > 10 {
		c.add("refundPolicy", "must have at most 10 tiers")
	}
	seen := map[int]bool{}
	for i, tier := range s.RefundPolicy {
		tc := c.at(fmt.Sprintf("refundPolicy[%d]", i))
		tc.intRange("hoursBefore", tier.HoursBefore, 0, 24*365)
		tc.intRange("percent", tier.Percent, 0, 100)
		if seen[tier.HoursBefore] {
			tc.add("hoursBefore", "appears twice; give each tier a different hoursBefore")
		}
		seen[tier.HoursBefore] = true
	}
	if len(s.DashboardEmails) > 10 {
		c.add("dashboardEmails", "must list at most 10 addresses")
	}
	for i, e := range s.DashboardEmails {
		c.email(fmt.Sprintf("dashboardEmails[%d]", i), e)
	}
}

// weekdayNames are the API's weekday names, by time.Weekday.
var weekdayNames = [7]string{"SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"}

// WeekdayName returns the API's name of a weekday: "MON".."SUN".
func WeekdayName(d time.Weekday) string { return weekdayNames[d] }

func parseWeekday(s string) (time.Weekday, bool) {
	for i, n := range weekdayNames {
		if strings.EqualFold(s, n) {
			return time.Weekday(i), true
		}
	}
	return 0, false
}

// ParseClock reads "HH:MM" (00:00 to 24:00) as minutes after midnight.
func ParseClock(s string) (int, bool) {
	if len(s) != 5 || s[2] != ':' {
		return 0, false
	}
	var h, m int
	if _, err := fmt.Sscanf(s, "%02d:%02d", &h, &m); err != nil || h < 0 || h > 24 || m < 0 || m > 59 || (h == 24 && m != 0) {
		return 0, false
	}
	return h*60 + m, true
}

// FormatClock writes minutes after midnight as "HH:MM".
func FormatClock(minute int) string { return fmt.Sprintf("%02d:%02d", minute/60, minute%60) }

// rules checks a week of opening hours and returns them as domain rules.
func (c checker) rules(in []Rule) []frontdesk.AvailabilityRule {
	if len(in) > 70 {
		c.add("", "must have at most 70 ranges")
		return nil
	}
	var out []frontdesk.AvailabilityRule
	for i, r := range in {
		rc := c.at(fmt.Sprintf("[%d]", i))
		wd, ok := parseWeekday(r.Weekday)
		if !ok {
			rc.add("weekday", "must be one of MON, TUE, WED, THU, FRI, SAT, SUN")
		}
		start, okS := ParseClock(r.Start)
		if !okS {
			rc.add("start", "must be a time HH:MM from 00:00 to 24:00")
		}
		end, okE := ParseClock(r.End)
		if !okE {
			rc.add("end", "must be a time HH:MM from 00:00 to 24:00")
		}
		if !ok || !okS || !okE {
			continue
		}
		if start >= end {
			rc.add("end", "must be later than start (%s); a range cannot run past midnight, split it into two days", r.Start)
			continue
		}
		for _, o := range out {
			if o.Weekday == wd && start < o.End && o.Start < end {
				rc.add("start", "overlaps another range of %s (%s to %s); merge them or move one", WeekdayName(wd), FormatClock(o.Start), FormatClock(o.End))
				break
			}
		}
		out = append(out, frontdesk.AvailabilityRule{Weekday: wd, Start: start, End: end})
	}
	return out
}
