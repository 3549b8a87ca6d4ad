package mail

import (
	"bytes"
	"errors"
	htmltemplate "html/template"
	"strings"
	texttemplate "text/template"

	"github.com/frontdeskhq/frontdesk"
)

// EmailEscalationReply is the kind of the business's answer to a customer
// who asked for a person.
const EmailEscalationReply = "escalation_reply"

// replyView is what the reply templates see; every string is plain text.
type replyView struct {
	Subject       string // the layout's <title>
	Business      string
	BusinessEmail string
	// Paragraphs is the owner's message: paragraphs split at blank lines,
	// each a list of lines, so the HTML part keeps the line breaks without
	// ever treating the text as markup.
	Paragraphs [][]string
	Message    string // the message as typed, for the text part
	Reason     string // what the customer asked, to remind them
}

// The reply uses the same frame as every other email: the layout from the
// embedded templates and a content block of its own.
var (
	replyHTML = htmltemplate.Must(htmltemplate.New("escalation_reply").ParseFS(templateFS, "templates/layout.html"))
	replyText = texttemplate.Must(texttemplate.New("escalation_reply").ParseFS(templateFS, "templates/layout.txt"))
)

func init() {
	htmltemplate.Must(replyHTML.Parse(`{{define "content" -}}
{{range .Paragraphs}}<p>{{range $i, $line := .}}{{if $i}}<br>{{end}}{{$line}}{{end}}</p>
{{end}}{{if .Reason}}<p style="color:#7b8794;font-size:14px;border-left:3px solid #d5dae0;padding-left:10px;">You asked us: {{.Reason}}</p>
{{end}}<p style="color:#7b8794;font-size:14px;">Reply to this email to answer {{.Business}}.</p>
{{- end}}`))
	texttemplate.Must(replyText.Parse(`{{define "content"}}{{.Message}}
{{if .Reason}}
You asked us: {{.Reason}}
{{end}}
Reply to this email to answer {{.Business}}.
{{end}}`))
}

// EscalationReply is the business's answer, typed in the dashboard, to a
// customer who asked for a person: sent to the email the customer left on
// the escalation, from the platform's address (from), with replies going to
// the business's contact email. The message is plain text: the HTML part
// escapes it and keeps its paragraphs and line breaks. It fails when the
// escalation has no customer email or the message is empty.
func EscalationReply(from string, t *frontdesk.Tenant, e *frontdesk.Escalation, message string) (frontdesk.Email, error) {
	if t == nil || e == nil {
		return frontdesk.Email{}, errors.New("mail: escalation reply needs the tenant and the escalation")
	}
	to := HeaderSafe(e.CustomerEmail)
	if to == "" {
		return frontdesk.Email{}, errors.New("mail: the escalation has no customer email to reply to")
	}
	message = strings.TrimSpace(strings.ReplaceAll(strings.ReplaceAll(message, "\r\n", "\n"), "\r", "\n"))
	if message == "" {
		return frontdesk.Email{}, errors.New("mail: escalation reply has no message")
	}
	business := oneLine(t.Name)
	if business == "" {
		business = "the business"
	}
	v := replyView{Business: business, BusinessEmail: strings.TrimSpace(t.ContactEmail), Message: message,
		Paragraphs: paragraphs(message), Reason: oneLine(e.Reason)}
	v.Subject = HeaderSafe("Re: your message to " + business)
	var h, x bytes.Buffer
	if err := replyHTML.ExecuteTemplate(&h, "layout", v); err != nil {
		return frontdesk.Email{}, err
	}
	if err := replyText.ExecuteTemplate(&x, "layout", v); err != nil {
		return frontdesk.Email{}, err
	}
	return frontdesk.Email{From: HeaderSafe(from), To: to, ReplyTo: HeaderSafe(t.ContactEmail), Subject: v.Subject,
		HTML: h.String(), Text: x.String()}, nil
}

// paragraphs splits text at blank lines into paragraphs of lines.
func paragraphs(text string) [][]string {
	var out [][]string
	var cur []string
	for _, line := range strings.Split(text, "\n") {
		line = strings.TrimRight(line, " \t")
		if strings.TrimSpace(line) == "" {
			if len(cur) > 0 {
				out = append(out, cur)
				cur = nil
			}
			continue
		}
		cur = append(cur, line)
	}
	if len(cur) > 0 {
		out = append(out, cur)
	}
	return out
}

// EscalationReplyMessage returns the owner's own words of a reply made by
// EscalationReply, read back from its text part, to list what was sent.
func EscalationReplyMessage(e frontdesk.Email) string {
	text := e.Text
	for _, end := range []string{"\n\nYou asked us: ", "\n\nReply to this email to answer "} {
		if i := strings.LastIndex(text, end); i >= 0 {
			text = text[:i]
		}
	}
	return strings.TrimSpace(text)
}
