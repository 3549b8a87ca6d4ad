package frontdesk

import (
	"testing"
	"time"
)

func TestTenantLocation(t *testing.T) {
	ny := &Tenant{TimeZone: "America/New_York"}
	a, b := ny.Location(), (&Tenant{TimeZone: "America/New_York"}).Location()
	if a.String() != "America/New_York" || a != b {
		t.Fatalf("Location = %v and %v; want the same loaded New York zone", a, b)
	}
	if at := time.Date(2026, 7, 1, 12, 0, 0, 0, time.UTC).In(a); at.Hour() != 8 {
		t.Fatalf("noon UTC in New York in July is %d:00, want 8:00", at.Hour())
	}
	for _, name := range []string{"", "Mars/Olympus"} {
		if got := (&Tenant{TimeZone: name}).Location(); got != time.UTC {
			t.Errorf("Location(%q) = %v, want UTC", name, got)
		}
	}
	if _, kept := locations.Load("Mars/Olympus"); kept {
		t.Error("an unknown zone name was cached")
	}
}

// BenchmarkTenantLocation: a chat turn asks for the zone many times; it is
// loaded once.
func BenchmarkTenantLocation(b *testing.B) {
	tn := &Tenant{TimeZone: "Europe/Berlin"}
	for b.Loop() {
		tn.Location()
	}
}
