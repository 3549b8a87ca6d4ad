package chat_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/frontdeskhq/frontdesk"
	"github.com/frontdeskhq/frontdesk/claude"
	"github.com/frontdeskhq/frontdesk/claude/claudetest"
	"github.com/frontdeskhq/frontdesk/sqlstore"
	"github.com/frontdeskhq/frontdesk/storetest"
)

func TestGreetingAndSessions(t *testing.T) {
	forEachBackend(t, func(t *testing.T, open func(testing.TB) *sqlstore.DB) {
		e := newEnv(t, open, opts{})
		greetA, greetB := e.svc.Greeting(e.a.Tenant), e.svc.Greeting(e.b.Tenant)
		wantContains(t, "greeting of Alpha", greetA, "Alpha Studio")
		wantContains(t, "greeting of Beta", greetB, "Beta Studio")

		// One conversation in each tenant.
		aID := e.session(t, e.a)
		aReply := e.send(t, e.a, aID, "hi")
		bID := e.session(t, e.b)
		bReply := e.send(t, e.b, bID, "What are your opening hours?")
		if aID == bID || !frontdesk.ValidID(aID) || !frontdesk.ValidID(bID) {
			t.Fatalf("session ids %q and %q: want two distinct 128-bit hex ids", aID, bID)
		}

		type msg struct{ role, content string }
		tests := []struct {
			name   string
			tenant *storetest.Fixture
			id     string
			resume bool  // the session with id is resumed
			want   []msg // its messages, when resumed
		}{
			{name: "empty id starts a new session", tenant: e.a, id: ""},
			{name: "own id resumes with messages", tenant: e.a, id: aID, resume: true,
				want: []msg{{frontdesk.RoleUser, "hi"}, {frontdesk.RoleAssistant, aReply.Message}}},
			{name: "other tenant resumes its own", tenant: e.b, id: bID, resume: true,
				want: []msg{{frontdesk.RoleUser, "What are your opening hours?"}, {frontdesk.RoleAssistant, bReply.Message}}},
			{name: "unknown id starts a new session", tenant: e.a, id: frontdesk.NewID()},
			{name: "malformed id starts a new session", tenant: e.a, id: "not a session id"},
			{name: "another tenant's id starts a new session", tenant: e.a, id: bID},
			{name: "another tenant's id, the other way round", tenant: e.b, id: aID},
		}
		for _, tc := range tests {
			t.Run(tc.name, func(t *testing.T) {
				s, err := e.svc.StartSession(ctx, tc.tenant.Tenant, tc.id, "")
				if err != nil {
					t.Fatalf("StartSession: %v", err)
				}
				if s.Greeting != e.svc.Greeting(tc.tenant.Tenant) {
					t.Errorf("greeting %q, want %q", s.Greeting, e.svc.Greeting(tc.tenant.Tenant))
				}
				if s.Messages == nil {
					t.Error("messages is nil; the widget needs a list")
				}
				if !tc.resume {
					if s.SessionID == tc.id || s.SessionID == aID || s.SessionID == bID || !frontdesk.ValidID(s.SessionID) {
						t.Fatalf("session id %q: want a fresh id", s.SessionID)
					}
					if len(s.Messages) != 0 {
						t.Fatalf("a new session shows %d messages: %+v", len(s.Messages), s.Messages)
					}
					cs, err := e.store.Session(ctx, tc.tenant.Tenant.ID, s.SessionID)
					if err != nil || cs.TenantID != tc.tenant.Tenant.ID {
						t.Fatalf("new session not stored for its tenant: %+v, %v", cs, err)
					}
					return
				}
				if s.SessionID != tc.id {
					t.Fatalf("session id %q, want %q resumed", s.SessionID, tc.id)
				}
				var got []msg
				for _, m := range s.Messages {
					if m.ID == "" || !m.CreatedAt.Equal(testNow) {
						t.Errorf("message %+v: want an id and the clock's time", m)
					}
					got = append(got, msg{m.Role, m.Content})
				}
				if !slices.Equal(got, tc.want) {
					t.Fatalf("messages %q, want %q", got, tc.want)
				}
			})
		}

		// A session is usable only in its own tenant.
		if _, err := e.svc.Send(ctx, e.a.Tenant, bID, "hello"); !frontdesk.IsCode(err, frontdesk.ENotFound) {
			t.Fatalf("Send to another tenant's session: %v, want not_found", err)
		}
		msgs, err := e.store.RecentMessages(ctx, e.b.Tenant.ID, bID, 10)
		must(t, err)
		if len(msgs) != 2 {
			t.Fatalf("tenant B's session has %d messages after the attempts, want 2", len(msgs))
		}
	})
}

func TestModelListsServices(t *testing.T) {
	forEachBackend(t, func(t *testing.T, open func(testing.TB) *sqlstore.DB) {
		e := newEnv(t, open, opts{model: true})
		sid := e.session(t, e.a)
		usage := []claudetest.Usage{
			{InputTokens: 1200, OutputTokens: 40, CacheCreationInputTokens: 900},
			{InputTokens: 300, OutputTokens: 60, CacheReadInputTokens: 900},
		}
		const answer = "We offer Wedding Photography, Portrait Sessions and a Free Consultation."
		e.fake.Reply(
			claudetest.WithUsage(usage[0], claudetest.ToolUse(frontdesk.ToolGetServices, map[string]any{})),
			claudetest.WithUsage(usage[1], claudetest.Text(answer)),
		)
		r := e.send(t, e.a, sid, "What do you offer?")
		if r.Message != answer {
			t.Errorf("reply %q, want the model's text %q", r.Message, answer)
		}
		if r.Proposal != nil {
			t.Errorf("listing services made a proposal: %+v", r.Proposal)
		}

		reqs := e.requests(t)
		if len(reqs) != 2 {
			t.Fatalf("%d model requests, want 2", len(reqs))
		}
		first := reqs[0]
		wantContains(t, "system prompt", first.System, "Alpha Studio", "Thursday 10 December 2026", testZone, `"portrait"`)
		if strings.Contains(first.System, "Retired Package") || strings.Contains(first.System, "Beta Studio") {
			t.Errorf("system prompt mentions an inactive package or another tenant:\n%s", first.System)
		}
		wantTools := []string{frontdesk.ToolGetServices, frontdesk.ToolCheckAvailability, frontdesk.ToolGetBusinessInfo, frontdesk.ToolBookService,
			frontdesk.ToolCancelBooking, frontdesk.ToolRescheduleBooking, frontdesk.ToolRequestHuman}
		if !slices.Equal(first.Tools, wantTools) {
			t.Errorf("tools %q, want %q", first.Tools, wantTools)
		}
		if len(first.Messages) != 1 || first.Messages[0].Role != "user" || first.Messages[0].Content[0].Text != "What do you offer?" {
			t.Errorf("first request messages = %+v, want the customer's message", first.Messages)
		}

		res := toolResult(t, reqs[1])
		if ids := toolUseIDs(reqs[1]); len(ids) != 1 || res.ToolUseID != ids[0] {
			t.Errorf("tool_result answers %q, want the tool_use %q", res.ToolUseID, ids)
		}
		if res.IsError {
			t.Errorf("get_services result is an error: %s", res.ContentText())
		}
		var out frontdesk.GetServicesOut
		decodeResult(t, res, &out)
		var slugs []string
		for _, s := range out.Services {
			slugs = append(slugs, s.Slug)
		}
		slices.Sort(slugs)
		if !out.Success || !slices.Equal(slugs, []string{"consult", "portrait", "wedding"}) {
			t.Fatalf("get_services = %s, want the three active packages", res.ContentText())
		}
		for _, s := range out.Services {
			want := map[string]*frontdesk.Package{"consult": e.a.Free, "portrait": e.a.Portrait, "wedding": e.a.Wedding}[s.Slug]
			if s.ID != want.ID || s.Name != want.Name || s.PriceCents != want.PriceCents || s.BookingType != want.BookingType {
				t.Errorf("service %+v does not describe package %+v", s, want)
			}
		}
		if c := res.ContentText(); strings.Contains(c, "retired") || strings.Contains(c, e.a.Retired.ID) || strings.Contains(c, e.b.Tenant.Name) {
			t.Errorf("get_services leaks an inactive package or another tenant: %s", c)
		}

		// One token usage row per model call, priced.
		rows, err := e.store.ListTokenUsage(ctx, e.a.Tenant.ID)
		must(t, err)
		if len(rows) != 2 {
			t.Fatalf("%d token usage rows, want 2", len(rows))
		}
		// Both calls have the clock's time, so the rows come in either order.
		slices.SortFunc(rows, func(x, y *frontdesk.TokenUsage) int { return int(y.InputTokens - x.InputTokens) })
		for i, u := range rows {
			want := frontdesk.LLMUsage{InputTokens: usage[i].InputTokens, OutputTokens: usage[i].OutputTokens,
				CacheReadTokens: usage[i].CacheReadInputTokens, CacheWriteTokens: usage[i].CacheCreationInputTokens}
			got := frontdesk.LLMUsage{InputTokens: u.InputTokens, OutputTokens: u.OutputTokens, CacheReadTokens: u.CacheReadTokens, CacheWriteTokens: u.CacheWriteTokens}
			if u.SessionID != sid || u.TenantID != e.a.Tenant.ID || u.Model != claude.DefaultModel || got != want {
				t.Errorf("usage row %d = %+v, want session %s model %s tokens %+v", i, u, sid, claude.DefaultModel, want)
			}
			if wantCost := claude.EstimateCostMicroCents(u.Model, want); u.CostMicroCents <= 0 || u.CostMicroCents != wantCost {
				t.Errorf("usage row %d cost %d, want %d (> 0)", i, u.CostMicroCents, wantCost)
			}
		}
		if rows, err := e.store.ListTokenUsage(ctx, e.b.Tenant.ID); err != nil || len(rows) != 0 {
			t.Errorf("tenant B has %d usage rows (%v), want 0", len(rows), err)
		}

		// The turn is stored with the tool call it made.
		msgs, err := e.store.RecentMessages(ctx, e.a.Tenant.ID, sid, 10)
		must(t, err)
		if len(msgs) != 2 || msgs[1].Role != frontdesk.RoleAssistant || msgs[1].Content != answer || msgs[1].ID != r.MessageID {
			t.Fatalf("stored messages = %+v", msgs)
		}
		var calls []struct {
			Name   string          `json:"name"`
			Result json.RawMessage `json:"result"`
		}
		if err := json.Unmarshal(msgs[1].ToolCalls, &calls); err != nil || len(calls) != 1 || calls[0].Name != frontdesk.ToolGetServices {
			t.Fatalf("stored tool calls %s (%v), want one get_services", msgs[1].ToolCalls, err)
		}

		// The next turn shows the model the conversation so far, as text.
		e.fake.Reply(claudetest.Text("You're welcome!"))
		e.send(t, e.a, sid, "Thanks!")
		reqs = e.requests(t)
		if len(reqs) != 3 {
			t.Fatalf("%d model requests, want 3", len(reqs))
		}
		type turn struct{ role, text string }
		var got []turn
		for _, m := range reqs[2].Messages {
			if len(m.Content) != 1 || m.Content[0].Type != "text" {
				t.Fatalf("history message %+v: want one text block", m)
			}
			got = append(got, turn{m.Role, m.Content[0].Text})
		}
		want := []turn{{"user", "What do you offer?"}, {"assistant", answer}, {"user", "Thanks!"}}
		if !slices.Equal(got, want) {
			t.Fatalf("history sent %q, want %q", got, want)
		}
	})
}

func TestToolErrorsGoBackToTheModel(t *testing.T) {
	forEachBackend(t, func(t *testing.T, open func(testing.TB) *sqlstore.DB) {
		e := newEnv(t, open, opts{model: true})
		tests := []struct {
			name  string
			tool  string
			input any
			want  []string // in the error message
		}{
			{"invalid email", frontdesk.ToolBookService,
				frontdesk.BookServiceIn{PackageID: "wedding", Date: "2026-12-14", CustomerName: "Ann Lee", CustomerEmail: "ann-at-example"},
				[]string{"valid email address"}},
			{"past date", frontdesk.ToolBookService,
				frontdesk.BookServiceIn{PackageID: "wedding", Date: "2026-12-01", CustomerName: "Ann Lee", CustomerEmail: "ann@example.com"},
				[]string{"in the past"}},
			{"several fields at once", frontdesk.ToolBookService,
				frontdesk.BookServiceIn{PackageID: "wedding", Date: "14/12/2026", CustomerName: " ", CustomerEmail: "ann@"},
				[]string{"customerName:", "customerEmail:", "date:"}},
			{"bidi override in the name", frontdesk.ToolBookService,
				frontdesk.BookServiceIn{PackageID: "wedding", Date: "2026-12-14", CustomerName: "Ann \u202eeeL", CustomerEmail: "ann@example.com"},
				[]string{"plain text"}},
			{"zero-width space and line break in the name", frontdesk.ToolBookService,
				frontdesk.BookServiceIn{PackageID: "wedding", Date: "2026-12-14", CustomerName: "Ann\u200b Lee\r\nBcc: eve@example.com", CustomerEmail: "ann@example.com"},
				[]string{"plain text"}},
			{"timed service without a time", frontdesk.ToolBookService,
				frontdesk.BookServiceIn{PackageID: "portrait", Date: "2026-12-14", CustomerName: "Ann Lee", CustomerEmail: "ann@example.com"},
				[]string{"start time"}},
			{"closed day", frontdesk.ToolBookService,
				frontdesk.BookServiceIn{PackageID: "wedding", Date: "2026-12-25", CustomerName: "Ann Lee", CustomerEmail: "ann@example.com"},
				[]string{"closed"}},
			{"malformed input", frontdesk.ToolBookService, map[string]any{"packageId": 7},
				[]string{"tool input was not valid"}},
			{"availability in the past", frontdesk.ToolCheckAvailability,
				frontdesk.CheckAvailabilityIn{PackageID: "portrait", StartDate: "2026-11-01", EndDate: "2026-11-05"},
				[]string{"in the past"}},
			{"unknown tool", "cancel_everything", map[string]any{}, []string{"no tool named"}},
		}
		for _, tc := range tests {
			t.Run(tc.name, func(t *testing.T) {
				sid := e.session(t, e.a)
				before := len(e.fake.Requests())
				e.fake.Reply(claudetest.ToolUse(tc.tool, tc.input), claudetest.Text("Sorry, something needs fixing."))
				r := e.send(t, e.a, sid, "Book it please")
				reqs := e.requests(t)[before:]
				if len(reqs) != 2 {
					t.Fatalf("%d model requests, want 2", len(reqs))
				}
				res := toolResult(t, reqs[1])
				if !res.IsError {
					t.Errorf("tool_result is_error is false for %s", res.ContentText())
				}
				if ids := toolUseIDs(reqs[1]); len(ids) != 1 || res.ToolUseID != ids[0] {
					t.Errorf("tool_result answers %q, want %q", res.ToolUseID, ids)
				}
				var out frontdesk.ToolError
				decodeResult(t, res, &out)
				if out.Success {
					t.Errorf("tool result %s has success true", res.ContentText())
				}
				wantContains(t, "tool error", out.Error, tc.want...)
				if r.Message != "Sorry, something needs fixing." || r.Proposal != nil {
					t.Errorf("reply %q proposal %+v, want the model's text and no proposal", r.Message, r.Proposal)
				}
			})
		}
		if n := len(e.allBookings(t, e.a)); n != 0 {
			t.Fatalf("%d bookings made by failed tools", n)
		}
	})
}

func TestToolLoopDepthLimit(t *testing.T) {
	book := frontdesk.BookServiceIn{PackageID: "wedding", Date: "2026-12-14", CustomerName: "Ann Lee", CustomerEmail: "ann@example.com"}
	tests := []struct {
		name      string
		maxRounds int // chat.Service.MaxToolRounds; 0 means its default
		rounds    int // the requests expected
		first     claudetest.Step
		want      string
		proposal  bool
	}{
		{"default limit", 0, 5, claudetest.ToolUse(frontdesk.ToolGetServices, map[string]any{}),
			"Sorry, I couldn't finish that just now.", false},
		{"limit of three", 3, 3, claudetest.ToolUse(frontdesk.ToolGetServices, map[string]any{}),
			"Sorry, I couldn't finish that just now.", false},
		// A proposal made along with another call does not end the turn.
		{"proposal made before the limit", 2, 2, claudetest.Content(claudetest.ToolUseBlock(frontdesk.ToolBookService, book),
			claudetest.ToolUseBlock(frontdesk.ToolGetServices, map[string]any{})),
			"I've prepared your booking.", true},
	}
	forEachBackend(t, func(t *testing.T, open func(testing.TB) *sqlstore.DB) {
		for _, tc := range tests {
			t.Run(tc.name, func(t *testing.T) {
				e := newEnv(t, open, opts{model: true, maxRounds: tc.maxRounds})
				sid := e.session(t, e.a)
				e.fake.Reply(tc.first)
				for i := 1; i < tc.rounds; i++ {
					e.fake.Reply(claudetest.ToolUse(frontdesk.ToolGetServices, map[string]any{}))
				}
				e.fake.Reply(claudetest.Text("never sent: the loop must stop first"))
				r := e.send(t, e.a, sid, "Show me everything")
				if n := len(e.requests(t)); n != tc.rounds {
					t.Fatalf("%d model requests, want exactly %d", n, tc.rounds)
				}
				if e.fake.Pending() != 1 {
					t.Fatalf("%d scripted steps left, want 1", e.fake.Pending())
				}
				wantContains(t, "reply", r.Message, tc.want)
				if (r.Proposal != nil) != tc.proposal {
					t.Fatalf("proposal %+v, want one: %v", r.Proposal, tc.proposal)
				}
				rows, err := e.store.ListTokenUsage(ctx, e.a.Tenant.ID)
				must(t, err)
				if len(rows) != tc.rounds {
					t.Errorf("%d usage rows, want %d", len(rows), tc.rounds)
				}
			})
		}
	})
}

func TestProviderFailureFallsBackToGuided(t *testing.T) {
	retryNow := func(s claudetest.Step) claudetest.Step { return claudetest.WithHeader("retry-after-ms", "1", s) }
	tests := []struct {
		name     string
		o        opts
		steps    []claudetest.Step
		requests int
	}{
		{"500 after a retry", opts{},
			[]claudetest.Step{retryNow(claudetest.Status(http.StatusInternalServerError, "api_error", "Internal server error")),
				claudetest.Status(http.StatusInternalServerError, "api_error", "Internal server error")}, 2},
		{"overloaded without retries", opts{maxRetries: -1},
			[]claudetest.Step{claudetest.Status(529, "", "Overloaded")}, 1},
		{"500 in the second round", opts{maxRetries: -1},
			[]claudetest.Step{claudetest.ToolUse(frontdesk.ToolGetServices, map[string]any{}),
				claudetest.Status(http.StatusInternalServerError, "", "")}, 2},
		{"timeout", opts{timeout: 300 * time.Millisecond},
			[]claudetest.Step{claudetest.Delay(10*time.Second, claudetest.Text("too late"))}, 1},
	}
	forEachBackend(t, func(t *testing.T, open func(testing.TB) *sqlstore.DB) {
		for _, tc := range tests {
			t.Run(tc.name, func(t *testing.T) {
				tc.o.model = true
				e := newEnv(t, open, tc.o)
				sid := e.session(t, e.a)
				e.fake.Reply(tc.steps...)
				start := time.Now()
				r, err := e.svc.Send(ctx, e.a.Tenant, sid, "What services do you offer?")
				if err != nil {
					t.Fatalf("Send returned %v; the guided assistant should have answered", err)
				}
				if d := time.Since(start); d > 5*time.Second {
					t.Errorf("the turn took %s", d)
				}
				if n := len(e.requests(t)); n != tc.requests {
					t.Errorf("%d model requests, want %d", n, tc.requests)
				}
				if strings.TrimSpace(r.Message) == "" || len(r.Suggestions) == 0 {
					t.Fatalf("reply %q suggestions %q: want the guided assistant's answer with quick replies", r.Message, r.Suggestions)
				}
				wantContains(t, "reply", r.Message, "Portrait Session", "Wedding Photography")
				if !slices.Contains(r.Suggestions, "Portrait Session") {
					t.Errorf("suggestions %q do not offer the services", r.Suggestions)
				}
				for _, leak := range []string{"api_error", "overloaded_error", "claude", "Internal server error", "Overloaded", "deadline", "127.0.0.1"} {
					if strings.Contains(r.Message, leak) {
						t.Errorf("reply %q leaks %q", r.Message, leak)
					}
				}
				msgs, err := e.store.RecentMessages(ctx, e.a.Tenant.ID, sid, 10)
				must(t, err)
				if len(msgs) != 2 || msgs[1].Content != r.Message {
					t.Fatalf("stored messages %+v, want the question and the guided answer", msgs)
				}
				cs, err := e.store.Session(ctx, e.a.Tenant.ID, sid)
				must(t, err)
				if len(cs.State) == 0 {
					t.Error("the guided assistant's state was not saved")
				}
			})
		}
	})
}

// TestToolsAreTenantScoped has the model name another tenant's packages: the
// tools answer exactly as for an id that does not exist anywhere.
func TestToolsAreTenantScoped(t *testing.T) {
	forEachBackend(t, func(t *testing.T, open func(testing.TB) *sqlstore.DB) {
		e := newEnv(t, open, opts{model: true})
		book := func(pkg, date, start string) frontdesk.BookServiceIn {
			return frontdesk.BookServiceIn{PackageID: pkg, Date: date, StartTime: start, CustomerName: "Ann Lee", CustomerEmail: "ann@example.com"}
		}
		avail := func(pkg string) frontdesk.CheckAvailabilityIn { return frontdesk.CheckAvailabilityIn{PackageID: pkg} }
		unknown := frontdesk.NewID()
		tests := []struct {
			name    string
			tool    string
			foreign any // names a package of tenant B
			missing any // the same with an id that exists nowhere
		}{
			{"availability of a timed package", frontdesk.ToolCheckAvailability, avail(e.b.Portrait.ID), avail(unknown)},
			{"availability of a day package", frontdesk.ToolCheckAvailability, avail(e.b.Wedding.ID), avail(unknown)},
			{"availability of an inactive package", frontdesk.ToolCheckAvailability, avail(e.b.Retired.ID), avail(unknown)},
			{"booking a timed package", frontdesk.ToolBookService,
				book(e.b.Portrait.ID, monday, mondaySlot9), book(unknown, monday, mondaySlot9)},
			{"booking a day package", frontdesk.ToolBookService, book(e.b.Wedding.ID, monday, ""), book(unknown, monday, "")},
		}
		notFound := regexp.MustCompile(`(?i)not found|couldn't find|could not find`)
		for _, tc := range tests {
			t.Run(tc.name, func(t *testing.T) {
				sid := e.session(t, e.a)
				before := len(e.fake.Requests())
				e.fake.Reply(
					claudetest.Content(claudetest.ToolUseBlock(tc.tool, tc.foreign), claudetest.ToolUseBlock(tc.tool, tc.missing)),
					claudetest.Text("I couldn't find that service."))
				r := e.send(t, e.a, sid, "Book the portrait")
				reqs := e.requests(t)[before:]
				if len(reqs) != 2 {
					t.Fatalf("%d model requests, want 2", len(reqs))
				}
				res := reqs[1].ToolResults()
				if len(res) != 2 {
					t.Fatalf("%d tool results, want 2", len(res))
				}
				var foreign, missing frontdesk.ToolError
				decodeResult(t, res[0], &foreign)
				decodeResult(t, res[1], &missing)
				if !res[0].IsError || foreign.Success || !notFound.MatchString(foreign.Error) {
					t.Errorf("another tenant's package gave %s (is_error %v), want a not-found error", res[0].ContentText(), res[0].IsError)
				}
				if res[0].ContentText() != res[1].ContentText() {
					t.Errorf("another tenant's package gave %s, an unknown one %s: want the same answer", res[0].ContentText(), res[1].ContentText())
				}
				for _, leak := range []string{e.b.Tenant.Name, e.b.Tenant.ID, e.b.Portrait.Name, e.b.Retired.Name} {
					if strings.Contains(res[0].ContentText(), leak) {
						t.Errorf("tool result %s leaks %q", res[0].ContentText(), leak)
					}
				}
				if r.Proposal != nil {
					t.Errorf("a proposal was made: %+v", r.Proposal)
				}
			})
		}
		t.Run("own inactive package", func(t *testing.T) {
			sid := e.session(t, e.a)
			before := len(e.fake.Requests())
			e.fake.Reply(claudetest.ToolUse(frontdesk.ToolBookService, book(e.a.Retired.ID, monday, mondaySlot9)), claudetest.Text("Sorry."))
			e.send(t, e.a, sid, "Book the retired one")
			res := toolResult(t, e.requests(t)[before:][1])
			var out frontdesk.ToolError
			decodeResult(t, res, &out)
			if !res.IsError {
				t.Errorf("is_error false for %s", res.ContentText())
			}
			wantContains(t, "tool error", out.Error, "not available")
		})
		for _, f := range []*storetest.Fixture{e.a, e.b} {
			if n := len(e.allBookings(t, f)); n != 0 {
				t.Errorf("%s has %d bookings", f.Tenant.Name, n)
			}
		}
	})
}

// sessionsDown is a store whose session lookups fail as in a database outage.
type sessionsDown struct{ frontdesk.Store }

var errDown = errors.New("dial tcp 10.0.0.7:5432: connection refused")

func (sessionsDown) Session(context.Context, string, string) (*frontdesk.ChatSession, error) {
	return nil, errDown
}

// TestStoreFailureIsNotNotFound checks that a failing database is reported as
// an internal error, not as "session not found", which would make the widget
// drop the visitor's conversation and start a new one.
func TestStoreFailureIsNotNotFound(t *testing.T) {
	e := sqliteEnv(t, opts{})
	sid := e.session(t, e.a)
	p := e.propose(t, e.a, sid, frontdesk.BookServiceIn{PackageID: "wedding", Date: "2026-12-14", CustomerName: "Ann Lee", CustomerEmail: "ann@example.com"})
	e.svc.Store = sessionsDown{e.store}
	tests := []struct {
		name string
		call func() error
	}{
		{"StartSession", func() error { _, err := e.svc.StartSession(ctx, e.a.Tenant, sid, ""); return err }},
		{"Send", func() error { _, err := e.svc.Send(ctx, e.a.Tenant, sid, "hi"); return err }},
		{"Confirm", func() error { _, err := e.svc.Confirm(ctx, e.a.Tenant, sid, p.ID); return err }},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.call()
			if !errors.Is(err, errDown) || frontdesk.ErrorCode(err) != frontdesk.EInternal {
				t.Fatalf("error %v (code %s), want the store's error, code internal", err, frontdesk.ErrorCode(err))
			}
			if msg := frontdesk.ErrorMessage(err); strings.Contains(msg, "10.0.0.7") {
				t.Errorf("user-facing message %q leaks the cause", msg)
			}
		})
	}
	if n := len(e.allBookings(t, e.a)); n != 0 {
		t.Fatalf("%d bookings", n)
	}
}
