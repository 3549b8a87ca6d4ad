package ratelimit

import (
	"bufio"
	"context"
	"errors"
	"io"
	"log/slog"
	"net"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/frontdeskhq/frontdesk/storetest"
	"github.com/redis/go-redis/v9"
)

// fakeRedis serves the Redis protocol (RESP2) on a local port and returns
// its address. Each connection answers its commands with a replier that
// newConn makes for it.
func fakeRedis(t *testing.T, newConn func() func(cmd []string) string) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go func() {
				defer c.Close()
				reply := newConn()
				r := bufio.NewReader(c)
				for {
					cmd, err := readCommand(r)
					if err != nil {
						return
					}
					if _, err := io.WriteString(c, reply(cmd)); err != nil {
						return
					}
				}
			}()
		}
	}()
	return ln.Addr().String()
}

// readCommand reads one command: an array of bulk strings.
func readCommand(r *bufio.Reader) ([]string, error) {
	line, err := r.ReadString('\n')
	if err != nil {
		return nil, err
	}
	if !strings.HasPrefix(line, "*") {
		return nil, errors.New("not an array: " + line)
	}
	n, err := strconv.Atoi(strings.TrimSpace(line[1:]))
	if err != nil {
		return nil, err
	}
	cmd := make([]string, n)
	for i := range cmd {
		head, err := r.ReadString('\n')
		if err != nil {
			return nil, err
		}
		size, err := strconv.Atoi(strings.TrimSpace(strings.TrimPrefix(head, "$")))
		if err != nil {
			return nil, err
		}
		buf := make([]byte, size+2)
		if _, err := io.ReadFull(r, buf); err != nil {
			return nil, err
		}
		cmd[i] = string(buf[:size])
	}
	return cmd, nil
}

// requirePass answers like a Redis 5 with requirepass set to password.
func requirePass(password string) func() func([]string) string {
	return func() func([]string) string {
		authed := false
		return func(cmd []string) string {
			switch strings.ToUpper(cmd[0]) {
			case "HELLO":
				return "-ERR unknown command 'HELLO'\r\n" // go-redis falls back to AUTH
			case "AUTH":
				if authed = cmd[len(cmd)-1] == password; authed {
					return "+OK\r\n"
				}
				return "-WRONGPASS invalid username-password pair or user is disabled.\r\n"
			case "CLIENT":
				return "+OK\r\n"
			case "PING":
				if authed {
					return "+PONG\r\n"
				}
			}
			return "-NOAUTH Authentication required.\r\n"
		}
	}
}

func client(t *testing.T, rawURL string) *redis.Client {
	t.Helper()
	opt, err := redis.ParseURL(rawURL)
	if err != nil {
		t.Fatal(err)
	}
	opt.MaxRetries = -1
	rdb := redis.NewClient(opt)
	t.Cleanup(func() { rdb.Close() })
	return rdb
}

func TestCheckRedis(t *testing.T) {
	const password = "s3cret-pass-word"
	fake := fakeRedis(t, requirePass(password))
	cases := []struct {
		name, url string
		auth      bool
		want      string
	}{
		{"no password", "redis://" + fake, true, "REDIS_URL: Redis at " + fake + " requires a password and the URL has none"},
		{"wrong password", "redis://:" + password + "x@" + fake, true, "REDIS_URL: Redis refused the password; check the URL's password"},
		{"wrong user and password", "redis://bob:" + password + "x@" + fake, true, "REDIS_URL: Redis refused the password"},
		{"unreachable", "redis://:" + password + "@127.0.0.1:1", false, "REDIS_URL: Redis at 127.0.0.1:1 is unreachable: dial tcp 127.0.0.1:1"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			err := CheckRedis(context.Background(), client(t, tc.url))
			if err == nil {
				t.Fatal("CheckRedis succeeded")
			}
			if !strings.HasPrefix(err.Error(), tc.want) {
				t.Fatalf("error %q, want it to start with %q", err, tc.want)
			}
			t.Log(err)
			if errors.Is(err, ErrRedisAuth) != tc.auth {
				t.Fatalf("errors.Is(%q, ErrRedisAuth) = %v, want %v", err, !tc.auth, tc.auth)
			}
			if strings.Contains(err.Error(), password) || strings.Contains(err.Error(), "\n") {
				t.Fatalf("error %q holds the password or several lines", err)
			}
		})
	}
	if err := CheckRedis(context.Background(), client(t, "redis://:"+password+"@"+fake)); err != nil {
		t.Fatalf("the right password: %v", err)
	}
}

func TestCheckRedisReal(t *testing.T) {
	base, err := url.Parse(storetest.ServiceURL(t, "TEST_REDIS_URL", "redis://127.0.0.1:6379"))
	if err != nil {
		t.Fatal(err)
	}
	if err := CheckRedis(context.Background(), client(t, base.String())); err != nil {
		t.Fatalf("TEST_REDIS_URL: %v", err)
	}
	// A user that does not exist: Redis answers WRONGPASS.
	wrong := *base
	wrong.User = url.UserPassword("frontdesk-test-nobody", "not-the-password")
	err = CheckRedis(context.Background(), client(t, wrong.String()))
	if !errors.Is(err, ErrRedisAuth) || !strings.Contains(err.Error(), "Redis refused the password") ||
		strings.Contains(err.Error(), "not-the-password") {
		t.Fatalf("wrong credentials: %v, want a configuration error without the password", err)
	}
}

func TestSlogLogger(t *testing.T) {
	logs := &storetest.LogBuffer{}
	l := SlogLogger(slog.New(slog.NewTextHandler(logs, nil)))
	ctx := context.Background()
	for range 100 {
		l.Printf(ctx, "redis: connection pool: failed to dial after %d attempts: %v", 5, errors.New("connect: connection refused"))
	}
	l.Printf(ctx, "Conn has unread data")
	out := logs.String()
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 2 {
		t.Fatalf("%d lines for 101 go-redis lines of two kinds, want 2:\n%s", len(lines), out)
	}
	for _, want := range []string{
		`level=WARN msg="redis: connection pool: failed to dial after 5 attempts: connect: connection refused" source=go-redis`,
		`level=WARN msg="redis: Conn has unread data" source=go-redis`,
	} {
		if !strings.Contains(out, want) {
			t.Fatalf("no line with %s:\n%s", want, out)
		}
	}
}

// It satisfies go-redis's logging interface (checked when compiling).
var _ = func() { redis.SetLogger(SlogLogger(nil)) }
