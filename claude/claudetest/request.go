package claudetest

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strings"
)

// Request is one request the fake received, decoded from the wire.
type Request struct {
	Method string
	Path   string
	Header http.Header // a copy of the request headers

	APIKey  string // the x-api-key header
	Version string // the anthropic-version header

	Raw json.RawMessage // the request body as sent

	Model     string
	MaxTokens int64
	Stream    bool

	// System is the text of the system prompt: the string form as sent, or
	// the texts of the system blocks joined by "\n".
	System string
	// SystemBlocks are the system blocks as sent (a string system prompt
	// becomes one text block without cache_control).
	SystemBlocks []Block

	Tools    []string // the tool names, in order
	ToolDefs []Tool   // the tools as sent

	Messages []Message

	// Cache is how the fake's prompt cache accounted for the request (see
	// CacheUsage); zero for a rejected request.
	Cache CacheUsage

	// Rejected is the error message when the fake refused the request the
	// way the real service would (bad path, no credentials, invalid body);
	// such a request used no step.
	Rejected string
}

// LastMessage returns the last message of the conversation, or a zero
// Message when there is none.
func (r Request) LastMessage() Message {
	if len(r.Messages) == 0 {
		return Message{}
	}
	return r.Messages[len(r.Messages)-1]
}

// ToolResults returns the tool_result blocks of the last message.
func (r Request) ToolResults() []Block {
	var out []Block
	for _, b := range r.LastMessage().Content {
		if b.Type == "tool_result" {
			out = append(out, b)
		}
	}
	return out
}

// CacheControl is the cache_control of a block or tool.
type CacheControl struct {
	Type string `json:"type"`
	TTL  string `json:"ttl,omitempty"`
}

// Block is one content block, of a request message or of a scripted reply.
type Block struct {
	Type string `json:"type"`

	Text string `json:"text,omitempty"` // text

	ID    string          `json:"id,omitempty"`    // tool_use
	Name  string          `json:"name,omitempty"`  // tool_use
	Input json.RawMessage `json:"input,omitempty"` // tool_use

	ToolUseID string `json:"tool_use_id,omitempty"` // tool_result
	// Content of a tool_result; a string content becomes one text block.
	Content []Block `json:"-"`
	IsError bool    `json:"is_error,omitempty"` // tool_result

	CacheControl *CacheControl `json:"cache_control,omitempty"`

	Raw json.RawMessage `json:"-"` // the block as sent, for requests
}

// ContentText returns the text of a tool_result's content blocks, joined.
func (b Block) ContentText() string {
	var sb strings.Builder
	for _, c := range b.Content {
		sb.WriteString(c.Text)
	}
	return sb.String()
}

// UnmarshalJSON decodes a block as the API accepts it.
func (b *Block) UnmarshalJSON(data []byte) error {
	type plain Block
	var w struct {
		plain
		Content json.RawMessage `json:"content"`
	}
	if err := json.Unmarshal(data, &w); err != nil {
		return err
	}
	*b = Block(w.plain)
	b.Raw = append(json.RawMessage(nil), data...)
	content, err := decodeContent(w.Content)
	if err != nil {
		return err
	}
	b.Content = content
	return nil
}

// decodeContent decodes content that is either a string or an array of
// blocks. A string becomes one text block.
func decodeContent(raw json.RawMessage) ([]Block, error) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || string(raw) == "null" {
		return nil, nil
	}
	if raw[0] == '"' {
		var s string
		if err := json.Unmarshal(raw, &s); err != nil {
			return nil, err
		}
		return []Block{{Type: "text", Text: s}}, nil
	}
	var blocks []Block
	if err := json.Unmarshal(raw, &blocks); err != nil {
		return nil, err
	}
	return blocks, nil
}

// Message is one message of a request's conversation.
type Message struct {
	Role    string  `json:"role"`
	Content []Block `json:"-"` // a string content becomes one text block
}

// UnmarshalJSON decodes a message as the API accepts it.
func (m *Message) UnmarshalJSON(data []byte) error {
	var w struct {
		Role    string          `json:"role"`
		Content json.RawMessage `json:"content"`
	}
	if err := json.Unmarshal(data, &w); err != nil {
		return err
	}
	content, err := decodeContent(w.Content)
	if err != nil {
		return err
	}
	m.Role, m.Content = w.Role, content
	return nil
}

// Tool is one tool definition of a request.
type Tool struct {
	Type         string          `json:"type,omitempty"`
	Name         string          `json:"name"`
	Description  string          `json:"description,omitempty"`
	InputSchema  json.RawMessage `json:"input_schema,omitempty"`
	CacheControl *CacheControl   `json:"cache_control,omitempty"`
}

// wireRequest is the part of a Messages API request body the fake reads.
type wireRequest struct {
	Model     string          `json:"model"`
	MaxTokens int64           `json:"max_tokens"`
	Stream    bool            `json:"stream"`
	System    json.RawMessage `json:"system"`
	Tools     []Tool          `json:"tools"`
	Messages  []Message       `json:"messages"`
}

// decodeBody fills r from its Raw body.
func (r *Request) decodeBody() error {
	var w wireRequest
	if err := json.Unmarshal(r.Raw, &w); err != nil {
		return err
	}
	r.Model, r.MaxTokens, r.Stream = w.Model, w.MaxTokens, w.Stream
	r.ToolDefs, r.Messages = w.Tools, w.Messages
	for _, t := range w.Tools {
		r.Tools = append(r.Tools, t.Name)
	}
	sys, err := decodeContent(w.System)
	if err != nil {
		return err
	}
	r.SystemBlocks = sys
	texts := make([]string, 0, len(sys))
	for _, b := range sys {
		texts = append(texts, b.Text)
	}
	r.System = strings.Join(texts, "\n")
	return nil
}
