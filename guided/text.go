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
