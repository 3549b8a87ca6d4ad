// Command frontdesk runs the Frontdesk booking platform: the HTTP server,
// migrations, demo seeding, tenant creation and the periodic jobs.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"os"
	"os/signal"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
	_ "time/tzdata" // tenant time zones work on machines without zoneinfo

	"github.com/frontdeskhq/frontdesk/app"
	"github.com/frontdeskhq/frontdesk/demo"
	"github.com/frontdeskhq/frontdesk/jobs"
	"github.com/frontdeskhq/frontdesk/sqlstore"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Getenv, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

const usage = `Usage: frontdesk <command> [flags]

Commands:
  serve [--demo]                      migrate, then serve HTTP (--demo seeds the demo tenant first)
  migrate                             apply database migrations and exit
  seed-demo --json                    seed the demo tenant if absent and print its keys and packages
  tenant create --name N --email E [--timezone TZ] [--currency CUR] [--origins URLS] --json
                                      create a tenant and print its keys (the secret key is shown once)
  tenant apply --file F [--json]      create or update a business from a YAML or JSON file
  tenant list [--json]                list the tenants
  tenant rotate-key --tenant ID|SLUG [--key secret|publishable|calendar]
                                      replace a key and print the new one
  tenant login-link --tenant ID|SLUG [--email E]
                                      print a one-time dashboard sign-in link (15 minutes)
  jobs run [cleanup|expire|reminders|outbox]
                                      run the periodic jobs once and exit
  backup FILE                         copy the SQLite database to FILE while it runs
  version                             print the version and the source revision

Every command answers --help with its own flags.
Configuration is read from the environment; see README.md.
`

// helpText is each command's --help: how to call it and what it does; its
// flags follow.
var helpText = map[string]string{
	"serve": `frontdesk serve [--demo]

Apply migrations, then serve HTTP on ADDR (and Prometheus metrics on
METRICS_ADDR, if set). With a PUBLIC_URL that is not this machine, an email
provider and Stripe must be configured, or DEV_MODE=true set for a trial.`,
	"migrate": `frontdesk migrate

Apply the database migrations and exit (serve applies them too).`,
	"seed-demo": `frontdesk seed-demo [--json]

Seed the demo tenant if absent and print its keys and packages. An existing
demo tenant gets a new secret key, the only way to show one.`,
	"tenant": `frontdesk tenant <subcommand> [flags]

Subcommands: create, apply, list, rotate-key, login-link.
Run frontdesk tenant <subcommand> --help for each one's flags.`,
	"tenant create": `frontdesk tenant create --name N --email E [--timezone TZ] [--currency CUR] [--origins URLS] [--json]

Create a tenant and print its keys (the secret key is shown once).`,
	"tenant apply": `frontdesk tenant apply --file F [--json]

Create or update a business from a YAML or JSON file (see examples/business.yaml).
Applying the same file twice changes nothing.`,
	"tenant list": `frontdesk tenant list [--json]

List the tenants.`,
	"tenant rotate-key": `frontdesk tenant rotate-key --tenant ID|SLUG [--key secret|publishable|calendar] [--json]

Replace one of a tenant's keys and print the new one; the old one stops working.`,
	"tenant login-link": `frontdesk tenant login-link --tenant ID|SLUG [--email E]

Print a one-time dashboard sign-in link (valid 15 minutes) to hand to the owner.`,
	"jobs": `frontdesk jobs run [cleanup|expire|reminders|outbox]

Run the periodic jobs once (all of them, or the one named) and exit.`,
	"jobs run": `frontdesk jobs run [cleanup|expire|reminders|outbox]

Run the periodic jobs once (all of them, or the one named) and exit.`,
	"backup": `frontdesk backup FILE

Copy the SQLite database to FILE (a new file) while Frontdesk runs, with
VACUUM INTO. On PostgreSQL, use pg_dump instead.`,
	"version": `frontdesk version

Print the module version and the source revision this binary was built from.`,
}

// run is main without the process: it returns the exit code. Usage errors
// exit 2, operational errors 1; --help exits 0.
func run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return 2
	}
	cmd, rest := args[0], args[1:]
	var err error
	switch cmd {
	case "-h", "-help", "--help", "help":
		if cmd == "help" && len(rest) > 0 && rest[0] != "help" {
			// frontdesk help tenant create = frontdesk tenant create --help
			return run(ctx, append(append([]string{}, rest...), "--help"), getenv, stdout, stderr)
		}
		fmt.Fprint(stdout, usage)
		return 0
	case "-version", "--version":
		err = cmdVersion(rest, stdout)
	case "serve":
		err = cmdServe(ctx, rest, getenv, stdout, stderr)
	case "migrate":
		err = cmdMigrate(ctx, rest, getenv, stdout, stderr)
	case "seed-demo":
		err = cmdSeedDemo(ctx, rest, getenv, stdout, stderr)
	case "tenant":
		err = cmdTenant(ctx, rest, getenv, stdout, stderr)
	case "jobs":
		err = cmdJobs(ctx, rest, getenv, stdout, stderr)
	case "backup":
		err = cmdBackup(ctx, rest, getenv, stdout)
	case "version":
		err = cmdVersion(rest, stdout)
	default:
		fmt.Fprintf(stderr, "frontdesk: unknown command %q\n\n%s", cmd, usage)
		return 2
	}
	var ue usageError
	var he helpRequest
	switch {
	case err == nil:
		return 0
	case errors.As(err, &he):
		fmt.Fprint(stdout, he.text)
		return 0
	case errors.As(err, &ue):
		if ue.msg != "" {
			fmt.Fprintf(stderr, "frontdesk %s: %s\n\n", cmd, ue.msg)
		}
		fmt.Fprint(stderr, usage)
		return 2
	default:
		fmt.Fprintf(stderr, "frontdesk %s: %v\n", cmd, err)
		return 1
	}
}

type usageError struct{ msg string }

// Error returns the usage problem.
func (e usageError) Error() string { return e.msg }

// helpRequest is a command's --help: its text goes to stdout, exit 0.
type helpRequest struct{ text string }

// Error returns the help text.
func (h helpRequest) Error() string { return h.text }

// isHelp reports whether an argument asks for help.
func isHelp(arg string) bool { return arg == "-h" || arg == "-help" || arg == "--help" }

// help returns the --help of the command fs parses: how to call it, what
// it does and its flags.
func help(fs *flag.FlagSet) helpRequest {
	var b strings.Builder
	fmt.Fprintf(&b, "Usage: %s\n", helpText[fs.Name()])
	n := 0
	fs.VisitAll(func(*flag.Flag) { n++ })
	if n > 0 {
		b.WriteString("\nFlags:\n")
		fs.SetOutput(&b)
		fs.PrintDefaults()
		fs.SetOutput(io.Discard)
	}
	return helpRequest{b.String()}
}

// parseFlags parses a command's flags, turning flag errors into usage
// errors and --help into the command's help; it takes no arguments.
func parseFlags(fs *flag.FlagSet, args []string) error {
	_, err := parseArgs(fs, args, 0)
	return err
}

// parseArgs parses a command's flags and returns at most max arguments.
func parseArgs(fs *flag.FlagSet, args []string, max int) ([]string, error) {
	fs.SetOutput(io.Discard)
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil, help(fs)
		}
		return nil, usageError{err.Error()}
	}
	for _, a := range fs.Args() {
		if isHelp(a) {
			return nil, help(fs)
		}
	}
	if fs.NArg() > max {
		return nil, usageError{fmt.Sprintf("unexpected argument %q", fs.Arg(max))}
	}
	return fs.Args(), nil
}

func newLogger(w io.Writer) *slog.Logger {
	return slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{Level: slog.LevelInfo}))
}

func cmdServe(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	demoFlag := fs.Bool("demo", false, "seed the demo tenant first and serve its storefront at /")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	cfg, err := app.LoadConfig(getenv)
	if err != nil {
		return err
	}
	if err := cfg.CheckServe(); err != nil {
		return err
	}
	// Listen first: a port in use is reported before any work, and the
	// address really listened on (ADDR may say port 0) is known to the
	// demo's origins and the start line.
	ln, err := listen("ADDR", cfg.Addr)
	if err != nil {
		return err
	}
	defer ln.Close()
	var mln net.Listener
	if cfg.MetricsAddr != "" {
		if mln, err = listen("METRICS_ADDR", cfg.MetricsAddr); err != nil {
			return err
		}
		defer mln.Close()
	}
	port := portOf(ln.Addr())
	if getenv("PUBLIC_URL") == "" {
		// Links in emails and checkout return here, on the port listened on.
		cfg.PublicURL = "http://localhost:" + port
	}
	log := newLogger(stderr)
	a, err := app.New(ctx, cfg, log)
	if err != nil {
		return err
	}
	defer a.Close()
	if p := publicPort(cfg.PublicURL); p != "" && p != port && cfg.LocalPublicURL() {
		log.Warn("PUBLIC_URL is a local address on another port than the one listened on: links in emails will not reach this server",
			"public_url", cfg.PublicURL, "listening", ln.Addr().String(), "fix", "set PUBLIC_URL=http://localhost:"+port)
	}
	local := browseURL(ln.Addr())
	a.Server.Demo = *demoFlag
	var seeded *demo.Result
	if *demoFlag {
		// The demo works at whichever local address the browser uses.
		seeded, err = demo.SeedWith(ctx, a.Store, demo.Options{PublicURL: cfg.PublicURL,
			Origins: demo.LocalOrigins(ln.Addr().String()), Now: time.Now().UTC()})
		if err != nil {
			return err
		}
		a.Server.DemoKey = seeded.PublicKey
	}
	srv := &http.Server{
		Handler:           a.Handler(),
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      90 * time.Second,
		IdleTimeout:       120 * time.Second,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(a.Log.Handler(), slog.LevelWarn),
	}
	var msrv *http.Server
	if mln != nil {
		mux := http.NewServeMux()
		mux.Handle("GET /metrics", a.Metrics.Handler())
		msrv = &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second, WriteTimeout: 30 * time.Second,
			ErrorLog: slog.NewLogLogger(a.Log.Handler(), slog.LevelWarn)}
	}
	a.Log.Info("frontdesk listening", "addr", ln.Addr().String(), "public_url", cfg.PublicURL, "database", a.Store.Dialect(),
		"assistant", map[bool]string{true: "claude", false: "guided"}[a.Chat.LLM != nil],
		"mail", mailKind(a), "checkout", checkoutKind(a), "metrics", metricsKind(mln))
	if seeded != nil {
		fmt.Fprintf(stdout, "Demo tenant ready: open %s/ to chat with its assistant (publishable key %s).\n", local, seeded.PublicKey)
		if seeded.SecretKey != "" {
			fmt.Fprintf(stdout, "Its secret key for the tenant API, shown once: %s\n", seeded.SecretKey)
		}
	} else {
		fmt.Fprintf(stdout, "Frontdesk is listening on %s: owners sign in at %s/dashboard/\n", ln.Addr(), cfg.PublicURL)
	}

	workCtx, stopWork := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	wg.Add(1)
	go func() { defer wg.Done(); a.Jobs.Schedule(workCtx) }()

	errc := make(chan error, 2)
	go func() { errc <- srv.Serve(ln) }()
	if msrv != nil {
		go func() {
			if err := msrv.Serve(mln); !errors.Is(err, http.ErrServerClosed) {
				errc <- fmt.Errorf("METRICS_ADDR: %w", err)
			}
		}()
	}
	var serveErr error
	select {
	case serveErr = <-errc:
		a.Log.Error("server stopped", "err", serveErr)
	case <-ctx.Done():
	}
	// Orderly shutdown: stop taking requests and finish those in flight,
	// then stop the workers (an email mid-send finishes or its lease lapses).
	a.Log.Info("shutting down")
	shutCtx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutCtx); err != nil {
		a.Log.Warn("http shutdown", "err", err)
	}
	if msrv != nil {
		if err := msrv.Shutdown(shutCtx); err != nil {
			a.Log.Warn("metrics shutdown", "err", err)
		}
	}
	stopWork()
	wg.Wait()
	a.Log.Info("stopped")
	return serveErr
}

// listen opens the listener of the setting key, with an error that says
// what to do when the address is taken or wrong.
func listen(key, addr string) (net.Listener, error) {
	ln, err := net.Listen("tcp", addr)
	switch {
	case err == nil:
		return ln, nil
	case errors.Is(err, syscall.EADDRINUSE):
		return nil, fmt.Errorf("%s: %s is already in use (another Frontdesk, or another program, listens there); stop it or set %s to a free address such as %s",
			key, addr, key, freeHint(addr))
	case errors.Is(err, syscall.EACCES):
		return nil, fmt.Errorf("%s: not allowed to listen on %s (ports below 1024 need privileges); use a port such as :8080", key, addr)
	}
	return nil, fmt.Errorf("%s: cannot listen on %s: %v", key, addr, err)
}

// freeHint suggests the address on the port after the one taken.
func freeHint(addr string) string {
	h, p, err := net.SplitHostPort(addr)
	n, perr := strconv.Atoi(p)
	if err != nil || perr != nil || n <= 0 || n >= 65535 {
		return ":8081"
	}
	return net.JoinHostPort(h, strconv.Itoa(n+1))
}

// portOf returns a listener address's port.
func portOf(a net.Addr) string {
	_, p, _ := net.SplitHostPort(a.String())
	return p
}

// publicPort returns the port of a URL, explicit or the scheme's.
func publicPort(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return ""
	}
	if p := u.Port(); p != "" {
		return p
	}
	return map[string]string{"http": "80", "https": "443"}[u.Scheme]
}

// browseURL is the address to open in a browser on this machine for a
// server listening on a: localhost when it listens on every address, else
// the address itself.
func browseURL(a net.Addr) string {
	host, port, err := net.SplitHostPort(a.String())
	if err != nil {
		return "http://" + a.String()
	}
	if ip, err := netip.ParseAddr(host); err == nil && ip.IsUnspecified() || host == "" {
		host = "localhost"
	}
	return "http://" + net.JoinHostPort(host, port)
}

func openApp(ctx context.Context, getenv func(string) string, stderr io.Writer) (*app.App, error) {
	cfg, err := app.LoadConfig(getenv)
	if err != nil {
		return nil, err
	}
	return app.New(ctx, cfg, newLogger(stderr))
}

// openStore reads the configuration and opens (and migrates) the store.
func openStore(ctx context.Context, getenv func(string) string) (*app.Config, *sqlstore.DB, error) {
	cfg, err := app.LoadConfig(getenv)
	if err != nil {
		return nil, nil, err
	}
	store, err := sqlstore.Open(ctx, cfg.DatabaseURL)
	return cfg, store, err
}

func mailKind(a *app.App) string {
	switch c := a.Config; {
	case c.PostmarkServerToken != "":
		return "postmark"
	case c.SMTPURL != "":
		return "smtp"
	case a.Server.DevMailbox:
		return "dev mailbox (/dev/mail)"
	}
	return "none"
}

func checkoutKind(a *app.App) string {
	switch {
	case a.Config.StripeSecretKey != "":
		return "stripe"
	case a.Server.TestCheckout:
		return "test mode"
	}
	return "none"
}

func metricsKind(ln net.Listener) string {
	if ln == nil {
		return "off (set METRICS_ADDR)"
	}
	return "http://" + ln.Addr().String() + "/metrics"
}

func cmdMigrate(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	if err := parseFlags(flag.NewFlagSet("migrate", flag.ContinueOnError), args); err != nil {
		return err
	}
	_, store, err := openStore(ctx, getenv)
	if err != nil {
		return err
	}
	defer store.Close()
	fmt.Fprintf(stdout, "migrations applied (%s)\n", store.Dialect())
	return nil
}

func cmdSeedDemo(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("seed-demo", flag.ContinueOnError)
	asJSON := fs.Bool("json", false, "print JSON")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	cfg, store, err := openStore(ctx, getenv)
	if err != nil {
		return err
	}
	defer store.Close()
	// An existing demo tenant gets a fresh secret key, the only way to show one.
	res, err := demo.Seed(ctx, store, cfg.PublicURL, time.Now().UTC(), true)
	if err != nil {
		return err
	}
	if *asJSON {
		return writeJSON(stdout, res)
	}
	fmt.Fprintf(stdout, "tenant %s\npublishable key %s\nsecret key %s\n", res.TenantID, res.PublicKey, res.SecretKey)
	for _, p := range res.Packages {
		fmt.Fprintf(stdout, "package %s %s %s %d\n", p.ID, p.Slug, p.BookingType, p.PriceCents)
	}
	return nil
}

func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

func cmdJobs(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	if len(args) > 0 && isHelp(args[0]) {
		return help(flag.NewFlagSet("jobs", flag.ContinueOnError))
	}
	if len(args) == 0 || args[0] != "run" {
		return usageError{"use: frontdesk jobs run [cleanup|expire|reminders|outbox]"}
	}
	rest, err := parseArgs(flag.NewFlagSet("jobs run", flag.ContinueOnError), args[1:], 1)
	if err != nil {
		return err
	}
	names := jobs.Names
	if len(rest) == 1 {
		known := false
		for _, n := range jobs.Names {
			known = known || n == rest[0]
		}
		if !known {
			return usageError{fmt.Sprintf("unknown job %q: use cleanup, expire, reminders or outbox", rest[0])}
		}
		names = []string{rest[0]}
	}
	a, err := openApp(ctx, getenv, stderr)
	if err != nil {
		return err
	}
	defer a.Close()
	for _, n := range names {
		if err := a.Jobs.Run(ctx, n); err != nil {
			return fmt.Errorf("job %s: %w", n, err)
		}
	}
	return nil
}

func cmdVersion(args []string, stdout io.Writer) error {
	if err := parseFlags(flag.NewFlagSet("version", flag.ContinueOnError), args); err != nil {
		return err
	}
	fmt.Fprintln(stdout, version())
	return nil
}

// version describes this binary from its build information: the module
// version, and the VCS revision, time and state when built from a checkout.
func version() string {
	v, rev, when, dirty := "(unknown)", "", "", false
	if info, ok := debug.ReadBuildInfo(); ok {
		if info.Main.Version != "" {
			v = info.Main.Version
		}
		for _, s := range info.Settings {
			switch s.Key {
			case "vcs.revision":
				rev = s.Value
			case "vcs.time":
				when = s.Value
			case "vcs.modified":
				dirty = s.Value == "true"
			}
		}
	}
	out := "frontdesk " + v
	if rev != "" {
		out += " revision " + rev
		if dirty {
			out += " (modified)"
		}
		if when != "" {
			out += " of " + when
		}
	}
	return out + ", " + runtime.Version()
}

func cmdBackup(ctx context.Context, args []string, getenv func(string) string, stdout io.Writer) error {
	rest, err := parseArgs(flag.NewFlagSet("backup", flag.ContinueOnError), args, 1)
	if err != nil {
		return err
	}
	if len(rest) == 0 || rest[0] == "" {
		return usageError{"name the file to write: frontdesk backup FILE"}
	}
	target := rest[0]
	cfg, err := app.LoadConfig(getenv)
	if err != nil {
		return err
	}
	if cfg.IsPostgres() {
		return errors.New(`the database is PostgreSQL: back it up with pg_dump, e.g. pg_dump --format=custom --file=frontdesk.dump "$DATABASE_URL" (restore with pg_restore)`)
	}
	// VACUUM INTO refuses an existing file; say so in plain words, and
	// check the folder, whose absence SQLite reports as "unable to open".
	if _, err := os.Stat(target); err == nil {
		return fmt.Errorf("%s already exists: a backup never overwrites a file; name a new one", target)
	}
	if dir := filepath.Dir(target); dir != "." {
		if st, err := os.Stat(dir); err != nil || !st.IsDir() {
			return fmt.Errorf("cannot write %s: the folder %s does not exist", target, dir)
		}
	}
	store, err := sqlstore.Open(ctx, cfg.DatabaseURL)
	if err != nil {
		return err
	}
	defer store.Close()
	if store.Dialect() != sqlstore.SQLite {
		return errors.New("the database is PostgreSQL: back it up with pg_dump")
	}
	// An online, consistent copy: VACUUM INTO reads in one transaction
	// while the server goes on writing (WAL), and writes a compact file.
	if _, err := store.SQL().ExecContext(ctx, "VACUUM INTO ?", target); err != nil {
		return fmt.Errorf("backing up to %s: %v", target, err)
	}
	st, err := os.Stat(target)
	if err != nil {
		return fmt.Errorf("backing up to %s: %v", target, err)
	}
	fmt.Fprintf(stdout, "backed up the SQLite database to %s (%d KiB); restore by stopping Frontdesk and putting it in place of the database file\n", target, (st.Size()+1023)/1024)
	return nil
}
