package chat

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/frontdeskhq/frontdesk"
	"github.com/frontdeskhq/frontdesk/availability"
	"github.com/frontdeskhq/frontdesk/booking"
	"github.com/frontdeskhq/frontdesk/mail"
)

// toolbox runs the assistant's tools for one tenant and one session. Both
// come from the request, never from model output, so a tool can only ever
// see and change this tenant's data.
type toolbox struct {
	svc      *Service
	tenant   *frontdesk.Tenant
	session  *frontdesk.ChatSession
	customer *frontdesk.CustomerToken // the returning customer who linked the session, read once a turn; nil for a visitor not known
	now      time.Time
	proposal *frontdesk.Proposal // made by book_service, cancel_booking or reschedule_booking during this turn
	calls    []toolCall

	// lookupFailed marks the tool call running now as a failed look-up of
	// a booking by code and email, after which triesLeft more may fail in
	// the session; pastFailures counts the session's failures of earlier
	// turns once pastLoaded.
	lookupFailed bool
	triesLeft    int
	pastFailures int
	pastLoaded   bool
}

// toolCall is one tool run, kept with the assistant message.
type toolCall struct {
	Name   string          `json:"name"`
	Input  json.RawMessage `json:"input"`
	Result json.RawMessage `json:"result"`
	// LookupFailed marks a failed look-up of a booking by code and email:
	// the session's failures are counted from these.
	LookupFailed bool `json:"lookupFailed,omitempty"`
}

// RunTool implements frontdesk.ToolRunner.
func (tb *toolbox) RunTool(ctx context.Context, name string, input json.RawMessage) json.RawMessage {
	tb.lookupFailed = false
	out, err := tb.run(ctx, name, input)
	var res json.RawMessage
	if err != nil {
		res = toolError(err)
	} else if res, err = json.Marshal(out); err != nil {
		res = toolError(err)
	}
	if len(input) == 0 {
		input = json.RawMessage(`{}`)
	}
	tb.calls = append(tb.calls, toolCall{Name: name, Input: input, Result: res, LookupFailed: tb.lookupFailed})
	return res
}

func toolError(err error) json.RawMessage {
	msg := frontdesk.ErrorMessage(err)
	var fe *frontdesk.Error
	if errors.As(err, &fe) && len(fe.Details) > 1 {
		var parts []string
		for _, d := range fe.Details {
			parts = append(parts, d.Field+": "+d.Message)
		}
		msg = strings.Join(parts, " ")
	}
	b, _ := json.Marshal(frontdesk.ToolError{Success: false, Error: msg})
	return b
}

func decode(input json.RawMessage, v any) error {
	if len(input) == 0 {
		input = json.RawMessage(`{}`)
	}
	if err := json.Unmarshal(input, v); err != nil {
		return frontdesk.Errorf(frontdesk.EInvalid, "The tool input was not valid: %s.", strings.TrimPrefix(err.Error(), "json: "))
	}
	return nil
}

func (tb *toolbox) run(ctx context.Context, name string, input json.RawMessage) (any, error) {
	switch name {
	case frontdesk.ToolGetServices:
		var in frontdesk.GetServicesIn
		if err := decode(input, &in); err != nil {
			return nil, err
		}
		return tb.getServices(ctx, in)
	case frontdesk.ToolCheckAvailability:
		var in frontdesk.CheckAvailabilityIn
		if err := decode(input, &in); err != nil {
			return nil, err
		}
		return tb.checkAvailability(ctx, in)
	case frontdesk.ToolGetBusinessInfo:
		var in frontdesk.GetBusinessInfoIn
		if err := decode(input, &in); err != nil {
			return nil, err
		}
		return BusinessInfo(ctx, tb.svc.Store, tb.tenant, tb.now)
	case frontdesk.ToolBookService:
		var in frontdesk.BookServiceIn
		if err := decode(input, &in); err != nil {
			return nil, err
		}
		return tb.bookService(ctx, in)
	case frontdesk.ToolCancelBooking:
		var in frontdesk.CancelBookingIn
		if err := decode(input, &in); err != nil {
			return nil, err
		}
		out, err := tb.cancelBooking(ctx, in)
		return tb.changeResult(name, out, err), nil
	case frontdesk.ToolRescheduleBooking:
		var in frontdesk.RescheduleBookingIn
		if err := decode(input, &in); err != nil {
			return nil, err
		}
		out, err := tb.rescheduleBooking(ctx, in)
		return tb.changeResult(name, out, err), nil
	case frontdesk.ToolRequestHuman:
		var in frontdesk.RequestHumanIn
		if err := decode(input, &in); err != nil {
			return nil, err
		}
		out, err := tb.requestHuman(ctx, in)
		return tb.changeResult(name, out, err), nil
	}
	return nil, frontdesk.Errorf(frontdesk.EInvalid, "There is no tool named %q.", name)
}

// DaysOffAhead is how far ahead the assistant is told of closed days.
const DaysOffAhead = 60

// BusinessInfo is what get_business_info answers: the business's info,
// its opening hours in words drawn from the weekly availability rules and
// its closed days of the coming DaysOffAhead days.
func BusinessInfo(ctx context.Context, tx frontdesk.Tx, t *frontdesk.Tenant, now time.Time) (*frontdesk.GetBusinessInfoOut, error) {
	rules, err := tx.ListAvailabilityRules(ctx, t.ID)
	if err != nil {
		return nil, err
	}
	today := frontdesk.DateOf(now.In(t.Location()))
	days, err := tx.ListBlackoutDates(ctx, t.ID, today, today.AddDays(DaysOffAhead))
	if err != nil {
		return nil, err
	}
	out := &frontdesk.GetBusinessInfoOut{Success: true, Name: t.Name, Email: t.ContactEmail, Info: t.Info}
	if len(rules) > 0 {
		out.Hours = availability.DescribeWeek(rules)
	}
	for _, d := range days {
		out.DaysOff = append(out.DaysOff, frontdesk.DayOffOut{Date: d.Date.String(), Reason: d.Reason})
	}
	return out, nil
}

// ServiceOut describes a package for the assistant.
func ServiceOut(p *frontdesk.Package) frontdesk.ServiceOut {
	s := frontdesk.ServiceOut{ID: p.ID, Slug: p.Slug, Name: p.Name, Description: p.Description, PriceCents: p.PriceCents,
		Price: mail.FormatMoney(p.PriceCents, p.Currency), Currency: p.Currency, BookingType: p.BookingType, Category: p.Category}
	if p.PriceCents == 0 {
		s.Price = "Free"
	}
	if p.BookingType == frontdesk.BookingTimeslot {
		s.DurationMinutes = p.DurationMinutes
	}
	return s
}

func (tb *toolbox) getServices(ctx context.Context, in frontdesk.GetServicesIn) (any, error) {
	pkgs, err := tb.svc.Store.ListPackages(ctx, tb.tenant.ID, true)
	if err != nil {
		return nil, err
	}
	out := frontdesk.GetServicesOut{Success: true, Services: []frontdesk.ServiceOut{}}
	for _, p := range pkgs {
		if in.Category != "" && !strings.EqualFold(in.Category, p.Category) {
			continue
		}
		out.Services = append(out.Services, ServiceOut(p))
	}
	return out, nil
}

func (tb *toolbox) checkAvailability(ctx context.Context, in frontdesk.CheckAvailabilityIn) (any, error) {
	return booking.Offer(ctx, tb.svc.Store, tb.tenant, tb.now, in.PackageID, in.StartDate, in.EndDate)
}

func (tb *toolbox) bookService(ctx context.Context, in frontdesk.BookServiceIn) (any, error) {
	p, err := tb.svc.Bookings.Propose(ctx, tb.tenant, tb.session.ID, in)
	if err != nil {
		return nil, err
	}
	tb.proposal = p
	return frontdesk.BookServiceOut{Success: true, ProposalID: p.ID, Preview: p.Preview,
		ExpiresAt: p.ExpiresAt.Format(time.RFC3339),
		Message:   fmt.Sprintf("Proposal ready. Ask the customer to check it and press Confirm within %d minutes; nothing is booked until they do.", int(frontdesk.ProposalTTL.Minutes()))}, nil
}
