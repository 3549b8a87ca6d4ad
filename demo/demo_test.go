package demo

import (
	"context"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/frontdeskhq/frontdesk"
	"github.com/frontdeskhq/frontdesk/business"
	"github.com/frontdeskhq/frontdesk/sqlstore"
)

var now = time.Date(2026, 3, 2, 15, 0, 0, 0, time.UTC)

func openStore(t *testing.T) *sqlstore.DB {
	t.Helper()
	s, err := sqlstore.Open(context.Background(), filepath.Join(t.TempDir(), "demo.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func TestLocalOrigins(t *testing.T) {
	cases := []struct {
		addr string
		want []string
	}{
		{"[::]:8080", []string{"http://localhost:8080", "http://127.0.0.1:8080"}},
		{"0.0.0.0:9000", []string{"http://localhost:9000", "http://127.0.0.1:9000"}},
		{"127.0.0.1:4321", []string{"http://localhost:4321", "http://127.0.0.1:4321"}},
		{"[::1]:4321", []string{"http://localhost:4321", "http://127.0.0.1:4321", "http://[::1]:4321"}},
		{"192.168.1.20:8080", []string{"http://localhost:8080", "http://127.0.0.1:8080", "http://192.168.1.20:8080"}},
		{":0", nil},
		{"nonsense", nil},
	}
	for _, tc := range cases {
		if got := LocalOrigins(tc.addr); !slices.Equal(got, tc.want) {
			t.Errorf("LocalOrigins(%q) = %v, want %v", tc.addr, got, tc.want)
		}
	}
}

func TestSeedWithOrigins(t *testing.T) {
	ctx := context.Background()
	s := openStore(t)
	res, err := SeedWith(ctx, s, Options{PublicURL: "http://localhost:8080", Origins: LocalOrigins("[::]:8080"), Now: now})
	if err != nil {
		t.Fatal(err)
	}
	tn, err := s.TenantByID(ctx, res.TenantID)
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"http://localhost:8080", "http://127.0.0.1:8080"}; !slices.Equal(tn.AllowedOrigins, want) {
		t.Fatalf("new demo tenant's origins %v, want %v", tn.AllowedOrigins, want)
	}
	if tn.Info.Website != "http://localhost:8080" || res.SecretKey == "" {
		t.Fatalf("website %q, secret key %q", tn.Info.Website, res.SecretKey)
	}
}

// TestSeedExistingTenantFollows: a demo tenant seeded earlier, then changed
// by its owner, gets the origins of where it is served now and a local
// website that follows PUBLIC_URL; the owner's changes stay.
func TestSeedExistingTenantFollows(t *testing.T) {
	ctx := context.Background()
	s := openStore(t)
	res, err := Seed(ctx, s, "http://localhost:8080", now, false)
	if err != nil {
		t.Fatal(err)
	}
	tn, err := s.TenantByID(ctx, res.TenantID)
	if err != nil {
		t.Fatal(err)
	}
	biz := &business.Service{Store: s, Clock: frontdesk.ClockFunc(func() time.Time { return now }), PublicURL: "http://localhost:8080"}
	name, origins, desc := "Lumen & Co", []string{"http://localhost:8080", "https://lumen.example"}, "Our own words."
	if _, err := biz.UpdateProfile(ctx, tn, business.ProfilePatch{Name: &name, AllowedOrigins: &origins, Info: &business.InfoPatch{Description: &desc}}); err != nil {
		t.Fatal(err)
	}

	again, err := SeedWith(ctx, s, Options{PublicURL: "http://localhost:9090", Origins: LocalOrigins("127.0.0.1:9090"), Now: now})
	if err != nil {
		t.Fatal(err)
	}
	tn, err = s.TenantByID(ctx, res.TenantID)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"http://localhost:8080", "https://lumen.example", "http://localhost:9090", "http://127.0.0.1:9090"}
	if again.TenantID != res.TenantID || !slices.Equal(tn.AllowedOrigins, want) {
		t.Fatalf("origins %v, want %v", tn.AllowedOrigins, want)
	}
	if tn.Name != name || tn.Info.Description != desc || tn.Info.Website != "http://localhost:9090" || again.SecretKey != "" {
		t.Fatalf("name %q, description %q, website %q, secret %q", tn.Name, tn.Info.Description, tn.Info.Website, again.SecretKey)
	}
	version := tn.Version

	// Seeding again where it already works writes nothing.
	if _, err := SeedWith(ctx, s, Options{PublicURL: "http://localhost:9090", Origins: LocalOrigins("127.0.0.1:9090"), Now: now}); err != nil {
		t.Fatal(err)
	}
	if tn, err = s.TenantByID(ctx, res.TenantID); err != nil || tn.Version != version {
		t.Fatalf("a seed with nothing to add changed the tenant: version %d → %d (%v)", version, tn.Version, err)
	}

	// A website the owner set to their real site stays.
	site := "https://lumen.example"
	if _, err := biz.UpdateProfile(ctx, tn, business.ProfilePatch{Info: &business.InfoPatch{Website: &site}}); err != nil {
		t.Fatal(err)
	}
	if _, err := SeedWith(ctx, s, Options{PublicURL: "http://localhost:7070", Now: now}); err != nil {
		t.Fatal(err)
	}
	if tn, err = s.TenantByID(ctx, res.TenantID); err != nil || tn.Info.Website != site || !slices.Contains(tn.AllowedOrigins, "http://localhost:7070") {
		t.Fatalf("website %q origins %v (%v)", tn.Info.Website, tn.AllowedOrigins, err)
	}
}
