// Package web serves the browser side of Frontdesk: the embeddable booking
// widget (widget.js), the demo storefront page that embeds it, and the
// templates and stylesheet of the customer's booking page (manage.go).
//
// The widget is one dependency-free script. A business adds it to its site
// with a single tag,
//
//	<script src="https://HOST/widget.js" data-tenant-key="pk_..." async></script>
//
// and it talks to the public chat API (/v1/public/chat) on the origin the
// script was loaded from.
package web

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"html/template"
	"log/slog"
	"net/http"
	"strconv"
	"time"
)

//go:embed static/widget.js
var static embed.FS

// widgetJS is the widget's source, read once from the embedded files.
var widgetJS = mustRead("static/widget.js")

// widgetETag is a strong validator derived from the widget's content, so it
// changes exactly when a new build ships a different widget.
var widgetETag = func() string {
	sum := sha256.Sum256(widgetJS)
	return `"` + hex.EncodeToString(sum[:16]) + `"`
}()

func mustRead(name string) []byte {
	b, err := static.ReadFile(name)
	if err != nil {
		panic("web: embedded " + name + " missing: " + err.Error())
	}
	return b
}

// getOrHead reports whether r is a GET or HEAD request; otherwise it answers
// 405 with an Allow header and msg.
func getOrHead(w http.ResponseWriter, r *http.Request, msg string) bool {
	if r.Method == http.MethodGet || r.Method == http.MethodHead {
		return true
	}
	w.Header().Set("Allow", "GET, HEAD")
	http.Error(w, msg, http.StatusMethodNotAllowed)
	return false
}

// WidgetHandler serves /widget.js with caching headers (Cache-Control
// public, max-age=300; an ETag from the content hash; 304 on If-None-Match),
// Content-Type text/javascript; charset=utf-8. Methods other than GET and
// HEAD get 405.
//
// The script is meant to be embedded on other sites, so it is served with
// Access-Control-Allow-Origin: * and Cross-Origin-Resource-Policy:
// cross-origin (pages may load it with crossorigin/SRI or under COEP).
func WidgetHandler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !getOrHead(w, r, "Use GET to load the widget script.") {
			return
		}
		h := w.Header()
		h.Set("Content-Type", "text/javascript; charset=utf-8")
		h.Set("Cache-Control", "public, max-age=300")
		h.Set("ETag", widgetETag)
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Access-Control-Allow-Origin", "*")
		h.Set("Cross-Origin-Resource-Policy", "cross-origin")
		// ServeContent answers If-None-Match with 304 (weak comparison, as
		// RFC 9110 asks for GET), and handles HEAD and Range.
		http.ServeContent(w, r, "widget.js", time.Time{}, bytes.NewReader(widgetJS))
	})
}

// storefrontCSP keeps the demo page honest: scripts only from this origin
// (the widget itself), no inline script. Inline styles are allowed for the
// page's own <style> block.
const storefrontCSP = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; " +
	"img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; " +
	"form-action 'self'; frame-ancestors 'none'"

// defaultDescription is the hero line when the business gives none.
const defaultDescription = "Natural-light portraits, weddings and headshots, booked in a minute with our assistant."

// StorefrontHandler renders the demo business page at "/" with the widget tag
// for publicKey, using html/template (escape everything). Any other path is
// 404 and methods other than GET and HEAD get 405. The page is rendered once,
// when the handler is made; if rendering fails the handler answers 500.
func StorefrontHandler(businessName, description, publicKey string) http.Handler {
	if description == "" {
		description = defaultDescription
	}
	if businessName == "" {
		businessName = "Our studio"
	}
	var buf bytes.Buffer
	err := storefrontTmpl.Execute(&buf, storefrontData{BusinessName: businessName, Description: description, PublicKey: publicKey})
	if err != nil {
		slog.Error("web: render storefront", "err", err)
	}
	page := buf.Bytes()
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/" {
			http.NotFound(w, r)
			return
		}
		if !getOrHead(w, r, "Use GET to view this page.") {
			return
		}
		if err != nil {
			http.Error(w, "The page could not be shown.", http.StatusInternalServerError)
			return
		}
		writePage(w, r, page, storefrontCSP)
	})
}

// writePage answers a GET or HEAD with a page rendered in advance, under
// the content security policy csp.
func writePage(w http.ResponseWriter, r *http.Request, page []byte, csp string) {
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Cache-Control", "no-cache")
	h.Set("Content-Security-Policy", csp)
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("X-Frame-Options", "DENY") // as the CSP's frame-ancestors, for browsers without it
	h.Set("Referrer-Policy", "strict-origin-when-cross-origin")
	h.Set("Content-Length", strconv.Itoa(len(page)))
	w.WriteHeader(http.StatusOK)
	if r.Method != http.MethodHead {
		_, _ = w.Write(page)
	}
}

type storefrontData struct {
	BusinessName string
	Description  string
	PublicKey    string
}

var storefrontTmpl = template.Must(template.New("storefront").Parse(storefrontHTML))

const storefrontHTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{.BusinessName}}</title>
<meta name="description" content="{{.Description}}">
<style>
  :root { --ink: #2b2622; --muted: #6d645c; --paper: #fbf8f4; --accent: #9a5b34; --card: #ffffff; }
  body { margin: 0; background: var(--paper); color: var(--ink); line-height: 1.6; }
  a { color: var(--accent); }
  .wrap { max-width: 1040px; margin: 0 auto; padding: 0 24px; }
  header.site { border-bottom: 1px solid #e8e0d7; background: #fff; }
  header.site .wrap { display: flex; align-items: center; justify-content: space-between; gap: 16px; padding-top: 18px; padding-bottom: 18px; }
  .brand { display: flex; align-items: center; gap: 12px; font-size: 1.25rem; font-weight: 700; letter-spacing: .02em; text-decoration: none; color: var(--ink); }
  .brand-mark { width: 34px; height: 34px; border-radius: 50%; background: radial-gradient(circle at 35% 35%, #fff3df 0 18%, #e3a86f 19% 45%, #9a5b34 46%); box-shadow: 0 0 0 3px #f3e6d8; }
  nav.site a { margin-left: 18px; text-decoration: none; color: var(--muted); }
  nav.site a:hover { color: var(--accent); }
  .hero { padding: 72px 0 56px; background: linear-gradient(160deg, #f6ebe0 0%, #fbf8f4 60%); }
  .hero h1 { font-size: clamp(2rem, 5vw, 3.2rem); line-height: 1.15; margin: 0 0 16px; max-width: 18ch; }
  .hero p { font-size: 1.15rem; color: var(--muted); max-width: 46ch; margin: 0 0 28px; }
  .cta { display: inline-block; padding: 12px 22px; border-radius: 999px; background: var(--accent); color: #fff; text-decoration: none; font-weight: 600; }
  .cta:hover { background: #7f4826; }
  section.services { padding: 56px 0; }
  section.services h2, section.how h2 { font-size: 1.7rem; margin: 0 0 24px; }
  .grid { display: grid; grid-template-columns: repeat(auto-fit, minmax(240px, 1fr)); gap: 20px; }
  .card { background: var(--card); border: 1px solid #ece4da; border-radius: 14px; padding: 22px; }
  .card h3 { margin: 0 0 8px; font-size: 1.2rem; }
  .card p { margin: 0; color: var(--muted); }
  section.how { padding: 8px 0 64px; }
  section.how ol { padding-left: 1.2em; color: var(--muted); max-width: 60ch; }
  footer.site { border-top: 1px solid #e8e0d7; padding: 28px 0 40px; color: var(--muted); font-size: .95rem; }
  footer.site .wrap { display: flex; flex-wrap: wrap; justify-content: space-between; gap: 12px; }
  @media (max-width: 600px) { nav.site { display: none; } .hero { padding: 48px 0 40px; } }

  /* Deliberately heavy-handed site-wide rules, of the kind real sites ship.
     The booking widget renders inside a Shadow DOM, so none of these reach it. */
  html { font-size: 18px; }
  * { font-family: Georgia, "Times New Roman", serif; }
  button, input, textarea { background: red; color: yellow; border: 3px dotted #000; border-radius: 0; font-size: 22px; padding: 14px; }
  div, p { line-height: 1.8; letter-spacing: .01em; }
  svg, path { fill: hotpink; stroke: hotpink; }
  body > div { outline: 3px dashed red; transform: rotate(0.5deg); }
</style>
</head>
<body>
<header class="site">
  <div class="wrap">
    <a class="brand" href="/"><span class="brand-mark" aria-hidden="true"></span>{{.BusinessName}}</a>
    <nav class="site" aria-label="Main">
      <a href="#services">Services</a>
      <a href="#how">Booking</a>
      <a href="#book" data-frontdesk-open>Chat with us</a>
    </nav>
  </div>
</header>
<main>
  <section class="hero">
    <div class="wrap">
      <h1>Photographs that feel like you.</h1>
      <p>{{.Description}}</p>
      <a class="cta" href="#book" data-frontdesk-open>Check availability</a>
    </div>
  </section>
  <section class="services" id="services">
    <div class="wrap">
      <h2>What we shoot</h2>
      <div class="grid">
        <article class="card"><h3>Portrait sessions</h3><p>An unhurried hour in our daylight studio, for one person, a couple or the whole family. You choose your favourite frames from a private online gallery.</p></article>
        <article class="card"><h3>Weddings</h3><p>From the first look to the last dance: quiet, documentary coverage of your whole day, with a hand-edited album to follow.</p></article>
        <article class="card"><h3>Headshots</h3><p>Crisp, friendly headshots for LinkedIn, press and your team page, retouched and delivered within two working days.</p></article>
      </div>
    </div>
  </section>
  <section class="how" id="how">
    <div class="wrap">
      <h2 id="book">Booking is a conversation</h2>
      <ol>
        <li>Open the chat in the corner and tell our assistant what you have in mind.</li>
        <li>It checks the calendar for you and prepares the booking.</li>
        <li>You confirm, pay securely, and get a confirmation code by email.</li>
      </ol>
    </div>
  </section>
</main>
<footer class="site">
  <div class="wrap">
    <span>&copy; {{.BusinessName}}</span>
    <a href="/dev/mail">Dev mailbox</a>
  </div>
</footer>
<script src="/widget.js" data-tenant-key="{{.PublicKey}}" async></script>
</body>
</html>
`
