package httpapi

import (
	"net/http"
	"strings"

	"github.com/frontdeskhq/frontdesk"
	"github.com/frontdeskhq/frontdesk/booking"
	"github.com/frontdeskhq/frontdesk/business"
)

// created answers 201 with a JSON body.
type created struct{ body any }

func (c created) respond(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusCreated, c.body)
}

// pathRef reads an id-or-slug path value, refusing what can be neither.
func pathRef(r *http.Request, name, what string) (string, error) {
	v := r.PathValue(name)
	if v == "" || len(v) > 64 || strings.ContainsFunc(v, func(c rune) bool {
		return !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_')
	}) {
		return "", frontdesk.NotFound(what)
	}
	return v, nil
}

func (s *Server) listPackages(r *http.Request) (tenantStep, error) {
	if err := noQuery(r); err != nil {
		return nil, err
	}
	return func(t *frontdesk.Tenant) (any, error) {
		pkgs, err := s.Store.ListPackages(r.Context(), t.ID, false)
		if err != nil {
			return nil, err
		}
		out := struct {
			Packages []business.PackageView `json:"packages"`
		}{Packages: []business.PackageView{}}
		for _, p := range pkgs {
			out.Packages = append(out.Packages, business.ViewPackage(p))
		}
		return out, nil
	}, nil
}

func (s *Server) createPackage(r *http.Request) (tenantStep, error) {
	var in business.PackageInput
	if err := decodeJSON(r, &in); err != nil {
		return nil, err
	}
	return func(t *frontdesk.Tenant) (any, error) {
		p, err := s.Business.CreatePackage(r.Context(), t, in)
		if err != nil {
			return nil, err
		}
		return created{business.ViewPackage(p)}, nil
	}, nil
}

func (s *Server) getPackage(r *http.Request) (tenantStep, error) {
	ref, err := pathRef(r, "id", "The service")
	if err != nil {
		return nil, err
	}
	return func(t *frontdesk.Tenant) (any, error) {
		p, err := s.Business.Package(r.Context(), t, ref)
		if err != nil {
			return nil, err
		}
		return business.ViewPackage(p), nil
	}, nil
}

func (s *Server) patchPackage(r *http.Request) (tenantStep, error) {
	ref, err := pathRef(r, "id", "The service")
	if err != nil {
		return nil, err
	}
	var in business.PackageInput
	if err := decodeJSON(r, &in); err != nil {
		return nil, err
	}
	return func(t *frontdesk.Tenant) (any, error) {
		p, err := s.Business.UpdatePackage(r.Context(), t, ref, in)
		if err != nil {
			return nil, err
		}
		return business.ViewPackage(p), nil
	}, nil
}

// Deleted is the answer of a DELETE.
type Deleted struct {
	Deleted bool `json:"deleted"`
	// Archived is true when a service with bookings was archived instead.
	Archived bool `json:"archived,omitempty"`
}

func (s *Server) deletePackage(r *http.Request) (tenantStep, error) {
	ref, err := pathRef(r, "id", "The service")
	if err != nil {
		return nil, err
	}
	return func(t *frontdesk.Tenant) (any, error) {
		archived, err := s.Business.DeletePackage(r.Context(), t, ref)
		if err != nil {
			return nil, err
		}
		return Deleted{Deleted: true, Archived: archived}, nil
	}, nil
}

func (s *Server) getAvailability(r *http.Request) (tenantStep, error) {
	if err := noQuery(r); err != nil {
		return nil, err
	}
	return func(t *frontdesk.Tenant) (any, error) { return s.Business.WeekOf(r.Context(), t) }, nil
}

func (s *Server) putAvailability(r *http.Request) (tenantStep, error) {
	var in struct {
		TimeZone *string          `json:"timeZone"`
		Rules    *[]business.Rule `json:"rules"`
	}
	if err := decodeJSON(r, &in); err != nil {
		return nil, err
	}
	if in.Rules == nil {
		return nil, frontdesk.Invalid(frontdesk.FieldError{Field: "rules", Message: "is required: the whole week as [{weekday, start, end}] ([] closes every day)"})
	}
	return func(t *frontdesk.Tenant) (any, error) {
		if in.TimeZone != nil && *in.TimeZone != t.TimeZone {
			return nil, frontdesk.Invalid(frontdesk.FieldError{Field: "timeZone", Message: "is the business's time zone (" + t.TimeZone + "); change it with PATCH /v1/tenant"})
		}
		return s.Business.ReplaceWeek(r.Context(), t, *in.Rules)
	}, nil
}

func (s *Server) previewAvailability(r *http.Request) (tenantStep, error) {
	q := r.URL.Query()
	if err := checkQuery(q, "packageId", "from", "to"); err != nil {
		return nil, err
	}
	var bad []frontdesk.FieldError
	if q.Get("packageId") == "" {
		bad = append(bad, frontdesk.FieldError{Field: "packageId", Message: "is required: the id or slug of a service"})
	}
	from, bad := queryDate(q, "from", bad)
	to, bad := queryDate(q, "to", bad)
	if from != nil && to != nil && to.Before(*from) {
		bad = append(bad, frontdesk.FieldError{Field: "to", Message: "must not be before from"})
	}
	if len(bad) > 0 {
		return nil, frontdesk.Invalid(bad...)
	}
	return func(t *frontdesk.Tenant) (any, error) {
		if _, err := s.Business.Package(r.Context(), t, q.Get("packageId")); err != nil {
			return nil, err
		}
		return booking.Offer(r.Context(), s.Store, t, s.now(), q.Get("packageId"), q.Get("from"), q.Get("to"))
	}, nil
}

// DayOffView is a closed day in the tenant API.
type DayOffView struct {
	ID     string         `json:"id"`
	Date   frontdesk.Date `json:"date"`
	Reason string         `json:"reason,omitempty"`
}

func dayOffViews(days []frontdesk.BlackoutDate) []DayOffView {
	out := []DayOffView{}
	for _, d := range days {
		out = append(out, DayOffView{ID: d.ID, Date: d.Date, Reason: d.Reason})
	}
	return out
}

func (s *Server) listBlackouts(r *http.Request) (tenantStep, error) {
	from, to, err := dateRange(r)
	if err != nil {
		return nil, err
	}
	return func(t *frontdesk.Tenant) (any, error) {
		lo, hi := frontdesk.DateOf(s.now().In(t.Location())), frontdesk.Date{Year: 9999, Month: 12, Day: 31}
		if from != nil {
			lo = *from
		}
		if to != nil {
			hi = *to
		}
		days, err := s.Store.ListBlackoutDates(r.Context(), t.ID, lo, hi)
		if err != nil {
			return nil, err
		}
		return struct {
			Blackouts []DayOffView `json:"blackouts"`
		}{dayOffViews(days)}, nil
	}, nil
}

// DaysOffResult is the answer of closing days: the days closed now and the
// live bookings on them, which stay booked until the owner moves them.
type DaysOffResult struct {
	Blackouts        []DayOffView   `json:"blackouts"`
	AffectedBookings []booking.View `json:"affectedBookings"`
}

func (s *Server) createBlackout(r *http.Request) (tenantStep, error) {
	var in business.DayOffInput
	if err := decodeJSON(r, &in); err != nil {
		return nil, err
	}
	return func(t *frontdesk.Tenant) (any, error) {
		days, affected, err := s.Business.AddDaysOff(r.Context(), t, in)
		if err != nil {
			return nil, err
		}
		out := DaysOffResult{Blackouts: dayOffViews(days), AffectedBookings: []booking.View{}}
		for _, b := range affected {
			out.AffectedBookings = append(out.AffectedBookings, booking.ViewOf(b))
		}
		return created{out}, nil
	}, nil
}

func (s *Server) deleteBlackout(r *http.Request) (tenantStep, error) {
	id, err := pathID(r, "id", "The day off")
	if err != nil {
		return nil, err
	}
	return func(t *frontdesk.Tenant) (any, error) {
		if err := s.Business.DeleteDayOff(r.Context(), t, id); err != nil {
			return nil, err
		}
		return Deleted{Deleted: true}, nil
	}, nil
}
