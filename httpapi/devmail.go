package httpapi

import (
	"html/template"
	"mime"
	"net/http"
	"strconv"
	"strings"
	"unicode"

	"github.com/frontdeskhq/frontdesk"
)

// devMailCSS is shared by the mailbox's pages: readable at 390 px wide, long
// addresses and links wrap instead of widening the page.
const devMailCSS = `body{font-family:system-ui,sans-serif;max-width:60rem;margin:1.5rem auto;padding:0 1rem;color:#222;line-height:1.4}
a{color:#2f5bd3}td,th,dd,pre,h1{overflow-wrap:anywhere}
table{border-collapse:collapse;width:100%}td,th{text-align:left;padding:.4rem .6rem;border-bottom:1px solid #eee;vertical-align:top}
dl{display:grid;grid-template-columns:max-content 1fr;gap:.2rem 1rem;margin:1rem 0}dt{color:#666}dd{margin:0}
iframe{display:block;width:100%;height:75vh;min-height:20rem;border:1px solid #ddd;border-radius:6px;background:#fff}
pre{white-space:pre-wrap;background:#f7f7f7;padding:1rem;border-radius:6px}
@media (max-width:40rem){body{margin:1rem auto}thead{display:none}table,tbody,tr,td{display:block}
tr{border-bottom:1px solid #eee;padding:.5rem 0}td{border:0;padding:.1rem 0}
dl{grid-template-columns:1fr}dd{margin-bottom:.4rem}}`

// devMailCSP: no script, the page's own styles; the email's HTML part, in a
// sandboxed srcdoc frame, inherits it (inline styles and data: images only).
const devMailCSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"

var devMailListTmpl = template.Must(template.New("list").Parse(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>Dev mailbox</title>
<style>` + devMailCSS + `</style></head>
<body><h1>Dev mailbox</h1>
<p>No email provider is configured (POSTMARK_SERVER_TOKEN or SMTP_URL), so emails are kept here.</p>
<table><thead><tr><th>When</th><th>To</th><th>Subject</th><th>Status</th></tr></thead><tbody>
{{range .}}<tr class="mail"><td>{{.CreatedAt.Format "2006-01-02 15:04:05"}}</td><td>{{.Email.To}}</td>
<td><a href="/dev/mail/{{.ID}}">{{.Email.Subject}}</a></td><td>{{.Status}}</td></tr>
{{else}}<tr><td colspan="4">No emails yet.</td></tr>{{end}}
</tbody></table></body></html>`))

// The HTML part is shown whole in a frame with sandbox="" (no script, no
// forms, its own opaque origin) from srcdoc, so the page needs no
// same-origin framing; it scrolls inside the frame and can be opened alone.
var devMailShowTmpl = template.Must(template.New("show").Parse(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>{{.Email.Subject}}</title>
<style>` + devMailCSS + `</style></head>
<body><p><a href="/dev/mail">&larr; All emails</a></p>
<h1 id="subject">{{.Email.Subject}}</h1>
<dl>
<dt>From</dt><dd id="from">{{.Email.From}}</dd>
<dt>To</dt><dd id="to">{{.Email.To}}</dd>
{{if .Email.ReplyTo}}<dt>Reply-To</dt><dd id="reply-to">{{.Email.ReplyTo}}</dd>{{end}}
<dt>Created</dt><dd>{{.CreatedAt.Format "2006-01-02 15:04:05 MST"}}</dd>
<dt>Status</dt><dd id="status">{{.Status}}</dd>
{{if .Email.Attachments}}<dt>Attachments</dt><dd id="attachments">{{range $i, $a := .Email.Attachments}}{{if $i}}<br>{{end}}<a href="/dev/mail/{{$.ID}}/attachments/{{$i}}" download>{{$a.Name}}</a> ({{$a.ContentType}}, {{len $a.Content}} bytes){{end}}</dd>{{end}}
</dl>
{{if .Email.HTML}}<h2>HTML part</h2>
<p><a href="/dev/mail/{{.ID}}/html">Open the HTML part on its own page</a></p>
<iframe sandbox="" srcdoc="{{.Email.HTML}}" title="HTML part of the email"></iframe>{{end}}
<h2>Text part</h2><pre id="text">{{.Email.Text}}</pre></body></html>`))

func (s *Server) devMailList(w http.ResponseWriter, r *http.Request) {
	mails, err := s.Store.AllEmails(r.Context(), 200)
	if err != nil {
		writeError(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Content-Security-Policy", devMailCSP)
	w.Header().Set("Cache-Control", "no-store")
	devMailListTmpl.Execute(w, mails)
}

func (s *Server) devMail(w http.ResponseWriter, r *http.Request) *frontdesk.OutboxEmail {
	id, err := pathID(r, "id", "The email")
	if err == nil {
		var e *frontdesk.OutboxEmail
		if e, err = s.Store.Email(r.Context(), id); err == nil {
			return e
		}
	}
	writeError(w, r, err)
	return nil
}

func (s *Server) devMailShow(w http.ResponseWriter, r *http.Request) {
	if e := s.devMail(w, r); e != nil {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Header().Set("Content-Security-Policy", devMailCSP)
		w.Header().Set("Cache-Control", "no-store")
		devMailShowTmpl.Execute(w, e)
	}
}

// devMailHTML serves an email's HTML part as it would look, sandboxed: no
// script runs and it cannot reach the page around it.
func (s *Server) devMailHTML(w http.ResponseWriter, r *http.Request) {
	if e := s.devMail(w, r); e != nil {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Header().Set("Content-Security-Policy", "sandbox; default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'none'")
		w.Header().Set("Cache-Control", "no-store")
		w.Write([]byte(e.Email.HTML))
	}
}

// devMailAttachment downloads attachment n (from 0) of an email, such as
// the .ics of a booking, with its content type and file name. It is always
// a download, never shown on this origin.
func (s *Server) devMailAttachment(w http.ResponseWriter, r *http.Request) {
	e := s.devMail(w, r)
	if e == nil {
		return
	}
	n, err := strconv.Atoi(r.PathValue("n"))
	if err != nil || n < 0 || n >= len(e.Email.Attachments) {
		writeError(w, r, frontdesk.NotFound("The attachment"))
		return
	}
	a := e.Email.Attachments[n]
	ct := a.ContentType
	if _, _, err := mime.ParseMediaType(ct); err != nil {
		ct = "application/octet-stream"
	}
	disposition := mime.FormatMediaType("attachment", map[string]string{"filename": attachmentName(a.Name, n)})
	if disposition == "" {
		disposition = "attachment"
	}
	h := w.Header()
	h.Set("Content-Type", ct)
	h.Set("Content-Disposition", disposition)
	h.Set("Content-Length", strconv.Itoa(len(a.Content)))
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Content-Security-Policy", "sandbox; default-src 'none'")
	h.Set("Cache-Control", "no-store")
	if r.Method != http.MethodHead {
		w.Write(a.Content)
	}
}

// attachmentName is a file name fit for Content-Disposition: no path
// separators or control characters; attachment-N when nothing is left.
func attachmentName(name string, n int) string {
	name = strings.TrimSpace(strings.Map(func(r rune) rune {
		if r == '/' || r == '\\' || unicode.IsControl(r) {
			return -1
		}
		return r
	}, name))
	if name == "" || name == "." || name == ".." {
		return "attachment-" + strconv.Itoa(n)
	}
	return name
}
