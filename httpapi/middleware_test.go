package httpapi_test

import (
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/frontdeskhq/frontdesk"
	"github.com/frontdeskhq/frontdesk/httpapi"
	"github.com/frontdeskhq/frontdesk/storetest"
)

// panicStore panics where the public API looks up a tenant.
type panicStore struct{ frontdesk.Store }

func (panicStore) TenantByPublicKey(context.Context, string) (*frontdesk.Tenant, error) {
	panic("driver exploded: password=hunter2")
}

func TestMiddleware(t *testing.T) {
	h := newHarness(t, storetest.Backend{Name: "sqlite", Open: storetest.OpenSQLite})

	t.Run("panic", func(t *testing.T) {
		logs := &storetest.LogBuffer{}
		s := &httpapi.Server{Store: panicStore{h.store}, Chat: h.chat, Bookings: h.bookings, Clock: h.server.Clock,
			Log: slog.New(slog.NewTextHandler(logs, nil))}
		srv := httptest.NewServer(s.Handler())
		defer srv.Close()
		hp := *h
		hp.srv = srv
		r := hp.public(t, h.a, http.MethodGet, "/v1/public/chat/greeting", nil)
		wantError(t, r, http.StatusInternalServerError, frontdesk.EInternal)
		if strings.Contains(string(r.Body), "hunter2") || strings.Contains(string(r.Body), "exploded") {
			t.Fatalf("the panic leaks: %s", r.Body)
		}
		if l := logs.String(); !strings.Contains(l, "msg=panic") || !strings.Contains(l, "status=500") {
			t.Fatalf("the panic is not logged:\n%s", l)
		}
		// The server still serves.
		if r := hp.do(t, http.MethodGet, "/healthz", nil); r.Status != http.StatusOK {
			t.Fatalf("after a panic: %s", r)
		}
	})

	t.Run("request id", func(t *testing.T) {
		r := h.do(t, http.MethodGet, "/healthz", nil)
		if id := r.Header.Get("X-Request-Id"); len(id) < 8 {
			t.Fatalf("X-Request-Id %q", id)
		}
		r2 := h.do(t, http.MethodGet, "/healthz", nil)
		if r2.Header.Get("X-Request-Id") == r.Header.Get("X-Request-Id") {
			t.Fatal("two requests share an id")
		}
		long := strings.Repeat("x", 65)
		r = h.do(t, http.MethodGet, "/healthz", nil, "X-Request-Id", long)
		if id := r.Header.Get("X-Request-Id"); id == long || id == "" {
			t.Fatalf("an overlong client id is kept: %q", id)
		}
		e := wantError(t, h.do(t, http.MethodGet, "/v1/nope", nil, "X-Request-Id", "abc-123"), http.StatusNotFound, frontdesk.ENotFound)
		if e.RequestID != "abc-123" {
			t.Fatalf("requestId %q", e.RequestID)
		}
	})

	t.Run("no logger", func(t *testing.T) {
		// A Server built without Log logs to slog's default and still serves.
		s := &httpapi.Server{Store: h.store, Chat: h.chat, Bookings: h.bookings, Clock: h.server.Clock}
		rec := httptest.NewRecorder()
		s.Handler().ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/healthz", nil))
		if rec.Code != http.StatusOK {
			t.Fatalf("status %d", rec.Code)
		}
	})

	t.Run("json responses are not cached", func(t *testing.T) {
		r := h.public(t, h.a, http.MethodGet, "/v1/public/chat/greeting", nil)
		if r.Header.Get("Cache-Control") != "no-store" {
			t.Fatalf("Cache-Control %q", r.Header.Get("Cache-Control"))
		}
	})
}
