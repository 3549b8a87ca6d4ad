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
	now      time.Time
	proposal *frontdesk.Proposal // made by book_service during this turn
	calls    []toolCall
}

// toolCall is one tool run, kept with the assistant message.
type toolCall struct {
	Name   string          `json:"name"`
	Input  json.RawMessage `json:"input"`
	Result json.RawMessage `json:"result"`
}

// maxAvailabilityDays bounds one check_availability call.
const maxAvailabilityDays = 31

// RunTool implements frontdesk.ToolRunner.
func (tb *toolbox) RunTool(ctx context.Context, name string, input json.RawMessage) json.RawMessage {
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
	tb.calls = append(tb.calls, toolCall{Name: name, Input: input, Result: res})
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
		return frontdesk.GetBusinessInfoOut{Success: true, Name: tb.tenant.Name, Email: tb.tenant.ContactEmail, Info: tb.tenant.Info}, nil
	case frontdesk.ToolBookService:
		var in frontdesk.BookServiceIn
		if err := decode(input, &in); err != nil {
			return nil, err
		}
		return tb.bookService(ctx, in)
	}
	return nil, frontdesk.Errorf(frontdesk.EInvalid, "There is no tool named %q.", name)
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
	if strings.TrimSpace(in.PackageID) == "" {
		return nil, frontdesk.Errorf(frontdesk.EInvalid, "Which service? Give packageId (the id or slug from get_services).")
	}
	pkg, err := tb.svc.Store.Package(ctx, tb.tenant.ID, strings.TrimSpace(in.PackageID))
	if err != nil {
		return nil, err
	}
	if !pkg.Active {
		return nil, frontdesk.Errorf(frontdesk.EInvalid, "%s is not available for booking at the moment.", pkg.Name)
	}
	loc := tb.tenant.Location()
	today := frontdesk.DateOf(tb.now.In(loc))
	from, to := today, today.AddDays(14)
	if in.StartDate != "" {
		if from, err = frontdesk.ParseDate(in.StartDate); err != nil {
			return nil, frontdesk.Errorf(frontdesk.EInvalid, "startDate must be YYYY-MM-DD.")
		}
		to = from.AddDays(14)
	}
	if in.EndDate != "" {
		if to, err = frontdesk.ParseDate(in.EndDate); err != nil {
			return nil, frontdesk.Errorf(frontdesk.EInvalid, "endDate must be YYYY-MM-DD.")
		}
	}
	if to.Before(today) {
		return nil, frontdesk.Errorf(frontdesk.EInvalid, "Those dates are in the past; today is %s.", today)
	}
	if from.Before(today) {
		from = today
	}
	if to.Before(from) {
		return nil, frontdesk.Errorf(frontdesk.EInvalid, "endDate must not be before startDate.")
	}
	if from.AddDays(maxAvailabilityDays).Before(to) {
		to = from.AddDays(maxAvailabilityDays)
	}
	cal, err := booking.Calendar(ctx, tb.svc.Store, tb.tenant, tb.now, from, to)
	if err != nil {
		return nil, err
	}
	out := frontdesk.CheckAvailabilityOut{Success: true, PackageID: pkg.ID, PackageName: pkg.Name, BookingType: pkg.BookingType,
		TimeZone: tb.tenant.TimeZone, StartDate: from.String(), EndDate: to.String()}
	if pkg.BookingType == frontdesk.BookingDate {
		out.Dates = []string{}
		for _, d := range cal.OpenDates(pkg, from, to) {
			out.Dates = append(out.Dates, d.String())
		}
		return out, nil
	}
	out.Slots = []frontdesk.SlotOut{}
	for _, sl := range cal.OpenSlots(pkg, from, to) {
		out.Slots = append(out.Slots, slotOut(sl, loc))
	}
	return out, nil
}

func slotOut(sl availability.Slot, loc *time.Location) frontdesk.SlotOut {
	st := sl.Start.In(loc)
	return frontdesk.SlotOut{StartTime: st.Format(time.RFC3339), Date: frontdesk.DateOf(st).String(), Local: st.Format("Mon 2 Jan, 3:04 PM")}
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
