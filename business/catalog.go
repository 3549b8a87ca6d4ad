package business

import (
	"context"
	"strings"
	"time"

	"github.com/frontdeskhq/frontdesk"
)

// PackageView is a service as the tenant API shows it.
type PackageView struct {
	ID              string                `json:"id"`
	Slug            string                `json:"slug"`
	Name            string                `json:"name"`
	Description     string                `json:"description"`
	PriceCents      int64                 `json:"priceCents"`
	Currency        string                `json:"currency"`
	BookingType     frontdesk.BookingType `json:"bookingType"`
	DurationMinutes *int                  `json:"durationMinutes,omitempty"`
	BufferMinutes   *int                  `json:"bufferMinutes,omitempty"`
	Active          bool                  `json:"active"`
	Category        string                `json:"category,omitempty"`
	Position        int                   `json:"position"`
}

// ViewPackage returns the API's view of a package.
func ViewPackage(p *frontdesk.Package) PackageView {
	v := PackageView{ID: p.ID, Slug: p.Slug, Name: p.Name, Description: p.Description, PriceCents: p.PriceCents,
		Currency: p.Currency, BookingType: p.BookingType, Active: p.Active, Category: p.Category, Position: p.Position}
	if p.BookingType == frontdesk.BookingTimeslot {
		d, b := p.DurationMinutes, p.BufferMinutes
		v.DurationMinutes, v.BufferMinutes = &d, &b
	}
	return v
}

// PackageInput creates a service (name, priceCents and bookingType
// required) or changes the fields it carries.
type PackageInput struct {
	Slug            *string `json:"slug,omitempty"`
	Name            *string `json:"name,omitempty"`
	Description     *string `json:"description,omitempty"`
	PriceCents      *int64  `json:"priceCents,omitempty"`
	BookingType     *string `json:"bookingType,omitempty"`
	DurationMinutes *int    `json:"durationMinutes,omitempty"`
	BufferMinutes   *int    `json:"bufferMinutes,omitempty"`
	Active          *bool   `json:"active,omitempty"`
	Category        *string `json:"category,omitempty"`
	Position        *int    `json:"position,omitempty"`
}

// MaxPriceCents is the highest price of a service, in minor units.
const MaxPriceCents = 100_000_000

// applyTo writes the input over p and checks the result against the
// tenant's week (a timed service must fit in at least one range).
func (in *PackageInput) applyTo(c checker, p *frontdesk.Package, creating bool, rules []frontdesk.AvailabilityRule) {
	if creating {
		if in.Name == nil {
			c.add("name", "is required: the service's name, e.g. Portrait Session")
		}
		if in.PriceCents == nil {
			c.add("priceCents", "is required: the price in minor units (cents), 0 for free")
		}
		if in.BookingType == nil {
			c.add("bookingType", "is required: DATE (a whole day) or TIMESLOT (a time with a duration)")
		}
	}
	if in.Name != nil {
		p.Name = strings.TrimSpace(*in.Name)
		c.text("name", p.Name, true, 120, false)
	}
	if in.Slug != nil {
		p.Slug = *in.Slug
		c.slug("slug", p.Slug)
	} else if creating && p.Slug == "" {
		p.Slug = Slugify(p.Name)
	}
	set(&p.Description, in.Description)
	c.text("description", p.Description, false, 2000, true)
	if in.PriceCents != nil {
		p.PriceCents = *in.PriceCents
		if p.PriceCents < 0 || p.PriceCents > MaxPriceCents {
			c.add("priceCents", "must be from 0 (free) to %d, in minor units (cents)", MaxPriceCents)
		}
	}
	if in.BookingType != nil {
		p.BookingType = frontdesk.BookingType(strings.ToUpper(*in.BookingType))
		if p.BookingType != frontdesk.BookingDate && p.BookingType != frontdesk.BookingTimeslot {
			c.add("bookingType", "must be DATE (a whole day) or TIMESLOT (a time with a duration)")
		}
	}
	set(&p.DurationMinutes, in.DurationMinutes)
	set(&p.BufferMinutes, in.BufferMinutes)
	set(&p.Active, in.Active)
	if in.Category != nil {
		p.Category = strings.TrimSpace(*in.Category)
		c.text("category", p.Category, false, 60, false)
	}
	set(&p.Position, in.Position)
	c.intRange("position", p.Position, 0, 10_000)
	switch p.BookingType {
	case frontdesk.BookingTimeslot:
		if p.DurationMinutes < 5 || p.DurationMinutes > 24*60 {
			c.add("durationMinutes", "must be from 5 to 1440 minutes for a TIMESLOT service")
		} else if longest := longestRange(rules); len(rules) > 0 && p.DurationMinutes > longest {
			c.add("durationMinutes", "is longer than any of your opening ranges (the longest is %d minutes); shorten it or widen your hours", longest)
		}
		c.intRange("bufferMinutes", p.BufferMinutes, 0, 720)
	case frontdesk.BookingDate:
		if (in.DurationMinutes != nil && *in.DurationMinutes != 0) || (in.BufferMinutes != nil && *in.BufferMinutes != 0) {
			c.add("durationMinutes", "applies to TIMESLOT services only; a DATE service takes the whole day")
		}
		p.DurationMinutes, p.BufferMinutes = 0, 0
	}
}

func longestRange(rules []frontdesk.AvailabilityRule) int {
	n := 0
	for _, r := range rules {
		n = max(n, r.End-r.Start)
	}
	return n
}

// Slugify derives a slug from a name: "Wedding Photography" → "wedding-photography".
func Slugify(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9':
			b.WriteRune(r)
		case b.Len() > 0 && !strings.HasSuffix(b.String(), "-"):
			b.WriteByte('-')
		}
	}
	out := strings.Trim(b.String(), "-")
	if len(out) > 50 {
		out = strings.Trim(out[:50], "-")
	}
	if out == "" {
		return "service"
	}
	return out
}

// CreatePackage adds a service. EInvalid names each bad field; EConflict
// when the slug is taken.
func (s *Service) CreatePackage(ctx context.Context, t *frontdesk.Tenant, in PackageInput) (*frontdesk.Package, error) {
	p := &frontdesk.Package{ID: frontdesk.NewID(), TenantID: t.ID, Currency: t.Currency, Active: true, CreatedAt: s.now()}
	err := s.Store.WithTx(ctx, func(tx frontdesk.Tx) error {
		return s.createPackage(ctx, tx, t, newChecker(), p, in)
	})
	if err != nil {
		return nil, err
	}
	return p, nil
}

func (s *Service) createPackage(ctx context.Context, tx frontdesk.Tx, t *frontdesk.Tenant, c checker, p *frontdesk.Package, in PackageInput) error {
	rules, err := tx.ListAvailabilityRules(ctx, t.ID)
	if err != nil {
		return err
	}
	in.applyTo(c, p, true, rules)
	if err := c.err(); err != nil {
		return err
	}
	if err := tx.CreatePackage(ctx, p); err != nil {
		return slugConflict(err, c.field("slug"), "Another service already uses this slug; choose another.")
	}
	return tx.BumpTenantVersion(ctx, t.ID)
}

// field names a field under the checker's prefix.
func (c checker) field(name string) string {
	if c.prefix == "" {
		return name
	}
	return c.prefix + "." + name
}

// UpdatePackage changes a service found by id or slug.
func (s *Service) UpdatePackage(ctx context.Context, t *frontdesk.Tenant, idOrSlug string, in PackageInput) (*frontdesk.Package, error) {
	var p *frontdesk.Package
	err := s.Store.WithTx(ctx, func(tx frontdesk.Tx) error {
		var err error
		if p, err = livePackage(ctx, tx, t, idOrSlug); err != nil {
			return err
		}
		return s.updatePackage(ctx, tx, t, newChecker(), p, in)
	})
	if err != nil {
		return nil, err
	}
	return p, nil
}

func (s *Service) updatePackage(ctx context.Context, tx frontdesk.Tx, t *frontdesk.Tenant, c checker, p *frontdesk.Package, in PackageInput) error {
	rules, err := tx.ListAvailabilityRules(ctx, t.ID)
	if err != nil {
		return err
	}
	in.applyTo(c, p, false, rules)
	if err := c.err(); err != nil {
		return err
	}
	if err := tx.UpdatePackage(ctx, p); err != nil {
		return slugConflict(err, c.field("slug"), "Another service already uses this slug; choose another.")
	}
	return tx.BumpTenantVersion(ctx, t.ID)
}

// livePackage finds a package that is not archived.
func livePackage(ctx context.Context, tx frontdesk.Tx, t *frontdesk.Tenant, idOrSlug string) (*frontdesk.Package, error) {
	p, err := tx.Package(ctx, t.ID, idOrSlug)
	if err == nil && p.Archived {
		return nil, frontdesk.NotFound("The service")
	}
	return p, err
}

// Package finds a service that is not archived, by id or slug.
func (s *Service) Package(ctx context.Context, t *frontdesk.Tenant, idOrSlug string) (*frontdesk.Package, error) {
	return livePackage(ctx, s.Store, t, idOrSlug)
}

// DeletePackage removes a service. One that has bookings is archived
// instead: hidden and never bookable, its slug freed, its bookings kept.
// It reports whether the service was archived.
func (s *Service) DeletePackage(ctx context.Context, t *frontdesk.Tenant, idOrSlug string) (archived bool, err error) {
	err = s.Store.WithTx(ctx, func(tx frontdesk.Tx) error {
		p, err := livePackage(ctx, tx, t, idOrSlug)
		if err != nil {
			return err
		}
		archived, err = s.deletePackage(ctx, tx, p)
		return err
	})
	return archived, err
}

func (s *Service) deletePackage(ctx context.Context, tx frontdesk.Tx, p *frontdesk.Package) (bool, error) {
	used, err := tx.PackageHasBookings(ctx, p.TenantID, p.ID)
	if err != nil {
		return false, err
	}
	if used {
		p.Archived, p.Active = true, false
		p.Slug = strings.Trim(p.Slug[:min(len(p.Slug), 40)], "-") + "-archived-" + strings.ToLower(p.ID[:8])
		if err := tx.UpdatePackage(ctx, p); err != nil {
			return false, err
		}
	} else if err := tx.DeletePackage(ctx, p.TenantID, p.ID); err != nil {
		return false, err
	}
	return used, tx.BumpTenantVersion(ctx, p.TenantID)
}

// Rule is one opening range of a weekday, as the API writes it.
type Rule struct {
	Weekday string `json:"weekday"` // MON..SUN
	Start   string `json:"start"`   // HH:MM
	End     string `json:"end"`     // HH:MM, up to 24:00
}

// Week is the tenant's weekly opening hours.
type Week struct {
	TimeZone string `json:"timeZone"`
	Rules    []Rule `json:"rules"`
}

// WeekOf returns the tenant's week, Monday first.
func (s *Service) WeekOf(ctx context.Context, t *frontdesk.Tenant) (*Week, error) {
	rules, err := s.Store.ListAvailabilityRules(ctx, t.ID)
	if err != nil {
		return nil, err
	}
	return &Week{TimeZone: t.TimeZone, Rules: viewRules(rules)}, nil
}

func viewRules(rules []frontdesk.AvailabilityRule) []Rule {
	out := []Rule{}
	for _, wd := range []time.Weekday{time.Monday, time.Tuesday, time.Wednesday, time.Thursday, time.Friday, time.Saturday, time.Sunday} {
		for _, r := range rules {
			if r.Weekday == wd {
				out = append(out, Rule{Weekday: WeekdayName(wd), Start: FormatClock(r.Start), End: FormatClock(r.End)})
			}
		}
	}
	return out
}

// ReplaceWeek replaces the tenant's weekly hours at once. It refuses a
// week in which a timed service no longer fits any range.
func (s *Service) ReplaceWeek(ctx context.Context, t *frontdesk.Tenant, rules []Rule) (*Week, error) {
	err := s.Store.WithTx(ctx, func(tx frontdesk.Tx) error {
		return s.replaceWeek(ctx, tx, t, newChecker().at("rules"), rules)
	})
	if err != nil {
		return nil, err
	}
	return s.WeekOf(ctx, t)
}

func (s *Service) replaceWeek(ctx context.Context, tx frontdesk.Tx, t *frontdesk.Tenant, c checker, in []Rule) error {
	rules := c.rules(in)
	if err := c.err(); err != nil {
		return err
	}
	if len(rules) > 0 {
		pkgs, err := tx.ListPackages(ctx, t.ID, false)
		if err != nil {
			return err
		}
		longest := longestRange(rules)
		for _, p := range pkgs {
			if p.BookingType == frontdesk.BookingTimeslot && p.DurationMinutes > longest {
				c.add("", "has no range long enough for %s (%d minutes); widen a range or shorten the service first", p.Name, p.DurationMinutes)
			}
		}
		if err := c.err(); err != nil {
			return err
		}
	}
	for i := range rules {
		rules[i].ID, rules[i].TenantID = frontdesk.NewID(), t.ID
	}
	if err := tx.ReplaceAvailabilityRules(ctx, t.ID, rules); err != nil {
		return err
	}
	return tx.BumpTenantVersion(ctx, t.ID)
}

// DayOffInput closes one day (Date) or a range of days (From to To
// inclusive), with an optional reason shown to visitors.
type DayOffInput struct {
	Date   string `json:"date,omitempty"`
	From   string `json:"from,omitempty"`
	To     string `json:"to,omitempty"`
	Reason string `json:"reason,omitempty"`
}

// MaxDaysOffAtOnce bounds one range of days off.
const MaxDaysOffAtOnce = 366

// days checks the input and lists its days.
func (in *DayOffInput) days(c checker) []frontdesk.Date {
	c.text("reason", in.Reason, false, 200, false)
	parse := func(field, v string) (frontdesk.Date, bool) {
		d, err := frontdesk.ParseDate(v)
		if err != nil {
			c.add(field, "must be a date YYYY-MM-DD")
			return d, false
		}
		return d, true
	}
	switch {
	case in.Date != "" && (in.From != "" || in.To != ""):
		c.add("date", "give either date (one day) or from and to (a range), not both")
	case in.Date != "":
		if d, ok := parse("date", in.Date); ok {
			return []frontdesk.Date{d}
		}
	case in.From != "" && in.To != "":
		from, ok1 := parse("from", in.From)
		to, ok2 := parse("to", in.To)
		if !ok1 || !ok2 {
			return nil
		}
		if to.Before(from) {
			c.add("to", "must not be before from")
			return nil
		}
		if from.AddDays(MaxDaysOffAtOnce - 1).Before(to) {
			c.add("to", "must be within %d days of from", MaxDaysOffAtOnce)
			return nil
		}
		var out []frontdesk.Date
		for d := from; !d.After(to); d = d.AddDays(1) {
			out = append(out, d)
		}
		return out
	default:
		c.add("date", "is required: the day off as YYYY-MM-DD, or from and to for several days")
	}
	return nil
}

// AddDaysOff closes the days of the input that are not closed yet and
// returns the days closed now and the live bookings on them, which the
// owner should move or cancel: closing a day never cancels a booking.
func (s *Service) AddDaysOff(ctx context.Context, t *frontdesk.Tenant, in DayOffInput) ([]frontdesk.BlackoutDate, []*frontdesk.Booking, error) {
	c := newChecker()
	days := in.days(c)
	if err := c.err(); err != nil {
		return nil, nil, err
	}
	var added []frontdesk.BlackoutDate
	var affected []*frontdesk.Booking
	err := s.Store.WithTx(ctx, func(tx frontdesk.Tx) error {
		added, affected = nil, nil
		existing, err := tx.ListBlackoutDates(ctx, t.ID, days[0], days[len(days)-1])
		if err != nil {
			return err
		}
		off := map[frontdesk.Date]bool{}
		for _, b := range existing {
			off[b.Date] = true
		}
		for _, d := range days {
			if off[d] {
				continue
			}
			b := frontdesk.BlackoutDate{ID: frontdesk.NewID(), TenantID: t.ID, Date: d, Reason: strings.TrimSpace(in.Reason)}
			if err := tx.CreateBlackoutDate(ctx, &b); err != nil {
				return err
			}
			added = append(added, b)
		}
		if affected, err = tx.LiveBookings(ctx, t.ID, days[0], days[len(days)-1]); err != nil {
			return err
		}
		return tx.BumpTenantVersion(ctx, t.ID)
	})
	if err != nil {
		return nil, nil, err
	}
	if added == nil {
		added = []frontdesk.BlackoutDate{}
	}
	return added, affected, nil
}

// DeleteDayOff opens a closed day again.
func (s *Service) DeleteDayOff(ctx context.Context, t *frontdesk.Tenant, id string) error {
	return s.Store.WithTx(ctx, func(tx frontdesk.Tx) error {
		if err := tx.DeleteBlackoutDate(ctx, t.ID, id); err != nil {
			return err
		}
		return tx.BumpTenantVersion(ctx, t.ID)
	})
}
