package httpapi

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"strings"
	"time"

	"github.com/frontdeskhq/frontdesk"
	"github.com/frontdeskhq/frontdesk/mail"
)

// The calendar feed: GET /calendar/{token}.ics, the tenant's live bookings
// as an iCalendar that Google, Apple and Outlook calendars subscribe to. The
// token in the URL is the only credential (calendar apps send no header), so
// every refusal looks the same: a malformed name, an unknown token and a
// rotated one are all a plain 404 that says nothing about which tenants exist.

const (
	// calendarTokenPrefix and calendarTokenHex are the shape of
	// frontdesk.NewCalendarToken's tokens: "cal_" and 64 lowercase hex digits.
	calendarTokenPrefix = "cal_"
	calendarTokenHex    = 64

	// feedDaysBack and feedYearsAhead bound the feed around today in the
	// tenant's zone: recent bookings stay visible, the far future is cut.
	feedDaysBack   = 30
	feedYearsAhead = 1

	// feedRefresh is how often subscribers are asked to fetch the feed again.
	feedRefresh = time.Hour
)

// calendarFeed serves GET (and HEAD) /calendar/{token}.ics.
func (s *Server) calendarFeed(w http.ResponseWriter, r *http.Request) {
	token, ok := strings.CutSuffix(r.PathValue("file"), ".ics")
	if !ok || !validCalendarToken(token) {
		calendarNotFound(w)
		return
	}
	ctx := r.Context()
	t, err := s.Store.TenantByCalendarToken(ctx, token)
	if frontdesk.IsCode(err, frontdesk.ENotFound) {
		calendarNotFound(w)
		return
	}
	if err != nil {
		calendarFailed(w, r, "calendar feed: find tenant", err)
		return
	}
	setTenant(ctx, t)

	loc := t.Location()
	today := s.now().In(loc)
	from := frontdesk.DateOf(today.AddDate(0, 0, -feedDaysBack))
	to := frontdesk.DateOf(today.AddDate(feedYearsAhead, 0, 0))
	bookings, err := s.Store.LiveBookings(ctx, t.ID, from, to)
	if err != nil {
		calendarFailed(w, r, "calendar feed: list bookings", err)
		return
	}
	events := make([]mail.ICSEvent, 0, len(bookings))
	for _, b := range bookings {
		ev, err := mail.FeedEvent(mail.BookingEmailData{Tenant: t, Booking: b, PublicURL: s.PublicURL})
		if err != nil {
			// One booking that cannot be placed must not hide the others.
			logger(ctx).Warn("calendar feed: booking left out", "booking_id", b.ID, "err", err)
			continue
		}
		events = append(events, ev)
	}
	body, err := mail.BuildFeed(mail.FeedCalendar{Name: t.Name, TimeZone: loc.String(), Refresh: feedRefresh}, events)
	if err != nil {
		calendarFailed(w, r, "calendar feed: build", err)
		return
	}

	sum := sha256.Sum256(body)
	h := w.Header()
	h.Set("Content-Type", "text/calendar; charset=utf-8")
	h.Set("Cache-Control", "private, max-age=300")
	h.Set("Content-Disposition", `inline; filename="`+feedFileName(t.Slug)+`.ics"`)
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("ETag", `"`+hex.EncodeToString(sum[:16])+`"`)
	// ServeContent answers HEAD, If-None-Match (a 304 for a calendar app
	// polling an unchanged feed) and Content-Length.
	http.ServeContent(w, r, "", time.Time{}, bytes.NewReader(body))
}

// validCalendarToken reports whether token has the shape of a calendar
// token, so that nothing else reaches the database.
func validCalendarToken(token string) bool {
	hexPart, ok := strings.CutPrefix(token, calendarTokenPrefix)
	if !ok || len(hexPart) != calendarTokenHex {
		return false
	}
	for i := 0; i < len(hexPart); i++ {
		c := hexPart[i]
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f') {
			return false
		}
	}
	return true
}

// feedFileName returns the slug reduced to characters safe in a quoted
// header parameter, or "calendar" when nothing is left.
func feedFileName(slug string) string {
	name := strings.Map(func(r rune) rune {
		if 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9' || r == '-' || r == '_' {
			return r
		}
		return -1
	}, slug)
	if name == "" {
		return "calendar"
	}
	return name
}

// calendarNotFound is the feed's one refusal, in plain text: calendar apps
// show it to the person who subscribed.
func calendarNotFound(w http.ResponseWriter) {
	w.Header().Set("Cache-Control", "no-store")
	http.Error(w, "Calendar not found. Copy the feed address again from the dashboard's settings: the address changes when the calendar key is rotated.", http.StatusNotFound)
}

// calendarFailed logs an internal failure and answers in plain text with
// the request id only.
func calendarFailed(w http.ResponseWriter, r *http.Request, msg string, err error) {
	if r.Context().Err() != nil {
		w.WriteHeader(499) // the client went away; see writeError
		return
	}
	logger(r.Context()).Error(msg, "err", err)
	w.Header().Set("Cache-Control", "no-store")
	http.Error(w, "Internal error; request id "+requestID(r.Context())+".", http.StatusInternalServerError)
}
