package mail

import (
	"html"
	"strings"
	"testing"
	"time"

	"github.com/frontdeskhq/frontdesk"
)

const scriptName = "<script>alert(1)</script>"

// fixture returns a pending, paid TIMESLOT booking at 15:00–16:00 Berlin time
// (14:00–15:00 UTC) on Tuesday 15 December 2026.
func fixture() BookingEmailData {
	start := time.Date(2026, 12, 15, 14, 0, 0, 0, time.UTC)
	end := start.Add(time.Hour)
	return BookingEmailData{
		Tenant: &frontdesk.Tenant{
			ID: "t1", Name: "Studio Lumen", ContactEmail: "hello@studio.example",
			TimeZone: "Europe/Berlin", Currency: "usd",
		},
		Booking: &frontdesk.Booking{
			ID:               "0123456789abcdef0123456789abcdef",
			BookingType:      frontdesk.BookingTimeslot,
			Date:             frontdesk.Date{Year: 2026, Month: 12, Day: 15},
			StartAt:          &start,
			EndAt:            &end,
			Status:           frontdesk.StatusPending,
			TotalPriceCents:  15000,
			Currency:         "usd",
			ConfirmationCode: "BK-ABC234",
			Notes:            "Please bring <b>props</b> & \"snacks\"",
			CreatedAt:        start.Add(-48 * time.Hour),
		},
		Package: &frontdesk.Package{
			ID: "p1", Name: "Portrait session", PriceCents: 15000, Currency: "usd",
			BookingType: frontdesk.BookingTimeslot, DurationMinutes: 60,
		},
		Customer: &frontdesk.Customer{
			ID: "c1", Name: "Ann Lee", Email: "ann@example.com", Phone: "+1 555 0100",
		},
		PublicURL:   "https://frontdesk.example/",
		CheckoutURL: "https://checkout.example/pay/cs_123",
	}
}

type renderFunc func(string, BookingEmailData) (frontdesk.Email, error)

var allKinds = map[string]renderFunc{
	frontdesk.EmailBookingReceived:          BookingReceived,
	frontdesk.EmailTenantNewBooking:         TenantNewBooking,
	frontdesk.EmailPaymentConfirmed:         PaymentConfirmed,
	frontdesk.EmailPaymentLink:              PaymentLink,
	frontdesk.EmailBookingCanceled:          BookingCanceled,
	frontdesk.EmailTenantBookingCanceled:    TenantBookingCanceled,
	frontdesk.EmailBookingRescheduled:       BookingRescheduled,
	frontdesk.EmailTenantBookingRescheduled: TenantBookingRescheduled,
	frontdesk.EmailRefundIssued:             withRefund(RefundIssued),
	frontdesk.EmailRefundFailed:             withRefund(RefundFailed),
	frontdesk.EmailReminder:                 Reminder,
	frontdesk.EmailTenantPaymentReceived:    TenantPaymentReceived,
}

func mustRender(t *testing.T, f renderFunc, d BookingEmailData) frontdesk.Email {
	t.Helper()
	e, err := f("Frontdesk <bookings@frontdesk.example>", d)
	if err != nil {
		t.Fatalf("render: %v", err)
	}
	return e
}

func TestBookingReceivedContent(t *testing.T) {
	e := mustRender(t, BookingReceived, fixture())
	if e.To != "ann@example.com" {
		t.Errorf("To = %q", e.To)
	}
	if e.Subject != "Booking received: BK-ABC234" {
		t.Errorf("Subject = %q", e.Subject)
	}
	if e.From != "Frontdesk <bookings@frontdesk.example>" {
		t.Errorf("From = %q", e.From)
	}
	for _, part := range []struct{ name, body string }{{"html", html.UnescapeString(e.HTML)}, {"text", e.Text}} {
		for _, want := range []string{
			"BK-ABC234",
			"Portrait session",
			"Tuesday 15 December 2026, 3:00 PM – 4:00 PM CET",
			"$150.00",
			"Pending",
			"Complete payment",
			"https://checkout.example/pay/cs_123",
			"hello@studio.example",
			"cancel or reschedule",
		} {
			if !strings.Contains(part.body, want) {
				t.Errorf("%s part lacks %q:\n%s", part.name, want, part.body)
			}
		}
	}
	if len(e.Attachments) != 1 {
		t.Fatalf("attachments = %d, want 1", len(e.Attachments))
	}
	a := e.Attachments[0]
	if a.Name != "booking-BK-ABC234.ics" || !strings.HasPrefix(a.ContentType, "text/calendar") ||
		!strings.Contains(a.ContentType, "method=PUBLISH") {
		t.Errorf("attachment = %q %q", a.Name, a.ContentType)
	}
	if !strings.Contains(string(a.Content), "DTSTART:20261215T140000Z\r\n") {
		t.Errorf("ics lacks the UTC start:\n%s", a.Content)
	}
}

func TestBookingReceivedPaymentFollows(t *testing.T) {
	d := fixture()
	d.CheckoutURL = ""
	e := mustRender(t, BookingReceived, d)
	for _, body := range []string{html.UnescapeString(e.HTML), e.Text} {
		if !strings.Contains(body, "payment link in a separate email") {
			t.Errorf("no word that the payment link follows:\n%s", body)
		}
		if strings.Contains(body, "Complete payment") {
			t.Errorf("a payment button without a link:\n%s", body)
		}
	}
}

func TestBookingReceivedConfirmedFreeDate(t *testing.T) {
	d := fixture()
	d.CheckoutURL = ""
	d.Booking.BookingType = frontdesk.BookingDate
	d.Booking.StartAt, d.Booking.EndAt = nil, nil
	d.Booking.Status = frontdesk.StatusConfirmed
	d.Booking.TotalPriceCents = 0
	d.Booking.Currency = "jpy"
	e := mustRender(t, BookingReceived, d)
	for _, body := range []string{html.UnescapeString(e.HTML), e.Text} {
		for _, want := range []string{"Tuesday 15 December 2026", "¥0", "Confirmed"} {
			if !strings.Contains(body, want) {
				t.Errorf("lacks %q:\n%s", want, body)
			}
		}
		for _, bad := range []string{"Complete payment", "separate email", " PM"} {
			if strings.Contains(body, bad) {
				t.Errorf("has %q:\n%s", bad, body)
			}
		}
	}
	if !strings.Contains(string(e.Attachments[0].Content), "DTSTART;VALUE=DATE:20261215\r\n") {
		t.Errorf("ics is not an all-day event:\n%s", e.Attachments[0].Content)
	}
}

func TestTenantNewBookingContent(t *testing.T) {
	e := mustRender(t, TenantNewBooking, fixture())
	if e.To != "hello@studio.example" {
		t.Errorf("To = %q", e.To)
	}
	if e.Subject != "New booking from Ann Lee" {
		t.Errorf("Subject = %q", e.Subject)
	}
	link := "https://frontdesk.example/dashboard/bookings/0123456789abcdef0123456789abcdef"
	for _, body := range []string{html.UnescapeString(e.HTML), e.Text} {
		for _, want := range []string{"Ann Lee", "ann@example.com", "+1 555 0100", "Portrait session",
			"Tuesday 15 December 2026", "$150.00", "BK-ABC234", link} {
			if !strings.Contains(body, want) {
				t.Errorf("lacks %q:\n%s", want, body)
			}
		}
	}
	if len(e.Attachments) != 0 {
		t.Errorf("tenant email has %d attachments", len(e.Attachments))
	}
}

func TestPaymentConfirmedContent(t *testing.T) {
	d := fixture()
	d.Booking.Status = frontdesk.StatusConfirmed
	e := mustRender(t, PaymentConfirmed, d)
	if e.To != "ann@example.com" || e.Subject != "Payment received: BK-ABC234" {
		t.Errorf("To, Subject = %q, %q", e.To, e.Subject)
	}
	for _, body := range []string{html.UnescapeString(e.HTML), e.Text} {
		if !strings.Contains(body, "Confirmed") || !strings.Contains(body, "$150.00") {
			t.Errorf("not told confirmed and paid:\n%s", body)
		}
		if strings.Contains(body, "cs_123") {
			t.Errorf("a payment link in a payment confirmation:\n%s", body)
		}
	}
}

func TestPaymentLinkContent(t *testing.T) {
	e := mustRender(t, PaymentLink, fixture())
	if e.To != "ann@example.com" || e.Subject != "Complete your payment: BK-ABC234" {
		t.Errorf("To, Subject = %q, %q", e.To, e.Subject)
	}
	for _, body := range []string{html.UnescapeString(e.HTML), e.Text} {
		if !strings.Contains(body, "https://checkout.example/pay/cs_123") {
			t.Errorf("no link:\n%s", body)
		}
	}
	d := fixture()
	d.CheckoutURL = ""
	if _, err := PaymentLink("from@example.com", d); err == nil {
		t.Error("PaymentLink without a checkout URL: no error")
	}
	d.Booking.CheckoutURL = "https://checkout.example/pay/cs_456"
	e = mustRender(t, PaymentLink, d)
	if !strings.Contains(e.Text, "cs_456") {
		t.Errorf("Booking.CheckoutURL not used:\n%s", e.Text)
	}
}

func TestHTMLEscapesCustomerInput(t *testing.T) {
	for kind, f := range allKinds {
		t.Run(kind, func(t *testing.T) {
			d := fixture()
			d.Customer.Name = scriptName
			d.Customer.Phone = `<img src=x onerror=alert(2)>`
			d.Booking.Notes = `</td><script>alert("notes")</script>`
			d.Customer.Email = `x"><script>alert(3)</script>@example.com`
			e := mustRender(t, f, d)
			for _, raw := range []string{"<script", "<img", "</td><script"} {
				if strings.Contains(e.HTML, raw) {
					t.Errorf("HTML holds raw %q:\n%s", raw, e.HTML)
				}
			}
			// The name and the notes are shown, as inert text.
			for _, want := range []string{"&lt;script&gt;alert(1)&lt;/script&gt;", "alert(&#34;notes&#34;)"} {
				if !strings.Contains(e.HTML, want) {
					t.Errorf("HTML lacks escaped %q:\n%s", want, e.HTML)
				}
			}
			// The text part is plain text: it shows what the customer typed.
			if !strings.Contains(e.Text, scriptName) {
				t.Errorf("text part lacks the name as typed:\n%s", e.Text)
			}
		})
	}
}

func TestHeadersAreSingleLine(t *testing.T) {
	for kind, f := range allKinds {
		t.Run(kind, func(t *testing.T) {
			d := fixture()
			d.Customer.Name = "Ann\r\nBcc: x@y"
			d.Customer.Email = "ann@example.com\r\nBcc: evil@example.com"
			d.Tenant.ContactEmail = "hello@studio.example\nCc: evil@example.com"
			d.Booking.ConfirmationCode = "BK-ABC234\r\nX-Injected: 1"
			e, err := f("Frontdesk\r\n<bookings@frontdesk.example>", d)
			if err != nil {
				t.Fatal(err)
			}
			for name, v := range map[string]string{"From": e.From, "To": e.To, "Subject": e.Subject} {
				if strings.ContainsAny(v, "\r\n") {
					t.Errorf("%s holds a line break: %q", name, v)
				}
			}
			if kind == frontdesk.EmailTenantNewBooking && e.Subject != "New booking from Ann Bcc: x@y" {
				t.Errorf("Subject = %q", e.Subject)
			}
			if kind == frontdesk.EmailBookingReceived && e.To != "ann@example.com Bcc: evil@example.com" {
				t.Errorf("To = %q", e.To)
			}
		})
	}
}

func TestHeaderSafe(t *testing.T) {
	for in, want := range map[string]string{
		"Ann\r\nBcc: x@y":        "Ann Bcc: x@y",
		"  a\n\n\tb  ":           "a b",
		"x\u2028y\u0085z\x00w":   "x y z w",
		"plain":                  "plain",
		"\r\n":                   "",
		"Zoë – Café \"Ünïcode\"": "Zoë – Café \"Ünïcode\"",
	} {
		if got := HeaderSafe(in); got != want {
			t.Errorf("HeaderSafe(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestRenderNeedsTenantBookingRecipient(t *testing.T) {
	d := fixture()
	d.Tenant = nil
	if _, err := BookingReceived("f@example.com", d); err == nil {
		t.Error("no tenant: no error")
	}
	d = fixture()
	d.Booking = nil
	if _, err := TenantNewBooking("f@example.com", d); err == nil {
		t.Error("no booking: no error")
	}
	d = fixture()
	d.Customer.Email = " \r\n"
	if _, err := PaymentConfirmed("f@example.com", d); err == nil {
		t.Error("no recipient: no error")
	}
}

func TestCustomerFallsBackToBooking(t *testing.T) {
	d := fixture()
	d.Customer = nil
	d.Package = nil
	d.Booking.Customer = frontdesk.Customer{Name: "Bo", Email: "bo@example.com"}
	d.Booking.PackageName = "Mini session"
	e := mustRender(t, BookingReceived, d)
	if e.To != "bo@example.com" || !strings.Contains(e.Text, "Hi Bo,") || !strings.Contains(e.Text, "Mini session") {
		t.Errorf("To %q, text:\n%s", e.To, e.Text)
	}
}

func TestReplyTo(t *testing.T) {
	d := fixture()
	cases := []struct {
		name string
		f    renderFunc
		want string
	}{
		{"customer's confirmation replies to the business", BookingReceived, d.Tenant.ContactEmail},
		{"customer's payment receipt replies to the business", PaymentConfirmed, d.Tenant.ContactEmail},
		{"business's notice replies to the customer", TenantNewBooking, d.Customer.Email},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if e := mustRender(t, tc.f, d); e.ReplyTo != tc.want || tc.want == "" {
				t.Fatalf("ReplyTo = %q, want %q", e.ReplyTo, tc.want)
			}
		})
	}
}

func TestBookingExpiredContent(t *testing.T) {
	d := fixture()
	d.Customer.Name = "<b>Ann</b>"
	e := mustRender(t, BookingExpired, d)
	if e.Subject != "Booking released: "+d.Booking.ConfirmationCode || e.To != d.Customer.Email {
		t.Fatalf("subject %q to %q", e.Subject, e.To)
	}
	for _, part := range []string{e.HTML, e.Text} {
		if !strings.Contains(part, "released") || !strings.Contains(part, d.Booking.ConfirmationCode) || strings.Contains(part, "Complete payment") {
			t.Errorf("part lacks the release or offers payment:\n%s", part)
		}
	}
	if strings.Contains(e.HTML, "<b>Ann</b>") || !strings.Contains(e.HTML, "&lt;b&gt;Ann&lt;/b&gt;") {
		t.Error("customer name not escaped in HTML")
	}
	if len(e.Attachments) != 0 {
		t.Error("a released booking must not carry a calendar file")
	}
}

func TestEscalationEmail(t *testing.T) {
	d := fixture()
	e := &frontdesk.Escalation{ID: "esc1", Reason: "<script>x</script> I need to move my wedding", CustomerEmail: "ann@example.com", CustomerPhone: "+1 555 0100"}
	m, err := Escalation("Frontdesk <b@f.test>", "https://book.example/", d.Tenant, e, []TranscriptLine{{"Customer", "hi <b>there</b>"}, {"Assistant", "Hello!"}})
	if err != nil {
		t.Fatal(err)
	}
	if m.To != d.Tenant.ContactEmail || m.ReplyTo != "ann@example.com" || !strings.Contains(m.Subject, "asked for a person") {
		t.Fatalf("to %q reply-to %q subject %q", m.To, m.ReplyTo, m.Subject)
	}
	if strings.Contains(m.HTML, "<script>") || strings.Contains(m.HTML, "<b>there</b>") || !strings.Contains(m.HTML, "&lt;b&gt;there&lt;/b&gt;") {
		t.Fatalf("customer text not escaped:\n%s", m.HTML)
	}
	if !strings.Contains(m.HTML, `href="https://book.example/dashboard/escalations/esc1"`) {
		t.Errorf("no link to the escalation in the dashboard:\n%s", m.HTML)
	}
	for _, want := range []string{"I need to move my wedding", "+1 555 0100", "Customer: hi <b>there</b>", "Assistant: Hello!", "https://book.example/dashboard/escalations/esc1"} {
		if !strings.Contains(m.Text, want) {
			t.Errorf("text part lacks %q:\n%s", want, m.Text)
		}
	}
}
