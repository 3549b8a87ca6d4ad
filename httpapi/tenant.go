package httpapi

import (
	"net/http"
	"strconv"
	"time"

	"github.com/frontdeskhq/frontdesk"
)

// BookingView is a booking in the tenant API.
type BookingView struct {
	ID               string         `json:"id"`
	ConfirmationCode string         `json:"confirmationCode"`
	Status           string         `json:"status"`
	PackageID        string         `json:"packageId"`
	PackageName      string         `json:"packageName"`
	Customer         CustomerView   `json:"customer"`
	Date             frontdesk.Date `json:"date"`
	StartTime        *time.Time     `json:"startTime,omitempty"`
	EndTime          *time.Time     `json:"endTime,omitempty"`
	TotalPriceCents  int64          `json:"totalPriceCents"`
	Currency         string         `json:"currency"`
	PaidAt           *time.Time     `json:"paidAt,omitempty"`
	CheckoutURL      string         `json:"checkoutUrl,omitempty"`
	Source           string         `json:"source"`
	CreatedAt        time.Time      `json:"createdAt"`
}

// CustomerView is the customer of a booking.
type CustomerView struct {
	ID    string `json:"id"`
	Name  string `json:"name"`
	Email string `json:"email"`
	Phone string `json:"phone,omitempty"`
}

func customerView(c *frontdesk.Customer) CustomerView {
	return CustomerView{ID: c.ID, Name: c.Name, Email: c.Email, Phone: c.Phone}
}

func bookingView(b *frontdesk.Booking) BookingView {
	v := BookingView{ID: b.ID, ConfirmationCode: b.ConfirmationCode, Status: string(b.Status), PackageID: b.PackageID,
		PackageName: b.PackageName, Customer: customerView(&b.Customer),
		Date: b.Date, StartTime: b.StartAt, EndTime: b.EndAt, TotalPriceCents: b.TotalPriceCents, Currency: b.Currency,
		PaidAt: b.PaidAt, Source: b.Source, CreatedAt: b.CreatedAt}
	if b.Status == frontdesk.StatusPending {
		v.CheckoutURL = b.CheckoutURL
	}
	return v
}

func (s *Server) listBookings(r *http.Request) (tenantStep, error) {
	q := r.URL.Query()
	var f frontdesk.BookingFilter
	var bad []frontdesk.FieldError
	for key := range q {
		switch key {
		case "status", "from", "to", "limit", "cursor":
		default:
			bad = append(bad, frontdesk.FieldError{Field: key, Message: "is not a known query parameter (status, from, to, limit, cursor)"})
		}
	}
	if v := q.Get("status"); v != "" {
		f.Status = frontdesk.BookingStatus(v)
		if !f.Status.Valid() {
			bad = append(bad, frontdesk.FieldError{Field: "status", Message: "must be PENDING, CONFIRMED, CANCELED, REFUNDED or EXPIRED"})
		}
	}
	for _, p := range []struct {
		key string
		dst **frontdesk.Date
	}{{"from", &f.From}, {"to", &f.To}} {
		if v := q.Get(p.key); v != "" {
			d, err := frontdesk.ParseDate(v)
			if err != nil {
				bad = append(bad, frontdesk.FieldError{Field: p.key, Message: "must be a date YYYY-MM-DD"})
				continue
			}
			*p.dst = &d
		}
	}
	if v := q.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 100 {
			bad = append(bad, frontdesk.FieldError{Field: "limit", Message: "must be a whole number from 1 to 100"})
		}
		f.Limit = n
	}
	f.Cursor = q.Get("cursor")
	if len(bad) > 0 {
		return nil, frontdesk.Invalid(bad...)
	}
	return func(t *frontdesk.Tenant) (any, error) { return s.bookingPage(r, t, f) }, nil
}

func (s *Server) bookingPage(r *http.Request, t *frontdesk.Tenant, f frontdesk.BookingFilter) (any, error) {
	page, err := s.Store.ListBookings(r.Context(), t.ID, f)
	if err != nil {
		return nil, err
	}
	out := struct {
		Bookings   []BookingView `json:"bookings"`
		NextCursor string        `json:"nextCursor,omitempty"`
	}{Bookings: []BookingView{}, NextCursor: page.NextCursor}
	for _, b := range page.Bookings {
		out.Bookings = append(out.Bookings, bookingView(b))
	}
	return out, nil
}

func (s *Server) getBooking(r *http.Request) (tenantStep, error) {
	id, err := pathID(r, "id", "The booking")
	if err != nil {
		return nil, err
	}
	return func(t *frontdesk.Tenant) (any, error) {
		b, err := s.Store.Booking(r.Context(), t.ID, id)
		if err != nil {
			return nil, err
		}
		return bookingView(b), nil
	}, nil
}
