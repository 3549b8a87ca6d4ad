// Package dashboard is the owner's web app at /dashboard: plain
// server-rendered pages (html/template, embedded static files) where a
// business runs its bookings, services, hours, inbox and numbers. Every
// page calls the same domain functions as the tenant API (packages booking
// and business); nothing here changes data any other way.
//
// Owners sign in with a one-time link emailed to the business's contact
// email or one of its dashboard emails, then hold a server-side session in
// an HttpOnly cookie. Every form carries the session's token, and
// cross-origin form posts are refused.
package dashboard

import (
	"context"
	"log/slog"
	"net/http"
	"net/netip"
	"strings"
	"time"

	"github.com/frontdeskhq/frontdesk"
	"github.com/frontdeskhq/frontdesk/booking"
	"github.com/frontdeskhq/frontdesk/business"
	"github.com/frontdeskhq/frontdesk/ratelimit"
)

// Server serves the dashboard. Construct it directly and mount Handler at
// /dashboard/.
type Server struct {
	Store     frontdesk.Store
	Bookings  *booking.Service
	Business  *business.Service
	Clock     frontdesk.Clock
	Log       *slog.Logger
	PublicURL string
	MailFrom  string
	// SignInLimiter counts sign-in emails per address and per client IP;
	// nil means no limit.
	SignInLimiter  *ratelimit.Limiter
	TrustedProxies []netip.Prefix
	// DevMailbox says the sign-in email can be read at /dev/mail.
	DevMailbox bool
}

// Lifetimes of sign-in links and sessions.
const (
	LoginTTL   = 15 * time.Minute
	SessionTTL = 30 * 24 * time.Hour
)

// Prefix is where the dashboard is mounted.
const Prefix = "/dashboard"

func (s *Server) now() time.Time { return s.Clock.Now().UTC() }

func (s *Server) log() *slog.Logger { return frontdesk.LoggerOrDefault(s.Log) }

// secure reports whether cookies must be Secure (an https PUBLIC_URL).
func (s *Server) secure() bool { return strings.HasPrefix(strings.ToLower(s.PublicURL), "https://") }

// Handler returns the dashboard's routes. Pages need a session; without
// one they redirect to the sign-in page and come back after.
func (s *Server) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET "+Prefix+"/static/{file}", staticHandler)
	mux.HandleFunc("GET "+Prefix+"/signin", s.signInPage)
	mux.HandleFunc("POST "+Prefix+"/signin", s.signInSend)
	mux.HandleFunc("GET "+Prefix+"/signin/{token}", s.signInConfirm)
	mux.HandleFunc("POST "+Prefix+"/signin/{token}", s.signInLink)
	mux.HandleFunc("POST "+Prefix+"/signout", s.page(s.signOut))
	mux.HandleFunc("GET "+Prefix+"/{$}", s.page(s.home))
	for _, rt := range s.pageRoutes() {
		mux.HandleFunc(rt.pattern, s.page(rt.handle))
	}
	mux.HandleFunc(Prefix+"/", s.page(func(w http.ResponseWriter, r *http.Request, c *reqCtx) {
		s.notFound(w, r, c)
	}))
	protect := http.NewCrossOriginProtection()
	protect.SetDenyHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.problem(w, r, http.StatusForbidden, "This form was sent from another site",
			"For your safety, changes can only be made from the dashboard's own pages. Go back to the dashboard and try again.")
	}))
	return securityHeaders(protect.Handler(mux))
}

// route is one page of the dashboard.
type route struct {
	pattern string // a ServeMux pattern with method, e.g. "GET /dashboard/bookings"
	handle  pageFunc
}

// pageRoutes lists the pages beyond home and sign-in; each group of pages
// adds its routes here.
func (s *Server) pageRoutes() []route {
	var out []route
	for _, group := range []func() []route{s.bookingRoutes, s.catalogRoutes, s.inboxRoutes, s.settingsRoutes} {
		out = append(out, group()...)
	}
	return out
}

// securityHeaders sets the headers every dashboard answer carries.
func securityHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Referrer-Policy", "same-origin")
		h.Set("Cache-Control", "no-store")
		h.Set("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "+
			"connect-src 'self'; frame-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'")
		next.ServeHTTP(w, r)
	})
}

// reqCtx is a signed-in request: the session and its tenant.
type reqCtx struct {
	Session *frontdesk.DashboardSession
	Tenant  *frontdesk.Tenant
	// Flash is the message of the previous action, shown once.
	Flash      string
	FlashError bool
}

type pageFunc func(w http.ResponseWriter, r *http.Request, c *reqCtx)

type ctxKey struct{}

// page runs h for a signed-in owner. Without a live session it redirects
// to the sign-in page (GET) or refuses (other methods); a form post must
// carry the session's token.
func (s *Server) page(h pageFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		sess, t, err := s.session(r)
		if err != nil {
			if !frontdesk.IsCode(err, frontdesk.ENotFound) {
				s.log().Error("dashboard session", "err", err)
				s.problem(w, r, http.StatusServiceUnavailable, "The dashboard is unavailable", "Please try again in a moment.")
				return
			}
			if r.Method == http.MethodGet || r.Method == http.MethodHead {
				http.Redirect(w, r, Prefix+"/signin?next="+urlQueryEscape(r.URL.RequestURI()), http.StatusSeeOther)
				return
			}
			s.problem(w, r, http.StatusUnauthorized, "Please sign in again", "Your session has ended. Sign in and send the form again.")
			return
		}
		if r.Method == http.MethodPost {
			if err := r.ParseForm(); err != nil || !validCSRF(r.PostForm.Get("csrf"), sess.CSRFToken) {
				s.problem(w, r, http.StatusForbidden, "This form has expired",
					"Go back, reload the page and send the form again.")
				return
			}
		}
		c := &reqCtx{Session: sess, Tenant: t}
		c.Flash, c.FlashError = takeFlash(w, r)
		ctx := context.WithValue(r.Context(), ctxKey{}, c)
		h(w, r.WithContext(ctx), c)
	}
}
