package sqlstore_test

import (
	"context"
	"database/sql"
	neturl "net/url"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/frontdeskhq/frontdesk"
	"github.com/frontdeskhq/frontdesk/sqlstore"
	"github.com/frontdeskhq/frontdesk/storetest"
)

func TestContract(t *testing.T) {
	for _, b := range storetest.Backends(t) {
		t.Run(b.Name, func(t *testing.T) {
			storetest.Run(t, func(t testing.TB) frontdesk.Store { return b.Open(t) })
		})
	}
}

func TestOpenErrors(t *testing.T) {
	dir := t.TempDir()
	ro := filepath.Join(dir, "ro")
	if err := os.Mkdir(ro, 0o500); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name, url, want string
	}{
		{"malformed postgres", "postgres://user@host:notaport/db", "DATABASE_URL is not a valid PostgreSQL URL"},
		{"unreachable postgres", "postgres://nobody@127.0.0.1:1/db?connect_timeout=2", "DATABASE_URL: cannot connect to PostgreSQL at 127.0.0.1:1"},
		{"other scheme", "mysql://x", "DATABASE_URL must be a postgres:// URL or a SQLite file path"},
		{"unwritable sqlite", filepath.Join(ro, "sub", "x.db"), "DATABASE_URL: cannot create the directory"},
	}
	if os.Geteuid() == 0 {
		cases = cases[:3] // root can write anywhere
		cases = append(cases, struct{ name, url, want string }{"sqlite path is a directory", dir, "DATABASE_URL: cannot write the SQLite file"})
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			db, err := sqlstore.Open(context.Background(), tc.url)
			if err == nil {
				db.Close()
				t.Fatal("Open succeeded")
			}
			if !strings.Contains(err.Error(), tc.want) || strings.Contains(err.Error(), "\n") {
				t.Fatalf("error %q, want one line containing %q", err, tc.want)
			}
		})
	}
}

func TestMigrateTwice(t *testing.T) {
	path := filepath.Join(t.TempDir(), "x.db")
	for i := 0; i < 2; i++ {
		db, err := sqlstore.Open(context.Background(), path)
		if err != nil {
			t.Fatalf("open %d: %v", i, err)
		}
		db.Close()
	}
}

// TestOwnerMigration: tenants, services and feedback stored before the
// owner migration read afterwards with a calendar token of their own,
// version 1, the default settings, position 0, not archived and no
// message; business info that still holds the removed "hours" reads too.
func TestOwnerMigration(t *testing.T) {
	for _, dialect := range []string{sqlstore.SQLite, sqlstore.Postgres} {
		t.Run(dialect, func(t *testing.T) {
			ctx := context.Background()
			url, raw := databaseBefore(t, dialect, "owner")
			var ids []string
			for i := 0; i < 3; i++ {
				id := frontdesk.NewID()
				ids = append(ids, id)
				if _, err := raw.ExecContext(ctx, `INSERT INTO tenants (id, name, slug, contact_email, time_zone, currency,
					public_key, secret_key_hash, business_info, created_at) VALUES ($1, $2, $3, $4, 'UTC', 'usd', $5, $6, $7, $8)`,
					id, "T"+id, "t-"+id, "o@t.test", "pk_"+id, "h_"+id, `{"description":"Portraits.","hours":"Mon-Fri 9-5"}`,
					"2026-01-0"+strconv.Itoa(i+1)+"T00:00:00.000000Z"); err != nil {
					t.Fatal(err)
				}
			}
			pkg := frontdesk.NewID()
			if _, err := raw.ExecContext(ctx, `INSERT INTO packages (id, tenant_id, slug, name, price_cents, currency, booking_type, created_at)
				VALUES ($1, $2, 'old', 'Old', 100, 'usd', 'DATE', '2026-01-01T00:00:00.000000Z')`, pkg, ids[0]); err != nil {
				t.Fatal(err)
			}
			if _, err := raw.ExecContext(ctx, `INSERT INTO chat_feedback (id, tenant_id, session_id, target, feedback_type, created_at, updated_at)
				VALUES ($1, $2, 's', 'm', 'THUMBS_UP', '2026-01-01T00:00:00.000000Z', '2026-01-01T00:00:00.000000Z')`, frontdesk.NewID(), ids[0]); err != nil {
				t.Fatal(err)
			}
			raw.Close()

			db, err := sqlstore.Open(ctx, url)
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			tenants, err := db.ListTenants(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if len(tenants) != 3 {
				t.Fatalf("%d tenants after the migration, want 3", len(tenants))
			}
			tokens := map[string]bool{}
			for i, tn := range tenants {
				if tn.ID != ids[i] || tn.Version != 1 || tn.Info.Description != "Portraits." || !reflect.DeepEqual(tn.Settings, frontdesk.DefaultSettings()) {
					t.Fatalf("tenant %d after the migration = %+v", i, tn)
				}
				if !strings.HasPrefix(tn.CalendarToken, "cal_") || len(tn.CalendarToken) != len(frontdesk.NewCalendarToken()) || tokens[tn.CalendarToken] {
					t.Fatalf("calendar token %q: want a distinct cal_ token as long as a new one", tn.CalendarToken)
				}
				tokens[tn.CalendarToken] = true
				got, err := db.TenantByCalendarToken(ctx, tn.CalendarToken)
				if err != nil || got.ID != tn.ID {
					t.Fatalf("TenantByCalendarToken = %v, %v", got, err)
				}
			}
			p, err := db.Package(ctx, ids[0], "old")
			if err != nil || p.ID != pkg || p.Position != 0 || p.Archived || !p.Active {
				t.Fatalf("package after the migration = %+v, %v", p, err)
			}
			fs, err := db.ListFeedback(ctx, ids[0], time.Time{}, time.Time{})
			if err != nil || len(fs) != 1 || fs[0].Message != "" {
				t.Fatalf("feedback after the migration = %+v, %v", fs, err)
			}
			// A tenant created afterwards is unaffected by the token the
			// SQLite column defaults to.
			pk, sk := frontdesk.NewTenantKeys()
			must(t, db.CreateTenant(ctx, &frontdesk.Tenant{ID: frontdesk.NewID(), Name: "New", Slug: "new", TimeZone: "UTC",
				Currency: "usd", PublicKey: pk, SecretKeyHash: frontdesk.HashSecretKey(sk), CreatedAt: time.Now()}))
		})
	}
}

// databaseBefore makes a database of the dialect migrated up to, not
// including, the migration named name (0004_owner.sql is "owner"), and
// returns the URL to open it with and a connection to it.
func databaseBefore(t *testing.T, dialect, name string) (string, *sql.DB) {
	t.Helper()
	ctx := context.Background()
	var url, driver string
	switch dialect {
	case sqlstore.SQLite:
		url, driver = filepath.Join(t.TempDir(), "old.db"), "sqlite"
	case sqlstore.Postgres:
		base := storetest.ServiceURL(t, "TEST_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/test")
		admin, err := sql.Open("pgx", base)
		if err != nil {
			t.Fatal(err)
		}
		defer admin.Close()
		admin.ExecContext(ctx, `CREATE EXTENSION IF NOT EXISTS btree_gist`)
		schema := "t_" + frontdesk.NewID()[:16]
		if _, err := admin.ExecContext(ctx, `CREATE SCHEMA `+schema); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() {
			if admin, err := sql.Open("pgx", base); err == nil {
				admin.ExecContext(context.Background(), `DROP SCHEMA `+schema+` CASCADE`)
				admin.Close()
			}
		})
		u, err := neturl.Parse(base)
		if err != nil {
			t.Fatal(err)
		}
		q := u.Query()
		q.Set("search_path", schema+",public")
		u.RawQuery = q.Encode()
		url, driver = u.String(), "pgx"
	}
	raw, err := sql.Open(driver, url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { raw.Close() })
	if _, err := raw.ExecContext(ctx, `CREATE TABLE schema_migrations (version integer PRIMARY KEY, applied_at text NOT NULL)`); err != nil {
		t.Fatal(err)
	}
	files, err := filepath.Glob(filepath.Join("migrations", dialect, "*.sql"))
	if err != nil || len(files) == 0 {
		t.Fatalf("migrations of %s: %v", dialect, err)
	}
	sort.Strings(files)
	for _, f := range files {
		file := filepath.Base(f)
		if strings.HasSuffix(file, "_"+name+".sql") {
			return url, raw
		}
		body, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := raw.ExecContext(ctx, string(body)); err != nil {
			t.Fatalf("%s: %v", file, err)
		}
		v, _ := strconv.Atoi(strings.SplitN(file, "_", 2)[0])
		if _, err := raw.ExecContext(ctx, `INSERT INTO schema_migrations (version, applied_at) VALUES ($1, 'test')`, v); err != nil {
			t.Fatal(err)
		}
	}
	t.Fatalf("no %s migration among %v", name, files)
	return "", nil
}

// TestLifecycleMigration: a booking stored before the lifecycle migration
// reads afterwards with nothing refunded, no reschedule, calendar sequence
// 0 and no reminder, and takes manage tokens and refunds; deleting a
// booking deletes its manage tokens.
func TestLifecycleMigration(t *testing.T) {
	for _, dialect := range []string{sqlstore.SQLite, sqlstore.Postgres} {
		t.Run(dialect, func(t *testing.T) {
			ctx := context.Background()
			url, raw := databaseBefore(t, dialect, "lifecycle")
			tenant, pkg, cust, bk := frontdesk.NewID(), frontdesk.NewID(), frontdesk.NewID(), frontdesk.NewID()
			const at = "2026-01-01T00:00:00.000000Z"
			for _, st := range []struct {
				query string
				args  []any
			}{
				{`INSERT INTO tenants (id, name, slug, contact_email, time_zone, currency, public_key, secret_key_hash, calendar_token, created_at)
					VALUES ($1, 'T', 't', 'o@t.test', 'UTC', 'usd', 'pk_t', 'h_t', 'cal_t', $2)`, []any{tenant, at}},
				{`INSERT INTO packages (id, tenant_id, slug, name, price_cents, currency, booking_type, duration_minutes, created_at)
					VALUES ($1, $2, 'p', 'Portrait', 25000, 'usd', 'TIMESLOT', 60, $3)`, []any{pkg, tenant, at}},
				{`INSERT INTO customers (id, tenant_id, email, email_norm, name, created_at) VALUES ($1, $2, 'a@x.test', 'a@x.test', 'Ann', $3)`,
					[]any{cust, tenant, at}},
				{`INSERT INTO bookings (id, tenant_id, customer_id, package_id, booking_type, date, start_at, end_at, hold_until, status,
					total_price_cents, currency, confirmation_code, source, created_at, updated_at)
					VALUES ($1, $2, $3, $4, 'TIMESLOT', '2026-02-02', '2026-02-02T10:00:00.000000Z', '2026-02-02T11:00:00.000000Z',
					'2026-02-02T11:00:00.000000Z', 'CONFIRMED', 25000, 'usd', 'BK-OLD234', 'API', $5, $5)`, []any{bk, tenant, cust, pkg, at}},
			} {
				if _, err := raw.ExecContext(ctx, st.query, st.args...); err != nil {
					t.Fatal(err)
				}
			}
			raw.Close()

			db, err := sqlstore.Open(ctx, url)
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			got, err := db.Booking(ctx, tenant, bk)
			must(t, err)
			if got.RefundedCents != 0 || got.RescheduleCount != 0 || got.CalendarSequence != 0 || got.ReminderDueAt != nil ||
				got.Status != frontdesk.StatusConfirmed || got.PackageName != "Portrait" {
				t.Fatalf("booking after the migration = %+v", got)
			}
			now := time.Date(2026, 1, 2, 0, 0, 0, 0, time.UTC)
			if due, err := db.RemindersDue(ctx, now, 10); err != nil || len(due) != 0 {
				t.Fatalf("RemindersDue after the migration = %v, %v; want none", due, err)
			}
			must(t, db.CreateManageToken(ctx, tenant, bk, "hash", now))
			must(t, db.CreateRefund(ctx, &frontdesk.Refund{ID: frontdesk.NewID(), TenantID: tenant, BookingID: bk, AmountCents: 25000,
				Currency: "usd", Status: frontdesk.RefundPending, NextAttemptAt: now, CreatedAt: now, UpdatedAt: now}))
			if _, err := db.SQL().ExecContext(ctx, `DELETE FROM bookings WHERE id = $1`, bk); err == nil {
				t.Fatal("a booking with refunds was deleted")
			}
			if _, err := db.SQL().ExecContext(ctx, `DELETE FROM refunds WHERE booking_id = $1`, bk); err != nil {
				t.Fatal(err)
			}
			if _, err := db.SQL().ExecContext(ctx, `DELETE FROM bookings WHERE id = $1`, bk); err != nil {
				t.Fatal(err)
			}
			if n := storetest.Count(t, db, `SELECT count(*) FROM manage_tokens`); n != 0 {
				t.Fatalf("%d manage tokens of a deleted booking, want 0", n)
			}
		})
	}
}

// TestSettingsOverDefaults: stored settings are read over the defaults, so
// a rule missing from the stored JSON reads as its default.
func TestSettingsOverDefaults(t *testing.T) {
	storetest.EachBackend(t, func(t *testing.T, b storetest.Backend) {
		ctx := context.Background()
		db := b.Open(t)
		f := storetest.NewFixture(t, db, "Alpha", "UTC")
		want := frontdesk.DefaultSettings()
		want.MaxDaysAhead, want.RequirePhone = 30, true
		cases := []struct {
			name, stored string
			want         frontdesk.Settings
		}{
			{"empty", `{}`, frontdesk.DefaultSettings()},
			{"partial", `{"maxDaysAhead": 30, "requirePhone": true, "retired": 1}`, want},
			{"no refunds", `{"refundPolicy": []}`, func() frontdesk.Settings {
				s := frontdesk.DefaultSettings()
				s.RefundPolicy = []frontdesk.RefundTier{}
				return s
			}()},
		}
		for _, tc := range cases {
			if _, err := db.SQL().ExecContext(ctx, `UPDATE tenants SET settings = $1 WHERE id = $2`, tc.stored, f.Tenant.ID); err != nil {
				t.Fatal(err)
			}
			got, err := db.TenantByID(ctx, f.Tenant.ID)
			must(t, err)
			if !reflect.DeepEqual(got.Settings, tc.want) {
				t.Errorf("%s: settings %+v, want %+v", tc.name, got.Settings, tc.want)
			}
		}
	})
}

func must(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
