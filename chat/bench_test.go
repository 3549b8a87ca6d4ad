package chat_test

import (
	"testing"

	"github.com/frontdeskhq/frontdesk"
	"github.com/frontdeskhq/frontdesk/claude/claudetest"
)

// BenchmarkChatTurn measures one customer message answered by the model on
// SQLite: two round trips to the fake Messages API through the real claude
// adapter (tool_use get_services, then text) and one tool call, with the
// messages, session state and token usage stored. Each turn opens a new
// conversation, so every iteration sends the same history.
func BenchmarkChatTurn(b *testing.B) {
	e := sqliteEnv(b, opts{model: true})
	const answer = "We offer Wedding Photography, Portrait Sessions and a Free Consultation."
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		b.StopTimer()
		sid := e.session(b, e.a)
		e.fake.Reply(claudetest.ToolUse(frontdesk.ToolGetServices, map[string]any{}), claudetest.Text(answer))
		b.StartTimer()
		r, err := e.svc.Send(ctx, e.a.Tenant, sid, "What do you offer?")
		if err != nil {
			b.Fatal(err)
		}
		if r.Message != answer {
			b.Fatalf("reply %q: the model did not answer (steps left: %d)", r.Message, e.fake.Pending())
		}
	}
	b.StopTimer()
	if n := len(e.fake.Requests()); n != 2*b.N {
		b.Fatalf("%d model requests for %d turns, want two each", n, b.N)
	}
}
