package httpapi

import (
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"

	"github.com/frontdeskhq/frontdesk"
)

// statusOf is the one map from error code to HTTP status.
var statusOf = map[string]int{
	frontdesk.EInvalid:          http.StatusBadRequest,
	frontdesk.EUnauthorized:     http.StatusUnauthorized,
	frontdesk.EForbidden:        http.StatusForbidden,
	frontdesk.ENotFound:         http.StatusNotFound,
	frontdesk.EMethodNotAllowed: http.StatusMethodNotAllowed,
	frontdesk.ESlotUnavailable:  http.StatusConflict,
	frontdesk.EConflict:         http.StatusConflict,
	frontdesk.EExpired:          http.StatusConflict,
	frontdesk.ETooLarge:         http.StatusRequestEntityTooLarge,
	frontdesk.ERateLimited:      http.StatusTooManyRequests,
	frontdesk.EEscalationLimit:  http.StatusTooManyRequests,
	frontdesk.EUnavailable:      http.StatusServiceUnavailable,
	frontdesk.EInternal:         http.StatusInternalServerError,
}

// errorBody is the JSON error model of the public and tenant APIs.
type errorBody struct {
	Error     string                 `json:"error"`
	Message   string                 `json:"message"`
	Details   []frontdesk.FieldError `json:"details,omitempty"`
	RequestID string                 `json:"requestId,omitempty"`
}

// writeError writes err as JSON. Errors that are not *frontdesk.Error are
// internal: they are logged with the request id and the client gets a
// generic message, never the error text.
func writeError(w http.ResponseWriter, r *http.Request, err error) {
	if r.Context().Err() != nil && errors.Is(err, r.Context().Err()) {
		// The client went away; nobody reads the answer and nothing failed.
		logger(r.Context()).Info("client went away before the answer", "err", err)
		w.WriteHeader(499) // nginx's "client closed request", for the access log
		return
	}
	var fe *frontdesk.Error
	body := errorBody{RequestID: requestID(r.Context())}
	if errors.As(err, &fe) && fe.Code != frontdesk.EInternal {
		body.Error, body.Message, body.Details = fe.Code, fe.Message, fe.Details
		if fe.Err != nil {
			logger(r.Context()).Debug("request refused", "code", fe.Code, "err", fe.Err)
		}
	} else {
		body.Error, body.Message = frontdesk.EInternal, frontdesk.ErrorMessage(errors.New("hidden"))
		logger(r.Context()).Error("internal error", "err", err)
	}
	status, ok := statusOf[body.Error]
	if !ok {
		status = http.StatusInternalServerError
	}
	writeJSON(w, status, body)
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	if err := json.NewEncoder(w).Encode(v); err != nil {
		slog.Debug("write response", "err", err)
	}
}
