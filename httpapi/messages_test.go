package httpapi_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/frontdeskhq/frontdesk"
)

// TestErrorsSayWhatToDo: the errors a visitor's widget can meet tell them
// what to do next, not only what went wrong.
func TestErrorsSayWhatToDo(t *testing.T) {
	h := sqliteHarness(t)
	sid, pid := h.propose(t, h.a, 18, "Ann Lee", "ann@example.com")
	other := h.newSession(t, h.a)
	cases := []struct {
		name   string
		r      response
		status int
		code   string
		advice string
	}{
		{"another chat's offer", h.confirm(t, h.a, other, pid), http.StatusNotFound, frontdesk.ENotFound, "Ask the assistant to prepare the booking again"},
		{"a made-up offer", h.confirm(t, h.a, sid, "not-an-id"), http.StatusNotFound, frontdesk.ENotFound, "Ask the assistant to prepare the booking again"},
		{"broken JSON", h.public(t, h.a, http.MethodPost, "/v1/public/chat/message", `{"sessionId":`), http.StatusBadRequest, frontdesk.EInvalid, "send one JSON object"},
		{"too large", h.public(t, h.a, http.MethodPost, "/v1/public/chat/message", map[string]any{"sessionId": sid, "message": strings.Repeat("x", 70<<10)}), http.StatusRequestEntityTooLarge, frontdesk.ETooLarge, "send a shorter one"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if e := wantError(t, tc.r, tc.status, tc.code); !strings.Contains(e.Message, tc.advice) {
				t.Fatalf("message %q does not say %q", e.Message, tc.advice)
			}
		})
	}
}
