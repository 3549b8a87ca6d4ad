package sqlstore_test

import (
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/frontdeskhq/frontdesk"
	"github.com/frontdeskhq/frontdesk/sqlstore"
	"github.com/frontdeskhq/frontdesk/storetest"
)

// TestConcurrentWritesKeepTheirOwnOutcome: SQLite commits the writes that
// wait together in one transaction; a write that fails (here a message of
// a session that does not exist) fails alone, and every other write is
// stored, each exactly once, and readable as soon as its call returns.
func TestConcurrentWritesKeepTheirOwnOutcome(t *testing.T) {
	store := storetest.OpenSQLite(t)
	f := storetest.NewFixture(t, store, "Lumen Studio", "America/New_York")
	ctx := context.Background()
	now := time.Date(2026, 12, 10, 15, 0, 0, 0, time.UTC)
	sessions := make([]*frontdesk.ChatSession, 8)
	for i := range sessions {
		sessions[i] = &frontdesk.ChatSession{ID: frontdesk.NewID(), TenantID: f.Tenant.ID, CreatedAt: now, UpdatedAt: now}
		if err := store.CreateSession(ctx, sessions[i]); err != nil {
			t.Fatal(err)
		}
	}
	const perSession = 25
	var wg sync.WaitGroup
	errs := make(chan error, 1000)
	for i := range perSession {
		for _, cs := range sessions {
			wg.Go(func() {
				m := &frontdesk.ChatMessage{ID: frontdesk.NewID(), TenantID: f.Tenant.ID, SessionID: cs.ID, Role: frontdesk.RoleUser,
					Content: fmt.Sprintf("message %d", i), CreatedAt: now}
				if err := store.AppendMessage(ctx, m); err != nil {
					errs <- fmt.Errorf("append to a live session: %w", err)
					return
				}
				// Committed when the call returns: a read sees it at once.
				got, err := store.RecentMessages(ctx, f.Tenant.ID, cs.ID, 100)
				if err != nil {
					errs <- err
					return
				}
				found := false
				for _, g := range got {
					found = found || g.ID == m.ID
				}
				if !found {
					errs <- fmt.Errorf("message %s not readable after AppendMessage returned", m.ID)
				}
			})
			if i%5 == 0 {
				wg.Go(func() {
					err := store.AppendMessage(ctx, &frontdesk.ChatMessage{ID: frontdesk.NewID(), TenantID: f.Tenant.ID,
						SessionID: frontdesk.NewID(), Role: frontdesk.RoleUser, Content: "orphan", CreatedAt: now})
					if err == nil {
						errs <- fmt.Errorf("a message of a session that does not exist was stored")
					}
				})
			}
		}
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	for _, cs := range sessions {
		msgs, err := store.RecentMessages(ctx, f.Tenant.ID, cs.ID, 100)
		if err != nil {
			t.Fatal(err)
		}
		if len(msgs) != perSession {
			t.Errorf("session %s holds %d messages, want %d", cs.ID, len(msgs), perSession)
		}
	}
}

// TestOpenReportsAFailedMigration: a SQLite file whose migration record
// cannot be read is an error that names the problem, and opening it
// leaves nothing running (it used to panic while closing).
func TestOpenReportsAFailedMigration(t *testing.T) {
	path := filepath.Join(t.TempDir(), "bad.db")
	raw, err := sql.Open("sqlite", "file:"+path)
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{
		`CREATE TABLE schema_migrations (version text PRIMARY KEY, applied_at text NOT NULL)`,
		`INSERT INTO schema_migrations VALUES ('not a number', 'x')`,
	} {
		if _, err := raw.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	raw.Close()
	db, err := sqlstore.Open(context.Background(), path)
	if err == nil {
		db.Close()
		t.Fatal("Open of a database with an unreadable migration record succeeded")
	}
	if !strings.Contains(err.Error(), "migrating") {
		t.Errorf("Open error %q does not say the migrations failed", err)
	}
}
