package httpapi

import (
	"html/template"
	"net/http"

	"github.com/frontdeskhq/frontdesk"
)

var devMailListTmpl = template.Must(template.New("list").Parse(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>Dev mailbox</title>
<style>body{font-family:system-ui,sans-serif;margin:2rem;color:#222}table{border-collapse:collapse;width:100%}
td,th{text-align:left;padding:.4rem .6rem;border-bottom:1px solid #eee}</style></head>
<body><h1>Dev mailbox</h1>
<p>No email provider is configured (POSTMARK_SERVER_TOKEN or SMTP_URL), so emails are kept here.</p>
<table><thead><tr><th>When</th><th>To</th><th>Subject</th><th>Status</th></tr></thead><tbody>
{{range .}}<tr class="mail"><td>{{.CreatedAt.Format "2006-01-02 15:04:05"}}</td><td>{{.Email.To}}</td>
<td><a href="/dev/mail/{{.ID}}">{{.Email.Subject}}</a></td><td>{{.Status}}</td></tr>
{{else}}<tr><td colspan="4">No emails yet.</td></tr>{{end}}
</tbody></table></body></html>`))

var devMailShowTmpl = template.Must(template.New("show").Parse(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>{{.Email.Subject}}</title>
<style>body{font-family:system-ui,sans-serif;margin:2rem;color:#222}iframe{width:100%;height:32rem;border:1px solid #ddd}
pre{white-space:pre-wrap;background:#f7f7f7;padding:1rem}</style></head>
<body><p><a href="/dev/mail">&larr; All emails</a></p>
<h1 id="subject">{{.Email.Subject}}</h1>
<p>From {{.Email.From}} to <span id="to">{{.Email.To}}</span> &middot; {{.Status}}
{{range .Email.Attachments}} &middot; attachment {{.Name}}{{end}}</p>
<iframe sandbox="" src="/dev/mail/{{.ID}}/html" title="HTML part"></iframe>
<h2>Text part</h2><pre id="text">{{.Email.Text}}</pre></body></html>`))

func (s *Server) devMailList(w http.ResponseWriter, r *http.Request) {
	mails, err := s.Store.AllEmails(r.Context(), 200)
	if err != nil {
		writeError(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
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
		devMailShowTmpl.Execute(w, e)
	}
}

// devMailHTML serves an email's HTML part as it would look, sandboxed: no
// script runs and it cannot reach the page around it.
func (s *Server) devMailHTML(w http.ResponseWriter, r *http.Request) {
	if e := s.devMail(w, r); e != nil {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Header().Set("Content-Security-Policy", "sandbox; default-src 'none'; style-src 'unsafe-inline'; img-src data:")
		w.Write([]byte(e.Email.HTML))
	}
}
