package httpapi_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/frontdeskhq/frontdesk"
	"github.com/frontdeskhq/frontdesk/payments/stripe/stripetest"
)

func TestHealth(t *testing.T) {
	eachBackend(t, func(t *testing.T, h *harness) {
		var body map[string]string
		decode(t, h.do(t, http.MethodGet, "/healthz", nil), &body)
		if body["status"] != "ok" {
			t.Fatalf("healthz %v", body)
		}
		decode(t, h.do(t, http.MethodGet, "/readyz", nil), &body)
		if body["status"] != "ok" || body["database"] != "ok" {
			t.Fatalf("readyz %v", body)
		}

		if err := h.store.Close(); err != nil {
			t.Fatal(err)
		}
		r := h.do(t, http.MethodGet, "/readyz", nil)
		if r.Status != http.StatusServiceUnavailable {
			t.Fatalf("readyz after close: %s, want 503", r)
		}
		if err := json.Unmarshal(r.Body, &body); err != nil || body["status"] != "unavailable" {
			t.Fatalf("readyz after close: body %s", r.Body)
		}
		// Liveness does not depend on the database.
		if r := h.do(t, http.MethodGet, "/healthz", nil); r.Status != http.StatusOK {
			t.Fatalf("healthz after close: %s", r)
		}
	})
}

func TestPublicAuth(t *testing.T) {
	eachBackend(t, func(t *testing.T, h *harness) {
		cases := []struct {
			name   string
			header []string
		}{
			{"missing", nil},
			{"empty", []string{"X-Tenant-Key", "   "}},
			{"unknown", []string{"X-Tenant-Key", "pk_" + frontdesk.NewID()}},
			{"secret key", []string{"X-Tenant-Key", h.a.SecretKey}},
			{"no prefix", []string{"X-Tenant-Key", strings.TrimPrefix(h.a.Tenant.PublicKey, "pk_")}},
			{"too long", []string{"X-Tenant-Key", h.a.Tenant.PublicKey + strings.Repeat("0", 100)}},
			{"bearer instead", []string{"Authorization", "Bearer " + h.a.Tenant.PublicKey}},
		}
		endpoints := []struct {
			method, path string
			body         any
		}{
			{http.MethodGet, "/v1/public/chat/greeting", nil},
			{http.MethodPost, "/v1/public/chat/session", map[string]any{}},
			{http.MethodPost, "/v1/public/chat/message", map[string]string{"sessionId": frontdesk.NewID(), "message": "hi"}},
			{http.MethodPost, "/v1/public/chat/confirm/" + frontdesk.NewID(), map[string]string{"sessionId": frontdesk.NewID()}},
		}
		for _, tc := range cases {
			for _, ep := range endpoints {
				t.Run(tc.name+" "+ep.path, func(t *testing.T) {
					r := h.do(t, ep.method, ep.path, ep.body, tc.header...)
					e := wantError(t, r, http.StatusUnauthorized, frontdesk.EUnauthorized)
					if len(e.Details) != 0 {
						t.Fatalf("details on an auth error: %s", r.Body)
					}
					if tc.header != nil && len(tc.header[1]) > 10 && strings.Contains(string(r.Body), strings.TrimSpace(tc.header[1])) {
						t.Fatalf("the key is echoed: %s", r.Body)
					}
				})
			}
		}

		// The valid key works, with surrounding space trimmed.
		var g map[string]string
		decode(t, h.do(t, http.MethodGet, "/v1/public/chat/greeting", nil, "X-Tenant-Key", " "+h.a.Tenant.PublicKey+" "), &g)
		if g["businessName"] != "Lumen Studio" || !strings.Contains(g["greeting"], "Lumen Studio") {
			t.Fatalf("greeting %v", g)
		}
	})
}

// TestPublicValidation sends bad bodies to every public endpoint that takes
// one: all are 400 validation_failed (413 when too large), never 500, with
// details naming the field at fault.
func TestPublicValidation(t *testing.T) {
	eachBackend(t, func(t *testing.T, h *harness) {
		sid := h.newSession(t, h.a)
		pid := frontdesk.NewID()
		big := `{"sessionId":"` + sid + `","message":"` + strings.Repeat("a", 70<<10) + `"}`

		type tc struct {
			name   string
			body   string
			ctype  string   // Content-Type; default application/json
			status int      // default 400
			fields []string // detail fields; nil: no details
		}
		// common are the cases of every endpoint; extra completes a valid
		// body after its sessionId.
		common := func(extra string) []tc {
			obj := func(sessionID string) string { return `{"sessionId":` + sessionID + extra + `}` }
			valid := obj(`"` + sid + `"`)
			return []tc{
				{name: "invalid JSON", body: `{"sessionId":`},
				{name: "not JSON", body: `sessionId=` + sid},
				{name: "array", body: `[]`},
				{name: "string", body: `"hello"`},
				{name: "two objects", body: valid + valid},
				{name: "trailing garbage", body: valid + ` x`},
				{name: "unknown field", body: `{"tenantId":"x","sessionId":"` + sid + `"` + extra + `}`, fields: []string{"tenantId"}},
				{name: "sessionId number", body: obj(`123`), fields: []string{"sessionId"}},
				{name: "sessionId object", body: obj(`{"id":"x"}`), fields: []string{"sessionId"}},
				{name: "sessionId bool", body: obj(`true`), fields: []string{"sessionId"}},
				{name: "sessionId not an id", body: obj(`"abc"`), fields: []string{"sessionId"}},
				{name: "sessionId upper case", body: obj(`"` + strings.ToUpper(sid) + `"`), fields: []string{"sessionId"}},
				{name: "sessionId too long", body: obj(`"` + sid + `0"`), fields: []string{"sessionId"}},
				{name: "sessionId with path", body: obj(`"../` + sid[3:] + `"`), fields: []string{"sessionId"}},
				{name: "text content type", body: valid, ctype: "text/plain"},
				{name: "form content type", body: valid, ctype: "application/x-www-form-urlencoded"},
				{name: "over the limit", body: big, status: http.StatusRequestEntityTooLarge},
			}
		}
		endpoints := []struct {
			path  string
			cases []tc
		}{
			{"/v1/public/chat/session", common(``)},
			{"/v1/public/chat/message", append(common(`,"message":"hi"`),
				tc{name: "empty body", body: ``},
				tc{name: "empty object", body: `{}`, fields: []string{"message", "sessionId"}},
				tc{name: "null", body: `null`, fields: []string{"message", "sessionId"}},
				tc{name: "message missing", body: `{"sessionId":"` + sid + `"}`, fields: []string{"message"}},
				tc{name: "message empty", body: `{"sessionId":"` + sid + `","message":""}`, fields: []string{"message"}},
				tc{name: "message whitespace", body: `{"sessionId":"` + sid + `","message":" \n\t "}`, fields: []string{"message"}},
				tc{name: "message 2001 chars", body: `{"sessionId":"` + sid + `","message":"` + strings.Repeat("é", 2001) + `"}`, fields: []string{"message"}},
				tc{name: "message with NUL", body: `{"sessionId":"` + sid + `","message":"hi\u0000there"}`, fields: []string{"message"}},
				tc{name: "message with escape char", body: `{"sessionId":"` + sid + `","message":"\u001b[31mred"}`, fields: []string{"message"}},
				tc{name: "message number", body: `{"sessionId":"` + sid + `","message":42}`, fields: []string{"message"}},
				tc{name: "message list", body: `{"sessionId":"` + sid + `","message":["hi"]}`, fields: []string{"message"}},
				tc{name: "both bad", body: `{"sessionId":"x","message":""}`, fields: []string{"message", "sessionId"}},
			)},
			{"/v1/public/chat/confirm/" + pid, append(common(``),
				tc{name: "empty body", body: ``},
				tc{name: "empty object", body: `{}`, fields: []string{"sessionId"}},
				tc{name: "sessionId empty", body: `{"sessionId":""}`, fields: []string{"sessionId"}},
				tc{name: "sessionId null", body: `{"sessionId":null}`, fields: []string{"sessionId"}},
			)},
		}
		for _, ep := range endpoints {
			for _, c := range ep.cases {
				t.Run(strings.TrimPrefix(ep.path, "/v1/public/chat/")[:7]+" "+c.name, func(t *testing.T) {
					ct := c.ctype
					if ct == "" {
						ct = "application/json"
					}
					r := h.do(t, http.MethodPost, ep.path, c.body, "X-Tenant-Key", h.a.Tenant.PublicKey, "Content-Type", ct)
					status, code := c.status, frontdesk.EInvalid
					if status == 0 {
						status = http.StatusBadRequest
					}
					if status == http.StatusRequestEntityTooLarge {
						code = frontdesk.ETooLarge
					}
					e := wantError(t, r, status, code)
					if got := detailFields(e); c.fields != nil && !reflect.DeepEqual(got, c.fields) {
						t.Fatalf("detail fields %q, want %q; body %s", got, c.fields, r.Body)
					} else if c.fields == nil && len(e.Details) != 0 {
						t.Fatalf("unexpected details: %s", r.Body)
					}
				})
			}
		}

		t.Run("message 2000 chars", func(t *testing.T) {
			r := h.say(t, h.a, sid, strings.Repeat("é", 2000))
			if r.SessionID != sid || !frontdesk.ValidID(r.MessageID) || r.Message == "" {
				t.Fatalf("reply %+v", r)
			}
		})
		t.Run("message padded to 2000", func(t *testing.T) {
			// The limit is on the message, not the space around it.
			h.say(t, h.a, sid, "  "+strings.Repeat("a", 2000)+"\n")
		})
		t.Run("session without body", func(t *testing.T) {
			// sessionId is optional, and so is the body: a new session.
			for _, body := range []any{nil, "", "{}", `{"sessionId":""}`, `{"sessionId":null}`} {
				var s sessionOut
				decode(t, h.public(t, h.a, http.MethodPost, "/v1/public/chat/session", body), &s)
				if !frontdesk.ValidID(s.SessionID) || s.SessionID == sid || s.Messages == nil || len(s.Messages) != 0 || s.Greeting == "" {
					t.Fatalf("body %q: session %+v", body, s)
				}
			}
		})
		t.Run("session chunked empty body", func(t *testing.T) {
			// No Content-Length: the same as an empty body.
			req, err := http.NewRequest(http.MethodPost, h.srv.URL+"/v1/public/chat/session", struct{ *bytes.Reader }{bytes.NewReader(nil)})
			if err != nil {
				t.Fatal(err)
			}
			req.Header.Set("X-Tenant-Key", h.a.Tenant.PublicKey)
			res, err := h.client.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			res.Body.Close()
			if res.StatusCode != http.StatusOK {
				t.Fatalf("status %d", res.StatusCode)
			}
		})
		t.Run("malformed proposal id", func(t *testing.T) {
			for _, id := range []string{"abc", strings.ToUpper(pid), pid + "0", "not-an-id"} {
				r := h.public(t, h.a, http.MethodPost, "/v1/public/chat/confirm/"+id, map[string]string{"sessionId": sid})
				wantError(t, r, http.StatusNotFound, frontdesk.ENotFound)
			}
		})
		t.Run("unknown endpoint", func(t *testing.T) {
			for _, p := range []string{"/v1/public/chat/nope", "/v1/public/chat/confirm/", "/v1/public/chat/session/x"} {
				wantError(t, h.public(t, h.a, http.MethodPost, p, map[string]any{}), http.StatusNotFound, frontdesk.ENotFound)
			}
			r := h.public(t, h.a, http.MethodGet, "/v1/public/chat/message", nil)
			wantError(t, r, http.StatusMethodNotAllowed, frontdesk.EMethodNotAllowed)
			if r.Header.Get("Allow") != "POST" {
				t.Errorf("Allow = %q, want POST", r.Header.Get("Allow"))
			}
		})
	})
}

func TestSessionOwnership(t *testing.T) {
	eachBackend(t, func(t *testing.T, h *harness) {
		sid := h.newSession(t, h.a)
		h.say(t, h.a, sid, "hi")

		t.Run("another tenant's session", func(t *testing.T) {
			r := h.public(t, h.b, http.MethodPost, "/v1/public/chat/message", map[string]string{"sessionId": sid, "message": "hi"})
			wantError(t, r, http.StatusNotFound, frontdesk.ENotFound)
		})
		t.Run("unknown session", func(t *testing.T) {
			r := h.public(t, h.a, http.MethodPost, "/v1/public/chat/message", map[string]string{"sessionId": frontdesk.NewID(), "message": "hi"})
			wantError(t, r, http.StatusNotFound, frontdesk.ENotFound)
		})
		t.Run("resume own session", func(t *testing.T) {
			var s sessionOut
			decode(t, h.public(t, h.a, http.MethodPost, "/v1/public/chat/session", map[string]string{"sessionId": sid}), &s)
			if s.SessionID != sid || len(s.Messages) != 2 || s.Messages[0].Role != frontdesk.RoleUser || s.Messages[0].Content != "hi" {
				t.Fatalf("resumed session %+v", s)
			}
		})
		t.Run("resume another tenant's session", func(t *testing.T) {
			// Not found in this tenant: a new, empty session, nothing leaked.
			var s sessionOut
			decode(t, h.public(t, h.b, http.MethodPost, "/v1/public/chat/session", map[string]string{"sessionId": sid}), &s)
			if s.SessionID == sid || !frontdesk.ValidID(s.SessionID) || len(s.Messages) != 0 || strings.Contains(s.Greeting, "Lumen") {
				t.Fatalf("session %+v", s)
			}
		})
	})
}

// TestBookingFlow books a wedding with the guided assistant over HTTP.
func TestBookingFlow(t *testing.T) {
	eachBackend(t, func(t *testing.T, h *harness) {
		sid, pid := h.propose(t, h.a, 15, "Ann Lee", "ann@example.com")

		first := h.confirm(t, h.a, sid, pid)
		var c map[string]any
		decode(t, first, &c)
		wantKeys(t, "confirm result", c, "success", "action", "bookingId", "confirmationCode", "status", "checkoutUrl", "manageUrl", "customerToken", "message")
		var res confirmOut
		decode(t, first, &res)
		if !res.Success || res.Action != "booked" || res.Status != "PENDING" || !frontdesk.ValidID(res.BookingID) ||
			!strings.HasPrefix(res.ConfirmationCode, "BK-") || len(res.ConfirmationCode) != 9 ||
			res.CheckoutURL != h.srv.URL+"/checkout/test/"+res.BookingID || !strings.Contains(res.Message, res.ConfirmationCode) {
			t.Fatalf("confirm result %+v", res)
		}

		b := h.booking(t, h.a, res.BookingID)
		if b.Status != frontdesk.StatusPending || b.Date.String() != "2026-12-15" || b.TotalPriceCents != 150000 ||
			b.Customer.Email != "ann@example.com" || b.Customer.Name != "Ann Lee" || b.Source != frontdesk.SourceChatbot ||
			b.ConfirmationCode != res.ConfirmationCode || b.PaidAt != nil {
			t.Fatalf("stored booking %+v", b)
		}
		if n := len(h.emails(t, h.a, frontdesk.EmailBookingReceived)); n != 1 {
			t.Fatalf("%d booking_received emails, want 1", n)
		}
		if n := len(h.emails(t, h.a, frontdesk.EmailTenantNewBooking)); n != 1 {
			t.Fatalf("%d tenant_new_booking emails, want 1", n)
		}

		t.Run("confirm again", func(t *testing.T) {
			again := h.confirm(t, h.a, sid, pid)
			if again.Status != http.StatusOK || !bytes.Equal(again.Body, first.Body) {
				t.Fatalf("second confirm %s\nfirst %s", again, first)
			}
			page, err := h.store.ListBookings(t.Context(), h.a.Tenant.ID, frontdesk.BookingFilter{})
			if err != nil {
				t.Fatal(err)
			}
			if len(page.Bookings) != 1 {
				t.Fatalf("%d bookings after two confirms, want 1", len(page.Bookings))
			}
		})
		t.Run("another session", func(t *testing.T) {
			other := h.newSession(t, h.a)
			wantError(t, h.confirm(t, h.a, other, pid), http.StatusNotFound, frontdesk.ENotFound)
		})
		t.Run("unknown session", func(t *testing.T) {
			wantError(t, h.confirm(t, h.a, frontdesk.NewID(), pid), http.StatusNotFound, frontdesk.ENotFound)
		})
		t.Run("another tenant", func(t *testing.T) {
			wantError(t, h.confirm(t, h.b, sid, pid), http.StatusNotFound, frontdesk.ENotFound)
		})
		t.Run("unknown proposal", func(t *testing.T) {
			wantError(t, h.confirm(t, h.a, sid, frontdesk.NewID()), http.StatusNotFound, frontdesk.ENotFound)
		})
		t.Run("the day is taken", func(t *testing.T) {
			// A second customer is told the day is taken before any proposal.
			sid2 := h.newSession(t, h.a)
			r := h.say(t, h.a, sid2, "wedding on dec 15, my name is Bob Ray, bob@example.com, 555 765 4321")
			if r.Proposal != nil {
				t.Fatalf("proposal for a taken day: %+v", r.Proposal)
			}
			// No proposal alone could mean anything; the reply must say why.
			if !strings.Contains(r.Message, "December 15 isn't available") {
				t.Fatalf("reply %q does not say December 15 is taken", r.Message)
			}
		})
	})
}

// TestInternalErrorsDoNotLeak closes the database under the server: every
// API answers 500 internal with a generic message and a request id.
func TestInternalErrorsDoNotLeak(t *testing.T) {
	eachBackend(t, func(t *testing.T, h *harness) {
		sid := h.newSession(t, h.a)
		if err := h.store.Close(); err != nil {
			t.Fatal(err)
		}
		calls := []struct {
			name string
			do   func() response
		}{
			{"greeting", func() response { return h.public(t, h.a, http.MethodGet, "/v1/public/chat/greeting", nil) }},
			{"session", func() response {
				return h.public(t, h.a, http.MethodPost, "/v1/public/chat/session", map[string]string{"sessionId": sid})
			}},
			{"message", func() response {
				return h.public(t, h.a, http.MethodPost, "/v1/public/chat/message", map[string]string{"sessionId": sid, "message": "hi"})
			}},
			{"tenant bookings", func() response { return h.tenantAPI(t, h.a, "/v1/tenant/bookings") }},
			{"tenant booking", func() response { return h.tenantAPI(t, h.a, "/v1/tenant/bookings/"+frontdesk.NewID()) }},
			{"webhook", func() response {
				return h.deliver(t, stripetest.CompletedEvent("evt_closed", "cs_test_x", frontdesk.NewID(), "", 100, "usd"))
			}},
			{"dev mail", func() response { return h.do(t, http.MethodGet, "/dev/mail", nil) }},
		}
		for _, c := range calls {
			t.Run(c.name, func(t *testing.T) {
				r := c.do()
				// A closed database is unavailability: 503 with Retry-After.
				e := wantError(t, r, http.StatusServiceUnavailable, frontdesk.EUnavailable)
				if r.Header.Get("Retry-After") == "" {
					t.Fatal("no Retry-After on a 503")
				}
				low := strings.ToLower(string(r.Body))
				for _, leak := range []string{"sql", "closed", "database", "pgx", "sqlite", "driver"} {
					if strings.Contains(low, leak) {
						t.Fatalf("the body leaks %q: %s", leak, r.Body)
					}
				}
				if len(e.Details) != 0 {
					t.Fatalf("details on an internal error: %s", r.Body)
				}
				// The operator can find this request's cause by its id.
				logged := false
				for _, line := range strings.Split(h.logs.String(), "\n") {
					if strings.Contains(line, "code=unavailable") && strings.Contains(line, "request_id="+e.RequestID) {
						logged = true
					}
				}
				if !logged {
					t.Fatalf("no internal error logged with request_id=%s:\n%s", e.RequestID, h.logs.String())
				}
			})
		}
		// The cause is logged with the request id, for the operator.
		logs := h.logs.String()
		if !strings.Contains(logs, "code=unavailable") || !strings.Contains(logs, "closed") {
			t.Fatalf("the cause is not logged:\n%s", logs)
		}
	})
}

// TestConfirmOutcomes covers the other answers of POST /confirm: a free
// service, an expired proposal, and two customers racing for one day.
func TestConfirmOutcomes(t *testing.T) {
	eachBackend(t, func(t *testing.T, h *harness) {
		t.Run("response shapes", func(t *testing.T) {
			var s map[string]any
			decode(t, h.public(t, h.a, http.MethodPost, "/v1/public/chat/session", map[string]any{}), &s)
			// suggestions: the guided assistant's quick replies, optional.
			wantKeysIn(t, "session", s, []string{"sessionId", "greeting", "messages"}, []string{"suggestions", "customer"})
			if m, ok := s["messages"].([]any); !ok || len(m) != 0 {
				t.Fatalf("messages %#v, want []", s["messages"])
			}
			var r map[string]any
			decode(t, h.public(t, h.a, http.MethodPost, "/v1/public/chat/message", map[string]string{"sessionId": s["sessionId"].(string), "message": "hi"}), &r)
			wantKeysIn(t, "reply", r, []string{"sessionId", "messageId", "message"}, []string{"proposal", "suggestions"})
			for _, k := range []string{"sessionId", "messageId", "message"} {
				if v, _ := r[k].(string); v == "" {
					t.Fatalf("reply %v: no %s", r, k)
				}
			}
			if _, ok := r["proposal"]; ok {
				t.Fatalf("a greeting made a proposal: %v", r)
			}
		})

		t.Run("free service", func(t *testing.T) {
			sid := h.newSession(t, h.a)
			pid := h.proposeDirect(t, h.a, sid, frontdesk.BookServiceIn{PackageID: "consult", Date: "2026-12-14", StartTime: "10:00",
				CustomerName: "Cy Free", CustomerEmail: "cy@example.com"}, testNow.Add(frontdesk.ProposalTTL))
			var c map[string]any
			decode(t, h.confirm(t, h.a, sid, pid), &c)
			// No payment: CONFIRMED at once and no checkoutUrl.
			wantKeys(t, "free confirm", c, "success", "action", "bookingId", "confirmationCode", "status", "manageUrl", "customerToken", "message")
			if c["status"] != "CONFIRMED" || c["action"] != "booked" || c["success"] != true {
				t.Fatalf("free confirm %v", c)
			}
		})

		t.Run("expired proposal", func(t *testing.T) {
			sid := h.newSession(t, h.a)
			pid := h.proposeDirect(t, h.a, sid, frontdesk.BookServiceIn{PackageID: "wedding", Date: "2026-12-28",
				CustomerName: "Late Larry", CustomerEmail: "larry@example.com"}, testNow.Add(-time.Second))
			wantError(t, h.confirm(t, h.a, sid, pid), http.StatusConflict, frontdesk.EExpired)
		})

		t.Run("two customers, one day", func(t *testing.T) {
			sids := make([]string, 2)
			pids := make([]string, 2)
			for i := range sids {
				sids[i] = h.newSession(t, h.a)
				pids[i] = h.proposeDirect(t, h.a, sids[i], frontdesk.BookServiceIn{PackageID: "wedding", Date: "2026-12-29",
					CustomerName: "Racer", CustomerEmail: fmt.Sprintf("racer%d@example.com", i)}, testNow.Add(frontdesk.ProposalTTL))
			}
			res := make([]response, 2)
			var wg sync.WaitGroup
			for i := range res {
				wg.Go(func() { res[i] = h.confirm(t, h.a, sids[i], pids[i]) })
			}
			wg.Wait()
			won, lost := 0, 0
			for _, r := range res {
				switch r.Status {
				case http.StatusOK:
					won++
				default:
					wantError(t, r, http.StatusConflict, frontdesk.ESlotUnavailable)
					lost++
				}
			}
			if won != 1 || lost != 1 {
				t.Fatalf("%d won and %d lost: %s | %s", won, lost, res[0], res[1])
			}
		})
	})
}
