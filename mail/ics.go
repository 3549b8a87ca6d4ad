package mail

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/frontdeskhq/frontdesk"
)

// Methods (RFC 5546) of a calendar file sent by email.
const (
	// MethodPublish adds the event to a calendar, or updates the event
	// with the same UID and a lower SEQUENCE.
	MethodPublish = "PUBLISH"
	// MethodCancel removes the event with the same UID from a calendar.
	MethodCancel = "CANCEL"
)

// ICSContentType is the MIME type of a calendar attachment with
// METHOD:PUBLISH.
const ICSContentType = "text/calendar; charset=utf-8; method=PUBLISH"

// ICSContentTypeFor returns the MIME type of a calendar attachment whose
// METHOD is method; its method parameter must match the file's METHOD.
// An empty method is PUBLISH.
func ICSContentTypeFor(method string) string {
	if method == "" || method == MethodPublish {
		return ICSContentType
	}
	return "text/calendar; charset=utf-8; method=" + method
}

const (
	icsUTC  = "20060102T150405Z"
	icsDate = "20060102"
	icsProd = "-//Frontdesk//Bookings//EN"
)

// ICSEvent is the one event of a booking's calendar file.
type ICSEvent struct {
	UID         string
	Stamp       time.Time // DTSTAMP; written in UTC
	Start, End  time.Time // a timed event; written in UTC ('Z' form)
	AllDay      bool      // a whole-day event from Day to Day+1
	Day         frontdesk.Date
	Summary     string
	Description string
	Location    string
	// URL links the event to a page about it (e.g. the booking in the
	// dashboard); empty: none. It is a URI, written as given.
	URL    string
	Status string // TENTATIVE, CONFIRMED or CANCELLED; empty: none
	// Sequence is the event's revision (SEQUENCE): 0 as first sent, raised
	// by every change a calendar must pick up, so that it replaces the
	// copy it has. 0 is not written: RFC 5545 makes it the default.
	Sequence int
	// Method is the METHOD of the calendar BuildICS writes around this one
	// event: MethodPublish (also when empty) or MethodCancel. BuildFeed
	// ignores it: a subscribed feed is always PUBLISH.
	Method string
}

// BookingUID is the UID of a booking's calendar event: the same in every
// email's attachment and in the tenant's calendar feed, so that a calendar
// that saw the booking once updates that event instead of adding another.
func BookingUID(bookingID string) string { return bookingID + "@frontdesk" }

// BuildICS renders one event as an RFC 5545 calendar with CRLF line
// endings, TEXT values escaped and lines folded at 75 octets. Its METHOD
// is ev.Method, PUBLISH when empty. It returns an error, and no calendar,
// for an event without its UID or its time, or with another method.
func BuildICS(ev ICSEvent) ([]byte, error) {
	if err := checkEvent(ev); err != nil {
		return nil, err
	}
	method := ev.Method
	if method == "" {
		method = MethodPublish
	}
	if method != MethodPublish && method != MethodCancel {
		return nil, fmt.Errorf("ics: method %q is not PUBLISH or CANCEL", ev.Method)
	}
	var b strings.Builder
	writeCalendarStart(&b, method)
	writeEvent(&b, ev, time.Now())
	writeFolded(&b, "END:VCALENDAR")
	return []byte(b.String()), nil
}

// FeedCalendar describes a subscribed calendar: the calendar's name and
// time zone as the calendar apps show them, and how often they should
// fetch it again.
type FeedCalendar struct {
	Name     string // X-WR-CALNAME, e.g. the business's name
	TimeZone string // X-WR-TIMEZONE, an IANA name; empty: none
	// Refresh is the polling interval asked of subscribers
	// (REFRESH-INTERVAL and X-PUBLISHED-TTL); zero: one hour.
	Refresh time.Duration
}

// BuildFeed renders a calendar of many events (METHOD:PUBLISH) for
// subscription by Google, Apple and Outlook calendars, written like BuildICS:
// CRLF line endings, TEXT values escaped, lines folded at 75 octets. It
// returns an error, and no calendar, when an event lacks its UID or its time.
func BuildFeed(cal FeedCalendar, events []ICSEvent) ([]byte, error) {
	for i, ev := range events {
		if err := checkEvent(ev); err != nil {
			return nil, fmt.Errorf("event %d: %w", i, err)
		}
	}
	refresh := cal.Refresh
	if refresh <= 0 {
		refresh = time.Hour
	}
	now := time.Now()
	var b strings.Builder
	writeCalendarStart(&b, MethodPublish)
	line := func(s string) { writeFolded(&b, s) }
	if cal.Name != "" {
		line("X-WR-CALNAME:" + EscapeICSText(cal.Name))
	}
	if cal.TimeZone != "" {
		line("X-WR-TIMEZONE:" + EscapeICSText(cal.TimeZone))
	}
	line("REFRESH-INTERVAL;VALUE=DURATION:" + icsDuration(refresh))
	line("X-PUBLISHED-TTL:" + icsDuration(refresh))
	for _, ev := range events {
		writeEvent(&b, ev, now)
	}
	line("END:VCALENDAR")
	return []byte(b.String()), nil
}

// checkEvent refuses an event no calendar could place.
func checkEvent(ev ICSEvent) error {
	if ev.UID == "" {
		return errors.New("ics: event has no UID")
	}
	if ev.AllDay && ev.Day.IsZero() {
		return errors.New("ics: all-day event has no day")
	}
	if !ev.AllDay && ev.Start.IsZero() {
		return errors.New("ics: timed event has no start")
	}
	return nil
}

// writeCalendarStart writes the properties every calendar of ours begins
// with, and its METHOD.
func writeCalendarStart(b *strings.Builder, method string) {
	writeFolded(b, "BEGIN:VCALENDAR")
	writeFolded(b, "VERSION:2.0")
	writeFolded(b, "PRODID:"+icsProd)
	writeFolded(b, "CALSCALE:GREGORIAN")
	writeFolded(b, "METHOD:"+method)
}

// writeEvent writes one VEVENT of an event checkEvent accepted; now is its
// DTSTAMP when the event has no Stamp.
func writeEvent(b *strings.Builder, ev ICSEvent, now time.Time) {
	stamp := ev.Stamp
	if stamp.IsZero() {
		stamp = now
	}
	line := func(s string) { writeFolded(b, s) }
	line("BEGIN:VEVENT")
	line("UID:" + EscapeICSText(ev.UID))
	line("DTSTAMP:" + stamp.UTC().Format(icsUTC))
	if ev.AllDay {
		start := ev.Day.In(time.UTC)
		line("DTSTART;VALUE=DATE:" + start.Format(icsDate))
		line("DTEND;VALUE=DATE:" + start.AddDate(0, 0, 1).Format(icsDate))
	} else {
		line("DTSTART:" + ev.Start.UTC().Format(icsUTC))
		if !ev.End.IsZero() && ev.End.After(ev.Start) {
			line("DTEND:" + ev.End.UTC().Format(icsUTC))
		}
	}
	line("SUMMARY:" + EscapeICSText(ev.Summary))
	if ev.Description != "" {
		line("DESCRIPTION:" + EscapeICSText(ev.Description))
	}
	if ev.Location != "" {
		line("LOCATION:" + EscapeICSText(ev.Location))
	}
	if ev.URL != "" && !frontdesk.HasControlChars(ev.URL) {
		line("URL:" + ev.URL)
	}
	if ev.Status != "" {
		line("STATUS:" + ev.Status)
	}
	if ev.Sequence > 0 {
		line("SEQUENCE:" + strconv.Itoa(ev.Sequence))
	}
	line("TRANSP:OPAQUE")
	line("END:VEVENT")
}

// icsDuration writes d as an RFC 5545 DURATION in whole seconds, e.g. PT1H.
func icsDuration(d time.Duration) string {
	s := int64(d / time.Second)
	if s <= 0 {
		return "PT0S"
	}
	out := "PT"
	if h := s / 3600; h > 0 {
		out += fmt.Sprintf("%dH", h)
	}
	if m := s % 3600 / 60; m > 0 {
		out += fmt.Sprintf("%dM", m)
	}
	if sec := s % 60; sec > 0 {
		out += fmt.Sprintf("%dS", sec)
	}
	return out
}

// bookingEvent returns the when and the identity of a booking's calendar
// event, as the booking's emails attach it: UID from the booking id, DTSTAMP
// from its last change, SEQUENCE from its CalendarSequence, a timed event
// in UTC for a TIMESLOT booking, an all-day event for a DATE booking, and
// the status. It fails for a booking without an id or without a date and
// start.
func bookingEvent(d BookingEmailData) (ICSEvent, error) {
	b := d.Booking
	if b.ID == "" {
		return ICSEvent{}, errors.New("mail: calendar event needs the booking id")
	}
	ev := ICSEvent{UID: BookingUID(b.ID), Stamp: b.UpdatedAt, Sequence: b.CalendarSequence}
	if ev.Stamp.IsZero() {
		ev.Stamp = b.CreatedAt
	}
	switch b.Status {
	case frontdesk.StatusConfirmed:
		ev.Status = "CONFIRMED"
	case frontdesk.StatusPending:
		ev.Status = "TENTATIVE"
	case frontdesk.StatusCanceled, frontdesk.StatusRefunded, frontdesk.StatusExpired:
		ev.Status = "CANCELLED"
	}
	switch {
	case b.StartAt != nil:
		ev.Start = *b.StartAt
		ev.End = endOf(d)
	case !b.Date.IsZero():
		ev.AllDay, ev.Day = true, b.Date
	default:
		return ICSEvent{}, errors.New("mail: calendar event needs the booking's date or start time")
	}
	return ev, nil
}

// FeedEvent returns a booking as an event of the business's own calendar
// feed: the same UID, time and status as the event attached to the booking's
// emails, titled "<service> – <customer>", and described for the owner
// (confirmation code, status, the customer's email and phone, the notes).
// d.Tenant and d.Booking are required; PublicURL, when set, links the event
// to the booking in the dashboard. It fails for a booking that cannot be
// placed in a calendar (no id, no date).
func FeedEvent(d BookingEmailData) (ICSEvent, error) {
	if d.Tenant == nil || d.Booking == nil {
		return ICSEvent{}, errors.New("mail: calendar event needs the tenant and the booking")
	}
	ev, err := bookingEvent(d)
	if err != nil {
		return ICSEvent{}, err
	}
	b := d.Booking
	c := b.Customer
	if d.Customer != nil {
		c = *d.Customer
	}
	ev.Summary = serviceName(d)
	if name := oneLine(c.Name); name != "" {
		ev.Summary += " – " + name
	}
	var desc []string
	if b.ConfirmationCode != "" {
		desc = append(desc, "Confirmation code: "+b.ConfirmationCode)
	}
	desc = append(desc, "Status: "+statusText(b.Status))
	if name := oneLine(c.Name); name != "" {
		desc = append(desc, "Customer: "+name)
	}
	if email := oneLine(c.Email); email != "" {
		desc = append(desc, "Email: "+email)
	}
	if phone := oneLine(c.Phone); phone != "" {
		desc = append(desc, "Phone: "+phone)
	}
	if notes := strings.TrimSpace(b.Notes); notes != "" {
		desc = append(desc, "Notes: "+notes)
	}
	ev.Description = strings.Join(desc, "\n")
	ev.Location = strings.TrimSpace(d.Tenant.Info.Address)
	if d.PublicURL != "" {
		ev.URL = strings.TrimRight(d.PublicURL, "/") + "/dashboard/bookings/" + b.ID
	}
	return ev, nil
}

// EscapeICSText escapes a TEXT value per RFC 5545 §3.3.11: backslash,
// semicolon and comma get a backslash, a line break becomes "\n", and other
// control characters (forbidden in TEXT) are dropped.
func EscapeICSText(s string) string {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		switch {
		case r == '\\':
			b.WriteString(`\\`)
		case r == ';':
			b.WriteString(`\;`)
		case r == ',':
			b.WriteString(`\,`)
		case r == '\n' || r == '\r':
			b.WriteString(`\n`)
		case r == '\t':
			b.WriteByte(' ')
		case r < 0x20 || r == 0x7f:
			// dropped
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// writeFolded writes one content line followed by CRLF, folded so that no
// physical line exceeds 75 octets (RFC 5545 §3.1): a continuation line
// starts with one space, and a UTF-8 sequence is never split.
func writeFolded(b *strings.Builder, s string) {
	const limit = 75
	first := true
	for {
		room := limit
		if !first {
			room = limit - 1 // room for the leading space
		}
		if len(s) <= room {
			if !first {
				b.WriteByte(' ')
			}
			b.WriteString(s)
			b.WriteString("\r\n")
			return
		}
		cut := room
		for cut > 0 && !utf8.RuneStart(s[cut]) {
			cut--
		}
		if !first {
			b.WriteByte(' ')
		}
		b.WriteString(s[:cut])
		b.WriteString("\r\n")
		s = s[cut:]
		first = false
	}
}
