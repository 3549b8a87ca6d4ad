package booking

import (
	"context"
	"strings"
	"time"

	"github.com/frontdeskhq/frontdesk"
)

// MaxOfferDays bounds one Offer: a longer range is cut short.
const MaxOfferDays = 31

// Offer returns what a visitor is offered for a package between two dates
// (YYYY-MM-DD, either may be empty: from today, for 14 days), in the shape
// of the check_availability tool. The assistant's tool and the owner's
// preview both call it, so the owner sees exactly what visitors see.
func Offer(ctx context.Context, tx frontdesk.Tx, t *frontdesk.Tenant, now time.Time, packageID, startDate, endDate string) (*frontdesk.CheckAvailabilityOut, error) {
	if strings.TrimSpace(packageID) == "" {
		return nil, frontdesk.Invalid(frontdesk.FieldError{Field: "packageId", Message: "Which service? Give packageId (the id or slug of a service)."})
	}
	pkg, err := tx.Package(ctx, t.ID, strings.TrimSpace(packageID))
	if err != nil {
		return nil, err
	}
	if !pkg.Active || pkg.Archived {
		return nil, frontdesk.Errorf(frontdesk.EInvalid, "%s is not available for booking at the moment.", pkg.Name)
	}
	loc := t.Location()
	today := frontdesk.DateOf(now.In(loc))
	from, to := today, today.AddDays(14)
	if startDate != "" {
		if from, err = frontdesk.ParseDate(startDate); err != nil {
			return nil, frontdesk.Invalid(frontdesk.FieldError{Field: "startDate", Message: "must be a date YYYY-MM-DD"})
		}
		to = from.AddDays(14)
	}
	if endDate != "" {
		if to, err = frontdesk.ParseDate(endDate); err != nil {
			return nil, frontdesk.Invalid(frontdesk.FieldError{Field: "endDate", Message: "must be a date YYYY-MM-DD"})
		}
	}
	if to.Before(today) {
		return nil, frontdesk.Errorf(frontdesk.EInvalid, "Those dates are in the past; today is %s.", today)
	}
	if from.Before(today) {
		from = today
	}
	if to.Before(from) {
		return nil, frontdesk.Invalid(frontdesk.FieldError{Field: "endDate", Message: "must not be before startDate"})
	}
	if from.AddDays(MaxOfferDays).Before(to) {
		to = from.AddDays(MaxOfferDays)
	}
	cal, err := Calendar(ctx, tx, t, now, from, to)
	if err != nil {
		return nil, err
	}
	out := &frontdesk.CheckAvailabilityOut{Success: true, PackageID: pkg.ID, PackageName: pkg.Name, BookingType: pkg.BookingType,
		TimeZone: t.TimeZone, StartDate: from.String(), EndDate: to.String()}
	if pkg.BookingType == frontdesk.BookingDate {
		out.Dates = []string{}
		for _, d := range cal.OpenDates(pkg, from, to) {
			out.Dates = append(out.Dates, d.String())
		}
		return out, nil
	}
	out.Days = []frontdesk.DayOut{}
	for _, sl := range cal.OpenSlots(pkg, from, to) {
		st := sl.Start.In(loc)
		date, hm := frontdesk.DateOf(st).String(), st.Format("15:04")
		if at, ok := frontdesk.LocalStart(date, hm, loc); !ok || !at.Equal(sl.Start) {
			// A wall time that happens twice (the night clocks go back)
			// names its first instant only: the second is not offered,
			// so every time offered books the instant it was offered for.
			continue
		}
		if n := len(out.Days); n > 0 && out.Days[n-1].Date == date {
			out.Days[n-1].Times = append(out.Days[n-1].Times, hm)
			continue
		}
		out.Days = append(out.Days, frontdesk.DayOut{Date: date, Times: []string{hm}})
	}
	return out, nil
}
