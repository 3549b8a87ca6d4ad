package claude_test

import (
	"context"
	"testing"

	"github.com/frontdeskhq/frontdesk"
	"github.com/frontdeskhq/frontdesk/claude"
	"github.com/frontdeskhq/frontdesk/claude/claudetest"
)

func assistantText(s string) frontdesk.LLMMessage {
	return frontdesk.LLMMessage{Role: frontdesk.RoleAssistant, Blocks: []frontdesk.Block{{Type: frontdesk.BlockText, Text: s}}}
}

// TestConversationBreakpoints: the static system part is marked and the
// day's context follows it unmarked; the messages named by CacheMessages
// are marked on their last block, the latest first, within the API's 4;
// a message left out (no content) passes its mark to the one before.
func TestConversationBreakpoints(t *testing.T) {
	c, srv := newClient(t, claude.Config{})
	srv.Reply(claudetest.Text("a"), claudetest.Text("b"))
	msgs := []frontdesk.LLMMessage{userText("hi"), assistantText("hello"), userText("one"), assistantText("  "), userText("two")}
	req := frontdesk.LLMRequest{System: "static", Context: "Today is Monday.", Tools: tools, Messages: msgs, CacheMessages: []int{0, 2, 4}}
	if _, err := c.Complete(context.Background(), req); err != nil {
		t.Fatal(err)
	}
	// Index 3 has no content and is left out: its mark goes to message 2.
	req.CacheMessages = []int{3, 99, -1}
	if _, err := c.Complete(context.Background(), req); err != nil {
		t.Fatal(err)
	}
	reqs := srv.Requests()
	r := reqs[0]
	if len(r.SystemBlocks) != 2 || r.SystemBlocks[0].Text != "static" || r.SystemBlocks[0].CacheControl == nil ||
		r.SystemBlocks[1].Text != "Today is Monday." || r.SystemBlocks[1].CacheControl != nil {
		t.Fatalf("system = %+v", r.SystemBlocks)
	}
	marked := func(r claudetest.Request) []int {
		var out []int
		for i, m := range r.Messages {
			if m.Content[len(m.Content)-1].CacheControl != nil {
				out = append(out, i)
			}
		}
		return out
	}
	// 4 sent messages (the empty one left out): 1 tool + 1 system + the 2
	// latest marks.
	if got := marked(r); len(got) != 2 || got[0] != 2 || got[1] != 3 || r.Cache.Breakpoints != 4 {
		t.Errorf("marked messages %v (%d breakpoints), want [2 3] of 4 sent and 4 in all", got, r.Cache.Breakpoints)
	}
	if got := marked(reqs[1]); len(got) != 1 || got[0] != 2 {
		t.Errorf("marked messages %v, want [2]", got)
	}
	// The second request shares the prefix up to "one": read from the cache.
	if reqs[1].Cache.ReadBytes == 0 || reqs[1].Cache.WriteBytes != 0 {
		t.Errorf("second request cache %+v", reqs[1].Cache)
	}
}
