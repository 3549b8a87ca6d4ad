package claudetest

import (
	"encoding/json"
	"fmt"
	"net/http"
	"unicode/utf8"
)

// streamChunk is the most bytes of text or JSON one delta event carries.
const streamChunk = 16

// writeStream sends msg as the server-sent events of a streamed reply, in
// the real service's order: message_start, ping, then for each block
// content_block_start, content_block_delta (text_delta or
// input_json_delta)..., content_block_stop, and last message_delta (stop
// reason and usage) and message_stop. Each event has an "event:" line
// before its "data:" line, as the SDK requires.
func writeStream(w http.ResponseWriter, status int, msg wireMessage) {
	w.Header().Set("Content-Type", "text/event-stream; charset=utf-8")
	w.Header().Set("Cache-Control", "no-cache")
	w.WriteHeader(status)
	flusher, _ := w.(http.Flusher)
	send := func(event string, data any) bool {
		b, err := json.Marshal(data)
		if err != nil {
			return false
		}
		if _, err := fmt.Fprintf(w, "event: %s\ndata: %s\n\n", event, b); err != nil {
			return false
		}
		if flusher != nil {
			flusher.Flush()
		}
		return true
	}

	start := msg
	start.Content = []wireBlock{}
	start.StopReason = nil
	start.Usage.OutputTokens = min(1, msg.Usage.OutputTokens)
	if !send("message_start", map[string]any{"type": "message_start", "message": start}) {
		return
	}
	if !send("ping", map[string]any{"type": "ping"}) {
		return
	}
	for i, b := range msg.Content {
		first := b
		var deltaType, field, payload string
		switch b.Type {
		case "tool_use":
			first.Input = json.RawMessage(`{}`)
			deltaType, field, payload = "input_json_delta", "partial_json", string(b.Input)
		default:
			empty := ""
			first.Text = &empty
			deltaType, field = "text_delta", "text"
			if b.Text != nil {
				payload = *b.Text
			}
		}
		if !send("content_block_start", map[string]any{"type": "content_block_start", "index": i, "content_block": first}) {
			return
		}
		for _, part := range chunks(payload, streamChunk) {
			delta := map[string]any{"type": deltaType, field: part}
			if !send("content_block_delta", map[string]any{"type": "content_block_delta", "index": i, "delta": delta}) {
				return
			}
		}
		if !send("content_block_stop", map[string]any{"type": "content_block_stop", "index": i}) {
			return
		}
	}
	u := msg.Usage
	if !send("message_delta", map[string]any{
		"type":  "message_delta",
		"delta": map[string]any{"stop_reason": msg.StopReason, "stop_sequence": msg.StopSequence},
		"usage": map[string]any{
			"input_tokens":                u.InputTokens,
			"cache_creation_input_tokens": u.CacheCreationInputTokens,
			"cache_read_input_tokens":     u.CacheReadInputTokens,
			"output_tokens":               u.OutputTokens,
		},
	}) {
		return
	}
	send("message_stop", map[string]any{"type": "message_stop"})
}

// chunks splits s into pieces of at most n bytes, on rune boundaries.
func chunks(s string, n int) []string {
	var out []string
	for len(s) > 0 {
		end := min(n, len(s))
		for end < len(s) && end > 0 && !utf8.RuneStart(s[end]) {
			end--
		}
		if end == 0 {
			_, end = utf8.DecodeRuneInString(s)
		}
		out = append(out, s[:end])
		s = s[end:]
	}
	return out
}
