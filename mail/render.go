package mail

import (
	"bytes"
	"embed"
	"errors"
	"fmt"
	htmltemplate "html/template"
	"net/url"
	"strings"
	texttemplate "text/template"
	"time"

	"github.com/frontdeskhq/frontdesk"
)

// BookingEmailData is what every booking email is rendered from.
//
// Tenant and Booking are required. Package and Customer are optional: when
// nil, Booking.PackageName and Booking.Customer are used. PublicURL is the
// deployment's base URL (PUBLIC_URL) for links to the dashboard. CheckoutURL
// is the payment link; when empty, Booking.CheckoutURL is used.
type BookingEmailData struct {
	Tenant      *frontdesk.Tenant
	Booking     *frontdesk.Booking
	Package     *frontdesk.Package
	Customer    *frontdesk.Customer
	PublicURL   string
	CheckoutURL string
	// Reason says, for the business, why a payment needs attention; for a
	// cancellation, the reason given.
	Reason string
	// ManageURL is the booking's manage page (/b/{token}); every email to
	// the customer links to it when set.
	ManageURL string
	// RefundCents is the refund a cancellation gives or a refund email is
	// about, in the booking's currency.
	RefundCents int64
	// CanceledBy is "customer" or "business" for a cancellation.
	CanceledBy string
	// Previous is the booking as it was before a reschedule (its Date,
	// StartAt and EndAt), for "moved from ... to ..." wording.
	Previous *frontdesk.Booking
}

//go:embed templates
var templateFS embed.FS

// emailTemplates is one kind's HTML and text template.
type emailTemplates struct {
	html *htmltemplate.Template
	text *texttemplate.Template
}

var templates = mustParseTemplates(
	frontdesk.EmailBookingReceived,
	frontdesk.EmailTenantNewBooking,
	frontdesk.EmailPaymentConfirmed,
	frontdesk.EmailPaymentLink,
	frontdesk.EmailBookingExpired,
	frontdesk.EmailPaymentAttention,
	frontdesk.EmailEscalation,
	frontdesk.EmailBookingCanceled,
	frontdesk.EmailTenantBookingCanceled,
	frontdesk.EmailBookingRescheduled,
	frontdesk.EmailTenantBookingRescheduled,
	frontdesk.EmailRefundIssued,
	frontdesk.EmailRefundFailed,
	frontdesk.EmailReminder,
	frontdesk.EmailTenantPaymentReceived,
)

func mustParseTemplates(kinds ...string) map[string]emailTemplates {
	m := make(map[string]emailTemplates, len(kinds))
	for _, kind := range kinds {
		h := htmltemplate.Must(htmltemplate.New(kind).ParseFS(templateFS,
			"templates/layout.html", "templates/summary.html", "templates/"+kind+".html"))
		t := texttemplate.Must(texttemplate.New(kind).ParseFS(templateFS,
			"templates/layout.txt", "templates/summary.txt", "templates/"+kind+".txt"))
		m[kind] = emailTemplates{html: h, text: t}
	}
	return m
}

// view is what the templates see. Every string is plain text: html/template
// escapes it in the HTML part, and the text part prints it as is.
type view struct {
	Subject         string
	Business        string
	BusinessEmail   string
	CustomerName    string // "there" when the customer gave none, for "Hi there,"
	RealName        string // the name as given, possibly empty
	CustomerEmail   string
	CustomerPhone   string
	Service         string
	WhenLabel       string
	When            string
	Total           string
	Free            bool
	Code            string
	Status          string
	Notes           string
	CheckoutURL     string // only set while a payment is due
	CheckoutExpires string
	PaymentFollows  bool // PENDING, payment due, and no link yet
	DashboardURL    string
	Reason          string
	PaymentIntent   string
	Transcript      []TranscriptLine
	// ManageURL is the customer's manage page; empty: the emails say to
	// reply or write to the business instead.
	ManageURL  string
	HideTotal  bool   // the summary leaves out the total (an unpaid cancellation)
	Paid       bool   // money was taken for the booking
	Refund     string // RefundCents formatted; empty when there is none
	ByBusiness bool   // the business canceled
	ByCustomer bool   // the customer canceled
	Previous   string // when a rescheduled booking was before
	Address    string // where the business is, for a reminder
}

// TranscriptLine is one message of a conversation shown to the business.
type TranscriptLine struct {
	Who  string // "Customer" or "Assistant"
	Text string
}

// BookingReceived is the customer's confirmation that the booking was made:
// code, service, date and time, total, status, the payment link or a word
// that it follows, how to cancel or reschedule, and a calendar file.
func BookingReceived(from string, d BookingEmailData) (frontdesk.Email, error) {
	v, err := newView(d)
	if err != nil {
		return frontdesk.Email{}, err
	}
	v.Subject = subjectWithCode("Booking received", v.Code)
	e, err := render(frontdesk.EmailBookingReceived, from, v.CustomerEmail, d.Tenant.ContactEmail, v)
	if err != nil {
		return frontdesk.Email{}, err
	}
	attachCalendar(&e, d, MethodPublish, "")
	return e, nil
}

// TenantNewBooking tells the business of a new booking, with a link to it in
// the dashboard.
func TenantNewBooking(from string, d BookingEmailData) (frontdesk.Email, error) {
	v, err := newView(d)
	if err != nil {
		return frontdesk.Email{}, err
	}
	v.Subject = "New booking from " + customerLabel(v)
	v.DashboardURL = dashboardURL(d)
	return render(frontdesk.EmailTenantNewBooking, from, d.Tenant.ContactEmail, v.CustomerEmail, v)
}

// PaymentConfirmed tells the customer the payment arrived and the booking is
// now confirmed, with an updated calendar file (STATUS:CONFIRMED) that
// replaces the tentative event of the booking's confirmation.
func PaymentConfirmed(from string, d BookingEmailData) (frontdesk.Email, error) {
	v, err := newView(d)
	if err != nil {
		return frontdesk.Email{}, err
	}
	v.Status = statusText(frontdesk.StatusConfirmed)
	v.CheckoutURL, v.CheckoutExpires, v.PaymentFollows = "", "", false
	v.Subject = subjectWithCode("Payment received", v.Code)
	e, err := render(frontdesk.EmailPaymentConfirmed, from, v.CustomerEmail, d.Tenant.ContactEmail, v)
	if err != nil {
		return frontdesk.Email{}, err
	}
	attachCalendar(&e, d, MethodPublish, frontdesk.StatusConfirmed)
	return e, nil
}

// PaymentLink sends the customer the link to pay for a booking. It fails if
// there is no link.
func PaymentLink(from string, d BookingEmailData) (frontdesk.Email, error) {
	v, err := newView(d)
	if err != nil {
		return frontdesk.Email{}, err
	}
	if v.CheckoutURL == "" {
		link := checkoutURL(d)
		if link == "" {
			return frontdesk.Email{}, errors.New("mail: payment link email needs a checkout URL")
		}
		// The booking is not PENDING, yet a link was asked for: send it.
		v.CheckoutURL = link
	}
	v.PaymentFollows = false
	v.Subject = subjectWithCode("Complete your payment", v.Code)
	return render(frontdesk.EmailPaymentLink, from, v.CustomerEmail, d.Tenant.ContactEmail, v)
}

// BookingExpired tells the customer that an unpaid booking lapsed and its
// time was released.
func BookingExpired(from string, d BookingEmailData) (frontdesk.Email, error) {
	v, err := newView(d)
	if err != nil {
		return frontdesk.Email{}, err
	}
	v.Status = statusText(frontdesk.StatusExpired)
	v.CheckoutURL, v.CheckoutExpires, v.PaymentFollows = "", "", false
	v.Subject = subjectWithCode("Booking released", v.Code)
	return render(frontdesk.EmailBookingExpired, from, v.CustomerEmail, d.Tenant.ContactEmail, v)
}

// PaymentAttention tells the business that a payment arrived that could not
// be applied (wrong amount, a closed booking, a slot taken meanwhile), so
// it can refund it.
func PaymentAttention(from string, d BookingEmailData) (frontdesk.Email, error) {
	v, err := newView(d)
	if err != nil {
		return frontdesk.Email{}, err
	}
	v.Reason, v.PaymentIntent = HeaderSafe(d.Reason), d.Booking.PaymentIntentID
	v.CheckoutURL, v.CheckoutExpires, v.PaymentFollows = "", "", false
	v.Subject = subjectWithCode("Payment needs attention", v.Code)
	return render(frontdesk.EmailPaymentAttention, from, d.Tenant.ContactEmail, v.CustomerEmail, v)
}

// Escalation tells the business that a customer asked for a person, with
// the reason, the contact they left and the (already sanitised) transcript.
// Replies go to the customer when they left an email.
func Escalation(from, publicURL string, t *frontdesk.Tenant, e *frontdesk.Escalation, transcript []TranscriptLine) (frontdesk.Email, error) {
	if t == nil || e == nil {
		return frontdesk.Email{}, errors.New("mail: escalation email needs the tenant and the escalation")
	}
	v := &view{Business: t.Name, BusinessEmail: t.ContactEmail, Reason: e.Reason,
		CustomerEmail: e.CustomerEmail, CustomerPhone: e.CustomerPhone, Transcript: transcript}
	if base := strings.TrimRight(strings.TrimSpace(publicURL), "/"); base != "" {
		v.DashboardURL = base + "/dashboard/escalations/" + url.PathEscape(e.ID)
	}
	v.Subject = "A customer asked for a person"
	if e.CustomerEmail != "" {
		v.Subject += " (" + e.CustomerEmail + ")"
	}
	return render(frontdesk.EmailEscalation, from, t.ContactEmail, e.CustomerEmail, v)
}

// customerLabel names the customer in a line to the business: the name,
// else the email address, else "a customer".
func customerLabel(v *view) string {
	switch {
	case v.RealName != "":
		return v.RealName
	case v.CustomerEmail != "":
		return v.CustomerEmail
	}
	return "a customer"
}

// dashboardURL links to the booking in the business's dashboard.
func dashboardURL(d BookingEmailData) string {
	base := strings.TrimRight(strings.TrimSpace(d.PublicURL), "/")
	return base + "/dashboard/bookings/" + url.PathEscape(d.Booking.ID)
}

// attachCalendar attaches the booking's calendar file with the method and,
// when status is set, the booking shown in that status. A booking without
// an id or a date cannot become a calendar event; the email is still worth
// sending, so it goes without the file.
func attachCalendar(e *frontdesk.Email, d BookingEmailData, method string, status frontdesk.BookingStatus) {
	if status != "" && d.Booking != nil && d.Booking.Status != status {
		b := *d.Booking
		b.Status = status
		d.Booking = &b
	}
	ics, err := bookingCalendar(d, method)
	if err != nil {
		return
	}
	e.Attachments = append(e.Attachments, frontdesk.Attachment{
		Name:        icsFileName(d.Booking.ConfirmationCode),
		ContentType: ICSContentTypeFor(method),
		Content:     ics,
	})
}

func subjectWithCode(prefix, code string) string {
	if code == "" {
		return prefix
	}
	return prefix + ": " + code
}

func icsFileName(code string) string {
	safe := strings.Map(func(r rune) rune {
		if r >= 'A' && r <= 'Z' || r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-' {
			return r
		}
		return -1
	}, code)
	if safe == "" {
		return "booking.ics"
	}
	return "booking-" + safe + ".ics"
}

// render executes one kind's templates into an email whose header-bound
// values are single lines. Replies go to replyTo: the business for a
// customer's email, the customer for the business's.
func render(kind, from, to, replyTo string, v *view) (frontdesk.Email, error) {
	to = HeaderSafe(to)
	if to == "" {
		return frontdesk.Email{}, fmt.Errorf("mail: %s email has no recipient address", kind)
	}
	v.Subject = HeaderSafe(v.Subject)
	t := templates[kind]
	var h, x bytes.Buffer
	if err := t.html.ExecuteTemplate(&h, "layout", v); err != nil {
		return frontdesk.Email{}, fmt.Errorf("mail: render %s html: %w", kind, err)
	}
	if err := t.text.ExecuteTemplate(&x, "layout", v); err != nil {
		return frontdesk.Email{}, fmt.Errorf("mail: render %s text: %w", kind, err)
	}
	return frontdesk.Email{
		From:    HeaderSafe(from),
		To:      to,
		ReplyTo: HeaderSafe(replyTo),
		Subject: v.Subject,
		HTML:    h.String(),
		Text:    x.String(),
	}, nil
}

func newView(d BookingEmailData) (*view, error) {
	if d.Tenant == nil {
		return nil, errors.New("mail: booking email needs the tenant")
	}
	if d.Booking == nil {
		return nil, errors.New("mail: booking email needs the booking")
	}
	b, t := d.Booking, d.Tenant
	c := d.Customer
	if c == nil {
		c = &b.Customer
	}
	v := &view{
		Business:      oneLine(t.Name),
		BusinessEmail: strings.TrimSpace(t.ContactEmail),
		RealName:      oneLine(c.Name),
		CustomerEmail: strings.TrimSpace(c.Email),
		CustomerPhone: strings.TrimSpace(c.Phone),
		Service:       serviceName(d),
		Code:          b.ConfirmationCode,
		Status:        statusText(b.Status),
		Notes:         strings.TrimSpace(b.Notes),
	}
	if v.Business == "" {
		v.Business = "the business"
	}
	v.CustomerName = v.RealName
	if v.CustomerName == "" {
		v.CustomerName = "there"
	}
	v.WhenLabel, v.When = whenText(d)
	v.Total = FormatMoney(b.TotalPriceCents, currencyOf(d))
	v.Free = b.TotalPriceCents == 0
	v.Paid = paid(b)
	v.ManageURL = HeaderSafe(d.ManageURL)
	if payable(b.Status) && !v.Free {
		v.CheckoutURL = checkoutURL(d)
		if v.CheckoutURL != "" && b.CheckoutExpiresAt != nil {
			v.CheckoutExpires = formatInstant(*b.CheckoutExpiresAt, t.Location())
		}
		v.PaymentFollows = v.CheckoutURL == "" && b.Status == frontdesk.StatusPending
	}
	return v, nil
}

// currencyOf is the currency of the booking's amounts: the booking's, else
// the package's, else the tenant's.
func currencyOf(d BookingEmailData) string {
	switch {
	case d.Booking.Currency != "":
		return d.Booking.Currency
	case d.Package != nil && d.Package.Currency != "":
		return d.Package.Currency
	}
	return d.Tenant.Currency
}

// paid reports whether money was taken for the booking.
func paid(b *frontdesk.Booking) bool {
	return b.PaidAt != nil || b.PaymentIntentID != "" || b.RefundedCents > 0 || b.Status == frontdesk.StatusRefunded
}

// payable reports whether a booking in this status may still be paid for.
func payable(s frontdesk.BookingStatus) bool {
	return s == frontdesk.StatusPending || s == ""
}

func checkoutURL(d BookingEmailData) string {
	if u := strings.TrimSpace(d.CheckoutURL); u != "" {
		return u
	}
	return strings.TrimSpace(d.Booking.CheckoutURL)
}

func serviceName(d BookingEmailData) string {
	if d.Package != nil && d.Package.Name != "" {
		return oneLine(d.Package.Name)
	}
	if d.Booking.PackageName != "" {
		return oneLine(d.Booking.PackageName)
	}
	return "Booking"
}

// oneLine trims s and folds its line breaks, for names shown in a line.
func oneLine(s string) string { return HeaderSafe(s) }

func statusText(s frontdesk.BookingStatus) string {
	switch s {
	case frontdesk.StatusPending:
		return "Pending (awaiting payment)"
	case frontdesk.StatusConfirmed:
		return "Confirmed"
	case frontdesk.StatusCanceled:
		return "Canceled"
	case frontdesk.StatusRefunded:
		return "Refunded"
	case frontdesk.StatusExpired:
		return "Expired (not paid in time)"
	case "":
		return "Received"
	}
	return string(s)
}

const (
	dayLayout  = "Monday 2 January 2006"
	timeLayout = "3:04 PM"
)

// whenText describes when the booking is, in the tenant's time zone: a day
// for a DATE booking, a day and a start–end time with the zone's
// abbreviation for a TIMESLOT.
func whenText(d BookingEmailData) (label, when string) {
	b := d.Booking
	loc := d.Tenant.Location()
	if b.StartAt == nil {
		if b.Date.IsZero() {
			return "Date", "to be arranged"
		}
		return "Date", b.Date.In(time.UTC).Format(dayLayout)
	}
	start := b.StartAt.In(loc)
	end := endOf(d)
	if end.IsZero() {
		return "Date and time", start.Format(dayLayout + ", " + timeLayout + " MST")
	}
	end = end.In(loc)
	sy, sm, sd := start.Date()
	ey, em, ed := end.Date()
	switch {
	case sy != ey || sm != em || sd != ed:
		when = start.Format(dayLayout+", "+timeLayout+" MST") + " – " + end.Format(dayLayout+", "+timeLayout+" MST")
	case start.Format("MST") != end.Format("MST"):
		when = start.Format(dayLayout+", "+timeLayout+" MST") + " – " + end.Format(timeLayout+" MST")
	default:
		when = start.Format(dayLayout+", "+timeLayout) + " – " + end.Format(timeLayout+" MST")
	}
	return "Date and time", when
}

// endOf returns the end of a TIMESLOT booking: EndAt, or the start plus the
// package's duration, or the zero time if neither is known.
func endOf(d BookingEmailData) time.Time {
	b := d.Booking
	if b.StartAt == nil {
		return time.Time{}
	}
	if b.EndAt != nil && b.EndAt.After(*b.StartAt) {
		return *b.EndAt
	}
	if d.Package != nil && d.Package.DurationMinutes > 0 {
		return b.StartAt.Add(time.Duration(d.Package.DurationMinutes) * time.Minute)
	}
	return time.Time{}
}

func formatInstant(t time.Time, loc *time.Location) string {
	return t.In(loc).Format(dayLayout + ", " + timeLayout + " MST")
}

// BookingICS returns the booking as an iCalendar file (METHOD:PUBLISH) whose
// UID is derived from the booking id and whose SEQUENCE is the booking's
// CalendarSequence: a timed event in UTC for a TIMESLOT, an all-day event
// for a DATE booking. It fails for a booking without an id or a date.
func BookingICS(d BookingEmailData) ([]byte, error) {
	return bookingCalendar(d, MethodPublish)
}

// bookingCalendar is BookingICS with the calendar's METHOD; a CANCEL
// calendar's event is CANCELLED whatever the booking's status.
func bookingCalendar(d BookingEmailData, method string) ([]byte, error) {
	if d.Tenant == nil || d.Booking == nil {
		return nil, errors.New("mail: calendar file needs the tenant and the booking")
	}
	b, t := d.Booking, d.Tenant
	ev, err := bookingEvent(d)
	if err != nil {
		return nil, err
	}
	ev.Summary, ev.Location = serviceName(d), strings.TrimSpace(t.Info.Address)
	if name := oneLine(t.Name); name != "" {
		ev.Summary += " – " + name
	}
	var desc []string
	if b.ConfirmationCode != "" {
		desc = append(desc, "Confirmation code: "+b.ConfirmationCode)
	}
	switch {
	case method == MethodCancel:
		desc = append(desc, "Canceled.")
	case t.ContactEmail != "":
		desc = append(desc, "To cancel or reschedule, contact "+oneLine(t.Name)+" at "+t.ContactEmail+".")
	}
	ev.Description = strings.Join(desc, "\n")
	ev.Method = method
	if method == MethodCancel {
		ev.Status = "CANCELLED"
	}
	return BuildICS(ev)
}
