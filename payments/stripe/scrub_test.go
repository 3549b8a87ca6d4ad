package stripe

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	stripego "github.com/stripe/stripe-go/v86"
)

func TestScrub(t *testing.T) {
	api := &stripego.Error{Type: stripego.ErrorTypeInvalidRequest, HTTPStatusCode: 401, Code: "api_key_expired",
		Msg: "Expired API Key provided: sk_live_51AbCdEfGhIjKlMnOp. Also \x1b[31mred\r\nInjected: yes"}
	got := scrub(fmt.Errorf("create: %w", api))
	text := got.Error()
	for _, bad := range []string{"51AbCdEfGhIjKlMnOp", "\r", "\n", "\x1b"} {
		if strings.Contains(text, bad) {
			t.Errorf("scrubbed error %q still holds %q", text, bad)
		}
	}
	if !strings.Contains(text, "invalid_request_error") || !strings.Contains(text, "HTTP 401") || !strings.Contains(text, "sk_live_…") {
		t.Errorf("scrubbed error %q lost what a log needs", text)
	}
	var se *stripego.Error
	if !errors.As(got, &se) || se.Code != "api_key_expired" {
		t.Error("the Stripe error is no longer reachable with errors.As")
	}
	if plain := errors.New("dial tcp: connection refused"); scrub(plain) != plain {
		t.Error("an error without secrets was changed")
	}
	if m := scrub(errors.New("bad key whsec_abcdef123456")).Error(); strings.Contains(m, "abcdef123456") {
		t.Errorf("webhook secret not masked: %q", m)
	}
}
