package guided

// Services named loosely.

import (
	"regexp"
	"slices"
	"strings"

	"github.com/frontdeskhq/frontdesk"
)

// ---------------------------------------------------------------- services

var (
	reMenuNumber = regexp.MustCompile(`(?i)^\W*(?:#|no\.?\s*|number\s+|option\s+|choice\s+)?(\d{1,2})\W*$`)
	reNonAlnum   = regexp.MustCompile(`[^\p{L}\p{N}]+`)
)

// serviceStop words never tell services apart.
var serviceStop = wordSet(`and of with for the a an to in on my your our i me`)

// tokens returns the lower-case words of s.
func tokens(s string) []string {
	return strings.Fields(reNonAlnum.ReplaceAllString(strings.ToLower(s), " "))
}

func stem(w string) string {
	if len(w) > 3 && strings.HasSuffix(w, "s") && !strings.HasSuffix(w, "ss") {
		return w[:len(w)-1]
	}
	return w
}

// wordsMatch compares a word of a message with a word of a service name,
// tolerating plurals and shared stems ("photos" and "photography").
func wordsMatch(a, b string) bool {
	if a == b || stem(a) == stem(b) {
		return true
	}
	short, long := a, b
	if len(short) > len(long) {
		short, long = long, short
	}
	if len(short) >= 4 && strings.HasPrefix(long, short) {
		return true
	}
	n := 0
	for n < len(a) && n < len(b) && a[n] == b[n] {
		n++
	}
	return n >= 5
}

// matchesAny reports whether w matches one of words (see wordsMatch).
func matchesAny(w string, words []string) bool {
	for _, o := range words {
		if wordsMatch(w, o) {
			return true
		}
	}
	return false
}

func containsSeq(words, seq []string) bool {
	for i := 0; i+len(seq) <= len(words); i++ {
		if slices.Equal(words[i:i+len(seq)], seq) {
			return true
		}
	}
	return false
}

// serviceKeys returns the words that name a service: from its name and
// slug, without filler words and numbers.
func serviceKeys(s frontdesk.ServiceOut) []string {
	var keys []string
	seen := map[string]bool{}
	for _, w := range append(tokens(s.Name), tokens(s.Slug)...) {
		if serviceStop[w] || seen[w] || strings.Trim(w, "0123456789") == "" {
			continue
		}
		seen[w] = true
		keys = append(keys, w)
	}
	return keys
}

// MatchService finds the service a customer names loosely: by its number in
// the listed menu when the whole reply is a number ("2", "#2", "option 2"),
// by its full name or slug anywhere in the text (the longest wins), or else
// by the words of its name, each weighted by how few services share it
// ("wedding photos" → Wedding Photography; "session" alone matches nothing
// when several services are sessions). An ambiguous or empty match is false.
func MatchService(text string, services []frontdesk.ServiceOut) (frontdesk.ServiceOut, bool) {
	s := normalize(text)
	if len(services) == 0 {
		return frontdesk.ServiceOut{}, false
	}
	if m := reMenuNumber.FindStringSubmatch(s); m != nil {
		n := atoi(m[1])
		if n >= 1 && n <= len(services) {
			return services[n-1], true
		}
		return frontdesk.ServiceOut{}, false
	}
	words := tokens(s)

	best, bestLen, tie := -1, 0, false
	for i, svc := range services {
		for _, phrase := range [][]string{tokens(svc.Name), tokens(svc.Slug)} {
			if len(phrase) == 0 || !containsSeq(words, phrase) {
				continue
			}
			switch {
			case len(phrase) > bestLen:
				best, bestLen, tie = i, len(phrase), false
			case len(phrase) == bestLen && i != best:
				tie = true
			}
		}
	}
	if best >= 0 {
		return services[best], !tie
	}

	var msg []string
	for _, w := range words {
		if len(w) >= 3 && !serviceStop[w] && strings.Trim(w, "0123456789") != "" {
			msg = append(msg, w)
		}
	}
	keys := make([][]string, len(services))
	for i, svc := range services {
		keys[i] = serviceKeys(svc)
	}
	// share counts the services with a key like k.
	share := func(k string) int {
		n := 0
		for _, ks := range keys {
			if matchesAny(k, ks) {
				n++
			}
		}
		return n
	}
	scores := make([]float64, len(services))
	for i, ks := range keys {
		for _, k := range ks {
			if matchesAny(k, msg) {
				scores[i] += 1 / float64(share(k))
			}
		}
	}
	best = 0
	for i, sc := range scores {
		if sc > scores[best] {
			best = i
		}
	}
	second := 0.0
	for i, sc := range scores {
		if i != best && sc > second {
			second = sc
		}
	}
	if scores[best] < 0.5 || scores[best] <= second+1e-9 {
		return frontdesk.ServiceOut{}, false
	}
	return services[best], true
}
