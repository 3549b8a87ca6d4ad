package guided

import (
	"bufio"
	"encoding/json"
	"os"
	"testing"
)

// minCorpusRate is the share of corpus conversations that must end in the
// booking asked for.
const minCorpusRate = 0.97

// loadJSONL reads a file of one JSON value a line.
func loadJSONL[T any](t *testing.T, path string) []T {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []T
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		var v T
		if err := json.Unmarshal(sc.Bytes(), &v); err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		out = append(out, v)
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// TestCorpus runs every conversation of the corpus. It fails under
// minCorpusRate, and on any conversation with a proposal, last or not,
// other than the one asked for: a wrong booking is worse than none.
func TestCorpus(t *testing.T) {
	cases := loadJSONL[corpusCase](t, corpusFile)
	if len(cases) < 400 {
		t.Fatalf("the corpus has %d conversations, want at least 400", len(cases))
	}
	r := newEvalReport("corpus")
	for _, c := range cases {
		r.total++
		conv := runConversation(c.Turns, c.RequirePhone, c.Customer)
		if r.checkBooking(t, c.ID, c.Kind, c.Want, c.Interim, conv) {
			r.ok++
		}
	}
	r.finish(t, minCorpusRate)
}
