package booking

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/frontdeskhq/frontdesk"
	"github.com/frontdeskhq/frontdesk/availability"
	fdmail "github.com/frontdeskhq/frontdesk/mail"
)

// RescheduleRequest moves a booking to another day, and time for a timed
// service.
type RescheduleRequest struct {
	Date      frontdesk.Date
	StartTime string // HH:MM local, or RFC 3339; required for a TIMESLOT service
	By        string // ByCustomer (held to the cutoff and the limit) or ByBusiness
	// NotifyCustomer emails the customer (always, for a customer's own).
	NotifyCustomer bool
}

// Reschedule moves a live booking: same id and confirmation code, the new
// slot taken and the old one freed in one transaction (the database still
// refuses a double booking), the reminder moved, both sides emailed with an
// updated calendar file.
func (s *Service) Reschedule(ctx context.Context, t *frontdesk.Tenant, bookingID string, req RescheduleRequest) (*Result, error) {
	var res *Result
	err := s.Store.WithTx(ctx, func(tx frontdesk.Tx) error {
		var err error
		res, err = s.rescheduleTx(ctx, tx, t, bookingID, req)
		return err
	})
	if err != nil {
		return nil, err
	}
	s.Metrics.BookingStatus(rescheduled)
	return res, nil
}

// CheckReschedule says whether a customer may still move booking b at
// all (its status, the cutoff, the limit), with a message that says what to
// do instead; nil when they may.
func CheckReschedule(t *frontdesk.Tenant, b *frontdesk.Booking, by string, now time.Time) error {
	switch {
	case !b.Status.Live():
		return frontdesk.Errorf(frontdesk.EConflict, "Booking %s is %s, so it can't be moved.", b.ConfirmationCode, strings.ToLower(string(b.Status)))
	case !StartOf(b, t.Location()).After(now):
		return frontdesk.Errorf(frontdesk.EConflict, "Booking %s has already started or taken place, so it can't be moved.", b.ConfirmationCode)
	case by != ByCustomer:
		return nil
	case b.RescheduleCount >= t.Settings.MaxReschedules:
		return frontdesk.Errorf(frontdesk.EConflict, "Booking %s has been moved %d times already, the most %s allows online. Please contact %s, who can still change it.",
			b.ConfirmationCode, b.RescheduleCount, t.Name, t.Name)
	case now.Add(time.Duration(t.Settings.RescheduleCutoffHours) * time.Hour).After(StartOf(b, t.Location())):
		return frontdesk.Errorf(frontdesk.EConflict, "Bookings can be moved online up to %d hours before they start, and %s starts sooner. Please contact %s, who can still change it.",
			t.Settings.RescheduleCutoffHours, b.ConfirmationCode, t.Name)
	}
	return nil
}

// newSlot checks the new time of b against the calendar without b itself
// and returns the moved copy; an unavailable time says why and offers the
// open times of that day.
func (s *Service) newSlot(ctx context.Context, tx frontdesk.Tx, t *frontdesk.Tenant, b *frontdesk.Booking, date frontdesk.Date, startTime string) (*frontdesk.Booking, error) {
	pkg, err := tx.Package(ctx, t.ID, b.PackageID)
	if err != nil {
		return nil, err
	}
	now := s.now()
	cal, err := Calendar(ctx, tx, t, now, date, date)
	if err != nil {
		return nil, err
	}
	others := cal.Bookings[:0:0]
	for _, o := range cal.Bookings {
		if o.ID != b.ID {
			others = append(others, o)
		}
	}
	cal.Bookings = others
	moved := *b
	switch pkg.BookingType {
	case frontdesk.BookingDate:
		if date == b.Date {
			return nil, frontdesk.Invalid(frontdesk.FieldError{Field: "date", Message: "is already the booking's date; choose another"})
		}
		if err := cal.DateOpen(pkg, date); err != nil {
			return nil, withOffers(err, offerDates(cal, pkg, date))
		}
		moved.Date = date
	default:
		start, err := parseStart(startTime, date, t.Location())
		if err != nil {
			return nil, err
		}
		if b.StartAt != nil && start.Equal(*b.StartAt) {
			return nil, frontdesk.Invalid(frontdesk.FieldError{Field: "startTime", Message: "is already the booking's time; choose another"})
		}
		if err := cal.SlotOpen(pkg, start); err != nil {
			return nil, withOffers(err, offerTimes(cal, pkg, date, t.Location()))
		}
		end := start.Add(time.Duration(pkg.DurationMinutes) * time.Minute)
		hold := end.Add(time.Duration(pkg.BufferMinutes) * time.Minute)
		moved.StartAt, moved.EndAt, moved.HoldUntil = &start, &end, &hold
		moved.Date = frontdesk.DateOf(start.In(t.Location()))
	}
	return &moved, nil
}

// withOffers adds the open alternatives to an unavailability message.
func withOffers(err error, offers string) error {
	fe, ok := err.(*frontdesk.Error)
	if !ok || offers == "" {
		return err
	}
	c := *fe
	c.Message = strings.TrimSpace(c.Message) + " " + offers
	return &c
}

func offerTimes(cal availability.Calendar, pkg *frontdesk.Package, date frontdesk.Date, loc *time.Location) string {
	var times []string
	for _, sl := range cal.OpenSlots(pkg, date, date) {
		times = append(times, sl.Start.In(loc).Format("3:04 PM MST"))
		if len(times) == 6 {
			break
		}
	}
	if len(times) == 0 {
		return "Nothing is open that day; try another day."
	}
	return "Open that day: " + strings.Join(times, ", ") + "."
}

func offerDates(cal availability.Calendar, pkg *frontdesk.Package, date frontdesk.Date) string {
	var days []string
	for _, d := range cal.OpenDates(pkg, date, date.AddDays(30)) {
		days = append(days, d.In(time.UTC).Format("Mon 2 Jan"))
		if len(days) == 5 {
			break
		}
	}
	if len(days) == 0 {
		return ""
	}
	return "Open days nearby: " + strings.Join(days, ", ") + "."
}

func (s *Service) rescheduleTx(ctx context.Context, tx frontdesk.Tx, t *frontdesk.Tenant, bookingID string, req RescheduleRequest) (*Result, error) {
	if err := tx.LockTenantSlots(ctx, t.ID); err != nil {
		return nil, err
	}
	b, err := tx.Booking(ctx, t.ID, bookingID)
	if err != nil {
		return nil, err
	}
	now := s.now()
	if err := CheckReschedule(t, b, req.By, now); err != nil {
		return nil, err
	}
	moved, err := s.newSlot(ctx, tx, t, b, req.Date, req.StartTime)
	if err != nil {
		return nil, err
	}
	prev := *b
	if req.By == ByCustomer {
		// The refund share reached before the move stays the most a later
		// cancellation can give: moving away from the start is no way
		// round the cancellation policy.
		reached := RefundPercent(t.Settings.RefundPolicy, StartOf(b, t.Location()), now)
		if b.RefundCapPercent != nil {
			reached = min(reached, *b.RefundCapPercent)
		}
		moved.RefundCapPercent = &reached
	}
	moved.RescheduleCount++
	moved.CalendarSequence++
	moved.ReminderDueAt = reminderDue(t, StartOf(moved, t.Location()), now)
	moved.UpdatedAt = now
	if err := tx.UpdateBooking(ctx, moved); err != nil {
		return nil, err // ESlotUnavailable when the database refuses a double booking
	}
	d, err := s.emailData(ctx, tx, t, moved)
	if err != nil {
		return nil, err
	}
	d.Previous = &prev
	n := fmt.Sprint(moved.RescheduleCount)
	if req.NotifyCustomer || req.By == ByCustomer {
		if err := s.enqueueKeyed(ctx, tx, EmailKey(frontdesk.EmailBookingRescheduled, moved.ID)+":"+n, frontdesk.EmailBookingRescheduled,
			fdmail.BookingRescheduled, d, now); err != nil {
			return nil, err
		}
	}
	if err := s.enqueueKeyed(ctx, tx, EmailKey(frontdesk.EmailTenantBookingRescheduled, moved.ID)+":"+n, frontdesk.EmailTenantBookingRescheduled,
		fdmail.TenantBookingRescheduled, d, now); err != nil {
		return nil, err
	}
	return &Result{Success: true, Action: "rescheduled", BookingID: moved.ID, ConfirmationCode: moved.ConfirmationCode,
		Status: string(moved.Status), Message: fmt.Sprintf("Done: booking %s is now on %s. An updated confirmation is on its way.",
			moved.ConfirmationCode, WhenText(t, moved))}, nil
}

// WhenText is a booking's day and time in words, in the business's zone:
// "Friday 18 December 2026, 3:00 PM EST", or the day for a whole-day booking.
func WhenText(t *frontdesk.Tenant, b *frontdesk.Booking) string {
	if b.StartAt != nil {
		return b.StartAt.In(t.Location()).Format("Monday 2 January 2006, 3:04 PM MST")
	}
	return b.Date.In(time.UTC).Format("Monday 2 January 2006")
}
