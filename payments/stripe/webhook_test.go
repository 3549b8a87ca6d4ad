package stripe

import (
	"encoding/json"
	"errors"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stripe/stripe-go/v86/webhook"

	"github.com/frontdeskhq/frontdesk"
	"github.com/frontdeskhq/frontdesk/payments/stripe/stripetest"
)

const whsec = "whsec_test_secret"

func TestParseWebhookCompleted(t *testing.T) {
	ev := stripetest.CompletedEvent("evt_1", "cs_test_abc", "bk_1", "tn_1", 12500, "usd")
	payload, header := stripetest.SignedPayload(t, whsec, ev)

	got, err := ParseWebhook(payload, header, whsec, time.Now())
	if err != nil {
		t.Fatalf("ParseWebhook: %v", err)
	}
	want := frontdesk.PaymentEvent{
		ID:              "evt_1",
		Provider:        "stripe",
		Type:            frontdesk.EventCheckoutCompleted,
		SessionID:       "cs_test_abc",
		BookingID:       "bk_1",
		TenantID:        "tn_1",
		PaymentStatus:   "paid",
		AmountTotal:     12500,
		Currency:        "usd",
		PaymentIntentID: "pi_abc",
	}
	if got != want {
		t.Errorf("event =\n%+v\nwant\n%+v", got, want)
	}
}

func TestParseWebhookExpired(t *testing.T) {
	payload, header := stripetest.SignedPayload(t, whsec, stripetest.ExpiredEvent("evt_2", "cs_test_x", "bk_2", "tn_2", 900, "eur"))
	got, err := ParseWebhook(payload, header, whsec, time.Now())
	if err != nil {
		t.Fatalf("ParseWebhook: %v", err)
	}
	if got.Type != frontdesk.EventCheckoutExpired || got.BookingID != "bk_2" || got.PaymentStatus != "unpaid" ||
		got.PaymentIntentID != "" || got.SessionID != "cs_test_x" || got.Currency != "eur" {
		t.Errorf("event = %+v", got)
	}
}

func TestParseWebhookConnectedAccount(t *testing.T) {
	ev := stripetest.CompletedEvent("evt_3", "cs_test_c", "bk_3", "tn_3", 5000, "usd")
	ev["account"] = "acct_1CONNECTED"
	payload, header := stripetest.SignedPayload(t, whsec, ev)
	got, err := ParseWebhook(payload, header, whsec, time.Now())
	if err != nil {
		t.Fatalf("ParseWebhook: %v", err)
	}
	if got.Account != "acct_1CONNECTED" || got.BookingID != "bk_3" {
		t.Errorf("event = %+v", got)
	}
}

func TestParseWebhookVariants(t *testing.T) {
	t.Run("expanded payment_intent", func(t *testing.T) {
		ev := stripetest.CompletedEvent("evt_4", "cs_test_d", "bk_4", "tn_4", 100, "usd")
		ev["data"].(map[string]any)["object"].(map[string]any)["payment_intent"] = map[string]any{"id": "pi_expanded", "object": "payment_intent"}
		payload, header := stripetest.SignedPayload(t, whsec, ev)
		got, err := ParseWebhook(payload, header, whsec, time.Now())
		if err != nil {
			t.Fatalf("ParseWebhook: %v", err)
		}
		if got.PaymentIntentID != "pi_expanded" {
			t.Errorf("PaymentIntentID = %q", got.PaymentIntentID)
		}
	})
	t.Run("other API version", func(t *testing.T) {
		ev := stripetest.CompletedEvent("evt_5", "cs_test_e", "bk_5", "tn_5", 100, "usd")
		ev["api_version"] = "2020-08-27"
		payload, header := stripetest.SignedPayload(t, whsec, ev)
		got, err := ParseWebhook(payload, header, whsec, time.Now())
		if err != nil {
			t.Fatalf("ParseWebhook: %v", err)
		}
		if got.BookingID != "bk_5" {
			t.Errorf("event = %+v", got)
		}
	})
	t.Run("booking from client_reference_id", func(t *testing.T) {
		ev := stripetest.CompletedEvent("evt_6", "cs_test_f", "bk_6", "tn_6", 100, "usd")
		ev["data"].(map[string]any)["object"].(map[string]any)["metadata"] = map[string]any{}
		payload, header := stripetest.SignedPayload(t, whsec, ev)
		got, err := ParseWebhook(payload, header, whsec, time.Now())
		if err != nil {
			t.Fatalf("ParseWebhook: %v", err)
		}
		if got.BookingID != "bk_6" || got.TenantID != "" {
			t.Errorf("event = %+v", got)
		}
	})
	t.Run("unknown type", func(t *testing.T) {
		ev := map[string]any{
			"id": "evt_7", "object": "event", "type": "charge.succeeded", "account": "acct_9",
			"api_version": "2026-06-24.dahlia", "created": time.Now().Unix(),
			"data": map[string]any{"object": map[string]any{"id": "ch_1", "object": "charge", "amount": 5, "payment_intent": "pi_1"}},
		}
		payload, header := stripetest.SignedPayload(t, whsec, ev)
		got, err := ParseWebhook(payload, header, whsec, time.Now())
		if err != nil {
			t.Fatalf("ParseWebhook: %v", err)
		}
		want := frontdesk.PaymentEvent{ID: "evt_7", Provider: "stripe", Type: "charge.succeeded", Account: "acct_9"}
		if got != want {
			t.Errorf("event = %+v, want %+v", got, want)
		}
	})
	t.Run("signed but not an event", func(t *testing.T) {
		for _, body := range []string{`not json`, `{"object":"v2.core.event","id":"evt_x","type":"x"}`, `{"object":"event"}`} {
			payload, header := signRaw(t, []byte(body), time.Now())
			_, err := ParseWebhook(payload, header, whsec, time.Now())
			if err == nil {
				t.Errorf("%s: no error", body)
			} else if errors.Is(err, ErrBadSignature) {
				t.Errorf("%s: err = %v, want not ErrBadSignature", body, err)
			}
		}
	})
}

func signRaw(t *testing.T, body []byte, ts time.Time) ([]byte, string) {
	t.Helper()
	sp := webhook.GenerateTestSignedPayload(&webhook.UnsignedPayload{Payload: body, Secret: whsec, Timestamp: ts})
	return sp.Payload, sp.Header
}

func TestParseWebhookBadSignature(t *testing.T) {
	now := time.Now()
	ev := stripetest.CompletedEvent("evt_1", "cs_test_abc", "bk_1", "tn_1", 12500, "usd")
	payload, header := stripetest.SignedPayloadAt(t, whsec, ev, now)
	tampered := []byte(strings.Replace(string(payload), `"amount_total":12500`, `"amount_total":1`, 1))
	if string(tampered) == string(payload) {
		t.Fatal("tampering did not change the body")
	}
	otherPayload, otherHeader := stripetest.SignedPayload(t, "whsec_other", ev)
	futurePayload, futureHeader := stripetest.SignedPayloadAt(t, whsec, ev, now.Add(24*time.Hour))

	cases := []struct {
		name    string
		payload []byte
		header  string
		secret  string
		now     time.Time
		sdkErr  error
	}{
		{"missing header", payload, "", whsec, now, webhook.ErrNotSigned},
		{"garbage header", payload, "nonsense", whsec, now, webhook.ErrInvalidHeader},
		{"no v1 signature", payload, "t=" + itoa(now.Unix()), whsec, now, webhook.ErrNoValidSignature},
		{"wrong secret", payload, header, "whsec_wrong", now, webhook.ErrNoValidSignature},
		{"signed with another secret", otherPayload, otherHeader, whsec, now, webhook.ErrNoValidSignature},
		{"tampered body", tampered, header, whsec, now, webhook.ErrNoValidSignature},
		{"stale timestamp", payload, header, whsec, now.Add(Tolerance + time.Second), webhook.ErrTooOld},
		// Signed ahead of the receiver's clock: a delivery that would stay
		// replayable long after it was sent.
		{"future timestamp", payload, header, whsec, now.Add(-Tolerance - time.Second), ErrSignedInFuture},
		{"far future timestamp", futurePayload, futureHeader, whsec, now, ErrSignedInFuture},
		{"no secret configured", payload, header, "", now, nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ParseWebhook(tc.payload, tc.header, tc.secret, tc.now)
			if !errors.Is(err, ErrBadSignature) {
				t.Fatalf("err = %v, want ErrBadSignature", err)
			}
			if tc.sdkErr != nil && !errors.Is(err, tc.sdkErr) {
				t.Errorf("err = %v, want it to wrap %v", err, tc.sdkErr)
			}
		})
	}

	// Within the tolerance the same delivery is accepted, in both directions
	// (a little clock drift is normal).
	if _, err := ParseWebhook(payload, header, whsec, now.Add(Tolerance-time.Second)); err != nil {
		t.Errorf("delivery %v old: %v", Tolerance-time.Second, err)
	}
	if _, err := ParseWebhook(payload, header, whsec, now.Add(-Tolerance+time.Second)); err != nil {
		t.Errorf("delivery signed %v ahead: %v", Tolerance-time.Second, err)
	}
	// A zero now means the wall clock.
	if _, err := ParseWebhook(payload, header, whsec, time.Time{}); err != nil {
		t.Errorf("zero now: %v", err)
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

func TestCompletedEventShape(t *testing.T) {
	ev := stripetest.CompletedEvent("evt_1", "cs_test_abc", "bk_1", "tn_1", 12500, "usd")
	b, err := json.Marshal(ev)
	if err != nil {
		t.Fatal(err)
	}
	var back struct {
		Object     string `json:"object"`
		APIVersion string `json:"api_version"`
		Created    int64  `json:"created"`
		Data       struct {
			Object struct {
				Object        string `json:"object"`
				Status        string `json:"status"`
				PaymentStatus string `json:"payment_status"`
			} `json:"object"`
		} `json:"data"`
	}
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	if back.Object != "event" || back.APIVersion == "" || back.Created == 0 ||
		back.Data.Object.Object != "checkout.session" || back.Data.Object.Status != "complete" || back.Data.Object.PaymentStatus != "paid" {
		t.Errorf("event = %s", b)
	}
	// The SDK's strict parser accepts it too (same API version line).
	payload, header := stripetest.SignedPayload(t, whsec, ev)
	if _, err := webhook.ConstructEvent(payload, header, whsec); err != nil {
		t.Errorf("webhook.ConstructEvent: %v", err)
	}
}

// object returns ev's data.object, to edit.
func object(ev map[string]any) map[string]any {
	return ev["data"].(map[string]any)["object"].(map[string]any)
}

func parseSigned(t *testing.T, ev map[string]any) (frontdesk.PaymentEvent, error) {
	t.Helper()
	payload, header := stripetest.SignedPayload(t, whsec, ev)
	return ParseWebhook(payload, header, whsec, time.Now())
}

func TestParseWebhookChargeRefunded(t *testing.T) {
	for _, tc := range []struct {
		name string
		edit func(ev map[string]any)
		want frontdesk.PaymentEvent
	}{
		{"partial refund on a connected account", func(ev map[string]any) { ev["account"] = "acct_1CONNECTED" }, frontdesk.PaymentEvent{
			ID: "evt_r1", Provider: "stripe", Type: frontdesk.EventChargeRefunded, Account: "acct_1CONNECTED",
			BookingID: "bk_1", TenantID: "tn_1", PaymentIntentID: "pi_abc",
			AmountTotal: 12500, AmountRefunded: 6250, Currency: "usd",
		}},
		{"charge without metadata", func(ev map[string]any) { delete(object(ev), "metadata") }, frontdesk.PaymentEvent{
			ID: "evt_r1", Provider: "stripe", Type: frontdesk.EventChargeRefunded,
			PaymentIntentID: "pi_abc", AmountTotal: 12500, AmountRefunded: 6250, Currency: "usd",
		}},
		{"expanded payment_intent", func(ev map[string]any) {
			object(ev)["payment_intent"] = map[string]any{"id": "pi_abc", "object": "payment_intent"}
		}, frontdesk.PaymentEvent{
			ID: "evt_r1", Provider: "stripe", Type: frontdesk.EventChargeRefunded,
			BookingID: "bk_1", TenantID: "tn_1", PaymentIntentID: "pi_abc",
			AmountTotal: 12500, AmountRefunded: 6250, Currency: "usd",
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ev := stripetest.ChargeRefundedEvent("evt_r1", "pi_abc", "bk_1", "tn_1", 12500, 6250, "usd")
			tc.edit(ev)
			got, err := parseSigned(t, ev)
			if err != nil {
				t.Fatalf("ParseWebhook: %v", err)
			}
			if got != tc.want {
				t.Errorf("event =\n%+v\nwant\n%+v", got, tc.want)
			}
		})
	}
}

func TestParseWebhookRefundFailed(t *testing.T) {
	want := frontdesk.PaymentEvent{
		ID: "evt_f1", Provider: "stripe", Type: frontdesk.EventRefundFailed, Account: "acct_1CONNECTED",
		RefundID: "re_123", PaymentIntentID: "pi_abc", BookingID: "bk_1", TenantID: "tn_1",
		AmountRefunded: 6250, Currency: "usd",
	}
	for _, tc := range []struct {
		name string
		ev   map[string]any
		want frontdesk.PaymentEvent
	}{
		{"refund.failed", stripetest.RefundFailedEvent("evt_f1", "re_123", "pi_abc", "bk_1", "tn_1", 6250, "usd"), want},
		// Newer API versions: refund.updated with status failed.
		{"refund.updated failed", stripetest.RefundUpdatedEvent("evt_f1", "re_123", "pi_abc", "bk_1", "tn_1", 6250, "usd", "failed"), want},
		{"refund.updated succeeded keeps its type", stripetest.RefundUpdatedEvent("evt_f1", "re_123", "pi_abc", "bk_1", "tn_1", 6250, "usd", "succeeded"),
			func() frontdesk.PaymentEvent { w := want; w.Type = "refund.updated"; return w }()},
		{"refund.updated canceled keeps its type", stripetest.RefundUpdatedEvent("evt_f1", "re_123", "pi_abc", "bk_1", "tn_1", 6250, "usd", "canceled"),
			func() frontdesk.PaymentEvent { w := want; w.Type = "refund.updated"; return w }()},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tc.ev["account"] = "acct_1CONNECTED"
			got, err := parseSigned(t, tc.ev)
			if err != nil {
				t.Fatalf("ParseWebhook: %v", err)
			}
			if got != tc.want {
				t.Errorf("event =\n%+v\nwant\n%+v", got, tc.want)
			}
		})
	}
	t.Run("a refund made elsewhere (no metadata)", func(t *testing.T) {
		ev := stripetest.RefundFailedEvent("evt_f2", "re_456", "pi_abc", "bk_1", "tn_1", 100, "usd")
		object(ev)["metadata"] = map[string]any{}
		got, err := parseSigned(t, ev)
		if err != nil {
			t.Fatalf("ParseWebhook: %v", err)
		}
		if got.Type != frontdesk.EventRefundFailed || got.RefundID != "re_456" || got.PaymentIntentID != "pi_abc" || got.BookingID != "" || got.TenantID != "" {
			t.Errorf("event = %+v", got)
		}
	})
}

func TestParseWebhookWrongObject(t *testing.T) {
	charge := stripetest.ChargeRefundedEvent("evt_w1", "pi_abc", "bk_1", "tn_1", 100, 100, "usd")
	for _, tc := range []struct {
		name string
		ev   map[string]any
	}{
		{"charge.refunded carrying a refund", func() map[string]any {
			ev := stripetest.RefundFailedEvent("evt_w1", "re_1", "pi_abc", "bk_1", "tn_1", 100, "usd")
			ev["type"] = "charge.refunded"
			return ev
		}()},
		{"refund.failed carrying a charge", func() map[string]any {
			ev := stripetest.ChargeRefundedEvent("evt_w2", "pi_abc", "bk_1", "tn_1", 100, 100, "usd")
			ev["type"] = "refund.failed"
			return ev
		}()},
		{"refund.failed without a refund id", func() map[string]any {
			ev := stripetest.RefundFailedEvent("evt_w3", "re_1", "pi_abc", "bk_1", "tn_1", 100, "usd")
			delete(object(ev), "id")
			return ev
		}()},
		{"payment_intent not an id", func() map[string]any {
			object(charge)["payment_intent"] = 42
			return charge
		}()},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := parseSigned(t, tc.ev)
			if err == nil {
				t.Fatal("no error")
			}
			if errors.Is(err, ErrBadSignature) {
				t.Errorf("err = %v, want not ErrBadSignature", err)
			}
		})
	}
}

func TestParseWebhookRefundEventsBadSignature(t *testing.T) {
	now := time.Now()
	for _, ev := range []map[string]any{
		stripetest.ChargeRefundedEvent("evt_s1", "pi_abc", "bk_1", "tn_1", 12500, 6250, "usd"),
		stripetest.RefundFailedEvent("evt_s2", "re_1", "pi_abc", "bk_1", "tn_1", 6250, "usd"),
		stripetest.RefundUpdatedEvent("evt_s3", "re_1", "pi_abc", "bk_1", "tn_1", 6250, "usd", "failed"),
	} {
		t.Run(ev["type"].(string), func(t *testing.T) {
			payload, header := stripetest.SignedPayloadAt(t, whsec, ev, now)
			if _, err := ParseWebhook(payload, header, whsec, now); err != nil {
				t.Fatalf("untouched delivery: %v", err)
			}
			tampered := []byte(strings.Replace(string(payload), `6250`, `12500`, 1))
			if string(tampered) == string(payload) {
				t.Fatal("tampering did not change the body")
			}
			if _, err := ParseWebhook(tampered, header, whsec, now); !errors.Is(err, ErrBadSignature) || !errors.Is(err, webhook.ErrNoValidSignature) {
				t.Errorf("tampered body: err = %v, want ErrBadSignature", err)
			}
			if _, err := ParseWebhook(payload, header, "whsec_wrong", now); !errors.Is(err, ErrBadSignature) {
				t.Errorf("wrong secret: err = %v, want ErrBadSignature", err)
			}
			if _, err := ParseWebhook(payload, header, whsec, now.Add(Tolerance+time.Second)); !errors.Is(err, ErrBadSignature) {
				t.Errorf("stale: err = %v, want ErrBadSignature", err)
			}
		})
	}
}

// The builders' events are ones the SDK's strict parser accepts too.
func TestRefundEventShapes(t *testing.T) {
	for _, ev := range []map[string]any{
		stripetest.ChargeRefundedEvent("evt_1", "pi_abc", "bk_1", "tn_1", 12500, 12500, "usd"),
		stripetest.RefundFailedEvent("evt_2", "re_1", "pi_abc", "bk_1", "tn_1", 6250, "usd"),
		stripetest.RefundUpdatedEvent("evt_3", "re_1", "pi_abc", "bk_1", "tn_1", 6250, "usd", "pending"),
	} {
		payload, header := stripetest.SignedPayload(t, whsec, ev)
		e, err := webhook.ConstructEvent(payload, header, whsec)
		if err != nil {
			t.Errorf("%s: webhook.ConstructEvent: %v", ev["type"], err)
			continue
		}
		if string(e.Type) != ev["type"] || e.Data == nil || e.Data.Object["object"] == nil {
			t.Errorf("%s: event = %+v", ev["type"], e)
		}
	}
}
