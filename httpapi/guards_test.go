package httpapi_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/frontdeskhq/frontdesk"
	"github.com/frontdeskhq/frontdesk/ratelimit"
	"github.com/frontdeskhq/frontdesk/storetest"
)

// restart rebuilds the harness's handler after its Server was changed.
func (h *harness) restart(t *testing.T) {
	t.Helper()
	srv := httptest.NewServer(h.server.Handler())
	t.Cleanup(srv.Close)
	h.srv = srv
}

func sqliteHarness(t *testing.T) *harness {
	t.Helper()
	return newHarness(t, storetest.Backend{Name: "sqlite", Open: storetest.OpenSQLite})
}

func TestChatRateLimit(t *testing.T) {
	h := sqliteHarness(t)
	clock := storetest.NewClock(time.Date(2026, 12, 10, 15, 0, 10, 0, time.UTC))
	h.server.ChatLimiter = ratelimit.New("chat", 20, time.Minute, nil, nil)
	h.server.ChatLimiter.Now = clock.Now
	h.restart(t)
	sid := h.newSession(t, h.a)
	send := func() response {
		return h.public(t, h.a, http.MethodPost, "/v1/public/chat/message", map[string]any{"sessionId": sid, "message": "hi"})
	}
	for i := 1; i <= 20; i++ {
		r := send()
		if r.Status != http.StatusOK || r.Header.Get("RateLimit-Remaining") != strconv.Itoa(20-i) || r.Header.Get("RateLimit-Limit") != "20" {
			t.Fatalf("message %d: %s remaining=%q", i, r, r.Header.Get("RateLimit-Remaining"))
		}
	}
	r := send()
	e := wantError(t, r, http.StatusTooManyRequests, frontdesk.ERateLimited)
	if r.Header.Get("Retry-After") != "50" || r.Header.Get("RateLimit-Reset") != "50" {
		t.Fatalf("Retry-After %q RateLimit-Reset %q, want 50", r.Header.Get("Retry-After"), r.Header.Get("RateLimit-Reset"))
	}
	if e.Message == "" {
		t.Fatal("no message on 429")
	}
	// Other endpoints are not counted against the chat budget.
	if r := h.public(t, h.a, http.MethodGet, "/v1/public/chat/greeting", nil); r.Status != http.StatusOK {
		t.Fatalf("greeting while limited: %s", r)
	}
	clock.Advance(50 * time.Second)
	if r := send(); r.Status != http.StatusOK || r.Header.Get("RateLimit-Remaining") != "19" {
		t.Fatalf("after the window: %s", r)
	}
}

func TestRateLimitTrustedProxy(t *testing.T) {
	cases := []struct {
		name    string
		trusted []netip.Prefix
		want    []int // statuses of three messages from three forwarded clients
	}{
		{"header ignored without trusted proxies", nil, []int{200, 429, 429}},
		{"each forwarded client has its own budget", []netip.Prefix{netip.MustParsePrefix("127.0.0.0/8")}, []int{200, 200, 200}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			h := sqliteHarness(t)
			h.server.ChatLimiter = ratelimit.New("chat", 1, time.Minute, nil, nil)
			h.server.TrustedProxies = tc.trusted
			h.restart(t)
			sid := h.newSession(t, h.a)
			for i, ip := range []string{"198.51.100.1", "198.51.100.2", "198.51.100.3"} {
				r := h.do(t, http.MethodPost, "/v1/public/chat/message", map[string]any{"sessionId": sid, "message": "hi"},
					"X-Tenant-Key", h.a.Tenant.PublicKey, "X-Forwarded-For", ip)
				if r.Status != tc.want[i] {
					t.Fatalf("client %s: %s, want %d", ip, r, tc.want[i])
				}
			}
		})
	}
}

// TestRateLimitSharedAcrossInstances runs two servers on one database and
// one Redis: together they allow the budget once, not twice.
func TestRateLimitSharedAcrossInstances(t *testing.T) {
	rdb := storetest.OpenRedis(t)
	h := sqliteHarness(t)
	name := "chat-" + frontdesk.NewID()[:8] // keys of this test only
	servers := make([]string, 2)
	for i := range servers {
		s := *h.server
		s.ChatLimiter = ratelimit.New(name, 4, time.Minute, rdb, nil)
		srv := httptest.NewServer(s.Handler())
		t.Cleanup(srv.Close)
		servers[i] = srv.URL
	}
	sid := h.newSession(t, h.a)
	var statuses []int
	for i := 0; i < 6; i++ {
		r := h.do(t, http.MethodPost, servers[i%2]+"/v1/public/chat/message", map[string]any{"sessionId": sid, "message": "hi"},
			"X-Tenant-Key", h.a.Tenant.PublicKey)
		statuses = append(statuses, r.Status)
	}
	want := []int{200, 200, 200, 200, 429, 429}
	for i := range want {
		if statuses[i] != want[i] {
			t.Fatalf("statuses across two servers %v, want %v", statuses, want)
		}
	}
}

func TestRateLimitRedisDownKeepsChatWorking(t *testing.T) {
	h := sqliteHarness(t)
	rdb := storetest.DownRedis(t)
	h.server.ChatLimiter = ratelimit.New("chat", 20, time.Minute, rdb, h.server.Log)
	h.restart(t)
	sid := h.newSession(t, h.a)
	r := h.public(t, h.a, http.MethodPost, "/v1/public/chat/message", map[string]any{"sessionId": sid, "message": "hi"})
	if r.Status != http.StatusOK || r.Header.Get("RateLimit-Remaining") != "19" {
		t.Fatalf("with Redis down: %s", r)
	}
	if !strings.Contains(h.logs.String(), "Redis unavailable") {
		t.Fatal("the log does not say the limiter fell back to memory")
	}
}

func TestCORS(t *testing.T) {
	h := sqliteHarness(t)
	allowed := "https://lumen-studio.test" // the fixture's allowed origin
	t.Run("preflight", func(t *testing.T) {
		r := h.do(t, http.MethodOptions, "/v1/public/chat/message", nil, "Origin", allowed,
			"Access-Control-Request-Method", "POST", "Access-Control-Request-Headers", "content-type,x-tenant-key")
		if r.Status != http.StatusNoContent || r.Header.Get("Access-Control-Allow-Origin") != allowed ||
			!strings.Contains(r.Header.Get("Access-Control-Allow-Headers"), "X-Tenant-Key") || !strings.Contains(r.Header.Get("Access-Control-Allow-Methods"), "POST") {
			t.Fatalf("preflight: %d %v", r.Status, r.Header)
		}
	})
	t.Run("allowed origin", func(t *testing.T) {
		r := h.do(t, http.MethodGet, "/v1/public/chat/greeting", nil, "X-Tenant-Key", h.a.Tenant.PublicKey, "Origin", allowed)
		if r.Status != http.StatusOK || r.Header.Get("Access-Control-Allow-Origin") != allowed || !strings.Contains(r.Header.Get("Access-Control-Expose-Headers"), "Retry-After") {
			t.Fatalf("allowed origin: %s %v", r, r.Header)
		}
	})
	t.Run("own origin", func(t *testing.T) {
		r := h.do(t, http.MethodGet, "/v1/public/chat/greeting", nil, "X-Tenant-Key", h.a.Tenant.PublicKey, "Origin", h.server.PublicURL)
		if r.Status != http.StatusOK {
			t.Fatalf("own origin: %s", r)
		}
	})
	t.Run("another tenant's origin", func(t *testing.T) {
		r := h.do(t, http.MethodGet, "/v1/public/chat/greeting", nil, "X-Tenant-Key", h.a.Tenant.PublicKey, "Origin", "https://other-studio.test")
		e := wantError(t, r, http.StatusForbidden, frontdesk.EForbidden)
		if !strings.Contains(e.Message, "not allowed") || r.Header.Get("Access-Control-Allow-Origin") == "" {
			t.Fatalf("refusal must be readable by the widget: %s %v", r, r.Header)
		}
	})
	t.Run("no origin", func(t *testing.T) {
		if r := h.public(t, h.a, http.MethodGet, "/v1/public/chat/greeting", nil); r.Status != http.StatusOK || r.Header.Get("Access-Control-Allow-Origin") != "" {
			t.Fatalf("server-to-server call: %s %v", r, r.Header)
		}
	})
}

// TestValidationBeforeDatabase closes the store: bad input must still be
// answered with its 400, proving it was refused before any query.
func TestValidationBeforeDatabase(t *testing.T) {
	h := sqliteHarness(t)
	key := h.a.Tenant.PublicKey
	h.store.Close()
	cases := []struct {
		name, method, path string
		body               any
		headers            []string
	}{
		{"message too long", http.MethodPost, "/v1/public/chat/message", map[string]any{"sessionId": frontdesk.NewID(), "message": strings.Repeat("a", 2001)}, []string{"X-Tenant-Key", key}},
		{"bad session id", http.MethodPost, "/v1/public/chat/session", map[string]any{"sessionId": "nope"}, []string{"X-Tenant-Key", key}},
		{"confirm without session", http.MethodPost, "/v1/public/chat/confirm/" + frontdesk.NewID(), map[string]any{}, []string{"X-Tenant-Key", key}},
		{"bad booking filter", http.MethodGet, "/v1/tenant/bookings?status=nope", nil, []string{"Authorization", "Bearer " + h.a.SecretKey}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			wantError(t, h.do(t, tc.method, tc.path, tc.body, tc.headers...), http.StatusBadRequest, frontdesk.EInvalid)
		})
	}
}

func TestSessionRateLimit(t *testing.T) {
	h := sqliteHarness(t)
	h.server.SessionLimiter = ratelimit.New("session", 2, time.Minute, nil, nil)
	h.restart(t)
	for i := 0; i < 2; i++ {
		if r := h.public(t, h.a, http.MethodPost, "/v1/public/chat/session", map[string]any{}); r.Status != http.StatusOK {
			t.Fatalf("session %d: %s", i+1, r)
		}
	}
	r := h.public(t, h.a, http.MethodPost, "/v1/public/chat/session", map[string]any{})
	wantError(t, r, http.StatusTooManyRequests, frontdesk.ERateLimited)
	if r.Header.Get("Retry-After") == "" {
		t.Fatal("429 without Retry-After")
	}
}

// TestClientGone: a visitor who closes the page mid-request is not an
// internal error.
func TestClientGone(t *testing.T) {
	h := sqliteHarness(t)
	sid := h.newSession(t, h.a)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	req := httptest.NewRequestWithContext(ctx, http.MethodPost, "/v1/public/chat/message",
		strings.NewReader(`{"sessionId":"`+sid+`","message":"hi"}`))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-Tenant-Key", h.a.Tenant.PublicKey)
	rec := httptest.NewRecorder()
	h.server.Handler().ServeHTTP(rec, req)
	if rec.Code != 499 {
		t.Fatalf("status %d, want 499 (client closed request)", rec.Code)
	}
	if strings.Contains(h.logs.String(), "level=ERROR") {
		t.Fatalf("a gone client was logged as an error:\n%s", h.logs.String())
	}
}
