package httpapi_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/frontdeskhq/frontdesk"
	"github.com/frontdeskhq/frontdesk/ratelimit"
	"github.com/frontdeskhq/frontdesk/storetest"
)

func TestFeedback(t *testing.T) {
	eachBackend(t, func(t *testing.T, h *harness) {
		sid := h.newSession(t, h.a)
		reply := h.say(t, h.a, sid, "hi")
		send := func(body map[string]any) response {
			body["sessionId"] = sid
			return h.public(t, h.a, http.MethodPost, "/v1/public/chat/feedback", body)
		}
		var first, again struct {
			Success    bool   `json:"success"`
			FeedbackID string `json:"feedbackId"`
		}
		decode(t, send(map[string]any{"messageId": reply.MessageID, "feedbackType": "THUMBS_UP"}), &first)
		decode(t, send(map[string]any{"messageId": reply.MessageID, "feedbackType": "THUMBS_DOWN", "comment": "not helpful"}), &again)
		if !first.Success || first.FeedbackID == "" || again.FeedbackID != first.FeedbackID {
			t.Fatalf("a retried or changed thumb made another row: %+v then %+v", first, again)
		}
		decode(t, send(map[string]any{"feedbackType": "RATING", "rating": 5, "comment": "lovely"}), &first)
		fs, err := h.store.ListFeedback(context.Background(), h.a.Tenant.ID, time.Time{}, time.Time{})
		if err != nil {
			t.Fatal(err)
		}
		if len(fs) != 2 {
			t.Fatalf("%d feedback rows, want a thumb and a rating", len(fs))
		}
		// The changed thumb replaced the first: the row holds the latest verdict.
		thumbs := 0
		for _, f := range fs {
			if f.Target != reply.MessageID {
				continue
			}
			thumbs++
			if f.ID != again.FeedbackID || f.Type != frontdesk.FeedbackThumbsDown || f.Comment != "not helpful" {
				t.Fatalf("thumb row %+v, want THUMBS_DOWN \"not helpful\" under id %s", f, again.FeedbackID)
			}
		}
		if thumbs != 1 {
			t.Fatalf("%d feedback rows on message %s, want 1", thumbs, reply.MessageID)
		}

		// Messages the customer wrote, and other sessions' messages, cannot be rated.
		other := h.newSession(t, h.a)
		otherReply := h.say(t, h.a, other, "hello")
		var userMsgID string
		for _, m := range h.history(t, h.a, sid) {
			if m.Role == frontdesk.RoleUser {
				userMsgID = m.ID
			}
		}
		cases := []struct {
			name   string
			body   map[string]any
			fields []string
		}{
			{"unknown type", map[string]any{"feedbackType": "MEH"}, []string{"feedbackType"}},
			{"thumb without message", map[string]any{"feedbackType": "THUMBS_UP"}, []string{"messageId"}},
			{"thumb with rating", map[string]any{"feedbackType": "THUMBS_UP", "messageId": reply.MessageID, "rating": 3}, []string{"rating"}},
			{"rating missing", map[string]any{"feedbackType": "RATING"}, []string{"rating"}},
			{"rating 0", map[string]any{"feedbackType": "RATING", "rating": 0}, []string{"rating"}},
			{"rating 6", map[string]any{"feedbackType": "RATING", "rating": 6}, []string{"rating"}},
			{"rating of a message", map[string]any{"feedbackType": "RATING", "rating": 4, "messageId": reply.MessageID}, []string{"messageId"}},
			{"comment too long", map[string]any{"feedbackType": "RATING", "rating": 4, "comment": strings.Repeat("x", 1001)}, []string{"comment"}},
			{"the customer's own message", map[string]any{"feedbackType": "THUMBS_UP", "messageId": userMsgID}, []string{"messageId"}},
			{"another session's message", map[string]any{"feedbackType": "THUMBS_UP", "messageId": otherReply.MessageID}, []string{"messageId"}},
		}
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				e := wantError(t, send(tc.body), http.StatusBadRequest, frontdesk.EInvalid)
				if got := strings.Join(detailFields(e), ","); got != strings.Join(tc.fields, ",") {
					t.Fatalf("detail fields %s, want %v", got, tc.fields)
				}
			})
		}
		// Another tenant cannot rate this session.
		wantError(t, h.public(t, h.b, http.MethodPost, "/v1/public/chat/feedback",
			map[string]any{"sessionId": sid, "feedbackType": "RATING", "rating": 1}), http.StatusNotFound, frontdesk.ENotFound)
	})
}

func TestEscalate(t *testing.T) {
	h := sqliteHarness(t)
	sid := h.newSession(t, h.a)
	h.say(t, h.a, sid, "hi, my card is 4242 4242 4242 4242")
	escalate := func(body map[string]any) response {
		body["sessionId"] = sid
		return h.public(t, h.a, http.MethodPost, "/v1/public/chat/escalate", body)
	}
	for _, tc := range []struct {
		name   string
		body   map[string]any
		fields []string
	}{
		{"no reason", map[string]any{"reason": "  "}, []string{"reason"}},
		{"bad email", map[string]any{"reason": "help", "customerEmail": "ann at example"}, []string{"customerEmail"}},
		{"bad phone", map[string]any{"reason": "help", "customerPhone": "call me"}, []string{"customerPhone"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := wantError(t, escalate(tc.body), http.StatusBadRequest, frontdesk.EInvalid)
			if got := strings.Join(detailFields(e), ","); got != strings.Join(tc.fields, ",") {
				t.Fatalf("detail fields %s, want %v", got, tc.fields)
			}
		})
	}
	if n := len(h.emails(t, h.a, frontdesk.EmailEscalation)); n != 0 {
		t.Fatalf("invalid escalations sent %d emails", n)
	}

	var out struct {
		Success      bool   `json:"success"`
		EscalationID string `json:"escalationId"`
		Message      string `json:"message"`
	}
	decode(t, escalate(map[string]any{"reason": "I want to move my <b>wedding</b>", "customerEmail": "ann@example.com"}), &out)
	if !out.Success || !frontdesk.ValidID(out.EscalationID) || !strings.Contains(out.Message, "get back to you") {
		t.Fatalf("escalation answer %+v", out)
	}
	mails := h.emails(t, h.a, frontdesk.EmailEscalation)
	if len(mails) != 1 {
		t.Fatalf("%d escalation emails, want 1", len(mails))
	}
	m := mails[0].Email
	if m.To != h.a.Tenant.ContactEmail || m.ReplyTo != "ann@example.com" || !strings.Contains(m.Text, "I want to move my <b>wedding</b>") ||
		strings.Contains(m.HTML, "<b>wedding</b>") || strings.Contains(m.Text, "4242 4242") || !strings.Contains(m.Text, "[number removed]") {
		t.Fatalf("escalation email to %s:\n%s", m.To, m.Text)
	}
	page, err := h.store.ListEscalations(context.Background(), h.a.Tenant.ID, frontdesk.EscalationFilter{})
	if err != nil {
		t.Fatal(err)
	}
	es := page.Escalations
	if len(es) != 1 || es[0].Status != frontdesk.EscalationPending || strings.Contains(es[0].Summary, "4242 4242") {
		t.Fatalf("stored escalations %+v, %v", es, err)
	}

	// Three an hour per client; the fourth is refused, while the chat budget
	// of the same client is untouched.
	h.server.ChatLimiter = ratelimit.New("chat", 20, time.Minute, nil, nil)
	h.server.EscalationLimiter = ratelimit.New("escalation", 3, time.Hour, nil, nil)
	h.server.EscalationLimiter.Now = storetest.NewClock(time.Date(2026, 12, 10, 15, 0, 10, 0, time.UTC)).Now
	h.restart(t)
	// Invalid requests are refused before they are counted: a typo costs nothing.
	for i := 0; i < 3; i++ {
		wantError(t, escalate(map[string]any{"reason": "help", "customerEmail": "typo@"}), http.StatusBadRequest, frontdesk.EInvalid)
	}
	for i := 0; i < 3; i++ {
		if r := escalate(map[string]any{"reason": "still there?"}); r.Status != http.StatusOK {
			t.Fatalf("escalation %d: %s", i+1, r)
		}
	}
	r := escalate(map[string]any{"reason": "hello??"})
	e := wantError(t, r, http.StatusTooManyRequests, frontdesk.EEscalationLimit)
	if r.Header.Get("Retry-After") != "3590" || !strings.Contains(e.Message, "Please wait 60 minutes") {
		t.Fatalf("escalation limit answer: %s %v", r, r.Header)
	}
	if r := h.public(t, h.a, http.MethodPost, "/v1/public/chat/message", map[string]any{"sessionId": sid, "message": "hello?"}); r.Status != http.StatusOK ||
		r.Header.Get("RateLimit-Remaining") != "19" {
		// 19: only this message counted, none of the escalations.
		t.Fatalf("chat after the escalation limit: %s, RateLimit-Remaining %q, want 19", r, r.Header.Get("RateLimit-Remaining"))
	}
}

// history returns the messages of a session, by resuming it.
func (h *harness) history(t *testing.T, f *storetest.Fixture, sessionID string) []struct {
	ID   string `json:"id"`
	Role string `json:"role"`
} {
	t.Helper()
	var out struct {
		Messages []struct {
			ID   string `json:"id"`
			Role string `json:"role"`
		} `json:"messages"`
	}
	decode(t, h.public(t, f, http.MethodPost, "/v1/public/chat/session", map[string]any{"sessionId": sessionID}), &out)
	return out.Messages
}

func TestFractionalRating(t *testing.T) {
	h := sqliteHarness(t)
	sid := h.newSession(t, h.a)
	e := wantError(t, h.public(t, h.a, http.MethodPost, "/v1/public/chat/feedback",
		map[string]any{"sessionId": sid, "feedbackType": "RATING", "rating": 4.5}), http.StatusBadRequest, frontdesk.EInvalid)
	if len(e.Details) != 1 || e.Details[0].Field != "rating" || e.Details[0].Message != "must be a whole number" {
		t.Fatalf("details %+v", e.Details)
	}
}
