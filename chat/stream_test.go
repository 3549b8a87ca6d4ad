package chat_test

import (
	"strings"
	"testing"

	"github.com/frontdeskhq/frontdesk/claude/claudetest"
)

func TestSendStreamGuided(t *testing.T) {
	e := sqliteEnv(t, opts{})
	sid := e.session(t, e.a)
	var pieces []string
	r, err := e.svc.SendStream(ctx, e.a.Tenant, sid, "what services do you have?", func(s string) { pieces = append(pieces, s) })
	if err != nil {
		t.Fatal(err)
	}
	if len(pieces) < 2 || strings.Join(pieces, "") != r.Message {
		t.Fatalf("%d pieces joining to %q, want several joining to the reply %q", len(pieces), strings.Join(pieces, ""), r.Message)
	}
}

func TestSendStreamModel(t *testing.T) {
	e := sqliteEnv(t, opts{model: true})
	e.fake.Reply(
		claudetest.TextAndToolUse("Let me look that up. ", "get_services", map[string]any{}),
		claudetest.Text("We offer weddings, portraits and free consultations."),
	)
	sid := e.session(t, e.a)
	var streamed strings.Builder
	r, err := e.svc.SendStream(ctx, e.a.Tenant, sid, "what do you offer?", func(s string) { streamed.WriteString(s) })
	if err != nil {
		t.Fatal(err)
	}
	if streamed.String() != "Let me look that up. We offer weddings, portraits and free consultations." {
		t.Fatalf("streamed %q", streamed.String())
	}
	if r.Message != "We offer weddings, portraits and free consultations." {
		t.Fatalf("reply %q, want the final round's text", r.Message)
	}
	for i, req := range e.fake.Requests() {
		if !req.Stream {
			t.Errorf("model request %d was not streamed", i)
		}
	}
}
