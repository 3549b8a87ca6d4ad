package frontdesk

import (
	"crypto/sha256"
	"encoding/hex"
	"sync"
	"time"
)

// Tenant is one business using Frontdesk.
type Tenant struct {
	ID              string
	Name            string
	Slug            string
	ContactEmail    string
	TimeZone        string // IANA name, e.g. "Europe/Berlin"
	Currency        string // ISO 4217, lower case, e.g. "usd"
	PublicKey       string // pk_..., safe in a web page
	SecretKeyHash   string // SHA-256 of the sk_... key, hex
	AllowedOrigins  []string
	Info            BusinessInfo
	StripeAccountID string // connected account, empty for the platform's own
	Settings        Settings
	// CalendarToken is the secret part of the tenant's calendar feed URL
	// (/calendar/{token}.ics); rotating it stops the old URL at once.
	CalendarToken string
	// Version grows with every change to the business's configuration
	// (profile, services, hours, days off); caches of anything derived from
	// it key on it, so every instance sees a change at once.
	Version   int64
	CreatedAt time.Time
}

// Location returns the tenant's time zone, or UTC if the name is unknown.
// Zones are loaded once per name and kept: time.LoadLocation reads and
// parses tzdata on every call, and a chat turn asks many times.
func (t *Tenant) Location() *time.Location {
	if loc, ok := locations.Load(t.TimeZone); ok {
		return loc.(*time.Location)
	}
	loc, err := time.LoadLocation(t.TimeZone)
	if err != nil {
		// Unknown names are not kept, so the cache holds only real zones
		// and cannot be grown by arbitrary input.
		return time.UTC
	}
	actual, _ := locations.LoadOrStore(t.TimeZone, loc)
	return actual.(*time.Location)
}

// locations caches loaded time zones by IANA name (*time.Location values,
// which are safe to share).
var locations sync.Map

// BusinessInfo is what the assistant may tell a visitor about the business.
type BusinessInfo struct {
	Description string            `json:"description,omitempty"`
	Policies    map[string]string `json:"policies,omitzero"` // e.g. "cancellation": "..."
	FAQ         []FAQ             `json:"faq,omitzero"`
	Phone       string            `json:"phone,omitempty"`
	Address     string            `json:"address,omitempty"`
	Website     string            `json:"website,omitempty"`
}

// FAQ is one question and answer of a business.
type FAQ struct {
	Question string `json:"question"`
	Answer   string `json:"answer"`
}

// BookingType says how a package is booked.
type BookingType string

// Booking types.
const (
	// BookingDate books a whole day; one live booking per tenant per date.
	BookingDate BookingType = "DATE"
	// BookingTimeslot books a slot of DurationMinutes drawn from the rules.
	BookingTimeslot BookingType = "TIMESLOT"
)

// Package is a bookable service.
type Package struct {
	ID              string
	TenantID        string
	Slug            string
	Name            string
	Description     string
	PriceCents      int64
	Currency        string
	BookingType     BookingType
	DurationMinutes int
	BufferMinutes   int
	Active          bool
	Category        string
	// Position orders the services as the owner wants them shown (lowest first).
	Position int
	// Archived hides a deleted service that still has bookings: it is never
	// listed or bookable again, but its bookings keep pointing at it.
	Archived  bool
	CreatedAt time.Time
}

// AvailabilityRule opens a weekday from Start to End, in minutes after local
// midnight of the tenant's time zone.
type AvailabilityRule struct {
	ID       string
	TenantID string
	Weekday  time.Weekday
	Start    int // minutes after midnight, 0..1440
	End      int
}

// BlackoutDate closes a whole day.
type BlackoutDate struct {
	ID       string
	TenantID string
	Date     Date
	Reason   string
}

// Customer is a person who booked with a tenant. Email is unique per tenant,
// compared case-insensitively.
type Customer struct {
	ID        string
	TenantID  string
	Email     string
	Name      string
	Phone     string
	CreatedAt time.Time
}

// NewTenantKeys returns a fresh publishable key (pk_...) and secret key
// (sk_...). Only the secret key's hash is stored; the key itself is shown once.
func NewTenantKeys() (publicKey, secretKey string) {
	return "pk_" + NewID(), "sk_" + NewID() + NewID()
}

// HashSecretKey returns the stored form of a secret key: SHA-256, hex. The
// key has 256 random bits, so a fast hash is enough.
func HashSecretKey(secretKey string) string {
	sum := sha256.Sum256([]byte(secretKey))
	return hex.EncodeToString(sum[:])
}

// Settings are the booking rules a tenant chooses. The JSON names are the
// tenant API's.
type Settings struct {
	// MinNoticeMinutes: no slot or day starting sooner than this is offered.
	MinNoticeMinutes int `json:"minNoticeMinutes"`
	// MaxDaysAhead: nothing further ahead than this many days is offered.
	MaxDaysAhead int `json:"maxDaysAhead"`
	// RequirePhone makes the customer's phone number required to book.
	RequirePhone bool `json:"requirePhone"`
	// ReminderHoursBefore is when the reminder email goes out; 0 = none.
	ReminderHoursBefore int `json:"reminderHoursBefore"`
	// RefundPolicy says how much of a paid booking is refunded when the
	// customer cancels: the first tier whose HoursBefore the cancellation
	// meets, tiers sorted by HoursBefore descending.
	RefundPolicy []RefundTier `json:"refundPolicy"`
	// RescheduleCutoffHours: no reschedule closer than this to the start.
	RescheduleCutoffHours int `json:"rescheduleCutoffHours"`
	// MaxReschedules per booking.
	MaxReschedules int `json:"maxReschedules"`
	// MonthlyTokenBudgetCents caps the assistant's estimated model cost in
	// a calendar month of the business, in US cents: nil is no budget (the
	// default), 0 is no model at all (the guided assistant answers every
	// turn), a positive amount caps the month.
	MonthlyTokenBudgetCents *int64 `json:"monthlyTokenBudgetCents"`
	// DashboardEmails may sign in to the dashboard besides the contact email.
	DashboardEmails []string `json:"dashboardEmails"`
}

// RefundTier refunds Percent of the price when a cancellation comes at
// least HoursBefore hours before the start.
type RefundTier struct {
	HoursBefore int `json:"hoursBefore"`
	Percent     int `json:"percent"`
}

// Limits of the settings, shared by validation and documentation.
const (
	MaxNoticeMinutes   = 60 * 24 * 90
	MaxDaysAheadLimit  = 730
	MaxReminderHours   = 24 * 14
	MaxRescheduleLimit = 20
)

// DefaultSettings are the rules of a new tenant.
func DefaultSettings() Settings {
	return Settings{
		MinNoticeMinutes:      0,
		MaxDaysAhead:          365,
		ReminderHoursBefore:   24,
		RefundPolicy:          []RefundTier{{HoursBefore: 48, Percent: 100}, {HoursBefore: 0, Percent: 50}},
		RescheduleCutoffHours: 24,
		MaxReschedules:        2,
		DashboardEmails:       []string{},
	}
}

// KeyKind names one of a tenant's rotatable keys.
type KeyKind string

// Rotatable keys.
const (
	KeySecret      KeyKind = "secret"
	KeyPublishable KeyKind = "publishable"
	KeyCalendar    KeyKind = "calendar"
)

// NewCalendarToken returns a fresh unguessable calendar feed token.
func NewCalendarToken() string { return "cal_" + NewID() + NewID() }
