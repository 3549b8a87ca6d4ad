package mail

import (
	"strings"
	"testing"

	"github.com/frontdeskhq/frontdesk"
)

func TestEscalationReply(t *testing.T) {
	tn := &frontdesk.Tenant{ID: "t1", Name: "Studio <b>Lumen</b>\r\nBcc: x@evil.test", ContactEmail: "hello@studio.example"}
	e := &frontdesk.Escalation{ID: "e1", Reason: "<script>alert(1)</script> can I move my wedding?", CustomerEmail: "ann@example.com"}
	msg := "Hi Ann,\r\n\r\nYes: <b>any</b> Saturday & Sunday in June.\nCall us.\n\n\n<script>alert(2)</script>"
	m, err := EscalationReply("Frontdesk <bookings@frontdesk.test>", tn, e, msg)
	if err != nil {
		t.Fatal(err)
	}
	if m.To != "ann@example.com" || m.ReplyTo != "hello@studio.example" || m.From != "Frontdesk <bookings@frontdesk.test>" {
		t.Errorf("addresses: to %q reply-to %q from %q", m.To, m.ReplyTo, m.From)
	}
	if strings.ContainsAny(m.Subject, "\r\n") || !strings.HasPrefix(m.Subject, "Re: your message to Studio") {
		t.Errorf("subject %q", m.Subject)
	}
	for _, bad := range []string{"<script>", "<b>any</b>", "<b>Lumen</b>"} {
		if strings.Contains(m.HTML, bad) {
			t.Errorf("the HTML part carries %q unescaped:\n%s", bad, m.HTML)
		}
	}
	for _, want := range []string{"<p>Hi Ann,</p>", "Yes: &lt;b&gt;any&lt;/b&gt; Saturday &amp; Sunday in June.<br>Call us.</p>",
		"<p>&lt;script&gt;alert(2)&lt;/script&gt;</p>", "You asked us: &lt;script&gt;"} {
		if !strings.Contains(m.HTML, want) {
			t.Errorf("the HTML part lacks %q:\n%s", want, m.HTML)
		}
	}
	for _, want := range []string{"Hi Ann,\n\nYes: <b>any</b> Saturday & Sunday in June.\nCall us.", "You asked us: <script>alert(1)</script> can I move my wedding?",
		"Reply to this email to answer Studio"} {
		if !strings.Contains(m.Text, want) {
			t.Errorf("the text part lacks %q:\n%s", want, m.Text)
		}
	}
	if strings.Contains(m.Text, "\r") {
		t.Error("the text part keeps carriage returns")
	}

	for name, c := range map[string]struct {
		e   *frontdesk.Escalation
		msg string
	}{
		"no customer email": {&frontdesk.Escalation{ID: "e2", CustomerPhone: "+1 555 0100"}, "Hello"},
		"empty message":     {e, " \r\n\t "},
		"no escalation":     {nil, "Hello"},
	} {
		if _, err := EscalationReply("f@x.test", tn, c.e, c.msg); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
}
