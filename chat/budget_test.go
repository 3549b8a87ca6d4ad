package chat_test

import (
	"context"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/frontdeskhq/frontdesk"
	"github.com/frontdeskhq/frontdesk/chat"
	"github.com/frontdeskhq/frontdesk/claude/claudetest"
	"github.com/frontdeskhq/frontdesk/mail"
	"github.com/frontdeskhq/frontdesk/metrics"
	"github.com/frontdeskhq/frontdesk/sqlstore"
	"github.com/frontdeskhq/frontdesk/storetest"
)

// centsPer100Input prices a call at one cent per 100 input tokens, so the
// tests choose a turn's cost with the tokens the fake reports.
func centsPer100Input(_ string, u frontdesk.LLMUsage) int64 { return u.InputTokens * 10_000 }

// costing is a model answer that reads in input tokens.
func costing(in int64, text string) claudetest.Step {
	return claudetest.WithUsage(claudetest.Usage{InputTokens: in, OutputTokens: 5}, claudetest.Text(text))
}

// modelAnswers sends text and reports whether the model answered it (the
// fake received a request); otherwise the guided assistant did.
func modelAnswers(t *testing.T, e *env, f *storetest.Fixture, sid, text string) bool {
	t.Helper()
	before := len(e.fake.Requests())
	r := e.send(t, f, sid, text)
	if strings.Contains(strings.ToLower(r.Message), "budget") || strings.Contains(r.Message, "token") {
		t.Fatalf("the visitor was told about money: %q", r.Message)
	}
	return len(e.requests(t)) > before
}

// budgetEmails returns the idempotency keys of tenant f's budget alerts,
// sorted.
func budgetEmails(t *testing.T, e *env, f *storetest.Fixture) []string {
	t.Helper()
	var keys []string
	for _, m := range e.emails(t, f) {
		if m.Kind == mail.EmailBudgetAlert {
			if m.Email.To != f.Tenant.ContactEmail {
				t.Fatalf("budget alert to %q, want the owner %q", m.Email.To, f.Tenant.ContactEmail)
			}
			keys = append(keys, m.IdempotencyKey)
		}
	}
	slices.Sort(keys)
	return keys
}

func TestSessionInputCap(t *testing.T) {
	forEachBackend(t, func(t *testing.T, open func(testing.TB) *sqlstore.DB) {
		e := newEnv(t, open, opts{model: true})
		e.svc.SessionInputTokens = 1000
		e.fake.Reply(
			claudetest.WithUsage(claudetest.Usage{InputTokens: 600, CacheReadInputTokens: 300, OutputTokens: 5}, claudetest.Text("One.")),
			claudetest.WithUsage(claudetest.Usage{InputTokens: 10, CacheCreationInputTokens: 90, OutputTokens: 5}, claudetest.Text("Two.")),
			costing(10, "Fresh session."))
		sid := e.session(t, e.a)
		if !modelAnswers(t, e, e.a, sid, "hi") {
			t.Fatal("the model did not answer the first turn")
		}
		if !modelAnswers(t, e, e.a, sid, "what do you offer?") {
			t.Fatal("the model did not answer at 900 of 1000 tokens")
		}
		// 1000 input tokens read, cache reads and writes included: the cap.
		for _, text := range []string{"and tomorrow?", "book it please"} {
			if modelAnswers(t, e, e.a, sid, text) {
				t.Fatalf("the model was called for %q past the session's cap", text)
			}
		}
		if !modelAnswers(t, e, e.a, e.session(t, e.a), "hi") {
			t.Fatal("the model did not answer a new session")
		}
		if n := e.fake.Pending(); n != 0 {
			t.Fatalf("%d scripted answers unused", n)
		}
	})
}

func TestSessionInputCapDefault(t *testing.T) {
	e := sqliteEnv(t, opts{model: true})
	e.fake.Reply(costing(chat.DefaultSessionInputTokens-1, "One."), costing(1, "Two."), costing(1, "No cap."))
	sid := e.session(t, e.a)
	if !modelAnswers(t, e, e.a, sid, "hi") || !modelAnswers(t, e, e.a, sid, "hello?") {
		t.Fatal("the model did not answer under the default cap")
	}
	if modelAnswers(t, e, e.a, sid, "still there?") {
		t.Fatalf("the model was called past the default cap of %d", chat.DefaultSessionInputTokens)
	}

	e.svc.SessionInputTokens = -1 // no cap
	if !modelAnswers(t, e, e.a, sid, "and now?") {
		t.Fatal("the model did not answer with the cap turned off")
	}
}

func TestMonthlyBudget(t *testing.T) {
	forEachBackend(t, func(t *testing.T, open func(testing.TB) *sqlstore.DB) {
		e := newEnv(t, open, opts{model: true})
		e.svc.Cost = centsPer100Input
		e.svc.SessionInputTokens = -1
		e.a.Tenant.Settings.MonthlyTokenBudgetCents = new(int64(100)) // $1.00
		queued := &enqueueCounter{Store: e.store}
		e.svc.Store = queued
		ny := e.a.Tenant.Location()
		// Spent in November, in New York: not December's.
		must(t, e.store.RecordTokenUsage(ctx, &frontdesk.TokenUsage{ID: frontdesk.NewID(), TenantID: e.a.Tenant.ID, SessionID: "old",
			Model: "m", InputTokens: 50_000, CostMicroCents: 500_000_000, CreatedAt: time.Date(2026, 11, 30, 23, 59, 0, 0, ny)}))

		sid := e.session(t, e.a)
		steps := []struct {
			cents int64 // the turn's cost
			model bool  // the model answers it
			keys  []string
		}{
			{30, true, nil},
			{30, true, nil},
			{29, true, []string{"80"}}, // 89%: the warning
			{5, true, []string{"80"}},
			{5, true, []string{"80"}}, // 99%: still one warning
			{30, true, []string{"80", "100"}},
			{0, false, []string{"80", "100"}}, // 129%: guided
			{0, false, []string{"80", "100"}},
		}
		for i, st := range steps {
			if st.model {
				e.fake.Reply(costing(st.cents*100, "Model answer."))
			}
			if got := modelAnswers(t, e, e.a, sid, "turn"); got != st.model {
				t.Fatalf("turn %d: model answered %v, want %v", i+1, got, st.model)
			}
			want := make([]string, 0, len(st.keys))
			for _, k := range st.keys {
				want = append(want, "budget:"+e.a.Tenant.ID+":2026-12:"+k)
			}
			slices.Sort(want)
			if got := budgetEmails(t, e, e.a); strings.Join(got, " ") != strings.Join(want, " ") {
				t.Fatalf("turn %d: budget alerts %v, want %v", i+1, got, want)
			}
		}
		// The other tenant's month is its own.
		e.fake.Reply(costing(10, "Beta answer."))
		if !modelAnswers(t, e, e.b, e.session(t, e.b), "hi") {
			t.Fatal("another tenant's spent budget stopped this tenant's model")
		}
		if got := budgetEmails(t, e, e.b); len(got) != 0 {
			t.Fatalf("the other tenant got budget alerts %v", got)
		}

		// The last minute of December in New York, already January in UTC.
		e.clock.Set(time.Date(2026, 12, 31, 23, 59, 0, 0, ny))
		if modelAnswers(t, e, e.a, sid, "still December") {
			t.Fatal("the model answered past the budget on the month's last minute")
		}
		// January: the budget starts again.
		e.clock.Set(time.Date(2027, 1, 1, 0, 0, 0, 0, ny))
		e.fake.Reply(costing(85*100, "January answer."))
		if !modelAnswers(t, e, e.a, sid, "happy new year") {
			t.Fatal("the model did not answer in a new month")
		}
		got := budgetEmails(t, e, e.a)
		if len(got) != 3 || got[0] != "budget:"+e.a.Tenant.ID+":2026-12:100" || got[2] != "budget:"+e.a.Tenant.ID+":2027-01:80" {
			t.Fatalf("budget alerts %v, want December's two and January's warning", got)
		}
		for _, m := range e.emails(t, e.a) {
			if m.IdempotencyKey == got[2] && !strings.Contains(m.Email.Subject, "80% of its January budget") {
				t.Fatalf("January's warning is %q", m.Email.Subject)
			}
		}
		// Each alert was written and queued once, not again by every
		// turn past its threshold.
		if n := queued.n.Load(); n != 3 {
			t.Errorf("%d budget alerts queued for the 3 sent", n)
		}
	})
}

// enqueueCounter counts the emails queued through it.
type enqueueCounter struct {
	frontdesk.Store
	n atomic.Int64
}

func (c *enqueueCounter) EnqueueEmail(ctx context.Context, m *frontdesk.OutboxEmail) error {
	c.n.Add(1)
	return c.Store.EnqueueEmail(ctx, m)
}

func TestNoBudgetMeansNoCap(t *testing.T) {
	e := sqliteEnv(t, opts{model: true})
	e.svc.Cost = centsPer100Input
	e.a.Tenant.Settings.MonthlyTokenBudgetCents = nil
	e.fake.Reply(costing(1_000_000, "Expensive."), costing(10, "Still the model."))
	if !modelAnswers(t, e, e.a, e.session(t, e.a), "hi") || !modelAnswers(t, e, e.a, e.session(t, e.a), "hi") {
		t.Fatal("with no budget (null) the model did not answer")
	}
	if got := budgetEmails(t, e, e.a); len(got) != 0 {
		t.Fatalf("budget alerts %v without a budget", got)
	}
}

// TestZeroBudgetMeansNoModel: a budget of 0 is no model at all. With a
// model configured the guided assistant answers every turn, the fake
// receives no request, the visitor is not told, no alert is emailed (not
// even past "100%" of nothing) and the turns count as handed over for the
// budget. Another tenant's model is unaffected.
func TestZeroBudgetMeansNoModel(t *testing.T) {
	forEachBackend(t, func(t *testing.T, open func(testing.TB) *sqlstore.DB) {
		e := newEnv(t, open, opts{model: true})
		m := metrics.New()
		e.svc.Metrics = m
		e.svc.Cost = centsPer100Input
		e.a.Tenant.Settings.MonthlyTokenBudgetCents = new(int64(0))
		// Spent this month before the owner turned the model off.
		must(t, e.store.RecordTokenUsage(ctx, &frontdesk.TokenUsage{ID: frontdesk.NewID(), TenantID: e.a.Tenant.ID, SessionID: "old",
			Model: "m", InputTokens: 50_000, CostMicroCents: 500_000_000, CreatedAt: testNow.Add(-time.Hour)}))

		sid := e.session(t, e.a)
		for _, text := range []string{"hi", "what do you offer?", "Wedding Photography"} {
			r := e.send(t, e.a, sid, text)
			if strings.TrimSpace(r.Message) == "" {
				t.Fatalf("no answer to %q", text)
			}
			if low := strings.ToLower(r.Message); strings.Contains(low, "budget") || strings.Contains(low, "token") {
				t.Fatalf("the visitor was told about money: %q", r.Message)
			}
		}
		if n := len(e.fake.Requests()); n != 0 {
			t.Fatalf("the model received %d requests with a budget of 0", n)
		}
		if got := budgetEmails(t, e, e.a); len(got) != 0 {
			t.Fatalf("budget alerts %v for a budget of 0", got)
		}
		wantMetrics(t, scrape(t, m), map[string]float64{
			`frontdesk_chat_turns_total{assistant="claude",outcome="budget"}`:   3,
			`frontdesk_chat_turns_total{assistant="claude",outcome="answered"}`: 0,
		})

		e.fake.Reply(costing(10, "Beta's model."))
		if !modelAnswers(t, e, e.b, e.session(t, e.b), "hi") {
			t.Fatal("another tenant's budget of 0 stopped this tenant's model")
		}
	})
}
