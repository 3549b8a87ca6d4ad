package mail

import (
	"strings"
	"unicode"
)

// HeaderSafe returns s as one line fit for an email header (To, Subject,
// From): CR, LF and every other control or line-separator character become
// a space, runs of spaces collapse to one, and the ends are trimmed. A name
// "Ann\r\nBcc: x@y" becomes "Ann Bcc: x@y", which cannot start a header.
func HeaderSafe(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	space := false
	for _, r := range s {
		// IsSpace covers \r, \n, NEL, U+2028 and U+2029; IsControl the rest.
		if unicode.IsControl(r) || unicode.IsSpace(r) {
			space = true
			continue
		}
		if space && b.Len() > 0 {
			b.WriteByte(' ')
		}
		space = false
		b.WriteRune(r)
	}
	return b.String()
}
