package dashboard

import (
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/frontdeskhq/frontdesk"
	"github.com/frontdeskhq/frontdesk/business"
)

// catWeekdays are the days of the hours form, Monday first.
var catWeekdays = []time.Weekday{time.Monday, time.Tuesday, time.Wednesday, time.Thursday, time.Friday, time.Saturday, time.Sunday}

// catMaxSlots bounds the ranges of one day the form reads.
const catMaxSlots = 12

// catRange is one opening range of a day in the form; its inputs are
// named DAY-SLOT-start and DAY-SLOT-end (MON-0-start).
type catRange struct {
	Slot             int
	Start, End       string
	StartErr, EndErr string
}

// catDay is one weekday of the form.
type catDay struct {
	Key, Name string // MON, Monday
	Ranges    []catRange
	Saved     string // the ranges as stored, "closed" when none
}

type catHoursView struct {
	Form     *form
	Days     []catDay
	WeekErr  string
	TimeZone string
	Base     string
}

// catClockIn writes a stored time for a time input, which cannot hold
// 24:00: midnight at the end of a day is written 00:00.
func catClockIn(s string) string {
	if s == "24:00" {
		return "00:00"
	}
	return s
}

var catClockRE = regexp.MustCompile(`^(\d{1,2})[:.h](\d{2})(?::00)?$`)

// catClockOut reads a time input as the domain's HH:MM: "9:00" is 09:00,
// and an end at 00:00 is midnight at the end of the day (24:00).
func catClockOut(s string, end bool) string {
	s = strings.TrimSpace(s)
	if m := catClockRE.FindStringSubmatch(s); m != nil {
		h, _ := strconv.Atoi(m[1])
		s = fmt.Sprintf("%02d:%s", h, m[2])
	}
	if end && s == "00:00" {
		return "24:00"
	}
	return s
}

// catWeekText writes a day's ranges as the owner reads them.
func catWeekText(rules []business.Rule, day string) string {
	var parts []string
	for _, r := range rules {
		if r.Weekday == day {
			parts = append(parts, r.Start+"–"+r.End)
		}
	}
	if len(parts) == 0 {
		return "closed"
	}
	return strings.Join(parts, ", ")
}

// catWeekItems is the week as the form shows it, one item per day.
func catWeekItems(w *business.Week) []catItem {
	var out []catItem
	for _, wd := range catWeekdays {
		out = append(out, catItem{wd.String(), catWeekText(w.Rules, business.WeekdayName(wd))})
	}
	return out
}

// catHoursDays lays out the stored week, with room for one more range a day.
func catHoursDays(w *business.Week) []catDay {
	var days []catDay
	for _, wd := range catWeekdays {
		key := business.WeekdayName(wd)
		d := catDay{Key: key, Name: wd.String(), Saved: catWeekText(w.Rules, key)}
		for _, r := range w.Rules {
			if r.Weekday == key {
				d.Ranges = append(d.Ranges, catRange{Slot: len(d.Ranges), Start: catClockIn(r.Start), End: catClockIn(r.End)})
			}
		}
		d.Ranges = append(d.Ranges, catRange{Slot: len(d.Ranges)})
		days = append(days, d)
	}
	return days
}

// catHours shows the week as a form.
func (s *Server) catHours(w http.ResponseWriter, r *http.Request, c *reqCtx) {
	week, err := s.Business.WeekOf(r.Context(), c.Tenant)
	if err != nil {
		s.fail(w, r, c, err)
		return
	}
	v := catHoursView{Form: newForm(url.Values{}), Days: catHoursDays(week), TimeZone: c.Tenant.TimeZone, Base: catBase(catWeekItems(week))}
	s.render(w, r, c, http.StatusOK, "hours", "Opening hours", "hours", v)
}

// catSlotRef is where a rule sent to the domain came from.
type catSlotRef struct{ day, slot int }

var catRuleFieldRE = regexp.MustCompile(`^rules\[(\d+)\]\.(\w+)$`)

// catHoursSave replaces the week with the ranges of the form, at once.
// Errors go next to the range they are about; nothing is saved then.
func (s *Server) catHoursSave(w http.ResponseWriter, r *http.Request, c *reqCtx) {
	f := newForm(r.PostForm)
	week, err := s.Business.WeekOf(r.Context(), c.Tenant)
	if err != nil {
		s.fail(w, r, c, err)
		return
	}
	// A post without the week's inputs is no week: it must not close every day.
	if _, ok := r.PostForm["MON-0-start"]; !ok {
		s.setFlash(w, "The hours were not saved: the form was incomplete. Please try again.", true)
		http.Redirect(w, r, Prefix+"/hours", http.StatusSeeOther)
		return
	}
	var days []catDay
	var rules []business.Rule
	var refs []catSlotRef
	for di, wd := range catWeekdays {
		key := business.WeekdayName(wd)
		d := catDay{Key: key, Name: wd.String(), Saved: catWeekText(week.Rules, key)}
		empty := false
		for i := range catMaxSlots {
			sk, ek := fmt.Sprintf("%s-%d-start", key, i), fmt.Sprintf("%s-%d-end", key, i)
			_, hasS := r.PostForm[sk]
			_, hasE := r.PostForm[ek]
			if !hasS && !hasE {
				continue
			}
			rg := catRange{Slot: len(d.Ranges), Start: strings.TrimSpace(f.Get(sk)), End: strings.TrimSpace(f.Get(ek))}
			// A range with one end only is sent as it is: the domain refuses
			// it, so nothing is saved, and checks the rest of the week.
			switch {
			case rg.Start == "" && rg.End == "":
				empty = true
			case rg.Start == "":
				rg.StartErr = "Give the time this range starts, or clear its end to remove the range."
			case rg.End == "":
				rg.EndErr = "Give the time this range ends, or clear its start to remove the range."
			}
			if !(rg.Start == "" && rg.End == "") {
				rules = append(rules, business.Rule{Weekday: key, Start: catClockOut(rg.Start, false), End: catClockOut(rg.End, true)})
				refs = append(refs, catSlotRef{di, len(d.Ranges)})
			}
			d.Ranges = append(d.Ranges, rg)
		}
		if !empty {
			d.Ranges = append(d.Ranges, catRange{Slot: len(d.Ranges)})
		}
		days = append(days, d)
	}
	v := catHoursView{Form: f, Days: days, TimeZone: c.Tenant.TimeZone, Base: catBase(catWeekItems(week))}
	// Slots are renumbered in the form drawn again; their errors too.
	for _, d := range days {
		for _, rg := range d.Ranges {
			for name, msg := range map[string]string{"start": rg.StartErr, "end": rg.EndErr} {
				if msg != "" {
					f.Errors[fmt.Sprintf("%s-%d-%s", d.Key, rg.Slot, name)] = msg
				}
			}
		}
	}
	again := func(status int) {
		v.WeekErr = f.Errors["week"]
		for di := range v.Days {
			for ri := range v.Days[di].Ranges {
				rg := &v.Days[di].Ranges[ri]
				rg.StartErr = f.Errors[fmt.Sprintf("%s-%d-start", v.Days[di].Key, rg.Slot)]
				rg.EndErr = f.Errors[fmt.Sprintf("%s-%d-end", v.Days[di].Key, rg.Slot)]
			}
		}
		s.render(w, r, c, status, "hours", "Opening hours", "hours", v)
	}
	if changes := catChanges(f.Get("base"), catWeekItems(week)); len(changes) > 0 {
		f.Alert = catStaleAlert("your opening hours", changes)
		again(http.StatusConflict)
		return
	}
	_, err = s.Business.ReplaceWeek(r.Context(), c.Tenant, rules)
	if err == nil && len(f.Errors) > 0 {
		err = catUnread(f)
	}
	if err != nil {
		if !catOnForm(err) {
			s.fail(w, r, c, err)
			return
		}
		catFail(f, err, func(api, _ string) (string, string) {
			m := catRuleFieldRE.FindStringSubmatch(api)
			if m == nil {
				return "week", "the week"
			}
			i, _ := strconv.Atoi(m[1])
			if i >= len(refs) {
				return "week", "the week"
			}
			ref := refs[i]
			name, label := "start", "the start"
			if m[2] == "end" {
				name, label = "end", "the end"
			}
			return fmt.Sprintf("%s-%d-%s", days[ref.day].Key, ref.slot, name), label
		})
		again(http.StatusBadRequest)
		return
	}
	s.done(w, r, Prefix+"/hours", "Saved your opening hours.")
}

// catDayOffGroup is a run of days off in a row with the same reason.
type catDayOffGroup struct {
	ID       string // of the first day
	More     []string
	From, To frontdesk.Date
	Days     int
	Reason   string
	Bookings []catBookingLine
}

// catBookingLine is a live booking on a day off.
type catBookingLine struct {
	ID, Code, Customer, Service, When, Status string
}

type catDaysOffView struct {
	Form   *form
	Groups []catDayOffGroup
	Since  frontdesk.Date
	Today  frontdesk.Date
	Past   bool // the list starts before today
}

// catMaxDayOffGroups bounds the groups whose bookings are looked up.
const catMaxDayOffGroups = 60

// catDaysOffView lists the days off from since on, grouped, with the live
// bookings on them.
func (s *Server) catDaysOffView(r *http.Request, c *reqCtx, f *form) (catDaysOffView, error) {
	t := c.Tenant
	today := frontdesk.DateOf(s.now().In(t.Location()))
	since := today
	if q, err := frontdesk.ParseDate(r.URL.Query().Get("from")); err == nil && q.Before(today) {
		since = q
	}
	v := catDaysOffView{Form: f, Since: since, Today: today, Past: since.Before(today)}
	days, err := s.Store.ListBlackoutDates(r.Context(), t.ID, since, frontdesk.Date{Year: 9999, Month: 12, Day: 31})
	if err != nil {
		return v, err
	}
	for _, d := range days {
		if n := len(v.Groups); n > 0 {
			g := &v.Groups[n-1]
			if g.To.AddDays(1) == d.Date && g.Reason == d.Reason {
				g.To, g.Days, g.More = d.Date, g.Days+1, append(g.More, d.ID)
				continue
			}
		}
		v.Groups = append(v.Groups, catDayOffGroup{ID: d.ID, From: d.Date, To: d.Date, Days: 1, Reason: d.Reason})
	}
	for i := range v.Groups {
		if i >= catMaxDayOffGroups {
			break
		}
		g := &v.Groups[i]
		live, err := s.Store.LiveBookings(r.Context(), t.ID, g.From, g.To)
		if err != nil {
			return v, err
		}
		for _, b := range live {
			g.Bookings = append(g.Bookings, catBookingLineOf(t, b))
		}
	}
	return v, nil
}

func catBookingLineOf(t *frontdesk.Tenant, b *frontdesk.Booking) catBookingLine {
	when := b.Date.In(time.UTC).Format("Mon 2 Jan 2006")
	if b.StartAt != nil {
		when = b.StartAt.In(t.Location()).Format("Mon 2 Jan 2006, 3:04 PM MST")
	}
	name := b.Customer.Name
	if name == "" {
		name = b.Customer.Email
	}
	status := map[frontdesk.BookingStatus]string{frontdesk.StatusPending: "Pending", frontdesk.StatusConfirmed: "Confirmed"}[b.Status]
	if status == "" {
		status = string(b.Status)
	}
	return catBookingLine{ID: b.ID, Code: b.ConfirmationCode, Customer: name, Service: b.PackageName, When: when, Status: status}
}

// catDaysOff lists the days off and offers to add some.
func (s *Server) catDaysOff(w http.ResponseWriter, r *http.Request, c *reqCtx) {
	v, err := s.catDaysOffView(r, c, newForm(url.Values{}))
	if err != nil {
		s.fail(w, r, c, err)
		return
	}
	s.render(w, r, c, http.StatusOK, "hours_daysoff", "Days off", "hours", v)
}

// catDaysText writes a run of days: "Fri 25 Dec 2026" or "Mon 21 Dec 2026 to Thu 31 Dec 2026".
func catDaysText(from, to frontdesk.Date) string {
	f := from.In(time.UTC).Format("Mon 2 Jan 2006")
	if from == to {
		return f
	}
	return f + " to " + to.In(time.UTC).Format("Mon 2 Jan 2006")
}

// catDaysOffAdd closes one day or a range, then says which bookings are
// on those days: closing a day never cancels a booking.
func (s *Server) catDaysOffAdd(w http.ResponseWriter, r *http.Request, c *reqCtx) {
	f := newForm(r.PostForm)
	from, to := strings.TrimSpace(f.Get("from")), strings.TrimSpace(f.Get("to"))
	if from == "" {
		// Only a last day is no day at all: say which one is missing.
		f.Errors["from"] = "Choose the first day off (the only one, to close a single day)."
		from, to = "", ""
	}
	in := business.DayOffInput{Reason: strings.TrimSpace(f.Get("reason"))}
	if to == "" || to == from {
		in.Date = from
	} else {
		in.From, in.To = from, to
	}
	added, affected, err := s.Business.AddDaysOff(r.Context(), c.Tenant, in)
	if err != nil {
		if !catOnForm(err) {
			s.fail(w, r, c, err)
			return
		}
		catFail(f, err, func(api, _ string) (string, string) {
			switch api {
			case "date", "from":
				return "from", "the first day off"
			case "to":
				return "to", "the last day off"
			case "reason":
				return "reason", "the reason"
			}
			return "", api
		})
		if m, ok := f.Errors["to"]; ok {
			f.Errors["to"] = strings.NewReplacer(" before from", " before the first day off", " of from", " of the first day off").Replace(m)
		}
		v, err := s.catDaysOffView(r, c, f)
		if err != nil {
			s.fail(w, r, c, err)
			return
		}
		s.render(w, r, c, http.StatusBadRequest, "hours_daysoff", "Days off", "hours", v)
		return
	}
	var msg string
	switch len(added) {
	case 0:
		msg = "Those days were already closed."
	case 1:
		msg = "Closed " + catDaysText(added[0].Date, added[0].Date) + "."
	default:
		msg = fmt.Sprintf("Closed %d days: %s.", len(added), catDaysText(added[0].Date, added[len(added)-1].Date))
	}
	switch len(affected) {
	case 0:
	case 1:
		msg += " 1 booking is on those days and stays booked: move or cancel it (it is listed below)."
	default:
		msg += fmt.Sprintf(" %d bookings are on those days and stay booked: move or cancel them (they are listed below).", len(affected))
	}
	back := Prefix + "/hours/daysoff"
	if d, err := frontdesk.ParseDate(from); err == nil && d.Before(frontdesk.DateOf(s.now().In(c.Tenant.Location()))) {
		back += "?from=" + d.String()
	}
	s.done(w, r, back, msg)
}

// catDayOffDelete opens a day off again, and with it the other days of
// its run when the form lists them.
func (s *Server) catDayOffDelete(w http.ResponseWriter, r *http.Request, c *reqCtx) {
	if err := s.Business.DeleteDayOff(r.Context(), c.Tenant, r.PathValue("id")); err != nil {
		s.fail(w, r, c, err)
		return
	}
	n := 1
	for _, id := range r.PostForm["more"] {
		if n > business.MaxDaysOffAtOnce {
			break
		}
		err := s.Business.DeleteDayOff(r.Context(), c.Tenant, id)
		if err != nil && !frontdesk.IsCode(err, frontdesk.ENotFound) {
			s.fail(w, r, c, err)
			return
		}
		if err == nil {
			n++
		}
	}
	msg := "Opened the day again: customers can book it."
	if n > 1 {
		msg = fmt.Sprintf("Opened %d days again: customers can book them.", n)
	}
	s.done(w, r, Prefix+"/hours/daysoff", msg)
}
