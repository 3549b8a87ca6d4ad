package claude_test

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/anthropics/anthropic-sdk-go"

	"github.com/frontdeskhq/frontdesk"
	"github.com/frontdeskhq/frontdesk/claude"
	"github.com/frontdeskhq/frontdesk/claude/claudetest"
)

const testKey = "sk-ant-test-key"

func newClient(t *testing.T, cfg claude.Config) (*claude.Client, *claudetest.Server) {
	t.Helper()
	srv := claudetest.NewServer(t)
	cfg.BaseURL = srv.URL
	if cfg.APIKey == "" {
		cfg.APIKey = testKey
	}
	return claude.New(cfg), srv
}

var tools = []frontdesk.ToolSpec{
	{
		Name:        frontdesk.ToolGetServices,
		Description: "List the business's services.",
		InputSchema: json.RawMessage(`{"type":"object","properties":{"category":{"type":"string"}}}`),
	},
	{
		Name:        frontdesk.ToolCheckAvailability,
		Description: "Open dates or slots of a package.",
		InputSchema: json.RawMessage(`{"type":"object","properties":{"packageId":{"type":"string"},"startDate":{"type":"string","format":"date"}},"required":["packageId"],"additionalProperties":false}`),
	},
}

func userText(s string) frontdesk.LLMMessage {
	return frontdesk.LLMMessage{Role: frontdesk.RoleUser, Blocks: []frontdesk.Block{{Type: frontdesk.BlockText, Text: s}}}
}

func TestTextReply(t *testing.T) {
	c, srv := newClient(t, claude.Config{})
	srv.Reply(claudetest.WithUsage(claudetest.Usage{
		InputTokens: 120, OutputTokens: 7, CacheCreationInputTokens: 900, CacheReadInputTokens: 30,
	}, claudetest.Text("We are open 9 to 5.")))

	resp, err := c.Complete(context.Background(), frontdesk.LLMRequest{
		System:    "You are the front desk.",
		Messages:  []frontdesk.LLMMessage{userText("When are you open?")},
		MaxTokens: 300,
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(resp.Blocks) != 1 || resp.Blocks[0].Type != frontdesk.BlockText || resp.Blocks[0].Text != "We are open 9 to 5." {
		t.Fatalf("blocks = %+v", resp.Blocks)
	}
	if resp.StopReason != "end_turn" {
		t.Errorf("stop reason = %q", resp.StopReason)
	}
	if resp.Model != claude.DefaultModel {
		t.Errorf("model = %q, want %q", resp.Model, claude.DefaultModel)
	}
	want := frontdesk.LLMUsage{InputTokens: 120, OutputTokens: 7, CacheReadTokens: 30, CacheWriteTokens: 900}
	if resp.Usage != want {
		t.Errorf("usage = %+v, want %+v", resp.Usage, want)
	}

	reqs := srv.Requests()
	if len(reqs) != 1 {
		t.Fatalf("%d requests", len(reqs))
	}
	r := reqs[0]
	if r.Model != claude.DefaultModel || r.MaxTokens != 300 || r.Stream {
		t.Errorf("model %q max_tokens %d stream %v", r.Model, r.MaxTokens, r.Stream)
	}
	if r.System != "You are the front desk." {
		t.Errorf("system = %q", r.System)
	}
	if len(r.Messages) != 1 || r.Messages[0].Role != "user" || r.Messages[0].Content[0].Text != "When are you open?" {
		t.Errorf("messages = %+v", r.Messages)
	}
}

func TestDefaultsAndModel(t *testing.T) {
	c, srv := newClient(t, claude.Config{Model: "claude-haiku-4-5"})
	srv.Reply(claudetest.Text("hi"))
	if c.Model() != "claude-haiku-4-5" {
		t.Errorf("Model() = %q", c.Model())
	}
	resp, err := c.Complete(context.Background(), frontdesk.LLMRequest{Messages: []frontdesk.LLMMessage{userText("hello")}})
	if err != nil {
		t.Fatal(err)
	}
	if resp.Model != "claude-haiku-4-5" {
		t.Errorf("model = %q", resp.Model)
	}
	r := srv.Requests()[0]
	if r.MaxTokens != claude.DefaultMaxTokens {
		t.Errorf("max_tokens = %d", r.MaxTokens)
	}
	if len(r.SystemBlocks) != 0 || len(r.ToolDefs) != 0 {
		t.Errorf("empty system/tools sent: %s", r.Raw)
	}
}

func TestToolUseReply(t *testing.T) {
	c, srv := newClient(t, claude.Config{})
	srv.Reply(claudetest.TextAndToolUse("Let me check.", frontdesk.ToolCheckAvailability,
		map[string]any{"packageId": "pkg_1", "startDate": "2026-12-01"}))

	resp, err := c.Complete(context.Background(), frontdesk.LLMRequest{
		Tools:    tools,
		Messages: []frontdesk.LLMMessage{userText("Is the 1st free?")},
	})
	if err != nil {
		t.Fatal(err)
	}
	if resp.StopReason != "tool_use" {
		t.Errorf("stop reason = %q", resp.StopReason)
	}
	if len(resp.Blocks) != 2 {
		t.Fatalf("blocks = %+v", resp.Blocks)
	}
	if b := resp.Blocks[0]; b.Type != frontdesk.BlockText || b.Text != "Let me check." {
		t.Errorf("block 0 = %+v", b)
	}
	b := resp.Blocks[1]
	if b.Type != frontdesk.BlockToolUse || b.ToolName != frontdesk.ToolCheckAvailability || !strings.HasPrefix(b.ToolUseID, "toolu_") {
		t.Errorf("block 1 = %+v", b)
	}
	var in frontdesk.CheckAvailabilityIn
	if err := json.Unmarshal(b.Input, &in); err != nil {
		t.Fatalf("input %s: %v", b.Input, err)
	}
	if in.PackageID != "pkg_1" || in.StartDate != "2026-12-01" {
		t.Errorf("input = %s", b.Input)
	}
}

func TestToolResultSentBack(t *testing.T) {
	c, srv := newClient(t, claude.Config{})
	srv.Reply(
		claudetest.ToolUse(frontdesk.ToolGetServices, map[string]any{}),
		claudetest.Text("Sorry, I could not load the services."),
	)
	ctx := context.Background()
	msgs := []frontdesk.LLMMessage{userText("What do you offer?")}
	first, err := c.Complete(ctx, frontdesk.LLMRequest{Tools: tools, Messages: msgs})
	if err != nil {
		t.Fatal(err)
	}
	use := first.Blocks[0]
	if string(use.Input) != "{}" {
		t.Errorf("input = %s", use.Input)
	}
	msgs = append(msgs,
		frontdesk.LLMMessage{Role: frontdesk.RoleAssistant, Blocks: first.Blocks},
		frontdesk.LLMMessage{Role: frontdesk.RoleUser, Blocks: []frontdesk.Block{{
			Type:      frontdesk.BlockToolResult,
			ToolUseID: use.ToolUseID,
			Content:   `{"success":false,"error":"The catalogue is unavailable."}`,
			IsError:   true,
		}}},
	)
	second, err := c.Complete(ctx, frontdesk.LLMRequest{Tools: tools, Messages: msgs})
	if err != nil {
		t.Fatal(err)
	}
	if second.Blocks[0].Text != "Sorry, I could not load the services." {
		t.Errorf("second = %+v", second.Blocks)
	}

	reqs := srv.Requests()
	if len(reqs) != 2 {
		t.Fatalf("%d requests", len(reqs))
	}
	r := reqs[1]
	if len(r.Messages) != 3 {
		t.Fatalf("messages = %+v", r.Messages)
	}
	asst := r.Messages[1]
	if asst.Role != "assistant" || len(asst.Content) != 1 || asst.Content[0].Type != "tool_use" ||
		asst.Content[0].ID != use.ToolUseID || asst.Content[0].Name != frontdesk.ToolGetServices || string(asst.Content[0].Input) != "{}" {
		t.Errorf("assistant turn = %s", asst.Content[0].Raw)
	}
	results := r.ToolResults()
	if len(results) != 1 {
		t.Fatalf("tool results = %+v", results)
	}
	res := results[0]
	if r.LastMessage().Role != "user" || res.ToolUseID != use.ToolUseID || !res.IsError ||
		res.ContentText() != `{"success":false,"error":"The catalogue is unavailable."}` {
		t.Errorf("tool_result = %s", res.Raw)
	}
	// The exact wire shape.
	var wire map[string]any
	if err := json.Unmarshal(res.Raw, &wire); err != nil {
		t.Fatal(err)
	}
	if wire["type"] != "tool_result" || wire["is_error"] != true || wire["tool_use_id"] != use.ToolUseID {
		t.Errorf("tool_result wire = %s", res.Raw)
	}
	content, _ := wire["content"].([]any)
	if len(content) != 1 || content[0].(map[string]any)["type"] != "text" {
		t.Errorf("tool_result content = %s", res.Raw)
	}

	// A successful result carries no is_error.
	msgs[2].Blocks[0].IsError = false
	srv.Reply(claudetest.Text("ok"))
	if _, err := c.Complete(ctx, frontdesk.LLMRequest{Tools: tools, Messages: msgs}); err != nil {
		t.Fatal(err)
	}
	last := srv.Requests()[2].ToolResults()[0]
	if last.IsError || strings.Contains(string(last.Raw), "is_error") {
		t.Errorf("tool_result = %s", last.Raw)
	}
}

func TestPromptCaching(t *testing.T) {
	c, srv := newClient(t, claude.Config{})
	srv.Reply(claudetest.Text("a"), claudetest.Text("b"))
	req := frontdesk.LLMRequest{
		System:   "You are the front desk of Acme Yoga.",
		Tools:    tools,
		Messages: []frontdesk.LLMMessage{userText("hi")},
	}
	for range 2 {
		if _, err := c.Complete(context.Background(), req); err != nil {
			t.Fatal(err)
		}
	}
	reqs := srv.Requests()
	r := reqs[0]
	if len(r.SystemBlocks) != 1 || r.SystemBlocks[0].Type != "text" || r.SystemBlocks[0].Text != req.System {
		t.Fatalf("system = %+v", r.SystemBlocks)
	}
	if cc := r.SystemBlocks[0].CacheControl; cc == nil || cc.Type != "ephemeral" {
		t.Errorf("system cache_control = %+v", cc)
	}
	if strings.Join(r.Tools, ",") != frontdesk.ToolGetServices+","+frontdesk.ToolCheckAvailability {
		t.Errorf("tools = %v", r.Tools)
	}
	if r.ToolDefs[0].CacheControl != nil {
		t.Errorf("first tool has cache_control")
	}
	if cc := r.ToolDefs[1].CacheControl; cc == nil || cc.Type != "ephemeral" {
		t.Errorf("last tool cache_control = %+v", cc)
	}
	if r.ToolDefs[1].Description != tools[1].Description {
		t.Errorf("description = %q", r.ToolDefs[1].Description)
	}
	// The schema goes out as given, and byte-identical on every call (a
	// cache hit needs an identical prefix).
	if string(r.ToolDefs[1].InputSchema) != string(tools[1].InputSchema) {
		t.Errorf("schema = %s", r.ToolDefs[1].InputSchema)
	}
	prefix := func(raw json.RawMessage) string {
		var m map[string]json.RawMessage
		if err := json.Unmarshal(raw, &m); err != nil {
			t.Fatal(err)
		}
		return string(m["system"]) + string(m["tools"])
	}
	if prefix(reqs[0].Raw) != prefix(reqs[1].Raw) {
		t.Errorf("cached prefix differs:\n%s\n%s", reqs[0].Raw, reqs[1].Raw)
	}
}

func TestAPIKeyHeader(t *testing.T) {
	c, srv := newClient(t, claude.Config{APIKey: "sk-ant-abc123"})
	srv.Reply(claudetest.Text("hi"))
	if _, err := c.Complete(context.Background(), frontdesk.LLMRequest{Messages: []frontdesk.LLMMessage{userText("hello")}}); err != nil {
		t.Fatal(err)
	}
	r := srv.Requests()[0]
	if r.APIKey != "sk-ant-abc123" {
		t.Errorf("x-api-key = %q", r.APIKey)
	}
	if r.Version == "" {
		t.Error("no anthropic-version header")
	}
	if r.Header.Get("Authorization") != "" {
		t.Errorf("authorization header sent too")
	}
}

func TestNoAPIKey(t *testing.T) {
	t.Setenv("ANTHROPIC_API_KEY", "sk-ant-from-env") // ignored: Config is the only source
	srv := claudetest.NewServer(t)
	c := claude.New(claude.Config{BaseURL: srv.URL})
	_, err := c.Complete(context.Background(), frontdesk.LLMRequest{Messages: []frontdesk.LLMMessage{userText("hello")}})
	var apiErr *anthropic.Error
	if !errors.As(err, &apiErr) || apiErr.StatusCode != 401 {
		t.Fatalf("err = %v, want a 401", err)
	}
	if srv.Pending() != 0 || len(srv.Requests()) != 1 || srv.Requests()[0].Rejected == "" {
		t.Errorf("requests = %+v", srv.Requests())
	}
}

func TestServerErrorAfterRetries(t *testing.T) {
	c, srv := newClient(t, claude.Config{}) // MaxRetries defaults to 1
	srv.Reply(
		claudetest.WithHeader("retry-after-ms", "1", claudetest.Status(500, "api_error", "Internal server error")),
		claudetest.Status(500, "api_error", "Internal server error"),
	)
	_, err := c.Complete(context.Background(), frontdesk.LLMRequest{Messages: []frontdesk.LLMMessage{userText("hello")}})
	if err == nil {
		t.Fatal("no error")
	}
	var apiErr *anthropic.Error
	if !errors.As(err, &apiErr) || apiErr.StatusCode != 500 || apiErr.Type() != anthropic.ErrorTypeAPIError {
		t.Errorf("err = %v", err)
	}
	if n := len(srv.Requests()); n != 2 {
		t.Errorf("%d attempts, want 2", n)
	}
	if strings.Contains(err.Error(), testKey) {
		t.Errorf("error leaks the key: %v", err)
	}
}

func TestRetryThenSuccess(t *testing.T) {
	c, srv := newClient(t, claude.Config{})
	srv.Reply(
		claudetest.WithHeader("retry-after-ms", "1", claudetest.Status(529, "", "Overloaded")),
		claudetest.Text("hi"),
	)
	resp, err := c.Complete(context.Background(), frontdesk.LLMRequest{Messages: []frontdesk.LLMMessage{userText("hello")}})
	if err != nil {
		t.Fatal(err)
	}
	if resp.Blocks[0].Text != "hi" || len(srv.Requests()) != 2 {
		t.Errorf("resp %+v after %d requests", resp, len(srv.Requests()))
	}
}

func TestNoRetries(t *testing.T) {
	c, srv := newClient(t, claude.Config{MaxRetries: -1})
	srv.Reply(claudetest.Status(529, "overloaded_error", "Overloaded"))
	if _, err := c.Complete(context.Background(), frontdesk.LLMRequest{Messages: []frontdesk.LLMMessage{userText("hello")}}); err == nil {
		t.Fatal("no error")
	}
	if n := len(srv.Requests()); n != 1 {
		t.Errorf("%d attempts, want 1", n)
	}
}

func TestTimeout(t *testing.T) {
	c, srv := newClient(t, claude.Config{Timeout: 200 * time.Millisecond})
	srv.Reply(claudetest.Delay(5*time.Second, claudetest.Text("too late")))
	start := time.Now()
	_, err := c.Complete(context.Background(), frontdesk.LLMRequest{Messages: []frontdesk.LLMMessage{userText("hello")}})
	elapsed := time.Since(start)
	if err == nil {
		t.Fatal("no error")
	}
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("err = %v, want a deadline error", err)
	}
	if elapsed > 2*time.Second {
		t.Errorf("took %s", elapsed)
	}
}

func TestCallerCancel(t *testing.T) {
	c, srv := newClient(t, claude.Config{})
	srv.Reply(claudetest.Delay(5*time.Second, claudetest.Text("too late")))
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	if _, err := c.Complete(ctx, frontdesk.LLMRequest{Messages: []frontdesk.LLMMessage{userText("hello")}}); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("err = %v", err)
	}
}

func TestInvalidRequests(t *testing.T) {
	c, srv := newClient(t, claude.Config{})
	ctx := context.Background()
	for name, req := range map[string]frontdesk.LLMRequest{
		"no messages": {},
		"bad role":    {Messages: []frontdesk.LLMMessage{{Role: "system", Blocks: []frontdesk.Block{{Type: "text", Text: "x"}}}}},
		"bad block":   {Messages: []frontdesk.LLMMessage{{Role: "user", Blocks: []frontdesk.Block{{Type: "image"}}}}},
		"bad input": {Messages: []frontdesk.LLMMessage{{Role: "assistant", Blocks: []frontdesk.Block{
			{Type: frontdesk.BlockToolUse, ToolUseID: "toolu_1", ToolName: "x", Input: json.RawMessage("{")},
		}}}},
		"bad schema": {Tools: []frontdesk.ToolSpec{{Name: "x", InputSchema: json.RawMessage(`{"type":"string"}`)}}, Messages: []frontdesk.LLMMessage{userText("hi")}},
	} {
		if _, err := c.Complete(ctx, req); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
	if n := len(srv.Requests()); n != 0 {
		t.Errorf("%d requests sent", n)
	}
}

func TestEmptyTextSkipped(t *testing.T) {
	c, srv := newClient(t, claude.Config{})
	srv.Reply(claudetest.Text("ok"))
	_, err := c.Complete(context.Background(), frontdesk.LLMRequest{Messages: []frontdesk.LLMMessage{
		userText("hello"),
		{Role: frontdesk.RoleAssistant, Blocks: []frontdesk.Block{{Type: frontdesk.BlockText, Text: ""}}},
		userText("again"),
	}})
	if err != nil {
		t.Fatal(err)
	}
	if n := len(srv.Requests()[0].Messages); n != 2 {
		t.Errorf("%d messages sent", n)
	}
}

func TestConcurrent(t *testing.T) {
	c, srv := newClient(t, claude.Config{})
	const n = 8
	for range n {
		srv.Reply(claudetest.Text("hi"))
	}
	errs := make(chan error, n)
	for range n {
		go func() {
			_, err := c.Complete(context.Background(), frontdesk.LLMRequest{Messages: []frontdesk.LLMMessage{userText("hello")}})
			errs <- err
		}()
	}
	for range n {
		if err := <-errs; err != nil {
			t.Error(err)
		}
	}
	if len(srv.Requests()) != n || srv.Pending() != 0 {
		t.Errorf("%d requests, %d pending", len(srv.Requests()), srv.Pending())
	}
}

func TestStreamReportsTextAsItArrives(t *testing.T) {
	srv := claudetest.NewServer(t)
	srv.Reply(claudetest.WithUsage(claudetest.Usage{InputTokens: 12, OutputTokens: 9},
		claudetest.TextAndToolUse("Let me check the calendar for you.", "check_availability", map[string]any{"packageId": "portrait"})))
	c := claude.New(claude.Config{APIKey: "test", BaseURL: srv.URL, Timeout: 5 * time.Second})
	var pieces []string
	resp, err := c.Stream(context.Background(), frontdesk.LLMRequest{System: "s", MaxTokens: 100,
		Messages: []frontdesk.LLMMessage{{Role: frontdesk.RoleUser, Blocks: []frontdesk.Block{{Type: frontdesk.BlockText, Text: "hi"}}}}},
		func(s string) { pieces = append(pieces, s) })
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(pieces, "") != "Let me check the calendar for you." || len(pieces) < 2 {
		t.Fatalf("streamed %q in %d pieces, want the text in several", strings.Join(pieces, ""), len(pieces))
	}
	if len(resp.Blocks) != 2 || resp.Blocks[1].Type != frontdesk.BlockToolUse || resp.Blocks[1].ToolName != "check_availability" ||
		resp.StopReason != "tool_use" || resp.Usage.InputTokens != 12 || resp.Usage.OutputTokens != 9 {
		t.Fatalf("response %+v", resp)
	}
	if !srv.Requests()[0].Stream {
		t.Fatal("the request was not a streaming request")
	}
}
