package web

import (
	"net/http"
)

// HomeCSP is the Content-Security-Policy of the home page: no script, its
// own inline style, never framed.
const HomeCSP = "default-src 'none'; style-src 'unsafe-inline'; img-src 'self'; form-action 'none'; " +
	"frame-ancestors 'none'; base-uri 'none'"

// HomeHandler serves "/" on a server that runs without the demo: a small
// page that says this is Frontdesk and where to go (the owner's dashboard,
// the API description), instead of a bare 404. Other paths are 404;
// methods other than GET and HEAD get 405. The page is static, never
// framed and not sniffed.
func HomeHandler() http.Handler {
	page := []byte(homeHTML)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/" {
			http.NotFound(w, r)
			return
		}
		if !getOrHead(w, r, "Use GET to view this page.") {
			return
		}
		writePage(w, r, page, HomeCSP)
	})
}

const homeHTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>Frontdesk</title>
<style>
  :root { --ink: #1f2328; --muted: #59636e; --paper: #f6f8fa; --accent: #0b5cad; }
  body { margin: 0; background: var(--paper); color: var(--ink); font: 16px/1.6 system-ui, -apple-system, "Segoe UI", sans-serif; }
  main { max-width: 40rem; margin: 0 auto; padding: 3rem 1.25rem; }
  h1 { font-size: 1.75rem; margin: 0 0 .5rem; }
  p { margin: 0 0 1rem; }
  a { color: var(--accent); }
  ul { padding-left: 1.2rem; }
  .muted { color: var(--muted); font-size: .9rem; }
</style>
</head>
<body>
<main>
<h1>Frontdesk</h1>
<p>This server runs Frontdesk, a booking platform for small service businesses: each business puts its booking assistant on its own website, where visitors chat, pick a service and a time, book and pay, and the owner is told of every booking.</p>
<ul>
  <li><a href="/dashboard/">Sign in to your business's dashboard</a></li>
  <li><a href="/openapi.json">The API description</a> for developers</li>
</ul>
<p class="muted">Looking to book? Use the chat on the business's own website.</p>
</main>
</body>
</html>
`
