package availability

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/frontdeskhq/frontdesk"
)

// WeekOrder is the order in which a week is shown: Monday first.
var WeekOrder = [7]time.Weekday{time.Monday, time.Tuesday, time.Wednesday, time.Thursday, time.Friday, time.Saturday, time.Sunday}

// DescribeWeek says in words when the rules are open, Monday first, joining
// consecutive days with the same hours: "Monday to Friday 9:00 AM to 5:00
// PM; Saturday 10:00 AM to 2:00 PM; closed Sunday". It is what a visitor is
// told, so it can never drift from what can be booked.
func DescribeWeek(rules []frontdesk.AvailabilityRule) string {
	var day [7]string // by WeekOrder index: the day's ranges in words, "" closed
	for i, wd := range WeekOrder {
		var rs []frontdesk.AvailabilityRule
		for _, r := range rules {
			if r.Weekday == wd && r.Start < r.End {
				rs = append(rs, r)
			}
		}
		slices.SortFunc(rs, func(a, b frontdesk.AvailabilityRule) int { return a.Start - b.Start })
		var parts []string
		for _, r := range rs {
			parts = append(parts, ClockText(r.Start)+" to "+ClockText(r.End))
		}
		day[i] = strings.Join(parts, " and ")
	}
	if slices.Equal(day[:], make([]string, 7)) {
		return "No opening hours are set."
	}
	var open, closed []string
	for i := 0; i < 7; {
		j := i
		for j+1 < 7 && day[j+1] == day[i] {
			j++
		}
		name := WeekOrder[i].String()
		switch {
		case j == i+1:
			name += " and " + WeekOrder[j].String()
		case j > i:
			name += " to " + WeekOrder[j].String()
		}
		if day[i] == "" {
			closed = append(closed, name)
		} else {
			open = append(open, name+" "+day[i])
		}
		i = j + 1
	}
	out := strings.Join(open, "; ")
	if len(closed) > 0 {
		out += "; closed " + strings.Join(closed, ", ")
	}
	return out + "."
}

// ClockText writes minutes after midnight as a 12-hour time: "9:00 AM",
// "12:30 PM", "midnight" for the end of the day.
func ClockText(minute int) string {
	if minute >= 24*60 {
		return "midnight"
	}
	h, m := minute/60, minute%60
	suffix := "AM"
	if h >= 12 {
		suffix = "PM"
	}
	if h = h % 12; h == 0 {
		h = 12
	}
	return fmt.Sprintf("%d:%02d %s", h, m, suffix)
}
