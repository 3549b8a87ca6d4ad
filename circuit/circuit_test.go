package circuit

import (
	"errors"
	"testing"
	"time"
)

var errDown = errors.New("connection refused")

// handClock is a clock the test moves.
type handClock struct{ t time.Time }

func (c *handClock) Now() time.Time          { return c.t }
func (c *handClock) Advance(d time.Duration) { c.t = c.t.Add(d) }

func newBreaker(threshold int) (*Breaker, *handClock) {
	c := &handClock{t: time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)}
	return &Breaker{Threshold: threshold, Backoff: time.Second, MaxBackoff: 8 * time.Second, Now: c.Now,
		Jitter: func(d time.Duration) time.Duration { return d }}, c
}

// calls makes n calls that fail while down and returns how many reached the dependency.
func calls(b *Breaker, n int, down bool) (reached int) {
	for range n {
		if !b.Allow() {
			continue
		}
		reached++
		if down {
			b.Record(errDown)
		} else {
			b.Record(nil)
		}
	}
	return reached
}

func TestOpensAfterThresholdAndBacksOff(t *testing.T) {
	b, clock := newBreaker(3)
	if got := calls(b, 100, true); got != 3 {
		t.Fatalf("%d of 100 calls reached a dead dependency, want 3 (the threshold)", got)
	}
	if !b.Open() || b.RetryIn() != time.Second {
		t.Fatalf("open=%v, retry in %v; want open, 1s", b.Open(), b.RetryIn())
	}
	// Each failed probe doubles the backoff up to the cap: 1s, 2s, 4s, 8s, 8s.
	for i, wait := range []time.Duration{time.Second, 2 * time.Second, 4 * time.Second, 8 * time.Second, 8 * time.Second} {
		clock.Advance(wait - time.Millisecond)
		if got := calls(b, 10, true); got != 0 {
			t.Fatalf("backoff %d: %d calls before %v had passed", i, got, wait)
		}
		clock.Advance(time.Millisecond)
		if got := calls(b, 10, true); got != 1 {
			t.Fatalf("backoff %d: %d calls after %v, want 1 probe", i, got, wait)
		}
	}
	clock.Advance(8 * time.Second)
	if got := calls(b, 10, false); got != 10 {
		t.Fatalf("after a successful probe %d of 10 calls went through, want all", got)
	}
	if b.Open() {
		t.Fatal("still open after a successful probe")
	}
}

func TestSuccessResetsTheCount(t *testing.T) {
	b, _ := newBreaker(3)
	calls(b, 2, true)
	calls(b, 1, false)
	calls(b, 2, true)
	if b.Open() {
		t.Fatal("opened on failures that were not consecutive")
	}
}

func TestRecordReportsChanges(t *testing.T) {
	b, clock := newBreaker(1)
	b.Allow()
	if !b.Record(errDown) {
		t.Fatal("opening was not reported")
	}
	if b.Record(errDown) {
		t.Fatal("a late failure while open was reported as a change")
	}
	clock.Advance(time.Second)
	b.Allow()
	if b.Record(errDown) {
		t.Fatal("a failed probe was reported as a change")
	}
	clock.Advance(2 * time.Second)
	b.Allow()
	if !b.Record(nil) {
		t.Fatal("closing was not reported")
	}
}

func TestLateFailuresDoNotGrowTheBackoff(t *testing.T) {
	b, _ := newBreaker(1)
	for range 20 { // twenty calls in flight when the dependency went down
		b.Allow()
	}
	for range 20 {
		b.Record(errDown)
	}
	if got := b.RetryIn(); got != time.Second {
		t.Fatalf("retry in %v after 20 failures of calls in flight, want 1s", got)
	}
}

func TestLostProbeDoesNotHoldTheCircuit(t *testing.T) {
	b, clock := newBreaker(1)
	b.Allow()
	b.Record(errDown)
	clock.Advance(time.Second)
	if !b.Allow() {
		t.Fatal("no probe after the backoff")
	}
	if b.Allow() {
		t.Fatal("a second probe while the first is out")
	}
	clock.Advance(time.Second) // the probe never came back
	if !b.Allow() {
		t.Fatal("a lost probe held the circuit open")
	}
}

func TestJitterStaysWithinBounds(t *testing.T) {
	b := &Breaker{}
	for range 1000 {
		if d := b.jitter(10 * time.Second); d < 5*time.Second || d > 10*time.Second {
			t.Fatalf("jitter(10s) = %v, want within [5s, 10s]", d)
		}
	}
}
