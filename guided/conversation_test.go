package guided

import (
	"context"
	"encoding/json"
	"fmt"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/frontdeskhq/frontdesk"
)

// The harness the evaluation sets (the generated corpus and the held-out
// set) share: a conversation is held through Respond with the fake tools,
// and what it proposed is read back from the tool calls.

// conversation is what one conversation did.
type conversation struct {
	// proposals are the bookings of every book_service call, in order.
	proposals []corpusBooking
	// changes are the cancel_booking and reschedule_booking calls, in order.
	changes []changeCall
	// humanCalls counts request_human calls.
	humanCalls int
	// handingOver says the conversation ended in the hand-over to a
	// person, asking for what the business needs to reply.
	handingOver bool
	turns       []Turn
	transcript  []string
}

// changeCall is one cancel_booking or reschedule_booking call.
type changeCall struct {
	Op      string `json:"-"`
	Code    string `json:"code"`
	Email   string `json:"email"`
	NewDate string `json:"newDate,omitempty"`
	NewTime string `json:"newTime,omitempty"`
}

// runConversation holds the conversation through Respond with the fake
// tools, for a business that requires a phone or not, with a returning
// customer or none.
func runConversation(msgs []string, requirePhone bool, customer *Customer) conversation {
	return runConversationAt(testTenant(), newFakeTools(), msgs, requirePhone, customer)
}

// runConversationAt is runConversation for another business: its tenant
// and the fake tools that answer for it.
func runConversationAt(tenant *frontdesk.Tenant, tools *fakeTools, msgs []string, requirePhone bool, customer *Customer) conversation {
	tenant.Settings.RequirePhone = tenant.Settings.RequirePhone || requirePhone
	var conv conversation
	var state json.RawMessage
	for _, msg := range msgs {
		turn := Respond(context.Background(), Input{Tenant: tenant, Now: testNow, State: state, Message: msg, Tools: tools, Customer: customer})
		state = turn.State
		conv.turns = append(conv.turns, turn)
		conv.transcript = append(conv.transcript, "> "+msg, "< "+turn.Reply)
		if len(turn.Suggestions) > 0 {
			conv.transcript = append(conv.transcript, "  ["+strings.Join(turn.Suggestions, " | ")+"]")
		}
	}
	conv.handingOver = loadState(state).Change == changeHuman
	for _, c := range tools.calls {
		switch c.Name {
		case frontdesk.ToolBookService:
			conv.proposals = append(conv.proposals, bookingOf(c.Input, tools.loc))
		case frontdesk.ToolCancelBooking, frontdesk.ToolRescheduleBooking:
			var in frontdesk.RescheduleBookingIn
			_ = json.Unmarshal(c.Input, &in)
			conv.changes = append(conv.changes, changeCall{Op: c.Name, Code: in.BookingReference, Email: in.CustomerEmail, NewDate: in.NewDate, NewTime: in.NewTime})
		case frontdesk.ToolRequestHuman:
			conv.humanCalls++
		}
	}
	return conv
}

// bookingOf reads a book_service input back as the booking it proposes.
func bookingOf(input json.RawMessage, loc *time.Location) corpusBooking {
	var in frontdesk.BookServiceIn
	if err := json.Unmarshal(input, &in); err != nil {
		return corpusBooking{Service: "bad input"}
	}
	got := corpusBooking{Service: in.PackageID, Date: in.Date, Name: in.CustomerName, Email: in.CustomerEmail, Phone: in.CustomerPhone}
	if in.StartTime != "" {
		at, err := time.Parse(time.RFC3339, in.StartTime)
		if err != nil {
			got.Time = "bad:" + in.StartTime
		} else {
			got.Time = at.In(loc).Format("15:04")
		}
	}
	return got
}

// diff names the fields where got differs from want. A phone is compared
// by its digits (a leading country code 1 aside), an email without regard
// to case, and a name written all in one case may come back capitalised:
// none of these changes what the visitor asked for.
func (want corpusBooking) diff(got corpusBooking) []string {
	var out []string
	for _, f := range []struct {
		name, w, g string
		same       func(w, g string) bool
	}{
		{"service", want.Service, got.Service, nil}, {"date", want.Date, got.Date, nil}, {"time", want.Time, got.Time, nil},
		{"name", want.Name, got.Name, sameName}, {"email", want.Email, got.Email, strings.EqualFold},
		{"phone", want.Phone, got.Phone, samePhone},
	} {
		same := f.w == f.g
		if !same && f.same != nil {
			same = f.same(f.w, f.g)
		}
		if !same {
			out = append(out, fmt.Sprintf("%s %q≠%q", f.name, f.g, f.w))
		}
	}
	return out
}

func sameName(want, got string) bool {
	oneCase := want == strings.ToLower(want) || want == strings.ToUpper(want)
	return oneCase && strings.EqualFold(want, got)
}

func samePhone(want, got string) bool {
	digits := func(s string) string {
		d := strings.Map(func(r rune) rune {
			if r >= '0' && r <= '9' {
				return r
			}
			return -1
		}, s)
		if len(d) == 11 && d[0] == '1' {
			d = d[1:]
		}
		return d
	}
	return want != "" && digits(want) == digits(got)
}

// reLastQuestion is the last question of a reply.
var reLastQuestion = regexp.MustCompile(`[^.!?\n]*\?`)

// askedThrice reports the question a conversation asked in three replies
// in a row, "" if none: the assistant must offer a way on (quick replies,
// a person) rather than ask the same thing a third time.
func (c conversation) askedThrice() string {
	run, last := 0, ""
	for _, t := range c.turns {
		qs := reLastQuestion.FindAllString(t.Reply, -1)
		q := ""
		if len(qs) > 0 {
			q = strings.TrimSpace(qs[len(qs)-1])
		}
		switch {
		case q == "":
			run, last = 0, ""
		case q == last:
			run++
		default:
			run, last = 1, q
		}
		if run >= 3 {
			return q
		}
	}
	return ""
}

// evalReport tallies an evaluation set's outcomes by kind of failure.
type evalReport struct {
	name     string
	total    int
	ok       int
	failures map[string][]string // kind of failure → case ids
	wrong    []string            // wrong proposals, with their transcripts
}

func newEvalReport(name string) *evalReport {
	return &evalReport{name: name, failures: map[string][]string{}}
}

// fail records a failure of case id of the given kind.
func (r *evalReport) fail(t *testing.T, id, kind string, conv conversation) {
	t.Helper()
	r.failures[kind] = append(r.failures[kind], id)
	t.Logf("%s: %s\n%s", id, kind, strings.Join(conv.transcript, "\n"))
}

// wrongProposal records a proposal that differs from what was asked.
func (r *evalReport) wrongProposal(id, kind, detail string, conv conversation) {
	r.failures[kind] = append(r.failures[kind], id)
	r.wrong = append(r.wrong, fmt.Sprintf("%s: %s\n%s", id, detail, strings.Join(conv.transcript, "\n")))
}

// finish logs the rate and the failures by kind, and fails the test on any
// wrong proposal or under minRate.
func (r *evalReport) finish(t *testing.T, minRate float64) {
	t.Helper()
	rate := float64(r.ok) / float64(max(r.total, 1))
	t.Logf("%s: %d/%d conversations end as asked (%.1f%%)", r.name, r.ok, r.total, 100*rate)
	kinds := make([]string, 0, len(r.failures))
	for k := range r.failures {
		kinds = append(kinds, k)
	}
	sort.Strings(kinds)
	for _, k := range kinds {
		t.Logf("  %-44s %3d  %s", k, len(r.failures[k]), strings.Join(r.failures[k][:min(len(r.failures[k]), 8)], " "))
	}
	for _, w := range r.wrong {
		t.Errorf("WRONG PROPOSAL %s", w)
	}
	if rate < minRate {
		t.Errorf("%s rate %.1f%% is under %.0f%%", r.name, 100*rate, 100*minRate)
	}
}

// checkBooking judges a conversation that must end in want: every
// proposal on the way must be want or one of allowed (a booking proposed
// before the visitor corrected it), the last must be want, and no question
// may be asked three times in a row. It reports whether the case passed.
func (r *evalReport) checkBooking(t *testing.T, id, kind string, want corpusBooking, allowed []corpusBooking, conv conversation) bool {
	t.Helper()
	for i, p := range conv.proposals {
		if len(want.diff(p)) == 0 {
			continue
		}
		fine := false
		for _, a := range allowed {
			if len(a.diff(p)) == 0 {
				fine = true
			}
		}
		if !fine {
			d := want.diff(p)
			r.wrongProposal(id, kind+": wrong "+strings.SplitN(d[0], " ", 2)[0],
				fmt.Sprintf("proposal %d of %d: %s", i+1, len(conv.proposals), strings.Join(d, ", ")), conv)
			return false
		}
	}
	switch {
	case len(conv.proposals) == 0:
		r.fail(t, id, kind+": no proposal", conv)
	case len(want.diff(conv.proposals[len(conv.proposals)-1])) > 0:
		r.fail(t, id, kind+": ends on an earlier proposal", conv)
	case conv.askedThrice() != "":
		r.fail(t, id, kind+": same question thrice", conv)
	default:
		return true
	}
	return false
}
