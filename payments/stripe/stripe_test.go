package stripe

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	stripego "github.com/stripe/stripe-go/v86"

	"github.com/frontdeskhq/frontdesk"
)

const testKey = "sk_test_123"

// mockURL returns the stripe-mock base URL and whether it answers.
func mockURL() (string, bool) {
	base := os.Getenv("TEST_STRIPE_MOCK_URL")
	if base == "" {
		base = "http://127.0.0.1:12111"
	}
	base = strings.TrimSuffix(base, "/")
	hc := &http.Client{Timeout: 2 * time.Second}
	req, err := http.NewRequest(http.MethodGet, base+"/v1/balance", nil)
	if err != nil {
		return base, false
	}
	req.Header.Set("Authorization", "Bearer "+testKey)
	resp, err := hc.Do(req)
	if err != nil {
		return base, false
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return base, true
}

// requireStripeMock returns stripe-mock's URL, or skips the test (fails it
// when CI=true) if nothing answers there.
func requireStripeMock(t *testing.T) string {
	t.Helper()
	base, ok := mockURL()
	if !ok {
		msg := "stripe-mock not running on " + base + ": go install github.com/stripe/stripe-mock@v0.203.0 && stripe-mock -http-addr 127.0.0.1:12111 -https-addr 127.0.0.1:12112"
		if os.Getenv("CI") == "true" {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
	return base
}

// recordedRequest is one request the recording server saw.
type recordedRequest struct {
	Method string
	Path   string
	Query  url.Values
	Header http.Header
	Form   url.Values
}

// recorder is an httptest server that records each request and then proxies
// it to stripe-mock, or, when upstream is empty, answers with a canned
// checkout.session that echoes expires_at as Stripe does.
type recorder struct {
	srv  *httptest.Server
	mu   sync.Mutex
	reqs []recordedRequest
}

func newRecorder(t *testing.T, upstream string) *recorder {
	t.Helper()
	r := &recorder{}
	var proxy http.Handler
	if upstream != "" {
		u, err := url.Parse(upstream)
		if err != nil {
			t.Fatal(err)
		}
		proxy = httputil.NewSingleHostReverseProxy(u)
	}
	r.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		body, err := io.ReadAll(req.Body)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		form, err := url.ParseQuery(string(body))
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		r.mu.Lock()
		r.reqs = append(r.reqs, recordedRequest{Method: req.Method, Path: req.URL.Path, Query: req.URL.Query(), Header: req.Header.Clone(), Form: form})
		r.mu.Unlock()
		if proxy != nil {
			req.Body = io.NopCloser(strings.NewReader(string(body)))
			req.ContentLength = int64(len(body))
			proxy.ServeHTTP(w, req)
			return
		}
		exp, _ := strconv.ParseInt(form.Get("expires_at"), 10, 64)
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(map[string]any{
			"id":         "cs_test_canned",
			"object":     "checkout.session",
			"url":        "https://checkout.stripe.com/c/pay/cs_test_canned",
			"expires_at": exp,
			"mode":       "payment",
			"status":     "open",
		})
	}))
	t.Cleanup(r.srv.Close)
	return r
}

func (r *recorder) requests() []recordedRequest {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]recordedRequest(nil), r.reqs...)
}

func testRequest(account string, fee int64) frontdesk.CheckoutRequest {
	return frontdesk.CheckoutRequest{
		Booking: &frontdesk.Booking{
			ID:               "bk_01JTESTBOOKING",
			TenantID:         "tn_01JTESTTENANT",
			TotalPriceCents:  12500,
			Currency:         "usd",
			ConfirmationCode: "BK-7KQ2ZD",
		},
		Tenant: &frontdesk.Tenant{
			ID:              "tn_01JTESTTENANT",
			Currency:        "usd",
			StripeAccountID: account,
		},
		PackageName:      "Family portrait session",
		CustomerEmail:    "ada@example.com",
		SuccessURL:       "http://localhost:8080/checkout/success?booking=bk_01JTESTBOOKING",
		CancelURL:        "http://localhost:8080/checkout/cancel?booking=bk_01JTESTBOOKING",
		ExpiresAt:        time.Now().Add(45 * time.Minute).Truncate(time.Second),
		PlatformFeeCents: fee,
	}
}

// TestCreateCheckoutStripeMock is the real-part test: stripe-mock validates
// every parameter against Stripe's OpenAPI spec and answers 400 to unknown
// ones.
func TestCreateCheckoutStripeMock(t *testing.T) {
	base := requireStripeMock(t)
	c := New(Config{SecretKey: testKey, APIBase: base})

	for _, tc := range []struct {
		name    string
		account string
		fee     int64
	}{
		{"platform", "", 0},
		{"connected account with fee", "acct_1TESTCONNECTED", 1250},
	} {
		t.Run(tc.name, func(t *testing.T) {
			req := testRequest(tc.account, tc.fee)
			co, err := c.CreateCheckout(context.Background(), req)
			if err != nil {
				t.Fatalf("CreateCheckout: %v", err)
			}
			if !strings.HasPrefix(co.SessionID, "cs_") {
				t.Errorf("SessionID = %q, want cs_...", co.SessionID)
			}
			if !strings.HasPrefix(co.URL, "https://") {
				t.Errorf("URL = %q, want an https URL", co.URL)
			}
			// stripe-mock echoes expires_at from the request.
			if !co.ExpiresAt.Equal(req.ExpiresAt) {
				t.Errorf("ExpiresAt = %v, want %v", co.ExpiresAt, req.ExpiresAt)
			}
		})
	}

	// The same parameters plus one stripe-mock does not know are refused,
	// so the passes above do prove the parameters' shape.
	t.Run("unknown parameter refused", func(t *testing.T) {
		p, err := c.checkoutParams(testRequest("acct_1TESTCONNECTED", 1250))
		if err != nil {
			t.Fatal(err)
		}
		p.AddExtra("no_such_parameter", "1")
		_, err = c.sc.V1CheckoutSessions.Create(context.Background(), p)
		var se *stripego.Error
		if !errors.As(err, &se) || se.HTTPStatusCode != http.StatusBadRequest {
			t.Fatalf("err = %v, want a 400 from stripe-mock", err)
		}
	})
}

func TestCreateCheckoutRequestShape(t *testing.T) {
	upstream, ok := mockURL()
	if !ok {
		upstream = "" // canned answers; the stripe-mock test covers validation
		t.Log("stripe-mock not running: answering with a canned checkout.session")
	}

	t.Run("connected account", func(t *testing.T) {
		rec := newRecorder(t, upstream)
		c := New(Config{SecretKey: testKey, APIBase: rec.srv.URL})
		req := testRequest("acct_1TESTCONNECTED", 1250)
		co, err := c.CreateCheckout(context.Background(), req)
		if err != nil {
			t.Fatalf("CreateCheckout: %v", err)
		}
		if co.SessionID == "" || co.URL == "" {
			t.Fatalf("checkout = %+v, want session id and url", co)
		}
		reqs := rec.requests()
		if len(reqs) != 1 {
			t.Fatalf("%d requests, want 1", len(reqs))
		}
		r := reqs[0]
		if r.Method != http.MethodPost || r.Path != "/v1/checkout/sessions" {
			t.Errorf("request = %s %s", r.Method, r.Path)
		}
		wantHeaders := map[string]string{
			"Idempotency-Key": "checkout-bk_01JTESTBOOKING",
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
			"mode":                                            "payment",
			"line_items[0][price_data][currency]":             "usd",
			"line_items[0][price_data][unit_amount]":          "12500",
			"line_items[0][price_data][product_data][name]":   "Family portrait session",
			"line_items[0][quantity]":                         "1",
			"customer_email":                                  "ada@example.com",
			"client_reference_id":                             "bk_01JTESTBOOKING",
			"metadata[bookingId]":                             "bk_01JTESTBOOKING",
			"metadata[tenantId]":                              "tn_01JTESTTENANT",
			"metadata[confirmationCode]":                      "BK-7KQ2ZD",
			"payment_intent_data[metadata][bookingId]":        "bk_01JTESTBOOKING",
			"payment_intent_data[metadata][tenantId]":         "tn_01JTESTTENANT",
			"payment_intent_data[metadata][confirmationCode]": "BK-7KQ2ZD",
			"payment_intent_data[application_fee_amount]":     "1250",
			"success_url":                                     req.SuccessURL,
			"cancel_url":                                      req.CancelURL,
			"expires_at":                                      strconv.FormatInt(req.ExpiresAt.Unix(), 10),
		}
		for k, v := range wantForm {
			if got := r.Form[k]; len(got) != 1 || got[0] != v {
				t.Errorf("form %s = %q, want %q", k, got, v)
			}
		}
		if len(r.Form) != len(wantForm) {
			t.Errorf("form has %d fields, want %d: %v", len(r.Form), len(wantForm), r.Form)
		}
		if !co.ExpiresAt.Equal(req.ExpiresAt) {
			t.Errorf("ExpiresAt = %v, want %v", co.ExpiresAt, req.ExpiresAt)
		}
	})

	t.Run("platform account", func(t *testing.T) {
		rec := newRecorder(t, upstream)
		c := New(Config{SecretKey: testKey, APIBase: rec.srv.URL, PlatformFeePercent: 10})
		// A fee in the request is for connected accounts only.
		if _, err := c.CreateCheckout(context.Background(), testRequest("", 1250)); err != nil {
			t.Fatalf("CreateCheckout: %v", err)
		}
		r := rec.requests()[0]
		if v, ok := r.Header["Stripe-Account"]; ok {
			t.Errorf("Stripe-Account header = %q, want none", v)
		}
		if v, ok := r.Form["payment_intent_data[application_fee_amount]"]; ok {
			t.Errorf("application_fee_amount = %q, want none", v)
		}
		if got := r.Header.Get("Idempotency-Key"); got != "checkout-bk_01JTESTBOOKING" {
			t.Errorf("Idempotency-Key = %q", got)
		}
	})

	t.Run("fee from PlatformFeePercent", func(t *testing.T) {
		rec := newRecorder(t, upstream)
		c := New(Config{SecretKey: testKey, APIBase: rec.srv.URL, PlatformFeePercent: 10})
		if _, err := c.CreateCheckout(context.Background(), testRequest("acct_1TESTCONNECTED", 0)); err != nil {
			t.Fatalf("CreateCheckout: %v", err)
		}
		r := rec.requests()[0]
		if got := r.Form.Get("payment_intent_data[application_fee_amount]"); got != "1250" {
			t.Errorf("application_fee_amount = %q, want 1250 (10%% of 12500)", got)
		}
	})

	t.Run("retry sends the same idempotency key", func(t *testing.T) {
		rec := newRecorder(t, upstream)
		c := New(Config{SecretKey: testKey, APIBase: rec.srv.URL})
		req := testRequest("", 0)
		for range 2 {
			if _, err := c.CreateCheckout(context.Background(), req); err != nil {
				t.Fatalf("CreateCheckout: %v", err)
			}
		}
		reqs := rec.requests()
		if len(reqs) != 2 {
			t.Fatalf("%d requests, want 2", len(reqs))
		}
		if a, b := reqs[0].Header.Get("Idempotency-Key"), reqs[1].Header.Get("Idempotency-Key"); a != b || a == "" {
			t.Errorf("idempotency keys %q and %q, want the same", a, b)
		}
		if a, b := reqs[0].Form.Encode(), reqs[1].Form.Encode(); a != b {
			t.Errorf("retry changed the parameters:\n%s\n%s", a, b)
		}
	})
}

func TestCreateCheckoutInvalidRequest(t *testing.T) {
	rec := newRecorder(t, "")
	c := New(Config{SecretKey: testKey, APIBase: rec.srv.URL})
	noBooking := testRequest("", 0)
	noBooking.Booking = nil
	free := testRequest("", 0)
	free.Booking.TotalPriceCents = 0
	noCurrency := testRequest("", 0)
	noCurrency.Booking.Currency = ""
	noCurrency.Tenant.Currency = ""
	bigFee := testRequest("acct_1TESTCONNECTED", 20000)
	for name, req := range map[string]frontdesk.CheckoutRequest{
		"no booking": noBooking, "free": free, "no currency": noCurrency, "fee above total": bigFee,
	} {
		if _, err := c.CreateCheckout(context.Background(), req); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
	if _, err := New(Config{APIBase: rec.srv.URL}).CreateCheckout(context.Background(), testRequest("", 0)); err == nil {
		t.Error("no secret key: no error")
	}
	if n := len(rec.requests()); n != 0 {
		t.Errorf("%d requests sent for invalid input, want 0", n)
	}
}

func TestCreateCheckoutStripeError(t *testing.T) {
	var calls int
	var mu sync.Mutex
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		calls++
		mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusBadRequest)
		_, _ = io.WriteString(w, `{"error":{"type":"invalid_request_error","code":"parameter_invalid_integer","param":"expires_at","message":"The Checkout Session's expires_at must be at least 30 minutes from creation."}}`)
	}))
	defer srv.Close()
	c := New(Config{SecretKey: testKey, APIBase: srv.URL})
	_, err := c.CreateCheckout(context.Background(), testRequest("", 0))
	var se *stripego.Error
	if !errors.As(err, &se) {
		t.Fatalf("err = %v, want a *stripe.Error", err)
	}
	if se.Param != "expires_at" || se.HTTPStatusCode != http.StatusBadRequest {
		t.Errorf("stripe error = %+v", se)
	}
	if calls != 1 {
		t.Errorf("%d calls, want 1 (a 400 is not retried)", calls)
	}
}

func TestCreateCheckoutUnreachable(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()

	c := New(Config{SecretKey: testKey, APIBase: "http://" + addr})
	start := time.Now()
	co, err := c.CreateCheckout(context.Background(), testRequest("", 0))
	if err == nil {
		t.Fatalf("CreateCheckout = %+v, want an error", co)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("took %v to fail, want prompt", d)
	}
	if !strings.Contains(err.Error(), "bk_01JTESTBOOKING") {
		t.Errorf("error %q does not name the booking", err)
	}
}

func TestCreateCheckoutHonoursContext(t *testing.T) {
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-release:
		case <-r.Context().Done():
		}
	}))
	defer srv.Close()
	defer close(release)

	c := New(Config{SecretKey: testKey, APIBase: srv.URL})
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	start := time.Now()
	if _, err := c.CreateCheckout(ctx, testRequest("", 0)); err == nil {
		t.Fatal("no error from a server that never answers")
	}
	if d := time.Since(start); d > 3*time.Second {
		t.Errorf("took %v, want about the context's 200ms", d)
	}
}

func TestNewHTTPClientTimeout(t *testing.T) {
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-release:
		case <-r.Context().Done():
		}
	}))
	defer srv.Close()
	defer close(release)

	c := New(Config{SecretKey: testKey, APIBase: srv.URL, HTTPClient: &http.Client{Timeout: 100 * time.Millisecond}})
	start := time.Now()
	if _, err := c.CreateCheckout(context.Background(), testRequest("", 0)); err == nil {
		t.Fatal("no error from a server that never answers")
	}
	// One attempt, one retry after a back-off of at most about a second.
	if d := time.Since(start); d > 3*time.Second {
		t.Errorf("took %v, want the per-attempt timeout to bound it", d)
	}
}
