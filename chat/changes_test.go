package chat_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/frontdeskhq/frontdesk"
	"github.com/frontdeskhq/frontdesk/chat"
	"github.com/frontdeskhq/frontdesk/claude/claudetest"
	"github.com/frontdeskhq/frontdesk/ratelimit"
	"github.com/frontdeskhq/frontdesk/sqlstore"
	"github.com/frontdeskhq/frontdesk/storetest"
)

var (
	// friday3pm is Friday 11 December 2026, 3:00 PM in New York: 29 hours
	// after testNow, inside the default policy's 50% tier.
	friday3pm = time.Date(2026, 12, 11, 20, 0, 0, 0, time.UTC)
	// monday1015 is Monday 14 December 2026, 10:15 AM in New York.
	monday1015 = time.Date(2026, 12, 14, 15, 15, 0, 0, time.UTC)
)

// customerBooking stores a Portrait Session of tenant f at start for
// email, confirmed and paid when paid, under the default booking rules
// (refunds 100% from 48 hours before, 50% after; moves up to 24 hours
// before, twice).
func (e *env) customerBooking(t testing.TB, f *storetest.Fixture, email string, start time.Time, paid bool) *frontdesk.Booking {
	t.Helper()
	f.Tenant.Settings = frontdesk.DefaultSettings()
	b := f.Booking(f.Portrait, f.Customer(t, e.store, email), start)
	if paid {
		at := e.clock.Now().Add(-time.Hour)
		b.Status, b.PaidAt = frontdesk.StatusConfirmed, &at
	}
	must(t, e.store.CreateBooking(ctx, b))
	return b
}

// modelCalls has the model call these tools in one turn of session sid,
// sent with c, and returns their results and the reply.
func (e *env) modelCalls(t testing.TB, c context.Context, f *storetest.Fixture, sid string, calls ...claudetest.Block) ([]claudetest.Block, *chat.Reply) {
	t.Helper()
	before := len(e.fake.Requests())
	e.fake.Reply(claudetest.Content(calls...), claudetest.Text("Done."))
	r, err := e.svc.Send(c, f.Tenant, sid, "Please change my booking")
	if err != nil {
		t.Fatalf("Send: %v", err)
	}
	reqs := e.requests(t)[before:]
	var res []claudetest.Block
	switch {
	case len(reqs) == 2:
		res = reqs[1].ToolResults()
	case len(reqs) == 1 && r.Proposal != nil:
		// A round that only made a proposal ends the turn, with no call
		// to read the result: it is the one stored with the answer, and
		// the scripted "Done." is never sent.
		if n := e.fake.Discard(); n != 1 {
			t.Fatalf("%d scripted steps left, want the unused \"Done.\"", n)
		}
		res = storedResults(t, e, f, sid)
	default:
		t.Fatalf("%d model requests, want 2, or 1 ending in a proposal", len(reqs))
	}
	if len(res) != len(calls) {
		t.Fatalf("%d tool results, want %d", len(res), len(calls))
	}
	return res, r
}

// storedResults returns the tool results of the session's last answer, as
// stored with it, in the shape the model would have read them.
func storedResults(t testing.TB, e *env, f *storetest.Fixture, sid string) []claudetest.Block {
	t.Helper()
	msgs, err := e.store.RecentMessages(ctx, f.Tenant.ID, sid, 1)
	if err != nil || len(msgs) != 1 {
		t.Fatalf("RecentMessages: %v (%d)", err, len(msgs))
	}
	var calls []struct {
		Result json.RawMessage `json:"result"`
	}
	if err := json.Unmarshal(msgs[0].ToolCalls, &calls); err != nil {
		t.Fatalf("stored tool calls %s: %v", msgs[0].ToolCalls, err)
	}
	var out []claudetest.Block
	for _, c := range calls {
		var probe struct {
			Success bool `json:"success"`
		}
		_ = json.Unmarshal(c.Result, &probe)
		out = append(out, claudetest.Block{Type: "tool_result", IsError: !probe.Success,
			Content: []claudetest.Block{{Type: "text", Text: string(c.Result)}}})
	}
	return out
}

func cancelCall(code, email string) claudetest.Block {
	return claudetest.ToolUseBlock(frontdesk.ToolCancelBooking, frontdesk.CancelBookingIn{BookingReference: code, CustomerEmail: email})
}

// failure is a change tool's failed result.
type failure struct {
	Success   bool   `json:"success"`
	Error     string `json:"error"`
	Code      string `json:"code"`
	TriesLeft *int   `json:"triesLeft"`
}

func decodeFailure(t testing.TB, b claudetest.Block) failure {
	t.Helper()
	var f failure
	decodeResult(t, b, &f)
	if f.Success || !b.IsError || f.Error == "" {
		t.Fatalf("tool result %s (is_error %v), want a failure", b.ContentText(), b.IsError)
	}
	return f
}

// confirmCanceled confirms proposal p and checks the paid booking b was
// canceled and refunded half its price, as the policy gives 29 hours ahead.
func (e *env) confirmCanceled(t testing.TB, f *storetest.Fixture, sid string, p *chat.ProposalView, b *frontdesk.Booking) {
	t.Helper()
	if p == nil || p.Operation != frontdesk.OpCancelBooking || !p.RequiresApproval {
		t.Fatalf("proposal %+v, want a cancel_booking to approve", p)
	}
	wantContains(t, "preview", p.Preview, "Cancel Portrait Session", "Friday 11 December 2026, 3:00 PM EST", b.ConfirmationCode, "Refund: $125.00 of $250.00 paid.")
	if got, _ := e.store.Booking(ctx, f.Tenant.ID, b.ID); got.Status != frontdesk.StatusConfirmed {
		t.Fatalf("booking %s before the confirm, want it untouched", got.Status)
	}
	res, err := e.svc.Confirm(ctx, f.Tenant, sid, p.ProposalID)
	must(t, err)
	if !res.Success || res.Action != "canceled" || res.BookingID != b.ID || res.ConfirmationCode != b.ConfirmationCode ||
		res.RefundedCents == nil || *res.RefundedCents != 12500 {
		t.Fatalf("confirm result %+v, want canceled with 12500 refunded", res)
	}
	got, err := e.store.Booking(ctx, f.Tenant.ID, b.ID)
	must(t, err)
	if got.Status != frontdesk.StatusRefunded || got.RefundedCents != 12500 {
		t.Fatalf("booking after the confirm: %s, refunded %d; want REFUNDED, 12500", got.Status, got.RefundedCents)
	}
	again, err := e.svc.Confirm(ctx, f.Tenant, sid, p.ProposalID)
	must(t, err)
	if again.Action != "canceled" || again.RefundedCents == nil || *again.RefundedCents != 12500 {
		t.Fatalf("second confirm %+v, want the same result", again)
	}
}

// confirmMoved confirms proposal p and checks booking b now starts at to.
func (e *env) confirmMoved(t testing.TB, f *storetest.Fixture, sid string, p *chat.ProposalView, b *frontdesk.Booking, to time.Time, from, toText string) {
	t.Helper()
	if p == nil || p.Operation != frontdesk.OpRescheduleBooking {
		t.Fatalf("proposal %+v, want a reschedule_booking", p)
	}
	wantContains(t, "preview", p.Preview, "Move Portrait Session", b.ConfirmationCode, "from "+from, "to "+toText)
	res, err := e.svc.Confirm(ctx, f.Tenant, sid, p.ProposalID)
	must(t, err)
	if !res.Success || res.Action != "rescheduled" || res.BookingID != b.ID || res.ConfirmationCode != b.ConfirmationCode {
		t.Fatalf("confirm result %+v", res)
	}
	got, err := e.store.Booking(ctx, f.Tenant.ID, b.ID)
	must(t, err)
	if got.StartAt == nil || !got.StartAt.Equal(to) || got.RescheduleCount != 1 || got.ConfirmationCode != b.ConfirmationCode {
		t.Fatalf("booking after the move: start %v, moves %d; want %v, 1", got.StartAt, got.RescheduleCount, to)
	}
}

func TestGuidedCancelsAndReschedules(t *testing.T) {
	forEachBackend(t, func(t *testing.T, open func(testing.TB) *sqlstore.DB) {
		e := newEnv(t, open, opts{})
		t.Run("cancel", func(t *testing.T) {
			b := e.customerBooking(t, e.a, "ann@example.com", friday3pm, true)
			sid := e.session(t, e.a)
			r := e.send(t, e.a, sid, "cancel my booking "+b.ConfirmationCode)
			wantContains(t, "reply", r.Message, "what email address was the booking made with?")
			if r.Proposal != nil {
				t.Fatalf("a proposal before the email: %+v", r.Proposal)
			}
			r = e.send(t, e.a, sid, "Ann@Example.com")
			wantContains(t, "reply", r.Message, "Refund: $125.00 of $250.00 paid.", "Please confirm below.")
			e.confirmCanceled(t, e.a, sid, r.Proposal, b)
		})
		t.Run("reschedule", func(t *testing.T) {
			b := e.customerBooking(t, e.a, "bob@example.com", monday1015, false)
			sid := e.session(t, e.a)
			steps := []struct{ say, want string }{
				{"I need to reschedule", "What's the confirmation code"},
				{strings.ToLower(b.ConfirmationCode), "what email address"},
				{"bob@example.com", "What day would you like to move it to?"},
				{"Tuesday", "Which time would you like on Tuesday, December 15?"},
				{"11:30am", "Please confirm below."},
			}
			var r *chat.Reply
			for _, st := range steps {
				r = e.send(t, e.a, sid, st.say)
				t.Logf("> %s\n< %s %q", st.say, r.Message, r.Suggestions)
				wantContains(t, "reply", r.Message, st.want)
			}
			e.confirmMoved(t, e.a, sid, r.Proposal, b, time.Date(2026, 12, 15, 16, 30, 0, 0, time.UTC),
				"Monday 14 December 2026, 10:15 AM EST", "Tuesday 15 December 2026, 11:30 AM EST")
		})
		t.Run("a taken time offers the open ones", func(t *testing.T) {
			b := e.customerBooking(t, e.a, "cy@example.com", monday1015.Add(75*time.Minute), false)
			e.customerBooking(t, e.a, "other@example.com", time.Date(2026, 12, 16, 15, 15, 0, 0, time.UTC), false) // Wed 10:15
			sid := e.session(t, e.a)
			r := e.send(t, e.a, sid, "move my appointment "+b.ConfirmationCode+" to Wednesday at 10:15am, cy@example.com")
			wantContains(t, "reply", r.Message, "Open that day: 9:00 AM", "11:30 AM", "Which time would you like instead?")
			if r.Proposal != nil || len(r.Suggestions) == 0 || r.Suggestions[0] != "9:00 AM" {
				t.Fatalf("proposal %+v suggestions %q, want the open times offered", r.Proposal, r.Suggestions)
			}
			r = e.send(t, e.a, sid, r.Suggestions[0])
			e.confirmMoved(t, e.a, sid, r.Proposal, b, time.Date(2026, 12, 16, 14, 0, 0, 0, time.UTC),
				"Monday 14 December 2026, 11:30 AM EST", "Wednesday 16 December 2026, 9:00 AM EST")
		})
		t.Run("too close to the start offers a person", func(t *testing.T) {
			b := e.customerBooking(t, e.a, "dee@example.com", testNow.Add(6*time.Hour), false)
			sid := e.session(t, e.a)
			r := e.send(t, e.a, sid, "reschedule "+b.ConfirmationCode+" dee@example.com to monday at 11am")
			wantContains(t, "reply", r.Message, "up to 24 hours before they start", "I can pass this to Alpha Studio")
			if r.Proposal != nil {
				t.Fatalf("proposal %+v", r.Proposal)
			}
			r = e.send(t, e.a, sid, "Talk to a person")
			r = e.send(t, e.a, sid, "dee@example.com")
			wantContains(t, "reply", r.Message, "Someone will get back to you soon.")
			page, err := e.store.ListEscalations(ctx, e.a.Tenant.ID, frontdesk.EscalationFilter{})
			must(t, err)
			if len(page.Escalations) != 1 || page.Escalations[0].CustomerEmail != "dee@example.com" ||
				!strings.Contains(page.Escalations[0].Reason, "refused: Bookings can be moved online up to 24 hours") {
				t.Fatalf("escalations %+v", page.Escalations)
			}
		})
	})
}

func TestModelCancelsAndReschedules(t *testing.T) {
	forEachBackend(t, func(t *testing.T, open func(testing.TB) *sqlstore.DB) {
		e := newEnv(t, open, opts{model: true})
		t.Run("cancel", func(t *testing.T) {
			b := e.customerBooking(t, e.a, "ann@example.com", friday3pm, true)
			sid := e.session(t, e.a)
			res, r := e.modelCalls(t, ctx, e.a, sid, claudetest.ToolUseBlock(frontdesk.ToolCancelBooking,
				frontdesk.CancelBookingIn{BookingReference: strings.ToLower(b.ConfirmationCode), CustomerEmail: "ANN@example.com", Reason: "Sick\x00 kid"}))
			var out frontdesk.ChangeProposalOut
			decodeResult(t, res[0], &out)
			if res[0].IsError || !out.Success || r.Proposal == nil || out.ProposalID != r.Proposal.ProposalID || out.Preview != r.Proposal.Preview {
				t.Fatalf("cancel_booking %s, reply proposal %+v", res[0].ContentText(), r.Proposal)
			}
			if want := "I've prepared the cancellation. Please check the details and press Confirm to cancel."; r.Message != want {
				t.Errorf("answer %q, want %q with no model call after the proposal", r.Message, want)
			}
			wantContains(t, "system prompt", e.requests(t)[0].System, "cancel_booking", "confirmation code", "Never reveal whether a code exists", "request_human")
			e.confirmCanceled(t, e.a, sid, r.Proposal, b)
		})
		t.Run("reschedule", func(t *testing.T) {
			b := e.customerBooking(t, e.a, "bob@example.com", monday1015, false)
			sid := e.session(t, e.a)
			move := frontdesk.RescheduleBookingIn{BookingReference: b.ConfirmationCode, CustomerEmail: "bob@example.com", NewDate: "2026-12-15"}
			// No time for a timed service: the open times of that day.
			res, r := e.modelCalls(t, ctx, e.a, sid, claudetest.ToolUseBlock(frontdesk.ToolRescheduleBooking, move))
			f := decodeFailure(t, res[0])
			wantContains(t, "error", f.Error, "newTime:", "Open that day: 9:00 AM", "10:15 AM")
			if r.Proposal != nil {
				t.Fatalf("proposal %+v", r.Proposal)
			}
			move.NewTime = "11:30"
			res, r = e.modelCalls(t, ctx, e.a, sid, claudetest.ToolUseBlock(frontdesk.ToolRescheduleBooking, move))
			var out frontdesk.ChangeProposalOut
			decodeResult(t, res[0], &out)
			if !out.Success || r.Proposal == nil || out.ProposalID != r.Proposal.ProposalID {
				t.Fatalf("reschedule_booking %s", res[0].ContentText())
			}
			if want := "I've prepared the move. Please check the details and press Confirm to move your booking."; r.Message != want {
				t.Errorf("answer %q, want %q with no model call after the proposal", r.Message, want)
			}
			e.confirmMoved(t, e.a, sid, r.Proposal, b, time.Date(2026, 12, 15, 16, 30, 0, 0, time.UTC),
				"Monday 14 December 2026, 10:15 AM EST", "Tuesday 15 December 2026, 11:30 AM EST")
		})
		t.Run("bad input costs no look-up", func(t *testing.T) {
			sid := e.session(t, e.a)
			var calls []claudetest.Block
			for range chat.MaxFailedLookups + 1 {
				calls = append(calls, claudetest.ToolUseBlock(frontdesk.ToolRescheduleBooking, frontdesk.RescheduleBookingIn{BookingReference: "BK-7XK3QM", CustomerEmail: "a@example.com", NewDate: "15/12/2026"}))
			}
			calls = append(calls, cancelCall("", "a@example.com"))
			res, _ := e.modelCalls(t, ctx, e.a, sid, calls...)
			for _, b := range res {
				if f := decodeFailure(t, b); f.Code != frontdesk.EInvalid || f.TriesLeft != nil {
					t.Fatalf("result %s, want a validation error", b.ContentText())
				}
			}
			b := e.customerBooking(t, e.a, "eve@example.com", friday3pm, false)
			res, _ = e.modelCalls(t, ctx, e.a, sid, cancelCall(b.ConfirmationCode, "eve@example.com"))
			if res[0].IsError {
				t.Fatalf("look-up after bad input refused: %s", res[0].ContentText())
			}
		})
	})
}

// TestLookupAnswersAreTheSame checks that a wrong code, a wrong email, a
// code that is not one and another tenant's booking all get one answer.
func TestLookupAnswersAreTheSame(t *testing.T) {
	forEachBackend(t, func(t *testing.T, open func(testing.TB) *sqlstore.DB) {
		e := newEnv(t, open, opts{model: true})
		mine := e.customerBooking(t, e.a, "ann@example.com", friday3pm, true)
		theirs := e.customerBooking(t, e.b, "ann@example.com", friday3pm, true)
		cases := map[string]claudetest.Block{
			"wrong code":               cancelCall(frontdesk.NewConfirmationCode(), "ann@example.com"),
			"wrong email":              cancelCall(mine.ConfirmationCode, "bob@example.com"),
			"not a code":               cancelCall("hello", "ann@example.com"),
			"another tenant's booking": cancelCall(theirs.ConfirmationCode, "ann@example.com"),
		}
		first := ""
		for name, call := range cases {
			res, r := e.modelCalls(t, ctx, e.a, e.session(t, e.a), call) // each a first failure
			f := decodeFailure(t, res[0])
			if f.Code != frontdesk.ENotFound || f.TriesLeft == nil || *f.TriesLeft != chat.MaxFailedLookups-1 || r.Proposal != nil {
				t.Fatalf("%s: %s", name, res[0].ContentText())
			}
			if first == "" {
				first = res[0].ContentText()
			} else if res[0].ContentText() != first {
				t.Errorf("%s: %s, want the same answer as the others: %s", name, res[0].ContentText(), first)
			}
			for _, leak := range []string{e.b.Tenant.Name, "Portrait", "ann@"} {
				if strings.Contains(res[0].ContentText(), leak) {
					t.Errorf("%s: result %s tells %q", name, res[0].ContentText(), leak)
				}
			}
		}
		if got, _ := e.store.Booking(ctx, e.b.Tenant.ID, theirs.ID); got.Status != frontdesk.StatusConfirmed {
			t.Errorf("the other tenant's booking is %s", got.Status)
		}

		// The guided assistant gives one answer too.
		g := newEnv(t, open, opts{})
		mine = g.customerBooking(t, g.a, "ann@example.com", friday3pm, true)
		wrongCode := g.send(t, g.a, g.session(t, g.a), "cancel "+frontdesk.NewConfirmationCode()+" ann@example.com")
		wrongEmail := g.send(t, g.a, g.session(t, g.a), "cancel "+mine.ConfirmationCode+" bob@example.com")
		if wrongCode.Message != wrongEmail.Message || !strings.Contains(wrongCode.Message, "No booking matches") {
			t.Errorf("guided answers differ:\nwrong code:  %q\nwrong email: %q", wrongCode.Message, wrongEmail.Message)
		}
	})
}

func TestFailedLookupsPerSession(t *testing.T) {
	forEachBackend(t, func(t *testing.T, open func(testing.TB) *sqlstore.DB) {
		e := newEnv(t, open, opts{model: true})
		b := e.customerBooking(t, e.a, "ann@example.com", friday3pm, true)
		sid := e.session(t, e.a)
		wrong := cancelCall(b.ConfirmationCode, "wrong@example.com")
		// Three failures in one turn, two in the next: the count is kept
		// with the session, not the turn.
		res, _ := e.modelCalls(t, ctx, e.a, sid, wrong, wrong, wrong)
		for i, r := range res {
			if f := decodeFailure(t, r); f.Code != frontdesk.ENotFound || *f.TriesLeft != chat.MaxFailedLookups-1-i {
				t.Fatalf("failure %d: %s", i+1, r.ContentText())
			}
		}
		res, _ = e.modelCalls(t, ctx, e.a, sid, wrong, wrong)
		last := decodeFailure(t, res[1])
		if last.Code != frontdesk.ENotFound || *last.TriesLeft != 0 {
			t.Fatalf("fifth failure: %s", res[1].ContentText())
		}
		wantContains(t, "fifth failure", last.Error, "No booking matches", "last try")
		// The sixth look-up is refused, correct details and all, in this
		// turn and the next.
		for range 2 {
			res, r := e.modelCalls(t, ctx, e.a, sid, cancelCall(b.ConfirmationCode, "ann@example.com"))
			f := decodeFailure(t, res[0])
			if f.Code != frontdesk.ERateLimited || r.Proposal != nil {
				t.Fatalf("sixth look-up: %s, proposal %+v", res[0].ContentText(), r.Proposal)
			}
			wantContains(t, "refusal", f.Error, "link in your booking confirmation email", "ask for a person")
		}
		// Another chat may look up again.
		res, r := e.modelCalls(t, ctx, e.a, e.session(t, e.a), cancelCall(b.ConfirmationCode, "ann@example.com"))
		if res[0].IsError || r.Proposal == nil {
			t.Fatalf("a new session's look-up: %s", res[0].ContentText())
		}

		// The guided assistant counts in the same session store.
		g := newEnv(t, open, opts{})
		b = g.customerBooking(t, g.a, "ann@example.com", friday3pm, true)
		sid = g.session(t, g.a)
		for i := range chat.MaxFailedLookups {
			r := g.send(t, g.a, sid, "cancel "+b.ConfirmationCode+" wrong@example.com")
			wantContains(t, "reply", r.Message, "No booking matches")
			if i == chat.MaxFailedLookups-1 {
				wantContains(t, "last reply", r.Message, "last try", "I can pass this to Alpha Studio")
			}
		}
		r = g.send(t, g.a, sid, "cancel "+b.ConfirmationCode+" ann@example.com")
		wantContains(t, "reply", r.Message, "I can't look up bookings in this chat any more", "link in your booking confirmation email")
		if r.Proposal != nil {
			t.Fatalf("the sixth look-up made a proposal: %+v", r.Proposal)
		}
	})
}

func TestFailedLookupsPerClientIP(t *testing.T) {
	forEachBackend(t, func(t *testing.T, open func(testing.TB) *sqlstore.DB) {
		e := newEnv(t, open, opts{model: true})
		e.svc.LookupLimiter = ratelimit.New("lookup", chat.LookupsPerIP, chat.LookupWindow, nil, nil)
		e.svc.LookupLimiter.Now = e.clock.Now
		b := e.customerBooking(t, e.a, "ann@example.com", friday3pm, true)
		ip := chat.WithClientIP(ctx, "203.0.113.7")
		wrong := cancelCall(b.ConfirmationCode, "wrong@example.com")
		// Four chats of five failures each: every chat within its own limit.
		for range chat.LookupsPerIP / chat.MaxFailedLookups {
			res, _ := e.modelCalls(t, ip, e.a, e.session(t, e.a), wrong, wrong, wrong, wrong, wrong)
			for _, r := range res {
				if f := decodeFailure(t, r); f.Code != frontdesk.ENotFound {
					t.Fatalf("failure within the limits: %s", r.ContentText())
				}
			}
		}
		right := cancelCall(b.ConfirmationCode, "ann@example.com")
		res, r := e.modelCalls(t, ip, e.a, e.session(t, e.a), right)
		if f := decodeFailure(t, res[0]); f.Code != frontdesk.ERateLimited || r.Proposal != nil {
			t.Fatalf("a fresh chat from the same address: %s", res[0].ContentText())
		}
		// Another address is not held back, and the window passes.
		res, r = e.modelCalls(t, chat.WithClientIP(ctx, "198.51.100.9"), e.a, e.session(t, e.a), right)
		if res[0].IsError || r.Proposal == nil {
			t.Fatalf("another address: %s", res[0].ContentText())
		}
		e.clock.Advance(chat.LookupWindow)
		res, r = e.modelCalls(t, ip, e.a, e.session(t, e.a), right)
		if res[0].IsError || r.Proposal == nil {
			t.Fatalf("after the window: %s", res[0].ContentText())
		}
	})
}

func TestRequestHuman(t *testing.T) {
	forEachBackend(t, func(t *testing.T, open func(testing.TB) *sqlstore.DB) {
		e := newEnv(t, open, opts{model: true})
		e.svc.EscalationLimiter = ratelimit.New("escalation", 3, time.Hour, nil, nil)
		e.svc.EscalationLimiter.Now = e.clock.Now
		const addr = "203.0.113.7"
		ip := chat.WithClientIP(ctx, addr)
		human := func(in frontdesk.RequestHumanIn) claudetest.Block {
			return claudetest.ToolUseBlock(frontdesk.ToolRequestHuman, in)
		}
		sid := e.session(t, e.a)

		// Invalid requests are refused as POST /escalate refuses them, and
		// cost nothing.
		res, _ := e.modelCalls(t, ip, e.a, sid, human(frontdesk.RequestHumanIn{Reason: " "}),
			human(frontdesk.RequestHumanIn{Reason: "help", CustomerEmail: "typo@"}))
		for _, r := range res {
			if f := decodeFailure(t, r); f.Code != frontdesk.EInvalid {
				t.Fatalf("invalid request: %s", r.ContentText())
			}
		}
		wantContains(t, "error", decodeFailure(t, res[1]).Error, "customerEmail: must be an email address")

		// One request through POST /escalate (the HTTP layer spends from
		// the same limiter), one through the model, one through the
		// guided assistant.
		if !e.svc.EscalationLimiter.Allow(ctx, addr).Allowed {
			t.Fatal("the limiter refused the first request")
		}
		res, _ = e.modelCalls(t, ip, e.a, sid, human(frontdesk.RequestHumanIn{Reason: "Wants to move a wedding", CustomerEmail: "ann@example.com"}))
		var out chat.EscalateResult
		decodeResult(t, res[0], &out)
		if res[0].IsError || !out.Success || out.EscalationID == "" {
			t.Fatalf("request_human: %s", res[0].ContentText())
		}
		wantContains(t, "message", out.Message, "Alpha Studio", "get back to you")

		e.svc.LLM = nil // the guided assistant from here
		r, err := e.svc.Send(ip, e.a.Tenant, sid, "I want to talk to a human")
		must(t, err)
		wantContains(t, "reply", r.Message, "What email address should they reply to?")
		r, err = e.svc.Send(ip, e.a.Tenant, sid, "bob@example.com")
		must(t, err)
		wantContains(t, "reply", r.Message, "Someone will get back to you soon.")

		// The fourth in the hour is refused, whichever way it comes.
		r, err = e.svc.Send(ip, e.a.Tenant, sid, "talk to a person")
		must(t, err)
		r, err = e.svc.Send(ip, e.a.Tenant, sid, "skip")
		must(t, err)
		wantContains(t, "reply", r.Message, "asked for a person several times", e.a.Tenant.ContactEmail)

		page, err := e.store.ListEscalations(ctx, e.a.Tenant.ID, frontdesk.EscalationFilter{})
		must(t, err)
		if len(page.Escalations) != 2 {
			t.Fatalf("%d escalations, want 2", len(page.Escalations))
		}
		emails := map[string]bool{}
		for _, esc := range page.Escalations {
			emails[esc.CustomerEmail] = true
			if esc.SessionID != sid {
				t.Errorf("escalation of session %s, want %s", esc.SessionID, sid)
			}
		}
		if !emails["ann@example.com"] || !emails["bob@example.com"] {
			t.Errorf("escalation emails %v", emails)
		}
		n := 0
		for _, m := range e.emails(t, e.a) {
			if m.Kind == frontdesk.EmailEscalation {
				n++
				if !strings.Contains(m.Email.To, e.a.Tenant.ContactEmail) {
					t.Errorf("escalation email to %s", m.Email.To)
				}
			}
		}
		if n != 2 {
			t.Fatalf("%d escalation emails, want 2", n)
		}
	})
}

func TestNormalizeConfirmationCode(t *testing.T) {
	for in, want := range map[string]string{
		"BK-7XK3QM": "BK-7XK3QM", " bk-7xk3qm ": "BK-7XK3QM", "bk 7xk3qm": "BK-7XK3QM", "BK7XK3QM": "BK-7XK3QM",
		"7xk3qm": "BK-7XK3QM", "hello world": "HELLO WORLD",
	} {
		if got := chat.NormalizeConfirmationCode(in); got != want {
			t.Errorf("NormalizeConfirmationCode(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestCheckEscalation(t *testing.T) {
	tests := []struct {
		name   string
		in     chat.EscalateIn
		fields []string
	}{
		{"fine", chat.EscalateIn{Reason: " help ", CustomerEmail: " ann@example.com "}, nil},
		{"no reason", chat.EscalateIn{Reason: "  "}, []string{"reason"}},
		{"long reason", chat.EscalateIn{Reason: strings.Repeat("é", 501)}, []string{"reason"}},
		{"control characters", chat.EscalateIn{Reason: "a\x00b"}, []string{"reason"}},
		{"bad email and phone", chat.EscalateIn{Reason: "x", CustomerEmail: "ann@", CustomerPhone: "12"}, []string{"customerEmail", "customerPhone"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			out, err := chat.CheckEscalation(tc.in)
			var fe *frontdesk.Error
			var fields []string
			if err != nil {
				if !frontdesk.IsCode(err, frontdesk.EInvalid) {
					t.Fatalf("error %v", err)
				}
				fe = err.(*frontdesk.Error)
				for _, d := range fe.Details {
					fields = append(fields, d.Field)
				}
			}
			if strings.Join(fields, ",") != strings.Join(tc.fields, ",") {
				t.Fatalf("fields %q, want %q", fields, tc.fields)
			}
			if err == nil && (out.Reason != "help" || out.CustomerEmail != "ann@example.com") {
				t.Fatalf("not trimmed: %+v", out)
			}
		})
	}
}

// The tools' failed look-ups are stored with the turn's tool calls.
func TestFailedLookupIsRecorded(t *testing.T) {
	e := sqliteEnv(t, opts{})
	sid := e.session(t, e.a)
	e.send(t, e.a, sid, "cancel BK-7XK3QM ann@example.com")
	msgs, err := e.store.RecentMessages(ctx, e.a.Tenant.ID, sid, 10)
	must(t, err)
	var calls []struct {
		Name         string `json:"name"`
		LookupFailed bool   `json:"lookupFailed"`
	}
	must(t, json.Unmarshal(msgs[len(msgs)-1].ToolCalls, &calls))
	if len(calls) != 1 || calls[0].Name != frontdesk.ToolCancelBooking || !calls[0].LookupFailed {
		t.Fatalf("tool calls %s", msgs[len(msgs)-1].ToolCalls)
	}
}
