package mail

import (
	"html"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/frontdeskhq/frontdesk"
)

const manageURL = "https://frontdesk.example/b/tok_abc123"

// lifecycle returns the fixture as a paid, confirmed booking on its third
// calendar revision, with a manage link, moved to 15 December from
// 14 December 11:00–12:00 Berlin time (10:00 UTC).
func lifecycle() BookingEmailData {
	d := fixture()
	paidAt := d.Booking.CreatedAt.Add(time.Hour)
	d.Booking.Status = frontdesk.StatusConfirmed
	d.Booking.PaidAt = &paidAt
	d.Booking.PaymentIntentID = "pi_3Ab"
	d.Booking.CalendarSequence = 3
	d.Booking.UpdatedAt = paidAt.Add(time.Hour)
	d.CheckoutURL = ""
	d.ManageURL = manageURL
	prev := *d.Booking
	start := time.Date(2026, 12, 14, 10, 0, 0, 0, time.UTC)
	end := start.Add(time.Hour)
	prev.Date, prev.StartAt, prev.EndAt = frontdesk.Date{Year: 2026, Month: 12, Day: 14}, &start, &end
	d.Previous = &prev
	return d
}

// unpaid makes d's booking one never paid.
func unpaid(d *BookingEmailData) {
	d.Booking.Status = frontdesk.StatusPending
	d.Booking.PaidAt, d.Booking.PaymentIntentID = nil, ""
}

// withRefund renders with a refund of $75.00, as the refund emails need.
func withRefund(f renderFunc) renderFunc {
	return func(from string, d BookingEmailData) (frontdesk.Email, error) {
		d.RefundCents = 7500
		return f(from, d)
	}
}

// calendar is what the test reads back from an attached calendar file.
type calendar struct{ method, uid, sequence, status string }

const (
	oldWhen = "Monday 14 December 2026, 11:00 AM – 12:00 PM CET"
	newWhen = "Tuesday 15 December 2026, 3:00 PM – 4:00 PM CET"
)

func TestLifecycleEmails(t *testing.T) {
	const (
		customer = "ann@example.com"
		business = "hello@studio.example"
		dash     = "https://frontdesk.example/dashboard/bookings/0123456789abcdef0123456789abcdef"
	)
	uid := BookingUID(fixture().Booking.ID)
	cases := []struct {
		name    string
		f       renderFunc
		edit    func(*BookingEmailData)
		to      string
		replyTo string
		subject string
		want    []string // in the HTML (unescaped) and the text part
		absent  []string // in neither
		cal     *calendar
	}{
		{
			name: "canceled by the customer, refunded", f: BookingCanceled,
			edit: func(d *BookingEmailData) {
				d.CanceledBy, d.RefundCents, d.Reason = CanceledByCustomer, 7500, "changed my mind"
				d.Booking.Status = frontdesk.StatusCanceled
			},
			to: customer, replyTo: business, subject: "Booking canceled: BK-ABC234",
			want:   []string{"As you asked", "Portrait session", newWhen, "BK-ABC234", "A refund of $75.00", "a few business days", "Canceled"},
			absent: []string{"changed my mind", "Complete payment", "No refund"},
			cal:    &calendar{"CANCEL", uid, "3", "CANCELLED"},
		},
		{
			name: "canceled by the business with a reason, paid, no refund", f: BookingCanceled,
			edit: func(d *BookingEmailData) {
				d.CanceledBy, d.Reason = CanceledByBusiness, "The studio is flooded"
			},
			to: customer, replyTo: business, subject: "Booking canceled: BK-ABC234",
			want:   []string{"Studio Lumen has had to cancel", "Reason given", "The studio is flooded", "No refund", newWhen, "$150.00"},
			absent: []string{"A refund of", "As you asked"},
			cal:    &calendar{"CANCEL", uid, "3", "CANCELLED"},
		},
		{
			name: "canceled, never paid: nothing about money", f: BookingCanceled,
			edit: func(d *BookingEmailData) {
				unpaid(d)
				d.CheckoutURL = "https://checkout.example/pay/cs_123"
				d.CanceledBy = CanceledByCustomer
			},
			to: customer, replyTo: business, subject: "Booking canceled: BK-ABC234",
			want:   []string{"As you asked", newWhen, "BK-ABC234", "Canceled"},
			absent: []string{"$", "refund", "Refund", "Complete payment", "cs_123"},
			cal:    &calendar{"CANCEL", uid, "3", "CANCELLED"},
		},
		{
			name: "business told of a customer's cancellation", f: TenantBookingCanceled,
			edit: func(d *BookingEmailData) {
				d.CanceledBy, d.RefundCents, d.Reason = CanceledByCustomer, 7500, "changed my mind"
			},
			to: business, replyTo: customer, subject: "Booking canceled by Ann Lee: BK-ABC234",
			want:   []string{"Ann Lee canceled the booking", "changed my mind", "Refund:", "$75.00", "free again", newWhen, dash},
			absent: []string{manageURL, "Manage your booking"},
		},
		{
			name: "business told of its own cancellation without refund", f: TenantBookingCanceled,
			edit: func(d *BookingEmailData) { d.CanceledBy = CanceledByBusiness },
			to:   business, replyTo: customer, subject: "Booking canceled: BK-ABC234",
			want:   []string{"You canceled the booking", "Refund:", "none", "$150.00 is kept", dash},
			absent: []string{manageURL},
		},
		{
			name: "business told of an unpaid booking's cancellation", f: TenantBookingCanceled,
			edit: func(d *BookingEmailData) { unpaid(d); d.CanceledBy = CanceledByCustomer },
			to:   business, replyTo: customer, subject: "Booking canceled by Ann Lee: BK-ABC234",
			want: []string{"had not been paid", "nothing to refund", dash},
		},
		{
			name: "rescheduled", f: BookingRescheduled,
			to: customer, replyTo: business, subject: "Booking rescheduled: BK-ABC234",
			want:   []string{"moved from", oldWhen, newWhen, "BK-ABC234", "Portrait session", "updated calendar file"},
			absent: []string{"Complete payment"},
			cal:    &calendar{"PUBLISH", uid, "3", "CONFIRMED"},
		},
		{
			name: "rescheduled while payment is due", f: BookingRescheduled,
			edit: func(d *BookingEmailData) { unpaid(d); d.CheckoutURL = "https://checkout.example/pay/cs_123" },
			to:   customer, replyTo: business, subject: "Booking rescheduled: BK-ABC234",
			want: []string{oldWhen, newWhen, "Complete payment", "cs_123"},
			cal:  &calendar{"PUBLISH", uid, "3", "TENTATIVE"},
		},
		{
			name: "business told of a reschedule", f: TenantBookingRescheduled,
			to: business, replyTo: customer, subject: "Booking rescheduled for Ann Lee: BK-ABC234",
			want:   []string{oldWhen, newWhen, "Ann Lee", "+1 555 0100", dash},
			absent: []string{manageURL},
		},
		{
			name: "refund issued", f: withRefund(RefundIssued),
			edit: func(d *BookingEmailData) { d.Booking.Status = frontdesk.StatusRefunded },
			to:   customer, replyTo: business, subject: "Refund on its way: BK-ABC234",
			want: []string{"refunded $75.00", "a few business days", "BK-ABC234", "Refunded"},
		},
		{
			name: "refund failed", f: withRefund(RefundFailed),
			edit: func(d *BookingEmailData) {
				d.Reason = "The refund could not be made automatically: card_declined"
			},
			to: business, replyTo: customer, subject: "Refund needs attention: BK-ABC234",
			want:   []string{"A refund of $75.00 to Ann Lee could not be made automatically", "card_declined", "pi_3Ab", "by hand", dash},
			absent: []string{manageURL},
		},
		{
			name: "reminder with the address", f: Reminder,
			edit: func(d *BookingEmailData) { d.Tenant.Info.Address = "Hauptstraße 1, 10115 Berlin" },
			to:   customer, replyTo: business, subject: "Reminder: Portrait session on Tuesday 15 December 2026 at 3:00 PM CET",
			want:   []string{"reminder", "Portrait session", newWhen, "Where:", "Hauptstraße 1, 10115 Berlin", "BK-ABC234"},
			absent: []string{"Complete payment"},
			cal:    &calendar{"PUBLISH", uid, "3", "CONFIRMED"},
		},
		{
			name: "reminder of a whole-day booking without an address", f: Reminder,
			edit: func(d *BookingEmailData) {
				d.Booking.StartAt, d.Booking.EndAt = nil, nil
				d.Booking.BookingType = frontdesk.BookingDate
			},
			to: customer, replyTo: business, subject: "Reminder: Portrait session on Tuesday 15 December 2026",
			want:   []string{"Tuesday 15 December 2026", "BK-ABC234"},
			absent: []string{"Where:", " PM"},
			cal:    &calendar{"PUBLISH", uid, "3", "CONFIRMED"},
		},
		{
			name: "business told of a payment", f: TenantPaymentReceived,
			edit: func(d *BookingEmailData) { d.Booking.Status = frontdesk.StatusPending },
			to:   business, replyTo: customer, subject: "Payment received from Ann Lee: BK-ABC234",
			want:   []string{"Ann Lee paid $150.00", "BK-ABC234", "confirmed", "Confirmed", dash},
			absent: []string{manageURL, "Pending"},
		},
		{
			name: "customer's payment receipt updates the calendar", f: PaymentConfirmed,
			edit: func(d *BookingEmailData) { d.Booking.Status = frontdesk.StatusPending },
			to:   customer, replyTo: business, subject: "Payment received: BK-ABC234",
			want: []string{"$150.00", "confirmed", "updated calendar file"},
			cal:  &calendar{"PUBLISH", uid, "3", "CONFIRMED"},
		},
		{
			name: "first confirmation: no SEQUENCE at revision 0", f: BookingReceived,
			edit: func(d *BookingEmailData) { unpaid(d); d.Booking.CalendarSequence = 0 },
			to:   customer, replyTo: business, subject: "Booking received: BK-ABC234",
			cal: &calendar{"PUBLISH", uid, "", "TENTATIVE"},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			d := lifecycle()
			if tc.edit != nil {
				tc.edit(&d)
			}
			e := mustRender(t, tc.f, d)
			if e.To != tc.to || e.ReplyTo != tc.replyTo || e.Subject != tc.subject {
				t.Errorf("To %q, Reply-To %q, Subject %q;\nwant %q, %q, %q", e.To, e.ReplyTo, e.Subject, tc.to, tc.replyTo, tc.subject)
			}
			for _, part := range []struct{ name, body string }{{"html", visible(e.HTML)}, {"text", e.Text}} {
				for _, want := range tc.want {
					if !strings.Contains(part.body, want) {
						t.Errorf("%s part lacks %q:\n%s", part.name, want, part.body)
					}
				}
				for _, bad := range tc.absent {
					if strings.Contains(part.body, bad) {
						t.Errorf("%s part has %q:\n%s", part.name, bad, part.body)
					}
				}
			}
			if tc.cal == nil {
				if len(e.Attachments) != 0 {
					t.Errorf("%d attachments, want none", len(e.Attachments))
				}
				return
			}
			if len(e.Attachments) != 1 {
				t.Fatalf("%d attachments, want the calendar file", len(e.Attachments))
			}
			a := e.Attachments[0]
			if a.Name != "booking-BK-ABC234.ics" || a.ContentType != "text/calendar; charset=utf-8; method="+tc.cal.method {
				t.Errorf("attachment %q %q, want method=%s", a.Name, a.ContentType, tc.cal.method)
			}
			if got := readCalendar(t, a.Content); got != *tc.cal {
				t.Errorf("calendar %+v, want %+v:\n%s", got, *tc.cal, a.Content)
			}
		})
	}
}

// visible is the HTML part's text as read, emphasis dropped: "paid
// <strong>$150.00</strong>" is "paid $150.00".
func visible(h string) string {
	return html.UnescapeString(strings.NewReplacer("<strong>", "", "</strong>", "").Replace(h))
}

// readCalendar parses a one-event calendar back, line by line.
func readCalendar(t *testing.T, ics []byte) calendar {
	t.Helper()
	cal, events := feedEvents(t, icsLines(t, ics))
	if len(events) != 1 {
		t.Fatalf("%d events, want 1:\n%s", len(events), ics)
	}
	ev := events[0]
	return calendar{method: cal["METHOD"], uid: ev["UID"], sequence: ev["SEQUENCE"], status: ev["STATUS"]}
}

// customerKinds are the emails to the customer; each links to the manage
// page when there is one.
var customerKinds = map[string]renderFunc{
	frontdesk.EmailBookingReceived:    BookingReceived,
	frontdesk.EmailPaymentConfirmed:   PaymentConfirmed,
	frontdesk.EmailPaymentLink:        PaymentLink,
	frontdesk.EmailBookingExpired:     BookingExpired,
	frontdesk.EmailBookingCanceled:    BookingCanceled,
	frontdesk.EmailBookingRescheduled: BookingRescheduled,
	frontdesk.EmailRefundIssued:       withRefund(RefundIssued),
	frontdesk.EmailReminder:           Reminder,
}

func TestManageLink(t *testing.T) {
	for kind, f := range customerKinds {
		t.Run(kind, func(t *testing.T) {
			d := fixture()
			d.ManageURL = manageURL
			e := mustRender(t, f, d)
			for _, body := range []string{html.UnescapeString(e.HTML), e.Text} {
				if !strings.Contains(body, "Manage your booking") || !strings.Contains(body, manageURL) {
					t.Errorf("no manage link:\n%s", body)
				}
			}
			if !strings.Contains(e.HTML, `href="`+manageURL+`"`) {
				t.Errorf("HTML does not link the manage page:\n%s", e.HTML)
			}
			if !strings.Contains(e.Text, "Manage your booking: "+manageURL+"\n") {
				t.Errorf("text part lacks the link on its own line:\n%s", e.Text)
			}

			d.ManageURL = ""
			e = mustRender(t, f, d)
			for _, body := range []string{e.HTML, e.Text} {
				if strings.Contains(body, "Manage your booking") || strings.Contains(body, "/b/") {
					t.Errorf("a manage link without a manage URL:\n%s", body)
				}
				if !strings.Contains(body, "eply to this email") {
					t.Errorf("without a manage link, no word of replying:\n%s", body)
				}
			}
		})
	}
}

func TestManageLinkIsInert(t *testing.T) {
	for kind, f := range customerKinds {
		t.Run(kind, func(t *testing.T) {
			d := fixture()
			d.ManageURL = "javascript:alert(1)//\r\nBcc: evil@example.com"
			e := mustRender(t, f, d)
			if strings.Contains(e.HTML, `href="javascript:`) {
				t.Errorf("HTML links a script:\n%s", e.HTML)
			}
			for _, line := range strings.Split(e.Text, "\n") {
				if strings.HasPrefix(line, "Bcc:") {
					t.Errorf("the link broke a line in the text part:\n%s", e.Text)
				}
			}
		})
	}
}

func TestTenantEmailsNeverCarryTheManageLink(t *testing.T) {
	for name, f := range map[string]renderFunc{
		"new booking": TenantNewBooking, "canceled": TenantBookingCanceled, "rescheduled": TenantBookingRescheduled,
		"refund failed": withRefund(RefundFailed), "payment received": TenantPaymentReceived,
	} {
		t.Run(name, func(t *testing.T) {
			e := mustRender(t, f, lifecycle())
			if strings.Contains(e.HTML+e.Text, "tok_abc123") {
				t.Errorf("the customer's manage link went to the business:\n%s", e.Text)
			}
		})
	}
}

func TestLifecycleEscapesCustomerInput(t *testing.T) {
	for name, f := range map[string]renderFunc{
		"canceled": BookingCanceled, "tenant canceled": TenantBookingCanceled,
		"rescheduled": BookingRescheduled, "tenant rescheduled": TenantBookingRescheduled,
		"refund issued": withRefund(RefundIssued), "refund failed": withRefund(RefundFailed),
		"reminder": Reminder, "payment received": TenantPaymentReceived,
	} {
		t.Run(name, func(t *testing.T) {
			d := lifecycle()
			d.Customer.Name = scriptName
			d.CanceledBy = CanceledByBusiness
			d.Reason = `<img src=x onerror=alert(4)>` + "\r\nBcc: x@y"
			d.Booking.Notes = `</td><script>alert("notes")</script>`
			e := mustRender(t, f, d)
			for _, raw := range []string{"<script", "<img"} {
				if strings.Contains(e.HTML, raw) {
					t.Errorf("HTML holds raw %q:\n%s", raw, e.HTML)
				}
			}
			if !strings.Contains(e.HTML, "&lt;script&gt;alert(1)&lt;/script&gt;") {
				t.Errorf("HTML lacks the escaped name:\n%s", e.HTML)
			}
			if strings.Contains(e.Text, "\nBcc:") || strings.Contains(e.Subject, "\n") {
				t.Errorf("the reason broke a line:\n%s", e.Text)
			}
		})
	}
}

func TestRefundEmailsNeedAnAmount(t *testing.T) {
	for name, f := range map[string]renderFunc{"issued": RefundIssued, "failed": RefundFailed} {
		if _, err := f("f@example.com", lifecycle()); err == nil {
			t.Errorf("%s without an amount: no error", name)
		}
	}
}

func TestLifecycleNeedsTenantAndBooking(t *testing.T) {
	for name, f := range map[string]renderFunc{
		"canceled": BookingCanceled, "tenant canceled": TenantBookingCanceled,
		"rescheduled": BookingRescheduled, "tenant rescheduled": TenantBookingRescheduled,
		"refund issued": withRefund(RefundIssued), "refund failed": withRefund(RefundFailed),
		"reminder": Reminder, "payment received": TenantPaymentReceived,
	} {
		d := lifecycle()
		d.Tenant = nil
		if _, err := f("f@example.com", d); err == nil {
			t.Errorf("%s without the tenant: no error", name)
		}
		d = lifecycle()
		d.Booking = nil
		if _, err := f("f@example.com", d); err == nil {
			t.Errorf("%s without the booking: no error", name)
		}
	}
}

// A reschedule without the old booking still says where the booking went.
func TestRescheduledWithoutPrevious(t *testing.T) {
	d := lifecycle()
	d.Previous = nil
	e := mustRender(t, BookingRescheduled, d)
	if !strings.Contains(e.Text, "has been moved to "+newWhen) || strings.Contains(e.Text, "moved from") {
		t.Errorf("text:\n%s", e.Text)
	}
}

// The old and new times are told in the business's zone, whatever the zone
// of the times given.
func TestRescheduledTimesInBusinessZone(t *testing.T) {
	d := lifecycle()
	d.Tenant.TimeZone = "America/New_York"
	ny, _ := time.LoadLocation("America/New_York")
	s := d.Previous.StartAt.In(ny)
	d.Previous.StartAt = &s
	e := mustRender(t, TenantBookingRescheduled, d)
	for _, want := range []string{
		"from Monday 14 December 2026, 5:00 AM – 6:00 AM EST to Tuesday 15 December 2026, 9:00 AM – 10:00 AM EST",
	} {
		if !strings.Contains(e.Text, want) {
			t.Errorf("text lacks %q:\n%s", want, e.Text)
		}
	}
}

// The sequence written follows the booking's CalendarSequence.
func TestCalendarSequenceFollowsBooking(t *testing.T) {
	for _, seq := range []int{1, 2, 17} {
		d := lifecycle()
		d.Booking.CalendarSequence = seq
		got := readCalendar(t, mustICS(t, d))
		if got.sequence != strconv.Itoa(seq) || got.method != "PUBLISH" {
			t.Errorf("sequence %d: calendar %+v", seq, got)
		}
	}
}
