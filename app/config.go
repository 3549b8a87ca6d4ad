// Package app wires Frontdesk together from its configuration: the store,
// the assistant, mail, payments, jobs and the HTTP server. The binary and
// the end-to-end tests build the same thing through it.
package app

import (
	"fmt"
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
		PublicURL:           strings.TrimRight(or(getenv("PUBLIC_URL"), "http://localhost:8080"), "/"),
		Addr:                or(getenv("ADDR"), ":8080"),
	}
	var err error
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
		return nil, fmt.Errorf("PUBLIC_URL must be an absolute http(s) URL such as https://bookings.example.com, not %q", c.PublicURL)
	}
	for _, name := range []struct{ key, val string }{{"ANTHROPIC_BASE_URL", c.AnthropicBaseURL}, {"POSTMARK_API_URL", c.PostmarkAPIURL}, {"STRIPE_API_BASE", c.StripeAPIBase}} {
		if name.val == "" {
			continue
		}
		if u, err := url.Parse(name.val); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return nil, fmt.Errorf("%s must be an absolute http(s) URL, not %q", name.key, name.val)
		}
	}
	if c.RedisURL != "" && !strings.HasPrefix(c.RedisURL, "redis://") && !strings.HasPrefix(c.RedisURL, "rediss://") {
		return nil, fmt.Errorf("REDIS_URL must look like redis://host:6379")
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
