package claudetest_test

import (
	"context"
	"strings"
	"testing"

	"github.com/anthropics/anthropic-sdk-go"

	"github.com/frontdeskhq/frontdesk/claude/claudetest"
)

// TestPromptCacheAccounting: a breakpoint writes its prefix, a later
// request sharing it reads it (moving the marker does not change the
// prefix), a change in the prefix misses, the lookback reaches 20 blocks
// back and no further, prefixes under the minimum are not cached, and the
// default usage splits the tokens the same way.
func TestPromptCacheAccounting(t *testing.T) {
	srv := claudetest.NewServer(t)
	c := sdk(srv)
	cc := anthropic.NewCacheControlEphemeralParam()
	system := strings.Repeat("You are the front desk. ", 40)
	text := func(s string, mark bool) anthropic.ContentBlockParamUnion {
		b := anthropic.NewTextBlock(s)
		if mark {
			b.OfText.CacheControl = cc
		}
		return b
	}
	send := func(sys string, msgs ...anthropic.MessageParam) claudetest.Request {
		t.Helper()
		srv.Reply(claudetest.Text("ok"))
		p := anthropic.MessageNewParams{Model: anthropic.ModelClaudeSonnet5_5, MaxTokens: 10, Messages: msgs,
			System: []anthropic.TextBlockParam{{Text: sys, CacheControl: cc}}}
		msg, err := c.Messages.New(context.Background(), p)
		if err != nil {
			t.Fatal(err)
		}
		r := srv.Requests()[len(srv.Requests())-1]
		u := r.Cache
		if u.ReadBytes < 0 || u.WriteBytes < 0 || u.UncachedBytes < 0 || u.ReadBytes+u.WriteBytes > u.InputBytes {
			t.Fatalf("usage does not add up: %+v", u)
		}
		if msg.Usage.CacheReadInputTokens != int64(u.ReadBytes/4) || msg.Usage.CacheCreationInputTokens != int64(u.WriteBytes/4) {
			t.Errorf("reported usage %+v for %+v", msg.Usage, u)
		}
		return r
	}
	user := func(blocks ...anthropic.ContentBlockParamUnion) anthropic.MessageParam {
		return anthropic.NewUserMessage(blocks...)
	}

	r1 := send(system, user(text("hi", false)))
	if r1.Cache.ReadBytes != 0 || r1.Cache.WriteBytes == 0 || r1.Cache.UncachedBytes == 0 {
		t.Fatalf("first request: %+v, want the system prompt written and the message uncached", r1.Cache)
	}
	sysBytes := r1.Cache.WriteBytes
	r2 := send(system, user(text("hi", true)))
	if r2.Cache.ReadBytes != sysBytes || r2.Cache.WriteBytes != r2.Cache.InputBytes-sysBytes || r2.Cache.UncachedBytes != 0 {
		t.Fatalf("second request: %+v, want the system read and the message written", r2.Cache)
	}
	r3 := send(system, user(text("hi", false), text("more", true)))
	if r3.Cache.ReadBytes != r2.Cache.InputBytes {
		t.Fatalf("third request read %d, want the %d cached by the second (the marker moved, the prefix did not)", r3.Cache.ReadBytes, r2.Cache.InputBytes)
	}
	if r4 := send(system+"!", user(text("hi", true))); r4.Cache.ReadBytes != 0 {
		t.Fatalf("a changed system prompt read %d bytes", r4.Cache.ReadBytes)
	}

	// The lookback: the cached prefix 19 blocks before a breakpoint is
	// found (20 checked, the breakpoint's own block included), 20 is not.
	blocks := func(n int) []anthropic.ContentBlockParamUnion {
		out := []anthropic.ContentBlockParamUnion{text("hi", false), text("more", false)}
		for i := range n {
			out = append(out, text("block "+strings.Repeat("x", i+1), i == n-1))
		}
		return out
	}
	if r := send(system, user(blocks(19)...)); r.Cache.ReadBytes != r3.Cache.InputBytes {
		t.Errorf("19 blocks past the cached prefix: read %d, want %d", r.Cache.ReadBytes, r3.Cache.InputBytes)
	}
	srv.ResetCache()
	send(system, user(text("hi", false), text("more", true)))
	if r := send(system, user(blocks(20)...)); r.Cache.ReadBytes != sysBytes {
		t.Errorf("20 blocks past the cached prefix: read %d, want only the system prompt's %d", r.Cache.ReadBytes, sysBytes)
	}

	// Under the minimum nothing is cached.
	srv.ResetCache()
	srv.SetCacheMinimum(1024)
	send(system, user(text("hi", true)))
	if r := send(system, user(text("hi", true))); r.Cache.ReadBytes != 0 || r.Cache.WriteBytes != 0 {
		t.Errorf("a prefix under 1,024 tokens was cached: %+v", r.Cache)
	}
}
