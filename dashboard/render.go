package dashboard

import (
	"bytes"
	"embed"
	"html/template"
	"io/fs"
	"net/http"
	"net/url"
	"path"
	"strings"
	"time"

	"github.com/frontdeskhq/frontdesk"
	"github.com/frontdeskhq/frontdesk/mail"
)

//go:embed templates/*.html static/*
var files embed.FS

// funcs are the helpers every template may use.
var funcs = template.FuncMap{
	"money": mail.FormatMoney,
	"static": func(name string) string {
		return Prefix + "/static/" + name + "?v=" + staticVersion
	},
	// when writes an instant in the business's zone, naming the zone.
	"when": func(t *frontdesk.Tenant, at *time.Time) string {
		if at == nil {
			return ""
		}
		return at.In(t.Location()).Format("Mon 2 Jan 2006, 3:04 PM MST")
	},
	"day":      func(d frontdesk.Date) string { return d.In(time.UTC).Format("Mon 2 Jan 2006") },
	"lower":    strings.ToLower,
	"navItems": func() []navItem { return nav },
	"add":      func(a, b int) int { return a + b },
}

var staticVersion = func() string {
	var b bytes.Buffer
	fs.WalkDir(files, "static", func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			data, _ := files.ReadFile(p)
			b.Write(data)
		}
		return nil
	})
	return hash(b.String())[:12]
}()

// templates holds every page parsed with the layout, by its file name
// without .html.
var templates = func() map[string]*template.Template {
	m := map[string]*template.Template{}
	entries, err := files.ReadDir("templates")
	if err != nil {
		panic(err)
	}
	for _, e := range entries {
		name := strings.TrimSuffix(e.Name(), ".html")
		if name == "layout" || strings.HasPrefix(name, "_") {
			continue
		}
		t := template.Must(template.New(name).Funcs(funcs).ParseFS(files, "templates/layout.html", "templates/_*.html", "templates/"+e.Name()))
		m[name] = t
	}
	return m
}()

// navItem is one entry of the menu.
type navItem struct{ Key, Label, Href string }

// nav is the menu, in order.
var nav = []navItem{
	{"home", "Home", Prefix + "/"},
	{"bookings", "Bookings", Prefix + "/bookings"},
	{"inbox", "Inbox", Prefix + "/escalations"},
	{"services", "Services", Prefix + "/services"},
	{"hours", "Hours", Prefix + "/hours"},
	{"info", "Business info", Prefix + "/info"},
	{"widget", "Website widget", Prefix + "/widget"},
	{"analytics", "Analytics", Prefix + "/analytics"},
	{"settings", "Settings", Prefix + "/settings"},
}

// view is what the layout sees; Data is the page's own.
type view struct {
	Title      string
	Nav        string // the nav entry to mark current
	Tenant     *frontdesk.Tenant
	Email      string
	CSRF       string
	Flash      string
	FlashError bool
	SignedIn   bool
	Data       any
}

// render writes a signed-in page.
func (s *Server) render(w http.ResponseWriter, r *http.Request, c *reqCtx, status int, name, title, nav string, data any) {
	v := view{Title: title, Nav: nav, Tenant: c.Tenant, Email: c.Session.Email, CSRF: c.Session.CSRFToken,
		Flash: c.Flash, FlashError: c.FlashError, SignedIn: true, Data: data}
	s.write(w, r, status, name, v)
}

// renderPublic writes a page shown without a session (sign-in, problems).
func (s *Server) renderPublic(w http.ResponseWriter, r *http.Request, status int, name string, data any) {
	s.write(w, r, status, name, view{Title: "Sign in", Data: data})
}

func (s *Server) write(w http.ResponseWriter, r *http.Request, status int, name string, v view) {
	t, ok := templates[name]
	if !ok {
		s.log().Error("dashboard: no template", "name", name)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	var b bytes.Buffer
	if err := t.ExecuteTemplate(&b, "layout", v); err != nil {
		s.log().Error("dashboard: render", "page", name, "err", err)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	if r.Method != http.MethodHead {
		w.Write(b.Bytes())
	}
}

type problemView struct{ Heading, Text string }

// problem writes an error page that says what to do.
func (s *Server) problem(w http.ResponseWriter, r *http.Request, status int, heading, text string) {
	s.write(w, r, status, "problem", view{Title: heading, Data: problemView{heading, text}})
}

func (s *Server) notFound(w http.ResponseWriter, r *http.Request, c *reqCtx) {
	s.render(w, r, c, http.StatusNotFound, "problem", "Not found", "", problemView{"This page does not exist",
		"It may have been removed, or the link is wrong. Use the menu to find your way."})
}

// fail shows a domain error: not found as a 404 page, anything internal as
// a 500 that leaks nothing.
func (s *Server) fail(w http.ResponseWriter, r *http.Request, c *reqCtx, err error) {
	switch frontdesk.ErrorCode(err) {
	case frontdesk.ENotFound:
		s.render(w, r, c, http.StatusNotFound, "problem", "Not found", "", problemView{"Not found", frontdesk.ErrorMessage(err)})
	case frontdesk.EInternal:
		s.log().Error("dashboard", "path", r.URL.Path, "err", err)
		s.render(w, r, c, http.StatusInternalServerError, "problem", "Something went wrong", "", problemView{"Something went wrong",
			"Please try again in a moment."})
	default:
		s.render(w, r, c, http.StatusConflict, "problem", "That didn't work", "", problemView{"That didn't work", frontdesk.ErrorMessage(err)})
	}
}

// flashCookie carries a message across the redirect after an action.
const flashCookie = "fd_flash"

// done redirects after a successful action, with a message for the next page.
func (s *Server) done(w http.ResponseWriter, r *http.Request, to, message string) {
	s.setFlash(w, message, false)
	http.Redirect(w, r, to, http.StatusSeeOther)
}

func (s *Server) setFlash(w http.ResponseWriter, message string, isError bool) {
	v := "ok:" + message
	if isError {
		v = "err:" + message
	}
	http.SetCookie(w, &http.Cookie{Name: flashCookie, Value: url.QueryEscape(v), Path: Prefix, MaxAge: 60,
		HttpOnly: true, Secure: s.secure(), SameSite: http.SameSiteLaxMode})
}

func takeFlash(w http.ResponseWriter, r *http.Request) (string, bool) {
	ck, err := r.Cookie(flashCookie)
	if err != nil {
		return "", false
	}
	http.SetCookie(w, &http.Cookie{Name: flashCookie, Value: "", Path: Prefix, MaxAge: -1, HttpOnly: true, SameSite: http.SameSiteLaxMode})
	v, err := url.QueryUnescape(ck.Value)
	if err != nil {
		return "", false
	}
	if m, ok := strings.CutPrefix(v, "err:"); ok {
		return m, true
	}
	m, _ := strings.CutPrefix(v, "ok:")
	return m, false
}

// form is a submitted form: what was typed, and the errors by field name,
// so a page can show each error next to its field and keep the input.
type form struct {
	Values url.Values
	Errors map[string]string
	// Alert is the one message at the top of the form.
	Alert string
}

func newForm(v url.Values) *form { return &form{Values: v, Errors: map[string]string{}} }

// Get returns a submitted value.
func (f *form) Get(name string) string {
	if f == nil {
		return ""
	}
	return f.Values.Get(name)
}

// Err returns the error of a field.
func (f *form) Err(name string) string {
	if f == nil {
		return ""
	}
	return f.Errors[name]
}

// fail records a domain error on the form: field details next to their
// fields (names mapped by rename), the rest as the alert.
func (f *form) fail(err error, rename map[string]string) {
	var fe *frontdesk.Error
	if e, ok := err.(*frontdesk.Error); ok {
		fe = e
	}
	if fe == nil || len(fe.Details) == 0 {
		f.Alert = frontdesk.ErrorMessage(err)
		return
	}
	f.Alert = "Please correct the fields marked below."
	for _, d := range fe.Details {
		name := d.Field
		if n, ok := rename[name]; ok {
			name = n
		}
		if _, dup := f.Errors[name]; !dup {
			f.Errors[name] = d.Message
		}
	}
}

func staticHandler(w http.ResponseWriter, r *http.Request) {
	name := path.Base(r.PathValue("file"))
	data, err := files.ReadFile("static/" + name)
	if err != nil {
		http.NotFound(w, r)
		return
	}
	types := map[string]string{".css": "text/css; charset=utf-8", ".js": "text/javascript; charset=utf-8", ".svg": "image/svg+xml"}
	if ct, ok := types[path.Ext(name)]; ok {
		w.Header().Set("Content-Type", ct)
	}
	w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	http.ServeContent(w, r, name, time.Time{}, bytes.NewReader(data))
}
