package httpapi

import (
	"bytes"
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"mime"
	"net/http"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/frontdeskhq/frontdesk"
	"github.com/frontdeskhq/frontdesk/booking"
	"github.com/frontdeskhq/frontdesk/mail"
	"github.com/frontdeskhq/frontdesk/web"
)

// The customer's booking page, /b/{token}. The token in the link of the
// booking's emails (and of the confirm result) is the only key: it finds
// one booking and its business, and every action works on that booking
// alone. Pages are rendered on the server and work without JavaScript;
// each action is a form posted to a route of its own, answered with a 303
// back to the page and a flash message, or the same step again with one
// alert at the top.
//
// Forged posts: the token is a secret only its holder knows, so a page of
// another site cannot aim a form at it without it; on top of that, posts
// from another origin are refused outright (http.CrossOriginProtection),
// which covers a link that leaked. That is why the forms carry no token
// of their own.

// flashCookie carries the outcome of an action across its redirect. It is
// scoped to the one booking's path and lives a minute.
const flashCookie = "fd_flash"

// maxReasonChars bounds a cancellation reason, as the assistant does.
const maxReasonChars = 500

// manageRoutes registers the manage page and its actions.
func (s *Server) manageRoutes(mux *http.ServeMux) {
	cop := http.NewCrossOriginProtection()
	cop.SetDenyHandler(http.HandlerFunc(s.manageRefused))
	page := func(h http.HandlerFunc) http.Handler { return manageHeaders(cop.Handler(h)) }
	mux.Handle("GET /b/{token}", page(s.manageShow))
	mux.Handle("GET /b/{token}/booking.ics", page(s.manageICS))
	mux.Handle("GET /b/{token}/cancel", page(s.manageCancelStep))
	mux.Handle("POST /b/{token}/cancel", page(s.manageCancel))
	mux.Handle("GET /b/{token}/reschedule", page(s.manageRescheduleStep))
	mux.Handle("POST /b/{token}/reschedule", page(s.manageReschedule))
	mux.Handle("GET /b/", page(s.manageNotFound)) // anything else under /b/
	mux.Handle("GET "+web.ManageCSSPath, web.ManageCSSHandler())
}

// manageHeaders sets the headers every answer under /b/ carries: the
// token is in the URL, so it must not leak through a Referer, a cache or a
// frame.
func manageHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", web.ManageCSP)
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "no-referrer")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Cache-Control", "no-store")
		h.Set("X-Robots-Tag", "noindex, nofollow")
		next.ServeHTTP(w, r)
	})
}

// manageBooking finds the booking of the request's token. When it fails
// it has answered (404 for an unknown or malformed token).
func (s *Server) manageBooking(w http.ResponseWriter, r *http.Request) (*frontdesk.Booking, *frontdesk.Tenant, bool) {
	b, t, err := s.Bookings.ByManageToken(r.Context(), r.PathValue("token"))
	if err != nil {
		s.manageProblem(w, r, "", err)
		return nil, nil, false
	}
	setTenant(r.Context(), t)
	return b, t, true
}

// manageBase is the path of the booking's page; only called once the
// token has found a booking, so it is a well-formed token.
func manageBase(r *http.Request) string { return "/b/" + r.PathValue("token") }

func (s *Server) manageShow(w http.ResponseWriter, r *http.Request) {
	b, t, ok := s.manageBooking(w, r)
	if !ok {
		return
	}
	p := s.manageView(r, t, b)
	p.Flash = takeFlash(w, r)
	s.renderManage(w, r, http.StatusOK, p)
}

// manageView is the booking as its page shows it, with the actions that
// are open now.
func (s *Server) manageView(r *http.Request, t *frontdesk.Tenant, b *frontdesk.Booking) *web.ManagePage {
	now := s.now()
	p := &web.ManagePage{
		Base: manageBase(r), Business: t.Name, ContactEmail: strings.TrimSpace(t.ContactEmail), ContactPhone: strings.TrimSpace(t.Info.Phone),
		Service: b.PackageName, Code: b.ConfirmationCode, CustomerName: strings.TrimSpace(b.Customer.Name), Notes: strings.TrimSpace(b.Notes),
		Status: statusWords(b), StatusClass: strings.ToLower(string(b.Status)),
	}
	if p.Service == "" {
		p.Service = "Your booking"
	}
	p.WhenLabel, p.When = whenWords(t, b)
	p.Zone = zoneWords(t, booking.StartOf(b, t.Location()))
	p.Price, p.Amount = priceWords(b), mail.FormatMoney(b.TotalPriceCents, b.Currency)
	if b.RefundedCents > 0 {
		p.Refunded = mail.FormatMoney(b.RefundedCents, b.Currency)
	}
	if pending := s.pendingRefunds(r.Context(), t, b); pending > 0 {
		p.RefundPending = mail.FormatMoney(pending, b.Currency) + " on its way to you"
	}

	live := b.Status.Live()
	started := !booking.StartOf(b, t.Location()).After(now)
	if b.Status == frontdesk.StatusPending && b.TotalPriceCents > 0 && b.CheckoutURL != "" &&
		(b.CheckoutExpiresAt == nil || now.Before(*b.CheckoutExpiresAt)) {
		p.CheckoutURL = b.CheckoutURL
	}
	p.CanAddToCalendar = live
	p.CanCancel = live && !started
	if live && started {
		p.CancelNote = fmt.Sprintf("This booking has already started or taken place, so it can't be canceled here. Please contact %s.", t.Name)
	}
	if err := booking.CheckReschedule(t, b, booking.ByCustomer, now); err == nil {
		p.CanReschedule = true
	} else if live && !started {
		p.RescheduleNote = frontdesk.ErrorMessage(err)
	}
	return p
}

// pendingRefunds is what is on its way back to the customer and not yet
// counted in the booking's RefundedCents.
func (s *Server) pendingRefunds(ctx context.Context, t *frontdesk.Tenant, b *frontdesk.Booking) int64 {
	if b.Status.Live() {
		return 0
	}
	refunds, err := s.Store.Refunds(ctx, t.ID, b.ID)
	if err != nil {
		logger(ctx).Warn("manage page: list refunds", "booking_id", b.ID, "err", err)
		return 0
	}
	var sum int64
	for _, rf := range refunds {
		if rf.Status == frontdesk.RefundPending {
			sum += rf.AmountCents
		}
	}
	return sum
}

// ---- cancel

func (s *Server) manageCancelStep(w http.ResponseWriter, r *http.Request) {
	b, t, ok := s.manageBooking(w, r)
	if !ok {
		return
	}
	s.renderCancel(w, r, t, b, "", nil)
}

// renderCancel shows the cancel step with the refund the policy gives
// now, the reason as typed and failure, if any, in the alert; a booking
// that can no longer be canceled gets its page with the reason instead.
func (s *Server) renderCancel(w http.ResponseWriter, r *http.Request, t *frontdesk.Tenant, b *frontdesk.Booking, reason string, failure error) {
	p := s.manageView(r, t, b)
	if err := cancelable(t, b, s.now()); err != nil {
		if failure == nil {
			failure = err
		}
		p.Error = frontdesk.ErrorMessage(failure)
		s.renderManage(w, r, statusFor(failure), p)
		return
	}
	p.Cancel = &web.CancelStep{Refund: refundWords(t, b, s.now()), Policy: policyWords(t, b), Reason: reason}
	status := http.StatusOK
	if failure != nil {
		p.Error, status = frontdesk.ErrorMessage(failure), statusFor(failure)
	}
	s.renderManage(w, r, status, p)
}

// cancelable says why a customer can't cancel b now, or nil.
func cancelable(t *frontdesk.Tenant, b *frontdesk.Booking, now time.Time) error {
	switch {
	case !b.Status.Live():
		return frontdesk.Errorf(frontdesk.EConflict, "Booking %s is %s, so there is nothing to cancel.", b.ConfirmationCode, strings.ToLower(statusWords(b)))
	case !booking.StartOf(b, t.Location()).After(now):
		return frontdesk.Errorf(frontdesk.EConflict, "Booking %s has already started or taken place, so it can't be canceled. Please contact %s.", b.ConfirmationCode, t.Name)
	}
	return nil
}

func (s *Server) manageCancel(w http.ResponseWriter, r *http.Request) {
	b, t, ok := s.manageBooking(w, r)
	if !ok {
		return
	}
	if err := r.ParseForm(); err != nil {
		s.renderCancel(w, r, t, b, "", formError(err))
		return
	}
	reason := strings.TrimSpace(r.PostForm.Get("reason"))
	if utf8.RuneCountInString(reason) > maxReasonChars || !utf8.ValidString(reason) ||
		frontdesk.HasControlChars(strings.NewReplacer("\n", " ").Replace(reason)) {
		s.renderCancel(w, r, t, b, reason, frontdesk.Invalid(frontdesk.FieldError{Field: "reason",
			Message: fmt.Sprintf("Please keep the reason to %d characters of plain text.", maxReasonChars)}))
		return
	}
	res, err := s.Bookings.Cancel(r.Context(), t, b.ID, booking.CancelRequest{By: booking.ByCustomer, Reason: reason, NotifyCustomer: true})
	if err != nil {
		s.logPageError(r, err)
		if cur, _, lerr := s.Bookings.ByManageToken(r.Context(), r.PathValue("token")); lerr == nil {
			b = cur
		}
		s.renderCancel(w, r, t, b, reason, err)
		return
	}
	s.redirectWithFlash(w, r, res.Message)
}

// ---- reschedule

func (s *Server) manageRescheduleStep(w http.ResponseWriter, r *http.Request) {
	b, t, ok := s.manageBooking(w, r)
	if !ok {
		return
	}
	s.renderReschedule(w, r, t, b, r.URL.Query().Get("date"), "", nil)
}

// renderReschedule shows the open days, and for a timed service the open
// times of date (the first open day when date is not one), with start
// chosen; failure, if any, in the alert. A booking that may not be moved
// gets its page with the reason instead.
func (s *Server) renderReschedule(w http.ResponseWriter, r *http.Request, t *frontdesk.Tenant, b *frontdesk.Booking, date, start string, failure error) {
	now := s.now()
	p := s.manageView(r, t, b)
	if err := booking.CheckReschedule(t, b, booking.ByCustomer, now); err != nil {
		if failure == nil {
			failure = err
		}
		p.Error = frontdesk.ErrorMessage(failure)
		s.renderManage(w, r, statusFor(failure), p)
		return
	}
	offer, err := booking.Offer(r.Context(), s.Store, t, now, b.PackageID, "", "")
	if err != nil {
		s.logPageError(r, err)
		p.Error = frontdesk.ErrorMessage(err)
		s.renderManage(w, r, statusFor(err), p)
		return
	}
	p.Reschedule = rescheduleStep(t, offer, date, start)
	status := http.StatusOK
	if failure != nil {
		p.Error, status = frontdesk.ErrorMessage(failure), statusFor(failure)
	}
	s.renderManage(w, r, status, p)
}

// rescheduleStep lays out an offer: whole days to pick from, or days and
// the times of the chosen one.
func rescheduleStep(t *frontdesk.Tenant, offer *frontdesk.CheckAvailabilityOut, date, start string) *web.RescheduleStep {
	loc := t.Location()
	st := &web.RescheduleStep{Timed: offer.BookingType != frontdesk.BookingDate,
		Empty: fmt.Sprintf("Nothing is open in the next 14 days. Please contact %s to find another time.", t.Name)}
	dayLabel := func(v string) string {
		d, err := frontdesk.ParseDate(v)
		if err != nil {
			return v
		}
		return d.In(time.UTC).Format("Monday 2 January")
	}
	if !st.Timed {
		for _, d := range offer.Dates {
			st.Days = append(st.Days, web.Choice{Value: d, Label: dayLabel(d), Selected: d == date})
		}
		return st
	}
	if len(offer.Days) == 0 {
		return st
	}
	if !slices.ContainsFunc(offer.Days, func(d frontdesk.DayOut) bool { return d.Date == date }) {
		date = offer.Days[0].Date
	}
	st.Date, st.DayLabel = date, dayLabel(date)
	for _, d := range offer.Days {
		label := fmt.Sprintf("%s (%d open)", dayLabel(d.Date), len(d.Times))
		st.Days = append(st.Days, web.Choice{Value: d.Date, Label: label, Selected: d.Date == date})
	}
	for _, at := range offer.StartsOn(date, loc) {
		v := at.Format(time.RFC3339)
		st.Times = append(st.Times, web.Choice{Value: v, Label: at.Format("3:04 PM MST"), Selected: v == start})
	}
	return st
}

func (s *Server) manageReschedule(w http.ResponseWriter, r *http.Request) {
	b, t, ok := s.manageBooking(w, r)
	if !ok {
		return
	}
	if err := r.ParseForm(); err != nil {
		s.renderReschedule(w, r, t, b, "", "", formError(err))
		return
	}
	rawDate, start := strings.TrimSpace(r.PostForm.Get("date")), strings.TrimSpace(r.PostForm.Get("startTime"))
	date, err := frontdesk.ParseDate(rawDate)
	if err != nil {
		s.renderReschedule(w, r, t, b, "", "", frontdesk.Invalid(frontdesk.FieldError{Field: "date", Message: "Please choose a day."}))
		return
	}
	if b.StartAt != nil && start == "" {
		s.renderReschedule(w, r, t, b, rawDate, "", frontdesk.Invalid(frontdesk.FieldError{Field: "startTime", Message: "Please choose a time."}))
		return
	}
	if b.StartAt == nil {
		start = "" // a whole-day service has no time
	}
	res, err := s.Bookings.Reschedule(r.Context(), t, b.ID, booking.RescheduleRequest{Date: date, StartTime: start, By: booking.ByCustomer, NotifyCustomer: true})
	if err != nil {
		s.logPageError(r, err)
		if frontdesk.IsCode(err, frontdesk.ESlotUnavailable) {
			err = &frontdesk.Error{Code: frontdesk.ESlotUnavailable, Err: err,
				Message: "You chose " + chosenWords(t, date, start) + ". " + frontdesk.ErrorMessage(err)}
		}
		if cur, _, lerr := s.Bookings.ByManageToken(r.Context(), r.PathValue("token")); lerr == nil {
			b = cur
		}
		s.renderReschedule(w, r, t, b, rawDate, start, err)
		return
	}
	s.redirectWithFlash(w, r, res.Message)
}

// chosenWords names the day, and time, a customer picked, in the
// business's zone.
func chosenWords(t *frontdesk.Tenant, date frontdesk.Date, start string) string {
	day := date.In(time.UTC).Format("Monday 2 January 2006")
	if start == "" {
		return day
	}
	loc := t.Location()
	if at, err := time.Parse(time.RFC3339, start); err == nil {
		return at.In(loc).Format("3:04 PM MST") + " on " + at.In(loc).Format("Monday 2 January 2006")
	}
	if at, ok := frontdesk.LocalStart(date.String(), start, loc); ok {
		return at.Format("3:04 PM MST") + " on " + day
	}
	return "a time that isn't listed"
}

// ---- calendar file

func (s *Server) manageICS(w http.ResponseWriter, r *http.Request) {
	b, t, ok := s.manageBooking(w, r)
	if !ok {
		return
	}
	if !b.Status.Live() {
		p := s.manageView(r, t, b)
		p.Error = fmt.Sprintf("Booking %s is %s, so there is nothing to add to a calendar.", b.ConfirmationCode, strings.ToLower(statusWords(b)))
		s.renderManage(w, r, http.StatusConflict, p)
		return
	}
	pkg, err := s.Store.Package(r.Context(), t.ID, b.PackageID)
	if err != nil {
		// The file is still right without it: the booking carries its
		// name and end; only the duration of an old row may be missing.
		logger(r.Context()).Warn("manage page: package of the calendar file", "booking_id", b.ID, "err", err)
		pkg = nil
	}
	ics, err := mail.BookingICS(mail.BookingEmailData{Tenant: t, Booking: b, Package: pkg, Customer: &b.Customer, PublicURL: s.PublicURL})
	if err != nil {
		s.manageProblem(w, r, t.Name, err)
		return
	}
	h := w.Header()
	h.Set("Content-Type", mail.ICSContentType)
	h.Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": "booking-" + b.ConfirmationCode + ".ics"}))
	w.WriteHeader(http.StatusOK)
	if r.Method != http.MethodHead {
		_, _ = w.Write(ics)
	}
}

// ---- answers

func (s *Server) manageNotFound(w http.ResponseWriter, r *http.Request) {
	s.manageProblem(w, r, "", frontdesk.NotFound("The booking"))
}

// manageRefused answers a post from another site.
func (s *Server) manageRefused(w http.ResponseWriter, r *http.Request) {
	logger(r.Context()).Info("manage page: cross-origin post refused", "origin", r.Header.Get("Origin"), "sec_fetch_site", r.Header.Get("Sec-Fetch-Site"))
	s.renderProblem(w, r, http.StatusForbidden, &web.ProblemPage{Title: "This request was refused",
		Message: "The form was sent from another website, so nothing was changed. Open your booking from the link in your email and try again there."})
}

// manageProblem answers with a page that explains err: not found for an
// unknown token, a generic apology (and the request id) for anything
// internal.
func (s *Server) manageProblem(w http.ResponseWriter, r *http.Request, business string, err error) {
	switch code := frontdesk.ErrorCode(err); code {
	case frontdesk.ENotFound:
		s.renderProblem(w, r, http.StatusNotFound, &web.ProblemPage{Business: business, Title: "We can't find this booking",
			Message: "This link doesn't lead to a booking. Please open the link in your booking confirmation email, all of it; if it still doesn't work, reply to that email."})
	case frontdesk.EInternal:
		s.logPageError(r, err)
		s.renderProblem(w, r, http.StatusInternalServerError, &web.ProblemPage{Business: business, Title: "Something went wrong",
			Message: frontdesk.ErrorMessage(errors.New("hidden")), RequestID: requestID(r.Context())})
	default:
		s.renderProblem(w, r, statusFor(err), &web.ProblemPage{Business: business, Title: "This didn't work", Message: frontdesk.ErrorMessage(err)})
	}
}

// logPageError logs an error a page shows: internal ones in full.
func (s *Server) logPageError(r *http.Request, err error) {
	if c := frontdesk.ErrorCode(err); c == frontdesk.EInternal || c == frontdesk.EUnavailable {
		logFailure(r, err) // rate-limited, so an outage is one line, not one per request
		return
	}
	logger(r.Context()).Debug("manage page: refused", "err", err)
}

// statusFor is the HTTP status of an error shown on a page.
func statusFor(err error) int {
	if st, ok := statusOf[frontdesk.ErrorCode(err)]; ok {
		return st
	}
	return http.StatusInternalServerError
}

// formError turns a failure to read a posted form into what to tell.
func formError(err error) error {
	var tooBig *http.MaxBytesError
	if errors.As(err, &tooBig) {
		return frontdesk.Errorf(frontdesk.ETooLarge, "That was too much text. Please send a shorter reason.")
	}
	return frontdesk.Errorf(frontdesk.EInvalid, "The form could not be read. Please try again.")
}

func (s *Server) renderManage(w http.ResponseWriter, r *http.Request, status int, p *web.ManagePage) {
	if p.Error != "" {
		p.Flash = "" // one message at the top
	}
	var buf bytes.Buffer
	if err := web.RenderManage(&buf, p); err != nil {
		s.manageProblem(w, r, p.Business, err)
		return
	}
	writePage(w, r, status, buf.Bytes())
}

func (s *Server) renderProblem(w http.ResponseWriter, r *http.Request, status int, p *web.ProblemPage) {
	var buf bytes.Buffer
	if err := web.RenderProblem(&buf, p); err != nil {
		logger(r.Context()).Error("render problem page", "err", err)
		http.Error(w, "Something went wrong on our side. Please try again in a moment.", http.StatusInternalServerError)
		return
	}
	writePage(w, r, status, buf.Bytes())
}

func writePage(w http.ResponseWriter, r *http.Request, status int, page []byte) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	if r.Method != http.MethodHead {
		_, _ = w.Write(page)
	}
}

// redirectWithFlash sends the browser back to the booking's page, which
// shows msg once.
func (s *Server) redirectWithFlash(w http.ResponseWriter, r *http.Request, msg string) {
	if len(msg) > 1000 {
		msg = msg[:1000]
	}
	http.SetCookie(w, &http.Cookie{Name: flashCookie, Value: base64.RawURLEncoding.EncodeToString([]byte(msg)), Path: manageBase(r),
		MaxAge: 60, HttpOnly: true, Secure: s.secureCookies(r), SameSite: http.SameSiteLaxMode})
	http.Redirect(w, r, manageBase(r), http.StatusSeeOther)
}

// takeFlash returns the flash message the request carries, if any, and
// clears it so that it shows once.
func takeFlash(w http.ResponseWriter, r *http.Request) string {
	c, err := r.Cookie(flashCookie)
	if err != nil {
		return ""
	}
	http.SetCookie(w, &http.Cookie{Name: flashCookie, Path: manageBase(r), MaxAge: -1, HttpOnly: true, SameSite: http.SameSiteLaxMode})
	raw, err := base64.RawURLEncoding.DecodeString(c.Value)
	if err != nil || !utf8.Valid(raw) || frontdesk.HasControlChars(string(raw)) {
		return ""
	}
	return string(raw)
}

func (s *Server) secureCookies(r *http.Request) bool {
	return r.TLS != nil || strings.HasPrefix(strings.ToLower(s.PublicURL), "https://")
}

// ---- words

// statusWords is a booking's status for the customer.
func statusWords(b *frontdesk.Booking) string {
	switch b.Status {
	case frontdesk.StatusPending:
		if b.TotalPriceCents > 0 {
			return "Awaiting payment"
		}
		return "Pending"
	case frontdesk.StatusConfirmed:
		return "Confirmed"
	case frontdesk.StatusCanceled:
		return "Canceled"
	case frontdesk.StatusRefunded:
		return "Canceled and refunded"
	case frontdesk.StatusExpired:
		return "Expired (not paid in time)"
	}
	return string(b.Status)
}

// whenWords is a booking's day, and times, in the business's zone.
func whenWords(t *frontdesk.Tenant, b *frontdesk.Booking) (label, when string) {
	if b.StartAt == nil {
		return "Date", b.Date.In(time.UTC).Format("Monday 2 January 2006") + " (all day)"
	}
	loc := t.Location()
	start := b.StartAt.In(loc)
	if b.EndAt == nil || !b.EndAt.After(*b.StartAt) {
		return "Date and time", start.Format("Monday 2 January 2006, 3:04 PM MST")
	}
	end := b.EndAt.In(loc)
	if frontdesk.DateOf(end) != frontdesk.DateOf(start) {
		return "Date and time", start.Format("Monday 2 January 2006, 3:04 PM MST") + " – " + end.Format("Monday 2 January 2006, 3:04 PM MST")
	}
	if start.Format("MST") != end.Format("MST") {
		return "Date and time", start.Format("Monday 2 January 2006, 3:04 PM MST") + " – " + end.Format("3:04 PM MST")
	}
	return "Date and time", start.Format("Monday 2 January 2006, 3:04 PM") + " – " + end.Format("3:04 PM MST")
}

// zoneWords names the business's time zone as it stands at: "New York
// time (America/New_York, EST)".
func zoneWords(t *frontdesk.Tenant, at time.Time) string {
	loc := t.Location()
	name := loc.String()
	abbr := at.In(loc).Format("MST")
	city := name
	if i := strings.LastIndexByte(name, '/'); i >= 0 {
		city = strings.ReplaceAll(name[i+1:], "_", " ")
	}
	switch {
	case name == "UTC" || name == "Local" || city == name:
		return name + " (" + abbr + ")"
	case abbr == name:
		return name
	}
	return city + " time (" + name + ", " + abbr + ")"
}

// priceWords is the price and whether it is paid.
func priceWords(b *frontdesk.Booking) string {
	if b.TotalPriceCents == 0 {
		return "Free"
	}
	price := mail.FormatMoney(b.TotalPriceCents, b.Currency)
	switch {
	case b.PaidAt != nil:
		return price + ", paid"
	case b.Status == frontdesk.StatusPending:
		return price + ", not paid yet"
	}
	return price
}

// refundWords says what canceling now gives back, under the policy.
func refundWords(t *frontdesk.Tenant, b *frontdesk.Booking, now time.Time) string {
	refund := booking.RefundAmount(t, b, booking.RefundPolicy, now)
	left := booking.Refundable(b)
	switch {
	case refund > 0 && refund < left:
		return fmt.Sprintf("You'll get %s back of the %s you paid.", mail.FormatMoney(refund, b.Currency), mail.FormatMoney(left, b.Currency))
	case refund > 0:
		return fmt.Sprintf("You'll get %s back.", mail.FormatMoney(refund, b.Currency))
	case b.PaidAt != nil:
		return fmt.Sprintf("Under the cancellation policy there is no refund if you cancel now (you paid %s).", mail.FormatMoney(b.TotalPriceCents, b.Currency))
	case b.Status == frontdesk.StatusPending && b.TotalPriceCents > 0:
		return "Nothing was charged, so there is nothing to refund. The payment link will stop working."
	}
	return "Nothing was charged, so there is nothing to refund."
}

// policyWords states the business's refund tiers, for a paid booking.
func policyWords(t *frontdesk.Tenant, b *frontdesk.Booking) string {
	if b.PaidAt == nil {
		return ""
	}
	tiers := t.Settings.RefundPolicy
	if len(tiers) == 0 {
		return "no refund once paid."
	}
	sorted := slices.Clone(tiers)
	slices.SortFunc(sorted, func(a, b frontdesk.RefundTier) int { return b.HoursBefore - a.HoursBefore })
	var parts []string
	for _, tr := range sorted {
		pct := min(max(tr.Percent, 0), 100)
		if tr.HoursBefore <= 0 {
			parts = append(parts, fmt.Sprintf("%d%% up to the start", pct))
			continue
		}
		parts = append(parts, fmt.Sprintf("%d%% when you cancel at least %d hours before", pct, tr.HoursBefore))
	}
	return strings.Join(parts, "; ") + "."
}
