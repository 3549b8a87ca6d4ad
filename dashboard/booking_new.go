package dashboard

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/frontdeskhq/frontdesk"
	"github.com/frontdeskhq/frontdesk/booking"
	"github.com/frontdeskhq/frontdesk/mail"
)

// bkNewView is the form of a booking the owner takes by phone or at the desk.
type bkNewView struct {
	Form     *form
	Services []bkServiceOption
	Zone     string
	// OpenTimes lists what is open on the chosen day for the chosen
	// service, to pick another time after a taken one.
	OpenTimes string
}

// bkServiceOption is a service in the select.
type bkServiceOption struct{ Value, Label string }

// bkNewFields maps the domain's field names to the form's.
var bkNewFields = map[string]string{
	"packageId": "service", "date": "date", "startTime": "time", "customer.name": "name",
	"customer.email": "email", "customer.phone": "phone", "notes": "notes",
}

func (s *Server) bkNewView(ctx context.Context, t *frontdesk.Tenant, f *form) (*bkNewView, error) {
	pkgs, err := s.Store.ListPackages(ctx, t.ID, true)
	if err != nil {
		return nil, err
	}
	v := &bkNewView{Form: f, Zone: bkZoneName(t, s.now())}
	for _, p := range pkgs {
		kind := "whole day"
		if p.BookingType != frontdesk.BookingDate {
			kind = fmt.Sprintf("%d min", p.DurationMinutes)
		}
		price := "free"
		if p.PriceCents > 0 {
			price = mail.FormatMoney(p.PriceCents, p.Currency)
		}
		v.Services = append(v.Services, bkServiceOption{Value: p.ID, Label: fmt.Sprintf("%s (%s, %s)", p.Name, kind, price)})
	}
	v.OpenTimes = s.bkOpenTimes(ctx, t, f.Get("service"), f.Get("date"))
	return v, nil
}

// bkOpenTimes says what a service has open on a day, or "" when either
// is unknown.
func (s *Server) bkOpenTimes(ctx context.Context, t *frontdesk.Tenant, pkgID, day string) string {
	pkgID, day = strings.TrimSpace(pkgID), strings.TrimSpace(day)
	d, err := frontdesk.ParseDate(day)
	if pkgID == "" || err != nil {
		return ""
	}
	offer, err := booking.Offer(ctx, s.Store, t, s.now(), pkgID, day, day)
	if err != nil {
		return ""
	}
	label := d.In(time.UTC).Format("Monday 2 January")
	if offer.BookingType == frontdesk.BookingDate {
		if len(offer.Dates) > 0 {
			return fmt.Sprintf("%s is open for %s.", label, offer.PackageName)
		}
		return fmt.Sprintf("%s is not open for %s.", label, offer.PackageName)
	}
	var times []string
	for _, at := range offer.Starts(t.Location()) {
		times = append(times, at.Format("3:04 PM"))
	}
	if len(times) == 0 {
		return fmt.Sprintf("Nothing is open for %s on %s.", offer.PackageName, label)
	}
	return fmt.Sprintf("Open for %s on %s: %s.", offer.PackageName, label, strings.Join(times, ", "))
}

// bookingNewPage shows the form, filled from the query when a page links
// to it for a day (the week calendar does).
func (s *Server) bookingNewPage(w http.ResponseWriter, r *http.Request, c *reqCtx) {
	q := r.URL.Query()
	vals := url.Values{"notify": {"1"}}
	for _, k := range []string{"service", "date", "time"} {
		if x := strings.TrimSpace(q.Get(k)); x != "" {
			vals.Set(k, x)
		}
	}
	v, err := s.bkNewView(r.Context(), c.Tenant, newForm(vals))
	if err != nil {
		s.fail(w, r, c, err)
		return
	}
	s.render(w, r, c, http.StatusOK, "booking_new", "Take a booking", "bookings", v)
}

// bookingNew books for the business with the same checks as the assistant.
func (s *Server) bookingNew(w http.ResponseWriter, r *http.Request, c *reqCtx) {
	t := c.Tenant
	f := newForm(r.PostForm)
	in := booking.OwnerBooking{PackageID: strings.TrimSpace(f.Get("service")), Date: strings.TrimSpace(f.Get("date")),
		StartTime: strings.TrimSpace(f.Get("time")), Notes: f.Get("notes"), Paid: f.Get("paid") == "1",
		NotifyCustomer: f.Get("notify") == "1",
		Customer:       frontdesk.Customer{Name: f.Get("name"), Email: f.Get("email"), Phone: f.Get("phone")}}
	b, err := s.Bookings.BookForOwner(r.Context(), t, in)
	if err != nil {
		status := http.StatusBadRequest
		switch frontdesk.ErrorCode(err) {
		case frontdesk.EInternal:
			s.fail(w, r, c, err)
			return
		case frontdesk.ENotFound:
			// No service chosen, or one removed meanwhile.
			f.Errors["service"] = "Choose a service."
			if in.PackageID != "" {
				f.Errors["service"] = "This service no longer exists. Choose another."
			}
			f.Alert = "Please correct the fields marked below."
		case frontdesk.ESlotUnavailable, frontdesk.EConflict:
			status = http.StatusConflict
			f.Alert = frontdesk.ErrorMessage(err)
		default:
			f.fail(err, bkNewFields)
			if len(f.Errors) > 0 {
				f.Alert = "Please correct the fields marked below."
			}
		}
		v, verr := s.bkNewView(r.Context(), t, f)
		if verr != nil {
			s.fail(w, r, c, verr)
			return
		}
		s.render(w, r, c, status, "booking_new", "Take a booking", "bookings", v)
		return
	}
	msg := fmt.Sprintf("Booking %s is made for %s, %s.", b.ConfirmationCode, bkCustomerName(b), bkWhenLong(t, b))
	if b.Status == frontdesk.StatusPending {
		msg += " It waits for payment: the customer's payment link is below."
	}
	if in.NotifyCustomer {
		msg += " The customer is being emailed."
	}
	s.done(w, r, bkDetailURL(b.ID), msg)
}
