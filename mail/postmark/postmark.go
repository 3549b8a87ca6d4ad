// Package postmark delivers emails through Postmark's HTTP API
// (POST /email, https://postmarkapp.com/developer/api/email-api).
package postmark

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/frontdeskhq/frontdesk"
	"github.com/frontdeskhq/frontdesk/mail"
)

// DefaultAPIURL is Postmark's API base.
const DefaultAPIURL = "https://api.postmarkapp.com"

// MessageStream is the transactional stream every email goes out on.
const MessageStream = "outbound"

// Postmark error codes that a retry can cure.
const (
	codeMaintenance  = 100
	codeRateLimited  = 429
	maxResponseBytes = 1 << 20
)

// Sender is a frontdesk.Mailer that sends through Postmark. It is safe for
// concurrent use.
type Sender struct {
	token  string
	apiURL string
	client *http.Client
}

var _ frontdesk.Mailer = (*Sender)(nil)

// New returns a Sender using the server token. apiURL defaults to
// DefaultAPIURL (override it for a fake); client defaults to an http.Client
// with a 30-second timeout.
func New(token, apiURL string, client *http.Client) *Sender {
	apiURL = strings.TrimRight(strings.TrimSpace(apiURL), "/")
	if apiURL == "" {
		apiURL = DefaultAPIURL
	}
	if client == nil {
		client = &http.Client{Timeout: 30 * time.Second}
	}
	return &Sender{token: token, apiURL: apiURL, client: client}
}

// request is the body of POST /email.
type request struct {
	From          string       `json:"From"`
	To            string       `json:"To"`
	ReplyTo       string       `json:"ReplyTo,omitempty"`
	Subject       string       `json:"Subject"`
	HtmlBody      string       `json:"HtmlBody,omitempty"`
	TextBody      string       `json:"TextBody,omitempty"`
	MessageStream string       `json:"MessageStream"`
	Headers       []header     `json:"Headers,omitempty"`
	Attachments   []attachment `json:"Attachments,omitempty"`
}

// header is one custom header of an email.
type header struct {
	Name  string `json:"Name"`
	Value string `json:"Value"`
}

type attachment struct {
	Name        string `json:"Name"`
	Content     string `json:"Content"` // base64
	ContentType string `json:"ContentType"`
}

// response is Postmark's answer, for a success and for an error alike.
type response struct {
	To          string `json:"To"`
	SubmittedAt string `json:"SubmittedAt"`
	MessageID   string `json:"MessageID"`
	ErrorCode   int    `json:"ErrorCode"`
	Message     string `json:"Message"`
}

// Send posts the email to Postmark. A failure that a retry cannot cure (422,
// 401, other 4xx, or a 200 carrying an ErrorCode) is a *mail.PermanentError;
// 408, 429, 5xx, a network failure or a cancelled context are temporary.
func (s *Sender) Send(ctx context.Context, e frontdesk.Email) error {
	body := request{
		From:          mail.HeaderSafe(e.From),
		To:            mail.HeaderSafe(e.To),
		ReplyTo:       mail.HeaderSafe(e.ReplyTo),
		Subject:       mail.HeaderSafe(e.Subject),
		HtmlBody:      e.HTML,
		TextBody:      e.Text,
		MessageStream: MessageStream,
	}
	// The outbox's Message-ID is the same on every attempt, so a copy sent
	// twice is one message to mail clients. Without a usable one Postmark
	// makes its own.
	if id, ok := mail.NormalizeMessageID(e.MessageID); ok {
		body.Headers = []header{{Name: "Message-ID", Value: id}}
	}
	for _, a := range e.Attachments {
		body.Attachments = append(body.Attachments, attachment{
			Name:        mail.HeaderSafe(a.Name),
			Content:     base64.StdEncoding.EncodeToString(a.Content),
			ContentType: mail.HeaderSafe(a.ContentType),
		})
	}
	payload, err := json.Marshal(body)
	if err != nil {
		return mail.Permanent(fmt.Errorf("postmark: encode email: %w", err))
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, s.apiURL+"/email", bytes.NewReader(payload))
	if err != nil {
		return mail.Permanent(fmt.Errorf("postmark: build request: %w", err))
	}
	req.Header.Set("Accept", "application/json")
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-Postmark-Server-Token", s.token)

	resp, err := s.client.Do(req)
	if err != nil {
		// Network trouble or the context ended: try again later.
		return fmt.Errorf("postmark: %w", err)
	}
	defer resp.Body.Close()
	raw, readErr := io.ReadAll(io.LimitReader(resp.Body, maxResponseBytes))

	var r response
	decodeErr := json.Unmarshal(raw, &r)
	if readErr == nil && decodeErr == nil && resp.StatusCode == http.StatusOK && r.ErrorCode == 0 {
		return nil
	}
	if resp.StatusCode == http.StatusOK && (readErr != nil || decodeErr != nil) {
		// Postmark accepted the message; only its receipt was garbled.
		// Retrying would send the email twice.
		return nil
	}
	cause := describe(resp.StatusCode, r, decodeErr == nil, raw)
	if temporary(resp.StatusCode, r.ErrorCode) {
		return cause
	}
	return mail.Permanent(cause)
}

// temporary reports whether a failed send may succeed later.
func temporary(status, errorCode int) bool {
	if errorCode == codeMaintenance || errorCode == codeRateLimited {
		return true
	}
	switch {
	case status == http.StatusRequestTimeout, status == http.StatusTooManyRequests:
		return true
	case status >= 500:
		return true
	case status == http.StatusOK:
		return false // 200 with an ErrorCode: Postmark refused the message
	case status >= 400:
		return false // 401 bad token, 413 too large, 422 invalid email, ...
	}
	// 1xx, other 2xx, 3xx: not Postmark's answer; perhaps a proxy in between.
	return true
}

func describe(status int, r response, decoded bool, raw []byte) error {
	if decoded && (r.ErrorCode != 0 || r.Message != "") {
		return fmt.Errorf("postmark: HTTP %d, error code %d: %s", status, r.ErrorCode, r.Message)
	}
	snippet := strings.TrimSpace(string(raw))
	if len(snippet) > 200 {
		snippet = snippet[:200] + "..."
	}
	if snippet == "" {
		return fmt.Errorf("postmark: HTTP %d", status)
	}
	return fmt.Errorf("postmark: HTTP %d: %s", status, snippet)
}
