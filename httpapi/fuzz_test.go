package httpapi_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/frontdeskhq/frontdesk"
	"github.com/frontdeskhq/frontdesk/booking"
	"github.com/frontdeskhq/frontdesk/chat"
	"github.com/frontdeskhq/frontdesk/httpapi"
	"github.com/frontdeskhq/frontdesk/payments/testmode"
	"github.com/frontdeskhq/frontdesk/storetest"
)

// FuzzPublicAPI sends arbitrary bodies and path ids to the public chat
// endpoints. Whatever arrives, the answer is JSON, never a 500, and every
// error carries a code and a message.
func FuzzPublicAPI(f *testing.F) {
	store := storetest.OpenSQLite(f)
	fx := storetest.NewFixture(f, store, "Fuzz Studio", "America/New_York")
	clock := frontdesk.ClockFunc(func() time.Time { return testNow })
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	bookings := &booking.Service{Store: store, Clock: clock, Payments: &testmode.Payments{PublicURL: "http://fuzz"}, Log: log, PublicURL: "http://fuzz"}
	srv := &httpapi.Server{Store: store, Clock: clock, Log: log, Bookings: bookings, PublicURL: "http://fuzz",
		Chat: &chat.Service{Store: store, Clock: clock, Bookings: bookings, Log: log}}
	handler := srv.Handler()
	session, err := srv.Chat.StartSession(t0(), fx.Tenant, "", "")
	if err != nil {
		f.Fatal(err)
	}
	sid := session.SessionID

	for _, seed := range []struct {
		endpoint uint8
		body     string
		id       string
	}{
		{0, `{}`, ""},
		{0, `{"sessionId":"` + sid + `"}`, ""},
		{0, `{"sessionId":null}`, ""},
		{1, `{"sessionId":"` + sid + `","message":"hi"}`, ""},
		{1, `{"sessionId":"` + sid + `","message":"book the portrait session on friday at 3pm, I'm Ann, ann@example.com"}`, ""},
		{1, `{"sessionId":"` + sid + `","message":"\u0000\ud800"}`, ""},
		{1, `{"sessionId":"` + sid + `","message":""}`, ""},
		{1, `[1,2,3]`, ""},
		{1, `{"sessionId":1e309}`, ""},
		{2, `{"sessionId":"` + sid + `"}`, "0123456789abcdef0123456789abcdef"},
		{2, `{"sessionId":"` + sid + `"}`, "../../etc/passwd"},
		{2, `{"sessionId":"` + sid + `","extra":true}`, "%zz"},
		{3, `{"sessionId":"` + sid + `","feedbackType":"RATING","rating":5,"comment":"great"}`, ""},
		{3, `{"sessionId":"` + sid + `","feedbackType":"THUMBS_UP","messageId":"0123456789abcdef0123456789abcdef"}`, ""},
		{3, `{"sessionId":"` + sid + `","feedbackType":"RATING","rating":1e99}`, ""},
		{4, `{"sessionId":"` + sid + `","reason":"a person please","customerEmail":"a@b.co","customerPhone":"+1 555 0100"}`, ""},
		{4, `{"sessionId":"` + sid + `","reason":"card 4242 4242 4242 4242"}`, ""},
	} {
		f.Add(seed.endpoint, []byte(seed.body), seed.id)
	}
	f.Fuzz(func(t *testing.T, endpoint uint8, body []byte, id string) {
		path := []string{"/v1/public/chat/session", "/v1/public/chat/message", "/v1/public/chat/confirm/",
			"/v1/public/chat/feedback", "/v1/public/chat/escalate"}[endpoint%5]
		if endpoint%5 == 2 {
			path += id
		}
		req, err := http.NewRequest(http.MethodPost, "http://fuzz", bytes.NewReader(body))
		if err != nil {
			return
		}
		req.URL.Path = path // arbitrary bytes, set after parsing
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("X-Tenant-Key", fx.Tenant.PublicKey)
		rec := httptest.NewRecorder()
		handler.ServeHTTP(rec, req)
		if rec.Code >= 500 {
			t.Fatalf("%s %q: status %d: %s", path, body, rec.Code, rec.Body)
		}
		if rec.Code == http.StatusMovedPermanently || rec.Code == http.StatusTemporaryRedirect {
			return // ServeMux sends unclean paths (.., //) to their clean form
		}
		var out map[string]any
		if err := json.Unmarshal(rec.Body.Bytes(), &out); err != nil {
			t.Fatalf("%s %q: answer is not JSON: %q", path, body, rec.Body)
		}
		// A missing field decodes to nil, not "": compare the strings.
		code, _ := out["error"].(string)
		msg, _ := out["message"].(string)
		if rec.Code >= 400 && (code == "" || msg == "") {
			t.Fatalf("%s %q: error without code or message: %s", path, body, rec.Body)
		}
	})
}

func t0() context.Context { return context.Background() }
