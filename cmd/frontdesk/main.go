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
	"os"
	"os/signal"
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

Configuration is read from the environment; see README.md.
`

// run is main without the process: it returns the exit code. Usage errors
// exit 2, operational errors 1.
func run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) int {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		fmt.Fprint(stderr, usage)
		if len(args) == 0 {
			return 2
		}
		return 0
	}
	cmd, rest := args[0], args[1:]
	var err error
	switch cmd {
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
	default:
		fmt.Fprintf(stderr, "frontdesk: unknown command %q\n\n%s", cmd, usage)
		return 2
	}
	var ue usageError
	switch {
	case err == nil:
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

// parseFlags parses a command's flags, turning flag errors into usage errors.
func parseFlags(fs *flag.FlagSet, args []string) error {
	fs.SetOutput(io.Discard)
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return usageError{}
		}
		return usageError{err.Error()}
	}
	if fs.NArg() > 0 {
		return usageError{fmt.Sprintf("unexpected argument %q", fs.Arg(0))}
	}
	return nil
}

func newLogger(w io.Writer) *slog.Logger {
	return slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{Level: slog.LevelInfo}))
}

func cmdServe(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	demoFlag := fs.Bool("demo", false, "seed the demo tenant first")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	a, err := openApp(ctx, getenv, stderr)
	if err != nil {
		return err
	}
	defer a.Close()
	a.Server.Demo = *demoFlag
	// The demo shows its emails at /dev/mail even when they also go out by SMTP.
	a.Server.DevMailbox = a.Server.DevMailbox || *demoFlag
	a.Dashboard.DevMailbox = a.Server.DevMailbox
	if *demoFlag {
		res, err := demo.Seed(ctx, a.Store, a.Config.PublicURL, time.Now().UTC(), false)
		if err != nil {
			return err
		}
		a.Server.DemoKey = res.PublicKey
		fmt.Fprintf(stdout, "Demo tenant ready: open %s/ to chat with its assistant (publishable key %s).\n", a.Config.PublicURL, res.PublicKey)
		if res.SecretKey != "" {
			fmt.Fprintf(stdout, "Its secret key for the tenant API, shown once: %s\n", res.SecretKey)
		}
	}
	ln, err := net.Listen("tcp", a.Config.Addr)
	if err != nil {
		return fmt.Errorf("ADDR: cannot listen on %s: %v", a.Config.Addr, err)
	}
	srv := &http.Server{
		Handler:           a.Server.Handler(),
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      90 * time.Second,
		IdleTimeout:       120 * time.Second,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(a.Log.Handler(), slog.LevelWarn),
	}
	a.Log.Info("frontdesk listening", "addr", ln.Addr().String(), "database", a.Store.Dialect(),
		"assistant", map[bool]string{true: "claude", false: "guided"}[a.Chat.LLM != nil],
		"mail", mailKind(a.Config), "checkout", map[bool]string{true: "stripe", false: "test mode"}[a.Config.StripeSecretKey != ""])

	workCtx, stopWork := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	wg.Add(1)
	go func() { defer wg.Done(); a.Jobs.Schedule(workCtx) }()

	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		stopWork()
		wg.Wait()
		return err
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
	stopWork()
	wg.Wait()
	a.Log.Info("stopped")
	return nil
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

func mailKind(c *app.Config) string {
	switch {
	case c.PostmarkServerToken != "":
		return "postmark"
	case c.SMTPURL != "":
		return "smtp"
	}
	return "dev mailbox (/dev/mail)"
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
	if len(args) == 0 || args[0] != "run" {
		return usageError{"use: frontdesk jobs run [cleanup|expire|reminders|outbox]"}
	}
	names := jobs.Names
	if len(args) > 1 {
		if len(args) > 2 {
			return usageError{fmt.Sprintf("unexpected argument %q", args[2])}
		}
		known := false
		for _, n := range jobs.Names {
			known = known || n == args[1]
		}
		if !known {
			return usageError{fmt.Sprintf("unknown job %q: use cleanup, expire, reminders or outbox", args[1])}
		}
		names = []string{args[1]}
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
