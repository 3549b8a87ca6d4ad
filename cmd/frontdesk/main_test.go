package main

import (
	"bytes"
	"context"
	"encoding/json"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

func env(vars map[string]string) func(string) string {
	return func(k string) string { return vars[k] }
}

func runCmd(t *testing.T, vars map[string]string, args ...string) (int, string, string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code := run(context.Background(), args, env(vars), &out, &errOut)
	return code, out.String(), errOut.String()
}

func TestUsageErrors(t *testing.T) {
	db := map[string]string{"DATABASE_URL": filepath.Join(t.TempDir(), "x.db")}
	cases := []struct {
		name string
		args []string
		want string
	}{
		{"no command", nil, "Usage: frontdesk"},
		{"unknown command", []string{"frobnicate"}, `unknown command "frobnicate"`},
		{"unknown flag", []string{"serve", "--nope"}, "flag provided but not defined: -nope"},
		{"stray argument", []string{"migrate", "extra"}, `unexpected argument "extra"`},
		{"tenant without subcommand", []string{"tenant"}, "the subcommands create, apply, list, rotate-key and login-link"},
		{"tenant bad currency", []string{"tenant", "create", "--name", "A", "--email", "a@b.co", "--currency", "XYZ"}, "is not an ISO 4217 currency code"},
		{"apply without file", []string{"tenant", "apply"}, "--file is required"},
		{"rotate without tenant", []string{"tenant", "rotate-key"}, "--tenant is required"},
		{"rotate unknown key", []string{"tenant", "rotate-key", "--tenant", "x", "--key", "master"}, "use secret, publishable or calendar"},
		{"tenant missing name", []string{"tenant", "create", "--email", "a@b.co"}, "--name and --email are required"},
		{"tenant bad email", []string{"tenant", "create", "--name", "A", "--email", "nope"}, "is not an email address"},
		{"tenant bad origin", []string{"tenant", "create", "--name", "A", "--email", "a@b.co", "--origins", "example.com"}, "is not a site origin"},
		{"tenant bad zone", []string{"tenant", "create", "--name", "A", "--email", "a@b.co", "--timezone", "Mars/Base"}, "is not an IANA time zone"},
		{"unknown job", []string{"jobs", "run", "dance"}, `unknown job "dance"`},
		{"jobs without run", []string{"jobs"}, "frontdesk jobs run"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			code, _, errOut := runCmd(t, db, tc.args...)
			if code != 2 {
				t.Fatalf("exit %d, want 2", code)
			}
			if !strings.Contains(errOut, tc.want) || !strings.Contains(errOut, "Usage:") {
				t.Fatalf("stderr %q, want %q and usage", errOut, tc.want)
			}
		})
	}
}

func TestConfigErrors(t *testing.T) {
	cases := []struct {
		name string
		vars map[string]string
		want string
	}{
		{"malformed database url", map[string]string{"DATABASE_URL": "postgres://u@h:port/db"}, "DATABASE_URL is not a valid PostgreSQL URL"},
		{"unreachable postgres", map[string]string{"DATABASE_URL": "postgres://u@127.0.0.1:1/db?connect_timeout=2"}, "DATABASE_URL: cannot connect to PostgreSQL at 127.0.0.1:1"},
		{"unwritable sqlite", map[string]string{"DATABASE_URL": "/proc/frontdesk/x.db"}, "DATABASE_URL: cannot"},
		{"bad public url", map[string]string{"PUBLIC_URL": "localhost"}, "PUBLIC_URL must be an absolute http(s) URL"},
		{"bad rate", map[string]string{"CHAT_RATE_LIMIT_PER_MIN": "lots"}, "CHAT_RATE_LIMIT_PER_MIN must be a whole number"},
		{"bad proxies", map[string]string{"TRUSTED_PROXIES": "10.0.0.0/8, nope"}, "TRUSTED_PROXIES must be a comma-separated list of CIDRs"},
		{"stripe without webhook secret", map[string]string{"STRIPE_SECRET_KEY": "sk_test_x"}, "STRIPE_WEBHOOK_SECRET must be set"},
		{"bad redis", map[string]string{"REDIS_URL": "localhost:6379"}, "REDIS_URL must look like redis://"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if tc.vars["DATABASE_URL"] == "" {
				tc.vars["DATABASE_URL"] = filepath.Join(t.TempDir(), "x.db")
			}
			code, _, errOut := runCmd(t, tc.vars, "migrate")
			if code != 1 {
				t.Fatalf("exit %d, want 1 (stderr %q)", code, errOut)
			}
			if !strings.Contains(errOut, tc.want) || strings.Count(strings.TrimSpace(errOut), "\n") != 0 {
				t.Fatalf("stderr %q, want one line containing %q", errOut, tc.want)
			}
		})
	}
}

func TestSeedDemoJSON(t *testing.T) {
	vars := map[string]string{"DATABASE_URL": filepath.Join(t.TempDir(), "demo.db")}
	var first, second struct {
		TenantID  string `json:"tenantId"`
		PublicKey string `json:"publicKey"`
		SecretKey string `json:"secretKey"`
		Packages  []struct {
			ID          string `json:"id"`
			Slug        string `json:"slug"`
			Name        string `json:"name"`
			BookingType string `json:"bookingType"`
			PriceCents  int64  `json:"priceCents"`
		} `json:"packages"`
	}
	for i, dst := range []any{&first, &second} {
		code, out, errOut := runCmd(t, vars, "seed-demo", "--json")
		if code != 0 {
			t.Fatalf("run %d: exit %d: %s", i, code, errOut)
		}
		if err := json.Unmarshal([]byte(out), dst); err != nil {
			t.Fatalf("run %d: not JSON: %v\n%s", i, err, out)
		}
	}
	if first.TenantID == "" || first.TenantID != second.TenantID || first.PublicKey != second.PublicKey {
		t.Fatalf("seed-demo is not idempotent: %+v vs %+v", first, second)
	}
	if !strings.HasPrefix(first.PublicKey, "pk_") || !strings.HasPrefix(first.SecretKey, "sk_") || !strings.HasPrefix(second.SecretKey, "sk_") {
		t.Fatalf("keys: %q %q %q", first.PublicKey, first.SecretKey, second.SecretKey)
	}
	types := map[string]int{}
	for _, p := range first.Packages {
		types[p.BookingType]++
		if p.ID == "" || p.Slug == "" || p.Name == "" {
			t.Fatalf("package %+v", p)
		}
	}
	if types["DATE"] < 1 || types["TIMESLOT"] < 2 || len(second.Packages) != len(first.Packages) {
		t.Fatalf("packages by type %v (second run %d)", types, len(second.Packages))
	}
}

func TestTenantCreateJSON(t *testing.T) {
	vars := map[string]string{"DATABASE_URL": filepath.Join(t.TempDir(), "t.db")}
	code, out, errOut := runCmd(t, vars, "tenant", "create", "--name", "Ann's Studio", "--email", "ann@example.com", "--timezone", "Europe/Berlin",
		"--origins", "https://ann.example, http://localhost:3000/", "--json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var got map[string]string
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatal(err)
	}
	if !regexp.MustCompile(`^[0-9a-f]{32}$`).MatchString(got["tenantId"]) || !strings.HasPrefix(got["publicKey"], "pk_") || !strings.HasPrefix(got["secretKey"], "sk_") || len(got) != 3 {
		t.Fatalf("tenant create printed %v", got)
	}
	if strings.Contains(errOut, got["secretKey"]) {
		t.Fatal("secret key logged")
	}
	_, store, err := openStore(context.Background(), env(vars))
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	tn, err := store.TenantByPublicKey(context.Background(), got["publicKey"])
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(tn.AllowedOrigins, " ") != "https://ann.example http://localhost:3000" || tn.TimeZone != "Europe/Berlin" {
		t.Fatalf("stored tenant: origins %v zone %s", tn.AllowedOrigins, tn.TimeZone)
	}
}

func TestTenantApplyListRotate(t *testing.T) {
	vars := map[string]string{"DATABASE_URL": filepath.Join(t.TempDir(), "t.db"), "PUBLIC_URL": "https://book.example"}
	code, out, errOut := runCmd(t, vars, "tenant", "apply", "--file", "../../examples/business.yaml", "--json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var res struct {
		TenantID, Slug, PublicKey, SecretKey string
		Created                              bool
		Changes                              []string
	}
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		t.Fatal(err)
	}
	if !res.Created || res.Slug != "harbor-yoga" || !strings.HasPrefix(res.SecretKey, "sk_") {
		t.Fatalf("first apply printed %s", out)
	}
	code, out, _ = runCmd(t, vars, "tenant", "apply", "--file", "../../examples/business.yaml")
	if code != 0 || !strings.Contains(out, "already matches") || strings.Contains(out, "sk_") {
		t.Fatalf("second apply: exit %d, %q", code, out)
	}

	// A broken file changes nothing and names every error by its path.
	bad := filepath.Join(t.TempDir(), "bad.yaml")
	if err := os.WriteFile(bad, []byte("name: Harbor Yoga\npackages:\n  - {slug: a, name: A, priceCents: 1, bookingType: DATE}\n  - {slug: b, name: B, priceCents: -1, bookingType: NOPE}\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	code, _, errOut = runCmd(t, vars, "tenant", "apply", "--file", bad)
	if code != 1 || !strings.Contains(errOut, "nothing changed") || !strings.Contains(errOut, "packages[1].priceCents:") || !strings.Contains(errOut, "packages[1].bookingType:") {
		t.Fatalf("bad file: exit %d, %q", code, errOut)
	}

	code, out, _ = runCmd(t, vars, "tenant", "list")
	if code != 0 || !strings.Contains(out, "harbor-yoga") || !strings.Contains(out, res.TenantID) {
		t.Fatalf("tenant list: exit %d, %q", code, out)
	}
	code, out, _ = runCmd(t, vars, "tenant", "rotate-key", "--tenant", "harbor-yoga", "--key", "calendar", "--json")
	var rot map[string]string
	if code != 0 || json.Unmarshal([]byte(out), &rot) != nil || !strings.HasPrefix(rot["value"], "https://book.example/calendar/cal_") {
		t.Fatalf("rotate-key: exit %d, %q", code, out)
	}
	code, out, _ = runCmd(t, vars, "tenant", "login-link", "--tenant", "harbor-yoga")
	if code != 0 || !regexp.MustCompile(`^https://book\.example/dashboard/signin/l_[0-9a-f]{64}\n$`).MatchString(out) {
		t.Fatalf("login-link: exit %d, %q", code, out)
	}
	code, _, errOut = runCmd(t, vars, "tenant", "login-link", "--tenant", "harbor-yoga", "--email", "stranger@example.com")
	if code != 1 || !strings.Contains(errOut, "may not sign in") {
		t.Fatalf("login-link for a stranger: exit %d, %q", code, errOut)
	}
	code, _, errOut = runCmd(t, vars, "tenant", "rotate-key", "--tenant", "nobody")
	if code != 1 || !strings.Contains(errOut, "no tenant has the id or slug") {
		t.Fatalf("rotate-key of an unknown tenant: exit %d, %q", code, errOut)
	}
}

func TestJobsRun(t *testing.T) {
	vars := map[string]string{"DATABASE_URL": filepath.Join(t.TempDir(), "j.db")}
	code, _, errOut := runCmd(t, vars, "jobs", "run")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	for _, want := range []string{"job cleanup", "job expire", "job outbox"} {
		if !strings.Contains(errOut, want) {
			t.Errorf("log lacks %q:\n%s", want, errOut)
		}
	}
}

func TestServeAndShutdown(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	vars := map[string]string{"DATABASE_URL": filepath.Join(t.TempDir(), "s.db"), "ADDR": addr}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan int, 1)
	var out, errOut bytes.Buffer
	go func() { done <- run(ctx, []string{"serve", "--demo"}, env(vars), &out, &errOut) }()
	var resp *http.Response
	for i := 0; i < 100; i++ {
		if resp, err = http.Get("http://" + addr + "/readyz"); err == nil {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	if err != nil {
		t.Fatalf("server did not come up: %v", err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Fatalf("readyz %d", resp.StatusCode)
	}
	req, _ := http.NewRequest("GET", "http://"+addr+"/v1/public/chat/greeting", nil)
	req.Header.Set("X-Tenant-Key", "pk_demo_0000000000000000000000000000")
	resp, err = http.DefaultClient.Do(req)
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("greeting: %v %v", err, resp)
	}
	resp.Body.Close()
	cancel()
	select {
	case code := <-done:
		if code != 0 {
			t.Fatalf("serve exited %d: %s", code, errOut.String())
		}
	case <-time.After(30 * time.Second):
		t.Fatal("serve did not shut down")
	}
	if !strings.Contains(out.String(), "Demo tenant ready") {
		t.Fatalf("stdout %q", out.String())
	}
}
