package dashboard

import (
	"bytes"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"

	"github.com/frontdeskhq/frontdesk"
	"github.com/frontdeskhq/frontdesk/business"
)

// catOrigin is one allowed website in the form (input origin-N).
type catOrigin struct {
	Index      int
	Value, Err string
}

type catWidgetView struct {
	Form      *form
	Snippet   string
	PublicURL string
	Origins   []catOrigin
	Base      string
}

// catMaxOrigins is how many websites the form reads (the domain allows 20).
const catMaxOrigins = 21

// catSnippet is the one tag a business puts on its site (README.md).
func (s *Server) catSnippet(t *frontdesk.Tenant) string {
	return `<script src="` + strings.TrimRight(s.PublicURL, "/") + `/widget.js" data-tenant-key="` + t.PublicKey + `" async></script>`
}

func catOriginItems(t *frontdesk.Tenant) []catItem {
	return []catItem{{"The allowed websites", strings.Join(t.AllowedOrigins, ", ")}}
}

func (s *Server) catWidgetRender(w http.ResponseWriter, r *http.Request, c *reqCtx, status int, f *form, origins []catOrigin) {
	v := catWidgetView{Form: f, Snippet: s.catSnippet(c.Tenant), PublicURL: strings.TrimRight(s.PublicURL, "/"), Origins: origins,
		Base: catBase(catOriginItems(c.Tenant))}
	s.render(w, r, c, status, "widget", "Website widget", "widget", v)
}

// catWidget shows the tag to copy, the allowed websites and a preview.
func (s *Server) catWidget(w http.ResponseWriter, r *http.Request, c *reqCtx) {
	var origins []catOrigin
	for _, o := range c.Tenant.AllowedOrigins {
		origins = append(origins, catOrigin{Index: len(origins), Value: o})
	}
	for range 2 {
		origins = append(origins, catOrigin{Index: len(origins)})
	}
	s.catWidgetRender(w, r, c, http.StatusOK, newForm(url.Values{}), origins)
}

var catOriginFieldRE = regexp.MustCompile(`^allowedOrigins\[(\d+)\]$`)

// catWidgetOrigins replaces the websites allowed to show the widget.
func (s *Server) catWidgetOrigins(w http.ResponseWriter, r *http.Request, c *reqCtx) {
	f := newForm(r.PostForm)
	var rows []catOrigin
	var list []string
	var listRow []int
	for i := range catMaxOrigins {
		k := fmt.Sprintf("origin-%d", i)
		if _, ok := r.PostForm[k]; !ok {
			continue
		}
		o := catOrigin{Index: len(rows), Value: strings.TrimSpace(f.Get(k))}
		if o.Value != "" {
			list = append(list, o.Value)
			listRow = append(listRow, o.Index)
		}
		rows = append(rows, o)
	}
	if len(rows) == 0 {
		// A post without the list's inputs must not clear the list.
		s.setFlash(w, "The websites were not saved: the form was incomplete. Please try again.", true)
		http.Redirect(w, r, Prefix+"/widget", http.StatusSeeOther)
		return
	}
	if rows[len(rows)-1].Value != "" {
		rows = append(rows, catOrigin{Index: len(rows)})
	}
	again := func(status int) {
		for i := range rows {
			rows[i].Err = f.Errors[fmt.Sprintf("origin-%d", rows[i].Index)]
		}
		s.catWidgetRender(w, r, c, status, f, rows)
	}
	if changes := catChanges(f.Get("base"), catOriginItems(c.Tenant)); len(changes) > 0 {
		f.Alert = catStaleAlert("the allowed websites", changes)
		again(http.StatusConflict)
		return
	}
	if list == nil {
		list = []string{}
	}
	n, err := s.Business.UpdateProfile(r.Context(), c.Tenant, business.ProfilePatch{AllowedOrigins: &list})
	if err != nil {
		if !catOnForm(err) {
			s.fail(w, r, c, err)
			return
		}
		catFail(f, err, func(api, _ string) (string, string) {
			if m := catOriginFieldRE.FindStringSubmatch(api); m != nil {
				if i, _ := strconv.Atoi(m[1]); i < len(listRow) {
					return fmt.Sprintf("origin-%d", listRow[i]), "this address"
				}
			}
			return "", "the list of websites"
		})
		again(http.StatusBadRequest)
		return
	}
	msg := "Saved: the widget may be used on " + strconv.Itoa(len(n.AllowedOrigins)) + " websites."
	switch len(n.AllowedOrigins) {
	case 0:
		msg = "Saved: no other website may use the widget now."
	case 1:
		msg = "Saved: the widget may be used on " + n.AllowedOrigins[0] + "."
	}
	s.done(w, r, Prefix+"/widget", msg)
}

// catPreviewCSP is the preview page's policy: the dashboard's, except that
// the dashboard's own pages may frame it, and the widget may style itself.
const catPreviewCSP = "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; script-src 'self'; " +
	"connect-src 'self'; frame-src 'self'; object-src 'none'; frame-ancestors 'self'; form-action 'self'; base-uri 'none'"

type catPreviewView struct {
	Name, Key string
}

// catWidgetPreview is a plain page with the widget of this business, for
// the widget page's frame. The widget talks to the public API from the
// dashboard's origin, Frontdesk's own, which every business allows.
func (s *Server) catWidgetPreview(w http.ResponseWriter, r *http.Request, c *reqCtx) {
	t, ok := templates["widget_preview"]
	if !ok {
		s.fail(w, r, c, fmt.Errorf("dashboard: no widget preview template"))
		return
	}
	var b bytes.Buffer
	if err := t.ExecuteTemplate(&b, "preview", catPreviewView{Name: c.Tenant.Name, Key: c.Tenant.PublicKey}); err != nil {
		s.fail(w, r, c, fmt.Errorf("dashboard: render widget preview: %w", err))
		return
	}
	h := w.Header()
	h.Set("X-Frame-Options", "SAMEORIGIN")
	h.Set("Content-Security-Policy", catPreviewCSP)
	h.Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(http.StatusOK)
	if r.Method != http.MethodHead {
		w.Write(b.Bytes())
	}
}
