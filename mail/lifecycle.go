package mail

import (
	"errors"
	"strings"
	"time"

	"github.com/frontdeskhq/frontdesk"
)

// Who canceled a booking, as BookingEmailData.CanceledBy says it.
const (
	CanceledByCustomer = "customer"
	CanceledByBusiness = "business"
)

// BookingCanceled tells the customer that the booking was canceled: what
// (service, when, code), by whom (with the business's reason when it gave
// one), the refund (d.RefundCents), or that none is made for a paid
// booking, and nothing about money for one never paid. It attaches a
// calendar file that removes the event (METHOD:CANCEL, STATUS:CANCELLED).
func BookingCanceled(from string, d BookingEmailData) (frontdesk.Email, error) {
	v, err := canceledView(d)
	if err != nil {
		return frontdesk.Email{}, err
	}
	if !v.ByBusiness {
		// The customer's own words are theirs; the business's reason is news.
		v.Reason = ""
	}
	v.HideTotal = !v.Paid && v.Refund == ""
	v.Subject = subjectWithCode("Booking canceled", v.Code)
	e, err := render(frontdesk.EmailBookingCanceled, from, v.CustomerEmail, d.Tenant.ContactEmail, v)
	if err != nil {
		return frontdesk.Email{}, err
	}
	attachCalendar(&e, d, MethodCancel, "")
	return e, nil
}

// TenantBookingCanceled tells the business that a booking was canceled:
// by whom, the reason given, the refund, and a link to the booking in the
// dashboard. Replies go to the customer.
func TenantBookingCanceled(from string, d BookingEmailData) (frontdesk.Email, error) {
	v, err := canceledView(d)
	if err != nil {
		return frontdesk.Email{}, err
	}
	v.ManageURL = ""
	v.DashboardURL = dashboardURL(d)
	if v.ByCustomer {
		v.Subject = subjectWithCode("Booking canceled by "+customerLabel(v), v.Code)
	} else {
		v.Subject = subjectWithCode("Booking canceled", v.Code)
	}
	return render(frontdesk.EmailTenantBookingCanceled, from, d.Tenant.ContactEmail, v.CustomerEmail, v)
}

// canceledView is the view of a cancellation: the booking shown as
// canceled (or refunded), no payment asked for, who canceled, the reason
// on one line and the refund.
func canceledView(d BookingEmailData) (*view, error) {
	v, err := newView(d)
	if err != nil {
		return nil, err
	}
	if d.Booking.Status != frontdesk.StatusRefunded {
		v.Status = statusText(frontdesk.StatusCanceled)
	}
	v.CheckoutURL, v.CheckoutExpires, v.PaymentFollows = "", "", false
	v.ByBusiness = d.CanceledBy == CanceledByBusiness
	v.ByCustomer = d.CanceledBy == CanceledByCustomer
	v.Reason = oneLine(d.Reason)
	if d.RefundCents > 0 {
		v.Refund = FormatMoney(d.RefundCents, currencyOf(d))
		v.Paid = true
	}
	return v, nil
}

// BookingRescheduled tells the customer that the booking moved from
// d.Previous's time to its new one, with an updated calendar file (the same
// UID, SEQUENCE = Booking.CalendarSequence) that moves the event.
func BookingRescheduled(from string, d BookingEmailData) (frontdesk.Email, error) {
	v, err := rescheduledView(d)
	if err != nil {
		return frontdesk.Email{}, err
	}
	v.Subject = subjectWithCode("Booking rescheduled", v.Code)
	e, err := render(frontdesk.EmailBookingRescheduled, from, v.CustomerEmail, d.Tenant.ContactEmail, v)
	if err != nil {
		return frontdesk.Email{}, err
	}
	attachCalendar(&e, d, MethodPublish, "")
	return e, nil
}

// TenantBookingRescheduled tells the business that a booking moved, from
// its old time to its new one, with a link to it in the dashboard.
// Replies go to the customer.
func TenantBookingRescheduled(from string, d BookingEmailData) (frontdesk.Email, error) {
	v, err := rescheduledView(d)
	if err != nil {
		return frontdesk.Email{}, err
	}
	v.ManageURL = ""
	v.CheckoutURL, v.CheckoutExpires, v.PaymentFollows = "", "", false
	v.DashboardURL = dashboardURL(d)
	v.Subject = subjectWithCode("Booking rescheduled for "+customerLabel(v), v.Code)
	return render(frontdesk.EmailTenantBookingRescheduled, from, d.Tenant.ContactEmail, v.CustomerEmail, v)
}

// rescheduledView is the view of a moved booking: When is the new time,
// Previous the old one (empty without d.Previous).
func rescheduledView(d BookingEmailData) (*view, error) {
	v, err := newView(d)
	if err != nil {
		return nil, err
	}
	if p := d.Previous; p != nil {
		prev := d
		prev.Booking = p
		_, v.Previous = whenText(prev)
	}
	return v, nil
}

// RefundIssued tells the customer that d.RefundCents is on its way back to
// them. It fails without an amount.
func RefundIssued(from string, d BookingEmailData) (frontdesk.Email, error) {
	v, err := refundView(d)
	if err != nil {
		return frontdesk.Email{}, err
	}
	v.Subject = subjectWithCode("Refund on its way", v.Code)
	return render(frontdesk.EmailRefundIssued, from, v.CustomerEmail, d.Tenant.ContactEmail, v)
}

// RefundFailed tells the business that a refund of d.RefundCents could not
// be made automatically (d.Reason says why) and must be settled by hand,
// naming the payment (Booking.PaymentIntentID), with a link to the booking
// in the dashboard. Replies go to the customer. It fails without an amount.
func RefundFailed(from string, d BookingEmailData) (frontdesk.Email, error) {
	v, err := refundView(d)
	if err != nil {
		return frontdesk.Email{}, err
	}
	v.ManageURL = ""
	v.Reason, v.PaymentIntent = oneLine(d.Reason), oneLine(d.Booking.PaymentIntentID)
	v.DashboardURL = dashboardURL(d)
	v.Subject = subjectWithCode("Refund needs attention", v.Code)
	return render(frontdesk.EmailRefundFailed, from, d.Tenant.ContactEmail, v.CustomerEmail, v)
}

// refundView is the view of a refund of d.RefundCents.
func refundView(d BookingEmailData) (*view, error) {
	v, err := newView(d)
	if err != nil {
		return nil, err
	}
	if d.RefundCents <= 0 {
		return nil, errors.New("mail: refund email needs the amount refunded")
	}
	v.Refund = FormatMoney(d.RefundCents, currencyOf(d))
	v.Paid = true
	v.CheckoutURL, v.CheckoutExpires, v.PaymentFollows = "", "", false
	return v, nil
}

// Reminder reminds the customer of an upcoming booking: service, when,
// where (the business's address, if it gave one), the code, the payment
// link while one is due, and the calendar file.
func Reminder(from string, d BookingEmailData) (frontdesk.Email, error) {
	v, err := newView(d)
	if err != nil {
		return frontdesk.Email{}, err
	}
	v.Address = strings.TrimSpace(d.Tenant.Info.Address)
	v.Subject = "Reminder: " + v.Service
	if day := dayText(d); day != "" {
		v.Subject += " on " + day
	}
	e, err := render(frontdesk.EmailReminder, from, v.CustomerEmail, d.Tenant.ContactEmail, v)
	if err != nil {
		return frontdesk.Email{}, err
	}
	attachCalendar(&e, d, MethodPublish, "")
	return e, nil
}

// dayText is the booking's start in the business's zone for a subject:
// "Tuesday 15 December 2026 at 3:00 PM CET", the day alone for a DATE
// booking, or "" when the booking has no date.
func dayText(d BookingEmailData) string {
	b := d.Booking
	if b.StartAt != nil {
		return b.StartAt.In(d.Tenant.Location()).Format(dayLayout + " at " + timeLayout + " MST")
	}
	if b.Date.IsZero() {
		return ""
	}
	return b.Date.In(time.UTC).Format(dayLayout)
}

// TenantPaymentReceived tells the business that a booking was paid (the
// amount, the code) and is confirmed, with a link to it in the dashboard.
// Replies go to the customer.
func TenantPaymentReceived(from string, d BookingEmailData) (frontdesk.Email, error) {
	v, err := newView(d)
	if err != nil {
		return frontdesk.Email{}, err
	}
	v.ManageURL = ""
	v.Status = statusText(frontdesk.StatusConfirmed)
	v.CheckoutURL, v.CheckoutExpires, v.PaymentFollows = "", "", false
	v.DashboardURL = dashboardURL(d)
	v.Subject = subjectWithCode("Payment received from "+customerLabel(v), v.Code)
	return render(frontdesk.EmailTenantPaymentReceived, from, d.Tenant.ContactEmail, v.CustomerEmail, v)
}
