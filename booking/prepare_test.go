package booking_test

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/frontdeskhq/frontdesk"
	"github.com/frontdeskhq/frontdesk/storetest"
)

// TestPrepare runs the Prepare checks on one store per backend; Prepare
// writes nothing, so they share it.
func TestPrepare(t *testing.T) {
	storetest.EachBackend(t, func(t *testing.T, b storetest.Backend) {
		e := newEnv(t, b)
		t.Run("rejects", func(t *testing.T) { testPrepareRejects(t, e.sub(t)) })
		t.Run("valid", func(t *testing.T) { testPrepareValid(t, e.sub(t)) })
	})
}

func testPrepareRejects(t *testing.T, e *env) {
	other := storetest.NewFixture(t, e.store, "Other Studio", zone)
	cases := []struct {
		name  string
		in    frontdesk.BookServiceIn
		code  string
		field string // for validation errors: the field named in Details
		msg   string // part of the customer-facing message
	}{
		{name: "bad email", in: with(input("wedding", monday, ""), func(in *frontdesk.BookServiceIn) { in.CustomerEmail = "ada@" }),
			code: frontdesk.EInvalid, field: "customerEmail", msg: "valid email address"},
		{name: "email with display name", in: with(input("wedding", monday, ""), func(in *frontdesk.BookServiceIn) { in.CustomerEmail = "Ada <ada@example.com>" }),
			code: frontdesk.EInvalid, field: "customerEmail", msg: "valid email address"},
		{name: "email without domain dot", in: with(input("wedding", monday, ""), func(in *frontdesk.BookServiceIn) { in.CustomerEmail = "ada@localhost" }),
			code: frontdesk.EInvalid, field: "customerEmail", msg: "valid email address"},
		{name: "missing name", in: with(input("wedding", monday, ""), func(in *frontdesk.BookServiceIn) { in.CustomerName = "   " }),
			code: frontdesk.EInvalid, field: "customerName", msg: "customer's name"},
		{name: "date not YYYY-MM-DD", in: input("wedding", "07/12/2026", ""),
			code: frontdesk.EInvalid, field: "date", msg: "YYYY-MM-DD"},
		{name: "impossible date", in: input("wedding", "2026-02-30", ""),
			code: frontdesk.EInvalid, field: "date", msg: "YYYY-MM-DD"},
		{name: "past date, DATE package", in: input("wedding", yesterday, ""),
			code: frontdesk.EInvalid, msg: "in the past. Please choose today or a later date"},
		{name: "past date, TIMESLOT package", in: input("portrait", yesterday, "10:15"),
			code: frontdesk.ESlotUnavailable, msg: "already passed. Please pick a later time"},
		{name: "earlier today", in: input("portrait", "2026-12-01", "09:00"),
			code: frontdesk.ESlotUnavailable, msg: "already passed"},
		{name: "blackout date, DATE package", in: input("wedding", christmas, ""),
			code: frontdesk.ESlotUnavailable, msg: "closed on that date. Please choose another date"},
		{name: "blackout date, TIMESLOT package", in: input("portrait", christmas, "10:15"),
			code: frontdesk.ESlotUnavailable, msg: "closed on that date. Please choose another date"},
		{name: "closed weekday (Sunday), DATE package", in: input("wedding", sunday, ""),
			code: frontdesk.ESlotUnavailable, msg: "not open on that day. Please choose another date"},
		{name: "closed weekday (Sunday), TIMESLOT package", in: input("portrait", sunday, "10:15"),
			code: frontdesk.ESlotUnavailable, msg: "not open on that day. Please choose another date"},
		{name: "misaligned slot", in: input("portrait", monday, "09:30"),
			code: frontdesk.ESlotUnavailable, msg: "one of the listed times"},
		{name: "slot running past closing", in: input("portrait", monday, "16:30"),
			code: frontdesk.ESlotUnavailable, msg: "one of the listed times"},
		{name: "slot before opening", in: input("portrait", monday, "08:00"),
			code: frontdesk.ESlotUnavailable, msg: "one of the listed times"},
		{name: "missing start time", in: input("portrait", monday, ""),
			code: frontdesk.EInvalid, field: "startTime", msg: "choose a start time"},
		{name: "unreadable start time", in: input("portrait", monday, "quarter past ten"),
			code: frontdesk.EInvalid, field: "startTime", msg: "HH:MM"},
		{name: "RFC 3339 start on another day", in: input("portrait", monday, "2026-12-08T10:15:00-05:00"),
			code: frontdesk.EInvalid, field: "startTime", msg: "not on the chosen date"},
		{name: "inactive package", in: input(e.fx.Retired.ID, monday, "10:00"),
			code: frontdesk.EInvalid, msg: "Retired Package is not available for booking at the moment. Please choose another service"},
		{name: "inactive package by slug", in: input("retired", monday, "10:00"),
			code: frontdesk.EInvalid, msg: "Please choose another service"},
		{name: "other tenant's package", in: input(other.Portrait.ID, monday, "10:15"),
			code: frontdesk.ENotFound, msg: "Please choose"},
		{name: "unknown package", in: input("no-such-service", monday, "10:15"),
			code: frontdesk.ENotFound, msg: "Please choose"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			req, preview, err := e.svc.Prepare(e.ctx, e.fx.Tenant, tc.in)
			wantCode(t, err, tc.code, tc.msg)
			if req != nil || preview != "" {
				t.Errorf("failed Prepare returned a request %+v and preview %q", req, preview)
			}
			if tc.field != "" {
				var fe *frontdesk.Error
				if !errors.As(err, &fe) || !slices.ContainsFunc(fe.Details, func(d frontdesk.FieldError) bool { return d.Field == tc.field }) {
					t.Errorf("error %v does not name field %q", err, tc.field)
				}
			}
			if msg := frontdesk.ErrorMessage(err); strings.Contains(msg, other.Tenant.ID) || strings.Contains(msg, "sql") {
				t.Errorf("message leaks internals: %q", msg)
			}
		})
	}
	// Nothing was written while validating.
	if n := storetest.Count(t, e.store, `SELECT count(*) FROM bookings`); n != 0 {
		t.Errorf("%d bookings after failed Prepares, want 0", n)
	}
}

func with(in frontdesk.BookServiceIn, f func(*frontdesk.BookServiceIn)) frontdesk.BookServiceIn {
	f(&in)
	return in
}

func testPrepareValid(t *testing.T, e *env) {
	slot := time.Date(2026, 12, 7, 15, 15, 0, 0, time.UTC) // 10:15 EST
	cases := []struct {
		name      string
		in        frontdesk.BookServiceIn
		pkgID     string
		price     int64
		startAt   *time.Time
		preview   string
		bookingTy frontdesk.BookingType
	}{
		{name: "DATE by slug", in: input("wedding", monday, ""), pkgID: e.fx.Wedding.ID, price: 150000, bookingTy: frontdesk.BookingDate,
			preview: "Wedding Photography on Monday 7 December 2026 for Ada Lovelace <ada@example.com>, $1,500.00"},
		{name: "DATE by id, start time ignored", in: input(e.fx.Wedding.ID, monday, "10:00"), pkgID: e.fx.Wedding.ID, price: 150000, bookingTy: frontdesk.BookingDate,
			preview: "Wedding Photography on Monday 7 December 2026 for Ada Lovelace <ada@example.com>, $1,500.00"},
		{name: "TIMESLOT as local HH:MM", in: input("portrait", monday, "10:15"), pkgID: e.fx.Portrait.ID, price: 25000, startAt: &slot, bookingTy: frontdesk.BookingTimeslot,
			preview: "Portrait Session on Monday 7 December 2026, 10:15 AM–11:15 AM EST for Ada Lovelace <ada@example.com>, $250.00"},
		{name: "TIMESLOT as RFC 3339 with the tenant's offset", in: input("portrait", monday, "2026-12-07T10:15:00-05:00"), pkgID: e.fx.Portrait.ID, price: 25000, startAt: &slot, bookingTy: frontdesk.BookingTimeslot,
			preview: "Portrait Session on Monday 7 December 2026, 10:15 AM–11:15 AM EST for Ada Lovelace <ada@example.com>, $250.00"},
		{name: "TIMESLOT as RFC 3339 in UTC", in: input(e.fx.Portrait.ID, monday, "2026-12-07T15:15:00Z"), pkgID: e.fx.Portrait.ID, price: 25000, startAt: &slot, bookingTy: frontdesk.BookingTimeslot,
			preview: "Portrait Session on Monday 7 December 2026, 10:15 AM–11:15 AM EST for Ada Lovelace <ada@example.com>, $250.00"},
		{name: "free TIMESLOT, padded input", in: frontdesk.BookServiceIn{PackageID: " consult ", Date: " " + monday + " ", StartTime: " 09:30 ",
			CustomerName: "  Ada Lovelace ", CustomerEmail: " ada@example.com "}, pkgID: e.fx.Free.ID, price: 0, bookingTy: frontdesk.BookingTimeslot,
			startAt: ptr(time.Date(2026, 12, 7, 14, 30, 0, 0, time.UTC)),
			preview: "Free Consultation on Monday 7 December 2026, 9:30 AM–10:00 AM EST for Ada Lovelace <ada@example.com>, free"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			req, preview, err := e.svc.Prepare(e.ctx, e.fx.Tenant, tc.in)
			if err != nil {
				t.Fatalf("Prepare: %v", err)
			}
			if preview != tc.preview {
				t.Errorf("preview\n got %q\nwant %q", preview, tc.preview)
			}
			if req.PackageID != tc.pkgID || req.PriceCents != tc.price || req.Currency != "usd" || req.BookingType != tc.bookingTy {
				t.Errorf("request %+v: want package %s, price %d usd, type %s", req, tc.pkgID, tc.price, tc.bookingTy)
			}
			if req.Date.String() != monday || req.CustomerName != "Ada Lovelace" || req.CustomerEmail != "ada@example.com" {
				t.Errorf("request %+v: want date %s and the trimmed customer", req, monday)
			}
			switch {
			case tc.startAt == nil && req.StartAt != nil:
				t.Errorf("StartAt = %v, want none", req.StartAt)
			case tc.startAt != nil && (req.StartAt == nil || !req.StartAt.Equal(*tc.startAt)):
				t.Errorf("StartAt = %v, want %v", req.StartAt, tc.startAt)
			}
		})
	}
}

func ptr[T any](v T) *T { return &v }
