package httpapi

import (
	"errors"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/frontdeskhq/frontdesk"
	"github.com/frontdeskhq/frontdesk/business"
)

// The owner's side of the tenant API: the profile and settings, the keys,
// services, hours, days off, escalations, feedback and customers. Each
// handler checks the request, calls the business package (the same
// functions the command line and the dashboard call) and shows the result.

func (s *Server) getTenant(r *http.Request) (tenantStep, error) {
	if err := noQuery(r); err != nil {
		return nil, err
	}
	return func(t *frontdesk.Tenant) (any, error) { return s.Business.ProfileOf(t), nil }, nil
}

func (s *Server) patchTenant(r *http.Request) (tenantStep, error) {
	var p business.ProfilePatch
	if err := decodeJSON(r, &p); err != nil {
		return nil, err
	}
	return func(t *frontdesk.Tenant) (any, error) {
		n, err := s.Business.UpdateProfile(r.Context(), t, p)
		if err != nil {
			return nil, err
		}
		return s.Business.ProfileOf(n), nil
	}, nil
}

// RotatedKey is the answer of a key rotation: the new key, shown once.
type RotatedKey struct {
	Key   frontdesk.KeyKind `json:"key"`
	Value string            `json:"value"`
}

func (s *Server) rotateKey(r *http.Request) (tenantStep, error) {
	var req struct {
		Key string `json:"key"`
	}
	if err := decodeJSON(r, &req); err != nil && !isEmptyBody(err) {
		return nil, err
	}
	kind, ok := business.ParseKeyKind(req.Key)
	if !ok {
		return nil, frontdesk.Invalid(frontdesk.FieldError{Field: "key", Message: "must be secret, publishable or calendar"})
	}
	return func(t *frontdesk.Tenant) (any, error) {
		v, err := s.Business.RotateKey(r.Context(), t, kind)
		if err != nil {
			return nil, err
		}
		return RotatedKey{Key: kind, Value: v}, nil
	}, nil
}

// isEmptyBody reports a decode error for a missing body, where the body
// is optional.
func isEmptyBody(err error) bool { return errors.Is(err, io.EOF) }

// noQuery refuses query parameters on an endpoint that takes none.
func noQuery(r *http.Request) error {
	return checkQuery(r.URL.Query())
}

// checkQuery refuses query parameters other than the known ones.
func checkQuery(q url.Values, known ...string) error {
	var bad []frontdesk.FieldError
	for key := range q {
		ok := false
		for _, k := range known {
			ok = ok || k == key
		}
		if !ok {
			msg := "is not a known query parameter"
			if len(known) > 0 {
				msg += " (" + strings.Join(known, ", ") + ")"
			}
			bad = append(bad, frontdesk.FieldError{Field: key, Message: msg})
		}
	}
	if len(bad) > 0 {
		return frontdesk.Invalid(bad...)
	}
	return nil
}

// queryLimit reads an optional limit from 1 to 100.
func queryLimit(q url.Values, bad []frontdesk.FieldError) (int, []frontdesk.FieldError) {
	v := q.Get("limit")
	if v == "" {
		return 0, bad
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 || n > 100 {
		return 0, append(bad, frontdesk.FieldError{Field: "limit", Message: "must be a whole number from 1 to 100"})
	}
	return n, bad
}

// queryDate reads an optional YYYY-MM-DD query parameter.
func queryDate(q url.Values, key string, bad []frontdesk.FieldError) (*frontdesk.Date, []frontdesk.FieldError) {
	v := q.Get(key)
	if v == "" {
		return nil, bad
	}
	d, err := frontdesk.ParseDate(v)
	if err != nil {
		return nil, append(bad, frontdesk.FieldError{Field: key, Message: "must be a date YYYY-MM-DD"})
	}
	return &d, bad
}

// dateRange reads the optional from and to (YYYY-MM-DD) of a list, the
// only query parameters it takes.
func dateRange(r *http.Request) (from, to *frontdesk.Date, err error) {
	q := r.URL.Query()
	if err := checkQuery(q, "from", "to"); err != nil {
		return nil, nil, err
	}
	var bad []frontdesk.FieldError
	from, bad = queryDate(q, "from", bad)
	to, bad = queryDate(q, "to", bad)
	if from != nil && to != nil && to.Before(*from) {
		bad = append(bad, frontdesk.FieldError{Field: "to", Message: "must not be before from"})
	}
	if len(bad) > 0 {
		return nil, nil, frontdesk.Invalid(bad...)
	}
	return from, to, nil
}
