package claudetest

import (
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
	"strings"
)

var toolNameRE = regexp.MustCompile(`^[a-zA-Z0-9_-]{1,64}$`)

// maxCacheBreakpoints is how many blocks may carry cache_control.
const maxCacheBreakpoints = 4

// validate checks req the way the real service does, for the mistakes a
// client is likely to make. It returns the service's error message, or "".
func validate(req Request) string {
	if req.Model == "" {
		return "model: Field required"
	}
	if req.MaxTokens < 1 {
		return "max_tokens: Field required (an integer >= 1)"
	}
	if len(req.Messages) == 0 {
		return "messages: at least one message is required"
	}

	breakpoints := 0
	checkCache := func(where string, cc *CacheControl) string {
		if cc == nil {
			return ""
		}
		breakpoints++
		if cc.Type != "ephemeral" {
			return fmt.Sprintf("%s.cache_control.type: Input should be 'ephemeral'", where)
		}
		if cc.TTL != "" && cc.TTL != "5m" && cc.TTL != "1h" {
			return fmt.Sprintf("%s.cache_control.ttl: Input should be '5m' or '1h'", where)
		}
		return ""
	}

	names := map[string]bool{}
	for i, t := range req.ToolDefs {
		where := fmt.Sprintf("tools.%d", i)
		if t.Type == "" || t.Type == "custom" {
			if !toolNameRE.MatchString(t.Name) {
				return where + ".custom.name: String should match pattern '^[a-zA-Z0-9_-]{1,64}$'"
			}
			var schema struct {
				Type string `json:"type"`
			}
			if len(t.InputSchema) == 0 {
				return where + ".custom.input_schema: Field required"
			}
			if err := json.Unmarshal(t.InputSchema, &schema); err != nil || schema.Type != "object" {
				return where + ".custom.input_schema.type: Input should be 'object'"
			}
		}
		if names[t.Name] {
			return "tools: Tool names must be unique."
		}
		names[t.Name] = true
		if msg := checkCache(where, t.CacheControl); msg != "" {
			return msg
		}
	}

	for i, b := range req.SystemBlocks {
		where := fmt.Sprintf("system.%d", i)
		if b.Type != "text" {
			return where + ".type: Input should be 'text'"
		}
		if b.Text == "" {
			return "system: text content blocks must be non-empty"
		}
		if msg := checkCache(where, b.CacheControl); msg != "" {
			return msg
		}
	}

	var pending []string // tool_use ids of the previous assistant message
	for i, m := range req.Messages {
		where := fmt.Sprintf("messages.%d", i)
		if m.Role != "user" && m.Role != "assistant" {
			return where + ".role: Input should be 'user' or 'assistant'"
		}
		last := i == len(req.Messages)-1
		if len(m.Content) == 0 && !(last && m.Role == "assistant") {
			return "messages: all messages must have non-empty content except for the optional final assistant message"
		}
		var uses []string
		results := map[string]bool{}
		seenOther := false
		for j, b := range m.Content {
			bw := fmt.Sprintf("%s.content.%d", where, j)
			if msg := checkCache(bw, b.CacheControl); msg != "" {
				return msg
			}
			switch b.Type {
			case "text":
				if b.Text == "" {
					return "messages: text content blocks must be non-empty"
				}
				if strings.TrimSpace(b.Text) == "" {
					return "messages: text content blocks must contain non-whitespace text"
				}
				seenOther = true
			case "tool_use":
				if m.Role != "assistant" {
					return bw + ": tool_use blocks may only appear in assistant messages"
				}
				if b.ID == "" || b.Name == "" {
					return bw + ".tool_use: id and name are required"
				}
				var obj map[string]json.RawMessage
				if err := json.Unmarshal(b.Input, &obj); err != nil || obj == nil {
					return bw + ".tool_use.input: Input should be a valid dictionary"
				}
				uses = append(uses, b.ID)
				seenOther = true
			case "tool_result":
				if m.Role != "user" {
					return bw + ": tool_result blocks may only appear in user messages"
				}
				if seenOther {
					return where + ": tool_result blocks must come first in the content of a user message, before any other content"
				}
				if !slices.Contains(pending, b.ToolUseID) {
					return fmt.Sprintf("%s: unexpected `tool_use_id` found in `tool_result` blocks: %s. Each `tool_result` block must have a corresponding `tool_use` block in the previous message.", bw, b.ToolUseID)
				}
				for _, c := range b.Content {
					if c.Type == "text" && c.Text == "" {
						return "messages: text content blocks must be non-empty"
					}
				}
				results[b.ToolUseID] = true
			default:
				seenOther = true
			}
		}
		if len(pending) > 0 {
			var missing []string
			for _, id := range pending {
				if !results[id] {
					missing = append(missing, id)
				}
			}
			if len(missing) > 0 {
				return fmt.Sprintf("messages.%d: `tool_use` ids were found without `tool_result` blocks immediately after: %s. Each `tool_use` block must have a corresponding `tool_result` block in the next message.", i-1, strings.Join(missing, ", "))
			}
		}
		pending = uses
	}
	if len(pending) > 0 {
		return fmt.Sprintf("messages.%d: `tool_use` ids were found without `tool_result` blocks immediately after: %s. Each `tool_use` block must have a corresponding `tool_result` block in the next message.", len(req.Messages)-1, strings.Join(pending, ", "))
	}
	if breakpoints > maxCacheBreakpoints {
		return fmt.Sprintf("A maximum of %d blocks with cache_control may be provided. Found %d.", maxCacheBreakpoints, breakpoints)
	}
	return ""
}
