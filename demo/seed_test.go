package demo_test

import (
	"context"
	"net/url"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/frontdeskhq/frontdesk/demo"
	"github.com/frontdeskhq/frontdesk/sqlstore"
	"github.com/frontdeskhq/frontdesk/storetest"
)

// instances opens n handles on one fresh database, as n instances of the
// server starting at once would: the same SQLite file, or the same
// PostgreSQL schema.
func instances(t *testing.T, b storetest.Backend, n int) []*sqlstore.DB {
	t.Helper()
	ctx := context.Background()
	var dsn string
	var out []*sqlstore.DB
	switch b.Name {
	case "sqlite":
		dsn = filepath.Join(t.TempDir(), "frontdesk.db")
	default:
		first := b.Open(t) // a schema of its own, dropped at the end
		var schema string
		if err := first.SQL().QueryRowContext(ctx, `SELECT current_schema()`).Scan(&schema); err != nil {
			t.Fatal(err)
		}
		u, err := url.Parse(os.Getenv("TEST_DATABASE_URL"))
		if err != nil {
			t.Fatal(err)
		}
		q := u.Query()
		q.Set("search_path", schema+",public")
		u.RawQuery = q.Encode()
		dsn = u.String()
		out = append(out, first)
	}
	for len(out) < n {
		db, err := sqlstore.Open(ctx, dsn)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() }) // before the schema is dropped
		out = append(out, db)
	}
	return out
}

// TestSeedConcurrently: eight instances seeding the demo at once all
// succeed, and there is one demo business with one set of services,
// hours and days off; exactly one of them created it and got its key.
func TestSeedConcurrently(t *testing.T) {
	storetest.EachBackend(t, func(t *testing.T, b storetest.Backend) {
		const n = 8
		dbs := instances(t, b, n)
		now := time.Date(2026, 3, 2, 15, 0, 0, 0, time.UTC)
		results := make([]*demo.Result, n)
		errs := make([]error, n)
		start := make(chan struct{})
		var wg sync.WaitGroup
		for i, db := range dbs {
			wg.Go(func() {
				<-start
				results[i], errs[i] = demo.Seed(context.Background(), db, "http://localhost:8080", now, false)
			})
		}
		close(start)
		wg.Wait()
		keys := 0
		for i, err := range errs {
			if err != nil {
				t.Fatalf("instance %d: %v", i, err)
			}
			r := results[i]
			if r.TenantID != results[0].TenantID || r.PublicKey != demo.PublicKey || len(r.Packages) != len(results[0].Packages) {
				t.Errorf("instance %d seeded %+v, instance 0 %+v", i, r, results[0])
			}
			if r.SecretKey != "" {
				keys++
			}
		}
		if keys != 1 {
			t.Errorf("%d instances got a secret key, want the one that created the business", keys)
		}
		if len(results[0].Packages) == 0 {
			t.Fatal("no services seeded")
		}
		s := dbs[0]
		for _, c := range []struct {
			query string
			want  int
		}{
			{`SELECT count(*) FROM tenants WHERE slug = '` + demo.Slug + `'`, 1},
			{`SELECT count(*) FROM packages`, len(results[0].Packages)},
			{`SELECT count(*) FROM blackout_dates`, 1},
		} {
			if got := storetest.Count(t, s, c.query); got != c.want {
				t.Errorf("%s = %d, want %d", c.query, got, c.want)
			}
		}
		// The weekly hours are those of one seeding, not several.
		one := storetest.OpenSQLite(t)
		if _, err := demo.Seed(context.Background(), one, "http://localhost:8080", now, false); err != nil {
			t.Fatal(err)
		}
		if got, want := storetest.Count(t, s, `SELECT count(*) FROM availability_rules`), storetest.Count(t, one, `SELECT count(*) FROM availability_rules`); got != want {
			t.Errorf("%d weekly rules after concurrent seeding, %d after one", got, want)
		}
	})
}
