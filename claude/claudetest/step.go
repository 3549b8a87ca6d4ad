package claudetest

import (
	"encoding/json"
	"fmt"
	"net/http"
	"time"
)

// Step answers one request. It runs on the server's goroutine, so it may
// inspect the request (and must not call t.FailNow).
type Step func(req Request) Response

// Usage is the token usage a reply reports.
type Usage struct {
	InputTokens              int64
	OutputTokens             int64
	CacheCreationInputTokens int64
	CacheReadInputTokens     int64
}

// Response is what the fake sends for one request.
type Response struct {
	// Status is the HTTP status; 0 means 200.
	Status int
	// Header holds extra response headers (e.g. retry-after-ms,
	// x-should-retry).
	Header http.Header

	// ErrorType and ErrorMessage make the error body of a Status >= 400
	// reply: {"type":"error","error":{"type":...,"message":...}}. An empty
	// ErrorType is derived from the status.
	ErrorType    string
	ErrorMessage string

	// Content is the assistant message: text and tool_use blocks. A
	// tool_use block without an ID gets a generated one ("toolu_...").
	Content []Block
	// StopReason defaults to "tool_use" when Content has a tool_use block,
	// else "end_turn".
	StopReason string
	// Model defaults to the request's model.
	Model string
	// Usage defaults to a rough count: a token per 4 bytes of the request
	// body in, a token per 4 bytes of the content out; the input is split
	// into cache reads, cache writes and the rest as the fake's prompt
	// cache accounted for it (Request.Cache).
	Usage *Usage

	// Delay holds the reply back this long. The wait ends early, without a
	// reply, when the client gives up on the request or the server closes.
	Delay time.Duration

	// Body, when set, is sent as is (with Content-Type application/json
	// unless Header sets one), in place of a message or error body.
	Body []byte
}

// Respond returns a step that sends resp.
func Respond(resp Response) Step {
	return func(Request) Response { return resp }
}

// TextBlock returns a text content block.
func TextBlock(text string) Block {
	return Block{Type: "text", Text: text}
}

// ToolUseBlock returns a tool_use content block calling name with input,
// which is marshaled to JSON (a json.RawMessage is used as is). Its ID is
// generated when the reply is sent. It panics if input does not marshal to
// a JSON object.
func ToolUseBlock(name string, input any) Block {
	raw, err := json.Marshal(input)
	if err != nil {
		panic(fmt.Sprintf("claudetest: tool input for %s: %v", name, err))
	}
	if string(raw) == "null" {
		raw = json.RawMessage(`{}`)
	}
	var obj map[string]json.RawMessage
	if err := json.Unmarshal(raw, &obj); err != nil || obj == nil {
		panic(fmt.Sprintf("claudetest: tool input for %s is not a JSON object: %s", name, raw))
	}
	return Block{Type: "tool_use", Name: name, Input: raw}
}

// Content replies with an assistant message of these blocks (see TextBlock
// and ToolUseBlock).
func Content(blocks ...Block) Step {
	return Respond(Response{Content: blocks})
}

// Text replies with one text block, stop_reason "end_turn".
func Text(text string) Step {
	return Content(TextBlock(text))
}

// ToolUse replies with one tool_use block (with a generated id),
// stop_reason "tool_use".
func ToolUse(name string, input any) Step {
	return Content(ToolUseBlock(name, input))
}

// TextAndToolUse replies with a text block followed by a tool_use block,
// stop_reason "tool_use".
func TextAndToolUse(text, name string, input any) Step {
	return Content(TextBlock(text), ToolUseBlock(name, input))
}

// Status replies with an error in the API's error shape. An empty errType is
// derived from the code (500 api_error, 529 overloaded_error, 429
// rate_limit_error, ...).
func Status(code int, errType, message string) Step {
	return Respond(Response{Status: code, ErrorType: errType, ErrorMessage: message})
}

// Raw replies with this status, content type and body, as is.
func Raw(code int, contentType, body string) Step {
	return Respond(Response{
		Status: code,
		Header: http.Header{"Content-Type": {contentType}},
		Body:   []byte(body),
	})
}

// Delay holds the reply of then back by d. The wait ends early, without a
// reply, when the client cancels the request or the server closes.
func Delay(d time.Duration, then Step) Step {
	return func(req Request) Response {
		resp := then(req)
		resp.Delay += d
		return resp
	}
}

// WithUsage sets the usage the reply of step reports.
func WithUsage(u Usage, step Step) Step {
	return func(req Request) Response {
		resp := step(req)
		resp.Usage = &u
		return resp
	}
}

// WithHeader adds a response header to the reply of step, e.g.
// WithHeader("retry-after-ms", "0", Status(529, "", "overloaded")) to make
// the SDK retry at once.
func WithHeader(key, value string, step Step) Step {
	return func(req Request) Response {
		resp := step(req)
		resp.Header = resp.Header.Clone()
		if resp.Header == nil {
			resp.Header = http.Header{}
		}
		resp.Header.Add(key, value)
		return resp
	}
}

// errorTypeFor returns the API error type the real service uses for code.
func errorTypeFor(code int) string {
	switch code {
	case http.StatusBadRequest:
		return "invalid_request_error"
	case http.StatusUnauthorized:
		return "authentication_error"
	case http.StatusPaymentRequired:
		return "billing_error"
	case http.StatusForbidden:
		return "permission_error"
	case http.StatusNotFound:
		return "not_found_error"
	case http.StatusRequestEntityTooLarge:
		return "request_too_large"
	case http.StatusTooManyRequests:
		return "rate_limit_error"
	case http.StatusGatewayTimeout:
		return "timeout_error"
	case 529:
		return "overloaded_error"
	}
	if code >= 500 {
		return "api_error"
	}
	return "invalid_request_error"
}
