package app

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/frontdeskhq/frontdesk"
	"github.com/frontdeskhq/frontdesk/booking"
	"github.com/frontdeskhq/frontdesk/business"
	"github.com/frontdeskhq/frontdesk/cache"
	"github.com/frontdeskhq/frontdesk/chat"
	"github.com/frontdeskhq/frontdesk/claude"
	"github.com/frontdeskhq/frontdesk/dashboard"
	"github.com/frontdeskhq/frontdesk/httpapi"
	"github.com/frontdeskhq/frontdesk/jobs"
	"github.com/frontdeskhq/frontdesk/mail"
	"github.com/frontdeskhq/frontdesk/mail/devmail"
	"github.com/frontdeskhq/frontdesk/mail/postmark"
	"github.com/frontdeskhq/frontdesk/mail/smtp"
	"github.com/frontdeskhq/frontdesk/metrics"
	"github.com/frontdeskhq/frontdesk/payments/stripe"
	"github.com/frontdeskhq/frontdesk/payments/testmode"
	"github.com/frontdeskhq/frontdesk/ratelimit"
	"github.com/frontdeskhq/frontdesk/sqlstore"
	"github.com/redis/go-redis/v9"
)

// App is everything wired from the configuration.
type App struct {
	Config   *Config
	Log      *slog.Logger
	Store    *sqlstore.DB
	Bookings *booking.Service
	Business *business.Service
	Chat     *chat.Service
	// Dashboard is the owner's web app, served by Server under /dashboard/.
	Dashboard *dashboard.Server
	Jobs      *jobs.Jobs
	Server    *httpapi.Server
	// Redis is the shared client when REDIS_URL is set; Close closes it.
	Redis *redis.Client
	// Metrics collects what the services count, for Prometheus; serve it
	// with Metrics.Handler on METRICS_ADDR only, never on the public port.
	Metrics *metrics.Metrics
}

// Close releases the store and Redis.
func (a *App) Close() error {
	if a.Redis != nil {
		a.Redis.Close()
	}
	return a.Store.Close()
}

// New opens the store (applying migrations) and builds the services. The
// caller closes a.Store.
func New(ctx context.Context, cfg *Config, log *slog.Logger) (*App, error) {
	store, err := sqlstore.Open(ctx, cfg.DatabaseURL)
	if err != nil {
		return nil, scrub(err, cfg.DatabaseURL)
	}
	a := &App{Config: cfg, Log: log, Store: store, Metrics: metrics.New()}
	clock := frontdesk.SystemClock

	var payments frontdesk.Payments = &testmode.Payments{PublicURL: cfg.PublicURL}
	if cfg.StripeSecretKey != "" {
		payments = stripe.New(stripe.Config{SecretKey: cfg.StripeSecretKey, APIBase: cfg.StripeAPIBase, PlatformFeePercent: cfg.PlatformFeePercent})
	}
	a.Bookings = &booking.Service{Store: store, Clock: clock, Payments: payments, Log: log, PublicURL: cfg.PublicURL,
		MailFrom: cfg.MailFrom, CheckoutTTL: time.Hour, PlatformFeePercent: cfg.PlatformFeePercent, Metrics: a.Metrics}

	a.Business = &business.Service{Store: store, Clock: clock, PublicURL: cfg.PublicURL}
	a.Chat = &chat.Service{Store: store, Clock: clock, Bookings: a.Bookings, Log: log, Cost: claude.EstimateCostMicroCents, Metrics: a.Metrics}
	if cfg.AnthropicAPIKey != "" {
		a.Chat.LLM = claude.New(claude.Config{APIKey: cfg.AnthropicAPIKey, BaseURL: cfg.AnthropicBaseURL, Model: cfg.AnthropicModel, Timeout: 30 * time.Second})
	}

	var mailer frontdesk.Mailer = devmail.Mailer{}
	switch {
	case cfg.PostmarkServerToken != "":
		mailer = postmark.New(cfg.PostmarkServerToken, cfg.PostmarkAPIURL, nil)
	case cfg.SMTPURL != "":
		if mailer, err = smtp.New(cfg.SMTPURL); err != nil {
			store.Close()
			return nil, scrub(err, cfg.SMTPURL)
		}
	}
	a.Jobs = &jobs.Jobs{Store: store, Bookings: a.Bookings, Clock: clock, Log: log, Metrics: a.Metrics,
		Outbox: &jobs.Outbox{Store: store, Mailer: mailer, Clock: clock, Log: log, IsPermanent: mail.IsPermanent, Metrics: a.Metrics}}

	// The production rule: the dev surfaces exist only on this machine (or
	// with DEV_MODE=true) and only while no real provider is configured.
	// Serving refuses a public PUBLIC_URL without providers (Config.CheckServe).
	devSurfaces := localURL(cfg.PublicURL) || cfg.DevMode
	a.Server = &httpapi.Server{Store: store, Chat: a.Chat, Bookings: a.Bookings, Business: a.Business, Clock: clock, Log: log,
		PublicURL: cfg.PublicURL, DevMailbox: devSurfaces && cfg.PostmarkServerToken == "" && cfg.SMTPURL == "",
		TestCheckout: devSurfaces && cfg.StripeSecretKey == "", TrustedProxies: cfg.TrustedProxies, Metrics: a.Metrics}
	if !localURL(cfg.PublicURL) {
		if a.Server.DevMailbox {
			log.Warn("DEV_MODE=true and no email provider is set (POSTMARK_SERVER_TOKEN or SMTP_URL): emails are only kept in the dev mailbox at /dev/mail, which anyone can read; set a provider before real customers book")
		}
		if a.Server.TestCheckout {
			log.Warn("DEV_MODE=true and STRIPE_SECRET_KEY is not set: the test-mode checkout marks bookings paid without payment; set Stripe keys before real customers book")
		}
	}
	var rdb *redis.Client
	if cfg.RedisURL != "" {
		opt, err := redis.ParseURL(cfg.RedisURL)
		if err != nil {
			store.Close()
			return nil, fmt.Errorf("REDIS_URL is not a valid Redis URL (%s); use redis://[:password@]host:6379[/db]", scrub(err, cfg.RedisURL))
		}
		opt.DialTimeout, opt.ReadTimeout, opt.WriteTimeout, opt.MaxRetries = 500*time.Millisecond, 250*time.Millisecond, 250*time.Millisecond, -1
		redis.SetLogger(ratelimit.SlogLogger(log)) // go-redis's own lines through slog
		rdb = redis.NewClient(opt)
		if err := ratelimit.CheckRedis(ctx, rdb); err != nil {
			if errors.Is(err, ratelimit.ErrRedisAuth) {
				rdb.Close()
				store.Close()
				return nil, err
			}
			// Limits and the cache count in memory until Redis answers.
			log.Warn("Redis is not answering at start; rate limits and the cache count in memory on this instance until it does", "err", err)
		}
		a.Redis = rdb
	}
	a.Server.ChatLimiter = ratelimit.New("chat", cfg.ChatRatePerMin, time.Minute, rdb, log)
	a.Chat.Cache = cache.New("frontdesk:context:", rdb, log)
	a.Server.SessionLimiter = ratelimit.New("session", 30, time.Minute, rdb, log)
	a.Server.EscalationLimiter = ratelimit.New("escalation", cfg.EscalationRatePerHour, time.Hour, rdb, log)
	// request_human spends from the same budget as POST /escalate.
	a.Chat.EscalationLimiter = a.Server.EscalationLimiter
	a.Chat.LookupLimiter = ratelimit.New("lookup", chat.LookupsPerIP, chat.LookupWindow, rdb, log)
	// Sized so no real visitor meets them: the widget fetches the greeting
	// once per opening (an office behind one IP opens it often); a visitor
	// confirms a proposal once or twice; one thumb per message and a rating.
	a.Server.GreetingLimiter = ratelimit.New("greeting", 120, time.Minute, rdb, log)
	a.Server.ConfirmLimiter = ratelimit.New("confirm", 10, time.Minute, rdb, log)
	a.Server.FeedbackLimiter = ratelimit.New("feedback", 30, time.Minute, rdb, log)
	a.Dashboard = &dashboard.Server{Store: store, Bookings: a.Bookings, Business: a.Business, Clock: clock, Log: log,
		PublicURL: cfg.PublicURL, MailFrom: cfg.MailFrom, TrustedProxies: cfg.TrustedProxies, DevMailbox: a.Server.DevMailbox,
		SignInLimiter: ratelimit.New("signin", 5, time.Hour, rdb, log)}
	a.Server.Dashboard = a.Dashboard.Handler()
	if cfg.StripeWebhookSecret != "" {
		secret := cfg.StripeWebhookSecret
		a.Server.StripeWebhook = func(payload []byte, sig string, now time.Time) (frontdesk.PaymentEvent, error) {
			return stripe.ParseWebhook(payload, sig, secret, now)
		}
		a.Server.IsBadSignature = func(err error) bool { return errors.Is(err, stripe.ErrBadSignature) }
	}
	return a, nil
}

// Handler is the public HTTP handler: the server's routes and, unless the
// demo storefront has it, a page at / that says what this server is.
func (a *App) Handler() http.Handler { return a.Server.Handler() }

// scrub returns err with the credentials of the given URLs masked out of
// its text (drivers and parsers like to repeat the URL they were given),
// or err itself when its text holds none. A masked error does not unwrap:
// its cause's text is the one with the secret.
func scrub(err error, urls ...string) error {
	if err == nil {
		return nil
	}
	msg := err.Error()
	clean := msg
	for _, raw := range urls {
		if raw == "" {
			continue
		}
		clean = strings.ReplaceAll(clean, raw, maskURL(raw))
		for _, secret := range secretsOf(raw) {
			clean = strings.ReplaceAll(clean, secret, "***")
		}
	}
	if clean == msg {
		return err
	}
	return errors.New(clean)
}

// secretsOf lists the credentials in a URL, as written and decoded: the
// user:password part, the password alone, and the values of query
// parameters that name a password, secret, token or key. Parts shorter
// than 4 characters are left out, since masking them would garble the
// rest of a message.
func secretsOf(raw string) []string {
	var out []string
	add := func(s string) {
		if len(s) >= 4 {
			out = append(out, s)
		}
		if d, err := url.PathUnescape(s); err == nil && d != s && len(d) >= 4 {
			out = append(out, d)
		}
	}
	rest := raw
	if i := strings.Index(raw, "://"); i >= 0 {
		rest = raw[i+3:]
	}
	if at := strings.LastIndex(rest, "@"); at >= 0 {
		// A user alone is a name, not a secret: mask it only with a password.
		if _, pw, ok := strings.Cut(rest[:at], ":"); ok {
			add(rest[:at])
			add(pw)
		}
	}
	if _, query, ok := strings.Cut(rest, "?"); ok {
		for _, p := range strings.Split(query, "&") {
			k, v, _ := strings.Cut(p, "=")
			lk := strings.ToLower(k)
			if strings.Contains(lk, "pass") || strings.Contains(lk, "secret") || strings.Contains(lk, "token") || strings.Contains(lk, "key") {
				add(v)
			}
		}
	}
	return out
}

// localURL reports whether u points at this machine, where the dev mailbox
// and test-mode checkout are expected.
func localURL(u string) bool {
	p, err := url.Parse(u)
	if err != nil {
		return false
	}
	h := p.Hostname()
	return h == "localhost" || h == "127.0.0.1" || h == "::1" || strings.HasSuffix(h, ".localhost")
}
