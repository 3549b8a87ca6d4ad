package booking_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/frontdeskhq/frontdesk"
	"github.com/frontdeskhq/frontdesk/booking"
	"github.com/frontdeskhq/frontdesk/storetest"
)

func TestValidPhone(t *testing.T) {
	for _, tc := range []struct {
		phone string
		want  bool
	}{
		{"+1 555 010 0100", true},
		{"(555) 010-0100", true},
		{"030.1234567", true},
		{"555 0100", true},
		{"123456", false},                            // too few digits
		{"+1234567890123456", false},                 // too many
		{"call me", false},                           // not a number
		{"555-0100 ext 2", false},                    // words
		{"1+5550100", false},                         // + only in front
		{strings.Repeat(" ", 35) + "5550100", false}, // over 40 characters
	} {
		if got := booking.ValidPhone(tc.phone); got != tc.want {
			t.Errorf("ValidPhone(%q) = %v, want %v", tc.phone, got, tc.want)
		}
	}
}

// TestPrepareContactFields: the phone and the notes are checked apart, and
// each error names its own field.
func TestPrepareContactFields(t *testing.T) {
	e := newEnv(t, storetest.Backend{Name: "sqlite", Open: storetest.OpenSQLite})
	for _, tc := range []struct {
		name, field, msg string
		change           func(*frontdesk.BookServiceIn)
	}{
		{"phone in words", "customerPhone", "7 to 15 digits", func(in *frontdesk.BookServiceIn) { in.CustomerPhone = "call me" }},
		{"notes too long", "notes", "1000 characters", func(in *frontdesk.BookServiceIn) { in.Notes = strings.Repeat("é", 1001) }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, _, err := e.svc.Prepare(e.ctx, e.fx.Tenant, with(input("wedding", monday, ""), tc.change))
			var fe *frontdesk.Error
			if !errors.As(err, &fe) || fe.Code != frontdesk.EInvalid || len(fe.Details) != 1 ||
				fe.Details[0].Field != tc.field || !strings.Contains(fe.Details[0].Message, tc.msg) {
				t.Fatalf("Prepare = %v (%+v), want one %s detail saying %q", err, fe, tc.field, tc.msg)
			}
		})
	}
	// No phone at all is fine; a 1000-character note too.
	if _, _, err := e.svc.Prepare(e.ctx, e.fx.Tenant, with(input("wedding", monday, ""), func(in *frontdesk.BookServiceIn) {
		in.CustomerPhone, in.Notes = "", strings.Repeat("é", 1000)
	})); err != nil {
		t.Fatalf("Prepare without a phone: %v", err)
	}
}
