package httpapi_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/frontdeskhq/frontdesk"
)

// TestOutageAnswers503Quietly closes the database under the running server:
// every API request is a 503 "unavailable" with Retry-After and a message
// that says to try again, nothing of the cause reaches the client, and the
// log has one ERROR line per route, with the cause, not one per request.
func TestOutageAnswers503Quietly(t *testing.T) {
	eachBackend(t, func(t *testing.T, h *harness) {
		sessionPath, bookingsPath := "/v1/public/chat/session", "/v1/tenant/bookings"
		if r := h.public(t, h.a, http.MethodPost, sessionPath, map[string]any{}); r.Status != http.StatusOK {
			t.Fatalf("before the outage: %s", r)
		}
		h.store.Close()
		for i := range 200 {
			var r response
			if i%2 == 0 {
				r = h.public(t, h.a, http.MethodPost, sessionPath, map[string]any{})
			} else {
				r = h.tenantAPI(t, h.a, bookingsPath)
			}
			e := wantError(t, r, http.StatusServiceUnavailable, frontdesk.EUnavailable)
			if got := r.Header.Get("Retry-After"); got != "5" {
				t.Fatalf("request %d: Retry-After %q, want 5", i, got)
			}
			if !strings.Contains(e.Message, "try again") {
				t.Fatalf("request %d: message %q does not say to try again", i, e.Message)
			}
			for _, leak := range []string{"sql", "database", "closed", "postgres", "sqlite"} {
				if strings.Contains(strings.ToLower(string(r.Body)), leak) {
					t.Fatalf("request %d: the body tells %q: %s", i, leak, r.Body)
				}
			}
		}
		var errorLines []string
		for _, line := range strings.Split(h.logs.String(), "\n") {
			if strings.Contains(line, "level=ERROR") {
				errorLines = append(errorLines, line)
			}
		}
		if len(errorLines) != 2 {
			t.Fatalf("%d ERROR lines after 200 failed requests on two routes, want 2 (one per route):\n%s",
				len(errorLines), strings.Join(errorLines, "\n"))
		}
		for _, route := range []string{"POST " + sessionPath, "GET " + bookingsPath} {
			found := false
			for _, line := range errorLines {
				if strings.Contains(line, `route="`+route+`"`) && strings.Contains(line, "code=unavailable") &&
					strings.Contains(line, "database is closed") {
					found = true
				}
			}
			if !found {
				t.Fatalf("no ERROR line for %s with the code and the cause:\n%s", route, strings.Join(errorLines, "\n"))
			}
		}
	})
}
