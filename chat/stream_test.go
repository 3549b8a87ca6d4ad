package chat_test

import (
	"strings"
	"testing"

	"github.com/frontdeskhq/frontdesk"
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

// TestSendStreamProposalEndsTurn: a proposal ends the turn without another
// model call; what the model said before its call and the request to
// confirm are streamed and are the reply.
func TestSendStreamProposalEndsTurn(t *testing.T) {
	e := sqliteEnv(t, opts{model: true})
	e.fake.Reply(claudetest.TextAndToolUse("Let me prepare that. ", frontdesk.ToolBookService, map[string]any{"packageId": "portrait",
		"date": "2026-12-11", "startTime": "10:15", "customerName": "Ada Lovelace", "customerEmail": "ada@example.com"}))
	sid := e.session(t, e.a)
	var streamed strings.Builder
	r, err := e.svc.SendStream(ctx, e.a.Tenant, sid, "Book a portrait tomorrow at 10:15, Ada Lovelace, ada@example.com", func(s string) { streamed.WriteString(s) })
	if err != nil {
		t.Fatal(err)
	}
	const want = "Let me prepare that. \n\nI've prepared your booking. Please check the details and press Confirm."
	if streamed.String() != want || r.Message != want {
		t.Fatalf("streamed %q, reply %q, want both %q", streamed.String(), r.Message, want)
	}
	if r.Proposal == nil || len(e.fake.Requests()) != 1 || e.fake.Pending() != 0 {
		t.Fatalf("proposal %+v after %d model calls, want one after a single call", r.Proposal, len(e.fake.Requests()))
	}
}
