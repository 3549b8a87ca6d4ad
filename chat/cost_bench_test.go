package chat_test

import (
	"slices"
	"testing"

	"github.com/frontdeskhq/frontdesk"
	"github.com/frontdeskhq/frontdesk/chat"
	"github.com/frontdeskhq/frontdesk/claude/claudetest"
)

// A turn of a scripted conversation: what the visitor says and what the
// scripted model does.
type scriptedTurn struct {
	say   string
	steps []claudetest.Step
}

// The standard conversation of issue 14, through the real chat.Service,
// the claude adapter and the scripted fake: hello, the services, the
// availability of a timed service for the default 14 days, the business
// info, a booking. The model answers the questions about the services and
// the hours and policy from its prompt, which lists them and tells it to
// (the first rule of systemPrompt), and calls check_availability and
// book_service, whose proposal ends the turn: six model calls.
var standardTurns = []scriptedTurn{
	{"Hello!", []claudetest.Step{
		claudetest.Text("Hello! I'm the booking assistant of Alpha Studio. I can tell you about our services, check availability and book for you. What would you like to do?"),
	}},
	{"What services do you offer?", []claudetest.Step{
		claudetest.Text("We offer Wedding Photography ($1,500.00, booked by the day), a Portrait Session ($250.00, 60 minutes) and a Free Consultation (30 minutes). Would you like to check availability for one of them?"),
	}},
	{"When could I come for a portrait session?", []claudetest.Step{
		claudetest.ToolUse(frontdesk.ToolCheckAvailability, map[string]any{"packageId": "portrait"}),
		claudetest.Text("Portrait Sessions are open most weekdays and Saturdays over the next two weeks. For example tomorrow, Friday 11 December, at 9:00 AM, 10:15 AM, 11:30 AM or 12:45 PM. Which day and time suit you?"),
	}},
	{"What are your opening hours and your cancellation policy?", []claudetest.Step{
		claudetest.Text("We're open Monday to Saturday, 9:00 AM to 5:00 PM, and closed on Christmas Day. Cancellation is free up to 48 hours before your session."),
	}},
	{"Great, book the portrait tomorrow at 10:15 please. I'm Ada Lovelace, ada@example.com.", []claudetest.Step{
		claudetest.ToolUse(frontdesk.ToolBookService, map[string]any{"packageId": "portrait", "date": "2026-12-11", "startTime": "10:15",
			"customerName": "Ada Lovelace", "customerEmail": "ada@example.com"}),
		// The proposal ends the turn: no call after it.
	}},
}

// lookupTurns is the standard conversation as the model played it before
// its prompt told it to answer from the prompt: it also calls get_services
// and get_business_info, nine model calls. The original cost was measured
// with this script.
var lookupTurns = func() []scriptedTurn {
	out := slices.Clone(standardTurns)
	out[1].steps = append([]claudetest.Step{claudetest.ToolUse(frontdesk.ToolGetServices, map[string]any{})}, out[1].steps...)
	out[3].steps = append([]claudetest.Step{claudetest.ToolUse(frontdesk.ToolGetBusinessInfo, map[string]any{})}, out[3].steps...)
	return out
}()

// conversationCost is what one standard conversation sent the model.
type conversationCost struct {
	calls      int
	cache      claudetest.CacheUsage // summed over the calls
	microCents int64                 // estimated from the usage the fake reported
	requests   []claudetest.Request
	last       *chat.Reply // the booking turn's reply
}

// minCacheTokens is the shortest prefix the default model (Sonnet) caches.
const minCacheTokens = 1024

// runStandardConversation runs the standard conversation in a new session
// of tenant a, with the fake's prompt cache emptied first (a visitor
// arriving after five quiet minutes, the business's prompt not cached by
// another visitor) and Sonnet's minimum cacheable length, and returns what
// it cost.
func runStandardConversation(tb testing.TB, e *env, turns []scriptedTurn) conversationCost {
	tb.Helper()
	e.fake.ResetCache()
	e.fake.SetCacheMinimum(minCacheTokens)
	before := len(e.fake.Requests())
	usageBefore := usageMicroCents(tb, e)
	sid := e.session(tb, e.a)
	var last *chat.Reply
	for _, turn := range turns {
		e.fake.Reply(turn.steps...)
		r := e.send(tb, e.a, sid, turn.say)
		if e.fake.Pending() != 0 {
			tb.Fatalf("turn %q answered %q with %d scripted steps unused: the model was not used", turn.say, r.Message, e.fake.Pending())
		}
		last = r
	}
	if last == nil || last.Proposal == nil {
		tb.Fatal("the conversation made no booking proposal")
	}
	c := conversationCost{last: last}
	c.requests = e.requests(tb)[before:]
	c.calls = len(c.requests)
	for _, r := range c.requests {
		c.cache = c.cache.Add(r.Cache)
	}
	c.microCents = usageMicroCents(tb, e) - usageBefore
	return c
}

// usageMicroCents sums the estimated cost of the token usage recorded for
// tenant a.
func usageMicroCents(tb testing.TB, e *env) int64 {
	tb.Helper()
	rows, err := e.store.ListTokenUsage(ctx, e.a.Tenant.ID)
	if err != nil {
		tb.Fatalf("ListTokenUsage: %v", err)
	}
	var sum int64
	for _, u := range rows {
		sum += u.CostMicroCents
	}
	return sum
}

// BenchmarkStandardConversationCost runs the standard conversation and
// reports, per conversation, the prompt bytes sent to the model (input-B),
// the bytes read from the prompt cache (cache-read-B), written to it
// (cache-write-B) and not covered by it (uncached-B), the model calls, the
// bytes-equivalent price (cost-B: reads 0.1×, writes 1.25×, the rest 1×)
// and the estimated list price in cents from the token usage the fake
// reports (a token per 4 bytes), with the cache cold at the start of each
// conversation and prefixes under 1,024 tokens not cached. "standard" is
// the model answering from its prompt what the prompt holds; "lookups" is
// the model calling get_services and get_business_info as well, as the
// original was measured.
//
//	go test ./chat -run '^$' -bench StandardConversationCost -benchtime 20x
func BenchmarkStandardConversationCost(b *testing.B) {
	for _, script := range []struct {
		name  string
		turns []scriptedTurn
	}{{"standard", standardTurns}, {"lookups", lookupTurns}} {
		b.Run(script.name, func(b *testing.B) {
			e := sqliteEnv(b, opts{model: true})
			var sum conversationCost
			b.ReportAllocs()
			b.ResetTimer()
			for range b.N {
				c := runStandardConversation(b, e, script.turns)
				sum.calls += c.calls
				sum.cache = sum.cache.Add(c.cache)
				sum.microCents += c.microCents
			}
			b.StopTimer()
			n := float64(b.N)
			b.ReportMetric(float64(sum.cache.InputBytes)/n, "input-B/conv")
			b.ReportMetric(float64(sum.cache.ReadBytes)/n, "cache-read-B/conv")
			b.ReportMetric(float64(sum.cache.WriteBytes)/n, "cache-write-B/conv")
			b.ReportMetric(float64(sum.cache.UncachedBytes)/n, "uncached-B/conv")
			b.ReportMetric(sum.cache.CostBytes()/n, "cost-B/conv")
			b.ReportMetric(float64(sum.calls)/n, "calls/conv")
			b.ReportMetric(float64(sum.microCents)/1e6/n, "cents/conv")
		})
	}
}
