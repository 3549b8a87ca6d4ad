package stripe

import (
	"context"
	"errors"
	"fmt"
	"strings"

	stripego "github.com/stripe/stripe-go/v86"

	"github.com/frontdeskhq/frontdesk"
)

// RefundIdempotencyKey is the idempotency key of the Stripe refund made for
// frontdesk refund refundID.
func RefundIdempotencyKey(refundID string) string { return "refund-" + refundID }

// Refund refunds req.Refund.AmountCents of the payment req.Booking.PaymentIntentID
// with reason requested_by_customer. For a tenant with a connected account
// the refund is made on that account, where the checkout's charge was made,
// and the platform's application fee is refunded in proportion.
//
// It is safe to call again for the same req.Refund: Stripe answers a repeated
// idempotency key (RefundIdempotencyKey) with the first refund for 24 hours,
// and after that the refund is found by its refundId metadata among the
// payment's refunds before a new one is asked for. So a second call returns
// the same refund, in its current status, even a failed one: trying again
// after a failure needs a new Refund.ID.
//
// Invalid input (no payment intent, no refund id, a non-positive amount or
// one above the booking's price, a tenant that is not the booking's) is an
// error and nothing is sent. Stripe's refusals are returned wrapping
// *stripe.Error: charge_already_refunded, amount_too_large,
// charge_disputed, resource_missing (the payment is not on this account)
// will not succeed on a retry; network errors, 429 and 5xx may.
func (c *Client) Refund(ctx context.Context, req frontdesk.RefundRequest) (*frontdesk.RefundResult, error) {
	p, err := c.refundParams(req)
	if err != nil {
		return nil, err
	}
	r := req.Refund
	prior, err := c.findRefund(ctx, req)
	if err != nil {
		return nil, fmt.Errorf("stripe: refund %s of booking %s: look for an earlier attempt: %w", r.ID, req.Booking.ID, scrub(err))
	}
	if prior != nil {
		return &frontdesk.RefundResult{ProviderRefundID: prior.ID, Status: string(prior.Status)}, nil
	}
	re, err := c.sc.V1Refunds.Create(ctx, p)
	if err != nil {
		return nil, fmt.Errorf("stripe: refund %s of booking %s: %w", r.ID, req.Booking.ID, scrub(err))
	}
	if re == nil || re.ID == "" || re.Status == "" {
		return nil, fmt.Errorf("stripe: refund %s of booking %s: response has no refund id or status", r.ID, req.Booking.ID)
	}
	return &frontdesk.RefundResult{ProviderRefundID: re.ID, Status: string(re.Status)}, nil
}

// findRefund returns the refund an earlier call made for req.Refund, found
// by its refundId metadata among the payment's refunds, or nil. It matters
// once Stripe has forgotten the idempotency key (after 24 hours).
func (c *Client) findRefund(ctx context.Context, req frontdesk.RefundRequest) (*stripego.Refund, error) {
	lp := &stripego.RefundListParams{PaymentIntent: stripego.String(req.Booking.PaymentIntentID)}
	lp.Limit = stripego.Int64(100)
	if account := accountOf(req.Tenant); account != "" {
		lp.SetStripeAccount(account)
	}
	for re, err := range c.sc.V1Refunds.List(ctx, lp).All(ctx) {
		if err != nil {
			return nil, err
		}
		if re != nil && re.Metadata["refundId"] == req.Refund.ID {
			return re, nil
		}
	}
	return nil, nil
}

// refundParams validates req and builds the refund's parameters.
func (c *Client) refundParams(req frontdesk.RefundRequest) (*stripego.RefundCreateParams, error) {
	if c.cfg.SecretKey == "" {
		return nil, errors.New("stripe: no secret key configured")
	}
	b, r := req.Booking, req.Refund
	if b == nil || b.ID == "" {
		return nil, errors.New("stripe: refund request has no booking")
	}
	if r == nil || strings.TrimSpace(r.ID) == "" {
		return nil, fmt.Errorf("stripe: refund request for booking %s has no refund id (the idempotency key)", b.ID)
	}
	pi := strings.TrimSpace(b.PaymentIntentID)
	if pi == "" {
		return nil, fmt.Errorf("stripe: booking %s has no payment intent to refund", b.ID)
	}
	if r.AmountCents <= 0 {
		return nil, fmt.Errorf("stripe: refund %s of booking %s: amount %d is not positive", r.ID, b.ID, r.AmountCents)
	}
	if b.TotalPriceCents > 0 && r.AmountCents > b.TotalPriceCents {
		return nil, fmt.Errorf("stripe: refund %s of booking %s: amount %d exceeds the price %d", r.ID, b.ID, r.AmountCents, b.TotalPriceCents)
	}
	if r.Currency != "" && b.Currency != "" && !strings.EqualFold(r.Currency, b.Currency) {
		return nil, fmt.Errorf("stripe: refund %s of booking %s: currency %s is not the booking's %s", r.ID, b.ID, r.Currency, b.Currency)
	}
	tenantID := b.TenantID
	if tenantID == "" {
		tenantID = r.TenantID
	}
	if t := req.Tenant; t != nil && t.ID != "" {
		if tenantID != "" && t.ID != tenantID {
			// The account comes from the tenant: the wrong one would refund
			// on another business's account, or not find the payment.
			return nil, fmt.Errorf("stripe: refund %s: booking %s belongs to tenant %s, not %s", r.ID, b.ID, tenantID, t.ID)
		}
		tenantID = t.ID
	}
	if r.TenantID != "" && r.TenantID != tenantID {
		return nil, fmt.Errorf("stripe: refund %s belongs to tenant %s, not %s of booking %s", r.ID, r.TenantID, tenantID, b.ID)
	}

	p := &stripego.RefundCreateParams{
		PaymentIntent: stripego.String(pi),
		Amount:        stripego.Int64(r.AmountCents),
		Reason:        stripego.String(string(stripego.RefundReasonRequestedByCustomer)),
		Metadata: map[string]string{
			"bookingId": b.ID,
			"tenantId":  tenantID,
			"refundId":  r.ID,
		},
	}
	p.SetIdempotencyKey(RefundIdempotencyKey(r.ID))
	if account := accountOf(req.Tenant); account != "" {
		// CreateCheckout makes direct charges on the connected account, so
		// the refund is made there too; the platform's fee goes back in
		// proportion (Stripe keeps it otherwise).
		p.SetStripeAccount(account)
		p.RefundApplicationFee = stripego.Bool(true)
	}
	return p, nil
}
