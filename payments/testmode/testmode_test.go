package testmode

import (
	"context"
	"testing"

	"github.com/frontdeskhq/frontdesk"
)

func TestExpireCheckout(t *testing.T) {
	p := &Payments{PublicURL: "http://localhost:8080"}
	for _, tenant := range []*frontdesk.Tenant{nil, {ID: "tn_1", StripeAccountID: "acct_1"}} {
		if err := p.ExpireCheckout(context.Background(), tenant, SessionID("bk_1")); err != nil {
			t.Errorf("ExpireCheckout: %v", err)
		}
	}
}

func TestRefund(t *testing.T) {
	p := &Payments{PublicURL: "http://localhost:8080"}
	req := frontdesk.RefundRequest{
		Tenant:  &frontdesk.Tenant{ID: "tn_1"},
		Booking: &frontdesk.Booking{ID: "bk_1", TenantID: "tn_1", PaymentIntentID: "pi_test_bk_1", TotalPriceCents: 5000},
		Refund:  &frontdesk.Refund{ID: "rf_1", AmountCents: 2500},
	}
	for range 2 { // the same answer every time, like an idempotent provider
		res, err := p.Refund(context.Background(), req)
		if err != nil {
			t.Fatalf("Refund: %v", err)
		}
		if want := (frontdesk.RefundResult{ProviderRefundID: "re_test_rf_1", Status: "succeeded"}); *res != want {
			t.Errorf("result = %+v, want %+v", *res, want)
		}
	}

	for name, bad := range map[string]frontdesk.RefundRequest{
		"no payment intent": {Booking: &frontdesk.Booking{ID: "bk_1"}, Refund: req.Refund},
		"no booking":        {Refund: req.Refund},
		"no refund":         {Booking: req.Booking},
		"no refund id":      {Booking: req.Booking, Refund: &frontdesk.Refund{AmountCents: 1}},
	} {
		if _, err := p.Refund(context.Background(), bad); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
}

func TestCreateCheckout(t *testing.T) {
	p := &Payments{PublicURL: "http://localhost:8080/"}
	co, err := p.CreateCheckout(context.Background(), frontdesk.CheckoutRequest{Booking: &frontdesk.Booking{ID: "bk_1"}})
	if err != nil {
		t.Fatal(err)
	}
	if co.SessionID != "cs_test_bk_1" || co.URL != "http://localhost:8080/checkout/test/bk_1" {
		t.Errorf("checkout = %+v", co)
	}
}
