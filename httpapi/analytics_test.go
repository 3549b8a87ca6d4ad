package httpapi_test

import (
	"net/http"
	"testing"

	"github.com/frontdeskhq/frontdesk"
)

func TestAnalytics(t *testing.T) {
	eachBackend(t, func(t *testing.T, h *harness) {
		// Two chats today (10 December in New York): one books, one rates and escalates.
		sid, pid := h.propose(t, h.a, 18, "Ann Lee", "ann@example.com")
		h.confirm(t, h.a, sid, pid)
		other := h.newSession(t, h.a)
		reply := h.say(t, h.a, other, "what are your hours?")
		h.public(t, h.a, http.MethodPost, "/v1/public/chat/feedback", map[string]any{"sessionId": other, "messageId": reply.MessageID, "feedbackType": "THUMBS_UP"})
		h.public(t, h.a, http.MethodPost, "/v1/public/chat/feedback", map[string]any{"sessionId": other, "feedbackType": "RATING", "rating": 4})
		h.public(t, h.a, http.MethodPost, "/v1/public/chat/escalate", map[string]any{"sessionId": other, "reason": "a person please"})
		h.newSession(t, h.b) // another tenant's chat

		type analyticsOut struct {
			From           string  `json:"from"`
			To             string  `json:"to"`
			Sessions       int64   `json:"sessions"`
			ConversionRate float64 `json:"conversionRate"`
			EscalationRate float64 `json:"escalationRate"`
			Escalations    int64   `json:"escalations"`
			Bookings       struct {
				FromChat  int64 `json:"fromChat"`
				Confirmed int64 `json:"confirmed"`
			} `json:"bookings"`
			CSAT struct {
				ThumbsUp      int64    `json:"thumbsUp"`
				Ratings       int64    `json:"ratings"`
				AverageRating *float64 `json:"averageRating"`
			} `json:"csat"`
		}
		var got analyticsOut
		decode(t, h.tenantAPI(t, h.a, "/v1/tenant/analytics"), &got)
		if got.From != "2026-11-11" || got.To != "2026-12-10" || got.Sessions != 2 || got.Bookings.FromChat != 1 || got.Bookings.Confirmed != 0 ||
			got.ConversionRate != 0.5 || got.Escalations != 1 || got.EscalationRate != 0.5 || got.CSAT.ThumbsUp != 1 || got.CSAT.Ratings != 1 ||
			got.CSAT.AverageRating == nil || *got.CSAT.AverageRating != 4 {
			t.Fatalf("analytics %+v", got)
		}
		got = analyticsOut{} // fields absent from the answer must read as absent
		decode(t, h.tenantAPI(t, h.a, "/v1/tenant/analytics?from=2026-12-11&to=2026-12-31"), &got)
		if got.Sessions != 0 || got.Bookings.FromChat != 0 || got.CSAT.AverageRating != nil || got.ConversionRate != 0 {
			t.Fatalf("an empty range: %+v", got)
		}
		for _, q := range []string{"?from=2026-12-10&to=2026-12-01", "?from=2025-01-01&to=2026-12-10", "?from=yesterday", "?range=week"} {
			wantError(t, h.tenantAPI(t, h.a, "/v1/tenant/analytics"+q), http.StatusBadRequest, frontdesk.EInvalid)
		}
		wantError(t, h.do(t, http.MethodGet, "/v1/tenant/analytics", nil), http.StatusUnauthorized, frontdesk.EUnauthorized)
	})
}
