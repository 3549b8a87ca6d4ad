package chat

import (
	"context"

	"github.com/frontdeskhq/frontdesk"
)

// visitorContext is the per-visitor part of the model's context: who a
// returning customer is and their last bookings; "" for a visitor the
// session does not know. It changes per session, so it is placed after the
// parts every visitor shares.
func (s *Service) visitorContext(ctx context.Context, t *frontdesk.Tenant, cs *frontdesk.ChatSession) string {
	return ""
}
