package httpapi_test

import (
	"bytes"
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
	decode(t, h.confirm(t, h.a, sid, pid), &c)
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
		"POST /v1/webhooks/stripe -> 200", "POST /v1/webhooks/stripe -> 400",
	}
	for _, w := range want {
		if !ct.seen[w] {
			t.Errorf("the conformance run never saw %s", w)
		}
	}
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
