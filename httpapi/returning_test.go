package httpapi_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/frontdeskhq/frontdesk/storetest"
)

// TestReturningCustomerSession: the token a confirm result gives opens a
// session that knows the customer, for that business only; any other
// token is ignored without an error.
func TestReturningCustomerSession(t *testing.T) {
	eachBackend(t, func(t *testing.T, h *harness) {
		res := h.bookWedding(t, h.a, 15, "Ann Lee", "ann@example.com")
		if !strings.HasPrefix(res.CustomerToken, "c_") {
			t.Fatalf("confirm result %+v: want a customerToken", res)
		}
		var s sessionOut
		decode(t, h.public(t, h.a, http.MethodPost, "/v1/public/chat/session", map[string]string{"customerToken": res.CustomerToken}), &s)
		if s.Customer == nil || s.Customer.Name != "Ann Lee" || !strings.HasPrefix(s.Greeting, "Welcome back, Ann!") {
			t.Fatalf("session with Ann's token: %+v", s)
		}
		for name, tc := range map[string]struct {
			f    *storetest.Fixture
			body any
		}{
			"another business's token":   {h.b, map[string]string{"customerToken": res.CustomerToken}},
			"a token of the wrong shape": {h.a, map[string]any{"customerToken": res.CustomerToken[:20]}},
			"null":                       {h.a, map[string]any{"customerToken": nil}},
		} {
			var other sessionOut
			decode(t, h.public(t, tc.f, http.MethodPost, "/v1/public/chat/session", tc.body), &other)
			if other.Customer != nil || strings.Contains(other.Greeting, "Ann") || other.SessionID == "" {
				t.Errorf("%s: session %+v, want a normal one", name, other)
			}
		}
		wantError(t, h.public(t, h.a, http.MethodPost, "/v1/public/chat/session", map[string]any{"customerToken": 42}), http.StatusBadRequest, "validation_failed")
	})
}
