package booking

import (
	"slices"
	"time"

	"github.com/frontdeskhq/frontdesk"
)

// StartOf returns when a booking starts: its start instant, or for a whole
// day the local midnight that opens it.
func StartOf(b *frontdesk.Booking, loc *time.Location) time.Time {
	if b.StartAt != nil {
		return *b.StartAt
	}
	return b.Date.In(loc)
}

// RefundPercent is the share of the price the policy gives back for a
// cancellation at now of a booking starting at start: the tier with the
// largest HoursBefore that the cancellation still meets. With no tier met
// (or after the start) it is 0.
func RefundPercent(policy []frontdesk.RefundTier, start, now time.Time) int {
	left := start.Sub(now)
	if left < 0 {
		return 0
	}
	tiers := slices.Clone(policy)
	slices.SortFunc(tiers, func(a, b frontdesk.RefundTier) int { return b.HoursBefore - a.HoursBefore })
	for _, t := range tiers {
		if left >= time.Duration(t.HoursBefore)*time.Hour {
			return min(max(t.Percent, 0), 100)
		}
	}
	return 0
}

// RefundChoice says how much of a paid booking a cancellation refunds.
type RefundChoice string

// Refund choices: the tenant's policy (what a customer always gets), or
// the owner's full or no refund.
const (
	RefundPolicy RefundChoice = "policy"
	RefundFull   RefundChoice = "full"
	RefundNone   RefundChoice = "none"
)

// Refundable is what is left to refund of a booking: what was paid less
// what went back already. Never negative; 0 for an unpaid booking.
func Refundable(b *frontdesk.Booking) int64 {
	if b.PaidAt == nil {
		return 0
	}
	return max(b.TotalPriceCents-b.RefundedCents, 0)
}

// RefundAmount is the refund a cancellation at now gives, in minor units:
// never more than was paid and not yet refunded.
func RefundAmount(t *frontdesk.Tenant, b *frontdesk.Booking, choice RefundChoice, now time.Time) int64 {
	left := Refundable(b)
	switch choice {
	case RefundNone:
		return 0
	case RefundFull:
		return left
	}
	pct := RefundPercent(t.Settings.RefundPolicy, StartOf(b, t.Location()), now)
	if b.RefundCapPercent != nil {
		pct = min(pct, *b.RefundCapPercent)
	}
	// Whole minor units, rounded down: the customer is never promised a
	// fraction of a cent.
	return min(b.TotalPriceCents*int64(pct)/100, left)
}

// reminderDue is when the reminder of a booking starting at start goes
// out, or nil when reminders are off or that moment has passed (a booking
// made inside the window gets none).
func reminderDue(t *frontdesk.Tenant, start, now time.Time) *time.Time {
	h := t.Settings.ReminderHoursBefore
	if h <= 0 {
		return nil
	}
	due := start.Add(-time.Duration(h) * time.Hour)
	if !due.After(now) {
		return nil
	}
	return &due
}
