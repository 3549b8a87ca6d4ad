// Package claudetest is a scripted fake of the Anthropic Messages API for
// tests: an httptest server that speaks the same wire format as the real
// service, so the official SDK (or any client) can be pointed at its URL.
//
//	srv := claudetest.NewServer(t)
//	srv.Reply(
//		claudetest.ToolUse("get_services", map[string]any{}),
//		claudetest.Text("We offer three packages."),
//	)
//	// ... point the client at srv.URL, run the code under test ...
//	reqs := srv.Requests()
//
// Each request to POST /v1/messages is answered by the next scripted step;
// a request with no step left fails the test and gets a 500. Like the real
// service, the fake rejects a request without credentials (401) and a
// malformed one (400: bad JSON, missing fields, a tool_use without its
// tool_result, more than 4 cache_control breakpoints, ...); a malformed
// request also fails the test, since it is a bug in the client. Rejected
// requests use no step. "stream": true is answered with server-sent events.
package claudetest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"
)

// Server is the fake Messages API. It is safe for concurrent use.
type Server struct {
	// URL is the base URL to give the client (no trailing slash, no /v1).
	URL string

	t         testing.TB
	srv       *httptest.Server
	closing   chan struct{}
	closeOnce sync.Once

	mu    sync.Mutex
	steps []Step
	reqs  []Request
	seq   int // ids handed out
	cache promptCache
}

// NewServer starts a fake closed by t.Cleanup.
func NewServer(t testing.TB) *Server {
	t.Helper()
	s := &Server{t: t, closing: make(chan struct{})}
	s.srv = httptest.NewServer(http.HandlerFunc(s.serveHTTP))
	s.URL = s.srv.URL
	t.Cleanup(s.Close)
	return s
}

// Close stops the server; a delayed reply still waiting is abandoned. It is
// called by t.Cleanup, and may be called earlier.
func (s *Server) Close() {
	s.closeOnce.Do(func() {
		close(s.closing)
		s.srv.Close()
	})
}

// Reply appends steps to the script.
func (s *Server) Reply(steps ...Step) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.steps = append(s.steps, steps...)
}

// Pending returns how many scripted steps have not been used yet.
func (s *Server) Pending() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.steps)
}

// Discard drops the scripted steps not used yet and returns how many there
// were: a test whose turn may end before the script does.
func (s *Server) Discard() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := len(s.steps)
	s.steps = nil
	return n
}

// Requests returns every request received so far, in arrival order,
// including rejected ones (see Request.Rejected).
func (s *Server) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Request(nil), s.reqs...)
}

func (s *Server) nextID(prefix string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.seq++
	return fmt.Sprintf("%s%024d", prefix, s.seq)
}

func (s *Server) serveHTTP(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("request-id", s.nextID("req_"))
	body, err := io.ReadAll(io.LimitReader(r.Body, 32<<20))
	if err != nil {
		return // the client went away
	}
	req := Request{
		Method:  r.Method,
		Path:    r.URL.Path,
		Header:  r.Header.Clone(),
		APIKey:  r.Header.Get("X-Api-Key"),
		Version: r.Header.Get("Anthropic-Version"),
		Raw:     json.RawMessage(body),
	}

	reject := func(code int, msg string, failTest bool) {
		req.Rejected = msg
		s.record(req)
		if failTest {
			s.t.Errorf("claudetest: rejected %s %s: %s", r.Method, r.URL.Path, msg)
		}
		writeError(w, code, "", msg)
	}
	if r.URL.Path != "/v1/messages" {
		reject(http.StatusNotFound, fmt.Sprintf("Not found: %s %s", r.Method, r.URL.Path), true)
		return
	}
	if r.Method != http.MethodPost {
		reject(http.StatusMethodNotAllowed, "Method Not Allowed", true)
		return
	}
	if req.APIKey == "" && r.Header.Get("Authorization") == "" {
		reject(http.StatusUnauthorized, "x-api-key header is required", false)
		return
	}
	if req.Version == "" {
		reject(http.StatusBadRequest, "anthropic-version: header is required", true)
		return
	}
	if err := req.decodeBody(); err != nil {
		reject(http.StatusBadRequest, "The request body is not valid JSON: "+err.Error(), true)
		return
	}
	if msg := validate(req); msg != "" {
		reject(http.StatusBadRequest, msg, true)
		return
	}

	s.mu.Lock()
	req.Cache = s.cache.account(req)
	s.reqs = append(s.reqs, req)
	n := len(s.reqs)
	var step Step
	if len(s.steps) > 0 {
		step, s.steps = s.steps[0], s.steps[1:]
	}
	s.mu.Unlock()
	if step == nil {
		s.t.Errorf("claudetest: request #%d has no scripted step (last message: %s)", n, summary(req.LastMessage()))
		w.Header().Set("x-should-retry", "false")
		writeError(w, http.StatusInternalServerError, "api_error", "claudetest: no scripted step left")
		return
	}

	resp := step(req)
	if resp.Delay > 0 {
		timer := time.NewTimer(resp.Delay)
		defer timer.Stop()
		select {
		case <-timer.C:
		case <-r.Context().Done():
			return
		case <-s.closing:
			return
		}
	}
	s.write(w, req, resp)
}

func (s *Server) record(req Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.reqs = append(s.reqs, req)
}

// write sends resp as the answer to req.
func (s *Server) write(w http.ResponseWriter, req Request, resp Response) {
	for k, vs := range resp.Header {
		for _, v := range vs {
			w.Header().Add(k, v)
		}
	}
	status := resp.Status
	if status == 0 {
		status = http.StatusOK
	}
	switch {
	case resp.Body != nil:
		if w.Header().Get("Content-Type") == "" {
			w.Header().Set("Content-Type", "application/json")
		}
		w.WriteHeader(status)
		_, _ = w.Write(resp.Body)
	case status >= 400:
		writeError(w, status, resp.ErrorType, resp.ErrorMessage)
	default:
		msg := s.message(req, resp)
		if req.Stream {
			writeStream(w, status, msg)
			return
		}
		writeJSON(w, status, msg)
	}
}

// wireBlock is a content block of a reply on the wire.
type wireBlock struct {
	Type  string          `json:"type"`
	Text  *string         `json:"text,omitempty"`
	ID    string          `json:"id,omitempty"`
	Name  string          `json:"name,omitempty"`
	Input json.RawMessage `json:"input,omitempty"`
}

type wireUsage struct {
	InputTokens              int64          `json:"input_tokens"`
	CacheCreationInputTokens int64          `json:"cache_creation_input_tokens"`
	CacheReadInputTokens     int64          `json:"cache_read_input_tokens"`
	CacheCreation            map[string]int `json:"cache_creation"`
	OutputTokens             int64          `json:"output_tokens"`
	ServiceTier              string         `json:"service_tier"`
}

type wireMessage struct {
	ID           string      `json:"id"`
	Type         string      `json:"type"`
	Role         string      `json:"role"`
	Model        string      `json:"model"`
	Content      []wireBlock `json:"content"`
	StopReason   *string     `json:"stop_reason"`
	StopSequence *string     `json:"stop_sequence"`
	Usage        wireUsage   `json:"usage"`
}

// message builds the assistant message that answers req.
func (s *Server) message(req Request, resp Response) wireMessage {
	msg := wireMessage{
		ID:      s.nextID("msg_"),
		Type:    "message",
		Role:    "assistant",
		Model:   resp.Model,
		Content: []wireBlock{},
	}
	if msg.Model == "" {
		msg.Model = req.Model
	}
	stop := resp.StopReason
	outBytes := 0
	for _, b := range resp.Content {
		wb := wireBlock{Type: b.Type}
		switch b.Type {
		case "tool_use":
			wb.ID, wb.Name, wb.Input = b.ID, b.Name, b.Input
			if wb.ID == "" {
				wb.ID = s.nextID("toolu_")
			}
			if len(wb.Input) == 0 {
				wb.Input = json.RawMessage(`{}`)
			}
			if stop == "" {
				stop = "tool_use"
			}
			outBytes += len(b.Name) + len(wb.Input)
		default:
			text := b.Text
			wb.Text = &text
			outBytes += len(text)
		}
		msg.Content = append(msg.Content, wb)
	}
	if stop == "" {
		stop = "end_turn"
	}
	msg.StopReason = &stop
	// A token per 4 bytes, split the way the prompt cache accounted for
	// the request: the total stays a quarter of the body.
	read, written := int64(req.Cache.ReadBytes/4), int64(req.Cache.WriteBytes/4)
	u := Usage{InputTokens: max(1, int64(len(req.Raw)/4)-read-written), OutputTokens: max(1, int64(outBytes/4)),
		CacheReadInputTokens: read, CacheCreationInputTokens: written}
	if resp.Usage != nil {
		u = *resp.Usage
	}
	msg.Usage = wireUsage{
		InputTokens:              u.InputTokens,
		CacheCreationInputTokens: u.CacheCreationInputTokens,
		CacheReadInputTokens:     u.CacheReadInputTokens,
		CacheCreation: map[string]int{
			"ephemeral_5m_input_tokens": int(u.CacheCreationInputTokens),
			"ephemeral_1h_input_tokens": 0,
		},
		OutputTokens: u.OutputTokens,
		ServiceTier:  "standard",
	}
	return msg
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = w.Write(bytes.TrimSuffix(buf.Bytes(), []byte("\n")))
}

// writeError sends the API's error shape.
func writeError(w http.ResponseWriter, status int, errType, message string) {
	if errType == "" {
		errType = errorTypeFor(status)
	}
	if message == "" {
		message = http.StatusText(status)
	}
	type apiError struct {
		Type    string `json:"type"`
		Message string `json:"message"`
	}
	body := struct {
		Type      string   `json:"type"`
		Error     apiError `json:"error"`
		RequestID string   `json:"request_id,omitempty"`
	}{"error", apiError{errType, message}, w.Header().Get("request-id")}
	writeJSON(w, status, body)
}

// summary describes a message briefly, for failure messages.
func summary(m Message) string {
	if m.Role == "" {
		return "none"
	}
	s := m.Role + ":"
	for _, b := range m.Content {
		switch b.Type {
		case "text":
			t := b.Text
			if len(t) > 60 {
				t = t[:60] + "…"
			}
			s += fmt.Sprintf(" text(%q)", t)
		case "tool_use":
			s += " tool_use(" + b.Name + ")"
		case "tool_result":
			s += " tool_result(" + b.ToolUseID + ")"
		default:
			s += " " + b.Type
		}
	}
	return s
}
