package dashboard

import (
	"context"
	"fmt"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/frontdeskhq/frontdesk"
	"github.com/frontdeskhq/frontdesk/mail"
)

// homeDays is how far the home page's agenda looks: today and the next 7 days.
const homeDays = 8

// homeView is the first page after signing in: what is coming up, what
// waits for the owner, and how the last week went.
type homeView struct {
	// GetStarted is set for a business with no services yet.
	GetStarted bool
	Days       []agendaDay
	Booked     int // live bookings in Days
	Unpaid     []homeBooking
	UnpaidMore bool
	Open       []escLine
	OpenMore   bool
	Week       homeWeek
}

// agendaDay is one day of the home page's agenda.
type agendaDay struct {
	Label    string // "Today", "Tomorrow", or the weekday
	Date     string // "Thu 10 Dec 2026"
	ISO      string
	Bookings []homeBooking
}

// homeBooking is a booking as a line of a list.
type homeBooking struct {
	ID       string
	Time     string // "9:00 AM – 10:00 AM EST", or "All day"
	When     string // the date and time, for lists not grouped by day
	Customer string
	Service  string
	Status   string
	Total    string
}

// escLine is an escalation as a line of a list.
type escLine struct {
	ID      string
	Reason  string // shortened
	Contact string
	When    string
	Status  string
	Label   string // the status in words
}

// homeWeek are the figures of the last 7 local days.
type homeWeek struct {
	From, To     string
	FromISO      string
	ToISO        string
	Sessions     string
	ChatBookings string
	Confirmed    string
	Escalations  string
	Rating       string // "4.5 out of 5 (3 ratings)" or "No ratings yet"
	Thumbs       string // "5 up, 1 down" or "None yet"
}

// home is the first page after signing in.
func (s *Server) home(w http.ResponseWriter, r *http.Request, c *reqCtx) {
	ctx := r.Context()
	t := c.Tenant
	loc := t.Location()
	today := frontdesk.DateOf(s.now().In(loc))
	v := homeView{}

	pkgs, err := s.Store.ListPackages(ctx, t.ID, false)
	if err != nil {
		s.fail(w, r, c, err)
		return
	}
	v.GetStarted = len(pkgs) == 0

	live, err := s.Store.LiveBookings(ctx, t.ID, today, today.AddDays(homeDays-1))
	if err != nil {
		s.fail(w, r, c, err)
		return
	}
	byDay := map[frontdesk.Date][]homeBooking{}
	for _, b := range live {
		byDay[b.Date] = append(byDay[b.Date], homeBookingOf(t, b))
	}
	for i := 0; i < homeDays; i++ {
		d := today.AddDays(i)
		label := d.In(time.UTC).Format("Monday")
		switch i {
		case 0:
			label = "Today"
		case 1:
			label = "Tomorrow"
		}
		v.Days = append(v.Days, agendaDay{Label: label, Date: d.In(time.UTC).Format("Mon 2 Jan 2006"), ISO: d.String(), Bookings: byDay[d]})
		v.Booked += len(byDay[d])
	}

	unpaid, err := s.Store.ListBookings(ctx, t.ID, frontdesk.BookingFilter{Status: frontdesk.StatusPending, Limit: 10})
	if err != nil {
		s.fail(w, r, c, err)
		return
	}
	for _, b := range unpaid.Bookings {
		v.Unpaid = append(v.Unpaid, homeBookingOf(t, b))
	}
	v.UnpaidMore = unpaid.NextCursor != ""

	v.Open, v.OpenMore, err = s.openEscalations(ctx, t, 10)
	if err != nil {
		s.fail(w, r, c, err)
		return
	}

	from := today.AddDays(-6)
	a, err := s.Store.Analytics(ctx, t.ID, from, today, from.In(loc), today.AddDays(1).In(loc))
	if err != nil {
		s.fail(w, r, c, err)
		return
	}
	v.Week = homeWeek{From: from.In(time.UTC).Format("Mon 2 Jan"), To: today.In(time.UTC).Format("Mon 2 Jan"),
		FromISO: from.String(), ToISO: today.String(),
		Sessions: numText(a.Sessions), ChatBookings: numText(a.ChatBookings), Confirmed: numText(a.ConfirmedBookings),
		Escalations: numText(a.Escalations), Rating: ratingSummary(a), Thumbs: "None yet"}
	if a.ThumbsUp+a.ThumbsDown > 0 {
		v.Week.Thumbs = numText(a.ThumbsUp) + " up, " + numText(a.ThumbsDown) + " down"
	}
	s.render(w, r, c, http.StatusOK, "home", "Home", "home", v)
}

// openEscalations returns up to limit escalations waiting for the owner
// (PENDING or ACKNOWLEDGED), newest first, and whether there are more.
func (s *Server) openEscalations(ctx context.Context, t *frontdesk.Tenant, limit int) ([]escLine, bool, error) {
	var all []*frontdesk.Escalation
	more := false
	for _, st := range []string{frontdesk.EscalationPending, frontdesk.EscalationAcknowledged} {
		page, err := s.Store.ListEscalations(ctx, t.ID, frontdesk.EscalationFilter{Status: st, Limit: limit})
		if err != nil {
			return nil, false, err
		}
		all = append(all, page.Escalations...)
		more = more || page.NextCursor != ""
	}
	sort.SliceStable(all, func(i, j int) bool { return all[i].CreatedAt.After(all[j].CreatedAt) })
	if len(all) > limit {
		all, more = all[:limit], true
	}
	out := make([]escLine, 0, len(all))
	for _, e := range all {
		out = append(out, escLineOf(t, e))
	}
	return out, more, nil
}

func homeBookingOf(t *frontdesk.Tenant, b *frontdesk.Booking) homeBooking {
	l := homeBooking{ID: b.ID, Customer: homeCustomerName(b.Customer), Service: b.PackageName, Status: string(b.Status),
		Total: homePrice(b.TotalPriceCents, b.Currency, t.Currency)}
	day := b.Date.In(time.UTC).Format("Mon 2 Jan 2006")
	if b.StartAt == nil {
		l.Time, l.When = "All day", day
		return l
	}
	loc := t.Location()
	start := b.StartAt.In(loc)
	l.Time = start.Format("3:04 PM")
	if b.EndAt != nil {
		l.Time += " – " + b.EndAt.In(loc).Format("3:04 PM")
	}
	l.Time += " " + start.Format("MST")
	l.When = start.Format("Mon 2 Jan 2006") + ", " + l.Time
	return l
}

func escLineOf(t *frontdesk.Tenant, e *frontdesk.Escalation) escLine {
	reason := strings.TrimSpace(e.Reason)
	if reason == "" {
		reason = "No reason given"
	}
	return escLine{ID: e.ID, Reason: shortText(reason, 140), Contact: escContact(e), When: localInstant(t, e.CreatedAt),
		Status: e.Status, Label: escStatusLabel(e.Status)}
}

// homeCustomerName names a booking's customer: the name, else the email.
func homeCustomerName(c frontdesk.Customer) string {
	if n := strings.TrimSpace(c.Name); n != "" {
		return n
	}
	if c.Email != "" {
		return c.Email
	}
	return "A customer"
}

// escContact is how to reach the customer of an escalation.
func escContact(e *frontdesk.Escalation) string {
	var parts []string
	if e.CustomerEmail != "" {
		parts = append(parts, e.CustomerEmail)
	}
	if e.CustomerPhone != "" {
		parts = append(parts, e.CustomerPhone)
	}
	if len(parts) == 0 {
		return "No contact left"
	}
	return strings.Join(parts, " · ")
}

// escStatusLabel writes an escalation's status for people.
func escStatusLabel(status string) string {
	switch status {
	case frontdesk.EscalationPending:
		return "Open"
	case frontdesk.EscalationAcknowledged:
		return "Acknowledged"
	case frontdesk.EscalationResolved:
		return "Resolved"
	}
	return status
}

// localInstant writes an instant in the business's zone, naming the zone.
func localInstant(t *frontdesk.Tenant, at time.Time) string {
	return at.In(t.Location()).Format("Mon 2 Jan 2006, 3:04 PM MST")
}

func homePrice(cents int64, currency, fallback string) string {
	if currency == "" {
		currency = fallback
	}
	if cents == 0 {
		return "Free"
	}
	return mail.FormatMoney(cents, currency)
}

// shortText cuts s to at most n characters, ending with an ellipsis when cut.
func shortText(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return strings.TrimSpace(string(r[:n-1])) + "…"
}

// numText writes a number with thousands separators.
func numText(n int64) string {
	s := strconv.FormatInt(n, 10)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	if neg {
		return "-" + b.String()
	}
	return b.String()
}

// pctText writes part of whole as a percentage, or "–" without a whole.
func pctText(part, whole int64) string {
	if whole <= 0 {
		return "–"
	}
	p := 100 * float64(part) / float64(whole)
	if p != 0 && p < 10 && p != float64(int64(p)) {
		return strconv.FormatFloat(p, 'f', 1, 64) + "%"
	}
	return strconv.FormatFloat(p, 'f', 0, 64) + "%"
}

// ratingSummary sums the 1–5 ratings of a range.
func ratingSummary(a *frontdesk.Analytics) string {
	if a.Ratings == 0 {
		return "No ratings yet"
	}
	avg := float64(a.RatingSum) / float64(a.Ratings)
	n := "ratings"
	if a.Ratings == 1 {
		n = "rating"
	}
	return fmt.Sprintf("%.1f out of 5 (%s %s)", avg, numText(a.Ratings), n)
}
