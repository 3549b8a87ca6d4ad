package main

import (
	"bytes"
	"context"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/frontdeskhq/frontdesk/demo"
	"github.com/frontdeskhq/frontdesk/sqlstore"
)

// syncBuffer is a bytes.Buffer the server writes while the test reads.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// server is a running `frontdesk serve`.
type server struct {
	out, errOut *syncBuffer
	stop        func() int
}

// startServe runs serve with vars until its start line matches line, and
// returns the line's submatches.
func startServe(t *testing.T, vars map[string]string, line *regexp.Regexp, args ...string) (*server, []string) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	s := &server{out: &syncBuffer{}, errOut: &syncBuffer{}}
	done := make(chan int, 1)
	go func() { done <- run(ctx, append([]string{"serve"}, args...), env(vars), s.out, s.errOut) }()
	var once sync.Once
	exit := -1
	s.stop = func() int {
		once.Do(func() {
			cancel()
			select {
			case exit = <-done:
			case <-time.After(30 * time.Second):
				t.Error("serve did not shut down")
			}
		})
		return exit
	}
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		if m := line.FindStringSubmatch(s.out.String()); m != nil {
			t.Cleanup(func() { s.stop() })
			return s, m
		}
		select {
		case code := <-done:
			t.Fatalf("serve exited %d before its start line: %s%s", code, s.out, s.errOut)
		case <-time.After(20 * time.Millisecond):
		}
	}
	cancel()
	t.Fatalf("no start line matching %s: %s%s", line, s.out, s.errOut)
	return nil, nil
}

func get(t *testing.T, url string, header map[string]string) (int, string, http.Header) {
	t.Helper()
	req, err := http.NewRequest("GET", url, nil)
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range header {
		req.Header.Set(k, v)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(body), res.Header
}

func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

var demoLine = regexp.MustCompile(`Demo tenant ready: open (http://127\.0\.0\.1:(\d+))/ `)

// TestServeRefusesPublicURLWithoutProviders: a public PUBLIC_URL without an
// email provider or Stripe does not start, and says what to set; DEV_MODE
// allows it for a trial.
func TestServeRefusesPublicURLWithoutProviders(t *testing.T) {
	vars := map[string]string{"DATABASE_URL": filepath.Join(t.TempDir(), "p.db"), "PUBLIC_URL": "https://bookings.example.com", "ADDR": "127.0.0.1:0"}
	code, out, errOut := runCmd(t, vars, "serve", "--demo")
	if code != 1 || out != "" {
		t.Fatalf("exit %d, stdout %q; want 1 and nothing", code, out)
	}
	for _, want := range []string{"PUBLIC_URL https://bookings.example.com is not this machine", "POSTMARK_SERVER_TOKEN or SMTP_URL",
		"STRIPE_SECRET_KEY and STRIPE_WEBHOOK_SECRET", "DEV_MODE=true"} {
		if !strings.Contains(errOut, want) {
			t.Errorf("stderr lacks %q:\n%s", want, errOut)
		}
	}
	if strings.Count(strings.TrimSpace(errOut), "\n") != 0 {
		t.Errorf("the refusal is not one line:\n%s", errOut)
	}

	vars["DEV_MODE"] = "true"
	s, m := startServe(t, vars, regexp.MustCompile(`listening on 127\.0\.0\.1:(\d+)`))
	base := "http://127.0.0.1:" + m[1]
	if code, _, _ := get(t, base+"/dev/mail", nil); code != 200 {
		t.Fatalf("GET /dev/mail with DEV_MODE=true: %d", code)
	}
	if !strings.Contains(s.errOut.String(), "DEV_MODE=true and no email provider is set") {
		t.Errorf("no warning for the dev mailbox on a public address:\n%s", s.errOut)
	}
}

// TestServeDemoWithProviders: the demo does not force the dev mailbox on
// when a real email provider is set.
func TestServeDemoWithProviders(t *testing.T) {
	vars := map[string]string{"DATABASE_URL": filepath.Join(t.TempDir(), "d.db"), "ADDR": "127.0.0.1:0",
		"SMTP_URL": "smtp://127.0.0.1:1", "STRIPE_SECRET_KEY": "sk_test_x", "STRIPE_WEBHOOK_SECRET": "whsec_x"}
	_, m := startServe(t, vars, demoLine, "--demo")
	if code, _, _ := get(t, m[1]+"/dev/mail", nil); code != 404 {
		t.Fatalf("GET /dev/mail with SMTP_URL set: %d, want 404", code)
	}
	if code, _, _ := get(t, m[1]+"/checkout/test/x", nil); code != 404 {
		t.Fatalf("GET /checkout/test/x with Stripe set: %d, want 404", code)
	}
}

// TestServeDemoAtLocalAddresses: the start line names the address really
// listened on (ADDR asks for any port), and the widget works at localhost
// and 127.0.0.1 on that port; an existing demo tenant gets those origins.
func TestServeDemoAtLocalAddresses(t *testing.T) {
	db := filepath.Join(t.TempDir(), "o.db")
	// A demo tenant seeded earlier, at another port.
	if code, _, errOut := runCmd(t, map[string]string{"DATABASE_URL": db}, "seed-demo"); code != 0 {
		t.Fatalf("seed-demo: %s", errOut)
	}
	vars := map[string]string{"DATABASE_URL": db, "ADDR": "127.0.0.1:0"}
	s, m := startServe(t, vars, demoLine, "--demo")
	base, port := m[1], m[2]
	if port == "0" {
		t.Fatal("the start line names port 0")
	}
	key := map[string]string{"X-Tenant-Key": demo.PublicKey}
	for _, origin := range []string{"http://localhost:" + port, "http://127.0.0.1:" + port} {
		if code, body, _ := get(t, base+"/v1/public/chat/greeting", map[string]string{"X-Tenant-Key": demo.PublicKey, "Origin": origin}); code != 200 {
			t.Errorf("greeting from %s: %d %s", origin, code, body)
		}
	}
	if code, _, _ := get(t, base+"/v1/public/chat/greeting", map[string]string{"X-Tenant-Key": demo.PublicKey, "Origin": "http://127.0.0.1:1"}); code != 403 {
		t.Errorf("greeting from another port: %d, want 403", code)
	}
	if code, body, _ := get(t, base+"/", key); code != 200 || !strings.Contains(body, demo.PublicKey) {
		t.Errorf("GET / with the demo: %d", code)
	}
	if code := s.stop(); code != 0 {
		t.Fatalf("serve exited %d: %s", code, s.errOut)
	}
	store, err := sqlstore.Open(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	tn, err := store.TenantBySlug(context.Background(), demo.Slug)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"http://localhost:8080", "http://localhost:" + port, "http://127.0.0.1:" + port} {
		if !strings.Contains(strings.Join(tn.AllowedOrigins, " "), want) {
			t.Errorf("demo origins %v lack %s", tn.AllowedOrigins, want)
		}
	}
	if tn.Info.Website != "http://localhost:"+port {
		t.Errorf("demo website %q, want it to follow PUBLIC_URL (http://localhost:%s)", tn.Info.Website, port)
	}
}

// TestServePortTaken: a port in use is a clear error, and no start line
// was printed before it.
func TestServePortTaken(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	vars := map[string]string{"DATABASE_URL": filepath.Join(t.TempDir(), "t.db"), "ADDR": ln.Addr().String()}
	code, out, errOut := runCmd(t, vars, "serve", "--demo")
	if code != 1 || out != "" {
		t.Fatalf("exit %d, stdout %q; want 1 and no start line", code, out)
	}
	if !strings.Contains(errOut, "ADDR: "+ln.Addr().String()+" is already in use") || !strings.Contains(errOut, "set ADDR to a free address") {
		t.Fatalf("stderr %q", errOut)
	}
}

// TestServeHomeAndMetrics: / without the demo says what the server is;
// metrics are on METRICS_ADDR, never on the public port, and move.
func TestServeHomeAndMetrics(t *testing.T) {
	metricsAddr := freeAddr(t)
	vars := map[string]string{"DATABASE_URL": filepath.Join(t.TempDir(), "m.db"), "ADDR": "127.0.0.1:0", "METRICS_ADDR": metricsAddr}
	s, m := startServe(t, vars, regexp.MustCompile(`listening on 127\.0\.0\.1:(\d+)`))
	base := "http://127.0.0.1:" + m[1]
	code, body, h := get(t, base+"/", nil)
	if code != 200 || !strings.Contains(body, "Frontdesk") || h.Get("X-Content-Type-Options") != "nosniff" ||
		!strings.Contains(h.Get("Content-Security-Policy"), "frame-ancestors 'none'") {
		t.Fatalf("GET /: %d %v", code, h)
	}
	if code, _, _ := get(t, base+"/metrics", nil); code != 404 {
		t.Fatalf("GET /metrics on the public port: %d, want 404", code)
	}
	get(t, base+"/healthz", nil)
	code, body, _ = get(t, "http://"+metricsAddr+"/metrics", nil)
	if code != 200 || !strings.Contains(body, "go_goroutines") || !strings.Contains(body, "frontdesk_http_request_duration_seconds_count") {
		t.Fatalf("GET /metrics on METRICS_ADDR: %d\n%.500s", code, body)
	}
	if !strings.Contains(s.errOut.String(), "metrics=http://"+metricsAddr+"/metrics") {
		t.Errorf("the start log does not say where the metrics are:\n%s", s.errOut)
	}
	if code := s.stop(); code != 0 {
		t.Fatalf("serve exited %d", code)
	}
	// The metrics server stopped with the main one.
	if c, err := net.DialTimeout("tcp", metricsAddr, time.Second); err == nil {
		c.Close()
		t.Fatal("the metrics server still listens after shutdown")
	}

	vars["METRICS_ADDR"] = strings.Replace(freeAddr(t), "127.0.0.1", "", 1)
	vars["ADDR"] = vars["METRICS_ADDR"]
	if code, _, errOut := runCmd(t, vars, "serve"); code != 1 || !strings.Contains(errOut, "must not be the public port") {
		t.Fatalf("METRICS_ADDR = ADDR: exit %d, %q", code, errOut)
	}
}

func TestVersion(t *testing.T) {
	for _, args := range [][]string{{"version"}, {"--version"}} {
		code, out, _ := runCmd(t, nil, args...)
		if code != 0 || !strings.HasPrefix(out, "frontdesk ") || !strings.Contains(out, runtime.Version()) {
			t.Fatalf("%v: exit %d, %q", args, code, out)
		}
	}
	if code, _, errOut := runCmd(t, nil, "version", "extra"); code != 2 || !strings.Contains(errOut, `unexpected argument "extra"`) {
		t.Fatalf("version extra: exit %d, %q", code, errOut)
	}
}

// TestHelp: every command and subcommand answers --help with its own
// usage and flags, on stdout, exit 0.
func TestHelp(t *testing.T) {
	cases := []struct {
		args  []string
		wants []string
	}{
		{[]string{"--help"}, []string{"Usage: frontdesk <command>", "backup FILE", "version"}},
		{[]string{"help"}, []string{"Usage: frontdesk <command>"}},
		{[]string{"help", "tenant", "apply"}, []string{"Usage: frontdesk tenant apply", "-file"}},
		{[]string{"serve", "--help"}, []string{"Usage: frontdesk serve", "-demo", "METRICS_ADDR"}},
		{[]string{"serve", "-h"}, []string{"Usage: frontdesk serve", "-demo"}},
		{[]string{"migrate", "--help"}, []string{"Usage: frontdesk migrate"}},
		{[]string{"seed-demo", "--help"}, []string{"Usage: frontdesk seed-demo", "-json"}},
		{[]string{"tenant", "--help"}, []string{"Usage: frontdesk tenant <subcommand>", "rotate-key"}},
		{[]string{"tenant", "create", "--help"}, []string{"Usage: frontdesk tenant create", "-name", "-email", "-timezone", "-currency", "-origins", "-json"}},
		{[]string{"tenant", "apply", "--help"}, []string{"Usage: frontdesk tenant apply", "-file", "-json"}},
		{[]string{"tenant", "list", "--help"}, []string{"Usage: frontdesk tenant list", "-json"}},
		{[]string{"tenant", "rotate-key", "--help"}, []string{"Usage: frontdesk tenant rotate-key", "-tenant", "-key"}},
		{[]string{"tenant", "login-link", "--help"}, []string{"Usage: frontdesk tenant login-link", "-tenant", "-email"}},
		{[]string{"jobs", "--help"}, []string{"Usage: frontdesk jobs run"}},
		{[]string{"jobs", "run", "--help"}, []string{"Usage: frontdesk jobs run"}},
		{[]string{"jobs", "run", "outbox", "--help"}, []string{"Usage: frontdesk jobs run"}},
		{[]string{"backup", "--help"}, []string{"Usage: frontdesk backup FILE", "pg_dump"}},
		{[]string{"backup", "copy.db", "--help"}, []string{"Usage: frontdesk backup FILE"}},
		{[]string{"version", "--help"}, []string{"Usage: frontdesk version"}},
	}
	for _, tc := range cases {
		t.Run(strings.Join(tc.args, " "), func(t *testing.T) {
			// No database is opened for help: an unusable one proves it.
			code, out, errOut := runCmd(t, map[string]string{"DATABASE_URL": "/proc/nope/x.db"}, tc.args...)
			if code != 0 || errOut != "" {
				t.Fatalf("exit %d, stderr %q", code, errOut)
			}
			for _, want := range tc.wants {
				if !strings.Contains(out, want) {
					t.Errorf("help lacks %q:\n%s", want, out)
				}
			}
		})
	}
}

// TestBackup: an online copy of the SQLite database that opens and holds
// the tenant; an existing file is never overwritten; PostgreSQL points to
// pg_dump.
func TestBackup(t *testing.T) {
	dir := t.TempDir()
	vars := map[string]string{"DATABASE_URL": filepath.Join(dir, "live.db")}
	if code, _, errOut := runCmd(t, vars, "tenant", "create", "--name", "Ann's Studio", "--email", "ann@example.com"); code != 0 {
		t.Fatalf("tenant create: %s", errOut)
	}
	copyPath := filepath.Join(dir, "copy.db")
	code, out, errOut := runCmd(t, vars, "backup", copyPath)
	if code != 0 || !strings.Contains(out, "backed up the SQLite database to "+copyPath) {
		t.Fatalf("backup: exit %d, %q %q", code, out, errOut)
	}
	code, out, _ = runCmd(t, map[string]string{"DATABASE_URL": copyPath}, "tenant", "list")
	if code != 0 || !strings.Contains(out, "Ann's Studio") {
		t.Fatalf("the copy: exit %d, %q", code, out)
	}

	before, _ := os.ReadFile(copyPath)
	code, _, errOut = runCmd(t, vars, "backup", copyPath)
	if after, _ := os.ReadFile(copyPath); code != 1 || !strings.Contains(errOut, "already exists") || !bytes.Equal(before, after) {
		t.Fatalf("backup over an existing file: exit %d, %q", code, errOut)
	}
	if code, _, errOut := runCmd(t, vars, "backup", filepath.Join(dir, "no", "such", "x.db")); code != 1 || !strings.Contains(errOut, "does not exist") {
		t.Fatalf("backup into a missing folder: exit %d, %q", code, errOut)
	}
	if code, _, errOut := runCmd(t, vars, "backup"); code != 2 || !strings.Contains(errOut, "frontdesk backup FILE") {
		t.Fatalf("backup without a file: exit %d, %q", code, errOut)
	}
	code, _, errOut = runCmd(t, map[string]string{"DATABASE_URL": "postgres://fd:Pa55w0rd@127.0.0.1:1/fd"}, "backup", filepath.Join(dir, "pg.db"))
	if code != 1 || !strings.Contains(errOut, "pg_dump") || strings.Contains(errOut, "Pa55w0rd") {
		t.Fatalf("backup on PostgreSQL: exit %d, %q", code, errOut)
	}
}

// TestConfigErrorsMaskCredentials: a setting that fails to parse is
// reported without its password, and DATABASE_URL that is neither a URL
// nor a path creates no file.
func TestConfigErrorsMaskCredentials(t *testing.T) {
	const secret = "Sup3rSecretPw"
	cases := []struct {
		key, val, want string
	}{
		{"PUBLIC_URL", "https://bob:" + secret + "@book ings.example.com", "PUBLIC_URL must be an absolute http(s) URL"},
		{"STRIPE_API_BASE", "http://sk:" + secret + "@stripe mock:12111", "STRIPE_API_BASE must be an absolute http(s) URL"},
		{"REDIS_URL", "redis://:" + secret + "@cache:port/0", "REDIS_URL"},
		{"DATABASE_URL", "postgres://fd:" + secret + "@db:port/fd", "DATABASE_URL is not a valid PostgreSQL URL"},
		{"DATABASE_URL", "mysql://fd:" + secret + "@db/fd", "not a mysql:// URL"},
		{"SMTP_URL", "smtp://u:" + secret + "@mail:port", "SMTP_URL"},
	}
	for _, tc := range cases {
		t.Run(tc.key, func(t *testing.T) {
			vars := map[string]string{tc.key: tc.val}
			if tc.key != "DATABASE_URL" {
				vars["DATABASE_URL"] = filepath.Join(t.TempDir(), "x.db")
			}
			code, out, errOut := runCmd(t, vars, "migrate")
			if code != 1 || !strings.Contains(errOut, tc.want) {
				t.Fatalf("exit %d, stderr %q; want %q", code, errOut, tc.want)
			}
			if strings.Contains(errOut+out, secret) {
				t.Fatalf("the password was echoed: %q", errOut)
			}
		})
	}

	for _, bad := range []string{"::not a url::", "sqlite::memory::x"} {
		code, _, errOut := runCmd(t, map[string]string{"DATABASE_URL": bad}, "migrate")
		if code != 1 || !strings.Contains(errOut, "DATABASE_URL must be a postgres:// URL or a SQLite file path") {
			t.Fatalf("DATABASE_URL=%q: exit %d, %q", bad, code, errOut)
		}
		if _, err := os.Stat(bad); err == nil {
			os.Remove(bad)
			t.Fatalf("DATABASE_URL=%q created a file of that name", bad)
		}
	}
}
