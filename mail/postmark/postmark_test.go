package postmark

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/frontdeskhq/frontdesk"
	"github.com/frontdeskhq/frontdesk/mail"
)

func testEmail() frontdesk.Email {
	return frontdesk.Email{
		From:    "Studio <bookings@studio.example>",
		To:      "ann@example.com",
		ReplyTo: "owner@studio.example",
		Subject: "Booking received: BK-ABC234",
		HTML:    "<p>Hello</p>",
		Text:    "Hello",
		Attachments: []frontdesk.Attachment{{
			Name:        "booking-BK-ABC234.ics",
			ContentType: "text/calendar; charset=utf-8; method=PUBLISH",
			Content:     []byte("BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n"),
		}},
	}
}

// fake answers every request with status and body, and records the last
// request.
type fake struct {
	status int
	body   string
	method string
	path   string
	header http.Header
	raw    []byte
	calls  int
}

func (f *fake) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	f.calls++
	f.method, f.path, f.header = r.Method, r.URL.Path, r.Header.Clone()
	f.raw, _ = io.ReadAll(r.Body)
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(f.status)
	io.WriteString(w, f.body)
}

func serve(t *testing.T, f *fake) *Sender {
	t.Helper()
	srv := httptest.NewServer(f)
	t.Cleanup(srv.Close)
	return New("server-token-123", srv.URL+"/", srv.Client())
}

func TestSendRequestShape(t *testing.T) {
	f := &fake{status: 200, body: `{"To":"ann@example.com","SubmittedAt":"2026-11-24T10:00:00Z","MessageID":"b7bc2f4a-e38e-4336-af7d-e6c392c2f817","ErrorCode":0,"Message":"OK"}`}
	s := serve(t, f)
	if err := s.Send(context.Background(), testEmail()); err != nil {
		t.Fatalf("Send: %v", err)
	}
	if f.method != http.MethodPost || f.path != "/email" {
		t.Errorf("request = %s %s, want POST /email", f.method, f.path)
	}
	for name, want := range map[string]string{
		"Accept":                  "application/json",
		"Content-Type":            "application/json",
		"X-Postmark-Server-Token": "server-token-123",
	} {
		if got := f.header.Get(name); got != want {
			t.Errorf("header %s = %q, want %q", name, got, want)
		}
	}
	var got map[string]any
	if err := json.Unmarshal(f.raw, &got); err != nil {
		t.Fatalf("body is not JSON: %v\n%s", err, f.raw)
	}
	for k, want := range map[string]string{
		"From":          "Studio <bookings@studio.example>",
		"To":            "ann@example.com",
		"Subject":       "Booking received: BK-ABC234",
		"HtmlBody":      "<p>Hello</p>",
		"TextBody":      "Hello",
		"MessageStream": "outbound",
		"ReplyTo":       "owner@studio.example",
	} {
		if got[k] != want {
			t.Errorf("%s = %#v, want %q", k, got[k], want)
		}
	}
	atts, ok := got["Attachments"].([]any)
	if !ok || len(atts) != 1 {
		t.Fatalf("Attachments = %#v", got["Attachments"])
	}
	a := atts[0].(map[string]any)
	if a["Name"] != "booking-BK-ABC234.ics" || a["ContentType"] != "text/calendar; charset=utf-8; method=PUBLISH" {
		t.Errorf("attachment = %#v", a)
	}
	content, err := base64.StdEncoding.DecodeString(a["Content"].(string))
	if err != nil || string(content) != "BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n" {
		t.Errorf("Content = %q (%v), want base64 of the calendar", a["Content"], err)
	}
}

func TestSendStripsHeaderBreaks(t *testing.T) {
	f := &fake{status: 200, body: `{"ErrorCode":0,"Message":"OK"}`}
	s := serve(t, f)
	e := testEmail()
	e.To = "ann@example.com\r\nBcc: x@y"
	e.Subject = "Hi\nthere"
	if err := s.Send(context.Background(), e); err != nil {
		t.Fatal(err)
	}
	var got map[string]any
	if err := json.Unmarshal(f.raw, &got); err != nil {
		t.Fatalf("body is not JSON: %v\n%s", err, f.raw)
	}
	if got["To"] != "ann@example.com Bcc: x@y" || got["Subject"] != "Hi there" {
		t.Errorf("To, Subject = %q, %q", got["To"], got["Subject"])
	}
}

func TestSendErrors(t *testing.T) {
	for _, c := range []struct {
		name      string
		status    int
		body      string
		permanent bool
	}{
		{"422 invalid", 422, `{"ErrorCode":300,"Message":"Invalid 'To' address: 'nope'."}`, true},
		{"422 inactive recipient", 422, `{"ErrorCode":406,"Message":"You tried to send to a recipient that has been marked as inactive."}`, true},
		{"401 bad token", 401, `{"ErrorCode":10,"Message":"No Account or Server API tokens were supplied in the HTTP headers."}`, true},
		{"200 with error code", 200, `{"ErrorCode":300,"Message":"Invalid email request"}`, true},
		{"429 rate limited", 429, `{"ErrorCode":429,"Message":"Rate limit exceeded"}`, false},
		{"500", 500, `{"ErrorCode":0,"Message":"Internal server error"}`, false},
		{"503 html", 503, `<html>Service Unavailable</html>`, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			f := &fake{status: c.status, body: c.body}
			err := serve(t, f).Send(context.Background(), testEmail())
			if err == nil {
				t.Fatal("no error")
			}
			if got := mail.IsPermanent(err); got != c.permanent {
				t.Errorf("IsPermanent(%v) = %v, want %v", err, got, c.permanent)
			}
			if strings.Contains(err.Error(), "server-token-123") {
				t.Errorf("error leaks the token: %v", err)
			}
		})
	}
}

func TestSendNetworkErrorIsTemporary(t *testing.T) {
	srv := httptest.NewServer(http.NotFoundHandler())
	url := srv.URL
	srv.Close()
	s := New("tok", url, &http.Client{Timeout: 2 * time.Second})
	err := s.Send(context.Background(), testEmail())
	if err == nil {
		t.Fatal("no error from a closed server")
	}
	if mail.IsPermanent(err) {
		t.Errorf("network error is permanent: %v", err)
	}
}

func TestNewDefaults(t *testing.T) {
	s := New("tok", "", nil)
	if s.apiURL != DefaultAPIURL || s.client == nil {
		t.Errorf("defaults: %q %v", s.apiURL, s.client)
	}
}

func TestSendMessageIDHeader(t *testing.T) {
	for _, c := range []struct {
		name, id string
		want     []map[string]any // the Headers sent; nil: none
	}{
		{"the outbox's", "<outbox-abc123@frontdesk.test>", []map[string]any{{"Name": "Message-ID", "Value": "<outbox-abc123@frontdesk.test>"}}},
		{"without brackets", "outbox-abc123@frontdesk.test", []map[string]any{{"Name": "Message-ID", "Value": "<outbox-abc123@frontdesk.test>"}}},
		{"none: Postmark makes one", "", nil},
		{"not a msg-id: Postmark makes one", "<a@b>\r\nBcc: evil@example.com", nil},
	} {
		t.Run(c.name, func(t *testing.T) {
			f := &fake{status: 200, body: `{"ErrorCode":0,"Message":"OK","MessageID":"b7bc2f4a-e38e-4336-af7d-e6c392c2f817"}`}
			e := testEmail()
			e.MessageID = c.id
			if err := serve(t, f).Send(context.Background(), e); err != nil {
				t.Fatal(err)
			}
			var got struct {
				Headers []map[string]any
			}
			if err := json.Unmarshal(f.raw, &got); err != nil {
				t.Fatalf("body is not JSON: %v\n%s", err, f.raw)
			}
			if len(got.Headers) != len(c.want) {
				t.Fatalf("Headers = %v, want %v", got.Headers, c.want)
			}
			for i, h := range c.want {
				if got.Headers[i]["Name"] != h["Name"] || got.Headers[i]["Value"] != h["Value"] {
					t.Errorf("Headers[%d] = %v, want %v", i, got.Headers[i], h)
				}
			}
			if c.want == nil && strings.Contains(string(f.raw), `"Headers"`) {
				t.Errorf("body has Headers: %s", f.raw)
			}
		})
	}
}
