package frontdesk

import (
	"database/sql/driver"
	"fmt"
	"time"
)

// Date is a calendar date with no time of day and no zone: the day of a
// DATE booking, a blackout day, or a day in a tenant's own calendar.
type Date struct {
	Year  int
	Month time.Month
	Day   int
}

// DateOf returns the calendar date of t in t's location.
func DateOf(t time.Time) Date {
	y, m, d := t.Date()
	return Date{y, m, d}
}

// ParseDate parses YYYY-MM-DD. It rejects impossible dates such as 2026-02-30.
func ParseDate(s string) (Date, error) {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return Date{}, fmt.Errorf("%q is not a date in the form YYYY-MM-DD", s)
	}
	if t.Year() < 1 {
		return Date{}, fmt.Errorf("%q is not a date in the Common Era", s)
	}
	return DateOf(t), nil
}

// String formats the date as YYYY-MM-DD.
func (d Date) String() string { return fmt.Sprintf("%04d-%02d-%02d", d.Year, d.Month, d.Day) }

// IsZero reports whether d is the zero Date.
func (d Date) IsZero() bool { return d == Date{} }

// In returns midnight of d in loc.
func (d Date) In(loc *time.Location) time.Time {
	return time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, loc)
}

// AddDays returns d moved by n days.
func (d Date) AddDays(n int) Date { return DateOf(d.In(time.UTC).AddDate(0, 0, n)) }

// Weekday returns the day of the week of d.
func (d Date) Weekday() time.Weekday { return d.In(time.UTC).Weekday() }

// Before reports whether d is before o.
func (d Date) Before(o Date) bool { return d.String() < o.String() }

// After reports whether d is after o.
func (d Date) After(o Date) bool { return o.Before(d) }

// MarshalText implements encoding.TextMarshaler (JSON as "YYYY-MM-DD").
func (d Date) MarshalText() ([]byte, error) { return []byte(d.String()), nil }

// UnmarshalText implements encoding.TextUnmarshaler.
func (d *Date) UnmarshalText(b []byte) error {
	p, err := ParseDate(string(b))
	if err != nil {
		return err
	}
	*d = p
	return nil
}

// Value stores a Date as YYYY-MM-DD text, which both SQLite and PostgreSQL's
// date type accept.
func (d Date) Value() (driver.Value, error) { return d.String(), nil }

// Scan reads a date stored as text or returned by the driver as time.Time.
func (d *Date) Scan(src any) error {
	switch v := src.(type) {
	case time.Time:
		*d = Date{v.Year(), v.Month(), v.Day()}
		return nil
	case string:
		if len(v) > 10 {
			v = v[:10]
		}
		return d.UnmarshalText([]byte(v))
	case []byte:
		if len(v) > 10 {
			v = v[:10]
		}
		return d.UnmarshalText(v)
	}
	return fmt.Errorf("frontdesk.Date: cannot scan %T", src)
}

// Clock tells the time. Production uses the wall clock; tests inject a fixed
// or stepping clock so that "today" and expiry are deterministic.
type Clock interface {
	Now() time.Time
}

// ClockFunc adapts a function to Clock.
type ClockFunc func() time.Time

// Now calls f.
func (f ClockFunc) Now() time.Time { return f() }

// SystemClock is the wall clock, in UTC.
var SystemClock Clock = ClockFunc(func() time.Time { return time.Now().UTC() })
