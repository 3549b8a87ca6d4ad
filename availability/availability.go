// Package availability computes which dates and time slots of a tenant are
// open for booking. It is pure computation: the caller loads the rules,
// blackout days and live bookings, and supplies the time zone and the current
// instant, so results are deterministic and testable.
//
// Time slots are computed as real instants. A rule's window on a given day
// runs from the first instant whose local wall clock reaches the rule's start
// to the first instant whose wall clock reaches its end; candidate starts
// step through that window in elapsed time (duration plus buffer). On a
// daylight-saving change the window is therefore an hour shorter or longer,
// a wall time inside the spring-forward gap maps to the end of the gap, and
// an ambiguous fall-back wall time maps to its first occurrence. No start is
// ever duplicated or placed outside its rule's window.
package availability

import (
	"fmt"
	"slices"
	"time"

	"github.com/frontdeskhq/frontdesk"
)

// MaxRangeDays is the largest number of days one OpenDates or OpenSlots call
// looks at, counting from its first day: a longer range is cut short.
const MaxRangeDays = 92

// Customer-facing messages.
const (
	msgDateTaken      = "That date is no longer available. Please choose another date."
	msgDateClosed     = "We are not open on that day. Please choose another date."
	msgDateBlackout   = "We are closed on that date. Please choose another date."
	msgDatePast       = "That date is in the past. Please choose today or a later date."
	msgDateInvalid    = "That is not a valid date. Please choose another date."
	msgTimeTaken      = "That time is no longer available. Please pick another time."
	msgTimeNotOffered = "That isn't one of our start times. Please pick one of the listed times."
	msgTimePast       = "That time has already passed. Please pick a later time."
	msgTimeMissing    = "Please pick a time."
	msgNotDatePackage = "This service is booked by time, not by whole day. Please pick a time."
	msgNotSlotPackage = "This service is booked by whole day, not by time. Please choose a date."
	msgNoPackage      = "Please choose a service first."
	msgTooSoon        = "That is too soon: we need more notice. Please pick a later time."
	msgDateTooSoon    = "That date is too soon: we need more notice. Please choose a later date."
	msgTooFar         = "That is too far ahead: we take bookings up to %d days ahead. Please choose an earlier date."
)

// Calendar is everything needed to compute openings for one tenant.
type Calendar struct {
	Location  *time.Location // the tenant's time zone; nil means UTC
	Now       time.Time      // the current instant
	Rules     []frontdesk.AvailabilityRule
	Blackouts []frontdesk.Date
	// Bookings are the live (PENDING or CONFIRMED) bookings of the tenant
	// overlapping the range; any other booking is ignored.
	Bookings []*frontdesk.Booking
	// MinNotice: nothing starting sooner than Now+MinNotice is open; a whole
	// day is open when it is not before the day of Now+MinNotice.
	MinNotice time.Duration
	// MaxDaysAhead: no day later than today plus this many days is open;
	// 0 means no limit.
	MaxDaysAhead int
}

// Slot is one open TIMESLOT start.
type Slot struct {
	Start time.Time // in the Calendar's Location
	End   time.Time // Start plus the package's duration (no buffer)
}

func (c Calendar) loc() *time.Location {
	if c.Location == nil {
		return time.UTC
	}
	return c.Location
}

// Today returns the current date in the tenant's zone.
func (c Calendar) Today() frontdesk.Date {
	return frontdesk.DateOf(c.Now.In(c.loc()))
}

// OpenDates returns the open days of a DATE package between from and to
// inclusive, ascending. It returns nil for another kind of package, when
// from is after to, or when nothing is open. At most MaxRangeDays days from
// from are considered.
func (c Calendar) OpenDates(p *frontdesk.Package, from, to frontdesk.Date) []frontdesk.Date {
	if p == nil || p.BookingType != frontdesk.BookingDate || !validDate(from) || !validDate(to) || from.After(to) {
		return nil
	}
	ix := c.index()
	var out []frontdesk.Date
	for _, d := range dayRange(from, to) {
		if ix.dateClosed(d) == nil {
			out = append(out, d)
		}
	}
	return out
}

// DateOpen reports whether a DATE package can still be booked on d: nil, or
// an *frontdesk.Error (EInvalid for the wrong package or a past date,
// ESlotUnavailable for a closed or taken day) whose message says what to do.
func (c Calendar) DateOpen(p *frontdesk.Package, d frontdesk.Date) error {
	if p == nil {
		return invalid(msgNoPackage)
	}
	if p.BookingType != frontdesk.BookingDate {
		return invalid(msgNotDatePackage)
	}
	if !validDate(d) {
		return invalid(msgDateInvalid)
	}
	return c.index().dateClosed(d)
}

// OpenSlots returns the open starts of a TIMESLOT package on the days from
// to to inclusive (days in the tenant's zone), ascending. It returns nil for
// another kind of package, a package without a positive duration, when from
// is after to, or when nothing is open. At most MaxRangeDays days from from
// are considered.
func (c Calendar) OpenSlots(p *frontdesk.Package, from, to frontdesk.Date) []Slot {
	if slotPackageError(p) != nil || !validDate(from) || !validDate(to) || from.After(to) {
		return nil
	}
	ix := c.index()
	dur := time.Duration(p.DurationMinutes) * time.Minute
	var starts []time.Time
	for _, d := range dayRange(from, to) {
		if d.Before(ix.today.AddDays(-1)) {
			continue // wholly past: nothing can start after Now
		}
		for _, s := range ix.candidates(p, d) {
			if ix.slotClosed(p, d, s) == nil {
				starts = append(starts, s)
			}
		}
	}
	starts = sortUnique(starts)
	if len(starts) == 0 {
		return nil
	}
	out := make([]Slot, len(starts))
	for i, s := range starts {
		out[i] = Slot{Start: s, End: s.Add(dur).In(ix.loc)}
	}
	return out
}

// SlotOpen reports whether a TIMESLOT package can still be booked at start:
// nil exactly when OpenSlots would list start, else an *frontdesk.Error
// (EInvalid for the wrong package, ESlotUnavailable for a start that is not
// on the rules' grid, passed, on a closed day or overlapping a booking).
func (c Calendar) SlotOpen(p *frontdesk.Package, start time.Time) error {
	if err := slotPackageError(p); err != nil {
		return err
	}
	if start.IsZero() {
		return invalid(msgTimeMissing)
	}
	ix := c.index()
	local := frontdesk.DateOf(start.In(ix.loc))
	// The start's own local date is where its rule lives; the neighbours
	// cover zones whose fall-back crosses midnight.
	for _, d := range []frontdesk.Date{local, local.AddDays(-1), local.AddDays(1)} {
		for _, s := range ix.candidates(p, d) {
			if s.Equal(start) {
				return ix.slotClosed(p, d, s)
			}
		}
	}
	if !ix.working[local.Weekday()] {
		return unavailable(msgDateClosed)
	}
	return unavailable(msgTimeNotOffered)
}

func slotPackageError(p *frontdesk.Package) error {
	if p == nil {
		return invalid(msgNoPackage)
	}
	if p.BookingType != frontdesk.BookingTimeslot || p.DurationMinutes <= 0 {
		return invalid(msgNotSlotPackage)
	}
	return nil
}

func invalid(msg string) error {
	return &frontdesk.Error{Code: frontdesk.EInvalid, Message: msg}
}

func unavailable(msg string) error {
	return &frontdesk.Error{Code: frontdesk.ESlotUnavailable, Message: msg}
}

// validDate reports whether d is a real calendar day (not e.g. 2026-02-30).
func validDate(d frontdesk.Date) bool {
	return !d.IsZero() && frontdesk.DateOf(d.In(time.UTC)) == d
}

// dayRange lists the days from from to to inclusive, at most MaxRangeDays.
func dayRange(from, to frontdesk.Date) []frontdesk.Date {
	if last := from.AddDays(MaxRangeDays - 1); to.After(last) {
		to = last
	}
	var out []frontdesk.Date
	for d := from; !d.After(to); d = d.AddDays(1) {
		out = append(out, d)
	}
	return out
}

// interval is a held span [start, end) of a live TIMESLOT booking.
type interval struct{ start, end time.Time }

// window is a rule's open span in minutes after local midnight.
type window struct{ start, end int }

// index is a Calendar prepared for repeated questions.
type index struct {
	loc       *time.Location
	now       time.Time
	today     frontdesk.Date
	earliest  time.Time      // the first instant a slot may start after
	firstDay  frontdesk.Date // the first day a DATE package may be booked
	lastDay   frontdesk.Date // the last open day; zero: no limit
	maxDays   int
	windows   [7][]window
	working   [7]bool
	blackout  map[frontdesk.Date]bool
	anyBooked map[frontdesk.Date]bool // any live booking on the day
	dayHeld   map[frontdesk.Date]bool // days a TIMESLOT package cannot use at all
	held      []interval
}

func (c Calendar) index() *index {
	ix := &index{
		loc:       c.loc(),
		now:       c.Now,
		today:     c.Today(),
		blackout:  make(map[frontdesk.Date]bool, len(c.Blackouts)),
		anyBooked: make(map[frontdesk.Date]bool),
		dayHeld:   make(map[frontdesk.Date]bool),
	}
	ix.earliest = c.Now.Add(max(c.MinNotice, 0))
	ix.firstDay = frontdesk.DateOf(ix.earliest.In(ix.loc))
	if c.MaxDaysAhead > 0 {
		ix.maxDays = c.MaxDaysAhead
		ix.lastDay = ix.today.AddDays(c.MaxDaysAhead)
	}
	for _, r := range c.Rules {
		if r.Weekday < time.Sunday || r.Weekday > time.Saturday {
			continue
		}
		ix.working[r.Weekday] = true
		s, e := max(r.Start, 0), min(r.End, 24*60)
		if s < e {
			ix.windows[r.Weekday] = append(ix.windows[r.Weekday], window{s, e})
		}
	}
	for _, d := range c.Blackouts {
		ix.blackout[d] = true
	}
	for _, b := range c.Bookings {
		if b == nil || !b.Status.Live() {
			continue
		}
		ix.anyBooked[b.Date] = true
		if b.BookingType == frontdesk.BookingDate {
			ix.dayHeld[b.Date] = true
			continue
		}
		end := b.HoldUntil
		if end == nil || (b.EndAt != nil && b.EndAt.After(*end)) {
			end = b.EndAt
		}
		if b.StartAt == nil || end == nil {
			// A timed booking without its times: hold its whole day
			// rather than risk a double booking.
			ix.dayHeld[b.Date] = true
			continue
		}
		ix.held = append(ix.held, interval{*b.StartAt, *end})
	}
	return ix
}

// dateClosed says why a DATE package cannot be booked on d, or nil.
func (ix *index) dateClosed(d frontdesk.Date) error {
	switch {
	case d.Before(ix.today):
		return invalid(msgDatePast)
	case d.Before(ix.firstDay):
		return unavailable(msgDateTooSoon)
	case !ix.lastDay.IsZero() && d.After(ix.lastDay):
		return unavailable(fmt.Sprintf(msgTooFar, ix.maxDays))
	case !ix.working[d.Weekday()]:
		return unavailable(msgDateClosed)
	case ix.blackout[d]:
		return unavailable(msgDateBlackout)
	case ix.anyBooked[d]:
		return unavailable(msgDateTaken)
	}
	return nil
}

// slotClosed says why start, a candidate of day d, cannot be booked, or nil.
func (ix *index) slotClosed(p *frontdesk.Package, d frontdesk.Date, start time.Time) error {
	if !start.After(ix.now) {
		return unavailable(msgTimePast)
	}
	if !start.After(ix.earliest) && !start.Equal(ix.earliest) {
		return unavailable(msgTooSoon)
	}
	if !ix.lastDay.IsZero() && d.After(ix.lastDay) {
		return unavailable(fmt.Sprintf(msgTooFar, ix.maxDays))
	}
	if ix.blackout[d] {
		return unavailable(msgDateBlackout)
	}
	if ix.dayHeld[d] {
		return unavailable(msgTimeTaken)
	}
	end := start.Add(time.Duration(p.DurationMinutes+max(p.BufferMinutes, 0)) * time.Minute)
	for _, h := range ix.held {
		if start.Before(h.end) && h.start.Before(end) {
			return unavailable(msgTimeTaken)
		}
	}
	return nil
}

// candidates returns the starts the rules allow on day d for p, ascending
// and unique, whatever is booked.
func (ix *index) candidates(p *frontdesk.Package, d frontdesk.Date) []time.Time {
	dur := time.Duration(p.DurationMinutes) * time.Minute
	step := dur + time.Duration(max(p.BufferMinutes, 0))*time.Minute
	var out []time.Time
	for _, w := range ix.windows[d.Weekday()] {
		first, last := wallInstant(d, w.start, ix.loc), wallInstant(d, w.end, ix.loc)
		for s := first; !s.Add(dur).After(last); s = s.Add(step) {
			out = append(out, s)
		}
	}
	return sortUnique(out)
}

// wallInstant returns the first instant whose wall clock in loc reads at
// least minute minutes after midnight of d. For a wall time that exists once
// this is simply that time; an ambiguous one (fall back) gives its first
// occurrence; one inside a gap (spring forward) gives the end of the gap.
func wallInstant(d frontdesk.Date, minute int, loc *time.Location) time.Time {
	// want is the wall time as seconds of a zone-less clock.
	want := d.In(time.UTC).Unix() + int64(minute)*60
	// Start a day and a half earlier, where the wall clock is surely behind,
	// and walk the zone periods forward. Within one period the wall clock
	// is the instant plus a fixed offset, so it reaches want at want-offset,
	// or already at the period's start if it jumped over want.
	u := want - 36*3600
	for range 16 {
		t := time.Unix(u, 0).In(loc)
		_, offset := t.Zone()
		_, end := t.ZoneBounds()
		at := max(u, want-int64(offset))
		if end.IsZero() || at < end.Unix() {
			return time.Unix(at, 0).In(loc)
		}
		u = end.Unix()
	}
	// Unreachable for real zones; fall back to the standard library's choice.
	return time.Date(d.Year, d.Month, d.Day, minute/60, minute%60, 0, 0, loc)
}

func sortUnique(ts []time.Time) []time.Time {
	slices.SortFunc(ts, func(a, b time.Time) int { return a.Compare(b) })
	return slices.CompactFunc(ts, func(a, b time.Time) bool { return a.Equal(b) })
}
