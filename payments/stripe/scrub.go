package stripe

import (
	"errors"
	"fmt"
	"regexp"
	"strings"

	stripego "github.com/stripe/stripe-go/v86"

	"github.com/frontdeskhq/frontdesk"
)

// scrubbedError is a provider error reduced to what a log may hold: the
// kind, code, status and message, with any key masked. The full error
// stays reachable with errors.As for code that needs it.
type scrubbedError struct {
	err  error
	text string
}

func (e *scrubbedError) Error() string { return e.text }
func (e *scrubbedError) Unwrap() error { return e.err }

var keyPattern = regexp.MustCompile(`\b(sk|rk|pk|whsec)_(live|test)?_?[A-Za-z0-9]{4,}`)

// maskKeys hides API keys and webhook secrets in a text.
func maskKeys(s string) string {
	return keyPattern.ReplaceAllStringFunc(s, func(k string) string {
		parts := strings.SplitN(k, "_", 3)
		if len(parts) == 3 {
			return parts[0] + "_" + parts[1] + "_…"
		}
		return parts[0] + "_…"
	})
}

// scrub returns err as it may be logged: a Stripe API error becomes its
// type, code, HTTP status and message (never the raw body, which can echo
// request data); any other error keeps its text with keys masked.
func scrub(err error) error {
	if err == nil {
		return nil
	}
	var se *stripego.Error
	if errors.As(err, &se) {
		text := fmt.Sprintf("stripe %s error (HTTP %d)", se.Type, se.HTTPStatusCode)
		if se.Code != "" {
			text += " " + string(se.Code)
		}
		if se.Msg != "" {
			text += ": " + frontdesk.CleanLine(maskKeys(se.Msg), 300)
		}
		return &scrubbedError{err: err, text: text}
	}
	if masked := maskKeys(err.Error()); masked != err.Error() {
		return &scrubbedError{err: err, text: masked}
	}
	return err
}
