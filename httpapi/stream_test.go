package httpapi_test

import (
	"bufio"
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/frontdeskhq/frontdesk"
	"github.com/frontdeskhq/frontdesk/claude"
	"github.com/frontdeskhq/frontdesk/claude/claudetest"
)

type event struct {
	Type        string   `json:"type"`
	Content     string   `json:"content"`
	Message     string   `json:"message"`
	MessageID   string   `json:"messageId"`
	Error       string   `json:"error"`
	Suggestions []string `json:"suggestions"`
	Proposal    *struct {
		ProposalID string `json:"proposalId"`
		Preview    string `json:"preview"`
	} `json:"proposal"`
}

// events splits an event stream into its data events and counts its
// comment lines.
func events(t *testing.T, body []byte) (evs []event, comments int) {
	t.Helper()
	sc := bufio.NewScanner(strings.NewReader(string(body)))
	for sc.Scan() {
		line := sc.Text()
		switch {
		case strings.HasPrefix(line, ":"):
			comments++
		case strings.HasPrefix(line, "data: "):
			var ev event
			if err := json.Unmarshal([]byte(strings.TrimPrefix(line, "data: ")), &ev); err != nil {
				t.Fatalf("event %q: %v", line, err)
			}
			evs = append(evs, ev)
		}
	}
	return evs, comments
}

func TestMessageStream(t *testing.T) {
	eachBackend(t, func(t *testing.T, h *harness) {
		stream := func(sid, msg string) response {
			return h.public(t, h.a, http.MethodPost, "/v1/public/chat/message/stream", map[string]any{"sessionId": sid, "message": msg})
		}
		sid := h.newSession(t, h.a)
		r := stream(sid, "what services do you have?")
		if r.Status != http.StatusOK || !strings.HasPrefix(r.Header.Get("Content-Type"), "text/event-stream") {
			t.Fatalf("stream answer %d %s", r.Status, r.Header.Get("Content-Type"))
		}
		evs, _ := events(t, r.Body)
		var text strings.Builder
		for _, ev := range evs[:len(evs)-1] {
			if ev.Type != "chunk" {
				t.Fatalf("event %+v before done, want chunks", ev)
			}
			text.WriteString(ev.Content)
		}
		done := evs[len(evs)-1]
		if len(evs) < 3 || done.Type != "done" || !frontdesk.ValidID(done.MessageID) || done.Message != text.String() ||
			!strings.Contains(done.Message, "Wedding Photography") || len(done.Suggestions) == 0 {
			t.Fatalf("events %+v", evs)
		}

		// A turn that prepares a booking sends the proposal, then done with it.
		r = stream(sid, "wedding on dec 18, I'm Ann Lee, ann@example.com, 555 123 4567")
		evs, _ = events(t, r.Body)
		var proposal, last event
		for _, ev := range evs {
			if ev.Type == "proposal" {
				proposal = ev
			}
			last = ev
		}
		if proposal.Proposal == nil || last.Type != "done" || last.Proposal == nil || last.Proposal.ProposalID != proposal.Proposal.ProposalID {
			t.Fatalf("booking turn events %+v", evs)
		}

		// Before the stream opens, bad input and unknown sessions are ordinary errors.
		wantError(t, stream(frontdesk.NewID(), "hi"), http.StatusNotFound, frontdesk.ENotFound)
		wantError(t, stream(sid, ""), http.StatusBadRequest, frontdesk.EInvalid)
		wantError(t, h.public(t, h.b, http.MethodPost, "/v1/public/chat/message/stream", map[string]any{"sessionId": sid, "message": "hi"}), http.StatusNotFound, frontdesk.ENotFound)
	})
}

// TestMessageStreamHeartbeatAndModel streams a slow model: its text arrives
// as chunks, and comment lines keep the idle stream open meanwhile.
func TestMessageStreamHeartbeatAndModel(t *testing.T) {
	h := sqliteHarness(t)
	fake := claudetest.NewServer(t)
	fake.Reply(claudetest.Delay(150*time.Millisecond, claudetest.Text("We have weddings and portraits.")))
	h.chat.LLM = claude.New(claude.Config{APIKey: "test", BaseURL: fake.URL, Timeout: 5 * time.Second})
	h.server.StreamHeartbeat = 20 * time.Millisecond
	h.restart(t)
	sid := h.newSession(t, h.a)
	r := h.public(t, h.a, http.MethodPost, "/v1/public/chat/message/stream", map[string]any{"sessionId": sid, "message": "what do you offer?"})
	evs, comments := events(t, r.Body)
	if comments < 3 {
		t.Fatalf("%d comment lines during a 150 ms turn with a 20 ms heartbeat, want at least 3", comments)
	}
	var text strings.Builder
	for _, ev := range evs {
		if ev.Type == "chunk" {
			text.WriteString(ev.Content)
		}
	}
	if text.String() != "We have weddings and portraits." || evs[len(evs)-1].Message != "We have weddings and portraits." {
		t.Fatalf("events %+v", evs)
	}
	if !fake.Requests()[0].Stream {
		t.Fatal("the model was not asked to stream")
	}
}

// TestMessageStreamClientGone: closing the connection stops the turn; no
// answer is stored for a visitor who left.
func TestMessageStreamClientGone(t *testing.T) {
	h := sqliteHarness(t)
	fake := claudetest.NewServer(t)
	fake.Reply(claudetest.Delay(10*time.Second, claudetest.Text("too late")))
	h.chat.LLM = claude.New(claude.Config{APIKey: "test", BaseURL: fake.URL, Timeout: 20 * time.Second, MaxRetries: -1})
	h.restart(t)
	sid := h.newSession(t, h.a)
	ctx, cancel := context.WithCancel(context.Background())
	req, _ := http.NewRequestWithContext(ctx, http.MethodPost, h.srv.URL+"/v1/public/chat/message/stream",
		strings.NewReader(`{"sessionId":"`+sid+`","message":"hello"}`))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-Tenant-Key", h.a.Tenant.PublicKey)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	line, _ := bufio.NewReader(res.Body).ReadString('\n') // the stream is open
	if !strings.HasPrefix(line, ":") {
		t.Fatalf("first line %q", line)
	}
	cancel()
	res.Body.Close()
	deadline := time.Now().Add(5 * time.Second) // far below the model's 10 s
	for !strings.Contains(h.logs.String(), "path=/v1/public/chat/message/stream") {
		if time.Now().After(deadline) {
			t.Fatalf("the turn did not stop when the client left:\n%s", h.logs.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
	msgs, err := h.store.RecentMessages(context.Background(), h.a.Tenant.ID, sid, 10)
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range msgs {
		if m.Role == frontdesk.RoleAssistant {
			t.Fatalf("an answer was stored for a visitor who left: %q", m.Content)
		}
	}
}
