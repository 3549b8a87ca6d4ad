package mail

import (
	"errors"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/frontdeskhq/frontdesk"
)

// ICSContentType is the MIME type of the calendar attachment.
const ICSContentType = "text/calendar; charset=utf-8; method=PUBLISH"

const (
	icsUTC  = "20060102T150405Z"
	icsDate = "20060102"
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
	Status      string // TENTATIVE, CONFIRMED or CANCELLED; empty: none
}

// BuildICS renders one event as an RFC 5545 calendar (METHOD:PUBLISH) with
// CRLF line endings, TEXT values escaped and lines folded at 75 octets.
func BuildICS(ev ICSEvent) ([]byte, error) {
	if ev.UID == "" {
		return nil, errors.New("ics: event has no UID")
	}
	if ev.AllDay && ev.Day.IsZero() {
		return nil, errors.New("ics: all-day event has no day")
	}
	if !ev.AllDay && ev.Start.IsZero() {
		return nil, errors.New("ics: timed event has no start")
	}
	stamp := ev.Stamp
	if stamp.IsZero() {
		stamp = time.Now()
	}
	var b strings.Builder
	line := func(s string) { writeFolded(&b, s) }
	line("BEGIN:VCALENDAR")
	line("VERSION:2.0")
	line("PRODID:-//Frontdesk//Bookings//EN")
	line("CALSCALE:GREGORIAN")
	line("METHOD:PUBLISH")
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
	if ev.Status != "" {
		line("STATUS:" + ev.Status)
	}
	line("TRANSP:OPAQUE")
	line("END:VEVENT")
	line("END:VCALENDAR")
	return []byte(b.String()), nil
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
