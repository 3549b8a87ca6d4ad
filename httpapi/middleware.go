package httpapi

import (
	"context"
	"log/slog"
	"net/http"
	"runtime/debug"
	"strings"
	"time"

	"github.com/frontdeskhq/frontdesk"
	"github.com/frontdeskhq/frontdesk/ratelimit"
)

type ctxKey int

const (
	keyRequest ctxKey = iota
)

// requestInfo travels in the context so that the access log, written after
// the handler, knows the tenant the handler resolved.
type requestInfo struct {
	id       string
	tenantID string
	log      *slog.Logger
}

func info(ctx context.Context) *requestInfo {
	if ri, ok := ctx.Value(keyRequest).(*requestInfo); ok {
		return ri
	}
	return &requestInfo{log: slog.Default()}
}

func requestID(ctx context.Context) string { return info(ctx).id }

// logger returns the request's logger, carrying request id and tenant id.
func logger(ctx context.Context) *slog.Logger {
	ri := info(ctx)
	l := ri.log.With("request_id", ri.id)
	if ri.tenantID != "" {
		l = l.With("tenant_id", ri.tenantID)
	}
	return l
}

func setTenant(ctx context.Context, t *frontdesk.Tenant) { info(ctx).tenantID = t.ID }

type statusRecorder struct {
	http.ResponseWriter
	status int
	bytes  int
}

// WriteHeader records the status and passes it on.
func (s *statusRecorder) WriteHeader(code int) {
	if s.status == 0 {
		s.status = code
	}
	s.ResponseWriter.WriteHeader(code)
}

// Write records the bytes written and passes them on.
func (s *statusRecorder) Write(b []byte) (int, error) {
	if s.status == 0 {
		s.status = http.StatusOK
	}
	n, err := s.ResponseWriter.Write(b)
	s.bytes += n
	return n, err
}

// Flush flushes the underlying writer, for event streams.
func (s *statusRecorder) Flush() {
	if f, ok := s.ResponseWriter.(http.Flusher); ok {
		f.Flush()
	}
}

// Unwrap lets http.ResponseController reach the underlying writer.
func (s *statusRecorder) Unwrap() http.ResponseWriter { return s.ResponseWriter }

// observe gives each request an id, recovers panics into a 500, writes one
// access log line (with the client's address, as the rate limits see it)
// and records the request in the metrics by route pattern. Query strings
// and headers are not logged: they may carry keys.
func (s *Server) observe(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		id := r.Header.Get("X-Request-Id")
		if id == "" || len(id) > 64 {
			id = frontdesk.NewID()[:16]
		}
		// A Server built without Log must not panic on every request.
		ri := &requestInfo{id: id, log: frontdesk.LoggerOrDefault(s.Log)}
		w.Header().Set("X-Request-Id", id)
		rec := &statusRecorder{ResponseWriter: w}
		r = r.WithContext(context.WithValue(r.Context(), keyRequest, ri))
		defer func() {
			if p := recover(); p != nil {
				logger(r.Context()).Error("panic", "panic", p, "stack", string(debug.Stack()))
				if rec.status == 0 {
					writeError(rec, r, frontdesk.Errorf(frontdesk.EInternal, "panic"))
				}
			}
			elapsed := time.Since(start)
			l := logger(r.Context())
			l.Info("request", "method", r.Method, "path", loggedPath(r.URL.Path), "status", rec.status,
				"bytes", rec.bytes, "duration_ms", elapsed.Milliseconds(), "client_ip", ratelimit.ClientIP(r, s.TrustedProxies))
			// The ServeMux sets r.Pattern on this very request when it
			// routes it (limitBody passes it on unchanged).
			status := rec.status
			if status == 0 {
				status = http.StatusOK // nothing written: net/http answers 200
			}
			s.Metrics.Request(routeLabel(r.Pattern), methodLabel(r.Method), status, elapsed)
		}()
		next.ServeHTTP(rec, r)
	})
}

// routeLabel is the metrics label of a ServeMux pattern: its path, without
// the method (a label of its own). Never the request's path, which carries
// ids and secrets and would make a series per request; "" (no pattern
// matched) is counted as "other".
func routeLabel(pattern string) string {
	if _, path, ok := strings.Cut(pattern, " "); ok {
		return path
	}
	return pattern
}

// methodLabel keeps the methods the server answers and folds the rest, so
// that a client cannot make new series by inventing methods.
func methodLabel(m string) string {
	switch m {
	case http.MethodGet, http.MethodHead, http.MethodPost, http.MethodPut, http.MethodPatch, http.MethodDelete, http.MethodOptions:
		return m
	}
	return "other"
}

// limitBody caps request bodies; decodeJSON turns the overflow into a 413.
func (s *Server) limitBody(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Body != nil {
			limit := s.bodyLimit()
			if r.URL.Path == "/v1/webhooks/stripe" {
				limit = max(limit, 1<<20) // Stripe events can be large; a refused one would be retried forever
			}
			r.Body = http.MaxBytesReader(w, r.Body, limit)
		}
		next.ServeHTTP(w, r)
	})
}

// loggedPath is a request path fit for the log: the secret of a manage
// page (/b/{token}) or a calendar feed (/calendar/{token}.ics) is replaced,
// since anyone who reads the log could otherwise use it.
func loggedPath(p string) string {
	for _, prefix := range []string{"/b/", "/calendar/", "/dashboard/signin/"} {
		if rest, ok := strings.CutPrefix(p, prefix); ok && rest != "" {
			tail := ""
			if i := strings.IndexAny(rest, "/."); i >= 0 {
				tail = rest[i:]
			}
			return prefix + "{token}" + tail
		}
	}
	return p
}
