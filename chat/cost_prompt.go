package chat

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/frontdeskhq/frontdesk"
)

// DefaultMaxTokens bounds one model answer when Service.MaxTokens is 0.
// The assistant's answers are short (the prompt asks for it, the widget is
// a chat bubble): the longest it should give, a fortnight of open times
// read out day by day, is about 350 tokens, and a tool call about 100.
// 600 leaves room for both, and caps what a runaway answer costs (output
// is priced five times input) and how long the visitor waits for it.
const DefaultMaxTokens = 600

// dayContext is the part of the model's context that changes by day and
// by visitor: today's date in the business's zone and what the session
// knows of the visitor. It goes after the static prompt, so that the
// static prompt's cache holds across days and visitors, and before the
// conversation, whose cache it is part of.
func (s *Service) dayContext(ctx context.Context, t *frontdesk.Tenant, c *frontdesk.CustomerToken, now time.Time) string {
	day := fmt.Sprintf("Today is %s.", now.In(t.Location()).Format("Monday 2 January 2006"))
	if v := s.visitorContext(ctx, t, c); v != "" {
		day += "\n\n" + v
	}
	return day
}

// tailCached says whether a call of the tool loop caches the loop so far
// (the messages after the settled conversation) as well. A turn with one
// tool call and then an answer, the common case, sends its tool call and
// result once more only: a cache write (1.25×) would cost more than
// sending them (1×). From the second tool round on, a further round is
// likely and reads the loop from the cache (0.1×).
func tailCached(round int) bool { return round >= 2 }

// supersededNote replaces a check_availability result the model no longer
// needs in full.
type supersededNote struct {
	Success     bool   `json:"success"`
	PackageID   string `json:"packageId"`
	PackageName string `json:"packageName"`
	StartDate   string `json:"startDate"`
	EndDate     string `json:"endDate"`
	Superseded  string `json:"superseded"`
}

// shortenSuperseded shortens, in a turn's tool loop (tail: the messages
// after the settled conversation), the check_availability results that a
// later step superseded: a later check_availability of the same service
// and dates (a fresher answer to the same question), or a booking
// proposal made after it (the customer chose). The service, the dates and
// what happened stay, so the model can ask again; a result of another
// service or other dates stays whole. Shortening a result changes the
// tail from it on: before the second round the tail is not cached
// (tailCached), so that costs nothing; later it gives up the cached tail
// after the shortened result, for a smaller result sent on every later
// round (TestSupersededAvailability pins both).
func shortenSuperseded(tail []frontdesk.LLMMessage) {
	type pos struct{ m, b int }
	names := map[string]string{} // tool_use id → tool name
	var avail []pos              // check_availability results, in order
	var outs []frontdesk.CheckAvailabilityOut
	lastProposal := pos{-1, -1}
	for i, m := range tail {
		for j, b := range m.Blocks {
			switch b.Type {
			case frontdesk.BlockToolUse:
				names[b.ToolUseID] = b.ToolName
			case frontdesk.BlockToolResult:
				if b.IsError {
					continue
				}
				switch names[b.ToolUseID] {
				case frontdesk.ToolCheckAvailability:
					var out frontdesk.CheckAvailabilityOut
					var note supersededNote
					if json.Unmarshal([]byte(b.Content), &out) != nil || !out.Success ||
						(json.Unmarshal([]byte(b.Content), &note) == nil && note.Superseded != "") {
						continue
					}
					avail, outs = append(avail, pos{i, j}), append(outs, out)
				case frontdesk.ToolBookService:
					lastProposal = pos{i, j}
				}
			}
		}
	}
	before := func(a, b pos) bool { return a.m < b.m || (a.m == b.m && a.b < b.b) }
	for k, p := range avail {
		var why string
		for _, later := range outs[k+1:] {
			if later.PackageID == outs[k].PackageID && later.StartDate == outs[k].StartDate && later.EndDate == outs[k].EndDate {
				why = "a later check_availability of the same service and dates replaces this one"
			}
		}
		if before(p, lastProposal) {
			why = "a booking proposal was made after this; call check_availability again for other times"
		}
		if why == "" {
			continue
		}
		o := outs[k]
		note, _ := json.Marshal(supersededNote{Success: true, PackageID: o.PackageID, PackageName: o.PackageName,
			StartDate: o.StartDate, EndDate: o.EndDate, Superseded: why})
		tail[p.m].Blocks[p.b].Content = string(note)
	}
}
