package guided

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/frontdeskhq/frontdesk"
)

// testNow is Thursday 10 December 2026, 10:00 in New York.
var testNow = time.Date(2026, 12, 10, 15, 0, 0, 0, time.UTC)

func testTenant() *frontdesk.Tenant {
	return &frontdesk.Tenant{ID: "t1", Name: "Lumen Studio", Slug: "lumen", TimeZone: "America/New_York", Currency: "usd"}
}

// toolCall is one call the fake recorded.
type toolCall struct {
	Name  string
	Input json.RawMessage
}

// fakeTools answers the four tools as the real ones do, for a photography
// studio in New York: a whole-day wedding package (open every day but
// Sunday, 12 and 19 December booked) and two slot packages (weekdays 9:00
// to 17:00, not in the past).
type fakeTools struct {
	now      time.Time
	loc      *time.Location
	services []frontdesk.ServiceOut
	booked   map[string]bool // DATE days already booked
	info     frontdesk.GetBusinessInfoOut
	// bookErrors are returned, in order, by the next book_service calls.
	bookErrors []string
	// garbage makes every tool answer text that is not JSON.
	garbage bool
	calls   []toolCall
	// changeErrors are returned, in order, by the next cancel_booking and
	// reschedule_booking calls.
	changeErrors []fakeFailure
	// failedLookups counts look-ups that found nothing.
	failedLookups int
}

// The customer's booking that cancel_booking and reschedule_booking find:
// a Portrait Session on Monday 14 December 2026 at 10:00.
const (
	bookingCode  = "BK-7XK3QM"
	bookingEmail = "ann@example.com"
)

// fakeFailure is a change tool's failure as chat answers it.
type fakeFailure struct {
	Success   bool   `json:"success"`
	Error     string `json:"error"`
	Code      string `json:"code"`
	Field     string `json:"field,omitempty"`
	TriesLeft *int   `json:"triesLeft,omitempty"`
}

func newFakeTools() *fakeTools {
	loc, err := time.LoadLocation("America/New_York")
	if err != nil {
		panic(err)
	}
	return &fakeTools{
		now: testNow,
		loc: loc,
		services: []frontdesk.ServiceOut{
			{ID: "pkg_mini", Slug: "mini-session", Name: "Mini Session", Description: "A quick 30-minute shoot. Ten edited photos.", PriceCents: 15000, Price: "$150.00", Currency: "usd", BookingType: frontdesk.BookingTimeslot, DurationMinutes: 30},
			{ID: "pkg_wedding", Slug: "wedding-photography", Name: "Wedding Photography", Description: "The whole day, from getting ready to the last dance.", PriceCents: 250000, Price: "$2,500.00", Currency: "usd", BookingType: frontdesk.BookingDate},
			{ID: "pkg_portrait", Slug: "portrait-session", Name: "Portrait Session", Description: "An hour in the studio.", PriceCents: 30000, Price: "$300.00", Currency: "usd", BookingType: frontdesk.BookingTimeslot, DurationMinutes: 60},
		},
		booked: map[string]bool{"2026-12-12": true, "2026-12-19": true},
		info: frontdesk.GetBusinessInfoOut{
			Success: true,
			Name:    "Lumen Studio",
			Email:   "hello@lumen.example",
			Hours:   "Monday to Friday, 9am to 5pm",
			Info: frontdesk.BusinessInfo{
				Policies: map[string]string{
					"cancellation": "Free cancellation up to 48 hours before your session",
					"refund":       "Deposits are refunded within 5 business days",
				},
				FAQ: []frontdesk.FAQ{
					{Question: "Do you travel for shoots?", Answer: "Yes, anywhere within 50 miles of the studio at no extra cost."},
				},
				Phone:   "+1 212 555 0100",
				Address: "12 Main St, New York",
			},
		},
	}
}

func (f *fakeTools) RunTool(_ context.Context, name string, input json.RawMessage) json.RawMessage {
	f.calls = append(f.calls, toolCall{name, append(json.RawMessage(nil), input...)})
	if f.garbage {
		return json.RawMessage(`<html>502 Bad Gateway</html>`)
	}
	var out any
	switch name {
	case frontdesk.ToolGetServices:
		out = frontdesk.GetServicesOut{Success: true, Services: f.services}
	case frontdesk.ToolCheckAvailability:
		out = f.checkAvailability(input)
	case frontdesk.ToolGetBusinessInfo:
		out = f.info
	case frontdesk.ToolBookService:
		out = f.bookService(input)
	case frontdesk.ToolCancelBooking, frontdesk.ToolRescheduleBooking:
		out = f.change(name, input)
	case frontdesk.ToolRequestHuman:
		out = f.requestHuman(input)
	default:
		out = frontdesk.ToolError{Error: "Unknown tool " + name}
	}
	b, err := json.Marshal(out)
	if err != nil {
		panic(err)
	}
	return b
}

func (f *fakeTools) service(idOrSlug string) (frontdesk.ServiceOut, bool) {
	for _, s := range f.services {
		if s.ID == idOrSlug || s.Slug == idOrSlug {
			return s, true
		}
	}
	return frontdesk.ServiceOut{}, false
}

func (f *fakeTools) checkAvailability(input json.RawMessage) any {
	var in frontdesk.CheckAvailabilityIn
	if err := json.Unmarshal(input, &in); err != nil {
		return frontdesk.ToolError{Error: "The request was not valid JSON."}
	}
	svc, ok := f.service(in.PackageID)
	if !ok {
		return frontdesk.ToolError{Error: "That service was not found."}
	}
	today := frontdesk.DateOf(f.now.In(f.loc))
	start, end := today, today.AddDays(14)
	var err error
	if in.StartDate != "" {
		if start, err = frontdesk.ParseDate(in.StartDate); err != nil {
			return frontdesk.ToolError{Error: "startDate: use YYYY-MM-DD."}
		}
	}
	if in.EndDate != "" {
		if end, err = frontdesk.ParseDate(in.EndDate); err != nil {
			return frontdesk.ToolError{Error: "endDate: use YYYY-MM-DD."}
		}
	}
	out := frontdesk.CheckAvailabilityOut{
		Success: true, PackageID: svc.ID, PackageName: svc.Name, BookingType: svc.BookingType,
		TimeZone: f.loc.String(), StartDate: start.String(), EndDate: end.String(),
	}
	for d := start; !d.After(end); d = d.AddDays(1) {
		if d.Before(today) {
			continue
		}
		if svc.BookingType == frontdesk.BookingDate {
			if d.Weekday() != time.Sunday && !f.booked[d.String()] {
				out.Dates = append(out.Dates, d.String())
			}
			continue
		}
		if d.Weekday() == time.Saturday || d.Weekday() == time.Sunday {
			continue
		}
		for m := 9 * 60; m+svc.DurationMinutes <= 17*60; m += svc.DurationMinutes {
			t := d.In(f.loc).Add(time.Duration(m) * time.Minute)
			if !t.After(f.now) {
				continue
			}
			if n := len(out.Days); n == 0 || out.Days[n-1].Date != d.String() {
				out.Days = append(out.Days, frontdesk.DayOut{Date: d.String()})
			}
			out.Days[len(out.Days)-1].Times = append(out.Days[len(out.Days)-1].Times, t.Format("15:04"))
		}
	}
	return out
}

func (f *fakeTools) bookService(input json.RawMessage) any {
	var in frontdesk.BookServiceIn
	if err := json.Unmarshal(input, &in); err != nil {
		return frontdesk.ToolError{Error: "The request was not valid JSON."}
	}
	if len(f.bookErrors) > 0 {
		e := f.bookErrors[0]
		f.bookErrors = f.bookErrors[1:]
		return frontdesk.ToolError{Error: e}
	}
	svc, ok := f.service(in.PackageID)
	switch {
	case !ok:
		return frontdesk.ToolError{Error: "That service was not found."}
	case in.CustomerName == "" || in.CustomerEmail == "":
		return frontdesk.ToolError{Error: "customerName and customerEmail are required."}
	case svc.BookingType == frontdesk.BookingTimeslot && in.StartTime == "":
		return frontdesk.ToolError{Error: "startTime is required for this service."}
	}
	when := in.Date
	if in.StartTime != "" {
		t, err := time.Parse(time.RFC3339, in.StartTime)
		if err != nil {
			return frontdesk.ToolError{Error: "startTime: use RFC 3339."}
		}
		when = t.In(f.loc).Format("Mon 2 Jan 2006, 3:04 PM")
	}
	return frontdesk.BookServiceOut{
		Success:    true,
		ProposalID: fmt.Sprintf("prop_%d", len(f.calls)),
		Preview:    fmt.Sprintf("%s on %s for %s (%s). Total %s.", svc.Name, when, in.CustomerName, in.CustomerEmail, svc.Price),
		ExpiresAt:  f.now.Add(frontdesk.ProposalTTL).Format(time.RFC3339),
		Message:    "Please ask the customer to confirm.",
	}
}

// callsOf returns the inputs of the calls of one tool.
func (f *fakeTools) callsOf(name string) []json.RawMessage {
	var out []json.RawMessage
	for _, c := range f.calls {
		if c.Name == name {
			out = append(out, c.Input)
		}
	}
	return out
}

func (f *fakeTools) names() string {
	var n []string
	for _, c := range f.calls {
		n = append(n, c.Name)
	}
	return strings.Join(n, ",")
}

// change answers cancel_booking and reschedule_booking as chat does, for
// the one booking bookingCode of bookingEmail. A move must land on a
// weekday at a whole hour from 9:00 to 16:00.
func (f *fakeTools) change(name string, input json.RawMessage) any {
	var in frontdesk.RescheduleBookingIn // a superset of CancelBookingIn
	if err := json.Unmarshal(input, &in); err != nil {
		return fakeFailure{Error: "The tool input was not valid.", Code: frontdesk.EInvalid}
	}
	if len(f.changeErrors) > 0 {
		e := f.changeErrors[0]
		f.changeErrors = f.changeErrors[1:]
		return e
	}
	if in.BookingReference != bookingCode || in.CustomerEmail != bookingEmail {
		f.failedLookups++
		left := max(5-f.failedLookups, 0)
		return fakeFailure{Error: "No booking matches that confirmation code and email. Please check both (the code looks like BK-7XK3QM and is in your confirmation email).",
			Code: frontdesk.ENotFound, TriesLeft: &left}
	}
	const was = "Monday 14 December 2026, 10:00 AM EST"
	proposal := func(preview string) any {
		return frontdesk.ChangeProposalOut{Success: true, ProposalID: fmt.Sprintf("prop_%d", len(f.calls)), Preview: preview,
			ExpiresAt: f.now.Add(frontdesk.ProposalTTL).Format(time.RFC3339), Message: "Ask the customer to confirm."}
	}
	if name == frontdesk.ToolCancelBooking {
		return proposal("Cancel Portrait Session on " + was + " (BK-7XK3QM). Refund: $300.00 of $300.00 paid.")
	}
	d, err := frontdesk.ParseDate(in.NewDate)
	if err != nil {
		return fakeFailure{Error: "newDate: Give the new day as YYYY-MM-DD.", Code: frontdesk.EInvalid, Field: "newDate"}
	}
	const open = "Open that day: 9:00 AM EST, 10:00 AM EST, 11:00 AM EST, 2:00 PM EST."
	switch {
	case d.Weekday() == time.Saturday || d.Weekday() == time.Sunday:
		return fakeFailure{Error: "We are not open on that day. Please choose another date. Nothing is open that day; try another day.", Code: frontdesk.ESlotUnavailable}
	case in.NewTime == "":
		return fakeFailure{Error: "newTime: Please choose a start time for this service. " + open, Code: frontdesk.EInvalid, Field: "newTime"}
	}
	t, err := time.ParseInLocation("2006-01-02 15:04", in.NewDate+" "+in.NewTime, f.loc)
	if err != nil || t.Minute() != 0 || t.Hour() < 9 || t.Hour() > 16 || t.Hour() == 12 {
		return fakeFailure{Error: "That time is no longer available. Please pick another time. " + open, Code: frontdesk.ESlotUnavailable}
	}
	return proposal("Move Portrait Session (BK-7XK3QM) from " + was + " to " + t.Format("Monday 2 January 2006, 3:04 PM MST") + ".")
}

// requestHuman answers request_human as chat does.
func (f *fakeTools) requestHuman(input json.RawMessage) any {
	var in frontdesk.RequestHumanIn
	if err := json.Unmarshal(input, &in); err != nil || strings.TrimSpace(in.Reason) == "" {
		return fakeFailure{Error: "reason: must say in 1 to 500 characters what you need help with", Code: frontdesk.EInvalid, Field: "reason"}
	}
	if in.CustomerEmail != "" && !strings.Contains(in.CustomerEmail, "@") {
		return fakeFailure{Error: "customerEmail: must be an email address like name@example.com", Code: frontdesk.EInvalid, Field: "customerEmail"}
	}
	msg := "Thanks, I've passed this to the team at Lumen Studio."
	if in.CustomerEmail != "" {
		msg += " Someone will get back to you soon."
	} else {
		msg += " Leave an email or phone number if you'd like them to contact you."
	}
	return map[string]any{"success": true, "escalationId": "esc_1", "message": msg}
}
