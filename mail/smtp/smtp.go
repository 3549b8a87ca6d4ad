// Package smtp delivers emails over SMTP (for example to a local Mailpit)
// with github.com/wneessen/go-mail.
package smtp

import (
	"bytes"
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"net/textproto"
	"net/url"
	"strconv"
	"strings"
	"time"

	gomail "github.com/wneessen/go-mail"

	"github.com/frontdeskhq/frontdesk"
	"github.com/frontdeskhq/frontdesk/mail"
)

// Default ports when the URL names none.
const (
	DefaultPort    = 587 // smtp://: message submission, STARTTLS when offered
	DefaultSSLPort = 465 // smtps://: implicit TLS
)

// DefaultTimeout bounds connecting and each SMTP exchange.
const DefaultTimeout = 30 * time.Second

// Sender is a frontdesk.Mailer that sends through one SMTP server. It is safe
// for concurrent use: every Send opens its own connection.
type Sender struct {
	host string
	opts []gomail.Option
}

var _ frontdesk.Mailer = (*Sender)(nil)

// New parses SMTP_URL and returns a Sender for it:
//
//	smtp://[user:pass@]host[:port]   port 587; STARTTLS if the server offers it
//	smtps://[user:pass@]host[:port]  port 465; implicit TLS
//
// Query parameters: tls=none|opportunistic|required (smtp:// only; default
// opportunistic) and auth=plain|login|cram-md5|scram-sha-256|... (default:
// the strongest mechanism the server offers when a user is given, and no
// authentication without one). Credentials are percent-decoded.
func New(smtpURL string) (*Sender, error) {
	bad := func(format string, args ...any) error {
		return fmt.Errorf("SMTP_URL: "+format+" (want smtp://user:pass@host:port or smtps://...)", args...)
	}
	raw := strings.TrimSpace(smtpURL)
	if raw == "" {
		return nil, bad("empty")
	}
	u, err := url.Parse(raw)
	if err != nil {
		// url.Error repeats the URL, password included: say less.
		return nil, bad("not a valid URL")
	}
	var ssl bool
	switch strings.ToLower(u.Scheme) {
	case "smtp":
	case "smtps":
		ssl = true
	default:
		return nil, bad("scheme %q is not smtp or smtps", u.Scheme)
	}
	host := u.Hostname()
	if host == "" {
		return nil, bad("no host")
	}
	if u.Path != "" && u.Path != "/" {
		return nil, bad("unexpected path %q", u.Path)
	}
	port := DefaultPort
	if ssl {
		port = DefaultSSLPort
	}
	if p := u.Port(); p != "" {
		port, err = strconv.Atoi(p)
		if err != nil || port < 1 || port > 65535 {
			return nil, bad("port %q is not a number from 1 to 65535", p)
		}
	}

	opts := []gomail.Option{
		gomail.WithPort(port),
		gomail.WithTimeout(DefaultTimeout),
	}
	q := u.Query()
	if ssl {
		opts = append(opts, gomail.WithSSL())
		if v := q.Get("tls"); v != "" && !strings.EqualFold(v, "required") {
			return nil, bad("tls=%s is not allowed with smtps (always TLS)", v)
		}
	} else {
		policy := gomail.TLSOpportunistic
		switch strings.ToLower(q.Get("tls")) {
		case "", "opportunistic":
		case "none", "off", "false":
			policy = gomail.NoTLS
		case "required", "mandatory", "starttls":
			policy = gomail.TLSMandatory
		default:
			return nil, bad("tls=%s is not none, opportunistic or required", q.Get("tls"))
		}
		// WithTLSPolicy, not WithTLSPortPolicy: the latter may move the port
		// and fall back to port 25 in clear.
		opts = append(opts, gomail.WithTLSPolicy(policy))
	}

	authName := q.Get("auth")
	if u.User != nil && u.User.Username() != "" {
		pass, _ := u.User.Password()
		auth := gomail.SMTPAuthAutoDiscover
		if authName != "" {
			if err := auth.UnmarshalString(authName); err != nil {
				return nil, bad("auth=%s is not a known SMTP AUTH mechanism", authName)
			}
		}
		opts = append(opts,
			gomail.WithSMTPAuth(auth),
			gomail.WithUsername(u.User.Username()),
			gomail.WithPassword(pass),
		)
	} else if authName != "" && !strings.EqualFold(authName, "none") {
		return nil, bad("auth=%s needs a user name", authName)
	}

	if strings.Contains(host, ":") {
		// go-mail joins host and port with a bare colon; an IPv6 literal
		// needs its brackets to dial, and its plain form to verify TLS.
		opts = append(opts, gomail.WithTLSConfig(&tls.Config{ServerName: host, MinVersion: tls.VersionTLS12}))
		host = "[" + host + "]"
	}

	// Check the options once, so a bad URL fails at start-up, not at Send.
	if _, err := gomail.NewClient(host, opts...); err != nil {
		return nil, bad("%v", err)
	}
	return &Sender{host: host, opts: opts}, nil
}

// Send delivers the email as multipart/alternative (text and HTML), inside
// multipart/mixed when it has attachments. A rejection by the server (an
// SMTP 5xx, an address the server or go-mail refuses) is a
// *mail.PermanentError; connection failures and 4xx replies are temporary.
func (s *Sender) Send(ctx context.Context, e frontdesk.Email) error {
	m, err := message(e)
	if err != nil {
		return mail.Permanent(err)
	}
	c, err := gomail.NewClient(s.host, s.opts...)
	if err != nil {
		return fmt.Errorf("smtp: %w", err)
	}
	if err := c.DialAndSendWithContext(ctx, m); err != nil {
		err = fmt.Errorf("smtp: %w", err)
		if permanent(err) {
			return mail.Permanent(err)
		}
		return err
	}
	return nil
}

// message builds the MIME message of e.
func message(e frontdesk.Email) (*gomail.Msg, error) {
	m := gomail.NewMsg()
	if err := m.From(mail.HeaderSafe(e.From)); err != nil {
		return nil, fmt.Errorf("smtp: From %q: %w", mail.HeaderSafe(e.From), err)
	}
	if err := m.To(mail.HeaderSafe(e.To)); err != nil {
		return nil, fmt.Errorf("smtp: To %q: %w", mail.HeaderSafe(e.To), err)
	}
	if r := mail.HeaderSafe(e.ReplyTo); r != "" {
		if err := m.ReplyTo(r); err != nil {
			return nil, fmt.Errorf("smtp: Reply-To %q: %w", r, err)
		}
	}
	m.Subject(mail.HeaderSafe(e.Subject))
	m.SetDate()
	// The outbox's Message-ID is the same on every attempt, so a copy sent
	// twice is one message to mail clients. One that is not a msg-id is
	// replaced rather than losing the email over it.
	if id, ok := mail.NormalizeMessageID(e.MessageID); ok {
		m.SetMessageIDWithValue(id[1 : len(id)-1])
	} else {
		m.SetMessageID()
	}
	switch {
	case e.Text != "" && e.HTML != "":
		m.SetBodyString(gomail.TypeTextPlain, e.Text)
		m.AddAlternativeString(gomail.TypeTextHTML, e.HTML)
	case e.HTML != "":
		m.SetBodyString(gomail.TypeTextHTML, e.HTML)
	default:
		m.SetBodyString(gomail.TypeTextPlain, e.Text)
	}
	for _, a := range e.Attachments {
		ct := mail.HeaderSafe(a.ContentType)
		if ct == "" {
			ct = "application/octet-stream"
		}
		m.AttachReadSeeker(mail.HeaderSafe(a.Name), bytes.NewReader(a.Content),
			gomail.WithFileContentType(gomail.ContentType(ct)))
	}
	return m, nil
}

// permanent reports whether a send error will recur on a retry: the server
// answered with a 5xx, or go-mail refused the message itself. Failures to
// connect, time-outs and 4xx replies are temporary.
func permanent(err error) bool {
	var netErr net.Error
	if errors.As(err, &netErr) || errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return false
	}
	var tp *textproto.Error
	if errors.As(err, &tp) {
		// A reply of the server, e.g. 535 to AUTH, 550 to RCPT TO.
		return tp.Code >= 500
	}
	var se *gomail.SendError
	if errors.As(err, &se) {
		if se.IsTemp() {
			return false
		}
		code := se.ErrorCode()
		if code >= 500 {
			return true
		}
		switch se.Reason {
		case gomail.ErrGetSender, gomail.ErrGetRcpts, gomail.ErrNoUnencoded:
			return true
		}
		return false
	}
	return false
}
