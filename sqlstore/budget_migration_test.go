package sqlstore_test

import (
	"context"
	"strconv"
	"testing"

	"github.com/frontdeskhq/frontdesk"
	"github.com/frontdeskhq/frontdesk/sqlstore"
)

// TestBudgetNullMigration: a monthly budget of 0 stored before the
// migration meant no budget, and reads afterwards as none (nil) with the
// other settings kept; an amount, no key and null are left as they were;
// a 0 stored afterwards (no model at all) stays 0 when the database opens
// again.
func TestBudgetNullMigration(t *testing.T) {
	for _, dialect := range []string{sqlstore.SQLite, sqlstore.Postgres} {
		t.Run(dialect, func(t *testing.T) {
			ctx := context.Background()
			url, raw := databaseBefore(t, dialect, "budget_null")
			cases := []struct {
				settings string
				want     string // the budget read: "nil" or the cents
			}{
				{`{"maxDaysAhead":90,"monthlyTokenBudgetCents":0,"reminderHoursBefore":12}`, "nil"},
				{`{"maxDaysAhead":90,"monthlyTokenBudgetCents":2500,"reminderHoursBefore":12}`, "2500"},
				{`{"maxDaysAhead":90,"reminderHoursBefore":12}`, "nil"},
				{`{"maxDaysAhead":90,"monthlyTokenBudgetCents":null,"reminderHoursBefore":12}`, "nil"},
				{`{}`, "nil"},
			}
			ids := make([]string, len(cases))
			for i, c := range cases {
				ids[i] = frontdesk.NewID()
				n := strconv.Itoa(i)
				if _, err := raw.ExecContext(ctx, `INSERT INTO tenants (id, name, slug, contact_email, time_zone, currency, public_key,
					secret_key_hash, calendar_token, settings, created_at) VALUES ($1, $2, $3, 'o@t.test', 'UTC', 'usd', $4, $5, $6, $7, $8)`,
					ids[i], "T"+n, "t-"+n, "pk_"+n, "h_"+n, "cal_"+n, c.settings, "2026-01-01T00:00:00.000000Z"); err != nil {
					t.Fatal(err)
				}
			}
			raw.Close()

			db, err := sqlstore.Open(ctx, url)
			if err != nil {
				t.Fatal(err)
			}
			for i, c := range cases {
				tn, err := db.TenantByID(ctx, ids[i])
				if err != nil {
					t.Fatal(err)
				}
				got := "nil"
				if b := tn.Settings.MonthlyTokenBudgetCents; b != nil {
					got = strconv.FormatInt(*b, 10)
				}
				if got != c.want {
					t.Errorf("%s: budget %s after the migration, want %s", c.settings, got, c.want)
				}
				if c.settings != `{}` && (tn.Settings.MaxDaysAhead != 90 || tn.Settings.ReminderHoursBefore != 12) {
					t.Errorf("%s: the other settings changed: %+v", c.settings, tn.Settings)
				}
			}

			// Chosen after the migration, 0 means no model and stays.
			tn, err := db.TenantByID(ctx, ids[0])
			must(t, err)
			tn.Settings.MonthlyTokenBudgetCents = new(int64(0))
			must(t, db.UpdateTenant(ctx, tn))
			db.Close()
			db, err = sqlstore.Open(ctx, url)
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			tn, err = db.TenantByID(ctx, ids[0])
			must(t, err)
			if b := tn.Settings.MonthlyTokenBudgetCents; b == nil || *b != 0 {
				t.Fatalf("a budget of 0 set after the migration reads as %v, want 0", b)
			}
		})
	}
}
