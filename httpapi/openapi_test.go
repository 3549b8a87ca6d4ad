package httpapi_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/frontdeskhq/frontdesk"
	"github.com/frontdeskhq/frontdesk/httpapi"
	"github.com/frontdeskhq/frontdesk/payments/stripe/stripetest"
	"github.com/frontdeskhq/frontdesk/ratelimit"
	"github.com/frontdeskhq/frontdesk/storetest"
)

// apiDoc is the parsed OpenAPI document with its schemas compiled.
type apiDoc struct {
	raw      map[string]any
	compiler *jsonschema.Compiler
	mu       sync.Mutex
	cache    map[string]*jsonschema.Schema
}

func loadAPIDoc(t *testing.T) *apiDoc {
	t.Helper()
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(httpapi.OpenAPI))
	if err != nil {
		t.Fatalf("openapi.json is not JSON: %v", err)
	}
	c := jsonschema.NewCompiler()
	c.AssertFormat()
	if err := c.AddResource("openapi.json", doc); err != nil {
		t.Fatal(err)
	}
	return &apiDoc{raw: doc.(map[string]any), compiler: c, cache: map[string]*jsonschema.Schema{}}
}

func pointerEscape(s string) string { return strings.NewReplacer("~", "~0", "/", "~1").Replace(s) }

// schemaAt compiles the schema at a JSON pointer of the document.
func (d *apiDoc) schemaAt(t *testing.T, ptr string) *jsonschema.Schema {
	d.mu.Lock()
	defer d.mu.Unlock()
	if s, ok := d.cache[ptr]; ok {
		return s
	}
	s, err := d.compiler.Compile("openapi.json#" + ptr)
	if err != nil {
		t.Fatalf("schema %s: %v", ptr, err)
	}
	d.cache[ptr] = s
	return s
}

func (d *apiDoc) operation(path, method string) (map[string]any, bool) {
	p, ok := d.raw["paths"].(map[string]any)[path].(map[string]any)
	if !ok {
		return nil, false
	}
	op, ok := p[strings.ToLower(method)].(map[string]any)
	return op, ok
}

// responseSchema returns the pointer of the JSON schema documented for a
// status, following a $ref to components/responses.
func (d *apiDoc) responseSchema(path, method string, status int) (string, bool) {
	op, ok := d.operation(path, method)
	if !ok {
		return "", false
	}
	base := "/paths/" + pointerEscape(path) + "/" + strings.ToLower(method) + "/responses/" + strconv.Itoa(status)
	resp, ok := op["responses"].(map[string]any)[strconv.Itoa(status)].(map[string]any)
	if !ok {
		return "", false
	}
	if ref, ok := resp["$ref"].(string); ok {
		base = strings.TrimPrefix(ref, "#")
	}
	return base + "/content/application~1json/schema", true
}

func TestOpenAPIDocumentsEveryRoute(t *testing.T) {
	d := loadAPIDoc(t)
	var routes, documented []string
	for _, r := range (&httpapi.Server{}).Routes() {
		routes = append(routes, r.Method+" "+r.Path)
	}
	for path, item := range d.raw["paths"].(map[string]any) {
		for method := range item.(map[string]any) {
			documented = append(documented, strings.ToUpper(method)+" "+path)
		}
	}
	sort.Strings(routes)
	sort.Strings(documented)
	if strings.Join(routes, "\n") != strings.Join(documented, "\n") {
		t.Fatalf("routes and openapi.json differ:\nroutes:\n%s\ndocumented:\n%s", strings.Join(routes, "\n"), strings.Join(documented, "\n"))
	}
	h := sqliteHarness(t)
	r := h.do(t, http.MethodGet, "/openapi.json", nil)
	if r.Status != http.StatusOK || !bytes.Equal(r.Body, httpapi.OpenAPI) {
		t.Fatalf("GET /openapi.json: %d", r.Status)
	}
}

// checkingTransport checks every /v1/ exchange against openapi.json: the
// request body against its schema, the status as documented, and the
// response body against the schema of that status.
type checkingTransport struct {
	t      *testing.T
	doc    *apiDoc
	routes []httpapi.Route
	next   http.RoundTripper
	mu     sync.Mutex
	seen   map[string]bool
}

func (c *checkingTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	var reqBody []byte
	if req.Body != nil {
		reqBody, _ = io.ReadAll(req.Body)
		req.Body = io.NopCloser(bytes.NewReader(reqBody))
	}
	res, err := c.next.RoundTrip(req)
	if err != nil || !strings.HasPrefix(req.URL.Path, "/v1/") {
		return res, err
	}
	resBody, _ := io.ReadAll(res.Body)
	res.Body.Close()
	res.Body = io.NopCloser(bytes.NewReader(resBody))
	path := ""
	for _, r := range c.routes {
		if r.Method == req.Method && r.Matches(req.URL.Path) {
			path = r.Path
		}
	}
	if path == "" {
		return res, nil // an unknown endpoint: the 404 and 405 tests cover it
	}
	where := fmt.Sprintf("%s %s -> %d", req.Method, path, res.StatusCode)
	c.mu.Lock()
	c.seen[where] = true
	c.mu.Unlock()
	if strings.HasPrefix(res.Header.Get("Content-Type"), "text/event-stream") {
		c.checkEvents(where, path, req.Method, resBody)
		return res, nil
	}
	ptr, ok := c.doc.responseSchema(path, req.Method, res.StatusCode)
	if !ok {
		c.t.Errorf("%s: status not documented in openapi.json (body %s)", where, resBody)
		return res, nil
	}
	v, err := jsonschema.UnmarshalJSON(bytes.NewReader(resBody))
	if err != nil {
		c.t.Errorf("%s: response is not JSON: %s", where, resBody)
		return res, nil
	}
	if err := c.doc.schemaAt(c.t, ptr).Validate(v); err != nil {
		c.t.Errorf("%s: response does not match openapi.json: %v\n%s", where, err, resBody)
	}
	// A request the server accepted must have been valid by the document.
	if res.StatusCode < 300 && len(reqBody) > 0 && path != "/v1/webhooks/stripe" {
		rp := "/paths/" + pointerEscape(path) + "/" + strings.ToLower(req.Method) + "/requestBody/content/application~1json/schema"
		if rv, err := jsonschema.UnmarshalJSON(bytes.NewReader(reqBody)); err == nil {
			if err := c.doc.schemaAt(c.t, rp).Validate(rv); err != nil {
				c.t.Errorf("%s: accepted a request the document forbids: %v\n%s", where, err, reqBody)
			}
		}
	}
	return res, nil
}

// TestOpenAPIConformance drives every endpoint through success and error
// answers and checks each exchange against the document.
func TestOpenAPIConformance(t *testing.T) {
	h := sqliteHarness(t)
	h.server.ChatLimiter = ratelimit.New("chat", 8, time.Minute, nil, nil)
	h.restart(t)
	ct := &checkingTransport{t: t, doc: loadAPIDoc(t), routes: h.server.Routes(), next: h.client.Transport, seen: map[string]bool{}}
	h.client.Transport = ct

	h.public(t, h.a, http.MethodGet, "/v1/public/chat/greeting", nil)
	h.do(t, http.MethodGet, "/v1/public/chat/greeting", nil) // 401
	sid, pid := h.propose(t, h.a, 17, "Ann Lee", "ann@example.com")
	h.public(t, h.a, http.MethodPost, "/v1/public/chat/session", map[string]any{"sessionId": sid})
	h.public(t, h.a, http.MethodPost, "/v1/public/chat/session", map[string]any{"sessionId": 5})                                                   // 400
	h.public(t, h.a, http.MethodPost, "/v1/public/chat/session", map[string]any{"sessionId": strings.Repeat("x", 70<<10)})                         // 413
	h.public(t, h.a, http.MethodPost, "/v1/public/chat/message", map[string]any{"sessionId": sid})                                                 // 400
	h.public(t, h.a, http.MethodPost, "/v1/public/chat/message", map[string]any{"sessionId": "0123456789abcdef0123456789abcdef", "message": "hi"}) // 404
	var c confirmOut
	first := h.confirm(t, h.a, sid, pid)
	decode(t, first, &c)
	var manage struct {
		ManageURL string `json:"manageUrl"`
	}
	unmarshal(t, first, &manage)
	if !strings.HasPrefix(manage.ManageURL, h.server.PublicURL+"/b/m_") {
		t.Errorf("the booking's confirm result has manageUrl %q, want the manage page", manage.ManageURL)
	}
	h.confirm(t, h.a, sid, pid)                                                         // the same again
	h.confirm(t, h.b, sid, pid)                                                         // 404
	h.public(t, h.a, http.MethodPost, "/v1/public/chat/confirm/"+pid, map[string]any{}) // 400
	expired := h.proposeDirect(t, h.a, sid, frontdesk.BookServiceIn{PackageID: "wedding", Date: "2026-12-18",
		CustomerName: "Bob Roe", CustomerEmail: "bob@example.com"}, testNow.Add(-time.Minute))
	h.confirm(t, h.a, sid, expired) // 409
	h.public(t, h.a, http.MethodPost, "/v1/public/chat/message/stream", map[string]any{"sessionId": sid, "message": "hi there"})
	h.public(t, h.a, http.MethodPost, "/v1/public/chat/message/stream", map[string]any{"sessionId": sid}) // 400
	reply := h.say(t, h.a, sid, "what are your opening hours?")
	h.public(t, h.a, http.MethodPost, "/v1/public/chat/feedback", map[string]any{"sessionId": sid, "messageId": reply.MessageID, "feedbackType": "THUMBS_UP"})
	h.public(t, h.a, http.MethodPost, "/v1/public/chat/feedback", map[string]any{"sessionId": sid, "feedbackType": "RATING", "rating": 9}) // 400
	h.public(t, h.b, http.MethodPost, "/v1/public/chat/feedback", map[string]any{"sessionId": sid, "feedbackType": "RATING", "rating": 4}) // 404
	h.public(t, h.a, http.MethodPost, "/v1/public/chat/escalate", map[string]any{"sessionId": sid, "reason": "a person, please"})
	h.public(t, h.a, http.MethodPost, "/v1/public/chat/escalate", map[string]any{"sessionId": sid, "reason": ""}) // 400

	for i := 0; i < 10; i++ { // into the rate limit: 429
		h.public(t, h.a, http.MethodPost, "/v1/public/chat/message", map[string]any{"sessionId": sid, "message": "hi"})
	}

	h.tenantAPI(t, h.a, "/v1/tenant/analytics")
	h.tenantAPI(t, h.a, "/v1/tenant/analytics?from=2026-12-10&to=2026-12-01") // 400
	h.tenantAPI(t, h.a, "/v1/tenant/bookings")
	h.tenantAPI(t, h.a, "/v1/tenant/bookings?status=PENDING&limit=1")
	h.tenantAPI(t, h.a, "/v1/tenant/bookings?status=nope") // 400
	h.tenantAPI(t, h.a, "/v1/tenant/bookings/"+c.BookingID)
	h.tenantAPI(t, h.a, "/v1/tenant/bookings/0123456789abcdef0123456789abcdef") // 404
	h.do(t, http.MethodGet, "/v1/tenant/bookings", nil)                         // 401

	b := h.booking(t, h.a, c.BookingID)
	h.deliver(t, stripetest.CompletedEvent("evt_openapi_1", b.CheckoutSessionID, b.ID, b.TenantID, b.TotalPriceCents, b.Currency))
	h.webhook(t, []byte(`{}`), "t=1,v1=bad") // 400

	ownerAPIConformance(t, h, sid)
	bookingLifecycleConformance(t, h, sid)
	customerDataConformance(t, h)

	want := []string{
		"GET /v1/public/chat/greeting -> 200", "GET /v1/public/chat/greeting -> 401",
		"POST /v1/public/chat/session -> 200", "POST /v1/public/chat/session -> 400", "POST /v1/public/chat/session -> 413",
		"POST /v1/public/chat/message -> 200", "POST /v1/public/chat/message -> 400", "POST /v1/public/chat/message -> 404", "POST /v1/public/chat/message -> 429",
		"POST /v1/public/chat/confirm/{proposalId} -> 200", "POST /v1/public/chat/confirm/{proposalId} -> 400", "POST /v1/public/chat/confirm/{proposalId} -> 404", "POST /v1/public/chat/confirm/{proposalId} -> 409",
		"POST /v1/public/chat/message/stream -> 200", "POST /v1/public/chat/message/stream -> 400",
		"POST /v1/public/chat/feedback -> 200", "POST /v1/public/chat/feedback -> 400", "POST /v1/public/chat/feedback -> 404",
		"POST /v1/public/chat/escalate -> 200", "POST /v1/public/chat/escalate -> 400",
		"GET /v1/tenant/analytics -> 200", "GET /v1/tenant/analytics -> 400",
		"GET /v1/tenant/bookings -> 200", "GET /v1/tenant/bookings -> 400", "GET /v1/tenant/bookings -> 401",
		"GET /v1/tenant/bookings/{id} -> 200", "GET /v1/tenant/bookings/{id} -> 404",
		"POST /v1/tenant/bookings -> 201", "POST /v1/tenant/bookings -> 400", "POST /v1/tenant/bookings -> 404", "POST /v1/tenant/bookings -> 409", "POST /v1/tenant/bookings -> 413",
		"POST /v1/tenant/bookings/{id}/cancel -> 200", "POST /v1/tenant/bookings/{id}/cancel -> 400", "POST /v1/tenant/bookings/{id}/cancel -> 404",
		"POST /v1/tenant/bookings/{id}/cancel -> 409", "POST /v1/tenant/bookings/{id}/cancel -> 413",
		"POST /v1/tenant/bookings/{id}/reschedule -> 200", "POST /v1/tenant/bookings/{id}/reschedule -> 400", "POST /v1/tenant/bookings/{id}/reschedule -> 404",
		"POST /v1/tenant/bookings/{id}/reschedule -> 409", "POST /v1/tenant/bookings/{id}/reschedule -> 413",
		"POST /v1/webhooks/stripe -> 200", "POST /v1/webhooks/stripe -> 400",

		"GET /v1/tenant -> 200", "GET /v1/tenant -> 400",
		"PATCH /v1/tenant -> 200", "PATCH /v1/tenant -> 400", "PATCH /v1/tenant -> 413",
		"POST /v1/tenant/keys/rotate -> 200", "POST /v1/tenant/keys/rotate -> 400",
		"GET /v1/tenant/packages -> 200", "GET /v1/tenant/packages -> 400",
		"POST /v1/tenant/packages -> 201", "POST /v1/tenant/packages -> 400", "POST /v1/tenant/packages -> 409", "POST /v1/tenant/packages -> 413",
		"GET /v1/tenant/packages/{id} -> 200", "GET /v1/tenant/packages/{id} -> 404",
		"PATCH /v1/tenant/packages/{id} -> 200", "PATCH /v1/tenant/packages/{id} -> 400", "PATCH /v1/tenant/packages/{id} -> 404", "PATCH /v1/tenant/packages/{id} -> 409",
		"DELETE /v1/tenant/packages/{id} -> 200", "DELETE /v1/tenant/packages/{id} -> 404",
		"GET /v1/tenant/availability -> 200", "GET /v1/tenant/availability -> 400",
		"PUT /v1/tenant/availability -> 200", "PUT /v1/tenant/availability -> 400",
		"GET /v1/tenant/availability/preview -> 200", "GET /v1/tenant/availability/preview -> 400", "GET /v1/tenant/availability/preview -> 404",
		"GET /v1/tenant/blackouts -> 200", "GET /v1/tenant/blackouts -> 400",
		"POST /v1/tenant/blackouts -> 201", "POST /v1/tenant/blackouts -> 400", "POST /v1/tenant/blackouts -> 413",
		"DELETE /v1/tenant/blackouts/{id} -> 200", "DELETE /v1/tenant/blackouts/{id} -> 404",
		"GET /v1/tenant/escalations -> 200", "GET /v1/tenant/escalations -> 400",
		"GET /v1/tenant/escalations/{id} -> 200", "GET /v1/tenant/escalations/{id} -> 404",
		"PATCH /v1/tenant/escalations/{id} -> 200", "PATCH /v1/tenant/escalations/{id} -> 400", "PATCH /v1/tenant/escalations/{id} -> 404",
		"GET /v1/tenant/feedback -> 200", "GET /v1/tenant/feedback -> 400",
		"GET /v1/tenant/customers -> 200", "GET /v1/tenant/customers -> 400",
		"GET /v1/tenant/customers/{id} -> 200", "GET /v1/tenant/customers/{id} -> 404",
		"GET /v1/tenant/customers/{id}/export -> 200", "GET /v1/tenant/customers/{id}/export -> 404",
		"DELETE /v1/tenant/customers/{id} -> 200", "DELETE /v1/tenant/customers/{id} -> 404",
	}
	// Every endpoint of the tenant API refuses a request without the key.
	for _, r := range h.server.Routes() {
		if strings.HasPrefix(r.Path, "/v1/tenant") {
			want = append(want, r.Method+" "+r.Path+" -> 401")
		}
	}
	for _, w := range want {
		if !ct.seen[w] {
			t.Errorf("the conformance run never saw %s", w)
		}
	}
}

// ownerAPIConformance drives the owner's endpoints of the tenant API
// (profile, keys, services, hours, days off, escalations, feedback and
// customers) through success and error answers; the checking transport
// compares each exchange with the document. sid is a chat session of
// tenant a with a wedding booked on 17 December, a thumb and an escalation.
func ownerAPIConformance(t *testing.T, h *harness, sid string) {
	t.Helper()
	type obj = map[string]any
	// expect checks the status, so that a wrong answer is named where it
	// happens and not only as a status the run never saw.
	expect := func(status int, r response) response {
		t.Helper()
		if r.Status != status {
			t.Errorf("status %d, want %d: %s", r.Status, status, r.Body)
		}
		return r
	}
	// read decodes a successful answer of any 2xx status.
	read := func(r response, v any) {
		t.Helper()
		if r.Status/100 != 2 {
			t.Fatalf("status %d: %s", r.Status, r.Body)
		}
		if err := json.Unmarshal(r.Body, v); err != nil {
			t.Fatalf("body %s: %v", r.Body, err)
		}
	}
	a, b := h.a, h.b
	big := strings.Repeat("x", 70<<10)
	unknown := "0123456789abcdef0123456789abcdef"

	// Every endpoint without the key: 401 before anything else is looked at.
	for _, r := range h.server.Routes() {
		if strings.HasPrefix(r.Path, "/v1/tenant") {
			expect(http.StatusUnauthorized, h.do(t, r.Method, strings.ReplaceAll(r.Path, "{id}", unknown), nil))
		}
	}
	expect(http.StatusUnauthorized, h.do(t, http.MethodPost, "/v1/tenant/packages", obj{"name": "X", "priceCents": 1, "bookingType": "DATE"},
		"Authorization", "Bearer "+a.Tenant.PublicKey))

	// The profile.
	expect(http.StatusOK, h.tenantAPI(t, a, "/v1/tenant"))
	expect(http.StatusBadRequest, h.tenantAPI(t, a, "/v1/tenant?fields=name"))
	expect(http.StatusOK, h.owner(t, a, http.MethodPatch, "/v1/tenant", obj{
		"name": "Lumen Photo Studio", "contactEmail": "hello@lumen.example", "allowedOrigins": []string{"https://lumen.example", "http://localhost:3000"},
		"info": obj{"phone": "+1 555 010 0100", "address": "1 Main St, Brooklyn", "website": "https://lumen.example",
			"faq": []obj{{"question": "Do you travel?", "answer": "Within New York City."}}},
		"settings": obj{"minNoticeMinutes": 120, "requirePhone": true, "refundPolicy": []obj{{"hoursBefore": 72, "percent": 100}},
			"dashboardEmails": []string{"assistant@lumen.example"}, "monthlyTokenBudgetCents": 5000},
	}))
	expect(http.StatusOK, h.owner(t, a, http.MethodPatch, "/v1/tenant", obj{}))                                                              // changes nothing
	expect(http.StatusBadRequest, h.owner(t, a, http.MethodPatch, "/v1/tenant", obj{"currency": "xyz", "settings": obj{"maxDaysAhead": 0}})) // 400
	expect(http.StatusBadRequest, h.owner(t, a, http.MethodPatch, "/v1/tenant", obj{"plan": "pro"}))                                         // 400: unknown field
	expect(http.StatusBadRequest, h.owner(t, a, http.MethodPatch, "/v1/tenant", obj{"slug": b.Tenant.Slug}))                                 // 400: the operator's
	expect(http.StatusRequestEntityTooLarge, h.owner(t, a, http.MethodPatch, "/v1/tenant", obj{"name": big}))                                // 413

	// Keys: the calendar feed's (the other two are used below).
	expect(http.StatusOK, h.owner(t, a, http.MethodPost, "/v1/tenant/keys/rotate", obj{"key": "calendar"}))
	expect(http.StatusBadRequest, h.owner(t, a, http.MethodPost, "/v1/tenant/keys/rotate", obj{"key": "master"}))

	// Services.
	expect(http.StatusOK, h.tenantAPI(t, a, "/v1/tenant/packages"))
	expect(http.StatusBadRequest, h.tenantAPI(t, a, "/v1/tenant/packages?active=true"))
	var family, elopement struct{ ID string }
	read(expect(http.StatusCreated, h.owner(t, a, http.MethodPost, "/v1/tenant/packages", obj{"name": "Family Portrait", "priceCents": 30000,
		"bookingType": "TIMESLOT", "durationMinutes": 90, "bufferMinutes": 15, "category": "Portraits", "description": "An hour and a half at the studio."})), &family)
	read(expect(http.StatusCreated, h.owner(t, a, http.MethodPost, "/v1/tenant/packages", obj{"name": "Elopement", "priceCents": 80000, "bookingType": "DATE"})), &elopement)
	expect(http.StatusConflict, h.owner(t, a, http.MethodPost, "/v1/tenant/packages", obj{"name": "Another Wedding", "slug": "wedding", "priceCents": 1, "bookingType": "DATE"}))
	expect(http.StatusBadRequest, h.owner(t, a, http.MethodPost, "/v1/tenant/packages", obj{"name": "Hourly", "priceCents": 1, "bookingType": "HOURLY"}))
	expect(http.StatusBadRequest, h.owner(t, a, http.MethodPost, "/v1/tenant/packages", obj{"name": "No price", "bookingType": "DATE"}))
	expect(http.StatusRequestEntityTooLarge, h.owner(t, a, http.MethodPost, "/v1/tenant/packages", obj{"name": big, "priceCents": 1, "bookingType": "DATE"}))
	expect(http.StatusOK, h.tenantAPI(t, a, "/v1/tenant/packages/"+family.ID))
	expect(http.StatusOK, h.tenantAPI(t, a, "/v1/tenant/packages/wedding")) // by slug
	expect(http.StatusNotFound, h.tenantAPI(t, a, "/v1/tenant/packages/"+b.Wedding.ID))
	expect(http.StatusNotFound, h.tenantAPI(t, a, "/v1/tenant/packages/no.such"))
	expect(http.StatusOK, h.owner(t, a, http.MethodPatch, "/v1/tenant/packages/"+family.ID, obj{"priceCents": 32000, "active": false, "position": 3}))
	expect(http.StatusOK, h.owner(t, a, http.MethodPatch, "/v1/tenant/packages/elopement", obj{"slug": "elopement-day", "category": "Weddings"}))
	expect(http.StatusBadRequest, h.owner(t, a, http.MethodPatch, "/v1/tenant/packages/"+family.ID, obj{"durationMinutes": 2}))
	expect(http.StatusConflict, h.owner(t, a, http.MethodPatch, "/v1/tenant/packages/"+family.ID, obj{"slug": "portrait"}))
	expect(http.StatusNotFound, h.owner(t, a, http.MethodPatch, "/v1/tenant/packages/"+b.Portrait.ID, obj{"priceCents": 1}))
	expect(http.StatusOK, h.owner(t, a, http.MethodDelete, "/v1/tenant/packages/"+family.ID, nil))
	expect(http.StatusNotFound, h.owner(t, a, http.MethodDelete, "/v1/tenant/packages/"+family.ID, nil)) // gone
	expect(http.StatusNotFound, h.owner(t, a, http.MethodDelete, "/v1/tenant/packages/"+b.Free.ID, nil))

	// Hours and the offer.
	expect(http.StatusOK, h.tenantAPI(t, a, "/v1/tenant/availability"))
	expect(http.StatusBadRequest, h.tenantAPI(t, a, "/v1/tenant/availability?weekday=MON"))
	week := []obj{}
	for _, d := range []string{"MON", "TUE", "WED", "THU", "FRI"} {
		week = append(week, obj{"weekday": d, "start": "09:00", "end": "12:00"}, obj{"weekday": d, "start": "13:00", "end": "17:00"})
	}
	week = append(week, obj{"weekday": "SAT", "start": "10:00", "end": "16:00"}, obj{"weekday": "SUN", "start": "18:00", "end": "24:00"})
	expect(http.StatusOK, h.owner(t, a, http.MethodPut, "/v1/tenant/availability", obj{"timeZone": "America/New_York", "rules": week}))
	expect(http.StatusBadRequest, h.owner(t, a, http.MethodPut, "/v1/tenant/availability", obj{"rules": []obj{{"weekday": "MON", "start": "17:00", "end": "09:00"}}}))
	expect(http.StatusBadRequest, h.owner(t, a, http.MethodPut, "/v1/tenant/availability", obj{"timeZone": "Europe/Berlin", "rules": []obj{}}))
	expect(http.StatusBadRequest, h.owner(t, a, http.MethodPut, "/v1/tenant/availability", obj{}))
	expect(http.StatusOK, h.tenantAPI(t, a, "/v1/tenant/availability/preview?packageId=wedding&from=2026-12-14&to=2026-12-31"))
	expect(http.StatusOK, h.tenantAPI(t, a, "/v1/tenant/availability/preview?packageId="+a.Portrait.ID+"&from=2026-12-14&to=2026-12-15"))
	expect(http.StatusOK, h.tenantAPI(t, a, "/v1/tenant/availability/preview?packageId=portrait&from=2026-12-25&to=2026-12-25")) // closed: no slots
	expect(http.StatusBadRequest, h.tenantAPI(t, a, "/v1/tenant/availability/preview?from=2026-12-14"))
	expect(http.StatusBadRequest, h.tenantAPI(t, a, "/v1/tenant/availability/preview?packageId=wedding&from=2026-12-20&to=2026-12-14"))
	expect(http.StatusBadRequest, h.tenantAPI(t, a, "/v1/tenant/availability/preview?packageId=retired")) // not bookable
	expect(http.StatusNotFound, h.tenantAPI(t, a, "/v1/tenant/availability/preview?packageId="+b.Wedding.ID))

	// Days off.
	expect(http.StatusOK, h.tenantAPI(t, a, "/v1/tenant/blackouts"))
	expect(http.StatusBadRequest, h.tenantAPI(t, a, "/v1/tenant/blackouts?from=2026-12-31&to=2026-12-01"))
	var closed struct {
		Blackouts        []struct{ ID string }
		AffectedBookings []struct{ ID string }
	}
	read(expect(http.StatusCreated, h.owner(t, a, http.MethodPost, "/v1/tenant/blackouts", obj{"date": "2026-12-17", "reason": "Studio maintenance"})), &closed)
	if len(closed.Blackouts) != 1 || len(closed.AffectedBookings) != 1 {
		t.Errorf("closing 17 December: %+v, want one day and the wedding booked on it", closed)
	}
	expect(http.StatusCreated, h.owner(t, a, http.MethodPost, "/v1/tenant/blackouts", obj{"from": "2026-12-24", "to": "2026-12-26"})) // 25 was closed already
	expect(http.StatusBadRequest, h.owner(t, a, http.MethodPost, "/v1/tenant/blackouts", obj{"date": "2026-12-18", "from": "2026-12-19", "to": "2026-12-20"}))
	expect(http.StatusBadRequest, h.owner(t, a, http.MethodPost, "/v1/tenant/blackouts", obj{"date": "2026-02-30"}))
	expect(http.StatusRequestEntityTooLarge, h.owner(t, a, http.MethodPost, "/v1/tenant/blackouts", obj{"date": "2026-12-18", "reason": big}))
	expect(http.StatusOK, h.tenantAPI(t, a, "/v1/tenant/blackouts?from=2026-12-01&to=2026-12-31"))
	var others struct{ Blackouts []struct{ ID string } }
	read(h.tenantAPI(t, b, "/v1/tenant/blackouts"), &others)
	expect(http.StatusOK, h.owner(t, a, http.MethodDelete, "/v1/tenant/blackouts/"+closed.Blackouts[0].ID, nil))
	expect(http.StatusNotFound, h.owner(t, a, http.MethodDelete, "/v1/tenant/blackouts/"+closed.Blackouts[0].ID, nil)) // gone
	expect(http.StatusNotFound, h.owner(t, a, http.MethodDelete, "/v1/tenant/blackouts/"+others.Blackouts[0].ID, nil))

	// Escalations: the test's, and one with the customer's contact.
	h.public(t, a, http.MethodPost, "/v1/public/chat/escalate", obj{"sessionId": sid, "reason": "please call me",
		"customerEmail": "ann@example.com", "customerPhone": "+1 555 010 0199"})
	var escs struct{ Escalations []struct{ ID string } }
	read(expect(http.StatusOK, h.tenantAPI(t, a, "/v1/tenant/escalations?status=PENDING&limit=1")), &escs)
	expect(http.StatusOK, h.tenantAPI(t, a, "/v1/tenant/escalations"))
	expect(http.StatusBadRequest, h.tenantAPI(t, a, "/v1/tenant/escalations?status=OPEN"))
	if len(escs.Escalations) != 1 {
		t.Fatalf("escalations %+v", escs)
	}
	esc := escs.Escalations[0].ID
	expect(http.StatusOK, h.tenantAPI(t, a, "/v1/tenant/escalations/"+esc))
	expect(http.StatusNotFound, h.tenantAPI(t, b, "/v1/tenant/escalations/"+esc))
	expect(http.StatusOK, h.owner(t, a, http.MethodPatch, "/v1/tenant/escalations/"+esc, obj{"status": "ACKNOWLEDGED"}))
	expect(http.StatusOK, h.owner(t, a, http.MethodPatch, "/v1/tenant/escalations/"+esc, obj{"status": "RESOLVED"}))
	expect(http.StatusBadRequest, h.owner(t, a, http.MethodPatch, "/v1/tenant/escalations/"+esc, obj{"status": "CLOSED"}))
	expect(http.StatusBadRequest, h.owner(t, a, http.MethodPatch, "/v1/tenant/escalations/"+esc, obj{}))
	expect(http.StatusNotFound, h.owner(t, b, http.MethodPatch, "/v1/tenant/escalations/"+esc, obj{"status": "RESOLVED"}))
	expect(http.StatusNotFound, h.owner(t, a, http.MethodPatch, "/v1/tenant/escalations/"+unknown, obj{"status": "RESOLVED"}))
	expect(http.StatusOK, h.tenantAPI(t, a, "/v1/tenant/escalations?status=RESOLVED"))

	// Feedback: the test's thumb, and a rating of the chat.
	h.public(t, a, http.MethodPost, "/v1/public/chat/feedback", obj{"sessionId": sid, "feedbackType": "RATING", "rating": 5, "comment": "Quick and kind."})
	expect(http.StatusOK, h.tenantAPI(t, a, "/v1/tenant/feedback"))
	expect(http.StatusOK, h.tenantAPI(t, a, "/v1/tenant/feedback?from=2026-12-01&to=2026-12-31"))
	expect(http.StatusBadRequest, h.tenantAPI(t, a, "/v1/tenant/feedback?from=yesterday"))

	// Customers.
	var custs struct{ Customers []struct{ ID string } }
	read(expect(http.StatusOK, h.tenantAPI(t, a, "/v1/tenant/customers?q=ann&limit=10")), &custs)
	expect(http.StatusOK, h.tenantAPI(t, a, "/v1/tenant/customers"))
	expect(http.StatusBadRequest, h.tenantAPI(t, a, "/v1/tenant/customers?limit=0"))
	if len(custs.Customers) != 1 {
		t.Fatalf("customers named ann: %+v", custs)
	}
	expect(http.StatusOK, h.tenantAPI(t, a, "/v1/tenant/customers/"+custs.Customers[0].ID))
	expect(http.StatusNotFound, h.tenantAPI(t, b, "/v1/tenant/customers/"+custs.Customers[0].ID))

	// A service with bookings is archived, not deleted.
	var del struct{ Deleted, Archived bool }
	read(expect(http.StatusOK, h.owner(t, a, http.MethodDelete, "/v1/tenant/packages/wedding", nil)), &del)
	if !del.Deleted || !del.Archived {
		t.Errorf("deleting the booked wedding: %+v, want it archived", del)
	}

	// Last, the secret key (the default): the old one stops working at once.
	var rotated struct{ Key, Value string }
	read(expect(http.StatusOK, h.owner(t, a, http.MethodPost, "/v1/tenant/keys/rotate", nil)), &rotated)
	expect(http.StatusUnauthorized, h.tenantAPI(t, a, "/v1/tenant"))
	a.SecretKey = rotated.Value
	expect(http.StatusOK, h.tenantAPI(t, a, "/v1/tenant"))
}

// bookingLifecycleConformance drives the booking lifecycle through success
// and error answers: the owner's phone bookings, search, reschedules and
// cancellations, and a customer's move and cancellation confirmed in the
// chat. It runs after ownerAPIConformance, so tenant a requires a phone,
// refunds in full up to 72 hours before, and offers a portrait (60 minutes
// and 15 of buffer) on weekdays at 9:00, 10:15, 13:00, 14:15 and 15:30. sid
// is a chat session of tenant a.
func bookingLifecycleConformance(t *testing.T, h *harness, sid string) {
	t.Helper()
	type obj = map[string]any
	// expect checks the status and, when code is not "", the error code.
	expect := func(status int, code string, r response) response {
		t.Helper()
		if r.Status != status {
			t.Errorf("status %d, want %d: %s", r.Status, status, r.Body)
		} else if code != "" && errOf(t, r).Error != code {
			t.Errorf("error %q, want %q: %s", errOf(t, r).Error, code, r.Body)
		}
		return r
	}
	read := func(r response, v any) {
		t.Helper()
		if r.Status/100 != 2 {
			t.Fatalf("status %d: %s", r.Status, r.Body)
		}
		unmarshal(t, r, v)
	}
	a, b := h.a, h.b
	big := strings.Repeat("x", 70<<10)
	unknown := "0123456789abcdef0123456789abcdef"
	const bookings = "/v1/tenant/bookings"
	caller := obj{"name": "Phone Caller", "email": "caller@example.com", "phone": "+1 555 010 0177"}

	// Phone bookings: one paid at the desk, one awaiting payment (by id);
	// the first's slot again is taken.
	var paid, unpaid ownerBooking
	read(expect(http.StatusCreated, "", h.owner(t, a, http.MethodPost, bookings, obj{"packageId": "portrait", "date": "2026-12-18", "startTime": "10:15",
		"customer": caller, "notes": "Bring the dog", "paid": true, "notifyCustomer": false})), &paid)
	if paid.Status != "CONFIRMED" || paid.Source != "API" || paid.Notes != "Bring the dog" || paid.Customer.Phone != "+1 555 010 0177" {
		t.Errorf("phone booking paid at the desk: %+v", paid)
	}
	read(expect(http.StatusCreated, "", h.owner(t, a, http.MethodPost, bookings, obj{"packageId": a.Portrait.ID, "date": "2026-12-21", "startTime": "09:00",
		"customer": obj{"name": "Second Caller", "email": "second@example.com", "phone": "+1 555 010 0178"}})), &unpaid)
	if unpaid.Status != "PENDING" {
		t.Errorf("phone booking to be paid: %+v", unpaid)
	}
	expect(http.StatusConflict, frontdesk.ESlotUnavailable, h.owner(t, a, http.MethodPost, bookings, obj{"packageId": "portrait", "date": "2026-12-18",
		"startTime": "10:15", "customer": obj{"name": "Other", "email": "other@example.com", "phone": "+1 555 010 0100"}}))
	expect(http.StatusBadRequest, frontdesk.EInvalid, h.owner(t, a, http.MethodPost, bookings, obj{"packageId": "portrait", "date": "2026-12-22", "startTime": "10:15"}))
	expect(http.StatusBadRequest, frontdesk.EInvalid, h.owner(t, a, http.MethodPost, bookings, obj{"packageId": "portrait", "date": "2026-12-22", "startTime": "10:15",
		"customer": obj{"name": "No Phone", "email": "nophone@example.com"}})) // the business requires one
	expect(http.StatusBadRequest, frontdesk.EInvalid, h.owner(t, a, http.MethodPost, bookings, obj{"packageId": "portrait", "date": "2026-12-22", "startTime": "10:15",
		"customer": caller, "price": 1}))
	expect(http.StatusNotFound, frontdesk.ENotFound, h.owner(t, a, http.MethodPost, bookings, obj{"packageId": "nope", "date": "2026-12-22", "customer": caller}))
	expect(http.StatusNotFound, frontdesk.ENotFound, h.owner(t, a, http.MethodPost, bookings, obj{"packageId": b.Portrait.ID, "date": "2026-12-22", "startTime": "10:15",
		"customer": caller}))
	expect(http.StatusRequestEntityTooLarge, frontdesk.ETooLarge, h.owner(t, a, http.MethodPost, bookings, obj{"packageId": "portrait", "date": "2026-12-22",
		"startTime": "10:15", "customer": caller, "notes": big}))

	// Search.
	var list struct {
		Bookings []ownerBooking `json:"bookings"`
	}
	read(expect(http.StatusOK, "", h.tenantAPI(t, a, bookings+"?q="+strings.ToLower(paid.ConfirmationCode))), &list)
	if len(list.Bookings) != 1 || list.Bookings[0].ID != paid.ID {
		t.Errorf("search by code: %+v", list)
	}
	expect(http.StatusOK, "", h.tenantAPI(t, a, bookings+"?q=caller&status=PENDING&from=2026-12-01&to=2026-12-31&limit=10"))
	expect(http.StatusBadRequest, frontdesk.EInvalid, h.tenantAPI(t, a, bookings+"?q="+strings.Repeat("x", 201)))

	// Bookings that can't change: one past, one that expired unpaid.
	past := h.storeBooking(t, a, a.Portrait, "past@example.com", time.Date(2026, 12, 9, 20, 0, 0, 0, time.UTC), frontdesk.StatusConfirmed, testNow.Add(-72*time.Hour), nil)
	lapsed := h.storeBooking(t, a, a.Portrait, "lapsed@example.com", time.Date(2026, 12, 23, 18, 0, 0, 0, time.UTC), frontdesk.StatusExpired, testNow.Add(-2*time.Hour), nil)

	// The owner moves the paid booking; not onto the unpaid one's slot.
	var ch changeOut
	read(expect(http.StatusOK, "", h.owner(t, a, http.MethodPost, bookings+"/"+paid.ID+"/reschedule",
		obj{"date": "2026-12-21", "startTime": "14:15", "notifyCustomer": false})), &ch)
	if ch.Action != "rescheduled" || ch.RefundedCents != nil || ch.Booking.Date != "2026-12-21" || ch.Booking.RescheduleCount != 1 || ch.Booking.ID != paid.ID {
		t.Errorf("reschedule: %+v", ch)
	}
	expect(http.StatusConflict, frontdesk.ESlotUnavailable, h.owner(t, a, http.MethodPost, bookings+"/"+paid.ID+"/reschedule", obj{"date": "2026-12-21", "startTime": "09:00"}))
	expect(http.StatusConflict, frontdesk.EConflict, h.owner(t, a, http.MethodPost, bookings+"/"+past.ID+"/reschedule", obj{"date": "2026-12-22", "startTime": "10:15"}))
	expect(http.StatusConflict, frontdesk.EConflict, h.owner(t, a, http.MethodPost, bookings+"/"+lapsed.ID+"/reschedule", obj{"date": "2026-12-22", "startTime": "10:15"}))
	expect(http.StatusBadRequest, frontdesk.EInvalid, h.owner(t, a, http.MethodPost, bookings+"/"+paid.ID+"/reschedule", obj{"startTime": "10:15"}))
	expect(http.StatusBadRequest, frontdesk.EInvalid, h.owner(t, a, http.MethodPost, bookings+"/"+paid.ID+"/reschedule", obj{"date": "2026-12-22", "startTime": "10:15", "notify": true}))
	expect(http.StatusNotFound, frontdesk.ENotFound, h.owner(t, b, http.MethodPost, bookings+"/"+paid.ID+"/reschedule", obj{"date": "2026-12-22", "startTime": "10:15"}))
	expect(http.StatusNotFound, frontdesk.ENotFound, h.owner(t, a, http.MethodPost, bookings+"/"+unknown+"/reschedule", obj{"date": "2026-12-22", "startTime": "10:15"}))
	expect(http.StatusRequestEntityTooLarge, frontdesk.ETooLarge, h.owner(t, a, http.MethodPost, bookings+"/"+paid.ID+"/reschedule", obj{"date": "2026-12-22", "startTime": big}))

	// The owner cancels it with a full refund; again answers the same. The
	// unpaid one is canceled with an empty body: by the policy, nothing due.
	expect(http.StatusNotFound, frontdesk.ENotFound, h.owner(t, b, http.MethodPost, bookings+"/"+paid.ID+"/cancel", obj{"refund": "none"}))
	read(expect(http.StatusOK, "", h.owner(t, a, http.MethodPost, bookings+"/"+paid.ID+"/cancel",
		obj{"refund": "full", "reason": "Studio flooded", "notifyCustomer": false})), &ch)
	if ch.Action != "canceled" || ch.RefundedCents == nil || *ch.RefundedCents != 25000 || ch.Booking.Status != "REFUNDED" ||
		ch.Booking.RefundedCents != 25000 || ch.Booking.CanceledAt == nil || ch.Booking.Reason != "Studio flooded" {
		t.Errorf("cancel: %+v", ch)
	}
	expect(http.StatusOK, "", h.owner(t, a, http.MethodPost, bookings+"/"+paid.ID+"/cancel", obj{"refund": "none"}))
	read(expect(http.StatusOK, "", h.owner(t, a, http.MethodPost, bookings+"/"+unpaid.ID+"/cancel", nil)), &ch)
	if ch.Action != "canceled" || ch.RefundedCents == nil || *ch.RefundedCents != 0 || ch.Booking.Status != "CANCELED" {
		t.Errorf("cancel without a body: %+v", ch)
	}
	expect(http.StatusConflict, frontdesk.EConflict, h.owner(t, a, http.MethodPost, bookings+"/"+lapsed.ID+"/cancel", obj{"refund": "none"}))
	expect(http.StatusConflict, frontdesk.EConflict, h.owner(t, a, http.MethodPost, bookings+"/"+past.ID+"/cancel", obj{}))
	expect(http.StatusBadRequest, frontdesk.EInvalid, h.owner(t, a, http.MethodPost, bookings+"/"+past.ID+"/cancel", obj{"refund": "half"}))
	expect(http.StatusNotFound, frontdesk.ENotFound, h.owner(t, a, http.MethodPost, bookings+"/"+unknown+"/cancel", obj{}))
	expect(http.StatusRequestEntityTooLarge, frontdesk.ETooLarge, h.owner(t, a, http.MethodPost, bookings+"/"+past.ID+"/cancel", obj{"reason": big}))
	var canceled ownerBooking
	read(expect(http.StatusOK, "", h.tenantAPI(t, a, bookings+"/"+paid.ID)), &canceled)
	if canceled.Status != "REFUNDED" || canceled.RefundedCents != 25000 || canceled.RescheduleCount != 1 {
		t.Errorf("the canceled booking: %+v", canceled)
	}

	// A customer moves a booking and then cancels it in the chat: the
	// confirm answers rescheduled, then canceled with the refund.
	var mine ownerBooking
	read(expect(http.StatusCreated, "", h.owner(t, a, http.MethodPost, bookings, obj{"packageId": "portrait", "date": "2026-12-22", "startTime": "10:15",
		"customer": obj{"name": "Dora Diaz", "email": "dora@example.com", "phone": "+1 555 010 0179"}, "paid": true, "notifyCustomer": false})), &mine)
	ctx := context.Background()
	tn, err := h.store.TenantByID(ctx, a.Tenant.ID)
	if err != nil {
		t.Fatal(err)
	}
	move, err := h.bookings.ProposeReschedule(ctx, tn, sid, h.booking(t, a, mine.ID), frontdesk.Date{Year: 2026, Month: 12, Day: 22}, "13:00")
	if err != nil {
		t.Fatal(err)
	}
	var res struct {
		Action        string `json:"action"`
		Status        string `json:"status"`
		RefundedCents *int64 `json:"refundedCents"`
	}
	decode(t, h.confirm(t, a, sid, move.ID), &res)
	if res.Action != "rescheduled" || res.Status != "CONFIRMED" || res.RefundedCents != nil {
		t.Errorf("the customer's move: %+v", res)
	}
	drop, err := h.bookings.ProposeCancel(ctx, tn, sid, h.booking(t, a, mine.ID), "Plans changed")
	if err != nil {
		t.Fatal(err)
	}
	decode(t, h.confirm(t, a, sid, drop.ID), &res)
	if res.Action != "canceled" || res.Status != "REFUNDED" || res.RefundedCents == nil || *res.RefundedCents != 25000 {
		t.Errorf("the customer's cancellation: %+v", res)
	}
	expect(http.StatusOK, "", h.confirm(t, a, sid, drop.ID)) // the same again
}

// checkEvents checks each data line of an event stream against the
// documented event schema.
func (c *checkingTransport) checkEvents(where, path, method string, body []byte) {
	ptr := "/paths/" + pointerEscape(path) + "/" + strings.ToLower(method) + "/responses/200/content/text~1event-stream/schema"
	events := 0
	for _, line := range strings.Split(string(body), "\n") {
		data, ok := strings.CutPrefix(line, "data: ")
		if !ok {
			continue
		}
		events++
		v, err := jsonschema.UnmarshalJSON(strings.NewReader(data))
		if err != nil {
			c.t.Errorf("%s: event is not JSON: %s", where, data)
			continue
		}
		if err := c.doc.schemaAt(c.t, ptr).Validate(v); err != nil {
			c.t.Errorf("%s: event does not match openapi.json: %v\n%s", where, err, data)
		}
	}
	if events == 0 {
		c.t.Errorf("%s: an event stream without events", where)
	}
}

// customerDataConformance exports and erases a customer of tenant a (and
// tries both with tenant b's key), for the checking transport.
func customerDataConformance(t *testing.T, h *harness) {
	t.Helper()
	p := storetest.SeedPerson(t, h.store, h.a, "Conformance Person", "conformance.person@example.org", "+1 555 0142 000")
	path := "/v1/tenant/customers/" + p.Customer.ID
	for _, r := range []struct {
		f      *storetest.Fixture
		method string
		path   string
		want   int
	}{
		{h.a, http.MethodGet, path + "/export", http.StatusOK},
		{h.b, http.MethodGet, path + "/export", http.StatusNotFound},
		{h.b, http.MethodDelete, path, http.StatusNotFound},
		{h.a, http.MethodDelete, path, http.StatusOK},
	} {
		if got := h.owner(t, r.f, r.method, r.path, nil); got.Status != r.want {
			t.Errorf("%s %s = %s, want %d", r.method, r.path, got, r.want)
		}
	}
}
