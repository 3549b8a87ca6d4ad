// Package metrics counts what Frontdesk does, for Prometheus: requests by
// route and status, chat turns, model calls, the outbox, booking status
// changes, webhook events, rate-limit refusals, job runs and the Go
// runtime. It is served on METRICS_ADDR only, never on the public port.
//
// Every method is safe on a nil *Metrics, so code records unconditionally
// and tests that don't care pass nil.
package metrics

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Metrics holds the collectors of one process.
type Metrics struct {
	reg *prometheus.Registry

	requests       *prometheus.HistogramVec
	chatTurns      *prometheus.CounterVec
	modelCalls     *prometheus.HistogramVec
	modelTokens    *prometheus.CounterVec
	modelCost      prometheus.Counter
	outboxSent     prometheus.Counter
	outboxFailed   prometheus.Counter
	outboxDead     prometheus.Counter
	outboxLatency  prometheus.Histogram
	outboxPending  prometheus.Gauge
	bookingChanges *prometheus.CounterVec
	webhookEvents  *prometheus.CounterVec
	rateLimited    *prometheus.CounterVec
	jobRuns        *prometheus.HistogramVec
}

// New registers every collector, with the Go runtime and process ones.
func New() *Metrics {
	reg := prometheus.NewRegistry()
	m := &Metrics{reg: reg,
		requests: prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "frontdesk_http_request_duration_seconds",
			Help: "HTTP requests by route pattern, method and status, with their latency.", Buckets: prometheus.DefBuckets},
			[]string{"route", "method", "status"}),
		chatTurns: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "frontdesk_chat_turns_total",
			Help: "Chat turns by assistant (claude, guided) and outcome (answered, proposal, fallback, error)."}, []string{"assistant", "outcome"}),
		modelCalls: prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "frontdesk_model_call_duration_seconds",
			Help: "Calls to the language model by model and outcome (ok, error).", Buckets: []float64{.25, .5, 1, 2, 4, 8, 16, 32}},
			[]string{"model", "outcome"}),
		modelTokens: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "frontdesk_model_tokens_total",
			Help: "Tokens sent to and received from the model, by kind (input, output, cache_read, cache_write)."}, []string{"kind"}),
		modelCost: prometheus.NewCounter(prometheus.CounterOpts{Name: "frontdesk_model_cost_cents_total",
			Help: "Estimated cost of the model calls, in US cents."}),
		outboxSent:   prometheus.NewCounter(prometheus.CounterOpts{Name: "frontdesk_outbox_sent_total", Help: "Emails sent."}),
		outboxFailed: prometheus.NewCounter(prometheus.CounterOpts{Name: "frontdesk_outbox_failed_total", Help: "Failed email attempts (retried later)."}),
		outboxDead:   prometheus.NewCounter(prometheus.CounterOpts{Name: "frontdesk_outbox_dead_total", Help: "Emails given up on."}),
		outboxLatency: prometheus.NewHistogram(prometheus.HistogramOpts{Name: "frontdesk_outbox_send_seconds",
			Help: "Time from an email being due to it being sent.", Buckets: []float64{1, 5, 15, 60, 300, 900, 3600}}),
		outboxPending: prometheus.NewGauge(prometheus.GaugeOpts{Name: "frontdesk_outbox_pending", Help: "Emails claimed by the last outbox run."}),
		bookingChanges: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "frontdesk_booking_status_changes_total",
			Help: "Bookings entering a status (PENDING, CONFIRMED, CANCELED, REFUNDED, EXPIRED) or rescheduled (RESCHEDULED)."}, []string{"status"}),
		webhookEvents: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "frontdesk_webhook_events_total",
			Help: "Payment webhook events by outcome."}, []string{"outcome"}),
		rateLimited: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "frontdesk_rate_limited_total",
			Help: "Requests refused by a per-client limit, by limit."}, []string{"limit"}),
		jobRuns: prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "frontdesk_job_run_seconds",
			Help: "Periodic job runs by job and outcome (ok, error, skipped).", Buckets: []float64{.01, .1, .5, 1, 5, 30}},
			[]string{"job", "outcome"}),
	}
	reg.MustRegister(m.requests, m.chatTurns, m.modelCalls, m.modelTokens, m.modelCost, m.outboxSent, m.outboxFailed,
		m.outboxDead, m.outboxLatency, m.outboxPending, m.bookingChanges, m.webhookEvents, m.rateLimited, m.jobRuns,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}

// Handler serves the metrics in Prometheus's text format.
func (m *Metrics) Handler() http.Handler {
	if m == nil {
		return http.NotFoundHandler()
	}
	return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{})
}

// Request records one HTTP request; route is the pattern, never the path
// (which may carry a secret or an id).
func (m *Metrics) Request(route, method string, status int, d time.Duration) {
	if m == nil {
		return
	}
	if route == "" {
		route = "other"
	}
	m.requests.WithLabelValues(route, method, strconv.Itoa(status)).Observe(d.Seconds())
}

// ChatTurn records one chat turn.
func (m *Metrics) ChatTurn(assistant, outcome string) {
	if m == nil {
		return
	}
	m.chatTurns.WithLabelValues(assistant, outcome).Inc()
}

// ModelCall records one call to the model and what it used.
func (m *Metrics) ModelCall(model string, d time.Duration, err error, input, output, cacheRead, cacheWrite int64, costMicroCents int64) {
	if m == nil {
		return
	}
	outcome := "ok"
	if err != nil {
		outcome = "error"
	}
	m.modelCalls.WithLabelValues(model, outcome).Observe(d.Seconds())
	m.modelTokens.WithLabelValues("input").Add(float64(input))
	m.modelTokens.WithLabelValues("output").Add(float64(output))
	m.modelTokens.WithLabelValues("cache_read").Add(float64(cacheRead))
	m.modelTokens.WithLabelValues("cache_write").Add(float64(cacheWrite))
	m.modelCost.Add(float64(costMicroCents) / 1e6)
}

// EmailSent records a delivered email that was due for late.
func (m *Metrics) EmailSent(late time.Duration) {
	if m == nil {
		return
	}
	m.outboxSent.Inc()
	m.outboxLatency.Observe(max(late, 0).Seconds())
}

// EmailFailed records a failed attempt; dead when it was the last.
func (m *Metrics) EmailFailed(dead bool) {
	if m == nil {
		return
	}
	if dead {
		m.outboxDead.Inc()
		return
	}
	m.outboxFailed.Inc()
}

// OutboxClaimed records how many emails an outbox run found due.
func (m *Metrics) OutboxClaimed(n int) {
	if m == nil {
		return
	}
	m.outboxPending.Set(float64(n))
}

// BookingStatus records a booking entering status (or "RESCHEDULED").
func (m *Metrics) BookingStatus(status string) {
	if m == nil {
		return
	}
	m.bookingChanges.WithLabelValues(status).Inc()
}

// WebhookEvent records a payment event's outcome.
func (m *Metrics) WebhookEvent(outcome string) {
	if m == nil {
		return
	}
	m.webhookEvents.WithLabelValues(outcome).Inc()
}

// RateLimited records a refusal by the named limit.
func (m *Metrics) RateLimited(limit string) {
	if m == nil {
		return
	}
	m.rateLimited.WithLabelValues(limit).Inc()
}

// JobRun records a periodic job's run: outcome ok, error or skipped.
func (m *Metrics) JobRun(job, outcome string, d time.Duration) {
	if m == nil {
		return
	}
	m.jobRuns.WithLabelValues(job, outcome).Observe(d.Seconds())
}

// Values reads every current value as the /metrics endpoint shows it, by
// "name{labels}" (tests and debugging).
func (m *Metrics) Values() (map[string]float64, error) {
	rec := httptest.NewRecorder()
	m.Handler().ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/metrics", nil))
	out := map[string]float64{}
	for _, line := range strings.Split(rec.Body.String(), "\n") {
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		i := strings.LastIndexByte(line, ' ')
		v, err := strconv.ParseFloat(line[i+1:], 64)
		if err != nil {
			return nil, fmt.Errorf("metrics line %q: %w", line, err)
		}
		out[line[:i]] = v
	}
	return out, nil
}
