package dashboard

import (
	"fmt"
	"math"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/frontdeskhq/frontdesk"
)

func (s *Server) analyticsRoutes() []route {
	return []route{{pattern: "GET " + Prefix + "/analytics", handle: s.analytics}}
}

// Limits of the analytics page: the range (as the tenant API's) and the
// bars of one chart.
const (
	anMaxDays     = 366
	anDefaultDays = 30
	anMaxBars     = 31
	anMaxComments = 100
)

// analyticsView is the analytics page: the range picker and, for a valid
// range, its numbers, each chart with the same numbers as a table.
type analyticsView struct {
	Form  *form
	Quick []pillLink
	Shown bool // a valid range: the numbers follow
	Range string
	Days  int

	Sessions, ChatBookings, Confirmed, Escalations string
	EscalationRate                                 string
	Funnel                                         svgHBarChart
	FunnelRows                                     []anFunnelRow

	Unit         string // "day", "week" or "month"
	Activity     svgBarChart
	ActivityRows []anActivityRow

	ThumbsUp, ThumbsDown, Positive string
	Ratings, Average               string
	RatingChart                    svgHBarChart
	RatingRows                     []anRatingRow
	Comments                       []anComment
	CommentsMore                   int

	InputTokens, OutputTokens string
	Cost, CostCents           string
	Budget                    string // the monthly budget and this month's spend, in words
}

type anFunnelRow struct{ Step, Count, OfChats, OfPrevious string }

type anActivityRow struct{ Period, Sessions, Bookings, Confirmed string }

type anRatingRow struct{ Stars, Count, Share string }

// anComment is a customer's comment with what it was about.
type anComment struct {
	When    string
	Kind    string // "Rated 4 out of 5", "Thumbs up", "Thumbs down"
	Comment string
	Message string // the assistant's message that was rated, if any
}

// anPeriod is one bar of a chart: a day, a week or a month of the range.
type anPeriod struct {
	From, To frontdesk.Date
	// Short labels the bar, Row the table's row, Long the bar's tooltip.
	Short, Row, Long string
}

// analytics shows the chat's numbers over a range of the business's days.
func (s *Server) analytics(w http.ResponseWriter, r *http.Request, c *reqCtx) {
	t := c.Tenant
	loc := t.Location()
	today := frontdesk.DateOf(s.now().In(loc))
	q := r.URL.Query()
	f := newForm(url.Values{"from": {q.Get("from")}, "to": {q.Get("to")}})
	v := analyticsView{Form: f}

	from, to := today.AddDays(-(anDefaultDays - 1)), today
	var fromSet, toSet bool
	if raw := q.Get("from"); raw != "" {
		d, err := frontdesk.ParseDate(raw)
		if err != nil {
			f.Errors["from"] = "Enter the first day as a date, like " + today.AddDays(-(anDefaultDays - 1)).String() + "."
		} else {
			from, fromSet = d, true
		}
	}
	if raw := q.Get("to"); raw != "" {
		d, err := frontdesk.ParseDate(raw)
		if err != nil {
			f.Errors["to"] = "Enter the last day as a date, like " + today.String() + "."
		} else {
			to, toSet = d, true
		}
	}
	if toSet && !fromSet && f.Errors["from"] == "" {
		from = to.AddDays(-(anDefaultDays - 1))
	}
	if len(f.Errors) == 0 {
		switch {
		case to.Before(from) && !toSet:
			f.Errors["from"] = "The first day must not be after today, " + today.String() + "."
		case to.Before(from):
			f.Errors["to"] = "The last day must not be before the first day."
		case from.AddDays(anMaxDays - 1).Before(to):
			f.Errors["from"] = fmt.Sprintf("Choose at most %d days: from %s at the earliest.", anMaxDays, to.AddDays(-(anMaxDays - 1)))
		}
	}
	for _, n := range []int{7, 30, 90} {
		qf, qt := today.AddDays(-(n - 1)), today
		v.Quick = append(v.Quick, pillLink{Label: fmt.Sprintf("Last %d days", n),
			Href:    Prefix + "/analytics?from=" + qf.String() + "&to=" + qt.String(),
			Current: len(f.Errors) == 0 && from == qf && to == qt})
	}
	if len(f.Errors) > 0 {
		f.Alert = "Please correct the dates marked below."
		s.render(w, r, c, http.StatusBadRequest, "analytics", "Analytics", "analytics", v)
		return
	}
	if !fromSet {
		f.Values.Set("from", from.String())
	}
	if !toSet {
		f.Values.Set("to", to.String())
	}
	v.Shown = true
	v.Days = anDays(from, to) + 1
	v.Range = from.In(time.UTC).Format("Mon 2 Jan 2006") + " – " + to.In(time.UTC).Format("Mon 2 Jan 2006")

	periods, unit := anPeriods(from, to)
	v.Unit = unit
	var total frontdesk.Analytics
	per := make([]*frontdesk.Analytics, len(periods))
	for i, p := range periods {
		a, err := s.Store.Analytics(r.Context(), t.ID, p.From, p.To, p.From.In(loc), p.To.AddDays(1).In(loc))
		if err != nil {
			s.fail(w, r, c, err)
			return
		}
		per[i] = a
		sumAnalytics(&total, a)
	}
	feedback, err := s.Store.ListFeedback(r.Context(), t.ID, from.In(loc), to.AddDays(1).In(loc))
	if err != nil {
		s.fail(w, r, c, err)
		return
	}

	v.Sessions, v.ChatBookings, v.Confirmed = numText(total.Sessions), numText(total.ChatBookings), numText(total.ConfirmedBookings)
	v.Escalations, v.EscalationRate = numText(total.Escalations), pctText(total.Escalations, total.Sessions)

	// The funnel: chats, bookings made in them, and those confirmed.
	steps := []struct {
		label string
		n     int64
	}{{"Chats", total.Sessions}, {"Bookings from chat", total.ChatBookings}, {"Confirmed (paid, or free)", total.ConfirmedBookings}}
	var hrows []svgHBarIn
	for i, st := range steps {
		row := anFunnelRow{Step: st.label, Count: numText(st.n), OfChats: pctText(st.n, total.Sessions), OfPrevious: "–"}
		if i > 0 {
			row.OfPrevious = pctText(st.n, steps[i-1].n)
		}
		v.FunnelRows = append(v.FunnelRows, row)
		hrows = append(hrows, svgHBarIn{Label: st.label, N: st.n, Value: numText(st.n), Class: fmt.Sprintf("bar-%d", i+1)})
	}
	v.Funnel = newSVGHBarChart("funnel", "From chat to confirmed booking",
		fmt.Sprintf("%s chats, %s bookings from chat, %s confirmed, %s.", v.Sessions, v.ChatBookings, v.Confirmed, v.Range), hrows)

	// Activity per day, week or month.
	var groups []svgGroupIn
	for i, p := range periods {
		a := per[i]
		v.ActivityRows = append(v.ActivityRows, anActivityRow{Period: p.Row, Sessions: numText(a.Sessions), Bookings: numText(a.ChatBookings),
			Confirmed: numText(a.ConfirmedBookings)})
		groups = append(groups, svgGroupIn{Label: p.Short, Long: p.Long, Values: []int64{a.Sessions, a.ChatBookings}})
	}
	v.Activity = newSVGBarChart("activity", "Chats and bookings per "+unit,
		fmt.Sprintf("Bars per %s from %s: chats (solid) and bookings from chat (striped). %s chats and %s bookings in all.", unit, v.Range, v.Sessions, v.ChatBookings),
		[]string{"Chats", "Bookings from chat"}, groups)

	// Satisfaction: thumbs on messages, 1–5 ratings of whole chats, comments.
	v.ThumbsUp, v.ThumbsDown = numText(total.ThumbsUp), numText(total.ThumbsDown)
	v.Positive = pctText(total.ThumbsUp, total.ThumbsUp+total.ThumbsDown)
	v.Ratings, v.Average = numText(total.Ratings), "–"
	if total.Ratings > 0 {
		v.Average = strconv.FormatFloat(float64(total.RatingSum)/float64(total.Ratings), 'f', 1, 64) + " out of 5"
	}
	var stars [6]int64
	var rated int64
	for _, fb := range feedback {
		if fb.Type == frontdesk.FeedbackRating && fb.Rating >= 1 && fb.Rating <= 5 {
			stars[fb.Rating]++
			rated++
		}
	}
	hrows = nil
	for n := 5; n >= 1; n-- {
		label := fmt.Sprintf("%d stars", n)
		if n == 1 {
			label = "1 star"
		}
		v.RatingRows = append(v.RatingRows, anRatingRow{Stars: label, Count: numText(stars[n]), Share: pctText(stars[n], rated)})
		hrows = append(hrows, svgHBarIn{Label: label, N: stars[n], Value: numText(stars[n]), Class: "bar-1"})
	}
	v.RatingChart = newSVGHBarChart("ratings", "Ratings of whole chats",
		fmt.Sprintf("%s ratings from 1 to 5 stars, average %s.", numText(rated), v.Average), hrows)
	for _, fb := range slices.Backward(feedback) {
		if fb.Comment == "" {
			continue
		}
		if len(v.Comments) == anMaxComments {
			v.CommentsMore++
			continue
		}
		cl := anComment{When: localInstant(t, fb.CreatedAt), Comment: fb.Comment, Message: fb.Message}
		switch fb.Type {
		case frontdesk.FeedbackRating:
			cl.Kind = fmt.Sprintf("Rated %d out of 5", fb.Rating)
		case frontdesk.FeedbackThumbsUp:
			cl.Kind = "Thumbs up"
		case frontdesk.FeedbackThumbsDown:
			cl.Kind = "Thumbs down"
		default:
			cl.Kind = fb.Type
		}
		v.Comments = append(v.Comments, cl)
	}

	// The model's cost is counted in millionths of a US cent.
	v.InputTokens, v.OutputTokens = numText(total.InputTokens), numText(total.OutputTokens)
	v.Cost = modelCostText(total.CostMicroCents)
	v.CostCents = strconv.FormatFloat(float64(total.CostMicroCents)/1e6, 'f', 2, 64) + " US cents"
	if v.Budget, err = s.budgetMonth(r.Context(), t); err != nil {
		s.fail(w, r, c, err)
		return
	}
	s.render(w, r, c, http.StatusOK, "analytics", "Analytics", "analytics", v)
}

// sumAnalytics sums b into a.
func sumAnalytics(a, b *frontdesk.Analytics) {
	a.Sessions += b.Sessions
	a.ChatBookings += b.ChatBookings
	a.ConfirmedBookings += b.ConfirmedBookings
	a.ThumbsUp += b.ThumbsUp
	a.ThumbsDown += b.ThumbsDown
	a.Ratings += b.Ratings
	a.RatingSum += b.RatingSum
	a.Escalations += b.Escalations
	a.InputTokens += b.InputTokens
	a.OutputTokens += b.OutputTokens
	a.CostMicroCents += b.CostMicroCents
}

// anDays counts the days from a to b (0 for the same day).
func anDays(a, b frontdesk.Date) int {
	return int(math.Round(b.In(time.UTC).Sub(a.In(time.UTC)).Hours() / 24))
}

// anPeriods cuts a range into at most anMaxBars periods: days for up to a
// month, weeks (from the first day) for up to 31 weeks, else calendar
// months.
func anPeriods(from, to frontdesk.Date) ([]anPeriod, string) {
	n := anDays(from, to) + 1
	var out []anPeriod
	switch {
	case n <= anMaxBars:
		for d := from; !to.Before(d); d = d.AddDays(1) {
			day := d.In(time.UTC)
			out = append(out, anPeriod{From: d, To: d, Short: day.Format("2 Jan"), Row: day.Format("Mon 2 Jan"), Long: day.Format("Mon 2 Jan 2006")})
		}
		return out, "day"
	case n <= anMaxBars*7:
		for d := from; !to.Before(d); d = d.AddDays(7) {
			end := d.AddDays(6)
			if to.Before(end) {
				end = to
			}
			row := d.In(time.UTC).Format("2 Jan") + " – " + end.In(time.UTC).Format("2 Jan")
			out = append(out, anPeriod{From: d, To: end, Short: d.In(time.UTC).Format("2 Jan"), Row: row,
				Long: row + " " + end.In(time.UTC).Format("2006")})
		}
		return out, "week"
	}
	for d := from; !to.Before(d); {
		first := d.In(time.UTC)
		end := frontdesk.DateOf(time.Date(first.Year(), first.Month()+1, 1, 0, 0, 0, 0, time.UTC)).AddDays(-1)
		if to.Before(end) {
			end = to
		}
		long := first.Format("January 2006")
		if d.Day != 1 || end.AddDays(1).Month == end.Month {
			long = first.Format("2 Jan") + " – " + end.In(time.UTC).Format("2 Jan 2006")
		}
		short := first.Format("Jan")
		if len(out) == 0 || first.Month() == time.January {
			short = first.Format("Jan 2006")
		}
		out = append(out, anPeriod{From: d, To: end, Short: short, Row: long, Long: long})
		d = end.AddDays(1)
	}
	return out, "month"
}

// Charts are drawn here as geometry and written by the template as SVG, so
// every text in them is escaped like the rest of the page.

// svgBarChart is a vertical bar chart with groups of bars side by side.
type svgBarChart struct {
	ID, Title, Desc string
	Width, Height   int
	Left, Right     float64 // the plot's x bounds
	Top, Bottom     float64 // the plot's y bounds (Bottom is the axis)
	Grid            []svgGridLine
	Groups          []svgBarGroup
	Legend          []svgLegend
}

type svgGridLine struct {
	Y     float64
	Label string
}

type svgBarGroup struct {
	Label  string // "" when there is no room for it
	LabelX float64
	Bars   []svgBar
}

type svgBar struct {
	X, Y, W, H float64
	Class, Tip string
}

// svgLegend names a series; the page writes it in HTML beside the chart,
// where it wraps and reads at any width.
type svgLegend struct {
	Class string
	Label string
}

type svgGroupIn struct {
	Label, Long string
	Values      []int64
}

// svgSeries style the series of a bar chart: solid, then striped, so
// they differ without colour.
var svgSeries = []string{"series-1", "series-2"}

func newSVGBarChart(id, title, desc string, series []string, groups []svgGroupIn) svgBarChart {
	c := svgBarChart{ID: id, Title: title, Desc: desc, Width: 560, Height: 236, Left: 54, Right: 552, Top: 12, Bottom: 204}
	var most int64
	for _, g := range groups {
		for _, v := range g.Values {
			most = max(most, v)
		}
	}
	step := svgNiceStep(most)
	top := 4 * step
	for i := 0; i <= 4; i++ {
		val := step * int64(i)
		c.Grid = append(c.Grid, svgGridLine{Y: svgRound(c.Bottom - (c.Bottom-c.Top)*float64(val)/float64(top)), Label: numText(val)})
	}
	for i, name := range series {
		c.Legend = append(c.Legend, svgLegend{Class: svgSeries[i%len(svgSeries)], Label: name})
	}
	if len(groups) == 0 {
		return c
	}
	slot := (c.Right - c.Left) / float64(len(groups))
	every := int(math.Ceil(float64(len(groups)) / 6)) // about 6 labels fit, even on a phone
	nb := float64(len(series))
	bw := slot * 0.8 / nb
	for i, g := range groups {
		x0 := c.Left + slot*float64(i) + slot*0.1
		bg := svgBarGroup{LabelX: svgRound(x0 + slot*0.4)}
		if i%every == 0 {
			bg.Label = g.Label
		}
		for j, v := range g.Values {
			h := (c.Bottom - c.Top) * float64(v) / float64(top)
			bg.Bars = append(bg.Bars, svgBar{X: svgRound(x0 + bw*float64(j)), Y: svgRound(c.Bottom - h), W: svgRound(math.Max(bw-1, 1)), H: svgRound(h),
				Class: svgSeries[j%len(svgSeries)], Tip: g.Long + ": " + numText(v) + " " + strings.ToLower(series[j])})
		}
		c.Groups = append(c.Groups, bg)
	}
	return c
}

// svgHBarChart is a horizontal bar chart: one labelled bar per row.
type svgHBarChart struct {
	ID, Title, Desc string
	Width, Height   int
	Rows            []svgHBar
}

type svgHBar struct {
	Label, Value  string
	LabelY        float64 // the label's baseline, above the bar
	Y, W          float64
	ValueX, TextY float64 // the value's position, after the bar
	Class         string
}

type svgHBarIn struct {
	Label, Value string
	N            int64
	Class        string
}

func newSVGHBarChart(id, title, desc string, rows []svgHBarIn) svgHBarChart {
	// Each row: its label on a line of its own, then the bar and its value,
	// so a long label never squeezes the bar.
	const right, rowH = 470.0, 54.0
	c := svgHBarChart{ID: id, Title: title, Desc: desc, Width: 560, Height: int(rowH * float64(len(rows)))}
	var most int64
	for _, r := range rows {
		most = max(most, r.N)
	}
	for i, r := range rows {
		w := 0.0
		if most > 0 {
			w = right * float64(r.N) / float64(most)
		}
		y := rowH * float64(i)
		c.Rows = append(c.Rows, svgHBar{Label: r.Label, Value: r.Value, LabelY: y + 18, Y: y + 26, W: svgRound(w),
			ValueX: svgRound(w + 8), TextY: y + 42, Class: r.Class})
	}
	return c
}

// svgNiceStep returns the step of four grid lines that reach at least n: the
// smallest 1, 2, 2.5 or 5 times a power of ten that is at least n/4.
func svgNiceStep(n int64) int64 {
	need := (n + 3) / 4
	if need < 1 {
		return 1
	}
	for p := int64(1); ; p *= 10 {
		for _, m := range []int64{10, 20, 25, 50} { // tenths
			if step := p * m / 10; p*m%10 == 0 && step >= need {
				return step
			}
		}
	}
}

func svgRound(x float64) float64 { return math.Round(x*10) / 10 }
