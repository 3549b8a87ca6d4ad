// Package demo seeds the demo tenant that `serve --demo` and `seed-demo`
// give a newcomer: a photography studio with one whole-day package, two
// timed sessions, weekly hours and one day off.
package demo

import (
	"context"
	_ "embed"
	"fmt"
	"net"
	"net/netip"
	"net/url"
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
// owner changed it, but for the origins and website of SeedWith.
func Seed(ctx context.Context, s frontdesk.Store, publicURL string, now time.Time, rotate bool) (*Result, error) {
	return SeedWith(ctx, s, Options{PublicURL: publicURL, Now: now, Rotate: rotate})
}

// Options say where the demo is served and how to seed it.
type Options struct {
	// PublicURL is the server's PUBLIC_URL: the demo's website and one of
	// the origins its widget works on.
	PublicURL string
	// Origins are more sites the widget works on, such as LocalOrigins of
	// the address the server listens on.
	Origins []string
	// Now is the time of seeding (the day off is next Christmas).
	Now time.Time
	// Rotate replaces an existing tenant's secret key, to show it.
	Rotate bool
}

// SeedWith is Seed with options. An existing demo tenant gets the origins
// it lacks (PUBLIC_URL's and Options.Origins; those its owner added stay),
// and a website still at a local address follows PUBLIC_URL; nothing else
// its owner changed is touched.
func SeedWith(ctx context.Context, s frontdesk.Store, o Options) (*Result, error) {
	res, err := seed(ctx, s, o)
	if err != nil {
		return nil, fmt.Errorf("seed demo tenant: %w", err)
	}
	return res, nil
}

// LocalOrigins returns the origins a browser on this machine uses to open
// a server listening on addr (host:port, as net.Listener.Addr gives it):
// http://localhost:PORT and http://127.0.0.1:PORT, and http://HOST:PORT
// when addr names one particular address.
func LocalOrigins(addr string) []string {
	host, port, err := net.SplitHostPort(addr)
	if err != nil || port == "" || port == "0" {
		return nil
	}
	out := []string{"http://localhost:" + port, "http://127.0.0.1:" + port}
	if ip, err := netip.ParseAddr(host); err == nil && !ip.IsUnspecified() && ip != netip.MustParseAddr("127.0.0.1") {
		out = append(out, "http://"+net.JoinHostPort(ip.String(), port))
	} else if err != nil && host != "" && host != "localhost" {
		out = append(out, "http://"+net.JoinHostPort(host, port))
	}
	return out
}

func seed(ctx context.Context, s frontdesk.Store, o Options) (*Result, error) {
	now := o.Now
	biz := &business.Service{Store: s, Clock: frontdesk.ClockFunc(func() time.Time { return now }), PublicURL: o.PublicURL}
	t, err := s.TenantBySlug(ctx, Slug)
	if frontdesk.IsCode(err, frontdesk.ENotFound) {
		f, err := Business(o.PublicURL, now)
		if err != nil {
			return nil, err
		}
		if f.AllowedOrigins != nil {
			all := append(append([]string{}, *f.AllowedOrigins...), o.Origins...)
			f.AllowedOrigins = &all
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
	if t, err = follow(ctx, biz, t, o); err != nil {
		return nil, err
	}
	pkgs, err := s.ListPackages(ctx, t.ID, false)
	if err != nil {
		return nil, err
	}
	sk := ""
	if o.Rotate {
		if sk, err = biz.RotateKey(ctx, t, frontdesk.KeySecret); err != nil {
			return nil, err
		}
	}
	return result(t, sk, pkgs), nil
}

// maxOrigins is the most allowed origins a business may list.
const maxOrigins = 20

// follow brings an existing demo tenant to where the demo is served now:
// the origins it lacks are added (as many as the limit leaves room for)
// and a website at a local address becomes PUBLIC_URL. Only those fields
// are patched; without a change nothing is written.
func follow(ctx context.Context, biz *business.Service, t *frontdesk.Tenant, o Options) (*frontdesk.Tenant, error) {
	var p business.ProfilePatch
	have := map[string]bool{}
	for _, a := range t.AllowedOrigins {
		if n, ok := business.NormalizeOrigin(a); ok {
			have[n] = true
		}
	}
	origins := append([]string{}, t.AllowedOrigins...)
	for _, w := range append([]string{o.PublicURL}, o.Origins...) {
		n, ok := business.NormalizeOrigin(originOf(w))
		if !ok || have[n] || len(origins) >= maxOrigins {
			continue
		}
		have[n] = true
		origins = append(origins, n)
	}
	if len(origins) != len(t.AllowedOrigins) {
		p.AllowedOrigins = &origins
	}
	site := strings.TrimRight(o.PublicURL, "/")
	if site != "" && t.Info.Website != site && localSite(t.Info.Website) {
		p.Info = &business.InfoPatch{Website: &site}
	}
	if p.AllowedOrigins == nil && p.Info == nil {
		return t, nil
	}
	return biz.UpdateProfile(ctx, t, p)
}

// originOf returns the scheme://host[:port] of an address, or s itself.
func originOf(s string) string {
	u, err := url.Parse(strings.TrimSpace(s))
	if err != nil || u.Scheme == "" || u.Host == "" {
		return s
	}
	return u.Scheme + "://" + u.Host
}

// localSite reports whether a website is on this machine: the demo seeded
// it from a local PUBLIC_URL, and no business's real site is there.
func localSite(s string) bool {
	u, err := url.Parse(s)
	if err != nil {
		return false
	}
	h := u.Hostname()
	return h == "localhost" || h == "127.0.0.1" || h == "::1" || strings.HasSuffix(h, ".localhost")
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
