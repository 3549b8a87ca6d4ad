package httpapi

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/frontdeskhq/frontdesk"
	"github.com/frontdeskhq/frontdesk/booking"
)

func (s *Server) listBookings(r *http.Request) (tenantStep, error) {
	q := r.URL.Query()
	var f frontdesk.BookingFilter
	var bad []frontdesk.FieldError
	for key := range q {
		switch key {
		case "status", "from", "to", "q", "limit", "cursor":
		default:
			bad = append(bad, frontdesk.FieldError{Field: key, Message: "is not a known query parameter (status, from, to, q, limit, cursor)"})
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
	f.Cursor, f.Query = q.Get("cursor"), strings.TrimSpace(q.Get("q"))
	if len(f.Query) > 200 || frontdesk.HasControlChars(f.Query) {
		bad = append(bad, frontdesk.FieldError{Field: "q", Message: "must be plain text of at most 200 characters"})
	}
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
		Bookings   []booking.View `json:"bookings"`
		NextCursor string         `json:"nextCursor,omitempty"`
	}{Bookings: []booking.View{}, NextCursor: page.NextCursor}
	for _, b := range page.Bookings {
		out.Bookings = append(out.Bookings, booking.ViewOf(b))
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
		return booking.ViewOf(b), nil
	}, nil
}

// ownerBookingRequest is POST /v1/tenant/bookings.
type ownerBookingRequest struct {
	PackageID string `json:"packageId"`
	Date      string `json:"date"`
	StartTime string `json:"startTime"`
	Customer  struct {
		Name  string `json:"name"`
		Email string `json:"email"`
		Phone string `json:"phone"`
	} `json:"customer"`
	Notes          string `json:"notes"`
	Paid           bool   `json:"paid"`
	NotifyCustomer *bool  `json:"notifyCustomer"`
}

func (s *Server) createBooking(r *http.Request) (tenantStep, error) {
	var req ownerBookingRequest
	if err := decodeJSON(r, &req); err != nil {
		return nil, err
	}
	in := booking.OwnerBooking{PackageID: req.PackageID, Date: req.Date, StartTime: req.StartTime, Notes: req.Notes, Paid: req.Paid,
		Customer:       frontdesk.Customer{Name: req.Customer.Name, Email: req.Customer.Email, Phone: req.Customer.Phone},
		NotifyCustomer: req.NotifyCustomer == nil || *req.NotifyCustomer}
	return func(t *frontdesk.Tenant) (any, error) {
		b, err := s.Bookings.BookForOwner(r.Context(), t, in)
		if err != nil {
			return nil, err
		}
		if b, err = s.Store.Booking(r.Context(), t.ID, b.ID); err != nil {
			return nil, err
		}
		return created{booking.ViewOf(b)}, nil
	}, nil
}

// ChangeView is the answer of an owner's cancel or reschedule: the result
// and the booking as it now is.
type ChangeView struct {
	*booking.Result
	Booking booking.View `json:"booking"`
}

func (s *Server) cancelBooking(r *http.Request) (tenantStep, error) {
	id, err := pathID(r, "id", "The booking")
	if err != nil {
		return nil, err
	}
	var req struct {
		Reason         string `json:"reason"`
		Refund         string `json:"refund"`
		NotifyCustomer *bool  `json:"notifyCustomer"`
	}
	if err := decodeJSON(r, &req); err != nil && !isEmptyBody(err) {
		return nil, err
	}
	var bad []frontdesk.FieldError
	choice := booking.RefundChoice(req.Refund)
	switch choice {
	case "":
		choice = booking.RefundPolicy
	case booking.RefundPolicy, booking.RefundFull, booking.RefundNone:
	default:
		bad = append(bad, frontdesk.FieldError{Field: "refund", Message: "must be policy, full or none"})
	}
	if len(req.Reason) > 500 || frontdesk.HasControlChars(strings.ReplaceAll(req.Reason, "\n", " ")) {
		bad = append(bad, frontdesk.FieldError{Field: "reason", Message: "must be plain text of at most 500 characters"})
	}
	if len(bad) > 0 {
		return nil, frontdesk.Invalid(bad...)
	}
	in := booking.CancelRequest{Refund: choice, Reason: strings.TrimSpace(req.Reason), By: booking.ByBusiness,
		NotifyCustomer: req.NotifyCustomer == nil || *req.NotifyCustomer}
	return func(t *frontdesk.Tenant) (any, error) {
		res, err := s.Bookings.Cancel(r.Context(), t, id, in)
		if err != nil {
			return nil, err
		}
		return s.changeView(r, t, res)
	}, nil
}

func (s *Server) rescheduleBooking(r *http.Request) (tenantStep, error) {
	id, err := pathID(r, "id", "The booking")
	if err != nil {
		return nil, err
	}
	var req struct {
		Date           string `json:"date"`
		StartTime      string `json:"startTime"`
		NotifyCustomer *bool  `json:"notifyCustomer"`
	}
	if err := decodeJSON(r, &req); err != nil {
		return nil, err
	}
	date, err := frontdesk.ParseDate(req.Date)
	if err != nil {
		return nil, frontdesk.Invalid(frontdesk.FieldError{Field: "date", Message: "must be the new date, YYYY-MM-DD"})
	}
	in := booking.RescheduleRequest{Date: date, StartTime: req.StartTime, By: booking.ByBusiness,
		NotifyCustomer: req.NotifyCustomer == nil || *req.NotifyCustomer}
	return func(t *frontdesk.Tenant) (any, error) {
		res, err := s.Bookings.Reschedule(r.Context(), t, id, in)
		if err != nil {
			return nil, err
		}
		return s.changeView(r, t, res)
	}, nil
}

func (s *Server) changeView(r *http.Request, t *frontdesk.Tenant, res *booking.Result) (any, error) {
	b, err := s.Store.Booking(r.Context(), t.ID, res.BookingID)
	if err != nil {
		return nil, err
	}
	return ChangeView{Result: res, Booking: booking.ViewOf(b)}, nil
}
