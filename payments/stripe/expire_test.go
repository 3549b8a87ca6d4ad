package stripe

import (
	"context"
	"errors"
	"net/http"
	"testing"

	stripego "github.com/stripe/stripe-go/v86"

	"github.com/frontdeskhq/frontdesk"
)

func TestExpireCheckoutStripeMock(t *testing.T) {
	upstream := requireStripeMock(t)
	for _, tc := range []struct{ name, account string }{
		{"connected account", "acct_1TESTCONNECTED"},
		{"platform", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rec := newRecorder(t, upstream)
			c := New(Config{SecretKey: testKey, APIBase: rec.srv.URL})
			tenant := &frontdesk.Tenant{ID: "tn_01JTESTTENANT", StripeAccountID: tc.account}
			if err := c.ExpireCheckout(context.Background(), tenant, "cs_test_a1B2c3"); err != nil {
				t.Fatalf("ExpireCheckout: %v", err)
			}
			reqs := rec.requests()
			if len(reqs) != 1 {
				t.Fatalf("%d requests, want 1: %+v", len(reqs), reqs)
			}
			r := reqs[0]
			if r.Method != http.MethodPost || r.Path != "/v1/checkout/sessions/cs_test_a1B2c3/expire" {
				t.Errorf("request = %s %s", r.Method, r.Path)
			}
			v, ok := r.Header["Stripe-Account"]
			switch {
			case tc.account != "" && r.Header.Get("Stripe-Account") != tc.account:
				t.Errorf("Stripe-Account = %q, want %q", v, tc.account)
			case tc.account == "" && ok:
				t.Errorf("Stripe-Account = %q, want none", v)
			}
			if len(r.Form) != 0 {
				t.Errorf("form = %v, want empty", r.Form)
			}
		})
	}
}

// notOpen is Stripe's answer to expiring a session that is not open: a 400
// without an error code.
func notOpen(status string) fakeReply {
	return fakeReply{http.StatusBadRequest, stripeErr("invalid_request_error", "",
		"Only Checkout Sessions with a status in [\"open\"] can be expired. This Checkout Session has a status of `"+status+"`.")}
}

func sessionJSON(status, paymentStatus string) fakeReply {
	return fakeReply{http.StatusOK, map[string]any{
		"id": "cs_test_a1B2c3", "object": "checkout.session", "mode": "payment",
		"status": status, "payment_status": paymentStatus, "url": nil,
	}}
}

func TestExpireCheckoutNotOpen(t *testing.T) {
	const expire, retrieve = "POST /v1/checkout/sessions/cs_test_a1B2c3/expire", "GET /v1/checkout/sessions/cs_test_a1B2c3"
	for _, tc := range []struct {
		name     string
		routes   map[string]fakeReply
		wantErr  bool
		wantPaid bool
		calls    int
	}{
		{"already expired", map[string]fakeReply{expire: notOpen("expired"), retrieve: sessionJSON("expired", "unpaid")}, false, false, 2},
		{"paid", map[string]fakeReply{expire: notOpen("complete"), retrieve: sessionJSON("complete", "paid")}, true, true, 2},
		// A bank debit: complete, money on its way; it cannot be stopped.
		{"complete, payment processing", map[string]fakeReply{expire: notOpen("complete"), retrieve: sessionJSON("complete", "unpaid")}, true, true, 2},
		{"refused while open", map[string]fakeReply{expire: notOpen("open"), retrieve: sessionJSON("open", "unpaid")}, true, false, 2},
		{"refused, then unreadable", map[string]fakeReply{expire: notOpen("expired")}, true, false, 2},
		{"no such session", map[string]fakeReply{}, true, false, 1},
		{"expired now", map[string]fakeReply{expire: sessionJSON("expired", "unpaid")}, false, false, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			fake := newStripeFake(t, tc.routes)
			c := New(Config{SecretKey: testKey, APIBase: fake.srv.URL})
			err := c.ExpireCheckout(context.Background(), &frontdesk.Tenant{StripeAccountID: "acct_1TESTCONNECTED"}, "cs_test_a1B2c3")
			if (err != nil) != tc.wantErr {
				t.Fatalf("err = %v, want error %v", err, tc.wantErr)
			}
			if got := errors.Is(err, frontdesk.ErrCheckoutPaid); got != tc.wantPaid {
				t.Errorf("errors.Is(%v, ErrCheckoutPaid) = %v, want %v", err, got, tc.wantPaid)
			}
			if tc.wantErr && !tc.wantPaid {
				var se *stripego.Error
				if !errors.As(err, &se) {
					t.Errorf("err = %v, want it to wrap Stripe's error", err)
				}
			}
			reqs := fake.requests()
			if len(reqs) != tc.calls {
				t.Fatalf("%d requests, want %d: %+v", len(reqs), tc.calls, reqs)
			}
			for _, r := range reqs {
				if got := r.Header.Get("Stripe-Account"); got != "acct_1TESTCONNECTED" {
					t.Errorf("%s %s: Stripe-Account = %q", r.Method, r.Path, got)
				}
			}
		})
	}
}

func TestExpireCheckoutInvalid(t *testing.T) {
	rec := newRecorder(t, "")
	if err := New(Config{SecretKey: testKey, APIBase: rec.srv.URL}).ExpireCheckout(context.Background(), nil, " "); err == nil {
		t.Error("no session id: no error")
	}
	if err := New(Config{APIBase: rec.srv.URL}).ExpireCheckout(context.Background(), nil, "cs_test_x"); err == nil {
		t.Error("no secret key: no error")
	}
	if n := len(rec.requests()); n != 0 {
		t.Errorf("%d requests, want 0", n)
	}
}
