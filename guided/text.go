package guided

// Text helpers shared by the extractors.

import (
	"regexp"
	"strings"
	"unicode/utf8"
)

// maxTextLen bounds the text a parser looks at. Chat messages are limited to
// 2000 characters upstream; the bound keeps a parser's work small whatever
// it is given.
const maxTextLen = 4000

// normalize makes text safe and uniform for the parsers: valid UTF-8, at most
// maxTextLen bytes, typographic quotes and non-breaking spaces replaced by
// their ASCII forms. Every parser indexes only the string normalize returns.
func normalize(text string) string {
	s, _ := normalizeMap(text)
	return s
}

// normalizeMap is normalize that also returns, for each byte offset i of
// the result (and its length), the byte offset in text it comes from, so a
// span found in the normalized text can be given in the text as typed.
func normalizeMap(text string) (string, []int) {
	if len(text) > maxTextLen {
		cut := maxTextLen
		for cut > 0 && !utf8.RuneStart(text[cut]) {
			cut--
		}
		text = text[:cut]
	}
	var b strings.Builder
	b.Grow(len(text))
	at := make([]int, 0, len(text)+1)
	for i := 0; i < len(text); {
		r, size := utf8.DecodeRuneInString(text[i:])
		var out string
		switch {
		case r == utf8.RuneError && size <= 1:
			out = " "
		case r == '\u2019' || r == '\u2018':
			out = "'"
		case r == '\u201c' || r == '\u201d':
			out = `"`
		case r == '\u00a0':
			out = " "
		default:
			out = text[i : i+size]
		}
		for range len(out) {
			at = append(at, i)
		}
		b.WriteString(out)
		i += size
	}
	at = append(at, len(text))
	return b.String(), at
}

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
