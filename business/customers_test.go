package business_test

import (
	"context"
	"testing"

	"github.com/frontdeskhq/frontdesk"
	"github.com/frontdeskhq/frontdesk/storetest"
)

// TestCustomerExportThenErase: Export gathers every kind of record, Erase
// leaves none of it but the anonymised bookings, and another tenant's id is
// not found for either.
func TestCustomerExportThenErase(t *testing.T) {
	storetest.EachBackend(t, func(t *testing.T, b storetest.Backend) {
		ctx := context.Background()
		s := newService(t, b)
		a := storetest.NewFixture(t, s.Store, "Export Studio", "Europe/Paris")
		other := storetest.NewFixture(t, s.Store, "Elsewhere Studio", "Europe/Paris")
		p := storetest.SeedPerson(t, s.Store, a, "Zebulon Quartermaine", "zeb@example.org", "+33 6 12 34 56 78")

		if _, err := s.Export(ctx, other.Tenant, p.Customer.ID); !frontdesk.IsCode(err, frontdesk.ENotFound) {
			t.Fatalf("Export with another tenant: %v", err)
		}
		if err := s.Erase(ctx, other.Tenant, p.Customer.ID); !frontdesk.IsCode(err, frontdesk.ENotFound) {
			t.Fatalf("Erase with another tenant: %v", err)
		}
		ex, err := s.Export(ctx, a.Tenant, p.Customer.ID)
		if err != nil {
			t.Fatal(err)
		}
		if ex.Profile.Email != "zeb@example.org" || len(ex.Bookings) != 2 || len(ex.Transcripts) != 1 || len(ex.Chats) != 2 ||
			len(ex.Feedback) != 1 || len(ex.Escalations) != 1 || len(ex.Emails) != 2 || len(ex.CustomerTokens) != 1 ||
			ex.CustomerTokens[0].Email != "zeb@example.org" || !ex.ExportedAt.Equal(testNow) {
			t.Fatalf("export = %+v", ex)
		}
		if err := s.Erase(ctx, a.Tenant, p.Customer.ID); err != nil {
			t.Fatal(err)
		}
		ex, err = s.Export(ctx, a.Tenant, p.Customer.ID)
		if err != nil {
			t.Fatal(err)
		}
		if ex.Profile.Name != "Erased customer" || ex.Profile.Phone != "" || len(ex.Bookings) != 2 ||
			len(ex.Transcripts)+len(ex.Chats)+len(ex.Feedback)+len(ex.Escalations)+len(ex.Emails)+len(ex.CustomerTokens) != 0 {
			t.Fatalf("export after erasure = %+v", ex)
		}
	})
}
