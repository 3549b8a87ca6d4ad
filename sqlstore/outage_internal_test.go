package sqlstore

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"io"
	"net"
	"syscall"
	"testing"

	"github.com/jackc/pgx/v5/pgconn"

	"github.com/frontdeskhq/frontdesk"
)

func TestMapErrUnavailable(t *testing.T) {
	refused := &net.OpError{Op: "dial", Net: "tcp", Err: syscall.ECONNREFUSED}
	cases := []struct {
		name string
		err  error
		want string // the code mapErr gives; "" for an error left as it is
	}{
		{"connection refused", fmt.Errorf("failed to connect: %w", refused), frontdesk.EUnavailable},
		{"connection reset", &net.OpError{Op: "read", Net: "tcp", Err: syscall.ECONNRESET}, frontdesk.EUnavailable},
		{"admin shutdown", &pgconn.PgError{Code: "57P01"}, frontdesk.EUnavailable},
		{"crash shutdown", &pgconn.PgError{Code: "57P02"}, frontdesk.EUnavailable},
		{"cannot connect now", &pgconn.PgError{Code: "57P03"}, frontdesk.EUnavailable},
		{"too many connections", &pgconn.PgError{Code: "53300"}, frontdesk.EUnavailable},
		{"connection failure", &pgconn.PgError{Code: "08006"}, frontdesk.EUnavailable},
		{"server closed the connection", fmt.Errorf("receive message: %w", io.ErrUnexpectedEOF), frontdesk.EUnavailable},
		{"pgx conn closed", fmt.Errorf("query: %w", pgconn.ErrConnClosed), frontdesk.EUnavailable},
		{"bad connection", driver.ErrBadConn, frontdesk.EUnavailable},
		{"connection done", sql.ErrConnDone, frontdesk.EUnavailable},
		{"deadline", fmt.Errorf("connect: %w", context.DeadlineExceeded), frontdesk.EUnavailable},
		{"store closed", errors.New("sql: database is closed"), frontdesk.EUnavailable},
		{"already unavailable", frontdesk.Unavailable(refused), frontdesk.EUnavailable},
		{"unique violation", &pgconn.PgError{Code: "23505"}, frontdesk.EConflict},
		{"no rows", sql.ErrNoRows, frontdesk.ENotFound},
		{"caller gave up", context.Canceled, ""},
		{"syntax error", &pgconn.PgError{Code: "42601"}, ""},
		{"anything else", errors.New("boom"), ""},
	}
	q := &queries{d: Postgres}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := q.mapErr(tc.err)
			if tc.want == "" {
				if got != tc.err {
					t.Fatalf("mapErr(%v) = %v, want it unchanged", tc.err, got)
				}
				return
			}
			if code := frontdesk.ErrorCode(got); code != tc.want {
				t.Fatalf("mapErr(%v) has code %s, want %s", tc.err, code, tc.want)
			}
			if tc.want == frontdesk.EUnavailable {
				if !errors.Is(got, tc.err) {
					t.Fatalf("mapErr(%v) = %v lost its cause", tc.err, got)
				}
				if msg := frontdesk.ErrorMessage(got); msg != frontdesk.UnavailableMessage {
					t.Fatalf("message %q, want %q", msg, frontdesk.UnavailableMessage)
				}
			}
		})
	}
}
