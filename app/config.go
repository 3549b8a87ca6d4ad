// Package app wires Frontdesk together from its configuration: the store,
// the assistant, mail, payments, jobs and the HTTP server. The binary and
// the end-to-end tests build the same thing through it.
package app

import (
	"fmt"
	"net"
	"net/netip"
	"net/url"
	"strconv"
	"strings"
)

// Config is the whole configuration, read from the environment once at
// start and validated before anything runs. Names are fixed by the product.
type Config struct {
	DatabaseURL           string
	RedisURL              string
	AnthropicAPIKey       string
	AnthropicBaseURL      string
	AnthropicModel        string
	PostmarkServerToken   string
	PostmarkAPIURL        string
	SMTPURL               string
	MailFrom              string
	StripeSecretKey       string
	StripeWebhookSecret   string
	StripeAPIBase         string
	PublicURL             string
	Addr                  string
	ChatRatePerMin        int
	EscalationRatePerHour int
	TrustedProxies        []netip.Prefix
	PlatformFeePercent    int
	// DevMode allows the dev mailbox and the test-mode checkout on a
	// PUBLIC_URL that is not this machine (DEV_MODE=true), for a trial.
	DevMode bool
	// MetricsAddr is where Prometheus's /metrics is served; empty: nowhere.
	// It is never the public port.
	MetricsAddr string
}

// LoadConfig reads the configuration through getenv. Errors name the
// variable and say what it must look like.
func LoadConfig(getenv func(string) string) (*Config, error) {
	c := &Config{
		DatabaseURL:         getenv("DATABASE_URL"),
		RedisURL:            getenv("REDIS_URL"),
		AnthropicAPIKey:     getenv("ANTHROPIC_API_KEY"),
		AnthropicBaseURL:    getenv("ANTHROPIC_BASE_URL"),
		AnthropicModel:      getenv("ANTHROPIC_MODEL"),
		PostmarkServerToken: getenv("POSTMARK_SERVER_TOKEN"),
		PostmarkAPIURL:      getenv("POSTMARK_API_URL"),
		SMTPURL:             getenv("SMTP_URL"),
		MailFrom:            or(getenv("MAIL_FROM"), "Frontdesk <bookings@frontdesk.localhost>"),
		StripeSecretKey:     getenv("STRIPE_SECRET_KEY"),
		StripeWebhookSecret: getenv("STRIPE_WEBHOOK_SECRET"),
		StripeAPIBase:       getenv("STRIPE_API_BASE"),
		Addr:                or(getenv("ADDR"), ":8080"),
		MetricsAddr:         getenv("METRICS_ADDR"),
	}
	// Unset, PUBLIC_URL is this machine on the port of ADDR.
	c.PublicURL = strings.TrimRight(or(getenv("PUBLIC_URL"), "http://localhost:"+defaultPort(c.Addr)), "/")
	var err error
	if c.DevMode, err = parseBool(getenv("DEV_MODE")); err != nil {
		return nil, fmt.Errorf("DEV_MODE must be true or false (or 1 or 0), not %q", getenv("DEV_MODE"))
	}
	if c.ChatRatePerMin, err = positiveInt(getenv, "CHAT_RATE_LIMIT_PER_MIN", 20); err != nil || c.ChatRatePerMin < 1 {
		return nil, fmt.Errorf("CHAT_RATE_LIMIT_PER_MIN must be a whole number of at least 1, not %q", getenv("CHAT_RATE_LIMIT_PER_MIN"))
	}
	if c.EscalationRatePerHour, err = positiveInt(getenv, "ESCALATION_RATE_LIMIT_PER_HOUR", 3); err != nil || c.EscalationRatePerHour < 1 {
		return nil, fmt.Errorf("ESCALATION_RATE_LIMIT_PER_HOUR must be a whole number of at least 1, not %q", getenv("ESCALATION_RATE_LIMIT_PER_HOUR"))
	}
	if c.PlatformFeePercent, err = positiveInt(getenv, "PLATFORM_FEE_PERCENT", 0); err != nil {
		return nil, err
	}
	if u, err := url.Parse(c.PublicURL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("PUBLIC_URL must be an absolute http(s) URL such as https://bookings.example.com, not %q", maskURL(c.PublicURL))
	}
	for _, name := range []struct{ key, val string }{{"ANTHROPIC_BASE_URL", c.AnthropicBaseURL}, {"POSTMARK_API_URL", c.PostmarkAPIURL}, {"STRIPE_API_BASE", c.StripeAPIBase}} {
		if name.val == "" {
			continue
		}
		if u, err := url.Parse(name.val); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return nil, fmt.Errorf("%s must be an absolute http(s) URL, not %q", name.key, maskURL(name.val))
		}
	}
	if c.RedisURL != "" {
		if u, err := url.Parse(c.RedisURL); err != nil || (u.Scheme != "redis" && u.Scheme != "rediss") {
			return nil, fmt.Errorf("REDIS_URL must look like redis://[:password@]host:6379[/db], not %q", maskURL(c.RedisURL))
		}
	}
	if c.SMTPURL != "" {
		if u, err := url.Parse(c.SMTPURL); err != nil || (u.Scheme != "smtp" && u.Scheme != "smtps") || u.Host == "" {
			return nil, fmt.Errorf("SMTP_URL must look like smtp://user:password@host:587 or smtps://..., not %q", maskURL(c.SMTPURL))
		}
	}
	if err := checkDatabaseURL(c.DatabaseURL); err != nil {
		return nil, err
	}
	if c.MetricsAddr != "" {
		if err := checkMetricsAddr(c.MetricsAddr, c.Addr); err != nil {
			return nil, err
		}
	}
	if c.StripeSecretKey != "" && c.StripeWebhookSecret == "" {
		return nil, fmt.Errorf("STRIPE_WEBHOOK_SECRET must be set with STRIPE_SECRET_KEY, or payments would never be confirmed")
	}
	for _, s := range strings.Split(getenv("TRUSTED_PROXIES"), ",") {
		s = strings.TrimSpace(s)
		if s == "" {
			continue
		}
		p, err := netip.ParsePrefix(s)
		if err != nil {
			a, aerr := netip.ParseAddr(s)
			if aerr != nil {
				return nil, fmt.Errorf("TRUSTED_PROXIES must be a comma-separated list of CIDRs such as 10.0.0.0/8; %q is not one", s)
			}
			p = netip.PrefixFrom(a, a.BitLen())
		}
		c.TrustedProxies = append(c.TrustedProxies, p)
	}
	return c, nil
}

// checkDatabaseURL accepts what the store can open: nothing (the default
// SQLite file), a postgres:// URL, or a plausible SQLite file path. Anything
// else is a mistake to report now, not a file to create with that name.
func checkDatabaseURL(raw string) error {
	if raw == "" {
		return nil
	}
	if (&Config{DatabaseURL: raw}).IsPostgres() {
		if _, err := url.Parse(raw); err != nil {
			return fmt.Errorf("DATABASE_URL is not a valid PostgreSQL URL (postgres://user:password@host:5432/db): %q", maskURL(raw))
		}
		return nil
	}
	if i := strings.Index(raw, "://"); i >= 0 {
		if scheme := raw[:i]; validScheme(scheme) {
			return fmt.Errorf("DATABASE_URL must be a postgres:// URL or a SQLite file path, not a %s:// URL", scheme)
		}
		return fmt.Errorf("DATABASE_URL must be a postgres:// URL or a SQLite file path, not %q", maskURL(raw))
	}
	path := strings.TrimPrefix(strings.TrimPrefix(raw, "sqlite:"), "file:")
	if i := strings.IndexByte(path, '?'); i >= 0 {
		path = path[:i]
	}
	if path == ":memory:" {
		return nil
	}
	bad := path == "" || strings.Contains(path, "::") || strings.HasPrefix(path, ":") || strings.HasSuffix(path, ":") ||
		strings.HasSuffix(path, "/") || strings.TrimSpace(path) != path
	for _, r := range path {
		bad = bad || r < 0x20 || r == 0x7f
	}
	if bad {
		return fmt.Errorf("DATABASE_URL must be a postgres:// URL or a SQLite file path such as data/frontdesk.db, not %q", maskURL(raw))
	}
	return nil
}

// validScheme reports whether s is a URL scheme (RFC 3986: a letter, then
// letters, digits, +, - or .).
func validScheme(s string) bool {
	for i, r := range s {
		letter := r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z'
		if !letter && (i == 0 || !(r >= '0' && r <= '9' || r == '+' || r == '-' || r == '.')) {
			return false
		}
	}
	return s != ""
}

// checkMetricsAddr checks METRICS_ADDR is a listen address apart from the
// public one: metrics tell the world about the business otherwise.
func checkMetricsAddr(metrics, public string) error {
	mh, mp, err := net.SplitHostPort(metrics)
	if err != nil || mp == "" {
		return fmt.Errorf("METRICS_ADDR must be a listen address such as 127.0.0.1:9090 or :9090, not %q", metrics)
	}
	if n, err := strconv.Atoi(mp); err != nil || n < 0 || n > 65535 {
		return fmt.Errorf("METRICS_ADDR must be a listen address such as 127.0.0.1:9090 or :9090, not %q", metrics)
	}
	ph, pp, err := net.SplitHostPort(public)
	if err != nil {
		return nil // ADDR's own error is reported when listening
	}
	anyHost := func(h string) bool { return h == "" || h == "0.0.0.0" || h == "::" }
	if mp == pp && mp != "0" && (mh == ph || anyHost(mh) || anyHost(ph)) {
		return fmt.Errorf("METRICS_ADDR (%s) must not be the public port of ADDR (%s): metrics are for your monitoring only; use another port such as 127.0.0.1:9090", metrics, public)
	}
	return nil
}

// IsPostgres reports whether DATABASE_URL names a PostgreSQL database
// (otherwise it is a SQLite file).
func (c *Config) IsPostgres() bool {
	return strings.HasPrefix(c.DatabaseURL, "postgres://") || strings.HasPrefix(c.DatabaseURL, "postgresql://")
}

// LocalPublicURL reports whether PUBLIC_URL points at this machine, where
// the dev mailbox and the test-mode checkout are expected.
func (c *Config) LocalPublicURL() bool { return localURL(c.PublicURL) }

// MissingProviders names what a deployment on a public address lacks: an
// email provider and Stripe. Empty when both are set.
func (c *Config) MissingProviders() []string {
	var missing []string
	if c.PostmarkServerToken == "" && c.SMTPURL == "" {
		missing = append(missing, "an email provider (POSTMARK_SERVER_TOKEN, or SMTP_URL)")
	}
	if c.StripeSecretKey == "" {
		missing = append(missing, "Stripe (STRIPE_SECRET_KEY and STRIPE_WEBHOOK_SECRET)")
	}
	return missing
}

// CheckServe applies the production rule before serving: the dev mailbox
// (every customer's emails, readable by anyone) and the test-mode checkout
// (marks bookings paid without payment) exist only on this machine or with
// DEV_MODE=true. A non-local PUBLIC_URL without the real providers is an
// error that says exactly what to set.
func (c *Config) CheckServe() error {
	missing := c.MissingProviders()
	if c.DevMode || c.LocalPublicURL() || len(missing) == 0 {
		return nil
	}
	var surfaces, set []string
	if c.PostmarkServerToken == "" && c.SMTPURL == "" {
		surfaces = append(surfaces, "the dev mailbox at /dev/mail would show every customer's emails to anyone")
		set = append(set, "POSTMARK_SERVER_TOKEN or SMTP_URL")
	}
	if c.StripeSecretKey == "" {
		surfaces = append(surfaces, "the test-mode checkout would mark bookings paid without payment")
		set = append(set, "STRIPE_SECRET_KEY and STRIPE_WEBHOOK_SECRET")
	}
	return fmt.Errorf("PUBLIC_URL %s is not this machine, and without %s %s. Set %s; or, for a trial, set DEV_MODE=true to allow it",
		maskURL(c.PublicURL), strings.Join(missing, " or "), strings.Join(surfaces, ", and "), strings.Join(set, ", and "))
}

// parseBool reads a strict boolean: true, false, 1 or 0 (any case); empty
// is false.
func parseBool(v string) (bool, error) {
	switch strings.ToLower(strings.TrimSpace(v)) {
	case "", "false", "0":
		return false, nil
	case "true", "1":
		return true, nil
	}
	return false, fmt.Errorf("not a boolean: %q", v)
}

// maskURL returns raw with the credentials hidden, for error messages and
// logs: the user:password part becomes "***", as do the values of query
// parameters that name a password, secret, token or key. It works on text
// that is not a valid URL too, since that is when it is shown: everything
// before the last @ is taken for credentials (a password may hold / ? or #),
// which may hide a little more than needed but never a secret.
func maskURL(raw string) string {
	rest, scheme := raw, ""
	if i := strings.Index(raw, "://"); i >= 0 {
		scheme, rest = raw[:i+3], raw[i+3:]
	}
	if at := strings.LastIndex(rest, "@"); at >= 0 {
		rest = "***" + rest[at:]
	}
	if q := strings.IndexByte(rest, '?'); q >= 0 {
		query, frag := rest[q+1:], ""
		if h := strings.IndexByte(query, '#'); h >= 0 {
			query, frag = query[:h], query[h:]
		}
		parts := strings.Split(query, "&")
		for i, p := range parts {
			k, _, ok := strings.Cut(p, "=")
			lk := strings.ToLower(k)
			if ok && (strings.Contains(lk, "pass") || strings.Contains(lk, "secret") || strings.Contains(lk, "token") || strings.Contains(lk, "key")) {
				parts[i] = k + "=***"
			}
		}
		rest = rest[:q+1] + strings.Join(parts, "&") + frag
	}
	return scheme + rest
}

// defaultPort is the port of a listen address, or 8080 when it has none
// that a browser could use (port 0 is chosen when listening).
func defaultPort(addr string) string {
	_, p, err := net.SplitHostPort(addr)
	if n, perr := strconv.Atoi(p); err != nil || perr != nil || n < 1 || n > 65535 {
		return "8080"
	}
	return p
}

func or(v, def string) string {
	if v == "" {
		return def
	}
	return v
}

func positiveInt(getenv func(string) string, key string, def int) (int, error) {
	v := getenv(key)
	if v == "" {
		return def, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 0 {
		return 0, fmt.Errorf("%s must be a whole number, not %q", key, v)
	}
	return n, nil
}
