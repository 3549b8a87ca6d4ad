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

// feedEvents splits a calendar's unfolded lines into its own properties and
// one property map per VEVENT.
func feedEvents(t *testing.T, lines []string) (cal map[string]string, events []map[string]string) {
	t.Helper()
	cal = map[string]string{}
	var ev map[string]string
	for _, l := range lines {
		switch l {
		case "BEGIN:VEVENT":
			if ev != nil {
				t.Fatalf("nested VEVENT in %q", lines)
			}
			ev = map[string]string{}
			continue
		case "END:VEVENT":
			events = append(events, ev)
			ev = nil
			continue
		}
		name, value, ok := strings.Cut(l, ":")
		if !ok {
			t.Fatalf("line without a colon: %q", l)
		}
		if ev != nil {
			ev[name] = value
		} else {
			cal[name] = value
		}
	}
	return cal, events
}

func TestBuildFeed(t *testing.T) {
	timed := fixture()
	timed.Customer.Name = "Ann; X:Y\nBEGIN:VEVENT"
	timed.Booking.Notes = "line1\nline2, with; a \\ backslash"
	allDay := fixture()
	allDay.Booking.ID = "fedcba9876543210fedcba9876543210"
	allDay.Booking.BookingType = frontdesk.BookingDate
	allDay.Booking.StartAt, allDay.Booking.EndAt = nil, nil
	allDay.Booking.Date = frontdesk.Date{Year: 2026, Month: 12, Day: 31}
	allDay.Booking.Status = frontdesk.StatusConfirmed
	allDay.Package = nil
	allDay.Booking.PackageName = "Wedding, full day"
	allDay.Customer = nil
	allDay.Booking.Customer = frontdesk.Customer{Name: "Bo Berg", Email: "bo@example.com"}

	var events []ICSEvent
	for _, d := range []BookingEmailData{timed, allDay} {
		ev, err := FeedEvent(d)
		if err != nil {
			t.Fatal(err)
		}
		events = append(events, ev)
	}
	ics, err := BuildFeed(FeedCalendar{Name: "Studio Lumen, Berlin; café", TimeZone: "Europe/Berlin"}, events)
	if err != nil {
		t.Fatal(err)
	}
	lines := icsLines(t, ics)
	checkStructure(t, lines)
	cal, evs := feedEvents(t, lines)
	for name, want := range map[string]string{
		"VERSION":                         "2.0",
		"METHOD":                          "PUBLISH",
		"PRODID":                          "-//Frontdesk//Bookings//EN",
		"X-WR-CALNAME":                    `Studio Lumen\, Berlin\; café`,
		"X-WR-TIMEZONE":                   "Europe/Berlin",
		"REFRESH-INTERVAL;VALUE=DURATION": "PT1H",
		"X-PUBLISHED-TTL":                 "PT1H",
	} {
		if got := cal[name]; got != want {
			t.Errorf("calendar %s = %q, want %q", name, got, want)
		}
	}
	if len(evs) != 2 {
		t.Fatalf("%d events, want 2:\n%s", len(evs), ics)
	}

	// The timed booking: the same event as its email's, titled for the owner.
	emailProps := checkStructure(t, icsLines(t, mustICS(t, timed)))
	for _, p := range []string{"UID", "DTSTAMP", "DTSTART", "DTEND", "STATUS"} {
		if evs[0][p] != emailProps[p] {
			t.Errorf("timed %s: feed %q, email %q", p, evs[0][p], emailProps[p])
		}
	}
	if want := `Portrait session – Ann\; X:Y BEGIN:VEVENT`; evs[0]["SUMMARY"] != want {
		t.Errorf("timed SUMMARY = %q, want %q", evs[0]["SUMMARY"], want)
	}
	wantDesc := `Confirmation code: BK-ABC234\nStatus: Pending (awaiting payment)\nCustomer: Ann\; X:Y BEGIN:VEVENT\n` +
		`Email: ann@example.com\nPhone: +1 555 0100\nNotes: line1\nline2\, with\; a \\ backslash`
	if evs[0]["DESCRIPTION"] != wantDesc {
		t.Errorf("timed DESCRIPTION = %q\nwant                %q", evs[0]["DESCRIPTION"], wantDesc)
	}
	if want := "https://frontdesk.example/dashboard/bookings/" + timed.Booking.ID; evs[0]["URL"] != want {
		t.Errorf("URL = %q, want %q", evs[0]["URL"], want)
	}

	// The DATE booking: an all-day event, names from the booking itself.
	emailProps = checkStructure(t, icsLines(t, mustICS(t, allDay)))
	for _, p := range []string{"UID", "DTSTART;VALUE=DATE", "DTEND;VALUE=DATE", "STATUS"} {
		if evs[1][p] != emailProps[p] {
			t.Errorf("all-day %s: feed %q, email %q", p, evs[1][p], emailProps[p])
		}
	}
	if evs[1]["UID"] != BookingUID(allDay.Booking.ID) || evs[1]["DTSTART;VALUE=DATE"] != "20261231" ||
		evs[1]["DTEND;VALUE=DATE"] != "20270101" || evs[1]["STATUS"] != "CONFIRMED" {
		t.Errorf("all-day event %v", evs[1])
	}
	if want := `Wedding\, full day – Bo Berg`; evs[1]["SUMMARY"] != want {
		t.Errorf("all-day SUMMARY = %q, want %q", evs[1]["SUMMARY"], want)
	}
	if strings.Count(string(ics), "\r\nBEGIN:VEVENT\r\n") != 2 {
		t.Errorf("the customer's name opened a VEVENT:\n%s", ics)
	}
}

func mustICS(t *testing.T, d BookingEmailData) []byte {
	t.Helper()
	ics, err := BookingICS(d)
	if err != nil {
		t.Fatal(err)
	}
	return ics
}

func TestBuildFeedEmptyAndInvalid(t *testing.T) {
	ics, err := BuildFeed(FeedCalendar{Name: "Empty", Refresh: 90 * time.Minute}, nil)
	if err != nil {
		t.Fatal(err)
	}
	lines := icsLines(t, ics)
	cal, evs := feedEvents(t, lines)
	if len(evs) != 0 || cal["REFRESH-INTERVAL;VALUE=DURATION"] != "PT1H30M" || cal["X-PUBLISHED-TTL"] != "PT1H30M" {
		t.Errorf("empty feed:\n%s", ics)
	}
	if _, ok := cal["X-WR-TIMEZONE"]; ok {
		t.Error("X-WR-TIMEZONE without a time zone")
	}
	for name, ev := range map[string]ICSEvent{
		"no UID":          {Start: time.Unix(0, 0)},
		"no start":        {UID: "u"},
		"all-day undated": {UID: "u", AllDay: true},
	} {
		if _, err := BuildFeed(FeedCalendar{}, []ICSEvent{{UID: "ok", Start: time.Unix(0, 0)}, ev}); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
	d := fixture()
	d.Booking.StartAt, d.Booking.Date = nil, frontdesk.Date{}
	if _, err := FeedEvent(d); err == nil {
		t.Error("FeedEvent of a booking without a date: no error")
	}
}

// TestBuildICSGolden pins BuildICS's bytes (taken from the implementation
// before the feed shared its event writer), so attachments already in
// customers' calendars keep matching.
func TestBuildICSGolden(t *testing.T) {
	stamp := time.Date(2026, 12, 1, 9, 30, 0, 0, time.UTC)
	start := time.Date(2026, 12, 15, 14, 0, 0, 0, time.UTC)
	for name, c := range map[string]struct {
		ev   ICSEvent
		want string
	}{
		"timed": {ICSEvent{UID: "b1@frontdesk", Stamp: stamp, Start: start, End: start.Add(time.Hour),
			Summary: "Portrait, colour; large – Studio", Description: "Code: BK-ABC234\nCall us", Location: "1 Main St", Status: "TENTATIVE"},
			"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Frontdesk//Bookings//EN\r\nCALSCALE:GREGORIAN\r\nMETHOD:PUBLISH\r\nBEGIN:VEVENT\r\nUID:b1@frontdesk\r\nDTSTAMP:20261201T093000Z\r\nDTSTART:20261215T140000Z\r\nDTEND:20261215T150000Z\r\nSUMMARY:Portrait\\, colour\\; large – Studio\r\nDESCRIPTION:Code: BK-ABC234\\nCall us\r\nLOCATION:1 Main St\r\nSTATUS:TENTATIVE\r\nTRANSP:OPAQUE\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"},
		"all day": {ICSEvent{UID: "b2@frontdesk", Stamp: stamp, AllDay: true, Day: frontdesk.Date{Year: 2026, Month: 12, Day: 31}, Summary: "Wedding", Status: "CONFIRMED"},
			"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Frontdesk//Bookings//EN\r\nCALSCALE:GREGORIAN\r\nMETHOD:PUBLISH\r\nBEGIN:VEVENT\r\nUID:b2@frontdesk\r\nDTSTAMP:20261201T093000Z\r\nDTSTART;VALUE=DATE:20261231\r\nDTEND;VALUE=DATE:20270101\r\nSUMMARY:Wedding\r\nSTATUS:CONFIRMED\r\nTRANSP:OPAQUE\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"},
	} {
		got, err := BuildICS(c.ev)
		if err != nil {
			t.Fatal(err)
		}
		if string(got) != c.want {
			t.Errorf("%s:\n got %q\nwant %q", name, got, c.want)
		}
	}
}

func TestBuildICSMethodAndSequence(t *testing.T) {
	start := time.Date(2026, 12, 15, 14, 0, 0, 0, time.UTC)
	for _, c := range []struct {
		name           string
		ev             ICSEvent
		method, seq    string
		hasSequenceTag bool
	}{
		{"default", ICSEvent{UID: "b1@frontdesk", Start: start}, "PUBLISH", "", false},
		{"publish revision 2", ICSEvent{UID: "b1@frontdesk", Start: start, Sequence: 2, Method: MethodPublish}, "PUBLISH", "2", true},
		{"cancel", ICSEvent{UID: "b1@frontdesk", Start: start, Sequence: 5, Method: MethodCancel, Status: "CANCELLED"}, "CANCEL", "5", true},
	} {
		t.Run(c.name, func(t *testing.T) {
			ics, err := BuildICS(c.ev)
			if err != nil {
				t.Fatal(err)
			}
			cal, evs := feedEvents(t, icsLines(t, ics))
			if cal["METHOD"] != c.method || len(evs) != 1 {
				t.Fatalf("METHOD %q, %d events:\n%s", cal["METHOD"], len(evs), ics)
			}
			seq, ok := evs[0]["SEQUENCE"]
			if seq != c.seq || ok != c.hasSequenceTag {
				t.Errorf("SEQUENCE %q (present %v), want %q:\n%s", seq, ok, c.seq, ics)
			}
		})
	}
	if _, err := BuildICS(ICSEvent{UID: "b1@frontdesk", Start: start, Method: "REQUEST"}); err == nil {
		t.Error("BuildICS with METHOD:REQUEST: no error")
	}
}

func TestICSContentTypeFor(t *testing.T) {
	for method, want := range map[string]string{
		"":            ICSContentType,
		MethodPublish: "text/calendar; charset=utf-8; method=PUBLISH",
		MethodCancel:  "text/calendar; charset=utf-8; method=CANCEL",
	} {
		if got := ICSContentTypeFor(method); got != want {
			t.Errorf("ICSContentTypeFor(%q) = %q, want %q", method, got, want)
		}
	}
}

// The feed shows a booking at the revision its emails last sent, so a
// subscribed calendar and an imported attachment agree.
func TestFeedEventCarriesSequence(t *testing.T) {
	d := fixture()
	d.Booking.CalendarSequence = 4
	ev, err := FeedEvent(d)
	if err != nil {
		t.Fatal(err)
	}
	ics, err := BuildFeed(FeedCalendar{Name: "x"}, []ICSEvent{ev})
	if err != nil {
		t.Fatal(err)
	}
	cal, evs := feedEvents(t, icsLines(t, ics))
	if cal["METHOD"] != "PUBLISH" || evs[0]["SEQUENCE"] != "4" {
		t.Errorf("feed:\n%s", ics)
	}
}
