// Package lograte keeps a failure that repeats on every request (the
// database is down) from writing a log line per request: one line per kind
// per interval gets through, and it says how many were held back since the
// last one.
package lograte

import (
	"sync"
	"time"
)

// maxKeys bounds the memory of a Limiter fed with many distinct keys;
// beyond it, keys whose interval is over and that held nothing back are
// forgotten.
const maxKeys = 10_000

// Limiter lets one log line per key through per Interval. It is safe for
// concurrent use; K is whatever tells kinds of lines apart (an error code
// and a route, say).
type Limiter[K comparable] struct {
	// Interval is the shortest time between two lines of one key.
	Interval time.Duration
	// Now is the clock (nil: time.Now).
	Now func() time.Time

	mu   sync.Mutex
	keys map[K]*state
}

type state struct {
	last       time.Time // when a line of the key was last let through
	suppressed int       // lines held back since
}

// New returns a Limiter that lets one line per key through every interval.
func New[K comparable](interval time.Duration) *Limiter[K] {
	return &Limiter[K]{Interval: interval}
}

// Allow reports whether a line of key may be written now. When it may,
// suppressed is the number of lines of key held back since the last one
// written, for the line to report; when it may not, the line is counted.
func (l *Limiter[K]) Allow(key K) (ok bool, suppressed int) {
	now := time.Now
	if l.Now != nil {
		now = l.Now
	}
	t := now()
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.keys == nil {
		l.keys = map[K]*state{}
	}
	s := l.keys[key]
	if s == nil {
		if len(l.keys) >= maxKeys {
			l.forget(t)
		}
		l.keys[key] = &state{last: t}
		return true, 0
	}
	if t.Sub(s.last) < l.Interval {
		s.suppressed++
		return false, 0
	}
	suppressed = s.suppressed
	s.last, s.suppressed = t, 0
	return true, suppressed
}

// forget drops the keys whose interval is over and that held nothing back.
func (l *Limiter[K]) forget(now time.Time) {
	for k, s := range l.keys {
		if s.suppressed == 0 && now.Sub(s.last) >= l.Interval {
			delete(l.keys, k)
		}
	}
}
