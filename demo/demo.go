// Package demo seeds the demo tenant that `serve --demo` and `seed-demo`
// give a newcomer: a photography studio with one whole-day package, two
// timed sessions, weekly hours and one day off.
package demo

import (
	"context"
	"fmt"
	"time"

	"github.com/frontdeskhq/frontdesk"
)

// Slug identifies the demo tenant.
const Slug = "demo-studio"

// PublicKey is the demo tenant's fixed publishable key, so the demo
// storefront's widget tag never changes.
const PublicKey = "pk_demo_0000000000000000000000000000"

// Result is what seed-demo prints.
type Result struct {
	TenantID  string    `json:"tenantId"`
	PublicKey string    `json:"publicKey"`
	SecretKey string    `json:"secretKey"`
	Packages  []Package `json:"packages"`
}

// Package is one seeded package as seed-demo prints it.
type Package struct {
	ID          string                `json:"id"`
	Slug        string                `json:"slug"`
	Name        string                `json:"name"`
	BookingType frontdesk.BookingType `json:"bookingType"`
	PriceCents  int64                 `json:"priceCents"`
}

// Seed creates the demo tenant unless it exists. Only a secret key's hash
// is stored, so for an existing tenant the key can be shown only by
// replacing it: with rotate, an existing tenant gets a new secret key and
// the result carries it; without, SecretKey is empty.
func Seed(ctx context.Context, s frontdesk.Store, publicURL string, now time.Time, rotate bool) (*Result, error) {
	var res *Result
	err := s.WithTx(ctx, func(tx frontdesk.Tx) error {
		res = nil
		if t, err := tx.TenantBySlug(ctx, Slug); err == nil {
			pkgs, err := tx.ListPackages(ctx, t.ID, false)
			if err != nil {
				return err
			}
			sk := ""
			if rotate {
				_, sk = frontdesk.NewTenantKeys()
				if err := tx.SetSecretKeyHash(ctx, t.ID, frontdesk.HashSecretKey(sk)); err != nil {
					return err
				}
			}
			res = result(t, sk, pkgs)
			return nil
		} else if !frontdesk.IsCode(err, frontdesk.ENotFound) {
			return err
		}
		_, sk := frontdesk.NewTenantKeys()
		t := &frontdesk.Tenant{
			ID: frontdesk.NewID(), Name: "Lumen Photo Studio", Slug: Slug, ContactEmail: "owner@lumen.example",
			TimeZone: "America/New_York", Currency: "usd", PublicKey: PublicKey, SecretKeyHash: frontdesk.HashSecretKey(sk),
			AllowedOrigins: []string{publicURL},
			Info: frontdesk.BusinessInfo{
				Description: "A small photography studio in Brooklyn: weddings, portraits and family sessions.",
				Hours:       "Monday to Friday 9:00 AM to 5:00 PM, Saturday 10:00 AM to 2:00 PM; closed Sundays.",
				Policies: map[string]string{
					"cancellation": "Free cancellation up to 48 hours before your session; later cancellations are charged 50%.",
					"reschedule":   "You can reschedule once for free up to 24 hours before your session.",
					"payment":      "Bookings are paid online when you book.",
				},
				FAQ: []frontdesk.FAQ{
					{Question: "Where are you?", Answer: "123 Example Street, Brooklyn, NY."},
					{Question: "When do I get my photos?", Answer: "Within two weeks, in an online gallery."},
				},
				Phone: "+1 555 0100", Address: "123 Example Street, Brooklyn, NY", Website: publicURL,
			},
			CreatedAt: now,
		}
		if err := tx.CreateTenant(ctx, t); err != nil {
			return err
		}
		pkgs := []*frontdesk.Package{
			{Slug: "wedding", Name: "Wedding Photography", Description: "Full-day wedding coverage with two photographers.", PriceCents: 250000, BookingType: frontdesk.BookingDate, Category: "events"},
			{Slug: "portrait", Name: "Portrait Session", Description: "A one-hour studio portrait session, 20 edited photos.", PriceCents: 15000, BookingType: frontdesk.BookingTimeslot, DurationMinutes: 60, BufferMinutes: 15, Category: "portraits"},
			{Slug: "mini-session", Name: "Mini Session", Description: "A quick 30-minute session, 5 edited photos.", PriceCents: 7500, BookingType: frontdesk.BookingTimeslot, DurationMinutes: 30, BufferMinutes: 0, Category: "portraits"},
			{Slug: "consultation", Name: "Free Consultation", Description: "A 20-minute call to plan your shoot.", PriceCents: 0, BookingType: frontdesk.BookingTimeslot, DurationMinutes: 20, BufferMinutes: 10, Category: "planning"},
		}
		for _, p := range pkgs {
			p.ID, p.TenantID, p.Currency, p.Active, p.CreatedAt = frontdesk.NewID(), t.ID, "usd", true, now
			if err := tx.CreatePackage(ctx, p); err != nil {
				return err
			}
		}
		for wd := time.Monday; wd <= time.Friday; wd++ {
			if err := tx.CreateAvailabilityRule(ctx, &frontdesk.AvailabilityRule{ID: frontdesk.NewID(), TenantID: t.ID, Weekday: wd, Start: 9 * 60, End: 17 * 60}); err != nil {
				return err
			}
		}
		if err := tx.CreateAvailabilityRule(ctx, &frontdesk.AvailabilityRule{ID: frontdesk.NewID(), TenantID: t.ID, Weekday: time.Saturday, Start: 10 * 60, End: 14 * 60}); err != nil {
			return err
		}
		off := nextChristmas(now)
		if err := tx.CreateBlackoutDate(ctx, &frontdesk.BlackoutDate{ID: frontdesk.NewID(), TenantID: t.ID, Date: off, Reason: "Christmas Day"}); err != nil {
			return err
		}
		res = result(t, sk, pkgs)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("seed demo tenant: %w", err)
	}
	return res, nil
}

func nextChristmas(now time.Time) frontdesk.Date {
	d := frontdesk.Date{Year: now.Year(), Month: time.December, Day: 25}
	if frontdesk.DateOf(now).After(d) {
		d.Year++
	}
	return d
}

func result(t *frontdesk.Tenant, sk string, pkgs []*frontdesk.Package) *Result {
	r := &Result{TenantID: t.ID, PublicKey: t.PublicKey, SecretKey: sk, Packages: []Package{}}
	for _, p := range pkgs {
		r.Packages = append(r.Packages, Package{ID: p.ID, Slug: p.Slug, Name: p.Name, BookingType: p.BookingType, PriceCents: p.PriceCents})
	}
	return r
}
