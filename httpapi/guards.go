package httpapi

import (
	"math"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/frontdeskhq/frontdesk"
	"github.com/frontdeskhq/frontdesk/ratelimit"
)

// budget is an endpoint's per-client-IP rate limit: the limiter, the error
// code of a refusal, and what is being counted, for its message.
type budget struct {
	limiter    *ratelimit.Limiter
	code, what string
}

// budget returns the budget of a limiter, or nil (no limit) without one.
func (s *Server) budget(l *ratelimit.Limiter, code, what string) *budget {
	if l == nil {
		return nil
	}
	return &budget{l, code, what}
}

// spend counts a request against b. The answer carries the RateLimit
// headers; over budget, spend writes a 429 with Retry-After and returns
// false. Only valid requests are counted: a customer's typo costs nothing.
func (s *Server) spend(w http.ResponseWriter, r *http.Request, b *budget) bool {
	if b == nil {
		return true
	}
	d := b.limiter.Allow(r.Context(), ratelimit.ClientIP(r, s.TrustedProxies))
	reset := int(math.Ceil(d.Reset.Seconds()))
	h := w.Header()
	h.Set("RateLimit-Limit", strconv.Itoa(d.Limit))
	h.Set("RateLimit-Remaining", strconv.Itoa(d.Remaining))
	h.Set("RateLimit-Reset", strconv.Itoa(reset))
	if !d.Allowed {
		s.Metrics.RateLimited(b.limiter.Name)
		h.Set("Retry-After", strconv.Itoa(reset))
		writeError(w, r, frontdesk.Errorf(b.code, "You're sending %s too quickly. Please wait %s and try again.", b.what, waitText(reset)))
		return false
	}
	return true
}

// origin normalises an Origin header or URL to scheme://host[:port].
func origin(raw string) string {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil || u.Scheme == "" || u.Host == "" {
		return ""
	}
	return strings.ToLower(u.Scheme + "://" + u.Host)
}

// preflight answers CORS preflight requests of the public API. The tenant
// is not known yet (the key is not sent with a preflight), so it allows the
// asking origin; the real request is then checked against the tenant's
// allowed origins.
func (s *Server) preflight(w http.ResponseWriter, r *http.Request) {
	o := r.Header.Get("Origin")
	if o == "" || r.Header.Get("Access-Control-Request-Method") == "" {
		writeError(w, r, frontdesk.Errorf(frontdesk.EMethodNotAllowed, "Use GET or POST on this endpoint."))
		return
	}
	h := w.Header()
	h.Set("Access-Control-Allow-Origin", o)
	h.Set("Access-Control-Allow-Methods", "GET, POST, OPTIONS")
	h.Set("Access-Control-Allow-Headers", "Content-Type, X-Tenant-Key, X-Request-Id")
	h.Set("Access-Control-Expose-Headers", "Retry-After, RateLimit-Limit, RateLimit-Remaining, RateLimit-Reset, X-Request-Id")
	h.Set("Access-Control-Max-Age", "600")
	h.Add("Vary", "Origin")
	w.WriteHeader(http.StatusNoContent)
}

// corsHeaders lets a widget on another site read the public API's answers,
// errors included (a 429's Retry-After, a 403's reason). Whether the origin
// may use a tenant is decided by checkOrigin once the tenant is known,
// before any of its data is read.
func corsHeaders(w http.ResponseWriter, r *http.Request) {
	o := r.Header.Get("Origin")
	if o == "" {
		return
	}
	h := w.Header()
	h.Set("Access-Control-Allow-Origin", o)
	h.Set("Access-Control-Expose-Headers", "Retry-After, RateLimit-Limit, RateLimit-Remaining, RateLimit-Reset, X-Request-Id")
	h.Add("Vary", "Origin")
}

// checkOrigin refuses a browser request from an origin the tenant has not
// allowed (Frontdesk's own origin always is). Requests without Origin
// (servers, curl) pass: CORS protects browsers, not the API.
func (s *Server) checkOrigin(r *http.Request, t *frontdesk.Tenant) error {
	raw := r.Header.Get("Origin")
	if raw == "" {
		return nil
	}
	o := origin(raw)
	if o != "" && o == origin(s.PublicURL) {
		return nil
	}
	for _, a := range t.AllowedOrigins {
		if o != "" && origin(a) == o {
			return nil
		}
	}
	// Neither the business nor the origin is named: whoever holds a
	// publishable key must not learn whose it is from a foreign page.
	return frontdesk.Errorf(frontdesk.EForbidden, "This website is not allowed to use this booking widget. The business can add it to its allowed origins.")
}

// waitText says how long to wait, in seconds or, past 90 seconds, minutes.
func waitText(seconds int) string {
	switch {
	case seconds <= 1:
		return "a second"
	case seconds <= 90:
		return strconv.Itoa(seconds) + " seconds"
	}
	return strconv.Itoa((seconds+59)/60) + " minutes"
}
