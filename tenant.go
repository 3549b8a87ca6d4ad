package frontdesk

import (
	"crypto/sha256"
	"encoding/hex"
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
	CreatedAt       time.Time
}

// Location returns the tenant's time zone, or UTC if the name is unknown.
func (t *Tenant) Location() *time.Location {
	loc, err := time.LoadLocation(t.TimeZone)
	if err != nil {
		return time.UTC
	}
	return loc
}

// BusinessInfo is what the assistant may tell a visitor about the business.
type BusinessInfo struct {
	Description string            `json:"description,omitempty"`
	Hours       string            `json:"hours,omitempty"`
	Policies    map[string]string `json:"policies,omitempty"` // e.g. "cancellation": "..."
	FAQ         []FAQ             `json:"faq,omitempty"`
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
	CreatedAt       time.Time
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
