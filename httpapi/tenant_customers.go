package httpapi

import (
	"net/http"

	"github.com/frontdeskhq/frontdesk"
)

// exportCustomer is GET /v1/tenant/customers/{id}/export: everything held
// about the person. The log names ids only.
func (s *Server) exportCustomer(r *http.Request) (tenantStep, error) {
	id, err := pathID(r, "id", "The customer")
	if err != nil {
		return nil, err
	}
	return func(t *frontdesk.Tenant) (any, error) {
		out, err := s.Business.Export(r.Context(), t, id)
		if err != nil {
			return nil, err
		}
		s.Log.InfoContext(r.Context(), "customer exported", "tenant", t.ID, "customer", id)
		return out, nil
	}, nil
}

// eraseCustomer is DELETE /v1/tenant/customers/{id}: the person is erased
// and {erased: true} answered. Erasing an erased customer again is 200
// too, so a retried request succeeds. The log names ids only.
func (s *Server) eraseCustomer(r *http.Request) (tenantStep, error) {
	id, err := pathID(r, "id", "The customer")
	if err != nil {
		return nil, err
	}
	return func(t *frontdesk.Tenant) (any, error) {
		if err := s.Business.Erase(r.Context(), t, id); err != nil {
			return nil, err
		}
		s.Log.InfoContext(r.Context(), "customer erased", "tenant", t.ID, "customer", id)
		return struct {
			Erased bool `json:"erased"`
		}{true}, nil
	}, nil
}
