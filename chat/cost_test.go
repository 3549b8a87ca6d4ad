package chat_test

import (
	"strconv"
	"strings"
	"testing"

	"github.com/frontdeskhq/frontdesk"
	"github.com/frontdeskhq/frontdesk/chat"
	"github.com/frontdeskhq/frontdesk/claude/claudetest"
	"github.com/frontdeskhq/frontdesk/metrics"
)

// originalCostBytes is the bytes-equivalent cost of the standard
// conversation before issue 14's cost work (commit 41299a6, before the
// compact check_availability), measured by BenchmarkStandardConversationCost
// with the same fake and the nine-call script the original was played with
// (lookupTurns, with an answer after the proposal): 68,700 bytes in,
// 46,576 read from the cache, 5,822 written, 16,302 uncached.
const originalCostBytes = 28237

// The share of originalCostBytes each script may cost now: issue 14 aims
// at 0.40 for the standard conversation (39.7% reached, 11,206 B-eq). A
// model that calls get_services and get_business_info all the same costs
// 48.8% (13,775 B-eq).
const (
	maxCostShare       = 0.40
	maxLookupCostShare = 0.49
)

// TestStandardConversationCost asserts the benchmark's numbers (bytes are
// deterministic), where the cache is read and written, and that the model
// still sees what it needs.
func TestStandardConversationCost(t *testing.T) {
	e := sqliteEnv(t, opts{model: true})
	c := runStandardConversation(t, e, standardTurns)
	if c.calls != 6 {
		t.Fatalf("%d model calls, want 6", c.calls)
	}
	checkCost(t, "standard", c, maxCostShare)

	reqs := c.requests
	// The turns' first calls: hello, services, availability, info, booking.
	first := []int{0, 1, 2, 4, 5}
	for k, i := range first {
		r := reqs[i]
		if len(r.SystemBlocks) != 2 || r.SystemBlocks[0].CacheControl == nil || r.SystemBlocks[1].CacheControl != nil {
			t.Fatalf("request %d: system blocks %+v, want the static part cached and the day's context after it, unmarked", i, r.SystemBlocks)
		}
		if strings.Contains(r.SystemBlocks[0].Text, "December") || !strings.Contains(r.SystemBlocks[1].Text, "Today is Thursday 10 December 2026") {
			t.Fatalf("request %d: today's date must be in the context block only:\n%s\n--\n%s", i, r.SystemBlocks[0].Text, r.SystemBlocks[1].Text)
		}
		last := r.LastMessage()
		if last.Role != "user" || last.Content[len(last.Content)-1].CacheControl == nil {
			t.Fatalf("request %d: the customer's message is not a cache breakpoint: %+v", i, last)
		}
		// The conversation so far is read from the cache, up to the
		// customer's previous message, the last breakpoint of the turn before.
		if r.Cache.UncachedBytes != 0 {
			t.Errorf("request %d: %d bytes not cached", i, r.Cache.UncachedBytes)
		}
		if k > 0 && r.Cache.ReadBytes != reqs[first[k-1]].Cache.InputBytes {
			t.Errorf("request %d read %d bytes from the cache, want the %d of the previous turn's first call", i, r.Cache.ReadBytes, reqs[first[k-1]].Cache.InputBytes)
		}
		if k == 0 && r.Cache.ReadBytes != 0 {
			t.Errorf("the first call read %d bytes from an emptied cache", r.Cache.ReadBytes)
		}
	}
	// The tool loop's call reads the whole conversation and sends only
	// the tool call and its result uncached.
	if got, want := reqs[3].Cache.ReadBytes, reqs[2].Cache.InputBytes; got != want {
		t.Errorf("request 3 read %d bytes, want the %d of the turn's first call", got, want)
	}
	if reqs[3].Cache.WriteBytes != 0 {
		t.Errorf("request 3 wrote %d bytes of a tool loop sent once", reqs[3].Cache.WriteBytes)
	}

	// Nothing the model needs is lost: the services, the hours and the
	// policy in the system prompt of every call, with the rule to answer
	// from it; the fortnight of availability in the call after the tool.
	for i, r := range reqs {
		wantContains(t, "system prompt "+strconv.Itoa(i), r.System, "Portrait Session", `"portrait"`, "$250.00", "60 minutes",
			"Wedding Photography", "Free Consultation", "Monday to Saturday 9:00 AM to 5:00 PM",
			"Policy (cancellation): Free cancellation up to 48 hours before.", "Answer questions about the services, prices, hours and policies above from this prompt")
	}
	var avail frontdesk.CheckAvailabilityOut
	decodeResult(t, toolResult(t, reqs[3]), &avail)
	if avail.PackageName != "Portrait Session" || avail.StartDate != "2026-12-10" || avail.EndDate != "2026-12-24" || len(avail.Days) < 10 {
		t.Errorf("check_availability gave the model %+v", avail)
	}
	// The proposal ends the turn: the card has the details and the answer
	// asks the customer to confirm, with no model call after book_service.
	p := c.last.Proposal
	wantContains(t, "proposal", p.Preview, "Portrait Session", "Friday 11 December 2026", "10:15", "Ada Lovelace", "ada@example.com")
	wantContains(t, "answer", c.last.Message, "press Confirm")
	if tu := reqs[5].LastMessage(); tu.Role != "user" {
		t.Errorf("the last call was not the booking turn's first: %+v", tu)
	}
	// The earlier turns' words are all there.
	var history []string
	for _, m := range reqs[5].Messages {
		for _, b := range m.Content {
			history = append(history, b.Text)
		}
	}
	for _, turn := range standardTurns {
		wantContains(t, "history", strings.Join(history, "\n"), turn.say)
	}
	if reqs[5].MaxTokens != chat.DefaultMaxTokens {
		t.Errorf("max_tokens %d, want %d", reqs[5].MaxTokens, chat.DefaultMaxTokens)
	}

	// A model that calls get_services and get_business_info all the same
	// gets them whole, and the cost stays bounded.
	l := runStandardConversation(t, e, lookupTurns)
	if l.calls != 8 {
		t.Fatalf("%d model calls with the look-ups, want 8", l.calls)
	}
	checkCost(t, "with look-ups", l, maxLookupCostShare)
	var services frontdesk.GetServicesOut
	decodeResult(t, toolResult(t, l.requests[2]), &services)
	if len(services.Services) != 3 {
		t.Errorf("get_services gave the model %d services, want 3", len(services.Services))
	}
	var info frontdesk.GetBusinessInfoOut
	decodeResult(t, toolResult(t, l.requests[6]), &info)
	if info.Hours == "" || info.Info.Policies["cancellation"] == "" {
		t.Errorf("get_business_info gave the model %+v", info)
	}
}

// checkCost fails t when c costs more than share of the original.
func checkCost(t *testing.T, what string, c conversationCost, share float64) {
	t.Helper()
	cost := c.cache.CostBytes()
	t.Logf("%s: %d calls, input %d B, read %d, written %d, uncached %d: %.0f B-eq, %.1f%% of the original %d",
		what, c.calls, c.cache.InputBytes, c.cache.ReadBytes, c.cache.WriteBytes, c.cache.UncachedBytes, cost, 100*cost/originalCostBytes, originalCostBytes)
	if cost > share*originalCostBytes {
		t.Errorf("%s: the conversation costs %.0f B-eq, more than %.0f%% of the original %d", what, cost, 100*share, originalCostBytes)
	}
}

// TestSupersededAvailability: in a turn's tool loop, a check_availability
// result is shortened once a later one of the same service and dates or a
// booking proposal supersedes it, and kept whole otherwise; from the loop's
// second round on, the loop so far is cached as well.
func TestSupersededAvailability(t *testing.T) {
	e := sqliteEnv(t, opts{model: true})
	portrait := map[string]any{"packageId": "portrait"}
	e.fake.Reply(
		claudetest.ToolUse(frontdesk.ToolCheckAvailability, portrait),
		claudetest.ToolUse(frontdesk.ToolCheckAvailability, map[string]any{"packageId": "consult"}),
		claudetest.ToolUse(frontdesk.ToolCheckAvailability, portrait),
		// A proposal along with another call: the loop goes on.
		claudetest.Content(claudetest.ToolUseBlock(frontdesk.ToolBookService, map[string]any{"packageId": "portrait", "date": "2026-12-11", "startTime": "10:15",
			"customerName": "Ada Lovelace", "customerEmail": "ada@example.com"}),
			claudetest.ToolUseBlock(frontdesk.ToolGetServices, map[string]any{})),
		claudetest.Text("Please check the booking and press Confirm."),
	)
	sid := e.session(t, e.a)
	if r := e.send(t, e.a, sid, "Book me a portrait tomorrow at 10:15, Ada Lovelace, ada@example.com"); r.Proposal == nil {
		t.Fatalf("no proposal: %q", r.Message)
	}
	reqs := e.requests(t)
	if len(reqs) != 5 {
		t.Fatalf("%d calls, want 5", len(reqs))
	}
	// results returns the check_availability results the model sees in
	// request i, in order: whole (with days) or shortened.
	results := func(i int) (whole, short int) {
		t.Helper()
		for _, m := range reqs[i].Messages {
			for _, b := range m.Content {
				if b.Type != "tool_result" || !strings.Contains(b.ContentText(), `"startDate"`) {
					continue
				}
				switch {
				case strings.Contains(b.ContentText(), `"days"`):
					whole++
				case strings.Contains(b.ContentText(), `"superseded"`) && strings.Contains(b.ContentText(), `"packageName"`):
					short++
				default:
					t.Fatalf("request %d: availability neither whole nor shortened: %s", i, b.ContentText())
				}
			}
		}
		return whole, short
	}
	for i, want := range [][2]int{
		1: {1, 0}, // portrait
		2: {2, 0}, // portrait, consult: another service stays
		3: {2, 1}, // the first portrait is superseded by the second
		4: {0, 3}, // a proposal supersedes them all
	} {
		if i == 0 {
			continue
		}
		if whole, short := results(i); whole != want[0] || short != want[1] {
			t.Errorf("request %d: %d whole and %d shortened availability results, want %d and %d", i, whole, short, want[0], want[1])
		}
	}
	var booked frontdesk.BookServiceOut
	decodeResult(t, reqs[4].ToolResults()[0], &booked)
	if booked.ProposalID == "" {
		t.Errorf("the proposal is not whole: %+v", booked)
	}
	// Breakpoints: the customer's message always; the loop's last message
	// from the second round on (requests 2 and later).
	for i, r := range reqs {
		var marked []int
		for j, m := range r.Messages {
			if m.Content[len(m.Content)-1].CacheControl != nil {
				marked = append(marked, j)
			}
		}
		want := []int{0}
		if i >= 2 {
			want = append(want, len(r.Messages)-1)
		}
		if len(marked) != len(want) || marked[0] != 0 || marked[len(marked)-1] != want[len(want)-1] {
			t.Errorf("request %d: cache breakpoints on messages %v, want %v", i, marked, want)
		}
		if r.Cache.Breakpoints > 4 {
			t.Errorf("request %d: %d breakpoints", i, r.Cache.Breakpoints)
		}
	}
	// Shortening changes the loop: request 3 reads only the settled
	// conversation, not the loop request 2 cached.
	if got, want := reqs[3].Cache.ReadBytes, reqs[0].Cache.InputBytes; got != want {
		t.Errorf("request 3 read %d bytes, want the settled conversation's %d", got, want)
	}

	// Without shortening, the loop request 2 cached is read by request 3.
	e.fake.Reply(
		claudetest.ToolUse(frontdesk.ToolGetServices, map[string]any{}),
		claudetest.ToolUse(frontdesk.ToolGetBusinessInfo, map[string]any{}),
		claudetest.ToolUse(frontdesk.ToolCheckAvailability, map[string]any{"packageId": "consult"}),
		claudetest.Text("A free consultation is open tomorrow at 9:00."),
	)
	e.send(t, e.a, e.session(t, e.a), "What do you have, when are you open, and when is a consultation free?")
	reqs = e.requests(t)[5:]
	if got, want := reqs[3].Cache.ReadBytes, reqs[2].Cache.InputBytes; got != want {
		t.Errorf("round 3 read %d bytes, want the %d of the loop cached by round 2", got, want)
	}
}

// TestToolCallCutOffByMaxTokens: a tool call the model did not finish
// within max_tokens is not run; the guided assistant answers the turn.
func TestToolCallCutOffByMaxTokens(t *testing.T) {
	e := sqliteEnv(t, opts{model: true})
	m := metrics.New()
	e.svc.Metrics = m
	e.fake.Reply(claudetest.Respond(claudetest.Response{StopReason: "max_tokens",
		Content: []claudetest.Block{claudetest.ToolUseBlock(frontdesk.ToolBookService, map[string]any{"packageId": "portrait"})}}))
	sid := e.session(t, e.a)
	r := e.send(t, e.a, sid, "Book a portrait tomorrow at 10:15")
	if r.Proposal != nil || len(e.requests(t)) != 1 {
		t.Fatalf("the cut-off tool call was run: %+v", r)
	}
	if r.Message == "" {
		t.Fatal("no answer")
	}
	if got := scrape(t, m)[`frontdesk_chat_turns_total{assistant="claude",outcome="fallback"}`]; got != 1 {
		t.Errorf("%v turns handed to the guided assistant, want this one", got)
	}
}
