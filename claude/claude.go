// Package claude implements frontdesk.LLM with Anthropic's Messages API,
// through the official Go SDK (github.com/anthropics/anthropic-sdk-go).
//
// The prompt is marked for prompt caching (cache_control ephemeral) on the
// last tool, on the static system block (LLMRequest.System; the day- and
// visitor-dependent LLMRequest.Context follows it unmarked) and on the last
// block of the messages the request names in CacheMessages (at most two),
// so a conversation's repeated prefix, history included, is billed at the
// cache-read rate.
package claude

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/anthropics/anthropic-sdk-go"
	"github.com/anthropics/anthropic-sdk-go/option"
	"github.com/anthropics/anthropic-sdk-go/packages/param"

	"github.com/frontdeskhq/frontdesk"
)

// DefaultModel is the model used when Config.Model is empty: the newest
// Sonnet the SDK (v1.84.0) lists.
const DefaultModel = anthropic.ModelClaudeSonnet5_5

// Defaults for Config's zero values.
const (
	DefaultTimeout    = 30 * time.Second
	DefaultMaxRetries = 1
	DefaultMaxTokens  = 1024
)

// Config configures a Client. Zero values take the defaults.
type Config struct {
	// APIKey is sent as x-api-key. The SDK's own environment lookup is
	// switched off: the Config is the only source (app.LoadConfig reads
	// ANTHROPIC_API_KEY, ANTHROPIC_BASE_URL and ANTHROPIC_MODEL).
	APIKey string
	// BaseURL overrides https://api.anthropic.com (e.g. a test fake).
	BaseURL string
	// Model defaults to DefaultModel.
	Model string
	// Timeout bounds one Complete call, retries included; 0 means
	// DefaultTimeout.
	Timeout time.Duration
	// MaxRetries is how many times a failed attempt (connection error,
	// 408, 409, 429, 5xx) is retried; 0 means DefaultMaxRetries, a negative
	// value means none.
	MaxRetries int
	// HTTPClient defaults to the SDK's (http.DefaultClient).
	HTTPClient *http.Client
}

// Client is a frontdesk.LLM backed by the Messages API. It is safe for
// concurrent use.
type Client struct {
	api     anthropic.Client
	model   string
	timeout time.Duration
}

var _ frontdesk.StreamingLLM = (*Client)(nil)

// New returns a Client for cfg.
func New(cfg Config) *Client {
	if cfg.Model == "" {
		cfg.Model = DefaultModel
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = DefaultTimeout
	}
	switch {
	case cfg.MaxRetries == 0:
		cfg.MaxRetries = DefaultMaxRetries
	case cfg.MaxRetries < 0:
		cfg.MaxRetries = 0
	}
	opts := []option.RequestOption{
		// Without this the SDK reads ANTHROPIC_API_KEY, ANTHROPIC_AUTH_TOKEN,
		// ANTHROPIC_BASE_URL, profiles under ~/.config and more on its own.
		option.WithoutEnvironmentDefaults(),
		option.WithMaxRetries(cfg.MaxRetries),
		// Per attempt. It also replaces the SDK's own non-streaming timeout,
		// which refuses a large max_tokens ("streaming is required").
		option.WithRequestTimeout(cfg.Timeout),
	}
	if cfg.APIKey != "" {
		opts = append(opts, option.WithAPIKey(cfg.APIKey))
	}
	if cfg.BaseURL != "" {
		opts = append(opts, option.WithBaseURL(cfg.BaseURL))
	}
	if cfg.HTTPClient != nil {
		opts = append(opts, option.WithHTTPClient(cfg.HTTPClient))
	}
	return &Client{
		api:     anthropic.NewClient(opts...),
		model:   cfg.Model,
		timeout: cfg.Timeout,
	}
}

// Model returns the model the client asks for.
func (c *Client) Model() string { return c.model }

// Complete sends req to the Messages API and maps the reply. Every failure
// (invalid request, API error after retries, timeout) is returned as an
// error, wrapped so errors.As finds *anthropic.Error and errors.Is finds
// context.DeadlineExceeded.
func (c *Client) Complete(ctx context.Context, req frontdesk.LLMRequest) (*frontdesk.LLMResponse, error) {
	params, err := c.params(req)
	if err != nil {
		return nil, fmt.Errorf("claude: %w", err)
	}
	callCtx, cancel := context.WithTimeout(ctx, c.timeout)
	defer cancel()
	msg, err := c.api.Messages.New(callCtx, params)
	if err != nil {
		if ctx.Err() == nil && errors.Is(err, context.DeadlineExceeded) {
			return nil, fmt.Errorf("claude: no reply from %s within %s: %w", c.model, c.timeout, err)
		}
		return nil, fmt.Errorf("claude: %s: %w", c.model, err)
	}
	return response(msg, c.model), nil
}

// Stream is Complete over the streaming Messages API: onText receives each
// text delta as it arrives, and the accumulated message is returned.
func (c *Client) Stream(ctx context.Context, req frontdesk.LLMRequest, onText func(string)) (*frontdesk.LLMResponse, error) {
	params, err := c.params(req)
	if err != nil {
		return nil, fmt.Errorf("claude: %w", err)
	}
	callCtx, cancel := context.WithTimeout(ctx, c.timeout)
	defer cancel()
	stream := c.api.Messages.NewStreaming(callCtx, params)
	defer stream.Close()
	var msg anthropic.Message
	for stream.Next() {
		ev := stream.Current()
		if err := msg.Accumulate(ev); err != nil {
			return nil, fmt.Errorf("claude: %s stream: %w", c.model, err)
		}
		if ev.Type == "content_block_delta" {
			if d := ev.AsContentBlockDelta().Delta; d.Type == "text_delta" && d.Text != "" && onText != nil {
				onText(d.Text)
			}
		}
	}
	if err := stream.Err(); err != nil {
		if ctx.Err() == nil && errors.Is(err, context.DeadlineExceeded) {
			return nil, fmt.Errorf("claude: no reply from %s within %s: %w", c.model, c.timeout, err)
		}
		return nil, fmt.Errorf("claude: %s: %w", c.model, err)
	}
	return response(&msg, c.model), nil
}

// ephemeral is the cache_control of a prompt-cache breakpoint.
func ephemeral() anthropic.CacheControlEphemeralParam {
	return anthropic.NewCacheControlEphemeralParam()
}

// params maps req to the SDK's request.
func (c *Client) params(req frontdesk.LLMRequest) (anthropic.MessageNewParams, error) {
	p := anthropic.MessageNewParams{
		Model:     c.model,
		MaxTokens: int64(req.MaxTokens),
	}
	if p.MaxTokens <= 0 {
		p.MaxTokens = DefaultMaxTokens
	}
	if req.System != "" {
		p.System = append(p.System, anthropic.TextBlockParam{Text: req.System, CacheControl: ephemeral()})
	}
	if strings.TrimSpace(req.Context) != "" {
		// After the static part and not itself a breakpoint: the
		// conversation's breakpoint caches it along with the messages.
		p.System = append(p.System, anthropic.TextBlockParam{Text: req.Context})
	}
	for i, t := range req.Tools {
		tool, err := toolParam(t)
		if err != nil {
			return p, err
		}
		if i == len(req.Tools)-1 {
			tool.CacheControl = ephemeral()
		}
		p.Tools = append(p.Tools, anthropic.ToolUnionParam{OfTool: &tool})
	}
	// sent[i] is the index in p.Messages of req.Messages[i], or of the
	// last message sent before it when it has no content and is left out.
	sent := make([]int, len(req.Messages))
	for i, m := range req.Messages {
		mp, err := messageParam(m)
		if err != nil {
			return p, fmt.Errorf("message %d: %w", i, err)
		}
		if len(mp.Content) > 0 {
			p.Messages = append(p.Messages, mp)
		}
		sent[i] = len(p.Messages) - 1
	}
	if len(p.Messages) == 0 {
		return p, errors.New("no messages to send")
	}
	left := maxBreakpoints
	if len(p.Tools) > 0 {
		left--
	}
	if req.System != "" {
		left--
	}
	markMessages(p.Messages, sent, req.CacheMessages, left)
	return p, nil
}

// maxBreakpoints is how many cache_control markers the API accepts in one
// request.
const maxBreakpoints = 4

// markMessages puts a cache breakpoint on the last block of each message
// that marks names (indexes of the request's messages; sent maps them to
// msgs), the latest first, at most n.
func markMessages(msgs []anthropic.MessageParam, sent, marks []int, n int) {
	done := map[int]bool{}
	for _, i := range slices.Backward(slices.Sorted(slices.Values(marks))) {
		if len(done) >= n {
			return
		}
		if i < 0 || i >= len(sent) || sent[i] < 0 || done[sent[i]] {
			continue
		}
		content := msgs[sent[i]].Content
		if cc := content[len(content)-1].GetCacheControl(); cc != nil {
			*cc = ephemeral()
			done[sent[i]] = true
		}
	}
}

// toolParam maps a tool spec. The schema is sent as given (param.Override),
// byte for byte the same on every call so the prompt cache matches; the
// SDK's ExtraFields route would emit schema keys in map order.
func toolParam(t frontdesk.ToolSpec) (anthropic.ToolParam, error) {
	tool := anthropic.ToolParam{Name: t.Name}
	if t.Description != "" {
		tool.Description = anthropic.String(t.Description)
	}
	schema := t.InputSchema
	if len(schema) == 0 {
		schema = json.RawMessage(`{"type":"object","properties":{}}`)
	}
	var probe struct {
		Type string `json:"type"`
	}
	if err := json.Unmarshal(schema, &probe); err != nil {
		return tool, fmt.Errorf("tool %s: input schema: %w", t.Name, err)
	}
	if probe.Type != "object" {
		return tool, fmt.Errorf("tool %s: input schema must be a JSON Schema object (type \"object\")", t.Name)
	}
	tool.InputSchema = param.Override[anthropic.ToolInputSchemaParam](schema)
	return tool, nil
}

// messageParam maps one message. Empty text blocks are dropped (the API
// rejects them); a message left with no blocks has empty Content.
func messageParam(m frontdesk.LLMMessage) (anthropic.MessageParam, error) {
	var mp anthropic.MessageParam
	switch m.Role {
	case frontdesk.RoleUser:
		mp.Role = anthropic.MessageParamRoleUser
	case frontdesk.RoleAssistant:
		mp.Role = anthropic.MessageParamRoleAssistant
	default:
		return mp, fmt.Errorf("unknown role %q", m.Role)
	}
	for _, b := range m.Blocks {
		switch b.Type {
		case frontdesk.BlockText:
			if strings.TrimSpace(b.Text) == "" {
				continue
			}
			mp.Content = append(mp.Content, anthropic.NewTextBlock(b.Text))
		case frontdesk.BlockToolUse:
			input := b.Input
			if len(input) == 0 {
				input = json.RawMessage(`{}`)
			}
			if !json.Valid(input) {
				return mp, fmt.Errorf("tool_use %s: input is not valid JSON", b.ToolUseID)
			}
			mp.Content = append(mp.Content, anthropic.NewToolUseBlock(b.ToolUseID, input, b.ToolName))
		case frontdesk.BlockToolResult:
			res := anthropic.ToolResultBlockParam{ToolUseID: b.ToolUseID}
			if b.Content != "" {
				res.Content = []anthropic.ToolResultBlockParamContentUnion{{OfText: &anthropic.TextBlockParam{Text: b.Content}}}
			}
			if b.IsError {
				res.IsError = anthropic.Bool(true)
			}
			mp.Content = append(mp.Content, anthropic.ContentBlockParamUnion{OfToolResult: &res})
		default:
			return mp, fmt.Errorf("unknown block type %q", b.Type)
		}
	}
	return mp, nil
}

// response maps the API's message back.
func response(msg *anthropic.Message, model string) *frontdesk.LLMResponse {
	out := &frontdesk.LLMResponse{
		Model:      msg.Model,
		StopReason: string(msg.StopReason),
		Usage: frontdesk.LLMUsage{
			InputTokens:      msg.Usage.InputTokens,
			OutputTokens:     msg.Usage.OutputTokens,
			CacheReadTokens:  msg.Usage.CacheReadInputTokens,
			CacheWriteTokens: msg.Usage.CacheCreationInputTokens,
		},
	}
	if out.Model == "" {
		out.Model = model
	}
	for _, cb := range msg.Content {
		switch cb.Type {
		case "text":
			out.Blocks = append(out.Blocks, frontdesk.Block{Type: frontdesk.BlockText, Text: cb.Text})
		case "tool_use":
			input := append(json.RawMessage(nil), cb.Input...)
			if len(input) == 0 {
				input = json.RawMessage(`{}`)
			}
			out.Blocks = append(out.Blocks, frontdesk.Block{
				Type:      frontdesk.BlockToolUse,
				ToolUseID: cb.ID,
				ToolName:  cb.Name,
				Input:     input,
			})
		}
		// Other kinds (thinking, server tools) are not requested and are
		// left out.
	}
	return out
}
