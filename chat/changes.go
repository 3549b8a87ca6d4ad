package chat

// The assistant's change tools: cancel_booking and reschedule_booking, which
// verify the customer by confirmation code and email and then prepare a
// proposal the customer confirms, and request_human, which is POST
// /escalate from inside the conversation.

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/frontdeskhq/frontdesk"
	"github.com/frontdeskhq/frontdesk/booking"
)

// Verification limits. A booking is found by its confirmation code and its
// email together; a failed look-up counts against the chat session (kept
// with the session's stored tool calls, so it survives a confirm, a restart
// and other instances) and against the client's IP address (Service's
// LookupLimiter). Past either limit the tools refuse every look-up, a
// correct one included, so the limit cannot be walked around by guessing.
const (
	// MaxFailedLookups is how many look-ups may fail in one chat session.
	MaxFailedLookups = 5
	// LookupsPerIP and LookupWindow are the per-client-IP budget that
	// LookupLimiter should be made with:
	// ratelimit.New("lookup", chat.LookupsPerIP, chat.LookupWindow, rdb, log).
	LookupsPerIP = 20
	LookupWindow = time.Hour
)

// lookupHistory bounds how many of a session's messages are read to count
// its failed look-ups.
const lookupHistory = 1000

type clientIPKey struct{}

// WithClientIP returns a context that tells the assistant's tools the
// client's IP address, as the HTTP layer's rate limits see it
// (ratelimit.ClientIP). The look-up and escalation limits count per this
// address; without it they count per chat session.
func WithClientIP(ctx context.Context, ip string) context.Context {
	return context.WithValue(ctx, clientIPKey{}, strings.TrimSpace(ip))
}

// ClientIP returns the client IP address WithClientIP put in ctx, or "".
func ClientIP(ctx context.Context) string {
	ip, _ := ctx.Value(clientIPKey{}).(string)
	return ip
}

// limitKey is who a per-client limit counts: the client's IP address, or
// this chat session when the IP is not known.
func (tb *toolbox) limitKey(ctx context.Context) string {
	if ip := ClientIP(ctx); ip != "" {
		return ip
	}
	return "session:" + tb.session.ID
}

// changeFailure is the result of a failed change tool: the customer's words
// and the error code and input field, which the guided assistant reads to
// decide what to ask next.
type changeFailure struct {
	Success bool   `json:"success"`
	Error   string `json:"error"`
	Code    string `json:"code"`
	Field   string `json:"field,omitempty"`
	// TriesLeft is how many more look-ups may fail in this chat, after a
	// failed one.
	TriesLeft *int `json:"triesLeft,omitempty"`
}

// failure turns err into a change tool's result. Internal errors are logged
// and reach the customer only as "something went wrong".
func (tb *toolbox) failure(name string, err error) changeFailure {
	code := frontdesk.ErrorCode(err)
	if code == frontdesk.EInternal {
		tb.svc.log().Error("tool failed", "tool", name, "tenant_id", tb.tenant.ID, "err", err)
	}
	out := changeFailure{Error: frontdesk.ErrorMessage(err), Code: code}
	if tb.lookupFailed {
		left := tb.triesLeft
		out.TriesLeft = &left
	}
	var fe *frontdesk.Error
	if errors.As(err, &fe) && len(fe.Details) > 0 {
		out.Field = fe.Details[0].Field
		var parts []string
		for _, d := range fe.Details {
			parts = append(parts, d.Field+": "+d.Message)
		}
		out.Error = strings.Join(parts, " ")
	}
	return out
}

// changeResult is a change tool's result: out, or on failure what went
// wrong with its code and field.
func (tb *toolbox) changeResult(name string, out any, err error) any {
	if err != nil {
		return tb.failure(name, err)
	}
	return out
}

// cancelBooking answers cancel_booking.
func (tb *toolbox) cancelBooking(ctx context.Context, in frontdesk.CancelBookingIn) (any, error) {
	if err := needVerification(in.BookingReference, in.CustomerEmail); err != nil {
		return nil, err
	}
	b, err := tb.findBooking(ctx, in.BookingReference, in.CustomerEmail)
	if err != nil {
		return nil, err
	}
	p, err := tb.svc.Bookings.ProposeCancel(ctx, tb.tenant, tb.session.ID, b, Sanitize(in.Reason, 500))
	if err != nil {
		return nil, err
	}
	tb.proposal = p
	return changeOut(p, "Cancellation ready. Ask the customer to check it and press Confirm within %d minutes; nothing is canceled until they do."), nil
}

// rescheduleBooking answers reschedule_booking.
func (tb *toolbox) rescheduleBooking(ctx context.Context, in frontdesk.RescheduleBookingIn) (any, error) {
	var bad []frontdesk.FieldError
	if err := needVerification(in.BookingReference, in.CustomerEmail); err != nil {
		var fe *frontdesk.Error
		errors.As(err, &fe)
		bad = append(bad, fe.Details...)
	}
	date, err := frontdesk.ParseDate(strings.TrimSpace(in.NewDate))
	if err != nil {
		bad = append(bad, frontdesk.FieldError{Field: "newDate", Message: "Give the new day as YYYY-MM-DD."})
	}
	newTime := strings.TrimSpace(in.NewTime)
	if newTime != "" && !validClock(newTime) {
		bad = append(bad, frontdesk.FieldError{Field: "newTime", Message: "Give the new start time as HH:MM (24-hour, the business's time zone)."})
	}
	// Malformed input is refused before the look-up, so it costs no try.
	if len(bad) > 0 {
		return nil, frontdesk.Invalid(bad...)
	}
	b, err := tb.findBooking(ctx, in.BookingReference, in.CustomerEmail)
	if err != nil {
		return nil, err
	}
	p, err := tb.svc.Bookings.ProposeReschedule(ctx, tb.tenant, tb.session.ID, b, date, newTime)
	if err != nil {
		return nil, tb.rescheduleError(ctx, err, b, date, newTime)
	}
	tb.proposal = p
	return changeOut(p, "Move ready. Ask the customer to check it and press Confirm within %d minutes; nothing changes until they do."), nil
}

// rescheduleError names the tool's own fields (newDate, newTime) in the
// domain's error and, when a timed service was given no time, lists the
// open times of that day.
func (tb *toolbox) rescheduleError(ctx context.Context, err error, b *frontdesk.Booking, date frontdesk.Date, newTime string) error {
	var fe *frontdesk.Error
	if !errors.As(err, &fe) || len(fe.Details) == 0 {
		return err
	}
	c := *fe
	c.Details = nil
	for _, d := range fe.Details {
		switch d.Field {
		case "startTime":
			d.Field = "newTime"
		case "date":
			d.Field = "newDate"
		}
		c.Details = append(c.Details, d)
	}
	if len(c.Details) == 1 {
		c.Message = c.Details[0].Field + ": " + c.Details[0].Message
		if c.Details[0].Field == "newTime" && newTime == "" {
			if open := tb.openTimes(ctx, b, date); open != "" {
				c.Details[0].Message += " " + open
				c.Message += " " + open
			}
		}
	}
	return &c
}

// openTimes lists up to six open start times of b's service on date, in
// the words the domain uses when a time is taken: "Open that day: 9:00 AM
// EST, 10:15 AM EST." It is "" when none can be given.
func (tb *toolbox) openTimes(ctx context.Context, b *frontdesk.Booking, date frontdesk.Date) string {
	out, err := booking.Offer(ctx, tb.svc.Store, tb.tenant, tb.now, b.PackageID, date.String(), date.String())
	if err != nil || out.BookingType != frontdesk.BookingTimeslot {
		return ""
	}
	var times []string
	for _, st := range out.Starts(tb.tenant.Location()) {
		if b.StartAt != nil && st.Equal(*b.StartAt) {
			continue
		}
		times = append(times, st.In(tb.tenant.Location()).Format("3:04 PM MST"))
		if len(times) == 6 {
			break
		}
	}
	if len(times) == 0 {
		return "Nothing is open that day; try another day."
	}
	return "Open that day: " + strings.Join(times, ", ") + "."
}

func validClock(s string) bool {
	if _, err := time.Parse("15:04", s); err == nil {
		return true
	}
	_, err := time.Parse(time.RFC3339, s)
	return err == nil
}

func changeOut(p *frontdesk.Proposal, message string) frontdesk.ChangeProposalOut {
	return frontdesk.ChangeProposalOut{Success: true, ProposalID: p.ID, Preview: p.Preview,
		ExpiresAt: p.ExpiresAt.Format(time.RFC3339), Message: fmt.Sprintf(message, int(frontdesk.ProposalTTL.Minutes()))}
}

// needVerification asks for what a look-up needs before trying one.
func needVerification(code, email string) error {
	var bad []frontdesk.FieldError
	if strings.TrimSpace(code) == "" {
		bad = append(bad, frontdesk.FieldError{Field: "bookingReference", Message: "Ask the customer for the booking's confirmation code (like BK-7XK3QM, in their confirmation email)."})
	}
	if strings.TrimSpace(email) == "" {
		bad = append(bad, frontdesk.FieldError{Field: "customerEmail", Message: "Ask the customer for the email address the booking was made with."})
	}
	if len(bad) > 0 {
		return frontdesk.Invalid(bad...)
	}
	return nil
}

// NormalizeConfirmationCode reads a confirmation code as customers type
// it: any case, with or without the dash or the BK prefix ("bk 7xk3qm",
// "7XK3QM" → "BK-7XK3QM"). Text that is no code is returned trimmed and
// upper-cased, and then matches no booking.
func NormalizeConfirmationCode(s string) string {
	s = strings.ToUpper(strings.TrimSpace(s))
	compact := strings.NewReplacer(" ", "", "-", "", "_", "", ".", "").Replace(s)
	switch {
	case len(compact) == 8 && strings.HasPrefix(compact, "BK"):
		return "BK-" + compact[2:]
	case len(compact) == 6:
		return "BK-" + compact
	}
	return s
}

// findBooking verifies the customer: tenant's booking with this code and
// email, within the session's and the client's look-up limits. A wrong
// code and a wrong email give the same error, and both count as a failure.
func (tb *toolbox) findBooking(ctx context.Context, code, email string) (*frontdesk.Booking, error) {
	failed, err := tb.failedLookups(ctx)
	if err != nil {
		return nil, err
	}
	if failed >= MaxFailedLookups {
		return nil, tb.lookupsExhausted()
	}
	// ratelimit has no read-only check, so every look-up that is tried
	// spends one of the IP's budget; a customer needs one or two.
	if l := tb.svc.LookupLimiter; l != nil && !l.Allow(ctx, tb.limitKey(ctx)).Allowed {
		return nil, tb.lookupsExhausted()
	}
	b, err := tb.svc.Bookings.FindForCustomer(ctx, tb.tenant, NormalizeConfirmationCode(code), email)
	if frontdesk.IsCode(err, frontdesk.ENotFound) {
		tb.lookupFailed, tb.triesLeft = true, MaxFailedLookups-failed-1
		if failed+1 >= MaxFailedLookups {
			return nil, frontdesk.Errorf(frontdesk.ENotFound, "%s %s", frontdesk.ErrorMessage(err), tb.lastTryText())
		}
	}
	return b, err
}

// failedLookups counts the session's failed look-ups: those of earlier
// turns, read from the tool calls stored with its messages, and this turn's.
func (tb *toolbox) failedLookups(ctx context.Context) (int, error) {
	if !tb.pastLoaded {
		msgs, err := tb.svc.Store.RecentMessages(ctx, tb.tenant.ID, tb.session.ID, lookupHistory)
		if err != nil {
			return 0, err
		}
		n := 0
		for _, m := range msgs {
			if m.Role != frontdesk.RoleAssistant || len(m.ToolCalls) == 0 {
				continue
			}
			var calls []toolCall
			if json.Unmarshal(m.ToolCalls, &calls) != nil {
				continue
			}
			for _, c := range calls {
				if c.LookupFailed {
					n++
				}
			}
		}
		tb.pastFailures, tb.pastLoaded = n, true
	}
	n := tb.pastFailures
	for _, c := range tb.calls {
		if c.LookupFailed {
			n++
		}
	}
	return n, nil
}

// lookupsExhausted is the answer once the look-ups stop.
func (tb *toolbox) lookupsExhausted() error {
	return frontdesk.Errorf(frontdesk.ERateLimited,
		"I can't look up bookings in this chat any more. Please use the link in your booking confirmation email to cancel or change it, or ask for a person and %s will get back to you.", tb.tenant.Name)
}

func (tb *toolbox) lastTryText() string {
	return fmt.Sprintf("That was the last try in this chat: please use the link in your booking confirmation email, or ask for a person and %s will get back to you.", tb.tenant.Name)
}

// requestHuman answers request_human: an escalation, as POST /escalate
// makes, with the same checks and counted against the same limit.
func (tb *toolbox) requestHuman(ctx context.Context, in frontdesk.RequestHumanIn) (any, error) {
	esc, err := CheckEscalation(EscalateIn{Reason: in.Reason, CustomerEmail: in.CustomerEmail})
	if err != nil {
		return nil, err
	}
	if l := tb.svc.EscalationLimiter; l != nil && !l.Allow(ctx, tb.limitKey(ctx)).Allowed {
		msg := fmt.Sprintf("You've asked for a person several times in the last hour, so I can't send another request just now. The team at %s has your earlier requests", tb.tenant.Name)
		if e := strings.TrimSpace(tb.tenant.ContactEmail); e != "" {
			msg += "; you can also email them at " + e
		}
		return nil, frontdesk.Errorf(frontdesk.EEscalationLimit, "%s.", msg)
	}
	return tb.svc.Escalate(ctx, tb.tenant, tb.session.ID, esc)
}

// CheckEscalation checks a request for a person as POST /escalate and
// request_human both must: a reason of 1 to 500 characters of plain text,
// and an email and a phone, when given, that look like one. It returns the
// request trimmed, or a validation error naming each bad field.
func CheckEscalation(in EscalateIn) (EscalateIn, error) {
	var bad []frontdesk.FieldError
	in.Reason = strings.TrimSpace(in.Reason)
	if n := utf8.RuneCountInString(in.Reason); n == 0 || n > 500 || !utf8.ValidString(in.Reason) || frontdesk.HasControlChars(in.Reason) {
		bad = append(bad, frontdesk.FieldError{Field: "reason", Message: "must say in 1 to 500 characters what you need help with"})
	}
	in.CustomerEmail = strings.TrimSpace(in.CustomerEmail)
	if in.CustomerEmail != "" && !booking.ValidEmail(in.CustomerEmail) {
		bad = append(bad, frontdesk.FieldError{Field: "customerEmail", Message: "must be an email address like name@example.com"})
	}
	in.CustomerPhone = strings.TrimSpace(in.CustomerPhone)
	if in.CustomerPhone != "" && !booking.ValidPhone(in.CustomerPhone) {
		bad = append(bad, frontdesk.FieldError{Field: "customerPhone", Message: "must be a phone number of 7 to 15 digits, like +1 555 010 0100"})
	}
	if len(bad) > 0 {
		return in, frontdesk.Invalid(bad...)
	}
	return in, nil
}
