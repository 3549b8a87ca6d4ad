package dashboard

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/frontdeskhq/frontdesk"
	"github.com/frontdeskhq/frontdesk/booking"
	"github.com/frontdeskhq/frontdesk/mail"
)

// maxReasonChars bounds a cancellation reason, as the tenant API does.
const maxReasonChars = 500

// ---- cancel

// bkCancelView is the cancel step: the refund each choice gives, a reason,
// whether to tell the customer.
type bkCancelView struct {
	bkSummary
	Form    *form
	Choices []bkRefundChoice
	// NoRefund says why there is nothing to choose (nothing was paid).
	NoRefund string
	// Blocked says why the booking can't be canceled; then there is no form.
	Blocked string
}

// bkRefundChoice is one refund option with the amount it gives now.
type bkRefundChoice struct{ Value, Label, Amount, Hint string }

func (s *Server) bkCancelView(t *frontdesk.Tenant, b *frontdesk.Booking, f *form) *bkCancelView {
	now := s.now()
	v := &bkCancelView{bkSummary: bkSummaryOf(t, b), Form: f}
	switch {
	case b.Status == frontdesk.StatusCanceled || b.Status == frontdesk.StatusRefunded:
		v.Blocked = fmt.Sprintf("Booking %s is already canceled.", b.ConfirmationCode)
		return v
	case !b.Status.Live():
		v.Blocked = fmt.Sprintf("Booking %s is %s, so there is nothing to cancel.", b.ConfirmationCode, strings.ToLower(bkStatusWords(b)))
		return v
	case !booking.StartOf(b, t.Location()).After(now):
		v.Blocked = fmt.Sprintf("Booking %s has started or taken place, so it can no longer be canceled.", b.ConfirmationCode)
		return v
	}
	left := booking.Refundable(b)
	if left == 0 {
		switch {
		case b.PaidAt != nil:
			v.NoRefund = "Everything paid for this booking has been refunded already."
		case b.Status == frontdesk.StatusPending && b.TotalPriceCents > 0:
			v.NoRefund = "Nothing has been paid yet, so there is nothing to refund. The customer's payment link will stop working."
		default:
			v.NoRefund = "Nothing was paid for this booking, so there is nothing to refund."
		}
		return v
	}
	pct := booking.RefundPercent(t.Settings.RefundPolicy, booking.StartOf(b, t.Location()), now)
	amount := func(c booking.RefundChoice) string {
		return mail.FormatMoney(booking.RefundAmount(t, b, c, now), b.Currency)
	}
	paid := mail.FormatMoney(left, b.Currency)
	v.Choices = []bkRefundChoice{
		{Value: string(booking.RefundPolicy), Label: "As your refund policy says", Amount: amount(booking.RefundPolicy),
			Hint: fmt.Sprintf("%d%% at this notice, of %s paid", pct, paid)},
		{Value: string(booking.RefundFull), Label: "Full refund", Amount: amount(booking.RefundFull), Hint: "everything paid"},
		{Value: string(booking.RefundNone), Label: "No refund", Amount: amount(booking.RefundNone), Hint: "the customer gets nothing back"},
	}
	return v
}

// bookingCancelPage asks to confirm a cancellation.
func (s *Server) bookingCancelPage(w http.ResponseWriter, r *http.Request, c *reqCtx) {
	b, ok := s.bkLoad(w, r, c)
	if !ok {
		return
	}
	f := newForm(url.Values{"refund": {string(booking.RefundPolicy)}, "notify": {"1"}})
	v := s.bkCancelView(c.Tenant, b, f)
	status := http.StatusOK
	if v.Blocked != "" {
		status = http.StatusConflict
	}
	s.render(w, r, c, status, "booking_cancel", "Cancel booking "+b.ConfirmationCode, "bookings", v)
}

// bookingCancel cancels a booking with the refund chosen. A booking that
// was canceled meanwhile is not canceled twice: the first cancellation's
// outcome is shown.
func (s *Server) bookingCancel(w http.ResponseWriter, r *http.Request, c *reqCtx) {
	b, ok := s.bkLoad(w, r, c)
	if !ok {
		return
	}
	t := c.Tenant
	f := newForm(r.PostForm)
	choice := booking.RefundChoice(f.Get("refund"))
	switch choice {
	case "":
		choice = booking.RefundPolicy
	case booking.RefundPolicy, booking.RefundFull, booking.RefundNone:
	default:
		f.Errors["refund"] = "Choose one of the refunds listed."
	}
	reason := strings.TrimSpace(f.Get("reason"))
	if utf8.RuneCountInString(reason) > maxReasonChars || !utf8.ValidString(reason) ||
		frontdesk.HasControlChars(strings.NewReplacer("\n", " ", "\r", " ", "\t", " ").Replace(reason)) {
		f.Errors["reason"] = fmt.Sprintf("Keep the reason to %d characters of plain text.", maxReasonChars)
	}
	if len(f.Errors) > 0 {
		f.Alert = "Please correct the fields marked below."
		s.render(w, r, c, http.StatusBadRequest, "booking_cancel", "Cancel booking "+b.ConfirmationCode, "bookings", s.bkCancelView(t, b, f))
		return
	}
	wasLive := b.Status.Live()
	notify := f.Get("notify") == "1"
	res, err := s.Bookings.Cancel(r.Context(), t, b.ID, booking.CancelRequest{Refund: choice, Reason: reason, By: booking.ByBusiness, NotifyCustomer: notify})
	if err != nil {
		if frontdesk.ErrorCode(err) == frontdesk.EInternal {
			s.fail(w, r, c, err)
			return
		}
		if cur, lerr := s.Store.Booking(r.Context(), t.ID, b.ID); lerr == nil {
			b = cur
		}
		v := s.bkCancelView(t, b, f)
		v.Form.Alert, v.Blocked = frontdesk.ErrorMessage(err), ""
		s.render(w, r, c, http.StatusConflict, "booking_cancel", "Cancel booking "+b.ConfirmationCode, "bookings", v)
		return
	}
	if !wasLive {
		// A stale form: the booking was canceled before this one arrived.
		s.setFlash(w, "Nothing was changed: "+res.Message, true)
		http.Redirect(w, r, bkDetailURL(b.ID), http.StatusSeeOther)
		return
	}
	msg := fmt.Sprintf("Booking %s is canceled.", res.ConfirmationCode)
	amount := int64(0)
	if res.RefundedCents != nil {
		amount = *res.RefundedCents
	}
	switch {
	case amount > 0 && res.Status == string(frontdesk.StatusRefunded):
		msg += fmt.Sprintf(" %s was refunded.", mail.FormatMoney(amount, b.Currency))
	case amount > 0:
		msg += fmt.Sprintf(" A refund of %s will follow.", mail.FormatMoney(amount, b.Currency))
	case b.PaidAt != nil:
		msg += " No refund was made."
	}
	if notify {
		msg += " The customer is being emailed."
	} else {
		msg += " The customer was not emailed."
	}
	s.done(w, r, bkDetailURL(b.ID), msg)
}

// ---- reschedule

// bkRescheduleView is the reschedule step: a day picker and the open times
// of the chosen day (or the open days, for a whole-day service).
type bkRescheduleView struct {
	bkSummary
	Form *form
	// Blocked says why the booking can't be moved; then there is no form.
	Blocked string
	// Current is the booking's start as the form saw it, to tell a stale form.
	Current string
	Timed   bool
	Zone    string
	// From is the first day shown; Later and Earlier page the days.
	From, Later, Earlier string
	// Day is the day whose times are listed (timed services).
	Day, DayLabel string
	Days          []bkChoice
	Times         []bkChoice
	Empty         string
}

// bkChoice is one open day or time.
type bkChoice struct {
	Value, Label, URL string
	Selected          bool
}

// bkStamp is a booking's start as a form carries it.
func bkStamp(b *frontdesk.Booking) string {
	if b.StartAt != nil {
		return b.StartAt.UTC().Format(time.RFC3339)
	}
	return b.Date.String()
}

// bkRescheduleWindow is how many days the day picker lists at once.
const bkRescheduleWindow = 14

// bkRescheduleView lays out the open days and times from day from (today
// when empty); day is the chosen day, start the chosen time.
func (s *Server) bkRescheduleView(r *http.Request, t *frontdesk.Tenant, b *frontdesk.Booking, f *form, from, day string) *bkRescheduleView {
	now := s.now()
	loc := t.Location()
	v := &bkRescheduleView{bkSummary: bkSummaryOf(t, b), Form: f, Current: bkStamp(b), Timed: b.StartAt != nil,
		Zone: bkZoneName(t, booking.StartOf(b, loc))}
	if err := booking.CheckReschedule(t, b, booking.ByBusiness, now); err != nil {
		v.Blocked = frontdesk.ErrorMessage(err)
		return v
	}
	today := frontdesk.DateOf(now.In(loc))
	start := today
	if d, err := frontdesk.ParseDate(strings.TrimSpace(from)); err == nil && !d.Before(today) {
		start = d
	}
	days := bkRescheduleWindow
	if !v.Timed {
		days = booking.MaxOfferDays
	}
	end := start.AddDays(days - 1)
	offer, err := booking.Offer(r.Context(), s.Store, t, now, b.PackageID, start.String(), end.String())
	if err != nil {
		if frontdesk.ErrorCode(err) == frontdesk.EInternal {
			s.log().Error("dashboard reschedule offer", "booking_id", b.ID, "err", err)
		}
		v.Blocked = frontdesk.ErrorMessage(err)
		return v
	}
	v.From = start.String()
	link := func(d frontdesk.Date) string {
		return bkQuery(bkDetailURL(b.ID)+"/reschedule", url.Values{"from": {d.String()}})
	}
	v.Later = link(end.AddDays(1))
	if start != today {
		if start.AddDays(-days).Before(today) {
			v.Earlier = link(today)
		} else {
			v.Earlier = link(start.AddDays(-days))
		}
	}
	dayLabel := func(s string) string {
		d, err := frontdesk.ParseDate(s)
		if err != nil {
			return s
		}
		return d.In(time.UTC).Format("Monday 2 January")
	}
	if !v.Timed {
		for _, d := range offer.Dates {
			v.Days = append(v.Days, bkChoice{Value: d, Label: dayLabel(d), Selected: d == f.Get("date")})
		}
		if len(v.Days) == 0 {
			v.Empty = "Nothing is open on these days. Look at later days, or pick another day above."
		}
		return v
	}
	if day == "" && len(offer.Days) > 0 {
		day = offer.Days[0].Date
	}
	if day == "" {
		v.Empty = "Nothing is open on these days. Look at later days, or pick another day above."
		return v
	}
	v.Day, v.DayLabel = day, dayLabel(day)
	for _, d := range offer.Days {
		short := d.Date
		if dd, err := frontdesk.ParseDate(d.Date); err == nil {
			short = dd.In(time.UTC).Format("Mon 2 Jan")
		}
		v.Days = append(v.Days, bkChoice{Value: d.Date, Label: fmt.Sprintf("%s, %d open", short, len(d.Times)), Selected: d.Date == day,
			URL: bkQuery(bkDetailURL(b.ID)+"/reschedule", url.Values{"from": {v.From}, "date": {d.Date}})})
	}
	for _, at := range offer.StartsOn(day, loc) {
		start := at.Format(time.RFC3339)
		v.Times = append(v.Times, bkChoice{Value: start, Label: at.Format("3:04 PM"), Selected: start == f.Get("startTime")})
	}
	if len(v.Times) == 0 {
		v.Empty = "Nothing is open on " + v.DayLabel + ". Choose another day."
	}
	return v
}

// bookingReschedulePage shows the open days and times of the booking's service.
func (s *Server) bookingReschedulePage(w http.ResponseWriter, r *http.Request, c *reqCtx) {
	b, ok := s.bkLoad(w, r, c)
	if !ok {
		return
	}
	q := r.URL.Query()
	from, day := q.Get("from"), strings.TrimSpace(q.Get("date"))
	if day != "" && from == "" {
		from = day // a day typed in the picker opens the days from it
	}
	v := s.bkRescheduleView(r, c.Tenant, b, newForm(url.Values{"notify": {"1"}}), from, day)
	status := http.StatusOK
	if v.Blocked != "" {
		status = http.StatusConflict
	}
	s.render(w, r, c, status, "booking_reschedule", "Reschedule booking "+b.ConfirmationCode, "bookings", v)
}

// bookingReschedule moves a booking to the day and time chosen. The
// business is not held to the cutoff or the limit of moves. A form made
// before the booking moved meanwhile moves nothing: it says so and shows
// the new time.
func (s *Server) bookingReschedule(w http.ResponseWriter, r *http.Request, c *reqCtx) {
	b, ok := s.bkLoad(w, r, c)
	if !ok {
		return
	}
	t := c.Tenant
	f := newForm(r.PostForm)
	title := "Reschedule booking " + b.ConfirmationCode
	rawDate, start := strings.TrimSpace(f.Get("date")), strings.TrimSpace(f.Get("startTime"))
	again := func(status int, from, day string) {
		v := s.bkRescheduleView(r, t, b, f, from, day)
		if v.Blocked != "" && f.Alert == "" {
			f.Alert, v.Blocked = v.Blocked, ""
		}
		s.render(w, r, c, status, "booking_reschedule", title, "bookings", v)
	}
	if cur := f.Get("current"); cur != bkStamp(b) {
		f.Alert = fmt.Sprintf("This booking was changed meanwhile: it is now %s (%s). Nothing was moved; choose again if you still want to move it.",
			bkWhenLong(t, b), strings.ToLower(bkStatusWords(b)))
		f.Values = url.Values{"notify": {f.Get("notify")}}
		again(http.StatusConflict, "", "")
		return
	}
	date, err := frontdesk.ParseDate(rawDate)
	if err != nil {
		f.Errors["date"] = "Choose a day."
	}
	if b.StartAt != nil && start == "" && err == nil {
		f.Errors["startTime"] = "Choose a time."
	}
	if b.StartAt == nil {
		start = "" // a whole-day service has no time
	}
	if len(f.Errors) > 0 {
		f.Alert = "Please correct the fields marked below."
		again(http.StatusBadRequest, f.Get("from"), rawDate)
		return
	}
	notify := f.Get("notify") == "1"
	res, err := s.Bookings.Reschedule(r.Context(), t, b.ID, booking.RescheduleRequest{Date: date, StartTime: start, By: booking.ByBusiness, NotifyCustomer: notify})
	if err != nil {
		if frontdesk.ErrorCode(err) == frontdesk.EInternal {
			s.fail(w, r, c, err)
			return
		}
		f.fail(err, map[string]string{"date": "date", "startTime": "startTime"})
		bkSentences(f)
		if cur, lerr := s.Store.Booking(r.Context(), t.ID, b.ID); lerr == nil {
			b = cur
		}
		status := http.StatusConflict
		if frontdesk.IsCode(err, frontdesk.EInvalid) {
			status = http.StatusBadRequest
		}
		again(status, f.Get("from"), rawDate)
		return
	}
	moved, err := s.Store.Booking(r.Context(), t.ID, res.BookingID)
	if err != nil {
		s.fail(w, r, c, err)
		return
	}
	msg := fmt.Sprintf("Booking %s moved to %s.", moved.ConfirmationCode, bkWhenLong(t, moved))
	if notify {
		msg += " The customer is being emailed the new time."
	} else {
		msg += " The customer was not emailed."
	}
	s.done(w, r, bkDetailURL(b.ID), msg)
}

// bkSentences makes the domain's field messages that are fragments ("is
// already the booking's time") read as sentences next to their field.
func bkSentences(f *form) {
	for k, m := range f.Errors {
		if m != "" && m[0] >= 'a' && m[0] <= 'z' {
			m = "This " + m
		}
		if !strings.HasSuffix(m, ".") {
			m += "."
		}
		f.Errors[k] = m
	}
}
