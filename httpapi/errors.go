package httpapi

import (
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"strconv"
	"time"

	"github.com/frontdeskhq/frontdesk"
	"github.com/frontdeskhq/frontdesk/lograte"
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

// RetryAfterUnavailable is how long a client is asked to wait (the
// Retry-After of a 503) before trying again while a service Frontdesk
// depends on is unavailable.
const RetryAfterUnavailable = 5 * time.Second

// setRetryAfter asks the client to come back in RetryAfterUnavailable
// when err is EUnavailable; pages that answer such an error call it too.
func setRetryAfter(w http.ResponseWriter, err error) {
	if frontdesk.IsCode(err, frontdesk.EUnavailable) {
		w.Header().Set("Retry-After", strconv.Itoa(int(RetryAfterUnavailable/time.Second)))
	}
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
// generic message, never the error text. An unavailable dependency is a
// 503 with Retry-After; it is logged like an internal error.
func writeError(w http.ResponseWriter, r *http.Request, err error) {
	if r.Context().Err() != nil && errors.Is(err, r.Context().Err()) {
		// The client went away; nobody reads the answer and nothing failed.
		logger(r.Context()).Info("client went away before the answer", "err", err)
		w.WriteHeader(499) // nginx's "client closed request", for the access log
		return
	}
	var fe *frontdesk.Error
	body := errorBody{RequestID: requestID(r.Context())}
	switch {
	case errors.As(err, &fe) && fe.Code == frontdesk.EUnavailable:
		body.Error, body.Message = fe.Code, frontdesk.UnavailableMessage
		setRetryAfter(w, err)
		logFailure(r, err)
	case fe != nil && fe.Code != frontdesk.EInternal:
		body.Error, body.Message, body.Details = fe.Code, fe.Message, fe.Details
		if fe.Err != nil {
			logger(r.Context()).Debug("request refused", "code", fe.Code, "err", fe.Err)
		}
	default:
		body.Error, body.Message = frontdesk.EInternal, frontdesk.ErrorMessage(errors.New("hidden"))
		logFailure(r, err)
	}
	status, ok := statusOf[body.Error]
	if !ok {
		status = http.StatusInternalServerError
	}
	writeJSON(w, status, body)
}

// ErrorLogInterval is the shortest time between two ERROR lines of one
// kind (error code and route): while the database is down every request
// fails the same way, and one line with a count says as much as thousands.
const ErrorLogInterval = 10 * time.Second

// failureKind tells apart the ERROR lines that failures are rate-limited
// by. The logger is part of it so that servers in one process (tests) do
// not hold back each other's lines.
type failureKind struct {
	log         *slog.Logger
	code, route string
}

var failureLog = lograte.New[failureKind](ErrorLogInterval)

// logFailure logs a failure that is ours, not the client's (an internal
// error, an unavailable dependency) at ERROR with its cause: the first of
// its kind per ErrorLogInterval, and with it how many were held back since
// the previous line. Held-back failures are still logged at DEBUG.
func logFailure(r *http.Request, err error) {
	code := frontdesk.ErrorCode(err)
	route := r.Pattern // the mux's pattern, so a path's ids do not make new kinds
	if route == "" {
		route = r.Method + " (no route)"
	}
	ri := info(r.Context())
	msg := "internal error"
	if code == frontdesk.EUnavailable {
		msg = "unavailable: a service the request needs cannot be reached"
		var fe *frontdesk.Error
		if errors.As(err, &fe) && fe.Err != nil {
			err = fe.Err // the cause; the client's message says nothing new
		}
	}
	ok, suppressed := failureLog.Allow(failureKind{log: ri.log, code: code, route: route})
	if !ok {
		logger(r.Context()).Debug(msg, "code", code, "route", route, "err", err)
		return
	}
	args := []any{"code", code, "route", route, "err", err}
	if suppressed > 0 {
		args = append(args, "suppressed", suppressed) // since the previous line of this kind
	}
	logger(r.Context()).Error(msg, args...)
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	if err := json.NewEncoder(w).Encode(v); err != nil {
		slog.Debug("write response", "err", err)
	}
}
