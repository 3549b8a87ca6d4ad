package web

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"fmt"
	"html/template"
	"io"
	"net/http"
	"time"
)

// The customer's booking page (/b/{token}) is server-rendered from the
// templates below: one layout (layout.html, with the partials every step
// shares), one view per step, and one stylesheet. It needs no JavaScript.

//go:embed templates/*.html static/manage.css
var pages embed.FS

// ManageCSSPath is where ManageCSSHandler is mounted.
const ManageCSSPath = "/static/manage.css"

// ManageCSP is the Content-Security-Policy of the manage pages: no script
// at all, the one stylesheet from this origin, forms only to this origin,
// never framed.
const ManageCSP = "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; " +
	"frame-ancestors 'none'; base-uri 'none'"

var (
	manageCSS = mustReadFS(pages, "static/manage.css")
	// manageCSSVersion changes with the stylesheet, so a page always
	// links the sheet it was written for despite the long cache.
	manageCSSVersion = func() string {
		sum := sha256.Sum256(manageCSS)
		return hex.EncodeToString(sum[:8])
	}()
)

func mustReadFS(fsys embed.FS, name string) []byte {
	b, err := fsys.ReadFile(name)
	if err != nil {
		panic("web: embedded " + name + " missing: " + err.Error())
	}
	return b
}

// ManageCSSHandler serves the manage pages' stylesheet. Pages link it with
// a version query, so it may be cached for long.
func ManageCSSHandler() http.Handler {
	etag := `"` + manageCSSVersion + `"`
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !getOrHead(w, r, "Use GET to load the stylesheet.") {
			return
		}
		h := w.Header()
		h.Set("Content-Type", "text/css; charset=utf-8")
		h.Set("Cache-Control", "public, max-age=86400")
		h.Set("ETag", etag)
		h.Set("X-Content-Type-Options", "nosniff")
		http.ServeContent(w, r, "manage.css", time.Time{}, bytes.NewReader(manageCSS))
	})
}

var pageFuncs = template.FuncMap{
	"stylesheet": func() string { return ManageCSSPath + "?v=" + manageCSSVersion },
}

// pageTemplates holds each page parsed with the layout.
var pageTemplates = func() map[string]*template.Template {
	m := map[string]*template.Template{}
	for _, name := range []string{"manage", "manage_cancel", "manage_reschedule", "problem"} {
		m[name] = template.Must(template.New(name).Funcs(pageFuncs).ParseFS(pages, "templates/layout.html", "templates/"+name+".html"))
	}
	return m
}()

// ManagePage is what a booking's manage page shows. Every string is plain
// text (the templates escape it); URLs are checked by html/template.
type ManagePage struct {
	// Base is the page's own path, /b/{token}; links and forms build on it.
	Base string

	Business     string
	ContactEmail string
	ContactPhone string

	Service   string
	WhenLabel string // "Date" or "Date and time"
	When      string // in the business's zone
	Zone      string // the business's zone, named: "New York time (America/New_York, EST)"

	Status      string // in words
	StatusClass string // pending, confirmed, canceled, refunded or expired
	Price       string // with whether it is paid: "$250.00, paid"
	Amount      string // the price alone, for "Pay $250.00 now"
	Refunded    string // empty: nothing refunded
	// RefundPending says that a refund is on its way; empty when none is.
	RefundPending string
	Code          string
	CustomerName  string
	Notes         string

	// CheckoutURL is the payment link of a booking awaiting payment.
	CheckoutURL      string
	CanAddToCalendar bool
	CanCancel        bool
	CanReschedule    bool
	// CancelNote and RescheduleNote say why the action is not offered
	// for a live booking, and what to do instead.
	CancelNote     string
	RescheduleNote string

	// Flash is the outcome of the last action; Error the one alert shown
	// at the top when an action failed.
	Flash string
	Error string

	// Cancel, when set, makes the page the cancel step.
	Cancel *CancelStep
	// Reschedule, when set, makes the page the reschedule step.
	Reschedule *RescheduleStep
}

// CancelStep is the confirmation before a cancellation.
type CancelStep struct {
	Refund string // what the policy gives back now, in words
	Policy string // the business's own words, if any
	Reason string // as the customer typed it
}

// RescheduleStep lists where a booking can move.
type RescheduleStep struct {
	// Timed is a TIMESLOT service: a day is picked first, then a time.
	Timed    bool
	Days     []Choice
	Date     string // the chosen day, YYYY-MM-DD
	DayLabel string
	Times    []Choice
	// Empty says what to do when no day is open.
	Empty string
}

// Choice is one option of a picker.
type Choice struct {
	Value    string
	Label    string
	Selected bool
}

// ProblemPage is a page that only explains: not found, refused, failed.
type ProblemPage struct {
	Business  string
	Title     string
	Message   string
	RequestID string
}

// RenderManage writes the manage page p: its reschedule step when
// p.Reschedule is set, its cancel step when p.Cancel is, else the booking.
// The page is rendered whole before anything is written, so a template
// error writes nothing.
func RenderManage(w io.Writer, p *ManagePage) error {
	name := "manage"
	switch {
	case p.Reschedule != nil:
		name = "manage_reschedule"
	case p.Cancel != nil:
		name = "manage_cancel"
	}
	return render(w, name, p)
}

// RenderProblem writes a page that explains a problem, with the same
// layout as the manage page.
func RenderProblem(w io.Writer, p *ProblemPage) error {
	return render(w, "problem", p)
}

func render(w io.Writer, name string, data any) error {
	var buf bytes.Buffer
	if err := pageTemplates[name].ExecuteTemplate(&buf, "layout", data); err != nil {
		return fmt.Errorf("web: render %s: %w", name, err)
	}
	_, err := w.Write(buf.Bytes())
	return err
}
