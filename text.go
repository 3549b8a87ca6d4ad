package frontdesk

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Text that a customer or the model supplies (names, notes, reasons,
// comments) reaches emails, the dashboard, calendar files and the model's
// prompt. Characters that show nothing or change how the text around them
// is shown would let it pass for something it is not: a bidi override
// turns "gpj.exe" around, a zero-width space splits a word a filter looks
// for, a tag character smuggles instructions to the model unseen, a line
// break starts a new header or a new line of a transcript. CleanLine and
// CleanText remove them; HasHiddenChars finds them, for fields that are
// refused rather than cleaned (a name, an email address).

// hiddenRune reports whether r shows nothing or changes the display of
// the text around it: the format characters (Unicode category Cf: bidi
// embeddings, overrides, isolates and marks U+202A–U+202E, U+2066–U+2069,
// U+200E, U+200F, U+061C; zero-width U+200B–U+200D, U+2060, U+FEFF; soft
// hyphen; tag characters U+E0000–U+E007F) and the blank fillers that render
// as nothing (Hangul fillers U+115F, U+1160, U+3164, U+FFA0; braille blank
// U+2800).
func hiddenRune(r rune) bool {
	switch r {
	case 0x115F, 0x1160, 0x3164, 0xFFA0, 0x2800:
		return true
	}
	return unicode.Is(unicode.Cf, r)
}

// lineBreak reports whether r ends a line: LF, CR, vertical tab, form
// feed, NEL and the Unicode line and paragraph separators.
func lineBreak(r rune) bool {
	switch r {
	case '\n', '\r', '\v', '\f', 0x85, 0x2028, 0x2029:
		return true
	}
	return false
}

// HasHiddenChars reports whether s is not valid UTF-8 or holds a character
// that CleanLine would remove or turn into a space other than a plain
// space: a control character (tab, CR and LF included), a line or
// paragraph separator, a bidi control, a zero-width or other invisible
// character. A field that must be exactly what was typed (a name, an email
// address) is refused when this is true.
func HasHiddenChars(s string) bool {
	if !utf8.ValidString(s) {
		return true
	}
	for _, r := range s {
		if unicode.IsControl(r) || lineBreak(r) || hiddenRune(r) {
			return true
		}
	}
	return false
}

// CleanLine returns s as one line of plain text: invalid UTF-8 and hidden
// characters (see HasHiddenChars) removed, control characters and line
// breaks turned into spaces, runs of white space collapsed into one space,
// trimmed, and cut to at most max runes (max <= 0: no limit). It is
// idempotent: CleanLine(CleanLine(s, n), n) == CleanLine(s, n).
func CleanLine(s string, max int) string {
	s = strings.Map(func(r rune) rune {
		switch {
		case hiddenRune(r):
			return -1
		case unicode.IsControl(r) || lineBreak(r):
			return ' '
		}
		return r
	}, strings.ToValidUTF8(s, ""))
	return capRunes(strings.Join(strings.Fields(s), " "), max)
}

// CleanText is CleanLine for text that may run over several lines (notes,
// reasons, comments): line breaks of every kind become "\n", each line is
// cleaned like CleanLine, at most one empty line is kept between two
// others, and the whole is trimmed and cut to at most max runes (max <= 0:
// no limit). It is idempotent.
func CleanText(s string, max int) string {
	s = strings.ReplaceAll(strings.ToValidUTF8(s, ""), "\r\n", "\n")
	var b strings.Builder
	blank := 0 // empty lines seen since the last line with text
	for _, line := range splitLines(s) {
		line = CleanLine(line, 0)
		if line == "" {
			blank++
			continue
		}
		if b.Len() > 0 {
			b.WriteString("\n")
			if blank > 0 {
				b.WriteString("\n")
			}
		}
		b.WriteString(line)
		blank = 0
	}
	return capRunes(b.String(), max)
}

// splitLines splits s at every line break.
func splitLines(s string) []string {
	var out []string
	start := 0
	for i, r := range s {
		if lineBreak(r) {
			out = append(out, s[start:i])
			start = i + utf8.RuneLen(r)
		}
	}
	return append(out, s[start:])
}

// capRunes cuts s to at most max runes (max <= 0: no limit) and trims
// what the cut leaves at its end.
func capRunes(s string, max int) string {
	if max <= 0 || utf8.RuneCountInString(s) <= max {
		return s
	}
	n := 0
	for i := range s {
		if n == max {
			return strings.TrimRightFunc(s[:i], unicode.IsSpace)
		}
		n++
	}
	return s
}
