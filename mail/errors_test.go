package mail

import (
	"errors"
	"fmt"
	"testing"
)

func TestPermanentError(t *testing.T) {
	cause := errors.New("550 no such user")
	err := fmt.Errorf("send: %w", Permanent(cause))
	if !IsPermanent(err) {
		t.Error("wrapped PermanentError is not permanent")
	}
	if !errors.Is(err, cause) {
		t.Error("PermanentError does not unwrap to its cause")
	}
	if got := err.Error(); got != "send: permanent mail delivery failure: 550 no such user" {
		t.Errorf("Error() = %q", got)
	}
	if IsPermanent(cause) || IsPermanent(nil) {
		t.Error("a plain error or nil is permanent")
	}
	if Permanent(nil) != nil {
		t.Error("Permanent(nil) != nil")
	}
}
