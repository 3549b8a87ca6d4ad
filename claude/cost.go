package claude

import (
	"strings"

	"github.com/frontdeskhq/frontdesk"
)

// price is a model family's list price, in millionths of a cent per 1,000
// tokens (= US dollars per million tokens × 100,000), so that fractions
// such as $0.30 or $0.025 per MTok stay integers.
type price struct {
	in, out, cacheWrite, cacheRead int64
}

// rate builds a price from dollars-per-MTok expressed in hundredths of a
// dollar (300 = $3.00): cache writes (5-minute TTL) cost 1.25× input, cache
// reads 0.1× input.
func rate(inCentsPerMTok, outCentsPerMTok int64) price {
	in := inCentsPerMTok * 1000 // µ¢ per 1k tokens
	return price{in: in, out: outCentsPerMTok * 1000, cacheWrite: in * 5 / 4, cacheRead: in / 10}
}

// Prices by family (list prices, standard tier, prompts under 200k tokens).
var (
	sonnetPrice      = rate(300, 1500)  // Sonnet 3.7 – 5.5: $3 / $15
	opusPrice        = rate(500, 2500)  // Opus 4.5 and later: $5 / $25
	opusLegacyPrice  = rate(1500, 7500) // Opus 3, 4, 4.1: $15 / $75
	haikuPrice       = rate(100, 500)   // Haiku 4.5 and later: $1 / $5
	haiku35Price     = rate(80, 400)    // Haiku 3.5: $0.80 / $4
	haikuLegacyPrice = rate(25, 125)    // Haiku 3: $0.25 / $1.25
)

// priceFor returns the price of model's family; an unknown model is priced
// as Sonnet.
func priceFor(model string) price {
	m := strings.ToLower(model)
	switch {
	case strings.Contains(m, "opus"):
		if strings.Contains(m, "claude-3") || strings.Contains(m, "opus-4-0") ||
			strings.Contains(m, "opus-4-1") || strings.Contains(m, "opus-4-2025") ||
			strings.HasSuffix(m, "opus-4") || strings.Contains(m, "opus-4@") {
			return opusLegacyPrice
		}
		return opusPrice
	case strings.Contains(m, "haiku"):
		switch {
		case strings.Contains(m, "claude-3-5-haiku"), strings.Contains(m, "claude-3.5-haiku"):
			return haiku35Price
		case strings.Contains(m, "claude-3-haiku"):
			return haikuLegacyPrice
		}
		return haikuPrice
	}
	return sonnetPrice
}

// EstimateCostMicroCents estimates the list price of one call in millionths
// of a cent, from the model family's per-token prices (Sonnet $3/MTok in and
// $15/MTok out, Opus, Haiku; an unknown model is priced as Sonnet). Cache
// writes cost 1.25× input and cache reads 0.1× input; InputTokens counts
// only the uncached input, as the API reports it. Rounded to the nearest
// micro-cent.
func EstimateCostMicroCents(model string, u frontdesk.LLMUsage) int64 {
	p := priceFor(model)
	perK := u.InputTokens*p.in + u.OutputTokens*p.out +
		u.CacheWriteTokens*p.cacheWrite + u.CacheReadTokens*p.cacheRead
	return (perK + 500) / 1000
}
