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

// TestProposalEndsOnlyAProposalRound: two proposals in one round go back
// to the model, which can explain both; a round that only made one ends
// the turn, and the next turn's history tells the model what the card
// showed.
func TestProposalEndsOnlyAProposalRound(t *testing.T) {
	e := sqliteEnv(t, opts{model: true})
	book := func(hm string) claudetest.Block {
		return claudetest.ToolUseBlock(frontdesk.ToolBookService, map[string]any{"packageId": "portrait", "date": "2026-12-11", "startTime": hm,
			"customerName": "Ada Lovelace", "customerEmail": "ada@example.com"})
	}
	const both = "Both are ready: 10:15 and 11:30 on Friday. Please confirm the one you want."
	e.fake.Reply(claudetest.Content(book("10:15"), book("11:30")), claudetest.Text(both))
	r := e.send(t, e.a, e.session(t, e.a), "Book a portrait tomorrow at 10:15 or 11:30")
	if n := len(e.fake.Requests()); n != 2 || r.Message != both || r.Proposal == nil {
		t.Fatalf("two proposals: %d model calls, answer %q, proposal %+v; want the model to explain them", n, r.Message, r.Proposal)
	}
	// A reply carries one card: the last proposal made.
	wantContains(t, "card", r.Proposal.Preview, "11:30 AM")

	sid := e.session(t, e.a)
	e.fake.Reply(claudetest.Content(book("10:15")))
	r = e.send(t, e.a, sid, "Book a portrait tomorrow at 10:15")
	if n := len(e.fake.Requests()); n != 3 || r.Proposal == nil {
		t.Fatalf("one proposal: %d model calls in all, proposal %+v; want the turn to end after one", n, r.Proposal)
	}
	e.fake.Reply(claudetest.Text("Sure, one slot later is 11:30."))
	e.send(t, e.a, sid, "Actually make it one slot later")
	reqs := e.fake.Requests()
	var history []string
	for _, m := range reqs[len(reqs)-1].Messages {
		for _, b := range m.Content {
			history = append(history, b.Text)
		}
	}
	wantContains(t, "next turn's history", strings.Join(history, "\n"), "Proposal shown to the customer: "+r.Proposal.Preview)
}
