package claude_test

import (
	"testing"

	"github.com/frontdeskhq/frontdesk"
	"github.com/frontdeskhq/frontdesk/claude"
)

func TestEstimateCostMicroCents(t *testing.T) {
	const M = 1_000_000
	// $1 = 100¢ = 100,000,000 µ¢.
	const dollar = 100_000_000
	for _, tc := range []struct {
		model string
		u     frontdesk.LLMUsage
		want  int64
	}{
		{"claude-sonnet-4-5", frontdesk.LLMUsage{InputTokens: M}, 3 * dollar},
		{"claude-sonnet-4-5", frontdesk.LLMUsage{OutputTokens: M}, 15 * dollar},
		{"claude-sonnet-4-5", frontdesk.LLMUsage{CacheWriteTokens: M}, 375 * dollar / 100},
		{"claude-sonnet-4-5", frontdesk.LLMUsage{CacheReadTokens: M}, 30 * dollar / 100},
		{claude.DefaultModel, frontdesk.LLMUsage{InputTokens: 1}, 300},
		{claude.DefaultModel, frontdesk.LLMUsage{OutputTokens: 1}, 1500},
		{claude.DefaultModel, frontdesk.LLMUsage{CacheReadTokens: 1}, 30},
		{claude.DefaultModel, frontdesk.LLMUsage{CacheWriteTokens: 1}, 375},
		// A typical turn: 1,200 fresh input, 4,000 cached, 150 out.
		{"claude-sonnet-4-6", frontdesk.LLMUsage{InputTokens: 1200, CacheReadTokens: 4000, OutputTokens: 150}, 1200*300 + 4000*30 + 150*1500},
		{"claude-haiku-4-5-20251001", frontdesk.LLMUsage{InputTokens: M, OutputTokens: M}, 6 * dollar},
		{"claude-haiku-4-5", frontdesk.LLMUsage{CacheWriteTokens: M, CacheReadTokens: M}, 125*dollar/100 + 10*dollar/100},
		{"claude-3-5-haiku-latest", frontdesk.LLMUsage{InputTokens: M, OutputTokens: M}, 480 * dollar / 100},
		{"claude-3-haiku-20240307", frontdesk.LLMUsage{InputTokens: M, CacheWriteTokens: M, CacheReadTokens: M}, 25*dollar/100 + 3125*dollar/10000 + 25*dollar/1000},
		{"claude-3-haiku-20240307", frontdesk.LLMUsage{CacheReadTokens: 1}, 3}, // 2.5 rounds up
		{"claude-opus-4-5", frontdesk.LLMUsage{InputTokens: M, OutputTokens: M}, 30 * dollar},
		{"claude-opus-5", frontdesk.LLMUsage{InputTokens: M}, 5 * dollar},
		{"claude-opus-4-1-20250805", frontdesk.LLMUsage{InputTokens: M, OutputTokens: M}, 90 * dollar},
		{"claude-opus-4-20250514", frontdesk.LLMUsage{InputTokens: M}, 15 * dollar},
		{"some-future-model", frontdesk.LLMUsage{InputTokens: M, OutputTokens: M}, 18 * dollar},
		{"", frontdesk.LLMUsage{}, 0},
	} {
		if got := claude.EstimateCostMicroCents(tc.model, tc.u); got != tc.want {
			t.Errorf("%s %+v = %d, want %d", tc.model, tc.u, got, tc.want)
		}
	}
}
