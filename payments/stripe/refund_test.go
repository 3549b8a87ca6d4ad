package stripe

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	stripego "github.com/stripe/stripe-go/v86"

	"github.com/frontdeskhq/frontdesk"
)

func testRefundRequest(account string) frontdesk.RefundRequest {
	return frontdesk.RefundRequest{
		Tenant: &frontdesk.Tenant{ID: "tn_01JTESTTENANT", Currency: "usd", StripeAccountID: account},
		Booking: &frontdesk.Booking{
			ID:               "bk_01JTESTBOOKING",
			TenantID:         "tn_01JTESTTENANT",
			TotalPriceCents:  12500,
			Currency:         "usd",
			ConfirmationCode: "BK-7KQ2ZD",
			PaymentIntentID:  "pi_3TESTPAYMENT",
		},
		Refund: &frontdesk.Refund{
			ID:          "rf_01JTESTREFUND",
			TenantID:    "tn_01JTESTTENANT",
			BookingID:   "bk_01JTESTBOOKING",
			AmountCents: 6250,
			Currency:    "usd",
			Status:      frontdesk.RefundPending,
		},
	}
}

// creates returns the POST /v1/refunds among reqs.
func creates(reqs []recordedRequest) []recordedRequest {
	var out []recordedRequest
	for _, r := range reqs {
		if r.Method == http.MethodPost && r.Path == "/v1/refunds" {
			out = append(out, r)
		}
	}
	return out
}

// TestRefundStripeMock sends the refund to stripe-mock itself, which checks
// every parameter against Stripe's OpenAPI spec (an unknown one is a 400).
func TestRefundStripeMock(t *testing.T) {
	base := requireStripeMock(t)
	c := New(Config{SecretKey: testKey, APIBase: base})
	for _, tc := range []struct{ name, account string }{
		{"platform", ""},
		{"connected account", "acct_1TESTCONNECTED"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res, err := c.Refund(context.Background(), testRefundRequest(tc.account))
			if err != nil {
				t.Fatalf("Refund: %v", err)
			}
			if !strings.HasPrefix(res.ProviderRefundID, "re_") {
				t.Errorf("ProviderRefundID = %q, want re_...", res.ProviderRefundID)
			}
			// stripe-mock's fixture refund is succeeded; real Stripe may
			// also answer pending or requires_action.
			if res.Status != "succeeded" {
				t.Errorf("Status = %q, want succeeded", res.Status)
			}
		})
	}
	t.Run("unknown parameter refused", func(t *testing.T) {
		p, err := c.refundParams(testRefundRequest("acct_1TESTCONNECTED"))
		if err != nil {
			t.Fatal(err)
		}
		p.AddExtra("no_such_parameter", "1")
		_, err = c.sc.V1Refunds.Create(context.Background(), p)
		var se *stripego.Error
		if !errors.As(err, &se) || se.HTTPStatusCode != http.StatusBadRequest {
			t.Fatalf("err = %v, want a 400 from stripe-mock", err)
		}
	})
}

// TestRefundRequestShape records what reaches stripe-mock.
func TestRefundRequestShape(t *testing.T) {
	upstream := requireStripeMock(t)

	t.Run("connected account", func(t *testing.T) {
		rec := newRecorder(t, upstream)
		c := New(Config{SecretKey: testKey, APIBase: rec.srv.URL})
		req := testRefundRequest("acct_1TESTCONNECTED")
		res, err := c.Refund(context.Background(), req)
		if err != nil {
			t.Fatalf("Refund: %v", err)
		}
		if res.ProviderRefundID == "" || res.Status == "" {
			t.Fatalf("result = %+v", res)
		}
		reqs := rec.requests()
		if len(reqs) != 2 {
			t.Fatalf("%d requests, want 2 (look for an earlier refund, then create): %+v", len(reqs), reqs)
		}

		// First the look-up of an earlier attempt, on the same account.
		l := reqs[0]
		if l.Method != http.MethodGet || l.Path != "/v1/refunds" || l.Query.Get("payment_intent") != "pi_3TESTPAYMENT" {
			t.Errorf("look-up = %s %s?%s", l.Method, l.Path, l.Query.Encode())
		}
		if got := l.Header.Get("Stripe-Account"); got != "acct_1TESTCONNECTED" {
			t.Errorf("look-up Stripe-Account = %q", got)
		}

		r := reqs[1]
		if r.Method != http.MethodPost || r.Path != "/v1/refunds" {
			t.Fatalf("request = %s %s, want POST /v1/refunds", r.Method, r.Path)
		}
		wantHeaders := map[string]string{
			"Idempotency-Key": "refund-rf_01JTESTREFUND",
			"Stripe-Account":  "acct_1TESTCONNECTED",
			"Authorization":   "Bearer " + testKey,
			"Stripe-Version":  stripego.APIVersion,
		}
		for k, v := range wantHeaders {
			if got := r.Header.Get(k); got != v {
				t.Errorf("header %s = %q, want %q", k, got, v)
			}
		}
		wantForm := map[string]string{
			"payment_intent":         "pi_3TESTPAYMENT",
			"amount":                 "6250",
			"reason":                 "requested_by_customer",
			"refund_application_fee": "true",
			"metadata[bookingId]":    "bk_01JTESTBOOKING",
			"metadata[tenantId]":     "tn_01JTESTTENANT",
			"metadata[refundId]":     "rf_01JTESTREFUND",
		}
		for k, v := range wantForm {
			if got := r.Form[k]; len(got) != 1 || got[0] != v {
				t.Errorf("form %s = %q, want %q", k, got, v)
			}
		}
		if len(r.Form) != len(wantForm) {
			t.Errorf("form has %d fields, want %d: %v", len(r.Form), len(wantForm), r.Form)
		}
	})

	t.Run("platform account", func(t *testing.T) {
		rec := newRecorder(t, upstream)
		c := New(Config{SecretKey: testKey, APIBase: rec.srv.URL, PlatformFeePercent: 10})
		if _, err := c.Refund(context.Background(), testRefundRequest("")); err != nil {
			t.Fatalf("Refund: %v", err)
		}
		for _, r := range rec.requests() {
			if v, ok := r.Header["Stripe-Account"]; ok {
				t.Errorf("%s %s: Stripe-Account header = %q, want none", r.Method, r.Path, v)
			}
		}
		cs := creates(rec.requests())
		if len(cs) != 1 {
			t.Fatalf("%d creates, want 1", len(cs))
		}
		// No application fee on the platform's own charges.
		if v, ok := cs[0].Form["refund_application_fee"]; ok {
			t.Errorf("refund_application_fee = %q, want none", v)
		}
		if got := cs[0].Header.Get("Idempotency-Key"); got != "refund-rf_01JTESTREFUND" {
			t.Errorf("Idempotency-Key = %q", got)
		}
	})

	t.Run("the same refund twice sends the same key and parameters", func(t *testing.T) {
		rec := newRecorder(t, upstream)
		c := New(Config{SecretKey: testKey, APIBase: rec.srv.URL})
		req := testRefundRequest("acct_1TESTCONNECTED")
		for range 2 {
			if _, err := c.Refund(context.Background(), req); err != nil {
				t.Fatalf("Refund: %v", err)
			}
		}
		cs := creates(rec.requests())
		if len(cs) != 2 {
			t.Fatalf("%d creates, want 2 (stripe-mock keeps no refunds to find)", len(cs))
		}
		if a, b := cs[0].Header.Get("Idempotency-Key"), cs[1].Header.Get("Idempotency-Key"); a != b || a != "refund-rf_01JTESTREFUND" {
			t.Errorf("idempotency keys %q and %q, want both refund-rf_01JTESTREFUND", a, b)
		}
		if a, b := cs[0].Form.Encode(), cs[1].Form.Encode(); a != b {
			t.Errorf("the retry changed the parameters (Stripe would refuse the key):\n%s\n%s", a, b)
		}
	})

	t.Run("another refund of the same booking has its own key", func(t *testing.T) {
		rec := newRecorder(t, upstream)
		c := New(Config{SecretKey: testKey, APIBase: rec.srv.URL})
		second := testRefundRequest("")
		second.Refund.ID = "rf_01JSECONDREFUND"
		for _, req := range []frontdesk.RefundRequest{testRefundRequest(""), second} {
			if _, err := c.Refund(context.Background(), req); err != nil {
				t.Fatalf("Refund: %v", err)
			}
		}
		cs := creates(rec.requests())
		if len(cs) != 2 || cs[0].Header.Get("Idempotency-Key") == cs[1].Header.Get("Idempotency-Key") {
			t.Errorf("creates = %+v, want two with different keys", cs)
		}
	})
}

func TestRefundInvalidRequest(t *testing.T) {
	rec := newRecorder(t, "")
	c := New(Config{SecretKey: testKey, APIBase: rec.srv.URL})

	mod := func(f func(*frontdesk.RefundRequest)) frontdesk.RefundRequest {
		r := testRefundRequest("acct_1TESTCONNECTED")
		f(&r)
		return r
	}
	for _, tc := range []struct {
		name    string
		req     frontdesk.RefundRequest
		mention string
	}{
		{"no payment intent", mod(func(r *frontdesk.RefundRequest) { r.Booking.PaymentIntentID = "" }), "no payment intent"},
		{"no booking", mod(func(r *frontdesk.RefundRequest) { r.Booking = nil }), "no booking"},
		{"no refund", mod(func(r *frontdesk.RefundRequest) { r.Refund = nil }), "no refund id"},
		{"no refund id", mod(func(r *frontdesk.RefundRequest) { r.Refund.ID = "" }), "no refund id"},
		{"zero amount", mod(func(r *frontdesk.RefundRequest) { r.Refund.AmountCents = 0 }), "not positive"},
		{"above the price", mod(func(r *frontdesk.RefundRequest) { r.Refund.AmountCents = 12501 }), "exceeds"},
		{"other currency", mod(func(r *frontdesk.RefundRequest) { r.Refund.Currency = "eur" }), "currency"},
		{"another tenant", mod(func(r *frontdesk.RefundRequest) { r.Tenant.ID = "tn_01JOTHERTENANT" }), "belongs to tenant"},
		{"refund of another tenant", mod(func(r *frontdesk.RefundRequest) { r.Refund.TenantID = "tn_01JOTHERTENANT" }), "belongs to tenant"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := c.Refund(context.Background(), tc.req)
			if err == nil {
				t.Fatal("no error")
			}
			if !strings.Contains(err.Error(), tc.mention) {
				t.Errorf("err = %q, want it to say %q", err, tc.mention)
			}
		})
	}
	if _, err := New(Config{APIBase: rec.srv.URL}).Refund(context.Background(), testRefundRequest("")); err == nil {
		t.Error("no secret key: no error")
	}
	if n := len(rec.requests()); n != 0 {
		t.Errorf("%d requests sent for invalid input, want 0", n)
	}
}

// stripeFake answers the Stripe API through handlers keyed by "METHOD
// /path", and counts the calls; it speaks the wire protocol for the cases
// stateless stripe-mock cannot play (an earlier refund, a session already
// expired or paid, a refusal).
type stripeFake struct {
	srv   *httptest.Server
	mu    sync.Mutex
	calls []recordedRequest
}

type fakeReply struct {
	status int
	body   any
}

func newStripeFake(t *testing.T, routes map[string]fakeReply) *stripeFake {
	t.Helper()
	f := &stripeFake{}
	f.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		f.mu.Lock()
		f.calls = append(f.calls, recordedRequest{Method: r.Method, Path: r.URL.Path, Query: r.URL.Query(), Header: r.Header.Clone()})
		f.mu.Unlock()
		reply, ok := routes[r.Method+" "+r.URL.Path]
		if !ok {
			reply = fakeReply{http.StatusNotFound, stripeErr("invalid_request_error", "resource_missing", "Unrecognized request URL ("+r.Method+": "+r.URL.Path+").")}
		}
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Request-Id", "req_fake")
		w.WriteHeader(reply.status)
		_ = json.NewEncoder(w).Encode(reply.body)
	}))
	t.Cleanup(f.srv.Close)
	return f
}

func (f *stripeFake) requests() []recordedRequest {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]recordedRequest(nil), f.calls...)
}

func stripeErr(typ, code, msg string) map[string]any {
	e := map[string]any{"type": typ, "message": msg}
	if code != "" {
		e["code"] = code
	}
	return map[string]any{"error": e}
}

func refundJSON(id, status string, meta map[string]string) map[string]any {
	return map[string]any{
		"id": id, "object": "refund", "amount": 6250, "currency": "usd", "status": status,
		"payment_intent": "pi_3TESTPAYMENT", "charge": "ch_3TESTPAYMENT", "metadata": meta,
		"reason": "requested_by_customer", "created": 1700000000,
	}
}

func TestRefundFindsAnEarlierAttempt(t *testing.T) {
	// Stripe forgets an idempotency key after 24 hours; the refund made by
	// an attempt whose answer was lost is then found by its metadata.
	fake := newStripeFake(t, map[string]fakeReply{
		"GET /v1/refunds": {http.StatusOK, map[string]any{
			"object": "list", "url": "/v1/refunds", "has_more": false,
			"data": []any{
				refundJSON("re_other", "succeeded", map[string]string{"refundId": "rf_01JOTHER"}),
				refundJSON("re_earlier", "pending", map[string]string{"refundId": "rf_01JTESTREFUND", "bookingId": "bk_01JTESTBOOKING"}),
			},
		}},
	})
	c := New(Config{SecretKey: testKey, APIBase: fake.srv.URL})
	res, err := c.Refund(context.Background(), testRefundRequest("acct_1TESTCONNECTED"))
	if err != nil {
		t.Fatalf("Refund: %v", err)
	}
	if want := (frontdesk.RefundResult{ProviderRefundID: "re_earlier", Status: "pending"}); *res != want {
		t.Errorf("result = %+v, want %+v", *res, want)
	}
	reqs := fake.requests()
	if len(reqs) != 1 || reqs[0].Method != http.MethodGet {
		t.Fatalf("requests = %+v, want the look-up only", reqs)
	}
	if got := reqs[0].Header.Get("Stripe-Account"); got != "acct_1TESTCONNECTED" {
		t.Errorf("look-up Stripe-Account = %q", got)
	}
}

func TestRefundStripeError(t *testing.T) {
	fake := newStripeFake(t, map[string]fakeReply{
		"GET /v1/refunds": {http.StatusOK, map[string]any{"object": "list", "url": "/v1/refunds", "has_more": false, "data": []any{}}},
		"POST /v1/refunds": {http.StatusBadRequest, stripeErr("invalid_request_error", "charge_already_refunded",
			"Charge ch_3TESTPAYMENT has already been refunded.")},
	})
	c := New(Config{SecretKey: testKey, APIBase: fake.srv.URL})
	_, err := c.Refund(context.Background(), testRefundRequest(""))
	var se *stripego.Error
	if !errors.As(err, &se) {
		t.Fatalf("err = %v, want a *stripe.Error", err)
	}
	if se.Code != stripego.ErrorCodeChargeAlreadyRefunded || se.HTTPStatusCode != http.StatusBadRequest {
		t.Errorf("stripe error = %+v", se)
	}
	if !strings.Contains(err.Error(), "rf_01JTESTREFUND") || !strings.Contains(err.Error(), "bk_01JTESTBOOKING") {
		t.Errorf("err = %q, want it to name the refund and the booking", err)
	}
	if n := len(creates(fake.requests())); n != 1 {
		t.Errorf("%d creates, want 1 (a 400 is not retried)", n)
	}
}

func TestRefundLookupFails(t *testing.T) {
	fake := newStripeFake(t, map[string]fakeReply{
		"GET /v1/refunds": {http.StatusUnauthorized, stripeErr("invalid_request_error", "", "Invalid API Key provided.")},
	})
	c := New(Config{SecretKey: testKey, APIBase: fake.srv.URL})
	if _, err := c.Refund(context.Background(), testRefundRequest("")); err == nil {
		t.Fatal("no error")
	}
	if n := len(creates(fake.requests())); n != 0 {
		t.Errorf("%d creates after a failed look-up, want 0", n)
	}
}
