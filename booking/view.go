package booking

import (
	"time"

	"github.com/frontdeskhq/frontdesk"
)

// View is a booking as the tenant API shows it (and the customer export
// lists it).
type View struct {
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
	RefundedCents    int64          `json:"refundedCents"`
	Currency         string         `json:"currency"`
	PaidAt           *time.Time     `json:"paidAt,omitempty"`
	CheckoutURL      string         `json:"checkoutUrl,omitempty"`
	Source           string         `json:"source"`
	Notes            string         `json:"notes,omitempty"`
	CanceledAt       *time.Time     `json:"canceledAt,omitempty"`
	Reason           string         `json:"cancellationReason,omitempty"`
	RescheduleCount  int            `json:"rescheduleCount"`
	CreatedAt        time.Time      `json:"createdAt"`
}

// CustomerView is the customer of a booking as the tenant API shows it.
type CustomerView struct {
	ID    string `json:"id"`
	Name  string `json:"name"`
	Email string `json:"email"`
	Phone string `json:"phone,omitempty"`
}

// CustomerViewOf returns the API view of a customer.
func CustomerViewOf(c *frontdesk.Customer) CustomerView {
	return CustomerView{ID: c.ID, Name: c.Name, Email: c.Email, Phone: c.Phone}
}

// ViewOf returns the API view of a booking; its checkout link only while
// payment is due.
func ViewOf(b *frontdesk.Booking) View {
	v := View{ID: b.ID, ConfirmationCode: b.ConfirmationCode, Status: string(b.Status), PackageID: b.PackageID,
		PackageName: b.PackageName, Customer: CustomerViewOf(&b.Customer),
		Date: b.Date, StartTime: b.StartAt, EndTime: b.EndAt, TotalPriceCents: b.TotalPriceCents, Currency: b.Currency,
		PaidAt: b.PaidAt, Source: b.Source, CreatedAt: b.CreatedAt, RefundedCents: b.RefundedCents, Notes: b.Notes,
		CanceledAt: b.CanceledAt, Reason: b.CancellationReason, RescheduleCount: b.RescheduleCount}
	if b.Status == frontdesk.StatusPending {
		v.CheckoutURL = b.CheckoutURL
	}
	return v
}
