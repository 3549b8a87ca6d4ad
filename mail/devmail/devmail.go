// Package devmail is the mailer used when no email provider is configured.
// It delivers nothing: the outbox keeps every rendered email, and the dev
// mailbox at /dev/mail shows them as they would look.
package devmail

import (
	"context"

	"github.com/frontdeskhq/frontdesk"
)

// Mailer accepts every email; the outbox row is the delivered copy.
type Mailer struct{}

// Send succeeds at once.
func (Mailer) Send(ctx context.Context, e frontdesk.Email) error { return nil }
