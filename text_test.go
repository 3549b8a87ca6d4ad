package frontdesk_test

import (
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/frontdeskhq/frontdesk"
)

func TestCleanLine(t *testing.T) {
	for _, tc := range []struct {
		name, in string
		max      int
		want     string
	}{
		{"plain", "Ada Lovelace", 200, "Ada Lovelace"},
		{"trimmed and collapsed", "  Ada \t  Lovelace  ", 200, "Ada Lovelace"},
		{"CR LF become spaces", "Ada\r\nLovelace\nBcc: x@example.com", 200, "Ada Lovelace Bcc: x@example.com"},
		{"NUL and DEL", "A\x00d\x7fa", 200, "A d a"},
		{"C1 control", "Ada\u0085Lovelace\u009b", 200, "Ada Lovelace"},
		{"right-to-left override", "Ada \u202egpj.exe\u202c", 200, "Ada gpj.exe"},
		{"every bidi control", "a\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061cb", 200, "ab"},
		{"zero-width characters", "A\u200bd\u200ca\u200d \u2060Love\ufefflace", 200, "Ada Lovelace"},
		{"zero-width between spaces", "Ada \u200b Lovelace", 200, "Ada Lovelace"},
		{"tag characters", "hi\U000E0069\U000E0067\U000E006E\U000E006F\U000E0072\U000E0065", 200, "hi"},
		{"soft hyphen and blank fillers", "Lo\u00advelace\u3164 \u2800", 200, "Lovelace"},
		{"line and paragraph separators", "a\u2028b\u2029c", 200, "a b c"},
		{"non-breaking spaces", "Ada\u00a0\u202fLovelace", 200, "Ada Lovelace"},
		{"invalid UTF-8 dropped", "Ad\xffa", 200, "Ada"},
		{"accents and scripts kept", "Zoë Ünal, 李雷, محمد", 200, "Zoë Ünal, 李雷, محمد"},
		{"emoji kept", "👍🏽 ok", 200, "👍🏽 ok"},
		{"cut to max runes", "éééééé", 4, "éééé"},
		{"cut then trimmed", "ab cd", 3, "ab"},
		{"no limit", strings.Repeat("x", 500), 0, strings.Repeat("x", 500)},
		{"only hidden", "\u200b\u202e\r\n", 10, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := frontdesk.CleanLine(tc.in, tc.max); got != tc.want {
				t.Errorf("CleanLine(%q, %d) = %q, want %q", tc.in, tc.max, got, tc.want)
			}
		})
	}
}

func TestCleanText(t *testing.T) {
	for _, tc := range []struct {
		name, in string
		max      int
		want     string
	}{
		{"plain", "Please bring the dog.", 1000, "Please bring the dog."},
		{"newlines kept", "Line one\nLine two", 1000, "Line one\nLine two"},
		{"CRLF and CR become LF", "one\r\ntwo\rthree", 1000, "one\ntwo\nthree"},
		{"separators become LF", "one\u2028two\u2029three\u0085four", 1000, "one\ntwo\nthree\nfour"},
		{"one blank line kept", "para one\n\n\n\n  \npara two", 1000, "para one\n\npara two"},
		{"lines trimmed and collapsed", "  a   b  \n\t c\t", 1000, "a b\nc"},
		{"bidi and zero-width removed", "pay \u202eylno\u202c by card\u200b", 1000, "pay ylno by card"},
		{"controls become spaces", "a\x00b\x1bc", 1000, "a b c"},
		{"leading and trailing blank lines", "\n\n hi \n\n", 1000, "hi"},
		{"cut at max then trimmed", "abc\n\ndef", 5, "abc"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := frontdesk.CleanText(tc.in, tc.max); got != tc.want {
				t.Errorf("CleanText(%q, %d) = %q, want %q", tc.in, tc.max, got, tc.want)
			}
		})
	}
}

func TestHasHiddenChars(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want bool
	}{
		{"Ada Lovelace", false},
		{"Zoë Ünal 李雷", false},
		{"ada@example.com", false},
		{"Ada\nLovelace", true},
		{"Ada\r", true},
		{"Ada\tLovelace", true},
		{"\u202eAda", true},
		{"Ad\u2066a", true},
		{"Ada\u200b", true},
		{"\ufeffAda", true},
		{"Ada\u2060", true},
		{"Ada\u2028", true},
		{"Ada\U000E0041", true},
		{"Ad\xffa", true},
		{"A\x00da", true},
	} {
		if got := frontdesk.HasHiddenChars(tc.in); got != tc.want {
			t.Errorf("HasHiddenChars(%q) = %v, want %v", tc.in, got, tc.want)
		}
	}
}

// forbidden is what no cleaned text may hold: the characters of the
// issue's list and every other control or format character.
func forbidden(r rune, multiline bool) bool {
	switch {
	case r == '\n':
		return !multiline
	case r >= 0x202A && r <= 0x202E, r >= 0x2066 && r <= 0x2069,
		r >= 0x200B && r <= 0x200D, r == 0x2060, r == 0xFEFF, r == 0x2028, r == 0x2029:
		return true
	}
	return unicode.IsControl(r) || unicode.Is(unicode.Cf, r)
}

// checkClean asserts the sanitiser's invariants for one input.
func checkClean(t *testing.T, name string, clean func(string, int) string, in string, max int, multiline bool) {
	t.Helper()
	out := clean(in, max)
	if !utf8.ValidString(out) {
		t.Fatalf("%s(%q, %d) = %q: not valid UTF-8", name, in, max, out)
	}
	for _, r := range out {
		if forbidden(r, multiline) {
			t.Fatalf("%s(%q, %d) = %q holds %U", name, in, max, out, r)
		}
	}
	if max > 0 && utf8.RuneCountInString(out) > max {
		t.Fatalf("%s(%q, %d) = %q: %d runes, more than %d", name, in, max, out, utf8.RuneCountInString(out), max)
	}
	if strings.TrimSpace(out) != out {
		t.Fatalf("%s(%q, %d) = %q: not trimmed", name, in, max, out)
	}
	if again := clean(out, max); again != out {
		t.Fatalf("%s is not idempotent: %q -> %q -> %q", name, in, out, again)
	}
	if !multiline && frontdesk.HasHiddenChars(out) {
		t.Fatalf("CleanLine(%q) = %q still has hidden characters", in, out)
	}
}

func fuzzSeeds(f *testing.F) {
	for _, s := range []string{"", "Ada Lovelace", " a\r\nb ", "\u202egpj.exe", "a\u200b b", "\xff\xfe", "x\u2028\u2029y",
		"one\n\n\n two ", "👨\u200d👩\u200d👧", "Zoë\u0301", "\U000E0041\U000E0042", strings.Repeat("é ", 30)} {
		f.Add(s, 10)
	}
}

// FuzzCleanLine: whatever the input, the output is valid UTF-8 with no
// control, bidi, zero-width or other hidden character and no line break,
// trimmed, at most max runes, and cleaning it again changes nothing.
func FuzzCleanLine(f *testing.F) {
	fuzzSeeds(f)
	f.Fuzz(func(t *testing.T, s string, max int) {
		checkClean(t, "CleanLine", frontdesk.CleanLine, s, max%300, false)
	})
}

// FuzzCleanText is FuzzCleanLine for multi-line text: newlines may stay.
func FuzzCleanText(f *testing.F) {
	fuzzSeeds(f)
	f.Fuzz(func(t *testing.T, s string, max int) {
		checkClean(t, "CleanText", frontdesk.CleanText, s, max%300, true)
	})
}
