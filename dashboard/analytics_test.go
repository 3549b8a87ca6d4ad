package dashboard_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/frontdeskhq/frontdesk"
)

// ibSeedAnalytics gives tenant a a month of chat activity (New York days).
func ibSeedAnalytics(t *testing.T, h *harness) {
	t.Helper()
	ctx := context.Background()
	a := h.a.Tenant.ID
	for _, d := range [][2]int{{12, 1}, {12, 1}, {12, 5}, {12, 10}, {11, 5}} {
		if err := h.store.CountSession(ctx, a, frontdesk.Date{Year: 2026, Month: time.Month(d[0]), Day: d[1]}); err != nil {
			t.Fatal(err)
		}
	}
	ann := ibCustomer(t, h, h.a, "Ann Lee", "ann@example.com")
	ibBooking(t, h, h.a, h.a.Portrait, ann, ibNY(12, 14, 10, 0), frontdesk.StatusConfirmed, ibNY(12, 2, 12, 0))
	ibBooking(t, h, h.a, h.a.Wedding, ann, ibNY(12, 20, 10, 0), frontdesk.StatusPending, ibNY(12, 3, 12, 0))
	fb := func(target, typ string, rating int, comment, message string, at time.Time) {
		if err := h.store.SaveFeedback(ctx, &frontdesk.Feedback{ID: frontdesk.NewID(), TenantID: a, SessionID: "s-" + target,
			Target: target, Type: typ, Rating: rating, Comment: comment, Message: message, CreatedAt: at}); err != nil {
			t.Fatal(err)
		}
	}
	fb(frontdesk.FeedbackSessionTarget, frontdesk.FeedbackRating, 4, ibScript+" too slow", "", ibNY(12, 2, 9, 0))
	fb("m1", frontdesk.FeedbackThumbsDown, 0, "Wrong hours", "We open at 8 "+ibScript, ibNY(12, 3, 9, 0))
	fb("m2", frontdesk.FeedbackThumbsUp, 0, "", "Sure!", ibNY(12, 4, 9, 0))
	fb("session2", frontdesk.FeedbackRating, 2, "", "", ibNY(12, 5, 9, 0))
	ibEscalation(t, h, h.a, "Help", "ann@example.com", "", frontdesk.EscalationPending, ibNY(12, 5, 10, 0))
	for _, d := range []int{2, 6} {
		if err := h.store.RecordTokenUsage(ctx, &frontdesk.TokenUsage{ID: frontdesk.NewID(), TenantID: a, SessionID: "s", Model: "m",
			InputTokens: 1000, OutputTokens: 100, CostMicroCents: 75_000_000, CreatedAt: ibNY(12, d, 11, 0)}); err != nil {
			t.Fatal(err)
		}
	}
}

func TestAnalyticsPage(t *testing.T) {
	eachBackend(t, func(t *testing.T, h *harness) {
		ibSeedAnalytics(t, h)
		o := h.signIn(t, h.a)

		// The last 30 days by default.
		p := o.get(t, "/dashboard/analytics")
		wantPage(t, p, http.StatusOK, `value="2026-11-11"`, `value="2026-12-10"`, "Wed 11 Nov 2026 – Thu 10 Dec 2026",
			`<label for="from">`, `<label for="to">`, `aria-current="page">Last 30 days</a>`,
			`href="/dashboard/analytics?from=2026-12-04&amp;to=2026-12-10"`, `href="/dashboard/analytics?from=2026-09-12&amp;to=2026-12-10"`,
			"Chats and bookings per day", `<title id="activity-title">`, `<desc id="activity-desc">`, `role="img"`,
			`<title id="funnel-title">`, `<title id="ratings-title">`,
			"Tue 1 Dec 2026", "3.0 out of 5", "$1.50", "150.00 US cents", "2,000",
			"Wrong hours", "We open at 8 &lt;script&gt;alert(1)&lt;/script&gt;", "&lt;script&gt;alert(1)&lt;/script&gt; too slow",
			"Rated 4 out of 5", "Thumbs down")
		if strings.Contains(p.Body, ibScript) {
			t.Error("a customer's <script> reaches the page unescaped")
		}
		flat := ibSquash(p.Body)
		for _, want := range []string{
			"<dt>Chats</dt><dd>4</dd>", "<dt>Bookings from chat</dt><dd>2</dd>", "<dt>Confirmed</dt><dd>1</dd>",
			"<dd>1</dd><dd class=\"stat-note\">25% of chats</dd>",
			// the funnel's table: count, of chats, of the step before
			`<th scope="row">Bookings from chat</th><td class="num">2</td><td class="num">50%</td>`,
			`<th scope="row">Confirmed (paid, or free)</th><td class="num">1</td><td class="num">25%</td><td class="num">50%</td>`,
			// the day's row beside the chart
			`<th scope="row">Tue 1 Dec</th><td class="num">2</td>`,
			`<th scope="row">4 stars</th><td class="num">1</td><td class="num">50%</td>`,
		} {
			if !strings.Contains(flat, want) {
				t.Errorf("the page lacks %s", want)
			}
		}
		if n := strings.Count(p.Body, `class="series-1"`); n != 30 {
			t.Errorf("%d solid bars, want 30: one a day", n)
		}
		if strings.Contains(p.Body, "Sure!") {
			t.Error("feedback without a comment is listed as a comment")
		}

		// Longer ranges: weeks up to 31 of them, then months.
		p = o.get(t, "/dashboard/analytics?from=2026-09-12&to=2026-12-10")
		wantPage(t, p, http.StatusOK, "Chats and bookings per week", "12 Sep – 18 Sep 2026", `aria-current="page">Last 90 days</a>`)
		if n := strings.Count(p.Body, `class="series-1"`); n != 13 {
			t.Errorf("90 days: %d solid bars, want 13", n)
		}
		p = o.get(t, "/dashboard/analytics?from=2025-12-10&to=2026-12-10")
		wantPage(t, p, http.StatusOK, "Chats and bookings per month", "10 Dec – 31 Dec 2025", "November 2026", "1 Dec – 10 Dec 2026")
		if n := strings.Count(p.Body, `class="series-1"`); n != 13 {
			t.Errorf("366 days: %d solid bars, want 13", n)
		}
		// Only the end: the 30 days before it.
		wantPage(t, o.get(t, "/dashboard/analytics?to=2026-12-05"), http.StatusOK, `value="2026-11-06"`, "Fri 6 Nov 2026 – Sat 5 Dec 2026")

		// Errors next to their fields, with what was typed.
		for _, c := range []struct {
			query, field, msg, kept string
		}{
			{"from=2025-12-09&to=2026-12-10", "from", "Choose at most 366 days", `value="2025-12-09"`},
			{"from=2026-12-10&to=2026-12-01", "to", "must not be before the first day", `value="2026-12-01"`},
			{"from=yesterday&to=2026-12-10", "from", "Enter the first day as a date", `value="yesterday"`},
			{"from=2026-12-01&to=2026-02-30", "to", "Enter the last day as a date", `value="2026-02-30"`},
			{"from=2026-12-11", "from", "must not be after today, 2026-12-10", `value="2026-12-11"`},
		} {
			p := o.get(t, "/dashboard/analytics?"+c.query)
			wantPage(t, p, http.StatusBadRequest, `class="alert"`, `id="`+c.field+`-error"`, c.msg, c.kept,
				`aria-describedby="`+c.field+`-error"`)
			if strings.Contains(p.Body, "<svg") {
				t.Errorf("%s: numbers shown for an invalid range", c.query)
			}
		}

		// Another business sees none of it.
		p = h.signIn(t, h.b).get(t, "/dashboard/analytics")
		wantPage(t, p, http.StatusOK, "No comments in this range.", "$0.00")
		if f := ibSquash(p.Body); !strings.Contains(f, "<dt>Chats</dt><dd>0</dd>") || strings.Contains(p.Body, "Wrong hours") {
			t.Error("another business's numbers leak")
		}
	})
}
