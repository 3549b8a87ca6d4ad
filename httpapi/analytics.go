package httpapi

import (
	"math"
	"net/http"

	"github.com/frontdeskhq/frontdesk"
	"github.com/frontdeskhq/frontdesk/chat"
)

// AnalyticsView is the tenant's chat analytics over a range of its days.
type AnalyticsView struct {
	From           frontdesk.Date `json:"from"`
	To             frontdesk.Date `json:"to"`
	Sessions       int64          `json:"sessions"`
	Bookings       BookingCounts  `json:"bookings"`
	ConversionRate float64        `json:"conversionRate"` // chat bookings per session
	CSAT           CSATView       `json:"csat"`
	Escalations    int64          `json:"escalations"`
	EscalationRate float64        `json:"escalationRate"` // escalations per session
	Tokens         TokenCounts    `json:"tokens"`
	CostCents      float64        `json:"costCents"` // estimated model cost
	// Budget is this calendar month's estimated model cost against the
	// tenant's monthly budget; absent when it has none.
	Budget *BudgetView `json:"budget,omitempty"`
}

// BudgetView is the current month's model spend against the budget, in US
// cents. It covers the month of today in the tenant's time zone, whatever
// range the rest of the analytics covers.
type BudgetView struct {
	Month      string  `json:"month"` // YYYY-MM
	MonthCents int64   `json:"monthCents"`
	SpentCents float64 `json:"spentCents"`
}

// BookingCounts counts the bookings made through the chat.
type BookingCounts struct {
	FromChat  int64 `json:"fromChat"`
	Confirmed int64 `json:"confirmed"`
}

// CSATView sums customer feedback.
type CSATView struct {
	ThumbsUp      int64    `json:"thumbsUp"`
	ThumbsDown    int64    `json:"thumbsDown"`
	Ratings       int64    `json:"ratings"`
	AverageRating *float64 `json:"averageRating,omitempty"` // absent without ratings
}

// TokenCounts sums model tokens.
type TokenCounts struct {
	Input  int64 `json:"input"`
	Output int64 `json:"output"`
}

// maxAnalyticsDays bounds one analytics query.
const maxAnalyticsDays = 366

func (s *Server) analytics(r *http.Request) (tenantStep, error) {
	from, to, err := dateRange(r)
	if err != nil {
		return nil, err
	}
	return func(t *frontdesk.Tenant) (any, error) {
		loc := t.Location()
		today := frontdesk.DateOf(s.now().In(loc))
		end, start := today, today.AddDays(-29) // the last 30 days by default
		if to != nil {
			end = *to
		}
		if from != nil {
			start = *from
		} else if to != nil {
			start = end.AddDays(-29)
		}
		if end.Before(start) {
			return nil, frontdesk.Invalid(frontdesk.FieldError{Field: "to", Message: "must not be before from"})
		}
		if start.AddDays(maxAnalyticsDays - 1).Before(end) {
			return nil, frontdesk.Invalid(frontdesk.FieldError{Field: "from", Message: "the range may span at most 366 days"})
		}
		a, err := s.Store.Analytics(r.Context(), t.ID, start, end, start.In(loc), end.AddDays(1).In(loc))
		if err != nil {
			return nil, err
		}
		v := &AnalyticsView{From: start, To: end, Sessions: a.Sessions,
			Bookings:    BookingCounts{FromChat: a.ChatBookings, Confirmed: a.ConfirmedBookings},
			CSAT:        CSATView{ThumbsUp: a.ThumbsUp, ThumbsDown: a.ThumbsDown, Ratings: a.Ratings},
			Escalations: a.Escalations, Tokens: TokenCounts{Input: a.InputTokens, Output: a.OutputTokens},
			CostCents: round(float64(a.CostMicroCents)/1e6, 4)}
		if a.Sessions > 0 {
			v.ConversionRate = round(float64(a.ChatBookings)/float64(a.Sessions), 4)
			v.EscalationRate = round(float64(a.Escalations)/float64(a.Sessions), 4)
		}
		if a.Ratings > 0 {
			avg := round(float64(a.RatingSum)/float64(a.Ratings), 2)
			v.CSAT.AverageRating = &avg
		}
		// A budget of 0 (no model at all) is a budget too: monthCents 0.
		if budget := t.Settings.MonthlyTokenBudgetCents; budget != nil {
			month := chat.MonthStart(t, s.now())
			spent, err := s.Store.TokenSpend(r.Context(), t.ID, month)
			if err != nil {
				return nil, err
			}
			v.Budget = &BudgetView{Month: month.Format("2006-01"), MonthCents: *budget, SpentCents: round(float64(spent)/1e6, 4)}
		}
		return v, nil
	}, nil
}

func round(x float64, places int) float64 {
	p := math.Pow(10, float64(places))
	return math.Round(x*p) / p
}
