package booking_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/frontdeskhq/frontdesk"
	"github.com/frontdeskhq/frontdesk/booking"
	"github.com/frontdeskhq/frontdesk/storetest"
)

// TestPrepareRefusesHiddenCharacters: a name or an email with a bidi
// override, a zero-width character or a line break is refused with a
// field error, whoever supplies it (the model's book_service, the guided
// assistant, the owner's phone booking all go through Prepare).
func TestPrepareRefusesHiddenCharacters(t *testing.T) {
	e := newEnv(t, storetest.Backend{Name: "sqlite", Open: storetest.OpenSQLite})
	for _, tc := range []struct {
		name, field string
		change      func(*frontdesk.BookServiceIn)
	}{
		{"right-to-left override in the name", "customerName", func(in *frontdesk.BookServiceIn) { in.CustomerName = "Ada \u202eecalevoL" }},
		{"isolate in the name", "customerName", func(in *frontdesk.BookServiceIn) { in.CustomerName = "Ada \u2066Lovelace\u2069" }},
		{"zero-width space in the name", "customerName", func(in *frontdesk.BookServiceIn) { in.CustomerName = "Ada\u200b Lovelace" }},
		{"byte order mark in the name", "customerName", func(in *frontdesk.BookServiceIn) { in.CustomerName = "\ufeffAda" }},
		{"CR LF in the name", "customerName", func(in *frontdesk.BookServiceIn) { in.CustomerName = "Ada\r\nBcc: eve@example.com" }},
		{"NUL in the name", "customerName", func(in *frontdesk.BookServiceIn) { in.CustomerName = "Ada\x00" }},
		{"invalid UTF-8 in the name", "customerName", func(in *frontdesk.BookServiceIn) { in.CustomerName = "Ad\xffa" }},
		{"override in the email", "customerEmail", func(in *frontdesk.BookServiceIn) { in.CustomerEmail = "ada\u202e@example.com" }},
		{"zero-width joiner in the email", "customerEmail", func(in *frontdesk.BookServiceIn) { in.CustomerEmail = "a\u200dda@example.com" }},
		{"non-breaking space in the email", "customerEmail", func(in *frontdesk.BookServiceIn) { in.CustomerEmail = "ada\u00a0@example.com" }},
		{"override in the start time", "startTime", func(in *frontdesk.BookServiceIn) { in.StartTime = "10:15\u202e" }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, _, err := e.svc.Prepare(e.ctx, e.fx.Tenant, with(input("portrait", monday, "10:15"), tc.change))
			var fe *frontdesk.Error
			if !errors.As(err, &fe) || fe.Code != frontdesk.EInvalid || len(fe.Details) == 0 || fe.Details[0].Field != tc.field {
				t.Fatalf("Prepare = %v (%+v), want a %s field error", err, fe, tc.field)
			}
		})
	}
}

// TestPrepareCleansNotes: notes are free text; hidden characters are
// removed and the line breaks kept, and the booking stores what Prepare
// returned.
func TestPrepareCleansNotes(t *testing.T) {
	e := newEnv(t, storetest.Backend{Name: "sqlite", Open: storetest.OpenSQLite})
	in := with(input("wedding", e.nextDay(), ""), func(in *frontdesk.BookServiceIn) {
		in.CustomerName = "  Ada   Lovelace "
		in.Notes = "  Gate code \u202e4321\u202c\r\nPlease ring\u200b twice\x00.\n\n\n\nThanks  "
	})
	req, _, err := e.svc.Prepare(e.ctx, e.fx.Tenant, in)
	if err != nil {
		t.Fatal(err)
	}
	const want = "Gate code 4321\nPlease ring twice .\n\nThanks"
	if req.Notes != want || req.CustomerName != "Ada Lovelace" {
		t.Fatalf("Prepare: name %q, notes %q; want %q, %q", req.CustomerName, req.Notes, "Ada Lovelace", want)
	}
	res := e.book(in)
	if got := e.booking(res.BookingID); got.Notes != want || got.Customer.Name != "Ada Lovelace" {
		t.Fatalf("stored: name %q, notes %q", got.Customer.Name, got.Notes)
	}
	// The limit counts what is left after cleaning.
	long := with(in, func(in *frontdesk.BookServiceIn) {
		in.Date = e.nextDay()
		in.Notes = strings.Repeat("\u200b", 50) + strings.Repeat("é", booking.MaxNotes)
	})
	if _, _, err := e.svc.Prepare(e.ctx, e.fx.Tenant, long); err != nil {
		t.Fatalf("notes of %d characters after cleaning refused: %v", booking.MaxNotes, err)
	}
}

// TestCancelReasonCleaned: a cancellation's reason loses its hidden
// characters on every path: a customer's proposal and a direct cancel.
func TestCancelReasonCleaned(t *testing.T) {
	e := newEnv(t, storetest.Backend{Name: "sqlite", Open: storetest.OpenSQLite})
	bk := e.book(input("wedding", e.nextDay(), ""))
	_, err := e.svc.Cancel(e.ctx, e.fx.Tenant, bk.BookingID, booking.CancelRequest{By: booking.ByBusiness,
		Reason: " Flooded \u202estudio\u202c\r\nSorry\u200b! "})
	if err != nil {
		t.Fatal(err)
	}
	if got := e.booking(bk.BookingID).CancellationReason; got != "Flooded studio\nSorry!" {
		t.Fatalf("stored reason %q", got)
	}

	b2 := e.booking(e.book(input("wedding", e.nextDay(), "")).BookingID)
	p, err := e.svc.ProposeCancel(e.ctx, e.fx.Tenant, e.session, b2, "ill \u2066today\u2069\x1b[31m")
	if err != nil {
		t.Fatal(err)
	}
	if strings.ContainsAny(string(p.Payload), "\u2066\u2069\x1b") || !strings.Contains(string(p.Payload), `"reason":"ill today [31m"`) {
		t.Fatalf("proposal payload %s", p.Payload)
	}
}
