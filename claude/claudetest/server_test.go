package claudetest_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/anthropics/anthropic-sdk-go"
	"github.com/anthropics/anthropic-sdk-go/option"

	"github.com/frontdeskhq/frontdesk/claude/claudetest"
)

// recTB records Errorf instead of failing, to test the fake's own failures.
type recTB struct {
	testing.TB
	mu   sync.Mutex
	errs []string
}

func (r *recTB) Helper() {}
func (r *recTB) Errorf(format string, args ...any) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.errs = append(r.errs, fmt.Sprintf(format, args...))
}
func (r *recTB) errors() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]string(nil), r.errs...)
}

func sdk(srv *claudetest.Server, opts ...option.RequestOption) *anthropic.Client {
	c := anthropic.NewClient(append([]option.RequestOption{
		option.WithoutEnvironmentDefaults(),
		option.WithBaseURL(srv.URL),
		option.WithAPIKey("sk-test"),
		option.WithMaxRetries(0),
	}, opts...)...)
	return &c
}

func hello() anthropic.MessageNewParams {
	return anthropic.MessageNewParams{
		Model:     anthropic.ModelClaudeSonnet5_5,
		MaxTokens: 100,
		Messages:  []anthropic.MessageParam{anthropic.NewUserMessage(anthropic.NewTextBlock("hello"))},
	}
}

func post(t *testing.T, url, body string, header map[string]string) (*http.Response, []byte) {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, url+"/v1/messages", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range header {
		req.Header.Set(k, v)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return res, b
}

var apiHeaders = map[string]string{"x-api-key": "k", "anthropic-version": "2023-06-01", "content-type": "application/json"}

func TestWireFormat(t *testing.T) {
	srv := claudetest.NewServer(t)
	srv.Reply(claudetest.WithUsage(claudetest.Usage{InputTokens: 10, OutputTokens: 3, CacheReadInputTokens: 5},
		claudetest.TextAndToolUse("Checking.", "get_services", map[string]string{"category": "yoga"})))
	res, body := post(t, srv.URL, `{"model":"claude-x","max_tokens":10,"messages":[{"role":"user","content":"hi"}]}`, apiHeaders)
	if res.StatusCode != 200 || !strings.HasPrefix(res.Header.Get("Content-Type"), "application/json") || res.Header.Get("request-id") == "" {
		t.Fatalf("status %d headers %v", res.StatusCode, res.Header)
	}
	var m struct {
		ID, Type, Role, Model string
		Content               []map[string]any
		StopReason            *string        `json:"stop_reason"`
		StopSequence          *string        `json:"stop_sequence"`
		Usage                 map[string]any `json:"usage"`
	}
	if err := json.Unmarshal(body, &m); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(m.ID, "msg_") || m.Type != "message" || m.Role != "assistant" || m.Model != "claude-x" {
		t.Errorf("message = %s", body)
	}
	if m.StopReason == nil || *m.StopReason != "tool_use" || m.StopSequence != nil {
		t.Errorf("stop = %s", body)
	}
	if len(m.Content) != 2 || m.Content[0]["type"] != "text" || m.Content[0]["text"] != "Checking." ||
		m.Content[1]["type"] != "tool_use" || m.Content[1]["name"] != "get_services" ||
		!strings.HasPrefix(m.Content[1]["id"].(string), "toolu_") ||
		m.Content[1]["input"].(map[string]any)["category"] != "yoga" {
		t.Errorf("content = %s", body)
	}
	for k, want := range map[string]float64{"input_tokens": 10, "output_tokens": 3, "cache_read_input_tokens": 5, "cache_creation_input_tokens": 0} {
		if m.Usage[k] != want {
			t.Errorf("usage.%s = %v, want %v", k, m.Usage[k], want)
		}
	}
	r := srv.Requests()[0]
	if r.APIKey != "k" || r.Version != "2023-06-01" || len(r.Messages) != 1 || r.Messages[0].Content[0].Text != "hi" {
		t.Errorf("request = %+v", r)
	}
}

func TestErrorShape(t *testing.T) {
	srv := claudetest.NewServer(t)
	srv.Reply(claudetest.Status(529, "", "Overloaded"))
	res, body := post(t, srv.URL, `{"model":"m","max_tokens":10,"messages":[{"role":"user","content":"hi"}]}`, apiHeaders)
	if res.StatusCode != 529 {
		t.Errorf("status = %d", res.StatusCode)
	}
	var e struct {
		Type  string
		Error struct{ Type, Message string }
	}
	if err := json.Unmarshal(body, &e); err != nil {
		t.Fatal(err)
	}
	if e.Type != "error" || e.Error.Type != "overloaded_error" || e.Error.Message != "Overloaded" {
		t.Errorf("body = %s", body)
	}

	// Through the SDK.
	srv.Reply(claudetest.Status(429, "rate_limit_error", "slow down"))
	c := sdk(srv)
	_, err := c.Messages.New(context.Background(), hello())
	var apiErr *anthropic.Error
	if !errors.As(err, &apiErr) || apiErr.StatusCode != 429 || apiErr.Type() != anthropic.ErrorTypeRateLimitError {
		t.Errorf("err = %v", err)
	}
}

func TestRejections(t *testing.T) {
	rec := &recTB{TB: t}
	srv := claudetest.NewServer(rec)
	srv.Reply(claudetest.Text("unused"))

	res, _ := post(t, srv.URL, `{}`, map[string]string{"anthropic-version": "2023-06-01"})
	if res.StatusCode != 401 {
		t.Errorf("no key: status %d", res.StatusCode)
	}
	if len(rec.errors()) != 0 {
		t.Errorf("a missing key failed the test: %v", rec.errors())
	}

	for name, body := range map[string]string{
		"bad json":   `{`,
		"no model":   `{"max_tokens":1,"messages":[{"role":"user","content":"hi"}]}`,
		"empty text": `{"model":"m","max_tokens":1,"messages":[{"role":"user","content":[{"type":"text","text":""}]}]}`,
		"no result": `{"model":"m","max_tokens":1,"messages":[{"role":"user","content":"hi"},` +
			`{"role":"assistant","content":[{"type":"tool_use","id":"toolu_1","name":"x","input":{}}]},{"role":"user","content":"and?"}]}`,
		"stray result": `{"model":"m","max_tokens":1,"messages":[{"role":"user","content":[{"type":"tool_result","tool_use_id":"toolu_9","content":"x"}]}]}`,
		"result last": `{"model":"m","max_tokens":1,"messages":[{"role":"user","content":"hi"},` +
			`{"role":"assistant","content":[{"type":"tool_use","id":"toolu_1","name":"x","input":{}}]},` +
			`{"role":"user","content":[{"type":"text","text":"here"},{"type":"tool_result","tool_use_id":"toolu_1"}]}]}`,
		"5 breakpoints": `{"model":"m","max_tokens":1,"system":[` + strings.Repeat(`{"type":"text","text":"s","cache_control":{"type":"ephemeral"}},`, 4) +
			`{"type":"text","text":"s","cache_control":{"type":"ephemeral"}}],"messages":[{"role":"user","content":"hi"}]}`,
		"tool name":   `{"model":"m","max_tokens":1,"tools":[{"name":"a b","input_schema":{"type":"object"}}],"messages":[{"role":"user","content":"hi"}]}`,
		"dup tools":   `{"model":"m","max_tokens":1,"tools":[{"name":"a","input_schema":{"type":"object"}},{"name":"a","input_schema":{"type":"object"}}],"messages":[{"role":"user","content":"hi"}]}`,
		"no messages": `{"model":"m","max_tokens":1,"messages":[]}`,
	} {
		before := len(rec.errors())
		res, body := post(t, srv.URL, body, apiHeaders)
		if res.StatusCode != 400 || !strings.Contains(string(body), "invalid_request_error") {
			t.Errorf("%s: status %d %s", name, res.StatusCode, body)
		}
		if len(rec.errors()) != before+1 {
			t.Errorf("%s: did not fail the test", name)
		}
	}
	if srv.Pending() != 1 {
		t.Errorf("a rejected request used a step")
	}
	for _, r := range srv.Requests() {
		if r.Rejected == "" {
			t.Errorf("request not marked rejected: %s", r.Raw)
		}
	}

	// A valid tool round trip passes.
	ok := `{"model":"m","max_tokens":1,"messages":[{"role":"user","content":"hi"},` +
		`{"role":"assistant","content":[{"type":"text","text":"let me see"},{"type":"tool_use","id":"toolu_1","name":"x","input":{}}]},` +
		`{"role":"user","content":[{"type":"tool_result","tool_use_id":"toolu_1","content":"r","is_error":true},{"type":"text","text":"thanks"}]}]}`
	if res, body := post(t, srv.URL, ok, apiHeaders); res.StatusCode != 200 {
		t.Errorf("valid round trip: %d %s", res.StatusCode, body)
	}
	last := srv.Requests()[len(srv.Requests())-1]
	if rs := last.ToolResults(); len(rs) != 1 || !rs[0].IsError || rs[0].ContentText() != "r" {
		t.Errorf("tool results = %+v", rs)
	}
}

func TestOutOfSteps(t *testing.T) {
	rec := &recTB{TB: t}
	srv := claudetest.NewServer(rec)
	c := sdk(srv, option.WithMaxRetries(2))
	_, err := c.Messages.New(context.Background(), hello())
	var apiErr *anthropic.Error
	if !errors.As(err, &apiErr) || apiErr.StatusCode != 500 {
		t.Errorf("err = %v", err)
	}
	if errs := rec.errors(); len(errs) != 1 || !strings.Contains(errs[0], "no scripted step") {
		t.Errorf("errors = %v", errs)
	}
	if n := len(srv.Requests()); n != 1 {
		t.Errorf("%d requests: the SDK retried", n)
	}
}

func TestDelayRespectsCancel(t *testing.T) {
	srv := claudetest.NewServer(t)
	srv.Reply(claudetest.Delay(time.Minute, claudetest.Text("late")))
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err := sdk(srv).Messages.New(ctx, hello())
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("err = %v", err)
	}
	srv.Close() // returns at once: the handler saw the cancellation
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("took %s", d)
	}
}

func TestDelayEndsOnClose(t *testing.T) {
	srv := claudetest.NewServer(t)
	srv.Reply(claudetest.Delay(time.Minute, claudetest.Text("late")))
	done := make(chan error, 1)
	go func() {
		_, err := sdk(srv).Messages.New(context.Background(), hello())
		done <- err
	}()
	for len(srv.Requests()) == 0 {
		time.Sleep(5 * time.Millisecond)
	}
	start := time.Now()
	srv.Close()
	if err := <-done; err == nil {
		t.Error("no error")
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("close took %s", d)
	}
}

func TestDelayThenReply(t *testing.T) {
	srv := claudetest.NewServer(t)
	srv.Reply(claudetest.Delay(30*time.Millisecond, claudetest.Text("ok")))
	msg, err := sdk(srv).Messages.New(context.Background(), hello())
	if err != nil || msg.Content[0].Text != "ok" {
		t.Fatalf("msg %v err %v", msg, err)
	}
}

func TestStreaming(t *testing.T) {
	srv := claudetest.NewServer(t)
	text := "Hello there — we have yoga, pilates and a sauna (ünïcödé ✓)."
	srv.Reply(claudetest.WithUsage(claudetest.Usage{InputTokens: 50, OutputTokens: 20, CacheReadInputTokens: 7},
		claudetest.TextAndToolUse(text, "check_availability", map[string]any{"packageId": "pkg_1", "startDate": "2026-12-01"})))

	stream := sdk(srv).Messages.NewStreaming(context.Background(), hello())
	var acc anthropic.Message
	var types []string
	for stream.Next() {
		ev := stream.Current()
		types = append(types, ev.Type)
		if err := acc.Accumulate(ev); err != nil {
			t.Fatal(err)
		}
	}
	if err := stream.Err(); err != nil {
		t.Fatal(err)
	}
	if types[0] != "message_start" || types[len(types)-1] != "message_stop" || types[len(types)-2] != "message_delta" {
		t.Errorf("events = %v", types)
	}
	if len(acc.Content) != 2 || acc.Content[0].Text != text {
		t.Fatalf("content = %+v", acc.Content)
	}
	tu := acc.Content[1]
	var in map[string]string
	if err := json.Unmarshal(tu.Input, &in); err != nil || in["packageId"] != "pkg_1" || in["startDate"] != "2026-12-01" {
		t.Errorf("tool input %s: %v", tu.Input, err)
	}
	if tu.Type != "tool_use" || tu.Name != "check_availability" || !strings.HasPrefix(tu.ID, "toolu_") {
		t.Errorf("tool use = %+v", tu)
	}
	if acc.StopReason != anthropic.StopReasonToolUse || acc.Usage.InputTokens != 50 || acc.Usage.OutputTokens != 20 || acc.Usage.CacheReadInputTokens != 7 {
		t.Errorf("stop %q usage %+v", acc.StopReason, acc.Usage)
	}
	if !srv.Requests()[0].Stream {
		t.Error("request not marked stream")
	}
}

func TestStepSeesRequest(t *testing.T) {
	srv := claudetest.NewServer(t)
	srv.Reply(func(req claudetest.Request) claudetest.Response {
		return claudetest.Response{Content: []claudetest.Block{claudetest.TextBlock("echo: " + req.LastMessage().Content[0].Text)}, StopReason: "max_tokens", Model: "other"}
	})
	msg, err := sdk(srv).Messages.New(context.Background(), hello())
	if err != nil {
		t.Fatal(err)
	}
	if msg.Content[0].Text != "echo: hello" || msg.StopReason != anthropic.StopReasonMaxTokens || msg.Model != "other" {
		t.Errorf("msg = %+v", msg)
	}
}

func TestRawBody(t *testing.T) {
	srv := claudetest.NewServer(t)
	srv.Reply(claudetest.Raw(200, "application/json", `{"id":`))
	if _, err := sdk(srv).Messages.New(context.Background(), hello()); err == nil {
		t.Error("no error for a truncated body")
	}
}

func TestConcurrentRequests(t *testing.T) {
	srv := claudetest.NewServer(t)
	const n = 10
	for i := range n {
		srv.Reply(claudetest.Text(fmt.Sprint(i)))
	}
	c := sdk(srv)
	var wg sync.WaitGroup
	seen := make(chan string, n)
	for range n {
		wg.Go(func() {
			msg, err := c.Messages.New(context.Background(), hello())
			if err != nil {
				t.Error(err)
				return
			}
			seen <- msg.Content[0].Text
		})
	}
	wg.Wait()
	close(seen)
	got := map[string]bool{}
	for s := range seen {
		got[s] = true
	}
	if len(got) != n || len(srv.Requests()) != n {
		t.Errorf("got %v from %d requests", got, len(srv.Requests()))
	}
}
