package guided

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/frontdeskhq/frontdesk"
)

// minCorpusRate is the share of corpus conversations that must end in the
// booking asked for.
const minCorpusRate = 0.97

func loadCorpus(t *testing.T) []corpusCase {
	t.Helper()
	f, err := os.Open(corpusFile)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var cases []corpusCase
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		var c corpusCase
		if err := json.Unmarshal(sc.Bytes(), &c); err != nil {
			t.Fatalf("%s: %v", corpusFile, err)
		}
		cases = append(cases, c)
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return cases
}

// runCorpusCase holds one conversation through Respond with the fake tools
// and returns the last proposal (nil if none) and the transcript.
func runCorpusCase(c corpusCase) (*corpusBooking, []string) {
	tools := newFakeTools()
	tenant := testTenant()
	tenant.Settings.RequirePhone = c.RequirePhone
	var state json.RawMessage
	var transcript []string
	for _, msg := range c.Turns {
		turn := Respond(context.Background(), Input{Tenant: tenant, Now: testNow, State: state, Message: msg, Tools: tools, Customer: c.Customer})
		state = turn.State
		transcript = append(transcript, "> "+msg, "< "+turn.Reply)
	}
	calls := tools.callsOf(frontdesk.ToolBookService)
	if len(calls) == 0 {
		return nil, transcript
	}
	var in frontdesk.BookServiceIn
	if err := json.Unmarshal(calls[len(calls)-1], &in); err != nil {
		return nil, transcript
	}
	got := &corpusBooking{Service: in.PackageID, Date: in.Date, Name: in.CustomerName, Email: in.CustomerEmail, Phone: in.CustomerPhone}
	if in.StartTime != "" {
		at, err := time.Parse(time.RFC3339, in.StartTime)
		if err != nil {
			got.Time = "bad:" + in.StartTime
		} else {
			got.Time = at.In(tools.loc).Format("15:04")
		}
	}
	return got, transcript
}

// diff names the fields where got differs from want.
func (want corpusBooking) diff(got corpusBooking) []string {
	var out []string
	for _, f := range []struct{ name, w, g string }{
		{"service", want.Service, got.Service}, {"date", want.Date, got.Date}, {"time", want.Time, got.Time},
		{"name", want.Name, got.Name}, {"email", want.Email, got.Email}, {"phone", want.Phone, got.Phone},
	} {
		if f.w != f.g {
			out = append(out, fmt.Sprintf("%s %q≠%q", f.name, f.g, f.w))
		}
	}
	return out
}

// TestCorpus runs every conversation of the corpus. It fails under
// minCorpusRate, and on any conversation that ends in a proposal other
// than the one asked for: a wrong booking is worse than none.
func TestCorpus(t *testing.T) {
	cases := loadCorpus(t)
	if len(cases) < 400 {
		t.Fatalf("the corpus has %d conversations, want at least 400", len(cases))
	}
	ok := 0
	failures := map[string][]string{} // kind of failure → case ids
	var wrong []string
	for _, c := range cases {
		got, transcript := runCorpusCase(c)
		switch {
		case got == nil:
			key := c.Kind + ": no proposal"
			failures[key] = append(failures[key], c.ID)
			t.Logf("%s: no proposal\n%s", c.ID, strings.Join(transcript, "\n"))
		case len(c.Want.diff(*got)) > 0:
			d := c.Want.diff(*got)
			key := c.Kind + ": wrong " + strings.SplitN(d[0], " ", 2)[0]
			failures[key] = append(failures[key], c.ID)
			wrong = append(wrong, fmt.Sprintf("%s: %s\n%s", c.ID, strings.Join(d, ", "), strings.Join(transcript, "\n")))
		default:
			ok++
		}
	}
	rate := float64(ok) / float64(len(cases))
	t.Logf("corpus: %d/%d conversations end in the booking asked for (%.1f%%)", ok, len(cases), 100*rate)
	kinds := make([]string, 0, len(failures))
	for k := range failures {
		kinds = append(kinds, k)
	}
	sort.Strings(kinds)
	for _, k := range kinds {
		t.Logf("  %-40s %3d  %s", k, len(failures[k]), strings.Join(failures[k][:min(len(failures[k]), 8)], " "))
	}
	for _, w := range wrong {
		t.Errorf("WRONG PROPOSAL %s", w)
	}
	if rate < minCorpusRate {
		t.Errorf("corpus rate %.1f%% is under %.0f%%", 100*rate, 100*minCorpusRate)
	}
}
