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
