package smtp

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/textproto"
	"os"
	"strings"
	"testing"
	"time"

	gomail "github.com/wneessen/go-mail"

	"github.com/frontdeskhq/frontdesk"
	"github.com/frontdeskhq/frontdesk/mail"
)

func TestNewParsesURL(t *testing.T) {
	for _, c := range []struct {
		url  string
		host string
		port int
	}{
		{"smtp://127.0.0.1:1025", "127.0.0.1", 1025},
		{"smtp://mail.example.com", "mail.example.com", DefaultPort},
		{"smtps://user:p%40ss@mail.example.com", "mail.example.com", DefaultSSLPort},
		{"smtps://mail.example.com:2465", "mail.example.com", 2465},
		{"SMTP://user@[::1]:25?tls=none", "::1", 25},
		{"smtp://u:p@localhost:587?tls=required&auth=plain", "localhost", 587},
	} {
		s, err := New(c.url)
		if err != nil {
			t.Errorf("New(%q): %v", c.url, err)
			continue
		}
		cl, err := gomail.NewClient(s.host, s.opts...)
		if err != nil {
			t.Errorf("NewClient(%q): %v", c.url, err)
			continue
		}
		want := net.JoinHostPort(c.host, fmt.Sprint(c.port))
		if got := cl.ServerAddr(); got != want {
			t.Errorf("New(%q) server = %q, want %q", c.url, got, want)
		}
	}
}

func TestNewPolicies(t *testing.T) {
	for url, want := range map[string]string{
		"smtp://h:25":                "TLSOpportunistic",
		"smtp://h:25?tls=none":       "NoTLS",
		"smtp://h:25?tls=required":   "TLSMandatory",
		"smtp://h?tls=opportunistic": "TLSOpportunistic",
		"smtps://h":                  "TLSMandatory", // implicit TLS; STARTTLS policy unused
	} {
		s, err := New(url)
		if err != nil {
			t.Fatalf("New(%q): %v", url, err)
		}
		cl, _ := gomail.NewClient(s.host, s.opts...)
		if got := cl.TLSPolicy(); got != want {
			t.Errorf("New(%q) policy = %s, want %s", url, got, want)
		}
	}
}

func TestNewRejectsBadURL(t *testing.T) {
	for _, u := range []string{
		"",
		"127.0.0.1:1025",
		"http://mail.example.com",
		"smtp://",
		"smtp://:25",
		"smtp://host:notaport",
		"smtp://host:70000",
		"smtp://host/path",
		"smtp://host?tls=maybe",
		"smtp://u:p@host?auth=telepathy",
		"smtp://host?auth=plain",
		"smtps://host?tls=none",
		"smtp://user:se cret@ho st:25",
	} {
		_, err := New(u)
		if err == nil {
			t.Errorf("New(%q): no error", u)
			continue
		}
		if !strings.Contains(err.Error(), "SMTP_URL") {
			t.Errorf("New(%q) error does not name SMTP_URL: %v", u, err)
		}
		if strings.Contains(err.Error(), "se cret") {
			t.Errorf("New(%q) error leaks the password: %v", u, err)
		}
	}
}

func TestPermanent(t *testing.T) {
	for _, c := range []struct {
		err  error
		want bool
	}{
		{&textproto.Error{Code: 550, Msg: "no such user"}, true},
		{fmt.Errorf("dial failed: SMTP AUTH failed: %w", &textproto.Error{Code: 535, Msg: "bad credentials"}), true},
		{&textproto.Error{Code: 451, Msg: "try later"}, false},
		{&net.OpError{Op: "dial", Err: errors.New("connection refused")}, false},
		{context.DeadlineExceeded, false},
		{errors.New("something odd"), false},
	} {
		if got := permanent(c.err); got != c.want {
			t.Errorf("permanent(%v) = %v, want %v", c.err, got, c.want)
		}
	}
}

func TestSendConnectionRefusedIsTemporary(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	s, err := New("smtp://" + addr)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	err = s.Send(ctx, frontdesk.Email{From: "a@example.com", To: "b@example.com", Subject: "x", Text: "x"})
	if err == nil {
		t.Fatal("no error sending to a closed port")
	}
	if mail.IsPermanent(err) {
		t.Errorf("connection refused is permanent: %v", err)
	}
}

func TestSendBadAddressIsPermanent(t *testing.T) {
	s, err := New("smtp://127.0.0.1:1")
	if err != nil {
		t.Fatal(err)
	}
	err = s.Send(context.Background(), frontdesk.Email{From: "a@example.com", To: "not an address", Subject: "x", Text: "x"})
	if err == nil || !mail.IsPermanent(err) {
		t.Errorf("bad To: err = %v, want a permanent error", err)
	}
}

func envOr(name, def string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return def
}

// mailpitMessage is the part of Mailpit's GET /api/v1/message/{ID} we check.
type mailpitMessage struct {
	ID          string
	Subject     string
	From        *struct{ Name, Address string }
	To          []struct{ Name, Address string }
	Text        string
	HTML        string
	Attachments []struct {
		FileName    string
		ContentType string
	}
}

// mailpit returns a Sender for the test Mailpit and its API base, or skips
// the test (fails it when CI=true) if Mailpit is not listening.
func mailpit(t *testing.T) (*Sender, string) {
	t.Helper()
	smtpAddr := envOr("TEST_MAILPIT_SMTP", "127.0.0.1:1025")
	api := strings.TrimRight(envOr("TEST_MAILPIT_API", "http://127.0.0.1:8025"), "/")
	conn, err := net.DialTimeout("tcp", smtpAddr, 2*time.Second)
	if err != nil {
		msg := fmt.Sprintf("mailpit not running on %s (%v): install with go install github.com/axllent/mailpit@v1.27.11", smtpAddr, err)
		if os.Getenv("CI") == "true" {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
	conn.Close()
	s, err := New("smtp://" + smtpAddr)
	if err != nil {
		t.Fatal(err)
	}
	return s, api
}

func uniqueCode() string {
	tag := make([]byte, 6)
	rand.Read(tag)
	return "BK-" + strings.ToUpper(hex.EncodeToString(tag))
}

func TestSendToMailpit(t *testing.T) {
	s, api := mailpit(t)
	subject := "Booking received: " + uniqueCode()
	e := frontdesk.Email{
		From:    "Frontdesk Test <bookings@frontdesk.test>",
		To:      "ann@example.com",
		Subject: subject,
		Text:    "Hi Ann,\n\nYour booking is received. Zoë's café – 150.00 €\n",
		HTML:    "<p>Hi Ann,</p><p>Your booking is <b>received</b>.</p>",
		Attachments: []frontdesk.Attachment{{
			Name:        "booking.ics",
			ContentType: "text/calendar; charset=utf-8; method=PUBLISH",
			Content:     []byte("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nEND:VCALENDAR\r\n"),
		}},
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	if err := s.Send(ctx, e); err != nil {
		t.Fatalf("Send: %v", err)
	}

	id := findMailpitMessage(t, ctx, api, subject)
	var m mailpitMessage
	getJSON(t, ctx, api+"/api/v1/message/"+id, &m)
	if m.Subject != subject {
		t.Errorf("Subject = %q, want %q", m.Subject, subject)
	}
	if len(m.To) != 1 || m.To[0].Address != "ann@example.com" {
		t.Errorf("To = %+v", m.To)
	}
	if m.From == nil || m.From.Address != "bookings@frontdesk.test" || m.From.Name != "Frontdesk Test" {
		t.Errorf("From = %+v", m.From)
	}
	if !strings.Contains(m.Text, "Your booking is received. Zoë's café – 150.00 €") {
		t.Errorf("Text = %q", m.Text)
	}
	if !strings.Contains(m.HTML, "<b>received</b>") {
		t.Errorf("HTML = %q", m.HTML)
	}
	if len(m.Attachments) != 1 || m.Attachments[0].FileName != "booking.ics" ||
		!strings.HasPrefix(m.Attachments[0].ContentType, "text/calendar") {
		t.Errorf("Attachments = %+v", m.Attachments)
	}
}

// findMailpitMessage polls GET /api/v1/messages for the message with the
// subject and returns its ID.
func findMailpitMessage(t *testing.T, ctx context.Context, api, subject string) string {
	t.Helper()
	for {
		var list struct {
			Messages []struct{ ID, Subject string } `json:"messages"`
		}
		getJSON(t, ctx, api+"/api/v1/messages?limit=200", &list)
		for _, m := range list.Messages {
			if m.Subject == subject {
				return m.ID
			}
		}
		select {
		case <-ctx.Done():
			t.Fatalf("message %q not in Mailpit at %s", subject, api)
		case <-time.After(100 * time.Millisecond):
		}
	}
}

func getJSON(t *testing.T, ctx context.Context, url string, v any) {
	t.Helper()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: %s", url, resp.Status)
	}
	if err := json.NewDecoder(resp.Body).Decode(v); err != nil {
		t.Fatalf("GET %s: decode: %v", url, err)
	}
}

func TestSendRenderedBookingToMailpit(t *testing.T) {
	s, api := mailpit(t)
	start := time.Date(2026, 12, 15, 14, 0, 0, 0, time.UTC)
	end := start.Add(time.Hour)
	code := uniqueCode()
	e, err := mail.BookingReceived("Studio <bookings@studio.test>", mail.BookingEmailData{
		Tenant: &frontdesk.Tenant{Name: "Studio", ContactEmail: "hello@studio.test", TimeZone: "Europe/Berlin"},
		Booking: &frontdesk.Booking{
			ID: "b1", StartAt: &start, EndAt: &end, Status: frontdesk.StatusPending,
			TotalPriceCents: 15000, Currency: "usd", ConfirmationCode: code,
			Notes: "<script>alert(2)</script>",
		},
		Package:     &frontdesk.Package{Name: "Portrait session"},
		Customer:    &frontdesk.Customer{Name: "<script>alert(1)</script>", Email: "ann@example.com"},
		CheckoutURL: "https://checkout.test/pay/cs_1",
	})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	if err := s.Send(ctx, e); err != nil {
		t.Fatalf("Send: %v", err)
	}
	var m mailpitMessage
	getJSON(t, ctx, api+"/api/v1/message/"+findMailpitMessage(t, ctx, api, "Booking received: "+code), &m)
	if len(m.To) != 1 || m.To[0].Address != "ann@example.com" {
		t.Errorf("To = %+v", m.To)
	}
	if !strings.Contains(m.Text, "Complete payment: https://checkout.test/pay/cs_1") ||
		!strings.Contains(m.Text, "3:00 PM – 4:00 PM CET") {
		t.Errorf("Text = %q", m.Text)
	}
	if strings.Contains(m.HTML, "<script") || !strings.Contains(m.HTML, "&lt;script&gt;alert(1)") {
		t.Errorf("HTML not escaped: %q", m.HTML)
	}
	if len(m.Attachments) != 1 || !strings.HasSuffix(m.Attachments[0].FileName, ".ics") {
		t.Errorf("Attachments = %+v", m.Attachments)
	}
}

func TestMessageIDHeader(t *testing.T) {
	for _, c := range []struct {
		name, id, want string
	}{
		{"the outbox's", "<outbox-abc123@frontdesk.test>", "<outbox-abc123@frontdesk.test>"},
		{"without brackets", "outbox-abc123@frontdesk.test", "<outbox-abc123@frontdesk.test>"},
	} {
		t.Run(c.name, func(t *testing.T) {
			m, err := message(frontdesk.Email{From: "a@example.com", To: "b@example.com", Subject: "x", Text: "x", MessageID: c.id})
			if err != nil {
				t.Fatal(err)
			}
			if got := m.GetMessageID(); got != c.want {
				t.Errorf("Message-ID = %q, want %q", got, c.want)
			}
		})
	}
	// None given, or one that is not a msg-id: go-mail makes a fresh one
	// rather than the email being lost.
	for _, id := range []string{"", "not a message id", "<a@b>\r\nBcc: evil@example.com"} {
		m, err := message(frontdesk.Email{From: "a@example.com", To: "b@example.com", Subject: "x", Text: "x", MessageID: id})
		if err != nil {
			t.Fatal(err)
		}
		got := m.GetMessageID()
		if !strings.HasPrefix(got, "<") || !strings.HasSuffix(got, ">") || !strings.Contains(got, "@") ||
			strings.ContainsAny(got, "\r\n ") || strings.Contains(got, "Bcc") {
			t.Errorf("MessageID %q: header %q, want a generated one", id, got)
		}
	}
}

// An email sent twice with the outbox's Message-ID arrives twice with that
// one Message-ID, which mail clients collapse into one message.
func TestSendMessageIDToMailpit(t *testing.T) {
	s, api := mailpit(t)
	code := uniqueCode()
	subject := "Booking canceled: " + code
	left := "outbox-" + strings.ToLower(code)
	e := frontdesk.Email{
		From: "Frontdesk Test <bookings@frontdesk.test>", To: "ann@example.com", Subject: subject,
		Text: "Your booking is canceled.", HTML: "<p>Your booking is canceled.</p>",
		MessageID: "<" + left + "@frontdesk.test>",
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	for range 2 {
		if err := s.Send(ctx, e); err != nil {
			t.Fatalf("Send: %v", err)
		}
	}
	ids := findMailpitMessages(t, ctx, api, subject, 2)
	for _, id := range ids {
		var m struct{ MessageID string }
		getJSON(t, ctx, api+"/api/v1/message/"+id, &m)
		if m.MessageID != left+"@frontdesk.test" {
			t.Errorf("MessageID = %q, want %q", m.MessageID, left+"@frontdesk.test")
		}
		var h map[string][]string
		getJSON(t, ctx, api+"/api/v1/message/"+id+"/headers", &h)
		if got := h["Message-Id"]; len(got) != 1 || got[0] != "<"+left+"@frontdesk.test>" {
			t.Errorf("Message-ID headers = %q, want one <%s@frontdesk.test>", got, left)
		}
	}
}

// findMailpitMessages polls Mailpit until n messages have the subject and
// returns their IDs.
func findMailpitMessages(t *testing.T, ctx context.Context, api, subject string, n int) []string {
	t.Helper()
	for {
		var list struct {
			Messages []struct{ ID, Subject string } `json:"messages"`
		}
		getJSON(t, ctx, api+"/api/v1/messages?limit=200", &list)
		var ids []string
		for _, m := range list.Messages {
			if m.Subject == subject {
				ids = append(ids, m.ID)
			}
		}
		if len(ids) >= n {
			return ids
		}
		select {
		case <-ctx.Done():
			t.Fatalf("%d of %d messages %q in Mailpit at %s", len(ids), n, subject, api)
		case <-time.After(100 * time.Millisecond):
		}
	}
}
