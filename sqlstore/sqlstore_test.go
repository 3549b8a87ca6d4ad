package sqlstore_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

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
