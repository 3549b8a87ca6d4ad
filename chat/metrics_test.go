package chat_test

import (
	"net/http"
	"testing"

	"github.com/frontdeskhq/frontdesk"
	"github.com/frontdeskhq/frontdesk/claude"
	"github.com/frontdeskhq/frontdesk/claude/claudetest"
	"github.com/frontdeskhq/frontdesk/metrics"
)

// scrape reads the metrics' current values by "name{labels}".
func scrape(t *testing.T, m *metrics.Metrics) map[string]float64 {
	t.Helper()
	v, err := m.Values()
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// wantMetrics fails unless each series has the value given.
func wantMetrics(t *testing.T, got map[string]float64, want map[string]float64) {
	t.Helper()
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s = %v, want %v", k, got[k], v)
		}
	}
}

// TestMetricsMoveWithAGuidedTurnAndABooking: the counters an operator
// watches move with a guided conversation that ends in a booking.
func TestMetricsMoveWithAGuidedTurnAndABooking(t *testing.T) {
	e := sqliteEnv(t, opts{})
	m := metrics.New()
	e.svc.Metrics, e.bookings.Metrics = m, m
	wantMetrics(t, scrape(t, m), map[string]float64{
		`frontdesk_chat_turns_total{assistant="guided",outcome="answered"}`: 0,
		`frontdesk_booking_status_changes_total{status="PENDING"}`:          0,
	})
	sid := e.session(t, e.a)
	var r = e.send(t, e.a, sid, "hi")
	for _, say := range []string{"See services", "Wedding Photography", "Dec 15", "Ann Lee", "ann@example.com"} {
		r = e.send(t, e.a, sid, say)
	}
	if r.Proposal == nil {
		t.Fatalf("no proposal after the conversation: %q", r.Message)
	}
	res, err := e.svc.Confirm(ctx, e.a.Tenant, sid, r.Proposal.ProposalID)
	must(t, err)
	if res.Status != string(frontdesk.StatusPending) {
		t.Fatalf("booking %s, want PENDING (a paid day package)", res.Status)
	}
	// Confirming again replays the result: nothing more is counted.
	_, err = e.svc.Confirm(ctx, e.a.Tenant, sid, r.Proposal.ProposalID)
	must(t, err)
	// A turn of an unknown session is no turn.
	if _, err := e.svc.Send(ctx, e.a.Tenant, frontdesk.NewID(), "hello?"); !frontdesk.IsCode(err, frontdesk.ENotFound) {
		t.Fatalf("Send to an unknown session: %v", err)
	}
	wantMetrics(t, scrape(t, m), map[string]float64{
		`frontdesk_chat_turns_total{assistant="guided",outcome="answered"}`: 5,
		`frontdesk_chat_turns_total{assistant="guided",outcome="proposal"}`: 1,
		`frontdesk_booking_status_changes_total{status="PENDING"}`:          1,
	})
}

// TestMetricsOfModelCalls: a model turn counts the call with its model,
// latency, tokens and cost; a failed one falls back to the guided
// assistant and counts an error.
func TestMetricsOfModelCalls(t *testing.T) {
	e := sqliteEnv(t, opts{model: true, maxRetries: -1})
	m := metrics.New()
	e.svc.Metrics, e.bookings.Metrics = m, m
	sid := e.session(t, e.a)
	e.fake.Reply(claudetest.WithUsage(claudetest.Usage{InputTokens: 1000, OutputTokens: 50, CacheReadInputTokens: 200},
		claudetest.Text("We offer weddings and portraits.")))
	e.send(t, e.a, sid, "What do you offer?")
	e.fake.Reply(claudetest.Status(http.StatusInternalServerError, "api_error", "Internal server error"))
	e.send(t, e.a, sid, "What do you offer?")
	model := claude.DefaultModel
	got := scrape(t, m)
	wantMetrics(t, got, map[string]float64{
		`frontdesk_chat_turns_total{assistant="claude",outcome="answered"}`:                          1,
		`frontdesk_chat_turns_total{assistant="claude",outcome="fallback"}`:                          1,
		`frontdesk_model_call_duration_seconds_count{model="` + string(model) + `",outcome="ok"}`:    1,
		`frontdesk_model_call_duration_seconds_count{model="` + string(model) + `",outcome="error"}`: 1,
		`frontdesk_model_tokens_total{kind="input"}`:                                                 1000,
		`frontdesk_model_tokens_total{kind="output"}`:                                                50,
		`frontdesk_model_tokens_total{kind="cache_read"}`:                                            200,
	})
	if got[`frontdesk_model_cost_cents_total`] <= 0 {
		t.Errorf("model cost %v cents, want more than 0", got[`frontdesk_model_cost_cents_total`])
	}
}
