package app

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
)

func load(t *testing.T, vars map[string]string) (*Config, error) {
	t.Helper()
	return LoadConfig(func(k string) string { return vars[k] })
}

func TestMaskURL(t *testing.T) {
	cases := []struct {
		name, in, want string
	}{
		{"no credentials", "https://bookings.example.com/x?a=1", "https://bookings.example.com/x?a=1"},
		{"user and password", "postgres://frontdesk:s3cret@db:5432/fd", "postgres://***@db:5432/fd"},
		{"user only", "smtp://mailer@mail.example:587", "smtp://***@mail.example:587"},
		{"redis password only", "redis://:hunter22@cache:6379/0", "redis://***@cache:6379/0"},
		{"password with slash and at", "postgres://u:pa/ss@w@db:port/fd", "postgres://***@db:port/fd"},
		{"password with question mark", "https://u:p?ss@host", "https://***@host"},
		{"no scheme", "bob:hunter2@example.com", "***@example.com"},
		{"space in host", "https://bob:hunter2@ex ample.com", "https://***@ex ample.com"},
		{"secret in query", "postgres://db/fd?sslmode=require&password=hunter2", "postgres://db/fd?sslmode=require&password=***"},
		{"token in query with fragment", "https://h/x?api_key=abc123&x=1#f", "https://h/x?api_key=***&x=1#f"},
		{"plain path", "data/frontdesk.db", "data/frontdesk.db"},
		{"empty", "", ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := maskURL(tc.in); got != tc.want {
				t.Fatalf("maskURL(%q) = %q, want %q", tc.in, got, tc.want)
			}
		})
	}
}

// TestConfigErrorsHideCredentials: a setting that fails to parse is named
// in the error, its password never.
func TestConfigErrorsHideCredentials(t *testing.T) {
	const secret = "Pa55w0rdXyz"
	cases := []struct {
		key, val string
	}{
		{"PUBLIC_URL", "https://bob:" + secret + "@book ings.example.com"},
		{"PUBLIC_URL", "ftp://bob:" + secret + "@bookings.example.com"},
		{"STRIPE_API_BASE", "http://sk:" + secret + "@stripe mock:12111"},
		{"ANTHROPIC_BASE_URL", "http://x:" + secret + "@[::1"},
		{"POSTMARK_API_URL", "postmark://u:" + secret + "@h"},
		{"REDIS_URL", "redis://:" + secret + "@cache:port/0"},
		{"REDIS_URL", "http://:" + secret + "@cache:6379/0"},
		{"DATABASE_URL", "postgres://fd:" + secret + "@db:port/fd"},
		{"DATABASE_URL", "mysql://fd:" + secret + "@db/fd"},
		{"DATABASE_URL", "postgres://db:port/fd?password=" + secret},
		{"SMTP_URL", "smtp://u:" + secret + "@mail:port"},
		{"SMTP_URL", "imap://u:" + secret + "@mail:993"},
	}
	for _, tc := range cases {
		t.Run(tc.key+" "+tc.val, func(t *testing.T) {
			_, err := load(t, map[string]string{tc.key: tc.val})
			if err == nil {
				t.Fatal("accepted")
			}
			if strings.Contains(err.Error(), secret) || !strings.Contains(err.Error(), tc.key) {
				t.Fatalf("error %q: want it to name %s and hide the password", err, tc.key)
			}
		})
	}
}

func TestScrub(t *testing.T) {
	const raw = "smtp://user:Pa%2F55word@mail.example:25"
	err := scrub(errors.New(`dial smtp://user:Pa%2F55word@mail.example:25: auth as user with Pa/55word failed`), raw)
	if strings.Contains(err.Error(), "Pa%2F55word") || strings.Contains(err.Error(), "Pa/55word") || !strings.Contains(err.Error(), "mail.example") {
		t.Fatalf("scrubbed error %q", err)
	}
	plain := errors.New("connection refused")
	if scrub(plain, raw) != plain {
		t.Fatal("an error without credentials was replaced")
	}
	if scrub(nil, raw) != nil {
		t.Fatal("nil became an error")
	}
}

func TestDatabaseURL(t *testing.T) {
	cases := []struct {
		name, val, want string // want "" means accepted
	}{
		{"unset", "", ""},
		{"relative file", "data/frontdesk.db", ""},
		{"absolute file", "/var/lib/frontdesk/fd.db", ""},
		{"sqlite prefix", "sqlite:data/x.db?cache=shared", ""},
		{"file prefix", "file:x.db", ""},
		{"memory", ":memory:", ""},
		{"windows path", `C:\frontdesk\fd.db`, ""},
		{"postgres", "postgres://fd@db:5432/fd?sslmode=disable", ""},
		{"postgresql", "postgresql://fd@db/fd", ""},
		{"not a url", "::not a url::", "must be a postgres:// URL or a SQLite file path"},
		{"other scheme", "mysql://fd@db/fd", "not a mysql:// URL"},
		{"odd scheme", "::://x", "must be a postgres:// URL or a SQLite file path"},
		{"bad postgres", "postgres://u@h:port/db", "is not a valid PostgreSQL URL"},
		{"directory", "data/", "must be a postgres:// URL or a SQLite file path"},
		{"control character", "fd\n.db", "must be a postgres:// URL or a SQLite file path"},
		{"padded", " fd.db", "must be a postgres:// URL or a SQLite file path"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := load(t, map[string]string{"DATABASE_URL": tc.val})
			switch {
			case tc.want == "" && err != nil:
				t.Fatalf("rejected: %v", err)
			case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want) || !strings.HasPrefix(err.Error(), "DATABASE_URL")):
				t.Fatalf("error %v, want one naming DATABASE_URL with %q", err, tc.want)
			}
		})
	}
}

func TestDevModeAndMetricsAddr(t *testing.T) {
	for _, tc := range []struct {
		val  string
		want bool
		ok   bool
	}{{"", false, true}, {"true", true, true}, {"TRUE", true, true}, {"1", true, true}, {"false", false, true}, {"0", false, true},
		{"yes", false, false}, {"on", false, false}, {"2", false, false}} {
		c, err := load(t, map[string]string{"DEV_MODE": tc.val})
		switch {
		case !tc.ok && (err == nil || !strings.Contains(err.Error(), "DEV_MODE must be true or false")):
			t.Errorf("DEV_MODE=%q: error %v", tc.val, err)
		case tc.ok && (err != nil || c.DevMode != tc.want):
			t.Errorf("DEV_MODE=%q: %v, %v; want %v", tc.val, c, err, tc.want)
		}
	}
	for _, tc := range []struct {
		addr, metrics, want string
	}{
		{":8080", "127.0.0.1:9090", ""},
		{":8080", ":9090", ""},
		{"127.0.0.1:8080", "10.0.0.5:8080", ""},
		{"127.0.0.1:0", "127.0.0.1:0", ""},
		{":8080", ":8080", "must not be the public port"},
		{"127.0.0.1:8080", "127.0.0.1:8080", "must not be the public port"},
		{":8080", "localhost:8080", "must not be the public port"},
		{":8080", "9090", "METRICS_ADDR must be a listen address"},
		{":8080", "host:nope", "METRICS_ADDR must be a listen address"},
	} {
		c, err := load(t, map[string]string{"ADDR": tc.addr, "METRICS_ADDR": tc.metrics})
		switch {
		case tc.want == "" && (err != nil || c.MetricsAddr != tc.metrics):
			t.Errorf("ADDR %s METRICS_ADDR %s: %v", tc.addr, tc.metrics, err)
		case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)):
			t.Errorf("ADDR %s METRICS_ADDR %s: error %v, want %q", tc.addr, tc.metrics, err, tc.want)
		}
	}
}

func TestPublicURLDefaultFollowsAddr(t *testing.T) {
	for addr, want := range map[string]string{"": "http://localhost:8080", ":9090": "http://localhost:9090",
		"127.0.0.1:3000": "http://localhost:3000", "127.0.0.1:0": "http://localhost:8080"} {
		c, err := load(t, map[string]string{"ADDR": addr})
		if err != nil || c.PublicURL != want {
			t.Errorf("ADDR %q: PUBLIC_URL %v (%v), want %s", addr, c, err, want)
		}
	}
}

// TestProductionRule: the dev mailbox and the test-mode checkout exist
// only for a local PUBLIC_URL or DEV_MODE=true, and only while no real
// provider is configured; otherwise serving is refused with what to set.
func TestProductionRule(t *testing.T) {
	const public = "https://bookings.example.com"
	providers := map[string]string{"SMTP_URL": "smtp://127.0.0.1:1", "STRIPE_SECRET_KEY": "sk_test_x", "STRIPE_WEBHOOK_SECRET": "whsec_x"}
	cases := []struct {
		name                  string
		vars                  map[string]string
		refused               string // what the refusal must name; "" means allowed
		mailbox, testCheckout bool
	}{
		{"local, nothing configured", map[string]string{}, "", true, true},
		{"local with providers", providers, "", false, false},
		{"public, nothing configured", map[string]string{"PUBLIC_URL": public}, "POSTMARK_SERVER_TOKEN or SMTP_URL, and STRIPE_SECRET_KEY", false, false},
		{"public, email only", map[string]string{"PUBLIC_URL": public, "POSTMARK_SERVER_TOKEN": "t"}, "Set STRIPE_SECRET_KEY and STRIPE_WEBHOOK_SECRET;", false, false},
		{"public, stripe only", map[string]string{"PUBLIC_URL": public, "STRIPE_SECRET_KEY": "sk_test_x", "STRIPE_WEBHOOK_SECRET": "whsec_x"}, "Set POSTMARK_SERVER_TOKEN or SMTP_URL;", false, false},
		{"public with providers", merge(providers, map[string]string{"PUBLIC_URL": public}), "", false, false},
		{"public, DEV_MODE", map[string]string{"PUBLIC_URL": public, "DEV_MODE": "true"}, "", true, true},
		{"public, DEV_MODE with providers", merge(providers, map[string]string{"PUBLIC_URL": public, "DEV_MODE": "1"}), "", false, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			tc.vars = merge(tc.vars, map[string]string{"DATABASE_URL": filepath.Join(t.TempDir(), "a.db")})
			c, err := load(t, tc.vars)
			if err != nil {
				t.Fatal(err)
			}
			err = c.CheckServe()
			if tc.refused != "" {
				if err == nil || !strings.Contains(err.Error(), tc.refused) || !strings.Contains(err.Error(), "DEV_MODE=true") {
					t.Fatalf("CheckServe: %v; want a refusal naming %q and DEV_MODE=true", err, tc.refused)
				}
				return
			}
			if err != nil {
				t.Fatalf("CheckServe: %v", err)
			}
			a, err := New(context.Background(), c, slog.New(slog.NewTextHandler(io.Discard, nil)))
			if err != nil {
				t.Fatal(err)
			}
			defer a.Close()
			if a.Server.DevMailbox != tc.mailbox || a.Dashboard.DevMailbox != tc.mailbox || a.Server.TestCheckout != tc.testCheckout {
				t.Fatalf("dev mailbox %v (dashboard %v), test checkout %v; want %v, %v", a.Server.DevMailbox, a.Dashboard.DevMailbox,
					a.Server.TestCheckout, tc.mailbox, tc.testCheckout)
			}
		})
	}
}

func merge(ms ...map[string]string) map[string]string {
	out := map[string]string{}
	for _, m := range ms {
		for k, v := range m {
			out[k] = v
		}
	}
	return out
}

func TestHandlerHomePage(t *testing.T) {
	c, err := load(t, map[string]string{"DATABASE_URL": filepath.Join(t.TempDir(), "a.db")})
	if err != nil {
		t.Fatal(err)
	}
	a, err := New(context.Background(), c, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	if a.Metrics == nil || a.Server.Metrics != a.Metrics || a.Chat.Metrics != a.Metrics || a.Bookings.Metrics != a.Metrics ||
		a.Jobs.Metrics != a.Metrics || a.Jobs.Outbox.Metrics != a.Metrics {
		t.Fatal("a service does not record into App.Metrics")
	}
	get := func(h http.Handler, path string) *httptest.ResponseRecorder {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest("GET", path, nil))
		return rec
	}
	rec := get(a.Handler(), "/")
	if rec.Code != 200 || !strings.Contains(rec.Body.String(), "Frontdesk") || !strings.Contains(rec.Body.String(), `href="/dashboard/"`) ||
		rec.Header().Get("X-Content-Type-Options") != "nosniff" || !strings.Contains(rec.Header().Get("Content-Security-Policy"), "frame-ancestors 'none'") {
		t.Fatalf("GET / without the demo: %d %v\n%s", rec.Code, rec.Header(), rec.Body)
	}
	if rec := get(a.Handler(), "/healthz"); rec.Code != 200 {
		t.Fatalf("GET /healthz through App.Handler: %d", rec.Code)
	}
	if rec := get(a.Handler(), "/metrics"); rec.Code != 404 {
		t.Fatalf("GET /metrics on the public handler: %d, want 404", rec.Code)
	}
	a.Server.Demo, a.Server.DemoKey = true, "pk_demo_0000000000000000000000000000"
	if rec := get(a.Handler(), "/"); rec.Code != 200 || strings.Contains(rec.Body.String(), "This server runs Frontdesk") {
		t.Fatalf("GET / with the demo: %d, want the storefront", rec.Code)
	}
}
