package dashboard

import (
	"context"
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/frontdeskhq/frontdesk"
	"github.com/frontdeskhq/frontdesk/booking"
	"github.com/frontdeskhq/frontdesk/mail"
)

// bkDetailView is a booking's page.
type bkDetailView struct {
	bkSummary
	WhenLabel   string
	Phone       string
	Notes       string
	Source      string
	PaidAt      *time.Time
	CreatedAt   *time.Time
	CanceledAt  *time.Time
	Reason      string
	Reschedules int
	// Refunded is what went back so far; RefundedAny says there is something to show.
	Refunded    string
	RefundedAny bool
	Refunds     []bkRefundRow
	CheckoutURL string
	Emails      []bkEmailRow
	Transcript  []bkChatLine
	// What the owner can do now, or why not.
	CanCancel, CanReschedule   bool
	CancelNote, RescheduleNote string
}

// bkRefundRow is one refund of a booking.
type bkRefundRow struct {
	Amount, Status, StatusClass, Note string
	At                                *time.Time
}

// bkEmailRow is one email sent (or to send) about a booking.
type bkEmailRow struct {
	Kind, To, Subject, Status, StatusClass, When string
}

// bkChatLine is one message of the conversation that led to a booking.
type bkChatLine struct{ Who, Text string }

// bookingDetail shows one booking: the customer, the payment and refunds,
// the emails about it and the conversation that led to it, and what the
// owner can do with it. The links in the owner's emails land here.
func (s *Server) bookingDetail(w http.ResponseWriter, r *http.Request, c *reqCtx) {
	b, ok := s.bkLoad(w, r, c)
	if !ok {
		return
	}
	v, err := s.bkDetailOf(r.Context(), c.Tenant, b)
	if err != nil {
		s.fail(w, r, c, err)
		return
	}
	s.render(w, r, c, http.StatusOK, "booking", "Booking "+b.ConfirmationCode, "bookings", v)
}

func (s *Server) bkDetailOf(ctx context.Context, t *frontdesk.Tenant, b *frontdesk.Booking) (*bkDetailView, error) {
	now := s.now()
	created := b.CreatedAt
	v := &bkDetailView{bkSummary: bkSummaryOf(t, b), Phone: strings.TrimSpace(b.Customer.Phone), Notes: strings.TrimSpace(b.Notes),
		Source: bkSourceWords(b.Source), PaidAt: b.PaidAt, CreatedAt: &created, CanceledAt: b.CanceledAt,
		Reason: strings.TrimSpace(b.CancellationReason), Reschedules: b.RescheduleCount, WhenLabel: "Date and time"}
	if b.StartAt == nil {
		v.WhenLabel = "Date"
	}
	if b.Status == frontdesk.StatusPending && b.TotalPriceCents > 0 && b.CheckoutURL != "" &&
		(b.CheckoutExpiresAt == nil || now.Before(*b.CheckoutExpiresAt)) {
		v.CheckoutURL = b.CheckoutURL
	}

	refunds, err := s.Store.Refunds(ctx, t.ID, b.ID)
	if err != nil {
		return nil, err
	}
	v.Refunded, v.RefundedAny = mail.FormatMoney(b.RefundedCents, b.Currency), b.RefundedCents > 0 || len(refunds) > 0
	refundIDs := map[string]bool{}
	for _, rf := range refunds {
		refundIDs[rf.ID] = true
		at := rf.CreatedAt
		row := bkRefundRow{Amount: mail.FormatMoney(rf.AmountCents, rf.Currency), StatusClass: strings.ToLower(string(rf.Status)), At: &at}
		switch rf.Status {
		case frontdesk.RefundSucceeded:
			row.Status = "Refunded"
		case frontdesk.RefundPending:
			row.Status = "On its way"
			if rf.Attempts > 0 {
				row.Note = "The payment provider did not take it yet; it is tried again automatically."
			}
		case frontdesk.RefundFailed:
			row.Status = "Failed"
			row.Note = "It could not be made automatically: please refund the customer by hand."
		default:
			row.Status = string(rf.Status)
		}
		v.Refunds = append(v.Refunds, row)
	}

	emails, err := s.Store.ListEmails(ctx, t.ID)
	if err != nil {
		return nil, err
	}
	emails = slices.DeleteFunc(slices.Clone(emails), func(e *frontdesk.OutboxEmail) bool { return !bkAboutBooking(e, b.ID, refundIDs) })
	slices.SortStableFunc(emails, func(a, b *frontdesk.OutboxEmail) int { return a.CreatedAt.Compare(b.CreatedAt) })
	for _, e := range emails {
		v.Emails = append(v.Emails, bkEmailRowOf(t, e))
	}

	transcript, err := s.Store.Transcript(ctx, t.ID, b.ID)
	if err != nil {
		return nil, err
	}
	v.Transcript = bkChatLines(transcript)

	live := b.Status.Live()
	started := !booking.StartOf(b, t.Location()).After(now)
	v.CanCancel = live && !started
	if live && started {
		v.CancelNote = "This booking has started or taken place, so it can no longer be canceled."
	}
	if err := booking.CheckReschedule(t, b, booking.ByBusiness, now); err == nil {
		v.CanReschedule = true
	} else if live {
		v.RescheduleNote = frontdesk.ErrorMessage(err)
	}
	return v, nil
}

// bkAboutBooking reports whether an outbox email concerns the booking: its
// idempotency key names the booking, or one of its refunds (refund emails
// are keyed by the refund).
func bkAboutBooking(e *frontdesk.OutboxEmail, bookingID string, refundIDs map[string]bool) bool {
	if strings.Contains(e.IdempotencyKey, bookingID) {
		return true
	}
	for _, part := range strings.Split(e.IdempotencyKey, ":") {
		if refundIDs[part] {
			return true
		}
	}
	return false
}

// bkEmailKinds says what each kind of email is, for the owner.
var bkEmailKinds = map[string]string{
	frontdesk.EmailBookingReceived:          "Booking confirmation to the customer",
	frontdesk.EmailTenantNewBooking:         "New booking, to you",
	frontdesk.EmailPaymentConfirmed:         "Payment receipt to the customer",
	frontdesk.EmailPaymentLink:              "Payment link to the customer",
	frontdesk.EmailBookingExpired:           "Booking expired unpaid",
	frontdesk.EmailPaymentAttention:         "A payment that needs your attention",
	frontdesk.EmailBookingCanceled:          "Cancellation to the customer",
	frontdesk.EmailTenantBookingCanceled:    "Cancellation, to you",
	frontdesk.EmailBookingRescheduled:       "New date or time to the customer",
	frontdesk.EmailTenantBookingRescheduled: "New date or time, to you",
	frontdesk.EmailRefundIssued:             "Refund to the customer",
	frontdesk.EmailRefundFailed:             "Refund to make by hand, to you",
	frontdesk.EmailReminder:                 "Reminder to the customer",
	frontdesk.EmailTenantPaymentReceived:    "Payment received, to you",
}

func bkEmailRowOf(t *frontdesk.Tenant, e *frontdesk.OutboxEmail) bkEmailRow {
	kind, ok := bkEmailKinds[e.Kind]
	if !ok {
		kind = strings.ReplaceAll(e.Kind, "_", " ")
	}
	row := bkEmailRow{Kind: kind, To: e.Email.To, Subject: e.Email.Subject, StatusClass: "email-" + strings.ToLower(string(e.Status))}
	loc := t.Location()
	const layout = "Mon 2 Jan 2006, 3:04 PM MST"
	switch e.Status {
	case frontdesk.EmailSent:
		row.Status = "Sent"
		if e.SentAt != nil {
			row.When = "Sent " + e.SentAt.In(loc).Format(layout)
		}
	case frontdesk.EmailDead:
		row.Status = "Failed"
		row.When = "Gave up after " + bkPlural(e.Attempts, "attempt")
	default:
		row.Status = "Waiting to send"
		row.When = "Due " + e.NextAttemptAt.In(loc).Format(layout)
		if e.Attempts > 0 {
			row.When += ", " + bkPlural(e.Attempts, "failed attempt") + " so far"
		}
	}
	if row.When == "" {
		row.When = "Queued " + e.CreatedAt.In(loc).Format(layout)
	}
	return row
}

func bkPlural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return strconv.Itoa(n) + " " + word + "s"
}

// bkSourceWords says where a booking came from.
func bkSourceWords(src string) string {
	switch src {
	case frontdesk.SourceChatbot:
		return "The assistant on your website"
	case frontdesk.SourceAPI:
		return "Taken by the business (dashboard or API)"
	case "":
		return "Unknown"
	}
	return strings.ToLower(src)
}

// bkSpeaker is the start of a transcript line that names who speaks:
// "customer: Hello".
var bkSpeaker = regexp.MustCompile(`^(?i)(customer|assistant|visitor|user|business|owner|staff|system)\s*:\s?`)

// bkChatLines splits a saved conversation into messages. Lines that start
// with a bkSpeaker open a message; the others continue the one before.
func bkChatLines(transcript string) []bkChatLine {
	transcript = strings.TrimSpace(strings.ReplaceAll(transcript, "\r\n", "\n"))
	if transcript == "" {
		return nil
	}
	var out []bkChatLine
	for _, line := range strings.Split(transcript, "\n") {
		if m := bkSpeaker.FindStringSubmatch(line); m != nil {
			who := strings.ToLower(m[1])
			switch who {
			case "user", "visitor":
				who = "customer"
			}
			out = append(out, bkChatLine{Who: strings.ToUpper(who[:1]) + who[1:], Text: line[len(m[0]):]})
			continue
		}
		if len(out) == 0 {
			out = append(out, bkChatLine{})
		}
		if out[len(out)-1].Text != "" {
			out[len(out)-1].Text += "\n"
		}
		out[len(out)-1].Text += line
	}
	return out
}
