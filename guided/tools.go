package guided

// The tools, reached only through Input.Tools.

import (
	"encoding/json"
	"sort"
	"strings"
	"time"

	"github.com/frontdeskhq/frontdesk"
)

// ---------------------------------------------------------------- tools

// call runs a tool and decodes its result into out. It returns the tool's
// error message, or "" on success.
func (c *conv) call(name string, in, out any) string {
	return c.callTool(name, in, out).Error
}

// toolFailure is what a failed tool said: its message and, from the change
// tools, the error code, the input field to blame and the look-ups left.
type toolFailure struct {
	Error     string `json:"error"`
	Code      string `json:"code"`
	Field     string `json:"field"`
	TriesLeft *int   `json:"triesLeft"`
}

// callTool runs a tool and decodes its result into out. Error is "" on
// success.
func (c *conv) callTool(name string, in, out any) toolFailure {
	broken := toolFailure{Error: "Something went wrong on our side."}
	if c.in.Tools == nil {
		return toolFailure{Error: "The booking system is not available right now."}
	}
	input, err := json.Marshal(in)
	if err != nil {
		return broken
	}
	raw := c.in.Tools.RunTool(c.ctx, name, input)
	var head struct {
		Success *bool `json:"success"`
		toolFailure
	}
	if json.Unmarshal(raw, &head) != nil {
		return broken
	}
	if head.Success != nil && !*head.Success || head.Success == nil && head.Error != "" {
		f := head.toolFailure
		f.Error = strings.TrimSpace(f.Error)
		if f.Error == "" {
			f.Error = broken.Error
		}
		return f
	}
	if json.Unmarshal(raw, out) != nil {
		return broken
	}
	return toolFailure{}
}

// loadServices runs get_services once per turn.
func (c *conv) loadServices() ([]frontdesk.ServiceOut, string) {
	if !c.servicesLoaded {
		c.servicesLoaded = true
		var out frontdesk.GetServicesOut
		c.servicesErr = c.call(frontdesk.ToolGetServices, frontdesk.GetServicesIn{}, &out)
		for _, s := range out.Services {
			if s.ID != "" && s.Name != "" {
				c.services = append(c.services, s)
			}
		}
	}
	return c.services, c.servicesErr
}

// businessInfo calls get_business_info once a turn, however many answers
// of the turn need it; the error message is "" on success.
func (c *conv) businessInfo() (*frontdesk.GetBusinessInfoOut, string) {
	if !c.infoLoaded {
		c.infoLoaded = true
		c.infoErr = c.call(frontdesk.ToolGetBusinessInfo, frontdesk.GetBusinessInfoIn{}, &c.info)
	}
	return &c.info, c.infoErr
}

func (c *conv) availability(from, to frontdesk.Date) (frontdesk.CheckAvailabilityOut, string) {
	var out frontdesk.CheckAvailabilityOut
	errMsg := c.call(frontdesk.ToolCheckAvailability, frontdesk.CheckAvailabilityIn{
		PackageID: c.st.ServiceID,
		StartDate: from.String(),
		EndDate:   to.String(),
	}, &out)
	return out, errMsg
}

// slot is one open start time of a TIMESLOT package.
type slot struct {
	start   string // RFC 3339 in the tenant's zone, as book_service takes it
	date    string // local YYYY-MM-DD
	minutes int    // local minutes after midnight
}

func (c *conv) slotAt(t time.Time) slot {
	t = t.In(c.loc)
	return slot{start: t.Format(time.RFC3339), date: frontdesk.DateOf(t).String(), minutes: t.Hour()*60 + t.Minute()}
}

// slotMinutes returns the local time of day of an RFC 3339 start, or -1.
func (c *conv) slotMinutes(start string) int {
	t, err := time.Parse(time.RFC3339, start)
	if err != nil {
		return -1
	}
	return c.slotAt(t).minutes
}

// slotsOn returns the open slots of day d, in time order.
func (c *conv) slotsOn(out frontdesk.CheckAvailabilityOut, d frontdesk.Date) []slot {
	var slots []slot
	for _, at := range out.Starts(c.loc) {
		if s := c.slotAt(at); s.date == d.String() {
			slots = append(slots, s)
		}
	}
	sort.SliceStable(slots, func(i, j int) bool { return slots[i].minutes < slots[j].minutes })
	return slots
}

// openDays returns up to n open days of the service in the two weeks from
// day from.
func (c *conv) openDays(from frontdesk.Date, n int) ([]frontdesk.Date, string) {
	out, errMsg := c.availability(from, from.AddDays(13))
	if errMsg != "" {
		return nil, errMsg
	}
	var names []string
	if c.st.BookingType == frontdesk.BookingDate {
		names = out.Dates
	} else {
		for _, d := range out.Days {
			names = append(names, d.Date)
		}
	}
	var days []frontdesk.Date
	seen := map[string]bool{}
	for _, name := range names {
		d, err := frontdesk.ParseDate(name)
		if err != nil || seen[name] || d.Before(from) || d.Before(c.today) {
			continue
		}
		seen[name] = true
		days = append(days, d)
	}
	sort.Slice(days, func(i, j int) bool { return days[i].Before(days[j]) })
	if len(days) > n {
		days = days[:n]
	}
	return days, ""
}
