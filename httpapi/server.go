// Package httpapi serves Frontdesk over HTTP: the public chat API for the
// widget, the tenant API, the Stripe webhook, the test-mode checkout, the
// dev mailbox and the health probes.
package httpapi

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"net/netip"
	"strings"
	"time"

	"github.com/frontdeskhq/frontdesk"
	"github.com/frontdeskhq/frontdesk/booking"
	"github.com/frontdeskhq/frontdesk/business"
	"github.com/frontdeskhq/frontdesk/chat"
	"github.com/frontdeskhq/frontdesk/metrics"
	"github.com/frontdeskhq/frontdesk/ratelimit"
	"github.com/frontdeskhq/frontdesk/web"
)

// Server holds what the handlers need. Construct it directly and call Handler.
type Server struct {
	Store    frontdesk.Store
	Chat     *chat.Service
	Bookings *booking.Service
	Business *business.Service
	Clock    frontdesk.Clock
	Log      *slog.Logger

	PublicURL string
	// BodyLimit caps request bodies (default 64 KiB).
	BodyLimit int64
	// DevMailbox serves /dev/mail (no real email provider configured).
	DevMailbox bool
	// TestCheckout serves the test-mode checkout (no Stripe key configured).
	TestCheckout bool
	// StripeWebhook verifies and decodes a Stripe webhook; nil disables the endpoint.
	StripeWebhook func(payload []byte, signature string, now time.Time) (frontdesk.PaymentEvent, error)
	// IsBadSignature tells a signature failure from other webhook errors.
	IsBadSignature func(error) bool
	// ChatLimiter limits chat messages per client IP; nil means no limit.
	ChatLimiter *ratelimit.Limiter
	// SessionLimiter limits new chat sessions per client IP, so a script
	// cannot fill the database with empty sessions; nil means no limit.
	SessionLimiter *ratelimit.Limiter
	// EscalationLimiter limits escalations per client IP, apart from chat.
	EscalationLimiter *ratelimit.Limiter
	// ConfirmLimiter limits confirmations of proposals per client IP (each
	// may book and open a checkout); nil means no limit.
	ConfirmLimiter *ratelimit.Limiter
	// GreetingLimiter limits greetings (one per page view of a site with
	// the widget) per client IP; nil means no limit.
	GreetingLimiter *ratelimit.Limiter
	// FeedbackLimiter limits feedback (thumbs and ratings) per client IP;
	// nil means no limit.
	FeedbackLimiter *ratelimit.Limiter
	// Metrics counts requests by route and rate-limit refusals; nil: none.
	Metrics *metrics.Metrics
	// TrustedProxies are the peers whose X-Forwarded-For is believed.
	TrustedProxies []netip.Prefix
	// StreamHeartbeat is how often an idle event stream sends a comment
	// line (default DefaultStreamHeartbeat).
	StreamHeartbeat time.Duration
	// Dashboard serves the owner's dashboard under /dashboard/; nil: none.
	Dashboard http.Handler
	// Demo serves the demo storefront at / with the widget for DemoKey.
	Demo    bool
	DemoKey string
}

func (s *Server) bodyLimit() int64 {
	if s.BodyLimit > 0 {
		return s.BodyLimit
	}
	return 64 << 10
}

// Handler returns the routes wrapped in the middleware.
func (s *Server) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
	})
	mux.HandleFunc("GET /readyz", s.ready)

	routes := s.apiRoutes()
	for _, rt := range routes {
		mux.HandleFunc(rt.Method+" "+rt.Path, rt.handler)
	}
	mux.HandleFunc("OPTIONS /v1/public/", s.preflight)
	mux.HandleFunc("GET /openapi.json", serveOpenAPI)
	mux.HandleFunc("/v1/", func(w http.ResponseWriter, r *http.Request) {
		for _, rt := range routes {
			if matchPath(rt.Path, r.URL.Path) {
				w.Header().Set("Allow", strings.ReplaceAll(allowedMethods(routes, r.URL.Path), " or ", ", "))
				writeError(w, r, frontdesk.Errorf(frontdesk.EMethodNotAllowed, "%s %s is not supported; use %s.", r.Method, r.URL.Path, allowedMethods(routes, r.URL.Path)))
				return
			}
		}
		writeError(w, r, frontdesk.Errorf(frontdesk.ENotFound, "There is no %s %s endpoint. See /openapi.json for the API.", r.Method, r.URL.Path))
	})

	// The status pages' query (booking id and code) and the test
	// checkout's path (a booking id that pays it) are secrets: no Referer.
	mux.Handle("GET /booking/success", securePage(noReferrer, http.HandlerFunc(s.bookingStatusPage)))
	mux.Handle("GET /booking/cancel", securePage(noReferrer, http.HandlerFunc(s.bookingStatusPage)))
	if s.TestCheckout {
		cop := http.NewCrossOriginProtection()
		cop.SetDenyHandler(http.HandlerFunc(s.testCheckoutRefused))
		mux.Handle("GET /checkout/test/{bookingId}", securePage(noReferrer, http.HandlerFunc(s.testCheckoutPage)))
		mux.Handle("POST /checkout/test/{bookingId}/{action}", securePage(noReferrer, cop.Handler(http.HandlerFunc(s.testCheckoutAction))))
	}
	// The widget is a script other sites embed; it is no page.
	mux.Handle("GET /widget.js", web.WidgetHandler())
	mux.HandleFunc("GET /calendar/{file}", s.calendarFeed)
	s.manageRoutes(mux)
	if s.Dashboard != nil {
		mux.Handle("/dashboard/", s.Dashboard)
		mux.Handle("GET /dashboard", http.RedirectHandler("/dashboard/", http.StatusMovedPermanently))
	}
	if s.Demo {
		mux.Handle("GET /{$}", securePage(sameOrigin, web.StorefrontHandler("Lumen Photo Studio",
			"Weddings, portraits and family sessions in Brooklyn. Ask our assistant for a time that suits you.", s.DemoKey)))
	} else {
		mux.Handle("GET /{$}", web.HomeHandler()) // what this server is
	}
	if s.DevMailbox {
		mux.Handle("GET /dev/mail", securePage(sameOrigin, http.HandlerFunc(s.devMailList)))
		mux.Handle("GET /dev/mail/{id}", securePage(sameOrigin, http.HandlerFunc(s.devMailShow)))
		mux.Handle("GET /dev/mail/{id}/html", securePage(sameOrigin, http.HandlerFunc(s.devMailHTML)))
		mux.Handle("GET /dev/mail/{id}/attachments/{n}", securePage(sameOrigin, http.HandlerFunc(s.devMailAttachment)))
	}
	return s.observe(s.limitBody(mux))
}

func (s *Server) now() time.Time { return s.Clock.Now().UTC() }

// Referrer policies of securePage.
const (
	sameOrigin = "same-origin" // pages whose URL tells nothing
	noReferrer = "no-referrer" // pages whose URL is a secret
)

// securePage gives an HTML page of this server (and its error answers) the
// headers every page carries: no MIME sniffing, never framed (none is
// meant to be embedded: the widget is a script, the manage pages have
// their own), and the Referrer-Policy given. They are set before the page
// runs and again when it writes, over any the page set itself; a
// Content-Security-Policy of the page is kept, with frame-ancestors 'none'
// added when it has none.
func securePage(referrer string, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		pw := &pageWriter{ResponseWriter: w, referrer: referrer}
		pw.secure()
		next.ServeHTTP(pw, r)
	})
}

// pageWriter applies securePage's headers when the page writes.
type pageWriter struct {
	http.ResponseWriter
	referrer string
	wrote    bool
}

func (p *pageWriter) secure() {
	h := p.Header()
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("X-Frame-Options", "DENY")
	h.Set("Referrer-Policy", p.referrer)
	switch csp := h.Get("Content-Security-Policy"); {
	case csp == "":
		h.Set("Content-Security-Policy", "frame-ancestors 'none'")
	case !strings.Contains(csp, "frame-ancestors"):
		h.Set("Content-Security-Policy", csp+"; frame-ancestors 'none'")
	}
}

// WriteHeader applies the headers, then writes the status.
func (p *pageWriter) WriteHeader(code int) {
	if !p.wrote {
		p.wrote = true
		p.secure()
	}
	p.ResponseWriter.WriteHeader(code)
}

// Write applies the headers if the page did not write a status first.
func (p *pageWriter) Write(b []byte) (int, error) {
	if !p.wrote {
		p.wrote = true
		p.secure()
	}
	return p.ResponseWriter.Write(b)
}

// Unwrap lets http.ResponseController reach the underlying writer.
func (p *pageWriter) Unwrap() http.ResponseWriter { return p.ResponseWriter }

func (s *Server) ready(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()
	if err := s.Store.Ping(ctx); err != nil {
		logger(ctx).Warn("readiness: database ping failed", "err", err)
		writeJSON(w, http.StatusServiceUnavailable, map[string]string{"status": "unavailable", "database": "unreachable"})
		return
	}
	writeJSON(w, http.StatusOK, map[string]string{"status": "ok", "database": "ok"})
}

// Route is one endpoint of the JSON API. Every route is documented in
// openapi.json; a test keeps the two in step.
type Route struct {
	Method  string
	Path    string // a ServeMux pattern path, e.g. /v1/tenant/bookings/{id}
	handler http.HandlerFunc
}

// Routes lists the JSON API's endpoints.
func (s *Server) Routes() []Route { return s.apiRoutes() }

func (s *Server) apiRoutes() []Route {
	// Every public endpoint has a budget, so one client cannot slow the
	// others down.
	messages := s.budget(s.ChatLimiter, frontdesk.ERateLimited, "messages") // one budget for both message endpoints
	return []Route{
		{"GET", "/v1/public/chat/greeting", s.public(s.greeting, s.budget(s.GreetingLimiter, frontdesk.ERateLimited, "requests"))},
		{"POST", "/v1/public/chat/session", s.public(s.session, s.budget(s.SessionLimiter, frontdesk.ERateLimited, "new chats"))},
		{"POST", "/v1/public/chat/message", s.public(s.message, messages)},
		{"POST", "/v1/public/chat/confirm/{proposalId}", s.public(s.confirm, s.budget(s.ConfirmLimiter, frontdesk.ERateLimited, "confirmations"))},
		{"POST", "/v1/public/chat/message/stream", s.public(s.messageStream, messages)},
		{"POST", "/v1/public/chat/feedback", s.public(s.feedback, s.budget(s.FeedbackLimiter, frontdesk.ERateLimited, "feedback"))},
		{"POST", "/v1/public/chat/escalate", s.public(s.escalate, s.budget(s.EscalationLimiter, frontdesk.EEscalationLimit, "requests for a person"))},
		{"GET", "/v1/tenant/bookings", s.tenant(s.listBookings)},
		{"GET", "/v1/tenant/bookings/{id}", s.tenant(s.getBooking)},
		{"POST", "/v1/tenant/bookings", s.tenant(s.createBooking)},
		{"POST", "/v1/tenant/bookings/{id}/cancel", s.tenant(s.cancelBooking)},
		{"POST", "/v1/tenant/bookings/{id}/reschedule", s.tenant(s.rescheduleBooking)},
		{"GET", "/v1/tenant/analytics", s.tenant(s.analytics)},
		{"GET", "/v1/tenant", s.tenant(s.getTenant)},
		{"PATCH", "/v1/tenant", s.tenant(s.patchTenant)},
		{"POST", "/v1/tenant/keys/rotate", s.tenant(s.rotateKey)},
		{"GET", "/v1/tenant/packages", s.tenant(s.listPackages)},
		{"POST", "/v1/tenant/packages", s.tenant(s.createPackage)},
		{"GET", "/v1/tenant/packages/{id}", s.tenant(s.getPackage)},
		{"PATCH", "/v1/tenant/packages/{id}", s.tenant(s.patchPackage)},
		{"DELETE", "/v1/tenant/packages/{id}", s.tenant(s.deletePackage)},
		{"GET", "/v1/tenant/availability", s.tenant(s.getAvailability)},
		{"PUT", "/v1/tenant/availability", s.tenant(s.putAvailability)},
		{"GET", "/v1/tenant/availability/preview", s.tenant(s.previewAvailability)},
		{"GET", "/v1/tenant/blackouts", s.tenant(s.listBlackouts)},
		{"POST", "/v1/tenant/blackouts", s.tenant(s.createBlackout)},
		{"DELETE", "/v1/tenant/blackouts/{id}", s.tenant(s.deleteBlackout)},
		{"GET", "/v1/tenant/escalations", s.tenant(s.listEscalations)},
		{"GET", "/v1/tenant/escalations/{id}", s.tenant(s.getEscalation)},
		{"PATCH", "/v1/tenant/escalations/{id}", s.tenant(s.patchEscalation)},
		{"GET", "/v1/tenant/feedback", s.tenant(s.listFeedback)},
		{"GET", "/v1/tenant/customers", s.tenant(s.listCustomers)},
		{"GET", "/v1/tenant/customers/{id}", s.tenant(s.getCustomer)},
		{"GET", "/v1/tenant/customers/{id}/export", s.tenant(s.exportCustomer)},
		{"DELETE", "/v1/tenant/customers/{id}", s.tenant(s.eraseCustomer)},
		{"POST", "/v1/webhooks/stripe", s.stripeWebhook},
	}
}

// Matches reports whether a request path is one of the route's paths.
func (r Route) Matches(path string) bool { return matchPath(r.Path, path) }

// matchPath reports whether a request path fits a route path whose {name}
// segments match any one segment.
func matchPath(pattern, path string) bool {
	ps, xs := strings.Split(pattern, "/"), strings.Split(path, "/")
	if len(ps) != len(xs) {
		return false
	}
	for i := range ps {
		if ps[i] != xs[i] && !(strings.HasPrefix(ps[i], "{") && xs[i] != "") {
			return false
		}
	}
	return true
}

func allowedMethods(routes []Route, path string) string {
	var m []string
	for _, rt := range routes {
		if matchPath(rt.Path, path) {
			m = append(m, rt.Method)
		}
	}
	return strings.Join(m, " or ")
}

// tenantStep is the part of a request that needs the tenant: it runs after
// authentication and returns the JSON body of a 200.
type tenantStep func(t *frontdesk.Tenant) (any, error)

// handler reads and validates a request without touching the database and
// returns the step that needs the tenant. So bad input never costs a query.
type handler func(r *http.Request) (tenantStep, error)

// public serves an endpoint of the widget's API: the publishable key in
// X-Tenant-Key is checked for shape, the request validated and counted
// against the endpoint's budget (nil: none), and only then the tenant
// looked up and the browser's origin checked against it.
func (s *Server) public(h handler, b *budget) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		// The assistant's tools count look-ups and requests for a person
		// per client, like the endpoints do.
		r = r.WithContext(chat.WithClientIP(r.Context(), ratelimit.ClientIP(r, s.TrustedProxies)))
		corsHeaders(w, r)
		key := strings.TrimSpace(r.Header.Get("X-Tenant-Key"))
		if key == "" {
			writeError(w, r, frontdesk.Errorf(frontdesk.EUnauthorized, "Send the business's publishable key (pk_...) in the X-Tenant-Key header."))
			return
		}
		if !strings.HasPrefix(key, "pk_") || len(key) > 100 {
			writeError(w, r, frontdesk.Errorf(frontdesk.EUnauthorized, "X-Tenant-Key must be a publishable key starting with pk_."))
			return
		}
		s.run(w, r, h, b, func() (*frontdesk.Tenant, error) {
			t, err := s.Store.TenantByPublicKey(r.Context(), key)
			if frontdesk.IsCode(err, frontdesk.ENotFound) {
				return nil, frontdesk.Errorf(frontdesk.EUnauthorized, "This publishable key is not known. Check the data-tenant-key of the widget.")
			}
			if err != nil {
				return nil, err
			}
			return t, s.checkOrigin(r, t)
		})
	}
}

// tenant serves an endpoint of the tenant API, authenticated by
// Authorization: Bearer sk_...
func (s *Server) tenant(h handler) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		// The scheme is case-insensitive (RFC 9110, section 11.1).
		scheme, key, ok := strings.Cut(strings.TrimSpace(r.Header.Get("Authorization")), " ")
		key = strings.TrimSpace(key)
		if !ok || !strings.EqualFold(scheme, "Bearer") || !strings.HasPrefix(key, "sk_") {
			writeError(w, r, frontdesk.Errorf(frontdesk.EUnauthorized, "Send your secret key as Authorization: Bearer sk_..."))
			return
		}
		s.run(w, r, h, nil, func() (*frontdesk.Tenant, error) {
			t, err := s.Store.TenantBySecretKeyHash(r.Context(), frontdesk.HashSecretKey(key))
			if frontdesk.IsCode(err, frontdesk.ENotFound) {
				return nil, frontdesk.Errorf(frontdesk.EUnauthorized, "This secret key is not valid. Use the key printed when the business was created.")
			}
			return t, err
		})
	}
}

// run validates, spends the budget, authenticates, then runs the tenant
// step and writes its result.
func (s *Server) run(w http.ResponseWriter, r *http.Request, h handler, b *budget, auth func() (*frontdesk.Tenant, error)) {
	step, err := h(r)
	if err != nil {
		writeError(w, r, err)
		return
	}
	if !s.spend(w, r, b) {
		return
	}
	t, err := auth()
	if t != nil {
		setTenant(r.Context(), t)
	}
	if err != nil {
		writeError(w, r, err)
		return
	}
	out, err := step(t)
	if err != nil {
		writeError(w, r, err)
		return
	}
	if rs, ok := out.(responder); ok {
		rs.respond(w, r)
		return
	}
	writeJSON(w, http.StatusOK, out)
}

// decodeJSON reads one JSON object into v, refusing unknown fields, trailing
// data and oversized bodies with errors that name the problem.
func decodeJSON(r *http.Request, v any) error {
	if ct := r.Header.Get("Content-Type"); ct != "" && !strings.HasPrefix(strings.ToLower(ct), "application/json") {
		return frontdesk.Errorf(frontdesk.EInvalid, "Send the body as JSON with Content-Type: application/json.")
	}
	err := frontdesk.DecodeJSON(r.Body, v)
	var tooBig *http.MaxBytesError
	if errors.As(err, &tooBig) {
		return frontdesk.Errorf(frontdesk.ETooLarge, "The request body is larger than %d bytes; send a shorter one.", tooBig.Limit)
	}
	return err
}

// pathID reads an id path value, refusing anything that is not an id.
func pathID(r *http.Request, name, what string) (string, error) {
	id := r.PathValue(name)
	if !frontdesk.ValidID(id) {
		return "", frontdesk.NotFound(what)
	}
	return id, nil
}

func sessionIDField(id string) error {
	if bad := checkSessionID(nil, id); len(bad) > 0 {
		return frontdesk.Invalid(bad...)
	}
	return nil
}

// checkSessionID adds a detail to bad when id is not a session id.
func checkSessionID(bad []frontdesk.FieldError, id string) []frontdesk.FieldError {
	if !frontdesk.ValidID(id) {
		bad = append(bad, frontdesk.FieldError{Field: "sessionId", Message: "must be the sessionId returned by POST /v1/public/chat/session"})
	}
	return bad
}
