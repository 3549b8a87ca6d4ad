package dashboard

import (
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"net/http"
	"net/url"
	"path"
	"strings"
	"time"

	"github.com/frontdeskhq/frontdesk"
	"github.com/frontdeskhq/frontdesk/booking"
	"github.com/frontdeskhq/frontdesk/mail"
	"github.com/frontdeskhq/frontdesk/ratelimit"
)

// sessionCookie names the cookie that holds the session's secret.
const sessionCookie = "fd_dashboard"

func hash(secret string) string {
	sum := sha256.Sum256([]byte(secret))
	return hex.EncodeToString(sum[:])
}

func validCSRF(got, want string) bool {
	return got != "" && subtle.ConstantTimeCompare([]byte(got), []byte(want)) == 1
}

func urlQueryEscape(s string) string { return url.QueryEscape(s) }

// safeNext keeps a post-sign-in destination inside the dashboard, so the
// sign-in page can't be used to send an owner elsewhere.
func safeNext(next string) string {
	p, query, _ := strings.Cut(next, "?")
	if strings.ContainsAny(next, "\\\r\n\t") || path.Clean(p) != p && path.Clean(p)+"/" != p {
		return Prefix + "/" // dots or doubled slashes: never guess where they lead
	}
	if !strings.HasPrefix(p, Prefix+"/") || strings.HasPrefix(p, "//") || strings.HasPrefix(p, Prefix+"/signin") {
		return Prefix + "/"
	}
	if query != "" {
		return p + "?" + query
	}
	return p
}

// AllowedEmail reports whether email may sign in to tenant t's dashboard:
// its contact email or one of its dashboard emails.
func AllowedEmail(t *frontdesk.Tenant, email string) bool { return allowedAddress(t, email) != "" }

// allowedAddress returns the tenant's own spelling of email when it may
// sign in, else "". Only ASCII letters fold: Unicode case folding would let
// a look-alike (a Kelvin sign for a k) match and receive the link.
func allowedAddress(t *frontdesk.Tenant, email string) string {
	for _, e := range append([]string{t.ContactEmail}, t.Settings.DashboardEmails...) {
		if e != "" && asciiLower(e) == asciiLower(email) {
			return e
		}
	}
	return ""
}

func asciiLower(s string) string {
	b := []byte(s)
	for i, c := range b {
		if c >= 'A' && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return string(b)
}

// NewLoginLink issues a one-time sign-in link for email to tenant t's
// dashboard, valid for LoginTTL; next is where it leads after signing in.
// The operator's `tenant login-link` and the sign-in page both use it.
func NewLoginLink(ctx context.Context, store frontdesk.Store, publicURL string, t *frontdesk.Tenant, email, next string, now time.Time) (string, error) {
	token := "l_" + frontdesk.NewID() + frontdesk.NewID()
	err := store.CreateLoginToken(ctx, &frontdesk.LoginToken{Hash: hash(token), TenantID: t.ID, Email: strings.ToLower(email),
		ExpiresAt: now.Add(LoginTTL), CreatedAt: now})
	if err != nil {
		return "", err
	}
	link := strings.TrimRight(publicURL, "/") + Prefix + "/signin/" + token
	if n := safeNext(next); n != Prefix+"/" {
		link += "?next=" + url.QueryEscape(n)
	}
	return link, nil
}

// signInPage asks for an email address.
func (s *Server) signInPage(w http.ResponseWriter, r *http.Request) {
	s.renderPublic(w, r, http.StatusOK, "signin", signInView{Next: safeNext(r.URL.Query().Get("next")), DevMailbox: s.DevMailbox})
}

type signInView struct {
	Email, Next string
	Error       string
	Sent        bool
	DevMailbox  bool
}

// signInSend emails a link when the address belongs to a business, and
// answers the same whether it does or not, so the page reveals nothing.
func (s *Server) signInSend(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		s.problem(w, r, http.StatusBadRequest, "The form could not be read", "Go back and try again.")
		return
	}
	email := strings.TrimSpace(r.PostForm.Get("email"))
	v := signInView{Email: email, Next: safeNext(r.PostForm.Get("next")), DevMailbox: s.DevMailbox}
	if !booking.ValidEmail(email) {
		v.Error = "Enter an email address, like owner@example.com."
		s.renderPublic(w, r, http.StatusBadRequest, "signin", v)
		return
	}
	if s.SignInLimiter != nil {
		ip := ratelimit.ClientIP(r, s.TrustedProxies)
		byIP := s.SignInLimiter.Allow(r.Context(), "ip:"+ip)
		byAddr := s.SignInLimiter.Allow(r.Context(), "email:"+strings.ToLower(email))
		if !byIP.Allowed || !byAddr.Allowed {
			v.Error = "Too many sign-in links were asked for. Please wait an hour, or use the last link you received."
			s.renderPublic(w, r, http.StatusTooManyRequests, "signin", v)
			return
		}
	}
	if err := s.sendLinks(r.Context(), email, v.Next); err != nil {
		s.log().Error("dashboard sign-in email", "err", err)
		s.problem(w, r, http.StatusServiceUnavailable, "The sign-in link could not be sent", "Please try again in a moment.")
		return
	}
	v.Sent = true
	s.renderPublic(w, r, http.StatusOK, "signin", v)
}

// sendLinks emails a sign-in link for every business the address may
// manage (one address can run several).
func (s *Server) sendLinks(ctx context.Context, email, next string) error {
	tenants, err := s.Store.ListTenants(ctx)
	if err != nil {
		return err
	}
	now := s.now()
	for _, t := range tenants {
		// The link goes to the address the business stored, never to the
		// spelling typed on the form.
		to := allowedAddress(t, email)
		if to == "" {
			continue
		}
		link, err := NewLoginLink(ctx, s.Store, s.PublicURL, t, to, next, now)
		if err != nil {
			return err
		}
		e, err := mail.DashboardSignIn(s.MailFrom, t, to, link, LoginTTL)
		if err != nil {
			return err
		}
		if err := s.Store.EnqueueEmail(ctx, &frontdesk.OutboxEmail{ID: frontdesk.NewID(), TenantID: t.ID,
			IdempotencyKey: "dashboard_signin:" + hash(link)[:32], Kind: mail.EmailDashboardSignIn, Email: e,
			NextAttemptAt: now, CreatedAt: now}); err != nil {
			return err
		}
	}
	return nil
}

// signInConfirm answers the link itself with a button: opening a link
// (a mail scanner does) must not use it up or sign anyone in; the button's
// POST does, and cross-origin posts are refused.
func (s *Server) signInConfirm(w http.ResponseWriter, r *http.Request) {
	token := r.PathValue("token")
	if !validLoginToken(token) {
		s.renderPublic(w, r, http.StatusGone, "signin", signInView{Error: "This sign-in link has expired or was already used. Enter your email to get a new one.",
			DevMailbox: s.DevMailbox})
		return
	}
	s.renderPublic(w, r, http.StatusOK, "signin_confirm", signInView{Next: safeNext(r.URL.Query().Get("next"))})
}

func validLoginToken(token string) bool { return strings.HasPrefix(token, "l_") && len(token) == 66 }

// signInLink turns a one-time link into a session.
func (s *Server) signInLink(w http.ResponseWriter, r *http.Request) {
	token := r.PathValue("token")
	if err := r.ParseForm(); err == nil && r.PostForm.Get("next") != "" {
		q := r.URL.Query()
		q.Set("next", r.PostForm.Get("next"))
		r.URL.RawQuery = q.Encode()
	}
	now := s.now()
	var lt *frontdesk.LoginToken
	var err error = frontdesk.NotFound("The sign-in link")
	if validLoginToken(token) {
		lt, err = s.Store.UseLoginToken(r.Context(), hash(token), now)
	}
	if err != nil {
		if !frontdesk.IsCode(err, frontdesk.ENotFound) {
			s.log().Error("dashboard sign-in", "err", err)
		}
		s.renderPublic(w, r, http.StatusGone, "signin", signInView{Error: "This sign-in link has expired or was already used. Enter your email to get a new one.",
			Next: safeNext(r.URL.Query().Get("next")), DevMailbox: s.DevMailbox})
		return
	}
	secret := "s_" + frontdesk.NewID() + frontdesk.NewID()
	sess := &frontdesk.DashboardSession{ID: frontdesk.NewID(), Hash: hash(secret), TenantID: lt.TenantID, Email: lt.Email,
		CSRFToken: frontdesk.NewID() + frontdesk.NewID(), UserAgent: trimUA(r.UserAgent()), CreatedAt: now, LastSeenAt: now,
		ExpiresAt: now.Add(SessionTTL)}
	if err := s.Store.CreateDashboardSession(r.Context(), sess); err != nil {
		s.log().Error("dashboard session", "err", err)
		s.problem(w, r, http.StatusServiceUnavailable, "You could not be signed in", "Please try the link again in a moment.")
		return
	}
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: secret, Path: Prefix, MaxAge: int(SessionTTL.Seconds()),
		HttpOnly: true, Secure: s.secure(), SameSite: http.SameSiteLaxMode})
	http.Redirect(w, r, safeNext(r.URL.Query().Get("next")), http.StatusSeeOther)
}

func trimUA(ua string) string {
	if len(ua) > 200 {
		ua = ua[:200]
	}
	return strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f {
			return -1
		}
		return r
	}, ua)
}

// session finds the request's live session and its tenant; ENotFound
// without one.
func (s *Server) session(r *http.Request) (*frontdesk.DashboardSession, *frontdesk.Tenant, error) {
	ck, err := r.Cookie(sessionCookie)
	if err != nil || !strings.HasPrefix(ck.Value, "s_") || len(ck.Value) != 66 {
		return nil, nil, frontdesk.NotFound("The session")
	}
	now := s.now()
	sess, err := s.Store.DashboardSessionByHash(r.Context(), hash(ck.Value), now)
	if err != nil {
		return nil, nil, err
	}
	t, err := s.Store.TenantByID(r.Context(), sess.TenantID)
	if err != nil {
		return nil, nil, err
	}
	if !AllowedEmail(t, sess.Email) {
		// The address was removed from the business's access: its
		// sessions end with it.
		return nil, nil, frontdesk.NotFound("The session")
	}
	if now.Sub(sess.LastSeenAt) > time.Hour {
		if err := s.Store.TouchDashboardSession(r.Context(), sess.ID, now); err != nil {
			s.log().Warn("dashboard session touch", "err", err)
		}
	}
	return sess, t, nil
}

// signOut ends this session.
func (s *Server) signOut(w http.ResponseWriter, r *http.Request, c *reqCtx) {
	if err := s.Store.RevokeDashboardSession(r.Context(), c.Tenant.ID, c.Session.ID, s.now()); err != nil && !frontdesk.IsCode(err, frontdesk.ENotFound) {
		s.fail(w, r, c, err)
		return
	}
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: "", Path: Prefix, MaxAge: -1, HttpOnly: true, Secure: s.secure(), SameSite: http.SameSiteLaxMode})
	http.Redirect(w, r, Prefix+"/signin", http.StatusSeeOther)
}
