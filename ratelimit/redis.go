package ratelimit

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/frontdeskhq/frontdesk"
	"github.com/frontdeskhq/frontdesk/lograte"
	"github.com/redis/go-redis/v9"
)

// ErrRedisAuth is wrapped by the error of CheckRedis when Redis refused
// the credentials of REDIS_URL: a configuration error to fix, where an
// unreachable Redis may only be an outage.
var ErrRedisAuth = errors.New("Redis refused the credentials of REDIS_URL")

// redisCheckError is the one-line error of CheckRedis; its text never holds
// the URL's credentials.
type redisCheckError struct {
	msg   string
	cause error // ErrRedisAuth, or nil
}

func (e *redisCheckError) Error() string { return e.msg }
func (e *redisCheckError) Unwrap() error { return e.cause }

// CheckRedis pings Redis once, at start, so that a wrong REDIS_URL is a
// configuration error with a clear line rather than a rate limiter that
// quietly counts in memory. A refused password (NOAUTH, WRONGPASS, a
// password Redis does not expect, NOPERM) is an error wrapping
// ErrRedisAuth that says what to fix; any other failure says Redis at
// host:port is unreachable, and why. Neither prints the URL's credentials.
func CheckRedis(ctx context.Context, rdb *redis.Client) error {
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	err := rdb.Ping(ctx).Err()
	if err == nil {
		return nil
	}
	opt := rdb.Options()
	text := strings.Join(strings.Fields(err.Error()), " ") // one line
	if len(opt.Password) >= 3 {                            // a shorter one would mask ordinary words
		text = strings.ReplaceAll(text, opt.Password, "xxxxx")
	}
	auth := func(what string) error {
		return &redisCheckError{msg: "REDIS_URL: " + what, cause: ErrRedisAuth}
	}
	switch {
	case strings.HasPrefix(text, "NOAUTH"):
		return auth(fmt.Sprintf("Redis at %s requires a password and the URL has none; put it in the URL (redis://:PASSWORD@%s)", opt.Addr, opt.Addr))
	case strings.HasPrefix(text, "WRONGPASS"), strings.Contains(text, "invalid password"), strings.Contains(text, "invalid username-password"):
		return auth("Redis refused the password; check the URL's password (and user name, if it has one)")
	case strings.Contains(text, "without any password configured"):
		return auth(fmt.Sprintf("the URL has a password but Redis at %s has none set; remove it from the URL or set one in Redis", opt.Addr))
	case strings.HasPrefix(text, "NOPERM"):
		return auth("the Redis user of the URL may not run the commands Frontdesk needs (PING, INCR, PEXPIRE, GET, SET, MULTI); grant them")
	}
	return &redisCheckError{msg: fmt.Sprintf("REDIS_URL: Redis at %s is unreachable: %s", opt.Addr, text)}
}

// RedisLogger writes go-redis's log lines through slog at WARN instead of
// its own unstructured lines on stderr. A line that repeats (a pool that
// cannot dial during an outage) is written once per minute with a count
// of the ones held back.
type RedisLogger struct {
	log   *slog.Logger
	limit *lograte.Limiter[string]
}

// SlogLogger returns a logger for redis.SetLogger that logs through log
// (nil: slog.Default()).
func SlogLogger(log *slog.Logger) *RedisLogger {
	return &RedisLogger{log: frontdesk.LoggerOrDefault(log), limit: lograte.New[string](time.Minute)}
}

// Printf logs one go-redis line at WARN; it implements go-redis's
// internal.Logging.
func (l *RedisLogger) Printf(ctx context.Context, format string, v ...any) {
	ok, suppressed := l.limit.Allow(format)
	if !ok {
		return
	}
	msg := strings.Join(strings.Fields(fmt.Sprintf(format, v...)), " ")
	if !strings.HasPrefix(msg, "redis:") {
		msg = "redis: " + msg
	}
	args := []any{"source", "go-redis"}
	if suppressed > 0 {
		args = append(args, "suppressed", suppressed) // alike lines since the previous one
	}
	l.log.WarnContext(ctx, msg, args...)
}
