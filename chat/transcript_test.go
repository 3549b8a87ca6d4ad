package chat_test

import (
	"strings"
	"testing"

	"github.com/frontdeskhq/frontdesk"
	"github.com/frontdeskhq/frontdesk/sqlstore"
)

// TestConfirmKeepsTheConversation: the owner can read the conversation
// that led to a booking after the chat session is gone; another tenant
// cannot.
func TestConfirmKeepsTheConversation(t *testing.T) {
	forEachBackend(t, func(t *testing.T, open func(testing.TB) *sqlstore.DB) {
		e := newEnv(t, open, opts{})
		sid := e.session(t, e.a)
		e.send(t, e.a, sid, "hi, do you have a wedding package? <b>bold</b>")
		p := e.propose(t, e.a, sid, frontdesk.BookServiceIn{PackageID: "wedding", Date: "2026-12-18",
			CustomerName: "Ann Lee", CustomerEmail: "ann@example.com"})
		res, err := e.svc.Confirm(ctx, e.a.Tenant, sid, p.ID)
		if err != nil {
			t.Fatal(err)
		}
		got, err := e.store.Transcript(ctx, e.a.Tenant.ID, res.BookingID)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(got, "Customer: hi, do you have a wedding package?") || !strings.Contains(got, "Assistant: ") {
			t.Fatalf("kept conversation %q", got)
		}
		if _, err := e.store.Transcript(ctx, e.b.Tenant.ID, res.BookingID); !frontdesk.IsCode(err, frontdesk.ENotFound) {
			t.Fatalf("another tenant reads it: %v", err)
		}
	})
}
