package guided

import (
	"fmt"
	"strings"
	"testing"
)

// The held-out set (testdata/heldout.jsonl) is written by hand, apart from
// the corpus's templates and by someone other than the parser's author, the
// way visitors type: lowercase, typos, no punctuation, everything in one
// message or spread over several, corrections, questions in the middle,
// names with particles and accents, phones beside times and dates,
// returning customers, cancel and reschedule, a person, and bad input. The
// corpus shows the parser reads the phrasings its author thought of; this
// set checks it reads others.

const heldoutFile = "testdata/heldout.jsonl"

// heldoutCase is one hand-written conversation and how it must end.
type heldoutCase struct {
	ID    string   `json:"id"`
	Kind  string   `json:"kind"`
	Turns []string `json:"turns"`
	// RequirePhone runs it for a business that requires a phone.
	RequirePhone bool      `json:"requirePhone,omitempty"`
	Customer     *Customer `json:"customer,omitempty"`
	// Expect is how it ends: "book" (the default: in Want), "none" (no
	// proposal: the assistant must ask or explain, not guess), "human" (a
	// person is offered or asked for), "cancel" or "reschedule" (a change
	// proposal as Change says).
	Expect string        `json:"expect,omitempty"`
	Want   corpusBooking `json:"want"`
	// Interim are proposals made before the visitor corrected them: each
	// was what the visitor had asked for at the time.
	Interim []corpusBooking `json:"interim,omitempty"`
	Change  *changeCall     `json:"change,omitempty"`
}

// judgeHeldout reports whether a conversation ended as its case expects,
// recording a failure (or a wrong proposal) when it did not.
func judgeHeldout(t *testing.T, r *evalReport, c heldoutCase, conv conversation) bool {
	t.Helper()
	switch c.Expect {
	case "", "book":
		if len(conv.changes) > 0 {
			r.wrongProposal(c.ID, c.Kind+": a change instead", "a change tool was called", conv)
			return false
		}
		return r.checkBooking(t, c.ID, c.Kind, c.Want, c.Interim, conv)
	}
	if len(conv.proposals) > 0 {
		r.wrongProposal(c.ID, c.Kind+": a proposal where none was due",
			fmt.Sprintf("expected %s, proposed %+v", c.Expect, conv.proposals[0]), conv)
		return false
	}
	if q := conv.askedThrice(); q != "" {
		r.fail(t, c.ID, c.Kind+": same question thrice", conv)
		return false
	}
	switch c.Expect {
	case "none":
		if len(conv.changes) > 0 {
			r.wrongProposal(c.ID, c.Kind+": a change where none was due", "a change tool was called", conv)
			return false
		}
		return true
	case "human":
		// A person asked for (request_human) or being asked for (the
		// hand-over's questions); an answer that merely mentions a person,
		// as every fallback does, is not one.
		if conv.humanCalls > 0 || conv.handingOver {
			return true
		}
		r.fail(t, c.ID, c.Kind+": no person asked for", conv)
		return false
	case "cancel", "reschedule":
		return judgeChange(t, r, c, conv)
	}
	t.Fatalf("%s: unknown expect %q", c.ID, c.Expect)
	return false
}

// judgeChange checks a cancel or reschedule conversation: every call that
// names the right booking must be the change asked for, and one must be
// made.
func judgeChange(t *testing.T, r *evalReport, c heldoutCase, conv conversation) bool {
	t.Helper()
	op := "cancel_booking"
	if c.Expect == "reschedule" {
		op = "reschedule_booking"
	}
	made := false
	for _, ch := range conv.changes {
		if ch.Code != c.Change.Code || !strings.EqualFold(ch.Email, c.Change.Email) {
			continue // a look-up that finds nothing proposes nothing
		}
		if ch.Op != op || ch.NewDate != c.Change.NewDate || ch.NewTime != c.Change.NewTime {
			r.wrongProposal(c.ID, c.Kind+": wrong change", fmt.Sprintf("%s %s %s, want %s %s %s", ch.Op, ch.NewDate, ch.NewTime, op, c.Change.NewDate, c.Change.NewTime), conv)
			return false
		}
		made = true
	}
	if !made {
		r.fail(t, c.ID, c.Kind+": no change proposal", conv)
	}
	return made
}
