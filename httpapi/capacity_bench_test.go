package httpapi_test

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http/httptest"
	"os"
	"runtime"
	"runtime/pprof"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/frontdeskhq/frontdesk"
	"github.com/frontdeskhq/frontdesk/booking"
	"github.com/frontdeskhq/frontdesk/cache"
	"github.com/frontdeskhq/frontdesk/chat"
	"github.com/frontdeskhq/frontdesk/httpapi"
	"github.com/frontdeskhq/frontdesk/payments/testmode"
	"github.com/frontdeskhq/frontdesk/storetest"
)

// slowModel streams a fixed answer in chunks spread over a while, like a
// model that takes its time: the first chunk as soon as it is called, the
// rest every interval. It records when each call began.
type slowModel struct {
	chunks   int
	interval time.Duration
}

func (m *slowModel) Complete(ctx context.Context, req frontdesk.LLMRequest) (*frontdesk.LLMResponse, error) {
	return m.Stream(ctx, req, func(string) {})
}

func (m *slowModel) Stream(ctx context.Context, req frontdesk.LLMRequest, onText func(string)) (*frontdesk.LLMResponse, error) {
	var all strings.Builder
	for i := range m.chunks {
		if i > 0 {
			select {
			case <-ctx.Done():
				return nil, ctx.Err()
			case <-time.After(m.interval):
			}
		}
		piece := fmt.Sprintf("word%d ", i)
		all.WriteString(piece)
		onText(piece)
	}
	return &frontdesk.LLMResponse{Model: "slow-fake", StopReason: "end_turn",
		Blocks: []frontdesk.Block{{Type: frontdesk.BlockText, Text: all.String()}},
		Usage:  frontdesk.LLMUsage{InputTokens: 100, OutputTokens: int64(m.chunks)}}, nil
}

// BenchmarkStreamCapacity opens STREAMS (default 1000) /message/stream
// turns on SQLite at the same instant against a model that streams 20
// chunks over 10 s, and reports what each open stream costs the server
// in memory and how long the first chunk takes to reach the visitors:
//
//	STREAMS=5000 go test -run '^$' -bench StreamCapacity -benchtime 1x ./httpapi
//
// (ARRIVAL_CPUPROFILE=cpu.out profiles the arrivals alone.)
//
// bytes/stream is the growth of the Go heap and stacks (after a GC) while
// every stream is open, divided by the streams; it includes the test's
// own minimal clients (a connection, a goroutine and a 1 KiB buffer each).
// first-chunk-*-ms is the time from a visitor's request to its first chunk;
// added-us/arrival is how much the slowest first chunk was delayed per
// simultaneous arrival, compared with a lone stream; cpu-us/arrival is
// the process's CPU time (server and clients) per stream until the last
// first chunk, which the other figures approach when the machine is
// otherwise idle.
func BenchmarkStreamCapacity(b *testing.B) {
	n := 1000
	if v, err := strconv.Atoi(os.Getenv("STREAMS")); err == nil && v > 0 {
		n = v
	}
	model := &slowModel{chunks: 20, interval: 500 * time.Millisecond}
	store := storetest.OpenSQLite(b)
	clock := frontdesk.ClockFunc(time.Now)
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	bookings := &booking.Service{Store: store, Clock: clock, Payments: &testmode.Payments{PublicURL: "http://test"}, Log: log, PublicURL: "http://test"}
	// As serve sets it up on SQLite without Redis: the context cached in memory.
	chatSvc := &chat.Service{Store: store, Clock: clock, Bookings: bookings, Log: log, LLM: model, Cache: cache.New("bench:", nil, log)}
	server := &httpapi.Server{Store: store, Chat: chatSvc, Bookings: bookings, Clock: clock, Log: log, PublicURL: "http://test"}
	srv := httptest.NewServer(server.Handler())
	b.Cleanup(srv.Close)
	f := storetest.NewFixture(b, store, "Lumen Studio", "America/New_York")
	addr := srv.Listener.Addr().String()

	sessions := make([]string, n+1)
	for i := range sessions {
		s, err := chatSvc.StartSession(context.Background(), f.Tenant, "", "")
		if err != nil {
			b.Fatal(err)
		}
		sessions[i] = s.SessionID
	}
	lone, _ := openStream(b, addr, f.Tenant.PublicKey, sessions[n])
	lone.close()
	b.ResetTimer()
	for range b.N {
		var base runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&base)

		if path := os.Getenv("ARRIVAL_CPUPROFILE"); path != "" {
			stop := profileCPU(b, path)
			defer stop()
		}
		cpu0 := cpuTime()
		streams := make([]*stream, n)
		var wg sync.WaitGroup
		start := make(chan struct{})
		for i := range n {
			wg.Go(func() {
				<-start
				streams[i], _ = openStream(b, addr, f.Tenant.PublicKey, sessions[i])
			})
		}
		close(start)
		wg.Wait()
		cpu := cpuTime() - cpu0
		if os.Getenv("ARRIVAL_CPUPROFILE") != "" {
			pprof.StopCPUProfile()
		}

		var open runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&open)
		b.StopTimer()

		var firsts []time.Duration
		for _, s := range streams {
			if s == nil || s.err != nil {
				b.Fatalf("a stream failed: %v", s.err)
			}
			firsts = append(firsts, s.first)
		}
		// Every turn completes: its done event arrives once the model has
		// finished.
		var failed sync.WaitGroup
		var incomplete atomic.Int64
		for _, s := range streams {
			failed.Go(func() {
				if !s.finish() {
					incomplete.Add(1)
				}
				s.close()
			})
		}
		failed.Wait()
		if n := incomplete.Load(); n > 0 {
			b.Fatalf("%d of %d streams ended without their done event", n, len(streams))
		}
		slices.Sort(firsts)
		grown := int64(open.HeapInuse+open.StackInuse) - int64(base.HeapInuse+base.StackInuse)
		b.ReportMetric(float64(grown)/float64(n), "bytes/stream")
		b.ReportMetric(ms(firsts[len(firsts)/2]), "first-chunk-p50-ms")
		b.ReportMetric(ms(firsts[len(firsts)-1]), "first-chunk-max-ms")
		b.ReportMetric(float64((firsts[len(firsts)-1]-lone.first).Microseconds())/float64(n), "added-us/arrival")
		b.ReportMetric(float64(cpu.Microseconds())/float64(n), "cpu-us/arrival")
		b.StartTimer()
	}
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

// profileCPU writes a CPU profile of the arrivals alone to path (with
// ARRIVAL_CPUPROFILE=path): go test's -cpuprofile also covers the ten
// seconds of streaming that follow.
func profileCPU(b *testing.B, path string) func() {
	f, err := os.Create(path)
	if err != nil {
		b.Fatal(err)
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		b.Fatal(err)
	}
	return func() { f.Close() }
}

// cpuTime is the CPU time the process has used, user and system: on a
// busy machine it says what the turns cost better than the wall clock.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// stream is one visitor's open /message/stream request, read until its
// first chunk.
type stream struct {
	conn  net.Conn
	r     *bufio.Reader
	first time.Duration // from the request to the first chunk event
	err   error
}

// finish reads the rest of the stream and reports whether it ended with
// its done event.
func (s *stream) finish() bool {
	s.conn.SetReadDeadline(time.Now().Add(time.Minute))
	for {
		line, err := s.r.ReadString('\n')
		if err != nil {
			return false
		}
		if strings.Contains(line, `"type":"done"`) {
			return true
		}
	}
}

func (s *stream) close() {
	if s.conn != nil {
		s.conn.Close()
	}
}

// openStream sends a message on a raw connection and reads until the
// first chunk event, leaving the stream open.
func openStream(b *testing.B, addr, key, sessionID string) (*stream, error) {
	s := &stream{}
	began := time.Now()
	s.conn, s.err = net.Dial("tcp", addr)
	if s.err != nil {
		return s, s.err
	}
	body, _ := json.Marshal(map[string]string{"sessionId": sessionID, "message": "What do you offer?"})
	fmt.Fprintf(s.conn, "POST /v1/public/chat/message/stream HTTP/1.1\r\nHost: %s\r\nX-Tenant-Key: %s\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n%s",
		addr, key, len(body), body)
	r := bufio.NewReaderSize(s.conn, 1024)
	s.r = r
	for {
		line, err := r.ReadString('\n')
		if err != nil {
			s.err = fmt.Errorf("before the first chunk: %w", err)
			return s, s.err
		}
		if strings.Contains(line, `"type":"chunk"`) {
			s.first = time.Since(began)
			return s, nil
		}
		if strings.Contains(line, `"type":"error"`) || strings.HasPrefix(line, "HTTP/1.1 4") || strings.HasPrefix(line, "HTTP/1.1 5") {
			s.err = fmt.Errorf("stream answered %q", strings.TrimSpace(line))
			return s, s.err
		}
	}
}
