package chat_test

import (
	"testing"

	"github.com/frontdeskhq/frontdesk/chat"
)

// TestSanitize: text for the business goes through the shared sanitiser
// (no control, bidi or zero-width characters, one line) and loses what
// looks like a card number, even one split by invisible characters.
func TestSanitize(t *testing.T) {
	for _, tc := range []struct {
		name, in string
		max      int
		want     string
	}{
		{"plain", "I need to move my booking", 100, "I need to move my booking"},
		{"one line", "line one\r\nline two", 100, "line one line two"},
		{"bidi override", "refund \u202e001$\u202c please", 100, "refund 001$ please"},
		{"card number", "card 4242 4242 4242 4242 thanks", 100, "card [number removed] thanks"},
		{"card number split by zero-width spaces", "card 4242\u200b4242\u200b4242\u200b4242", 100, "card [number removed]"},
		{"cut with an ellipsis", "abcdefgh", 5, "abcd…"},
		{"cut does not end in a space", "abc defgh", 5, "abc…"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := chat.Sanitize(tc.in, tc.max); got != tc.want {
				t.Errorf("Sanitize(%q, %d) = %q, want %q", tc.in, tc.max, got, tc.want)
			}
		})
	}
}
