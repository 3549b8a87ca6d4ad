// Package demo seeds the demo tenant that `serve --demo` and `seed-demo`
// give a newcomer: a photography studio with one whole-day package, two
// timed sessions, weekly hours and one day off.
package demo

import (
	"context"
	_ "embed"
	"fmt"
	"strings"
	"time"

	"github.com/frontdeskhq/frontdesk"
	"github.com/frontdeskhq/frontdesk/business"
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

// File is the demo business, in the format of `frontdesk tenant apply`.
//
//go:embed lumen.yaml
var File []byte

// Business returns the demo business file with its placeholders filled.
func Business(publicURL string, now time.Time) (*business.File, error) {
	text := strings.NewReplacer("${PUBLIC_URL}", strings.TrimRight(publicURL, "/"), "${NEXT_CHRISTMAS}", nextChristmas(now).String()).Replace(string(File))
	return business.ParseFile([]byte(text))
}

// Seed creates the demo tenant unless it exists, by applying the demo
// business file. Only a secret key's hash is stored, so for an existing
// tenant the key can be shown only by replacing it: with rotate, an
// existing tenant gets a new secret key and the result carries it;
// without, SecretKey is empty. An existing demo tenant is left as its
// owner changed it.
func Seed(ctx context.Context, s frontdesk.Store, publicURL string, now time.Time, rotate bool) (*Result, error) {
	res, err := seed(ctx, s, publicURL, now, rotate)
	if err != nil {
		return nil, fmt.Errorf("seed demo tenant: %w", err)
	}
	return res, nil
}

func seed(ctx context.Context, s frontdesk.Store, publicURL string, now time.Time, rotate bool) (*Result, error) {
	biz := &business.Service{Store: s, Clock: frontdesk.ClockFunc(func() time.Time { return now }), PublicURL: publicURL}
	t, err := s.TenantBySlug(ctx, Slug)
	if frontdesk.IsCode(err, frontdesk.ENotFound) {
		f, err := Business(publicURL, now)
		if err != nil {
			return nil, err
		}
		applied, err := biz.Apply(ctx, f, business.ApplyOptions{PublicKey: PublicKey})
		if err != nil {
			return nil, err
		}
		if t, err = s.TenantByID(ctx, applied.TenantID); err != nil {
			return nil, err
		}
		pkgs, err := s.ListPackages(ctx, t.ID, false)
		if err != nil {
			return nil, err
		}
		if applied.Created {
			return result(t, applied.SecretKey, pkgs), nil
		}
		// Another process seeded it first: fall through to rotate if asked.
	} else if err != nil {
		return nil, err
	}
	pkgs, err := s.ListPackages(ctx, t.ID, false)
	if err != nil {
		return nil, err
	}
	sk := ""
	if rotate {
		if sk, err = biz.RotateKey(ctx, t, frontdesk.KeySecret); err != nil {
			return nil, err
		}
	}
	return result(t, sk, pkgs), nil
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
