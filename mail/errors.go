// Package mail renders Frontdesk's transactional emails (booking received,
// new booking for the business, payment confirmed, payment link) and holds
// what the delivery providers in its subpackages share.
package mail

import "errors"

// PermanentError marks a delivery failure that will not succeed on a retry:
// a rejected recipient, a refused message, a bad API token. Providers wrap
// such failures in it so the outbox stops retrying the email.
type PermanentError struct {
	Err error
}

// Error returns the underlying failure.
func (e *PermanentError) Error() string {
	if e == nil || e.Err == nil {
		return "permanent mail delivery failure"
	}
	return "permanent mail delivery failure: " + e.Err.Error()
}

// Unwrap returns the underlying cause.
func (e *PermanentError) Unwrap() error { return e.Err }

// Permanent wraps err in a *PermanentError; nil stays nil.
func Permanent(err error) error {
	if err == nil {
		return nil
	}
	return &PermanentError{Err: err}
}

// IsPermanent reports whether err is, or wraps, a *PermanentError. Any other
// non-nil error is temporary: the outbox should retry it later.
func IsPermanent(err error) bool {
	var p *PermanentError
	return errors.As(err, &p)
}
