package mail

import (
	"strings"
	"testing"
	"time"

	"github.com/frontdeskhq/frontdesk"
)

// icsLines checks that every line of a calendar ends in CRLF, that no line
// is longer than 75 octets, and returns the unfolded content lines.
func icsLines(t *testing.T, ics []byte) []string {
	t.Helper()
	s := string(ics)
	if !strings.HasSuffix(s, "\r\n") {
		t.Fatalf("calendar does not end with CRLF: %q", s)
	}
	physical := strings.Split(strings.TrimSuffix(s, "\r\n"), "\r\n")
	var logical []string
	for i, l := range physical {
		if strings.ContainsAny(l, "\r\n") {
			t.Errorf("line %d has a bare CR or LF: %q", i, l)
		}
		if len(l) > 75 {
			t.Errorf("line %d is %d octets: %q", i, len(l), l)
		}
		if strings.HasPrefix(l, " ") {
			if len(logical) == 0 {
				t.Fatalf("calendar starts with a continuation line")
			}
			logical[len(logical)-1] += l[1:]
			continue
		}
		logical = append(logical, l)
	}
	return logical
}

func checkStructure(t *testing.T, lines []string) map[string]string {
	t.Helper()
	want := []string{"BEGIN:VCALENDAR", "VERSION:2.0", "METHOD:PUBLISH", "BEGIN:VEVENT", "END:VEVENT", "END:VCALENDAR"}
	pos := map[string]int{}
	for i, l := range lines {
		pos[l] = i
	}
	for _, w := range want {
		if _, ok := pos[w]; !ok {
			t.Errorf("no %q line in %q", w, lines)
		}
	}
	if lines[0] != "BEGIN:VCALENDAR" || lines[len(lines)-1] != "END:VCALENDAR" {
		t.Errorf("calendar not framed by BEGIN/END:VCALENDAR: %q", lines)
	}
	if !(pos["BEGIN:VEVENT"] < pos["END:VEVENT"]) {
		t.Errorf("VEVENT out of order")
	}
	props := map[string]string{}
	for _, l := range lines {
		name, value, ok := strings.Cut(l, ":")
		if !ok {
			t.Errorf("line without a colon: %q", l)
			continue
		}
		props[name] = value
	}
	return props
}

func TestICSTimeslot(t *testing.T) {
	d := fixture()
	d.Package.Name = "Portrait, colour; large \\ \"deluxe\"\nsession with a rather long name that goes on and on — Zoë’s favourite"
	ics, err := BookingICS(d)
	if err != nil {
		t.Fatal(err)
	}
	props := checkStructure(t, icsLines(t, ics))
	if got := props["UID"]; got != d.Booking.ID+"@frontdesk" {
		t.Errorf("UID = %q", got)
	}
	if got := props["DTSTART"]; got != "20261215T140000Z" {
		t.Errorf("DTSTART = %q, want UTC 20261215T140000Z", got)
	}
	if got := props["DTEND"]; got != "20261215T150000Z" {
		t.Errorf("DTEND = %q", got)
	}
	if got := props["DTSTAMP"]; !strings.HasSuffix(got, "Z") || len(got) != 16 {
		t.Errorf("DTSTAMP = %q", got)
	}
	wantSummary := `Portrait\, colour\; large \\ "deluxe" session with a rather long name that goes on and on — Zoë’s favourite – Studio Lumen`
	if got := props["SUMMARY"]; got != wantSummary {
		t.Errorf("SUMMARY = %q\nwant      %q", got, wantSummary)
	}
	if got := props["DESCRIPTION"]; !strings.Contains(got, `BK-ABC234\nTo cancel or reschedule\, contact`) {
		t.Errorf("DESCRIPTION = %q", got)
	}
	if props["STATUS"] != "TENTATIVE" {
		t.Errorf("STATUS = %q", props["STATUS"])
	}
	if !strings.Contains(string(ics), "\r\n ") {
		t.Errorf("long SUMMARY was not folded:\n%s", ics)
	}
}

func TestICSDate(t *testing.T) {
	d := fixture()
	d.Booking.BookingType = frontdesk.BookingDate
	d.Booking.StartAt, d.Booking.EndAt = nil, nil
	d.Booking.Date = frontdesk.Date{Year: 2026, Month: 12, Day: 31}
	d.Booking.Status = frontdesk.StatusConfirmed
	ics, err := BookingICS(d)
	if err != nil {
		t.Fatal(err)
	}
	props := checkStructure(t, icsLines(t, ics))
	if got := props["DTSTART;VALUE=DATE"]; got != "20261231" {
		t.Errorf("DTSTART;VALUE=DATE = %q (props %v)", got, props)
	}
	if got := props["DTEND;VALUE=DATE"]; got != "20270101" {
		t.Errorf("DTEND;VALUE=DATE = %q", got)
	}
	if _, ok := props["DTSTART"]; ok {
		t.Error("a DATE booking has a timed DTSTART")
	}
	if props["STATUS"] != "CONFIRMED" {
		t.Errorf("STATUS = %q", props["STATUS"])
	}
}

func TestICSFoldingKeepsUTF8(t *testing.T) {
	long := strings.Repeat("é", 100) + strings.Repeat("x", 37) + strings.Repeat("😀", 30)
	ics, err := BuildICS(ICSEvent{UID: "u", Start: time.Unix(0, 0), Summary: long})
	if err != nil {
		t.Fatal(err)
	}
	props := checkStructure(t, icsLines(t, ics))
	if props["SUMMARY"] != long {
		t.Errorf("unfolded SUMMARY differs:\n%q\n%q", props["SUMMARY"], long)
	}
	for _, l := range strings.Split(string(ics), "\r\n") {
		if !utf8Valid(l) {
			t.Errorf("a fold split a UTF-8 sequence: %q", l)
		}
	}
}

func utf8Valid(s string) bool { return strings.ToValidUTF8(s, "\uFFFD") == s }

func TestEscapeICSText(t *testing.T) {
	for in, want := range map[string]string{
		`a\b`:         `a\\b`,
		"a,b;c":       `a\,b\;c`,
		"line1\r\nl2": `line1\nl2`,
		"x\ny\rz":     `x\ny\nz`,
		"bell\x07":    "bell",
		"colon: ok":   "colon: ok",
	} {
		if got := EscapeICSText(in); got != want {
			t.Errorf("EscapeICSText(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestICSNeedsIDAndTime(t *testing.T) {
	d := fixture()
	d.Booking.ID = ""
	if _, err := BookingICS(d); err == nil {
		t.Error("no booking id: no error")
	}
	d = fixture()
	d.Booking.StartAt, d.Booking.Date = nil, frontdesk.Date{}
	if _, err := BookingICS(d); err == nil {
		t.Error("no date: no error")
	}
	// The confirmation still goes out, without the calendar file.
	e := mustRender(t, BookingReceived, d)
	if len(e.Attachments) != 0 {
		t.Errorf("attachments = %d", len(e.Attachments))
	}
}
