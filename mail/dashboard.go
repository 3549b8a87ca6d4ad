package mail

import (
	"bytes"
	htmltemplate "html/template"
	texttemplate "text/template"
	"time"

	"github.com/frontdeskhq/frontdesk"
)

// EmailDashboardSignIn is the kind of the dashboard sign-in email.
const EmailDashboardSignIn = "dashboard_signin"

type signInView struct {
	Business, Link string
	Minutes        int
}

var signInHTML = htmltemplate.Must(htmltemplate.New("signin").Parse(`<!doctype html>
<html lang="en"><body style="font-family:system-ui,sans-serif;color:#1d2125;max-width:32rem;margin:0 auto;padding:1rem">
<p>Here is your link to sign in to the {{.Business}} dashboard on Frontdesk:</p>
<p><a href="{{.Link}}" style="display:inline-block;padding:.6rem 1rem;background:#2f5d50;color:#fff;border-radius:6px;text-decoration:none;font-weight:600">Sign in to the dashboard</a></p>
<p>It works once, for {{.Minutes}} minutes. If you did not ask for it, ignore this email: nobody can sign in without it.</p>
<p style="color:#4f5964;font-size:.9rem">Or copy this address into your browser: {{.Link}}</p>
</body></html>`))

var signInText = texttemplate.Must(texttemplate.New("signin").Parse(`Here is your link to sign in to the {{.Business}} dashboard on Frontdesk:

{{.Link}}

It works once, for {{.Minutes}} minutes. If you did not ask for it, ignore this email: nobody can sign in without it.
`))

// DashboardSignIn is the email with a one-time dashboard sign-in link.
func DashboardSignIn(from string, t *frontdesk.Tenant, to, link string, ttl time.Duration) (frontdesk.Email, error) {
	v := signInView{Business: HeaderSafe(t.Name), Link: link, Minutes: int(ttl.Minutes())}
	var h, x bytes.Buffer
	if err := signInHTML.Execute(&h, v); err != nil {
		return frontdesk.Email{}, err
	}
	if err := signInText.Execute(&x, v); err != nil {
		return frontdesk.Email{}, err
	}
	return frontdesk.Email{From: from, To: to, Subject: "Your sign-in link for " + v.Business, HTML: h.String(), Text: x.String()}, nil
}
