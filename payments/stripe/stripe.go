// Package stripe is the Stripe adapter of frontdesk.Payments: it creates and
// expires hosted Checkout Sessions and makes refunds through the official
// stripe-go client, and turns signed webhook deliveries into
// frontdesk.PaymentEvent values.
package stripe

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	stripego "github.com/stripe/stripe-go/v86"

	"github.com/frontdeskhq/frontdesk"
)

// DefaultTimeout bounds one HTTP attempt against Stripe when Config.HTTPClient
// is nil.
const DefaultTimeout = 15 * time.Second

// maxNetworkRetries is how often the SDK retries a failed request (network
// error, 409, 5xx). Retries reuse the idempotency key, so they are safe.
const maxNetworkRetries = 1

// Config configures a Client.
type Config struct {
	// SecretKey is the platform's sk_... key (STRIPE_SECRET_KEY).
	SecretKey string
	// APIBase overrides the API base URL (STRIPE_API_BASE), e.g. a local
	// stripe-mock at http://127.0.0.1:12111. Empty means Stripe itself.
	APIBase string
	// PlatformFeePercent is the platform's application fee, in percent of the
	// total, charged on tenants with a connected account when a request does
	// not set PlatformFeeCents itself. Zero: no fee unless the request sets one.
	PlatformFeePercent int
	// HTTPClient is used for every call. Nil: a client with DefaultTimeout.
	HTTPClient *http.Client
}

// Client creates and expires Stripe Checkout Sessions and makes refunds. It
// implements frontdesk.Payments and is safe for concurrent use.
type Client struct {
	cfg Config
	sc  *stripego.Client
}

var _ frontdesk.Payments = (*Client)(nil)

// New returns a Client for cfg. It makes no network call.
func New(cfg Config) *Client {
	hc := cfg.HTTPClient
	if hc == nil {
		hc = &http.Client{Timeout: DefaultTimeout}
	}
	bc := &stripego.BackendConfig{
		HTTPClient:        hc,
		MaxNetworkRetries: stripego.Int64(maxNetworkRetries),
		// Every failure is returned to the caller, which logs it; the SDK's
		// own stderr logging would only repeat it.
		LeveledLogger: &stripego.LeveledLogger{Level: stripego.LevelNull},
	}
	if base := strings.TrimSpace(cfg.APIBase); base != "" {
		bc.URL = stripego.String(base)
	}
	sc := stripego.NewClient(cfg.SecretKey, stripego.WithBackends(stripego.NewBackendsWithConfig(bc)))
	return &Client{cfg: cfg, sc: sc}
}

// IdempotencyKey is the idempotency key of the checkout session of a booking.
// Stripe keeps keys for 24 hours and answers a repeated key with the first
// session, provided the parameters are the same; different parameters under
// the same key are refused with an idempotency error.
func IdempotencyKey(bookingID string) string { return "checkout-" + bookingID }

// CreateCheckout creates a hosted Checkout Session (mode payment, one line
// item) for req.Booking. For a tenant with a connected account the session is
// created on that account (Stripe-Account header), with the platform's
// application fee. The request is idempotent per booking: calling it again
// with the same request returns the same session.
//
// req.ExpiresAt must lie between 30 minutes and 24 hours ahead (Stripe's
// limits) and must be the same on every retry for a booking, or Stripe
// refuses the repeated idempotency key.
func (c *Client) CreateCheckout(ctx context.Context, req frontdesk.CheckoutRequest) (*frontdesk.Checkout, error) {
	params, err := c.checkoutParams(req)
	if err != nil {
		return nil, err
	}
	s, err := c.sc.V1CheckoutSessions.Create(ctx, params)
	if err != nil {
		return nil, fmt.Errorf("stripe: create checkout session for booking %s: %w", req.Booking.ID, scrub(err))
	}
	if s == nil || s.ID == "" || s.URL == "" {
		return nil, fmt.Errorf("stripe: create checkout session for booking %s: response has no session id or url", req.Booking.ID)
	}
	out := &frontdesk.Checkout{SessionID: s.ID, URL: s.URL, ExpiresAt: req.ExpiresAt}
	if s.ExpiresAt > 0 {
		out.ExpiresAt = time.Unix(s.ExpiresAt, 0).UTC()
	}
	return out, nil
}

// checkoutParams validates req and builds the session's parameters.
func (c *Client) checkoutParams(req frontdesk.CheckoutRequest) (*stripego.CheckoutSessionCreateParams, error) {
	if c.cfg.SecretKey == "" {
		return nil, errors.New("stripe: no secret key configured")
	}
	b := req.Booking
	if b == nil || b.ID == "" {
		return nil, errors.New("stripe: checkout request has no booking")
	}
	if b.TotalPriceCents <= 0 {
		return nil, fmt.Errorf("stripe: booking %s has no price to pay (%d)", b.ID, b.TotalPriceCents)
	}
	tenantID := b.TenantID
	currency := b.Currency
	account := accountOf(req.Tenant)
	if t := req.Tenant; t != nil {
		if tenantID == "" {
			tenantID = t.ID
		}
		if currency == "" {
			currency = t.Currency
		}
	}
	currency = strings.ToLower(strings.TrimSpace(currency))
	if currency == "" {
		return nil, fmt.Errorf("stripe: booking %s has no currency", b.ID)
	}
	name := req.PackageName
	if name == "" {
		name = b.PackageName
	}
	if name == "" {
		name = "Booking " + b.ConfirmationCode
	}

	meta := map[string]string{
		"bookingId":        b.ID,
		"tenantId":         tenantID,
		"confirmationCode": b.ConfirmationCode,
	}
	piMeta := make(map[string]string, len(meta))
	for k, v := range meta {
		piMeta[k] = v
	}

	p := &stripego.CheckoutSessionCreateParams{
		Mode: stripego.String(string(stripego.CheckoutSessionModePayment)),
		LineItems: []*stripego.CheckoutSessionCreateLineItemParams{{
			PriceData: &stripego.CheckoutSessionCreateLineItemPriceDataParams{
				Currency:   stripego.String(currency),
				UnitAmount: stripego.Int64(b.TotalPriceCents),
				ProductData: &stripego.CheckoutSessionCreateLineItemPriceDataProductDataParams{
					Name: stripego.String(name),
				},
			},
			Quantity: stripego.Int64(1),
		}},
		ClientReferenceID: stripego.String(b.ID),
		Metadata:          meta,
		PaymentIntentData: &stripego.CheckoutSessionCreatePaymentIntentDataParams{
			Metadata: piMeta,
		},
	}
	if req.CustomerEmail != "" {
		p.CustomerEmail = stripego.String(req.CustomerEmail)
	}
	if req.SuccessURL != "" {
		p.SuccessURL = stripego.String(req.SuccessURL)
	}
	if req.CancelURL != "" {
		p.CancelURL = stripego.String(req.CancelURL)
	}
	if !req.ExpiresAt.IsZero() {
		p.ExpiresAt = stripego.Int64(req.ExpiresAt.Unix())
	}
	p.SetIdempotencyKey(IdempotencyKey(b.ID))

	if account != "" {
		p.SetStripeAccount(account)
		fee := req.PlatformFeeCents
		if fee <= 0 && c.cfg.PlatformFeePercent > 0 {
			fee = b.TotalPriceCents * int64(c.cfg.PlatformFeePercent) / 100
		}
		if fee > b.TotalPriceCents {
			return nil, fmt.Errorf("stripe: platform fee %d exceeds the total %d of booking %s", fee, b.TotalPriceCents, b.ID)
		}
		if fee > 0 {
			p.PaymentIntentData.ApplicationFeeAmount = stripego.Int64(fee)
		}
	}
	return p, nil
}

// accountOf is the connected account that t's payments are made on, or ""
// for the platform's own account.
func accountOf(t *frontdesk.Tenant) string {
	if t == nil {
		return ""
	}
	return strings.TrimSpace(t.StripeAccountID)
}

// ExpireCheckout expires the open Checkout Session sessionID, on t's
// connected account when it has one, so that it can no longer be paid. A
// session that is already expired is not an error. A complete session (paid,
// or paid by a delayed method whose money is still on its way) returns an
// error wrapping frontdesk.ErrCheckoutPaid, to be tested with errors.Is. Any
// other failure (network, unknown session, another account's session) is
// returned wrapped; the caller may retry it.
func (c *Client) ExpireCheckout(ctx context.Context, t *frontdesk.Tenant, sessionID string) error {
	if c.cfg.SecretKey == "" {
		return errors.New("stripe: no secret key configured")
	}
	sessionID = strings.TrimSpace(sessionID)
	if sessionID == "" {
		return errors.New("stripe: expire checkout: no session id")
	}
	account := accountOf(t)
	p := &stripego.CheckoutSessionExpireParams{}
	if account != "" {
		p.SetStripeAccount(account)
	}
	_, err := c.sc.V1CheckoutSessions.Expire(ctx, sessionID, p)
	if err == nil {
		return nil
	}
	var se *stripego.Error
	if !errors.As(err, &se) || se.HTTPStatusCode != http.StatusBadRequest {
		return fmt.Errorf("stripe: expire checkout session %s: %w", sessionID, scrub(err))
	}
	// Stripe refuses to expire a session that is not open with a 400 that
	// has no error code, only an English message ("Only Checkout Sessions
	// with a status in [\"open\"] can be expired..."). The session itself
	// says which case this is, whatever the wording.
	rp := &stripego.CheckoutSessionRetrieveParams{}
	if account != "" {
		rp.SetStripeAccount(account)
	}
	s, rerr := c.sc.V1CheckoutSessions.Retrieve(ctx, sessionID, rp)
	if rerr != nil {
		return fmt.Errorf("stripe: expire checkout session %s: %w (reading the session failed too: %v)", sessionID, scrub(err), scrub(rerr))
	}
	switch s.Status {
	case stripego.CheckoutSessionStatusExpired:
		return nil
	case stripego.CheckoutSessionStatusComplete:
		return fmt.Errorf("stripe: checkout session %s is complete (payment_status %s): %w", sessionID, s.PaymentStatus, frontdesk.ErrCheckoutPaid)
	}
	return fmt.Errorf("stripe: expire checkout session %s (status %q): %w", sessionID, s.Status, scrub(err))
}
