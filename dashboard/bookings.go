package dashboard

import (
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/frontdeskhq/frontdesk"
	"github.com/frontdeskhq/frontdesk/booking"
	"github.com/frontdeskhq/frontdesk/mail"
)

// The bookings pages: the list with its filters, the week calendar, a
// booking's detail and its actions (cancel, reschedule), and a booking the
// owner takes by phone. Every change goes through package booking, as the
// tenant API's does.

// bookingsPath is where the bookings pages live.
const bookingsPath = Prefix + "/bookings"

// bookingsPerPage is the length of one page of the list.
const bookingsPerPage = 25

// bookingRoutes lists the bookings pages.
func (s *Server) bookingRoutes() []route {
	return []route{
		{pattern: "GET " + bookingsPath, handle: s.bookingList},
		{pattern: "GET " + bookingsPath + "/week", handle: s.bookingWeek},
		{pattern: "GET " + bookingsPath + "/new", handle: s.bookingNewPage},
		{pattern: "POST " + bookingsPath + "/new", handle: s.bookingNew},
		{pattern: "GET " + bookingsPath + "/{id}", handle: s.bookingDetail},
		{pattern: "GET " + bookingsPath + "/{id}/cancel", handle: s.bookingCancelPage},
		{pattern: "POST " + bookingsPath + "/{id}/cancel", handle: s.bookingCancel},
		{pattern: "GET " + bookingsPath + "/{id}/reschedule", handle: s.bookingReschedulePage},
		{pattern: "POST " + bookingsPath + "/{id}/reschedule", handle: s.bookingReschedule},
	}
}

// bkDetailURL is the detail page of a booking.
func bkDetailURL(id string) string { return bookingsPath + "/" + id }

// bkLoad loads the booking named by the path's {id} for the signed-in
// tenant; another tenant's id, or no id at all, is a 404. When it fails it
// has answered.
func (s *Server) bkLoad(w http.ResponseWriter, r *http.Request, c *reqCtx) (*frontdesk.Booking, bool) {
	id := r.PathValue("id")
	if !frontdesk.ValidID(id) {
		s.fail(w, r, c, frontdesk.NotFound("The booking"))
		return nil, false
	}
	b, err := s.Store.Booking(r.Context(), c.Tenant.ID, id)
	if err != nil {
		s.fail(w, r, c, err)
		return nil, false
	}
	return b, true
}

// ---- words shared by the bookings pages

// bkStatusWords is a booking's status as the owner reads it.
func bkStatusWords(b *frontdesk.Booking) string {
	switch b.Status {
	case frontdesk.StatusPending:
		if b.TotalPriceCents > 0 {
			return "Awaiting payment"
		}
		return "Pending"
	case frontdesk.StatusConfirmed:
		return "Confirmed"
	case frontdesk.StatusCanceled:
		return "Canceled"
	case frontdesk.StatusRefunded:
		return "Canceled, refunded"
	case frontdesk.StatusExpired:
		return "Expired unpaid"
	}
	return string(b.Status)
}

// bkStatusOptions are the list filter's choices.
var bkStatusOptions = []struct{ Value, Label string }{
	{"", "Any status"},
	{string(frontdesk.StatusPending), "Awaiting payment / pending"},
	{string(frontdesk.StatusConfirmed), "Confirmed"},
	{string(frontdesk.StatusCanceled), "Canceled"},
	{string(frontdesk.StatusRefunded), "Canceled, refunded"},
	{string(frontdesk.StatusExpired), "Expired unpaid"},
}

// bkWhenShort is a booking's day and time in the business's zone, short
// enough for a table row.
func bkWhenShort(t *frontdesk.Tenant, b *frontdesk.Booking) string {
	if b.StartAt == nil {
		return b.Date.In(time.UTC).Format("Mon 2 Jan 2006") + ", all day"
	}
	return b.StartAt.In(t.Location()).Format("Mon 2 Jan 2006, 3:04 PM MST")
}

// bkWhenLong is a booking's day, and its times, in the business's zone.
func bkWhenLong(t *frontdesk.Tenant, b *frontdesk.Booking) string {
	if b.StartAt == nil {
		return b.Date.In(time.UTC).Format("Monday 2 January 2006") + " (all day)"
	}
	loc := t.Location()
	start := b.StartAt.In(loc)
	if b.EndAt == nil || !b.EndAt.After(*b.StartAt) {
		return start.Format("Monday 2 January 2006, 3:04 PM MST")
	}
	end := b.EndAt.In(loc)
	if frontdesk.DateOf(end) != frontdesk.DateOf(start) || start.Format("MST") != end.Format("MST") {
		return start.Format("Monday 2 January 2006, 3:04 PM MST") + " – " + end.Format("Mon 2 Jan, 3:04 PM MST")
	}
	return start.Format("Monday 2 January 2006, 3:04 PM") + " – " + end.Format("3:04 PM MST")
}

// bkPriceWords is a booking's price and whether it was paid.
func bkPriceWords(b *frontdesk.Booking) string {
	if b.TotalPriceCents == 0 {
		return "Free"
	}
	p := mail.FormatMoney(b.TotalPriceCents, b.Currency)
	switch {
	case b.RefundedCents > 0:
		return p + " paid, " + mail.FormatMoney(b.RefundedCents, b.Currency) + " refunded"
	case b.PaidAt != nil:
		return p + ", paid"
	case b.Status == frontdesk.StatusPending:
		return p + ", not paid yet"
	}
	return p + ", not paid"
}

// bkServiceName is the booking's service, or a stand-in when it has none.
func bkServiceName(b *frontdesk.Booking) string {
	if strings.TrimSpace(b.PackageName) == "" {
		return "(a removed service)"
	}
	return b.PackageName
}

// bkCustomerName is the booking's customer's name, or a stand-in.
func bkCustomerName(b *frontdesk.Booking) string {
	if n := strings.TrimSpace(b.Customer.Name); n != "" {
		return n
	}
	if b.Customer.Email != "" {
		return b.Customer.Email
	}
	return "(no name)"
}

// bkSummary is the few lines that say which booking a page is about.
type bkSummary struct {
	ID, Code, Service, Customer, Email, When, Status, StatusClass, Price string
}

func bkSummaryOf(t *frontdesk.Tenant, b *frontdesk.Booking) bkSummary {
	return bkSummary{ID: b.ID, Code: b.ConfirmationCode, Service: bkServiceName(b), Customer: bkCustomerName(b),
		Email: b.Customer.Email, When: bkWhenLong(t, b), Status: bkStatusWords(b), StatusClass: strings.ToLower(string(b.Status)),
		Price: bkPriceWords(b)}
}

// ---- the list

// bkRow is one line of the list.
type bkRow struct {
	ID, Code, When, Service, Customer, Email, Status, StatusClass, Price string
}

func bkRowOf(t *frontdesk.Tenant, b *frontdesk.Booking) bkRow {
	return bkRow{ID: b.ID, Code: b.ConfirmationCode, When: bkWhenShort(t, b), Service: bkServiceName(b),
		Customer: bkCustomerName(b), Email: b.Customer.Email, Status: bkStatusWords(b),
		StatusClass: strings.ToLower(string(b.Status)), Price: bkPriceWords(b)}
}

// bkListView is the list page.
type bkListView struct {
	Form     *form
	Statuses []struct{ Value, Label string }
	Rows     []bkRow
	// Filtered says a filter is set (the empty list then says so).
	Filtered bool
	// NextURL is the next (older) page; FirstURL the first, when this is not it.
	NextURL, FirstURL string
}

// bookingList lists the tenant's bookings, newest first, with filters.
func (s *Server) bookingList(w http.ResponseWriter, r *http.Request, c *reqCtx) {
	q := r.URL.Query()
	f := newForm(q)
	filter := frontdesk.BookingFilter{Limit: bookingsPerPage, Cursor: q.Get("cursor")}
	if v := q.Get("status"); v != "" {
		filter.Status = frontdesk.BookingStatus(v)
		if !filter.Status.Valid() {
			f.Errors["status"] = "Choose one of the statuses listed."
		}
	}
	for _, p := range []struct {
		key string
		dst **frontdesk.Date
	}{{"from", &filter.From}, {"to", &filter.To}} {
		if v := strings.TrimSpace(q.Get(p.key)); v != "" {
			d, err := frontdesk.ParseDate(v)
			if err != nil {
				f.Errors[p.key] = "Enter a date, like 2026-12-31."
				continue
			}
			*p.dst = &d
		}
	}
	if filter.From != nil && filter.To != nil && filter.To.Before(*filter.From) {
		f.Errors["to"] = "The end date is before the start date."
	}
	filter.Query = strings.TrimSpace(q.Get("q"))
	if utf8.RuneCountInString(filter.Query) > 200 || frontdesk.HasControlChars(filter.Query) {
		f.Errors["q"] = "Search with up to 200 characters of plain text."
	}
	v := &bkListView{Form: f, Statuses: bkStatusOptions,
		Filtered: filter.Status != "" || filter.From != nil || filter.To != nil || filter.Query != ""}
	if len(f.Errors) > 0 {
		f.Alert = "Please correct the filters marked below."
		s.render(w, r, c, http.StatusBadRequest, "bookings", "Bookings", "bookings", v)
		return
	}
	page, err := s.Store.ListBookings(r.Context(), c.Tenant.ID, filter)
	if frontdesk.IsCode(err, frontdesk.EInvalid) {
		// A cursor that is no longer (or never was) one: start over.
		f.Alert = "This page link is out of date. Here are the newest bookings instead."
		filter.Cursor = ""
		page, err = s.Store.ListBookings(r.Context(), c.Tenant.ID, filter)
	}
	if err != nil {
		s.fail(w, r, c, err)
		return
	}
	for _, b := range page.Bookings {
		v.Rows = append(v.Rows, bkRowOf(c.Tenant, b))
	}
	keep := url.Values{}
	for _, k := range []string{"status", "from", "to", "q"} {
		if x := strings.TrimSpace(q.Get(k)); x != "" {
			keep.Set(k, x)
		}
	}
	if filter.Cursor != "" {
		v.FirstURL = bkQuery(bookingsPath, keep)
	}
	if page.NextCursor != "" {
		next := url.Values{}
		for k, x := range keep {
			next[k] = x
		}
		next.Set("cursor", page.NextCursor)
		v.NextURL = bkQuery(bookingsPath, next)
	}
	s.render(w, r, c, http.StatusOK, "bookings", "Bookings", "bookings", v)
}

// bkQuery is path with the query v, if any.
func bkQuery(path string, v url.Values) string {
	if len(v) == 0 {
		return path
	}
	return path + "?" + v.Encode()
}

// ---- the week

// bkWeekView is the week calendar.
type bkWeekView struct {
	Label            string // "14 – 20 December 2026"
	Start            string // YYYY-MM-DD of the Monday, for the picker
	Zone             string
	Days             []bkWeekDay
	PrevURL, NextURL string
	ThisWeekURL      string // empty when this is the current week
	All              bool   // canceled and expired bookings shown too
	ToggleURL        string
	Alert            string
	Count            int
}

// bkWeekDay is one day of the week calendar.
type bkWeekDay struct {
	ID      string // an anchor, "d-2026-12-14"
	Label   string // "Monday 14 December"
	Today   bool
	DayOff  string // the reason, or "Day off"; empty on a working day
	Entries []bkWeekEntry
	NewURL  string
}

// bkWeekEntry is a booking in the week calendar.
type bkWeekEntry struct {
	ID, Time, Service, Customer, Status, StatusClass string
	Live                                             bool
	start                                            time.Time
}

// bkMaxWeekPages bounds how many list pages one week reads (100 bookings a page).
const bkMaxWeekPages = 20

// bookingWeek shows seven days, Monday first, in the business's zone.
func (s *Server) bookingWeek(w http.ResponseWriter, r *http.Request, c *reqCtx) {
	t := c.Tenant
	loc := t.Location()
	now := s.now()
	today := frontdesk.DateOf(now.In(loc))
	v := &bkWeekView{All: r.URL.Query().Get("all") == "1"}
	start := today
	if raw := strings.TrimSpace(r.URL.Query().Get("start")); raw != "" {
		d, err := frontdesk.ParseDate(raw)
		if err != nil {
			v.Alert = "“" + raw + "” is not a date like 2026-12-14, so this week is shown."
		} else {
			start = d
		}
	}
	start = bkMonday(start)
	end := start.AddDays(6)
	v.Start = start.String()
	v.Zone = bkZoneName(t, start.In(loc).Add(12*time.Hour))
	v.Label = bkWeekLabel(start, end)
	link := func(d frontdesk.Date, all bool) string {
		q := url.Values{"start": {d.String()}}
		if all {
			q.Set("all", "1")
		}
		return bkQuery(bookingsPath+"/week", q)
	}
	v.PrevURL, v.NextURL = link(start.AddDays(-7), v.All), link(start.AddDays(7), v.All)
	if start != bkMonday(today) {
		v.ThisWeekURL = link(bkMonday(today), v.All)
	}
	v.ToggleURL = link(start, !v.All)

	var bookings []*frontdesk.Booking
	filter := frontdesk.BookingFilter{From: &start, To: &end, Limit: 100}
	for range bkMaxWeekPages {
		page, err := s.Store.ListBookings(r.Context(), t.ID, filter)
		if err != nil {
			s.fail(w, r, c, err)
			return
		}
		bookings = append(bookings, page.Bookings...)
		if page.NextCursor == "" {
			break
		}
		filter.Cursor = page.NextCursor
	}
	offs, err := s.Store.ListBlackoutDates(r.Context(), t.ID, start, end)
	if err != nil {
		s.fail(w, r, c, err)
		return
	}
	for i := range 7 {
		d := start.AddDays(i)
		day := bkWeekDay{ID: "d-" + d.String(), Label: d.In(time.UTC).Format("Monday 2 January"), Today: d == today,
			NewURL: bkQuery(bookingsPath+"/new", url.Values{"date": {d.String()}})}
		for _, o := range offs {
			if o.Date == d {
				day.DayOff = "Day off"
				if reason := strings.TrimSpace(o.Reason); reason != "" {
					day.DayOff += ": " + reason
				}
			}
		}
		v.Days = append(v.Days, day)
	}
	for _, b := range bookings {
		if !v.All && !b.Status.Live() {
			continue
		}
		i := bkDaysBetween(start, b.Date)
		if i < 0 || i > 6 {
			continue
		}
		e := bkWeekEntry{ID: b.ID, Service: bkServiceName(b), Customer: bkCustomerName(b), Status: bkStatusWords(b),
			StatusClass: strings.ToLower(string(b.Status)), Live: b.Status.Live(), start: booking.StartOf(b, loc)}
		if b.StartAt == nil {
			e.Time = "All day"
		} else {
			e.Time = b.StartAt.In(loc).Format("3:04 PM")
			if b.EndAt != nil && b.EndAt.After(*b.StartAt) {
				e.Time += " – " + b.EndAt.In(loc).Format("3:04 PM")
			}
		}
		v.Days[i].Entries = append(v.Days[i].Entries, e)
		v.Count++
	}
	for i := range v.Days {
		slices.SortStableFunc(v.Days[i].Entries, func(a, b bkWeekEntry) int { return a.start.Compare(b.start) })
	}
	s.render(w, r, c, http.StatusOK, "bookings_week", "Week of "+start.In(time.UTC).Format("2 January 2006"), "bookings", v)
}

// bkMonday is the Monday that opens d's week.
func bkMonday(d frontdesk.Date) frontdesk.Date {
	return d.AddDays(-((int(d.Weekday()) + 6) % 7))
}

// bkDaysBetween counts the days from a to b.
func bkDaysBetween(a, b frontdesk.Date) int {
	return int(b.In(time.UTC).Sub(a.In(time.UTC)).Hours() / 24)
}

// bkWeekLabel names a week: "14 – 20 December 2026", across months and years as needed.
func bkWeekLabel(a, b frontdesk.Date) string {
	at, bt := a.In(time.UTC), b.In(time.UTC)
	switch {
	case a.Year != b.Year:
		return at.Format("2 January 2006") + " – " + bt.Format("2 January 2006")
	case a.Month != b.Month:
		return at.Format("2 January") + " – " + bt.Format("2 January 2006")
	}
	return at.Format("2") + " – " + bt.Format("2 January 2006")
}

// bkZoneName names the business's zone as it stands at: "America/New_York (EST)".
func bkZoneName(t *frontdesk.Tenant, at time.Time) string {
	loc := t.Location()
	return loc.String() + " (" + at.In(loc).Format("MST") + ")"
}
