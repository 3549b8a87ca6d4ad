package app

import (
	"context"
	"errors"
	"log/slog"
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
		return nil, err
	}
	a := &App{Config: cfg, Log: log, Store: store}
	clock := frontdesk.SystemClock

	var payments frontdesk.Payments = &testmode.Payments{PublicURL: cfg.PublicURL}
	if cfg.StripeSecretKey != "" {
		payments = stripe.New(stripe.Config{SecretKey: cfg.StripeSecretKey, APIBase: cfg.StripeAPIBase, PlatformFeePercent: cfg.PlatformFeePercent})
	}
	a.Bookings = &booking.Service{Store: store, Clock: clock, Payments: payments, Log: log, PublicURL: cfg.PublicURL,
		MailFrom: cfg.MailFrom, CheckoutTTL: time.Hour, PlatformFeePercent: cfg.PlatformFeePercent}

	a.Business = &business.Service{Store: store, Clock: clock, PublicURL: cfg.PublicURL}
	a.Chat = &chat.Service{Store: store, Clock: clock, Bookings: a.Bookings, Log: log, Cost: claude.EstimateCostMicroCents}
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
			return nil, err
		}
	}
	a.Jobs = &jobs.Jobs{Store: store, Bookings: a.Bookings, Clock: clock, Log: log,
		Outbox: &jobs.Outbox{Store: store, Mailer: mailer, Clock: clock, Log: log, IsPermanent: mail.IsPermanent}}

	a.Server = &httpapi.Server{Store: store, Chat: a.Chat, Bookings: a.Bookings, Business: a.Business, Clock: clock, Log: log,
		PublicURL: cfg.PublicURL, DevMailbox: cfg.PostmarkServerToken == "" && cfg.SMTPURL == "",
		TestCheckout: cfg.StripeSecretKey == "", TrustedProxies: cfg.TrustedProxies}
	if !localURL(cfg.PublicURL) {
		if a.Server.DevMailbox {
			log.Warn("no email provider is set (POSTMARK_SERVER_TOKEN or SMTP_URL): emails are only kept in the dev mailbox at /dev/mail, which anyone can read; set a provider before real customers book")
		}
		if a.Server.TestCheckout {
			log.Warn("STRIPE_SECRET_KEY is not set: the test-mode checkout marks bookings paid without payment; set Stripe keys before real customers book")
		}
	}
	var rdb *redis.Client
	if cfg.RedisURL != "" {
		opt, err := redis.ParseURL(cfg.RedisURL)
		if err != nil {
			store.Close()
			return nil, errors.New("REDIS_URL is not a valid Redis URL; use redis://[:password@]host:6379[/db]")
		}
		opt.DialTimeout, opt.ReadTimeout, opt.WriteTimeout, opt.MaxRetries = 500*time.Millisecond, 250*time.Millisecond, 250*time.Millisecond, -1
		rdb = redis.NewClient(opt)
		a.Redis = rdb
	}
	a.Server.ChatLimiter = ratelimit.New("chat", cfg.ChatRatePerMin, time.Minute, rdb, log)
	a.Chat.Cache = cache.New("frontdesk:context:", rdb, log)
	a.Server.SessionLimiter = ratelimit.New("session", 30, time.Minute, rdb, log)
	a.Server.EscalationLimiter = ratelimit.New("escalation", cfg.EscalationRatePerHour, time.Hour, rdb, log)
	// request_human spends from the same budget as POST /escalate.
	a.Chat.EscalationLimiter = a.Server.EscalationLimiter
	a.Chat.LookupLimiter = ratelimit.New("lookup", chat.LookupsPerIP, chat.LookupWindow, rdb, log)
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
