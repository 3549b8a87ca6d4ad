package app

import (
	"context"
	"io"
	"log/slog"
	"path/filepath"
	"testing"
	"time"
)

func TestNewWiresLimits(t *testing.T) {
	env := map[string]string{"DATABASE_URL": filepath.Join(t.TempDir(), "a.db")}
	cfg, err := LoadConfig(func(k string) string { return env[k] })
	if err != nil {
		t.Fatal(err)
	}
	a, err := New(context.Background(), cfg, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	chat, esc := a.Server.ChatLimiter, a.Server.EscalationLimiter
	if chat.Limit != 20 || chat.Window != time.Minute || esc.Limit != 3 || esc.Window != time.Hour {
		t.Fatalf("chat %d/%v, escalation %d/%v; want 20/min and 3/hour", chat.Limit, chat.Window, esc.Limit, esc.Window)
	}
	// The escalation budget is separate from the chat budget of the same client.
	ctx := context.Background()
	for i := 0; i < 3; i++ {
		if !esc.Allow(ctx, "203.0.113.5").Allowed {
			t.Fatalf("escalation %d refused", i+1)
		}
	}
	if esc.Allow(ctx, "203.0.113.5").Allowed {
		t.Fatal("the 4th escalation in an hour was allowed")
	}
	if d := chat.Allow(ctx, "203.0.113.5"); !d.Allowed || d.Remaining != 19 {
		t.Fatalf("chat after escalations: %+v", d)
	}
	if a.Server.SessionLimiter == nil || a.Server.SessionLimiter.Limit != 30 {
		t.Fatal("new chat sessions are not limited")
	}
	if !a.Server.DevMailbox || !a.Server.TestCheckout || a.Chat.LLM != nil {
		t.Fatal("embedded defaults: want dev mailbox, test-mode checkout and the guided assistant")
	}
}
