package availability

import (
	"errors"
	"slices"
	"testing"
	"time"
	_ "time/tzdata" // the zone tests must not depend on the host's zoneinfo

	"github.com/frontdeskhq/frontdesk"
)

func mustLoc(t *testing.T, name string) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation(name)
	if err != nil {
		t.Fatalf("LoadLocation(%q): %v", name, err)
	}
	return loc
}

func day(t *testing.T, s string) frontdesk.Date {
	t.Helper()
	d, err := frontdesk.ParseDate(s)
	if err != nil {
		t.Fatalf("ParseDate(%q): %v", s, err)
	}
	return d
}

func instant(t *testing.T, s string) time.Time {
	t.Helper()
	ts, err := time.Parse(time.RFC3339, s)
	if err != nil {
		t.Fatalf("time.Parse(%q): %v", s, err)
	}
	return ts
}

// local returns the instant of the wall time "2006-01-02 15:04" in loc; the
// tests only use wall times that exist exactly once.
func local(t *testing.T, loc *time.Location, s string) time.Time {
	t.Helper()
	ts, err := time.ParseInLocation("2006-01-02 15:04", s, loc)
	if err != nil {
		t.Fatalf("ParseInLocation(%q): %v", s, err)
	}
	return ts
}

func ptr[T any](v T) *T { return &v }

func rule(wd time.Weekday, start, end string) frontdesk.AvailabilityRule {
	return frontdesk.AvailabilityRule{Weekday: wd, Start: minutes(start), End: minutes(end)}
}

func minutes(hhmm string) int {
	h, m := int(hhmm[0]-'0')*10+int(hhmm[1]-'0'), int(hhmm[3]-'0')*10+int(hhmm[4]-'0')
	return h*60 + m
}

func weekdays(start, end string, days ...time.Weekday) []frontdesk.AvailabilityRule {
	var rs []frontdesk.AvailabilityRule
	for _, d := range days {
		rs = append(rs, rule(d, start, end))
	}
	return rs
}

var (
	monToFri = []time.Weekday{time.Monday, time.Tuesday, time.Wednesday, time.Thursday, time.Friday}
	allWeek  = []time.Weekday{time.Sunday, time.Monday, time.Tuesday, time.Wednesday, time.Thursday, time.Friday, time.Saturday}
)

func datePkg() *frontdesk.Package {
	return &frontdesk.Package{ID: "p-date", BookingType: frontdesk.BookingDate}
}

func slotPkg(duration, buffer int) *frontdesk.Package {
	return &frontdesk.Package{ID: "p-slot", BookingType: frontdesk.BookingTimeslot, DurationMinutes: duration, BufferMinutes: buffer}
}

func dateBooking(d frontdesk.Date, st frontdesk.BookingStatus) *frontdesk.Booking {
	return &frontdesk.Booking{BookingType: frontdesk.BookingDate, Date: d, Status: st}
}

// slotBooking is a TIMESLOT booking from start to end, held until hold (nil
// for no HoldUntil), dated by start's date in loc.
func slotBooking(loc *time.Location, start, end time.Time, hold *time.Time, st frontdesk.BookingStatus) *frontdesk.Booking {
	return &frontdesk.Booking{
		BookingType: frontdesk.BookingTimeslot,
		Date:        frontdesk.DateOf(start.In(loc)),
		StartAt:     ptr(start.UTC()),
		EndAt:       ptr(end.UTC()),
		HoldUntil:   hold,
		Status:      st,
	}
}

func dateStrings(ds []frontdesk.Date) []string {
	var out []string
	for _, d := range ds {
		out = append(out, d.String())
	}
	return out
}

// utcStarts renders the slot starts as UTC RFC 3339.
func utcStarts(slots []Slot) []string {
	var out []string
	for _, s := range slots {
		out = append(out, s.Start.UTC().Format(time.RFC3339))
	}
	return out
}

// localStarts renders the slot starts as wall times with their offsets.
func localStarts(slots []Slot) []string {
	var out []string
	for _, s := range slots {
		out = append(out, s.Start.Format("2006-01-02 15:04 -0700"))
	}
	return out
}

func checkError(t *testing.T, err error, code, message string) {
	t.Helper()
	if code == "" {
		if err != nil {
			t.Fatalf("error = %v, want nil", err)
		}
		return
	}
	var fe *frontdesk.Error
	if !errors.As(err, &fe) {
		t.Fatalf("error = %v (%T), want *frontdesk.Error with code %s", err, err, code)
	}
	if fe.Code != code {
		t.Errorf("code = %q, want %q (message %q)", fe.Code, code, fe.Message)
	}
	if message != "" && fe.Message != message {
		t.Errorf("message = %q, want %q", fe.Message, message)
	}
}

func TestToday(t *testing.T) {
	now := instant(t, "2026-03-10T10:30:00Z")
	tests := []struct {
		name string
		zone string
		want string
	}{
		{"UTC", "UTC", "2026-03-10"},
		{"Kiritimati UTC+14 is already tomorrow", "Pacific/Kiritimati", "2026-03-11"},
		{"Pago Pago UTC-11 is still yesterday", "Pacific/Pago_Pago", "2026-03-09"},
		{"New York", "America/New_York", "2026-03-10"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := Calendar{Location: mustLoc(t, tt.zone), Now: now}
			if got := c.Today().String(); got != tt.want {
				t.Errorf("Today() = %s, want %s", got, tt.want)
			}
		})
	}
	if got := (Calendar{Now: now}).Today().String(); got != "2026-03-10" {
		t.Errorf("Today() with nil Location = %s, want 2026-03-10 (UTC)", got)
	}
}

func TestOpenDates(t *testing.T) {
	loc := mustLoc(t, "Europe/Berlin")
	base := Calendar{
		Location:  loc,
		Now:       local(t, loc, "2026-03-10 12:00"), // Tuesday
		Rules:     weekdays("09:00", "17:00", monToFri...),
		Blackouts: []frontdesk.Date{day(t, "2026-03-12")},
	}
	from, to := day(t, "2026-03-08"), day(t, "2026-03-17")
	tests := []struct {
		name     string
		bookings []*frontdesk.Booking
		pkg      *frontdesk.Package
		from, to frontdesk.Date
		want     []string
	}{
		{
			name: "working days from today, without blackout or weekend",
			pkg:  datePkg(), from: from, to: to,
			want: []string{"2026-03-10", "2026-03-11", "2026-03-13", "2026-03-16", "2026-03-17"},
		},
		{
			name:     "live DATE bookings close their day",
			bookings: []*frontdesk.Booking{dateBooking(day(t, "2026-03-11"), frontdesk.StatusPending), dateBooking(day(t, "2026-03-16"), frontdesk.StatusConfirmed)},
			pkg:      datePkg(), from: from, to: to,
			want: []string{"2026-03-10", "2026-03-13", "2026-03-17"},
		},
		{
			name: "a live TIMESLOT booking also closes its day",
			bookings: []*frontdesk.Booking{slotBooking(loc, local(t, loc, "2026-03-13 10:00"), local(t, loc, "2026-03-13 11:00"),
				nil, frontdesk.StatusConfirmed)},
			pkg: datePkg(), from: from, to: to,
			want: []string{"2026-03-10", "2026-03-11", "2026-03-16", "2026-03-17"},
		},
		{
			name: "canceled, expired and refunded bookings do not block",
			bookings: []*frontdesk.Booking{
				dateBooking(day(t, "2026-03-11"), frontdesk.StatusCanceled),
				dateBooking(day(t, "2026-03-13"), frontdesk.StatusExpired),
				dateBooking(day(t, "2026-03-16"), frontdesk.StatusRefunded),
				nil,
			},
			pkg: datePkg(), from: from, to: to,
			want: []string{"2026-03-10", "2026-03-11", "2026-03-13", "2026-03-16", "2026-03-17"},
		},
		{name: "from after to", pkg: datePkg(), from: to, to: from, want: nil},
		{name: "single day", pkg: datePkg(), from: day(t, "2026-03-11"), to: day(t, "2026-03-11"), want: []string{"2026-03-11"}},
		{name: "wholly in the past", pkg: datePkg(), from: day(t, "2026-03-02"), to: day(t, "2026-03-09"), want: nil},
		{name: "TIMESLOT package", pkg: slotPkg(60, 0), from: from, to: to, want: nil},
		{name: "nil package", pkg: nil, from: from, to: to, want: nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := base
			c.Bookings = tt.bookings
			got := dateStrings(c.OpenDates(tt.pkg, tt.from, tt.to))
			if !slices.Equal(got, tt.want) {
				t.Errorf("OpenDates = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestOpenDatesCapsRange(t *testing.T) {
	c := Calendar{
		Location: time.UTC,
		Now:      instant(t, "2026-03-10T08:00:00Z"),
		Rules:    weekdays("09:00", "17:00", allWeek...),
	}
	got := c.OpenDates(datePkg(), day(t, "2026-03-10"), day(t, "2030-01-01"))
	if len(got) != 92 {
		t.Fatalf("len(OpenDates) = %d, want 92", len(got))
	}
	if first, last := got[0].String(), got[len(got)-1].String(); first != "2026-03-10" || last != "2026-06-09" {
		t.Errorf("OpenDates spans %s..%s, want 2026-03-10..2026-06-09", first, last)
	}
}

func TestDateOpen(t *testing.T) {
	loc := mustLoc(t, "Europe/Berlin")
	c := Calendar{
		Location:  loc,
		Now:       local(t, loc, "2026-03-10 23:30"), // Tuesday, 22:30 UTC
		Rules:     weekdays("09:00", "17:00", monToFri...),
		Blackouts: []frontdesk.Date{day(t, "2026-03-12")},
		Bookings: []*frontdesk.Booking{
			dateBooking(day(t, "2026-03-11"), frontdesk.StatusPending),
			dateBooking(day(t, "2026-03-13"), frontdesk.StatusCanceled),
			dateBooking(day(t, "2026-03-16"), frontdesk.StatusExpired),
		},
	}
	tests := []struct {
		name    string
		pkg     *frontdesk.Package
		date    frontdesk.Date
		code    string
		message string
	}{
		{name: "today is open", pkg: datePkg(), date: day(t, "2026-03-10")},
		{name: "yesterday is past", pkg: datePkg(), date: day(t, "2026-03-09"), code: frontdesk.EInvalid, message: msgDatePast},
		{name: "booked day", pkg: datePkg(), date: day(t, "2026-03-11"), code: frontdesk.ESlotUnavailable,
			message: "That date is no longer available. Please choose another date."},
		{name: "blackout", pkg: datePkg(), date: day(t, "2026-03-12"), code: frontdesk.ESlotUnavailable, message: msgDateBlackout},
		{name: "canceled booking frees the day", pkg: datePkg(), date: day(t, "2026-03-13")},
		{name: "expired booking frees the day", pkg: datePkg(), date: day(t, "2026-03-16")},
		{name: "weekend", pkg: datePkg(), date: day(t, "2026-03-14"), code: frontdesk.ESlotUnavailable, message: msgDateClosed},
		{name: "impossible date", pkg: datePkg(), date: frontdesk.Date{Year: 2026, Month: time.February, Day: 30}, code: frontdesk.EInvalid},
		{name: "zero date", pkg: datePkg(), date: frontdesk.Date{}, code: frontdesk.EInvalid},
		{name: "TIMESLOT package", pkg: slotPkg(60, 0), date: day(t, "2026-03-10"), code: frontdesk.EInvalid, message: msgNotDatePackage},
		{name: "nil package", pkg: nil, date: day(t, "2026-03-10"), code: frontdesk.EInvalid},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			checkError(t, c.DateOpen(tt.pkg, tt.date), tt.code, tt.message)
		})
	}
}

func TestOpenSlotsStepping(t *testing.T) {
	loc := mustLoc(t, "Europe/Berlin") // UTC+1 on these dates
	c := Calendar{
		Location: loc,
		Now:      instant(t, "2026-03-01T00:00:00Z"),
		Rules:    []frontdesk.AvailabilityRule{rule(time.Monday, "09:00", "12:00")},
	}
	mon := day(t, "2026-03-09")
	tests := []struct {
		name string
		pkg  *frontdesk.Package
		want []string // UTC
	}{
		{"60 min, no buffer", slotPkg(60, 0), []string{"2026-03-09T08:00:00Z", "2026-03-09T09:00:00Z", "2026-03-09T10:00:00Z"}},
		{"60 min plus 30 buffer steps 90", slotPkg(60, 30), []string{"2026-03-09T08:00:00Z", "2026-03-09T09:30:00Z"}},
		{"45 min plus 15 buffer: last ends 11:45", slotPkg(45, 15), []string{"2026-03-09T08:00:00Z", "2026-03-09T09:00:00Z", "2026-03-09T10:00:00Z"}},
		{"buffer may run past the rule end", slotPkg(60, 60), []string{"2026-03-09T08:00:00Z", "2026-03-09T10:00:00Z"}},
		{"duration equal to the rule", slotPkg(180, 0), []string{"2026-03-09T08:00:00Z"}},
		{"duration longer than the rule", slotPkg(181, 0), nil},
		{"zero duration", slotPkg(0, 0), nil},
		{"DATE package", datePkg(), nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := c.OpenSlots(tt.pkg, mon, mon)
			if starts := utcStarts(got); !slices.Equal(starts, tt.want) {
				t.Fatalf("OpenSlots starts = %v, want %v", starts, tt.want)
			}
			for _, s := range got {
				if s.Start.Location() != loc || s.End.Location() != loc {
					t.Errorf("slot %v..%v not in %s", s.Start, s.End, loc)
				}
				if d := s.End.Sub(s.Start); d != time.Duration(tt.pkg.DurationMinutes)*time.Minute {
					t.Errorf("slot %v lasts %v, want %d minutes", s.Start, d, tt.pkg.DurationMinutes)
				}
			}
		})
	}
}

func TestOpenSlotsBookings(t *testing.T) {
	loc := time.UTC
	mon, tue := day(t, "2026-03-09"), day(t, "2026-03-10")
	at := func(s string) time.Time { return local(t, loc, s) }
	all := []string{"2026-03-09T09:00:00Z", "2026-03-09T10:30:00Z", "2026-03-09T12:00:00Z", "2026-03-09T13:30:00Z", "2026-03-09T15:00:00Z"}
	tests := []struct {
		name      string
		bookings  []*frontdesk.Booking
		blackouts []frontdesk.Date
		want      []string
	}{
		{name: "no bookings", want: all},
		{
			name: "booking with buffer blocks the slots its hold overlaps",
			// held 14:00-15:15: blocks 13:30 (held to 15:00) and 15:00
			bookings: []*frontdesk.Booking{slotBooking(loc, at("2026-03-09 14:00"), at("2026-03-09 14:30"), ptr(at("2026-03-09 15:15")), frontdesk.StatusConfirmed)},
			want:     all[:3],
		},
		{
			name: "the new slot's own buffer must not run into a booking",
			// 09:00 ends at 10:00 but holds to 10:30; 10:30 starts after the hold
			bookings: []*frontdesk.Booking{slotBooking(loc, at("2026-03-09 10:00"), at("2026-03-09 10:20"), ptr(at("2026-03-09 10:30")), frontdesk.StatusConfirmed)},
			want:     all[1:],
		},
		{
			name:     "without HoldUntil the booking ends at EndAt",
			bookings: []*frontdesk.Booking{slotBooking(loc, at("2026-03-09 14:00"), at("2026-03-09 14:30"), nil, frontdesk.StatusPending)},
			want:     []string{all[0], all[1], all[2], all[4]},
		},
		{
			name: "touching intervals do not overlap",
			// 10:30's hold runs to 12:00; this one holds 08:00-09:00 and 12:00-13:30
			bookings: []*frontdesk.Booking{
				slotBooking(loc, at("2026-03-09 08:00"), at("2026-03-09 08:30"), ptr(at("2026-03-09 09:00")), frontdesk.StatusConfirmed),
				slotBooking(loc, at("2026-03-09 12:00"), at("2026-03-09 13:00"), ptr(at("2026-03-09 13:30")), frontdesk.StatusConfirmed),
			},
			want: []string{all[0], all[1], all[3], all[4]},
		},
		{
			name: "a booking from the previous evening held past midnight",
			bookings: []*frontdesk.Booking{slotBooking(loc, at("2026-03-08 23:00"), at("2026-03-09 08:45"), ptr(at("2026-03-09 09:15")),
				frontdesk.StatusConfirmed)},
			want: all[1:],
		},
		{
			name: "canceled and expired bookings do not block",
			bookings: []*frontdesk.Booking{
				slotBooking(loc, at("2026-03-09 09:00"), at("2026-03-09 10:00"), nil, frontdesk.StatusCanceled),
				slotBooking(loc, at("2026-03-09 10:30"), at("2026-03-09 11:30"), nil, frontdesk.StatusExpired),
				dateBooking(mon, frontdesk.StatusRefunded),
			},
			want: all,
		},
		{name: "live DATE booking closes the day", bookings: []*frontdesk.Booking{dateBooking(mon, frontdesk.StatusPending)}, want: nil},
		{name: "live DATE booking on another day", bookings: []*frontdesk.Booking{dateBooking(tue, frontdesk.StatusConfirmed)}, want: all},
		{
			name:     "timed booking without times closes its day",
			bookings: []*frontdesk.Booking{{BookingType: frontdesk.BookingTimeslot, Date: mon, Status: frontdesk.StatusConfirmed}},
			want:     nil,
		},
		{name: "blackout", blackouts: []frontdesk.Date{mon}, want: nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := Calendar{
				Location:  loc,
				Now:       instant(t, "2026-03-08T12:00:00Z"),
				Rules:     []frontdesk.AvailabilityRule{rule(time.Monday, "09:00", "17:00")},
				Blackouts: tt.blackouts,
				Bookings:  tt.bookings,
			}
			got := utcStarts(c.OpenSlots(slotPkg(60, 30), mon, mon))
			if !slices.Equal(got, tt.want) {
				t.Errorf("OpenSlots = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestOpenSlotsNothingInThePast(t *testing.T) {
	c := Calendar{
		Location: time.UTC,
		Rules:    weekdays("09:00", "17:00", time.Monday, time.Tuesday),
	}
	pkg := slotPkg(60, 30)
	tests := []struct {
		name string
		now  string
		want []string
	}{
		{"now exactly at a start excludes it", "2026-03-09T12:00:00Z", []string{
			"2026-03-09T13:30:00Z", "2026-03-09T15:00:00Z",
			"2026-03-10T09:00:00Z", "2026-03-10T10:30:00Z", "2026-03-10T12:00:00Z", "2026-03-10T13:30:00Z", "2026-03-10T15:00:00Z",
		}},
		{"a second before a start keeps it", "2026-03-09T14:59:59Z", []string{
			"2026-03-09T15:00:00Z",
			"2026-03-10T09:00:00Z", "2026-03-10T10:30:00Z", "2026-03-10T12:00:00Z", "2026-03-10T13:30:00Z", "2026-03-10T15:00:00Z",
		}},
		{"after the last start of the range", "2026-03-10T15:00:00Z", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := c
			c.Now = instant(t, tt.now)
			got := utcStarts(c.OpenSlots(pkg, day(t, "2026-03-02"), day(t, "2026-03-10")))
			if !slices.Equal(got, tt.want) {
				t.Errorf("OpenSlots = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestOpenSlotsDaylightSaving(t *testing.T) {
	ny := mustLoc(t, "America/New_York")
	night := rule(time.Sunday, "00:00", "05:00")
	office := rule(time.Sunday, "09:00", "17:00")
	tests := []struct {
		name      string
		date      string
		rules     []frontdesk.AvailabilityRule
		pkg       *frontdesk.Package
		wantUTC   []string
		wantLocal []string
	}{
		{
			name: "spring forward: 23-hour day, no 02:00", date: "2026-03-08",
			rules: []frontdesk.AvailabilityRule{office, night}, pkg: slotPkg(60, 0),
			wantUTC: []string{
				"2026-03-08T05:00:00Z", "2026-03-08T06:00:00Z", "2026-03-08T07:00:00Z", "2026-03-08T08:00:00Z",
				"2026-03-08T13:00:00Z", "2026-03-08T14:00:00Z", "2026-03-08T15:00:00Z", "2026-03-08T16:00:00Z",
				"2026-03-08T17:00:00Z", "2026-03-08T18:00:00Z", "2026-03-08T19:00:00Z", "2026-03-08T20:00:00Z",
			},
			wantLocal: []string{
				"2026-03-08 00:00 -0500", "2026-03-08 01:00 -0500", "2026-03-08 03:00 -0400", "2026-03-08 04:00 -0400",
				"2026-03-08 09:00 -0400", "2026-03-08 10:00 -0400", "2026-03-08 11:00 -0400", "2026-03-08 12:00 -0400",
				"2026-03-08 13:00 -0400", "2026-03-08 14:00 -0400", "2026-03-08 15:00 -0400", "2026-03-08 16:00 -0400",
			},
		},
		{
			name: "fall back: 25-hour day, 01:00 twice", date: "2026-11-01",
			rules: []frontdesk.AvailabilityRule{night, office}, pkg: slotPkg(60, 0),
			wantUTC: []string{
				"2026-11-01T04:00:00Z", "2026-11-01T05:00:00Z", "2026-11-01T06:00:00Z", "2026-11-01T07:00:00Z",
				"2026-11-01T08:00:00Z", "2026-11-01T09:00:00Z",
				"2026-11-01T14:00:00Z", "2026-11-01T15:00:00Z", "2026-11-01T16:00:00Z", "2026-11-01T17:00:00Z",
				"2026-11-01T18:00:00Z", "2026-11-01T19:00:00Z", "2026-11-01T20:00:00Z", "2026-11-01T21:00:00Z",
			},
			wantLocal: []string{
				"2026-11-01 00:00 -0400", "2026-11-01 01:00 -0400", "2026-11-01 01:00 -0500", "2026-11-01 02:00 -0500",
				"2026-11-01 03:00 -0500", "2026-11-01 04:00 -0500",
				"2026-11-01 09:00 -0500", "2026-11-01 10:00 -0500", "2026-11-01 11:00 -0500", "2026-11-01 12:00 -0500",
				"2026-11-01 13:00 -0500", "2026-11-01 14:00 -0500", "2026-11-01 15:00 -0500", "2026-11-01 16:00 -0500",
			},
		},
		{
			name: "spring forward: a 90-minute step across the gap", date: "2026-03-08",
			rules: []frontdesk.AvailabilityRule{night}, pkg: slotPkg(60, 30),
			// the window is 4 real hours: 05:00Z..09:00Z
			wantUTC:   []string{"2026-03-08T05:00:00Z", "2026-03-08T06:30:00Z", "2026-03-08T08:00:00Z"},
			wantLocal: []string{"2026-03-08 00:00 -0500", "2026-03-08 01:30 -0500", "2026-03-08 04:00 -0400"},
		},
		{
			name: "spring forward: rule 01:30-03:30 is one real hour", date: "2026-03-08",
			rules: []frontdesk.AvailabilityRule{rule(time.Sunday, "01:30", "03:30")}, pkg: slotPkg(60, 0),
			// stepping the wall clock would give 02:30, which does not exist, and
			// an 03:30 EDT slot ending after the rule
			wantUTC:   []string{"2026-03-08T06:30:00Z"},
			wantLocal: []string{"2026-03-08 01:30 -0500"},
		},
		{
			name: "spring forward: a rule starting in the gap opens when it ends", date: "2026-03-08",
			rules: []frontdesk.AvailabilityRule{rule(time.Sunday, "02:30", "04:00")}, pkg: slotPkg(30, 0),
			wantUTC:   []string{"2026-03-08T07:00:00Z", "2026-03-08T07:30:00Z"},
			wantLocal: []string{"2026-03-08 03:00 -0400", "2026-03-08 03:30 -0400"},
		},
		{
			name: "fall back: rule 01:30-02:30 runs from the first 01:30 to 02:30 EST", date: "2026-11-01",
			rules: []frontdesk.AvailabilityRule{rule(time.Sunday, "01:30", "02:30")}, pkg: slotPkg(30, 0),
			wantUTC: []string{"2026-11-01T05:30:00Z", "2026-11-01T06:00:00Z", "2026-11-01T06:30:00Z", "2026-11-01T07:00:00Z"},
			wantLocal: []string{
				"2026-11-01 01:30 -0400", "2026-11-01 01:00 -0500", "2026-11-01 01:30 -0500", "2026-11-01 02:00 -0500",
			},
		},
		{
			name: "the Monday after spring forward is a normal EDT day", date: "2026-03-09",
			rules: []frontdesk.AvailabilityRule{rule(time.Monday, "09:00", "17:00")}, pkg: slotPkg(120, 30),
			wantUTC:   []string{"2026-03-09T13:00:00Z", "2026-03-09T15:30:00Z", "2026-03-09T18:00:00Z"},
			wantLocal: []string{"2026-03-09 09:00 -0400", "2026-03-09 11:30 -0400", "2026-03-09 14:00 -0400"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := Calendar{Location: ny, Now: instant(t, "2026-01-01T00:00:00Z"), Rules: tt.rules}
			d := day(t, tt.date)
			got := c.OpenSlots(tt.pkg, d, d)
			if starts := utcStarts(got); !slices.Equal(starts, tt.wantUTC) {
				t.Errorf("UTC starts = %v, want %v", starts, tt.wantUTC)
			}
			if starts := localStarts(got); !slices.Equal(starts, tt.wantLocal) {
				t.Errorf("local starts = %v, want %v", starts, tt.wantLocal)
			}
			for _, s := range got {
				if err := c.SlotOpen(tt.pkg, s.Start); err != nil {
					t.Errorf("SlotOpen(%v) = %v, want nil for a listed start", s.Start, err)
				}
			}
		})
	}
}

func TestFarFromUTC(t *testing.T) {
	now := instant(t, "2026-03-10T10:30:00Z") // Tuesday in UTC
	rules := weekdays("09:00", "11:00", allWeek...)
	tests := []struct {
		name      string
		zone      string
		bookings  []*frontdesk.Booking
		today     string
		dates     []string
		slotsUTC  []string
		slotLocal []string
	}{
		{
			name: "Kiritimati UTC+14", zone: "Pacific/Kiritimati", today: "2026-03-11",
			dates:     []string{"2026-03-11"},
			slotsUTC:  []string{"2026-03-10T19:00:00Z", "2026-03-10T20:00:00Z"},
			slotLocal: []string{"2026-03-11 09:00 +1400", "2026-03-11 10:00 +1400"},
		},
		{
			name: "Kiritimati: a DATE booking on the local date closes its slots", zone: "Pacific/Kiritimati", today: "2026-03-11",
			bookings: []*frontdesk.Booking{dateBooking(day(t, "2026-03-11"), frontdesk.StatusConfirmed)},
			dates:    nil, slotsUTC: nil, slotLocal: nil,
		},
		{
			name: "Pago Pago UTC-11", zone: "Pacific/Pago_Pago", today: "2026-03-09",
			dates:     []string{"2026-03-09", "2026-03-10", "2026-03-11"},
			slotsUTC:  []string{"2026-03-10T20:00:00Z", "2026-03-10T21:00:00Z", "2026-03-11T20:00:00Z", "2026-03-11T21:00:00Z"},
			slotLocal: []string{"2026-03-10 09:00 -1100", "2026-03-10 10:00 -1100", "2026-03-11 09:00 -1100", "2026-03-11 10:00 -1100"},
		},
		{
			name: "Kiritimati: a DATE booking on the slots' UTC date does not close them", zone: "Pacific/Kiritimati", today: "2026-03-11",
			bookings:  []*frontdesk.Booking{dateBooking(day(t, "2026-03-10"), frontdesk.StatusConfirmed)},
			dates:     []string{"2026-03-11"},
			slotsUTC:  []string{"2026-03-10T19:00:00Z", "2026-03-10T20:00:00Z"},
			slotLocal: []string{"2026-03-11 09:00 +1400", "2026-03-11 10:00 +1400"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := Calendar{Location: mustLoc(t, tt.zone), Now: now, Rules: rules, Bookings: tt.bookings}
			if got := c.Today().String(); got != tt.today {
				t.Errorf("Today() = %s, want %s", got, tt.today)
			}
			from, to := day(t, "2026-03-09"), day(t, "2026-03-11")
			if got := dateStrings(c.OpenDates(datePkg(), from, to)); !slices.Equal(got, tt.dates) {
				t.Errorf("OpenDates = %v, want %v", got, tt.dates)
			}
			slots := c.OpenSlots(slotPkg(60, 0), from, to)
			if got := utcStarts(slots); !slices.Equal(got, tt.slotsUTC) {
				t.Errorf("OpenSlots UTC = %v, want %v", got, tt.slotsUTC)
			}
			if got := localStarts(slots); !slices.Equal(got, tt.slotLocal) {
				t.Errorf("OpenSlots local = %v, want %v", got, tt.slotLocal)
			}
		})
	}
}

func TestSlotOpen(t *testing.T) {
	loc := mustLoc(t, "Europe/Berlin") // UTC+1 on these dates
	at := func(s string) time.Time { return local(t, loc, s) }
	c := Calendar{
		Location:  loc,
		Now:       at("2026-03-09 10:30"),
		Rules:     weekdays("09:00", "17:00", time.Monday, time.Tuesday),
		Blackouts: []frontdesk.Date{day(t, "2026-03-10")},
		Bookings: []*frontdesk.Booking{
			slotBooking(loc, at("2026-03-09 13:30"), at("2026-03-09 14:30"), ptr(at("2026-03-09 15:00")), frontdesk.StatusConfirmed),
			slotBooking(loc, at("2026-03-09 12:00"), at("2026-03-09 13:00"), ptr(at("2026-03-09 13:30")), frontdesk.StatusCanceled),
		},
	}
	pkg := slotPkg(60, 30) // grid 09:00, 10:30, 12:00, 13:30, 15:00
	tests := []struct {
		name    string
		pkg     *frontdesk.Package
		start   time.Time
		code    string
		message string
	}{
		{name: "listed start", pkg: pkg, start: at("2026-03-09 12:00")},
		{name: "listed start given in UTC", pkg: pkg, start: instant(t, "2026-03-09T11:00:00Z")},
		{name: "start right after a booking's hold", pkg: pkg, start: at("2026-03-09 15:00")},
		{name: "taken", pkg: pkg, start: at("2026-03-09 13:30"), code: frontdesk.ESlotUnavailable,
			message: "That time is no longer available. Please pick another time."},
		{name: "misaligned by 15 minutes", pkg: pkg, start: at("2026-03-09 12:15"), code: frontdesk.ESlotUnavailable, message: msgTimeNotOffered},
		{name: "misaligned by a second", pkg: pkg, start: at("2026-03-09 12:00").Add(time.Second), code: frontdesk.ESlotUnavailable, message: msgTimeNotOffered},
		{name: "on the grid before the rule", pkg: pkg, start: at("2026-03-09 07:30"), code: frontdesk.ESlotUnavailable, message: msgTimeNotOffered},
		{name: "on the grid but ending after the rule", pkg: pkg, start: at("2026-03-09 16:30"), code: frontdesk.ESlotUnavailable, message: msgTimeNotOffered},
		{name: "exactly now", pkg: pkg, start: at("2026-03-09 10:30"), code: frontdesk.ESlotUnavailable, message: msgTimePast},
		{name: "earlier today", pkg: pkg, start: at("2026-03-09 09:00"), code: frontdesk.ESlotUnavailable, message: msgTimePast},
		{name: "last week", pkg: pkg, start: at("2026-03-02 12:00"), code: frontdesk.ESlotUnavailable, message: msgTimePast},
		{name: "blackout day", pkg: pkg, start: at("2026-03-10 12:00"), code: frontdesk.ESlotUnavailable, message: msgDateBlackout},
		{name: "closed weekday", pkg: pkg, start: at("2026-03-11 12:00"), code: frontdesk.ESlotUnavailable, message: msgDateClosed},
		{name: "next Monday", pkg: pkg, start: at("2026-03-16 09:00")},
		{name: "DATE package", pkg: datePkg(), start: at("2026-03-09 12:00"), code: frontdesk.EInvalid, message: msgNotSlotPackage},
		{name: "nil package", pkg: nil, start: at("2026-03-09 12:00"), code: frontdesk.EInvalid},
		{name: "zero time", pkg: pkg, start: time.Time{}, code: frontdesk.EInvalid},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			checkError(t, c.SlotOpen(tt.pkg, tt.start), tt.code, tt.message)
		})
	}
}

// TestSlotOpenAgreesWithOpenSlots checks every 15 minutes of a range: a start
// passes SlotOpen exactly when OpenSlots lists it.
func TestSlotOpenAgreesWithOpenSlots(t *testing.T) {
	tests := []struct {
		name     string
		zone     string
		now      string
		from, to string
		pkg      *frontdesk.Package
	}{
		{"New York across spring forward", "America/New_York", "2026-03-07T15:10:00Z", "2026-03-07", "2026-03-10", slotPkg(45, 15)},
		{"New York across fall back", "America/New_York", "2026-10-31T12:00:00Z", "2026-10-31", "2026-11-02", slotPkg(60, 30)},
		{"Kiritimati", "Pacific/Kiritimati", "2026-03-10T10:30:00Z", "2026-03-10", "2026-03-13", slotPkg(30, 0)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			loc := mustLoc(t, tt.zone)
			from, to := day(t, tt.from), day(t, tt.to)
			c := Calendar{
				Location: loc,
				Now:      instant(t, tt.now),
				Rules: append(weekdays("09:00", "17:00", allWeek...),
					rule(time.Sunday, "00:00", "05:00"), rule(time.Monday, "08:00", "10:00")),
				Blackouts: []frontdesk.Date{to},
			}
			c.Bookings = []*frontdesk.Booking{
				slotBooking(loc, local(t, loc, tt.from+" 15:00"), local(t, loc, tt.from+" 15:40"), ptr(local(t, loc, tt.from+" 16:10")), frontdesk.StatusConfirmed),
				dateBooking(from.AddDays(1), frontdesk.StatusCanceled),
			}
			listed := map[time.Time]bool{}
			slots := c.OpenSlots(tt.pkg, from, to)
			if len(slots) == 0 {
				t.Fatal("OpenSlots listed nothing; the test would prove nothing")
			}
			for i, s := range slots {
				if i > 0 && !slots[i-1].Start.Before(s.Start) {
					t.Errorf("slots not strictly ascending: %v then %v", slots[i-1].Start, s.Start)
				}
				listed[s.Start.UTC()] = true
			}
			// The day before from is wholly past, so nothing there may pass.
			begin, end := from.AddDays(-1).In(loc), to.AddDays(1).In(loc)
			for s := begin; s.Before(end); s = s.Add(15 * time.Minute) {
				err := c.SlotOpen(tt.pkg, s)
				if listed[s.UTC()] != (err == nil) {
					t.Errorf("%v: listed %v but SlotOpen = %v", s, listed[s.UTC()], err)
				}
			}
		})
	}
}

func TestWallInstant(t *testing.T) {
	ny := mustLoc(t, "America/New_York")
	tests := []struct {
		name   string
		date   string
		minute int
		want   string
	}{
		{"ordinary", "2026-03-09", minutes("09:00"), "2026-03-09T13:00:00Z"},
		{"midnight before spring forward", "2026-03-08", 0, "2026-03-08T05:00:00Z"},
		{"in the gap maps to its end", "2026-03-08", minutes("02:30"), "2026-03-08T07:00:00Z"},
		{"start of the gap", "2026-03-08", minutes("02:00"), "2026-03-08T07:00:00Z"},
		{"after the gap", "2026-03-08", minutes("03:00"), "2026-03-08T07:00:00Z"},
		{"ambiguous takes the first", "2026-11-01", minutes("01:30"), "2026-11-01T05:30:00Z"},
		{"after fall back", "2026-11-01", minutes("02:00"), "2026-11-01T07:00:00Z"},
		{"end of day is next midnight", "2026-11-01", 24 * 60, "2026-11-02T05:00:00Z"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := wallInstant(day(t, tt.date), tt.minute, ny)
			if !got.Equal(instant(t, tt.want)) {
				t.Errorf("wallInstant = %v, want %s", got.UTC(), tt.want)
			}
		})
	}
}

func TestDescribeWeek(t *testing.T) {
	r := func(wd time.Weekday, s, e int) frontdesk.AvailabilityRule {
		return frontdesk.AvailabilityRule{Weekday: wd, Start: s, End: e}
	}
	var weekdays []frontdesk.AvailabilityRule
	for wd := time.Monday; wd <= time.Friday; wd++ {
		weekdays = append(weekdays, r(wd, 9*60, 17*60))
	}
	for _, tc := range []struct {
		name  string
		rules []frontdesk.AvailabilityRule
		want  string
	}{
		{"none", nil, "No opening hours are set."},
		{"weekdays and saturday", append(weekdays, r(time.Saturday, 10*60, 14*60)),
			"Monday to Friday 9:00 AM to 5:00 PM; Saturday 10:00 AM to 2:00 PM; closed Sunday."},
		{"split day, two days", []frontdesk.AvailabilityRule{r(time.Tuesday, 14*60, 18*60), r(time.Tuesday, 9*60, 12*60+30), r(time.Wednesday, 9*60, 12*60+30), r(time.Wednesday, 14*60, 18*60)},
			"Tuesday and Wednesday 9:00 AM to 12:30 PM and 2:00 PM to 6:00 PM; closed Monday, Thursday to Sunday."},
		{"sunday to midnight", []frontdesk.AvailabilityRule{r(time.Sunday, 0, 24*60)},
			"Sunday 12:00 AM to midnight; closed Monday to Saturday."},
	} {
		if got := DescribeWeek(tc.rules); got != tc.want {
			t.Errorf("%s: DescribeWeek = %q, want %q", tc.name, got, tc.want)
		}
	}
}
