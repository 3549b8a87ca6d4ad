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
// tolerating plurals, shared stems ("photos" and "photography") and a typo
// in a long word ("portriat", "sesion").
func wordsMatch(a, b string) bool {
	if a == b || stem(a) == stem(b) {
		return true
	}
	if len(a) >= 5 && len(b) >= 5 && editDistance(stem(a), stem(b)) <= 1 {
		return true
	}
	if len(a) >= 8 && len(b) >= 8 && editDistance(stem(a), stem(b)) <= 2 {
		return true // two slips in a long word: "photograpy", "portriats"
	}
	if extraLetter(a, b) || extraLetter(b, a) {
		return true // a doubled or stray letter in a short word: "minni"
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

// extraLetter reports whether long is short with one letter more, short
// having at least four letters ("minni" and "mini").
func extraLetter(long, short string) bool {
	if len(short) < 4 || len(long) != len(short)+1 {
		return false
	}
	for i := range long {
		if long[:i]+long[i+1:] == short {
			return true
		}
	}
	return false
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
// when several services are sessions), tolerating a typo ("portriat"); then
// by its length ("a 30-minute shoot"), by two words of its description, or
// by an occasion that implies it ("we're getting married" → a wedding
// service). An ambiguous or empty match is false.
func MatchService(text string, services []frontdesk.ServiceOut) (frontdesk.ServiceOut, bool) {
	m, ok := matchService(normalize(text), services)
	if !ok {
		return frontdesk.ServiceOut{}, false
	}
	return services[m.index], true
}

// serviceMatch is a service named in a text: its index in the list and
// where the words that named it are.
type serviceMatch struct {
	index, start, end int
}

// word is a lower-case word of a text and where it is.
type word struct {
	w          string
	start, end int
}

func wordsOf(s string) []word {
	var out []word
	for _, m := range reWord.FindAllStringIndex(s, -1) {
		out = append(out, word{strings.ToLower(s[m[0]:m[1]]), m[0], m[1]})
	}
	return out
}

func matchService(s string, services []frontdesk.ServiceOut) (serviceMatch, bool) {
	if len(services) == 0 {
		return serviceMatch{}, false
	}
	if m := reMenuNumber.FindStringSubmatchIndex(s); m != nil {
		n := atoi(s[m[2]:m[3]])
		if n >= 1 && n <= len(services) {
			return serviceMatch{n - 1, m[2], m[3]}, true
		}
		return serviceMatch{}, false
	}
	ws := wordsOf(s)
	words := make([]string, len(ws))
	for i, w := range ws {
		words[i] = w.w
	}

	// The full name or slug, the longest first.
	best, bestLen, tie, at := -1, 0, false, 0
	for i, svc := range services {
		for _, phrase := range [][]string{tokens(svc.Name), tokens(svc.Slug)} {
			j := indexSeq(words, phrase)
			if len(phrase) == 0 || j < 0 {
				continue
			}
			switch {
			case len(phrase) > bestLen:
				best, bestLen, tie, at = i, len(phrase), false, j
			case len(phrase) == bestLen && i != best:
				tie = true
			}
		}
	}
	if best >= 0 {
		return serviceMatch{best, ws[at].start, ws[at+bestLen-1].end}, !tie
	}

	// The words of the names, then the length, the description, the occasion.
	var msg []word
	for _, w := range ws {
		if len(w.w) >= 3 && !serviceStop[w.w] && strings.Trim(w.w, "0123456789") != "" {
			msg = append(msg, w)
		}
	}
	msg = compoundHeads(msg, services)
	if m, ok := scoreServices(msg, services, serviceKeys, 1, 0.5); ok {
		return m, true
	}
	if m, ok := matchDuration(s, services); ok {
		return m, true
	}
	for i := range msg {
		if o, ok := occasions[stem(msg[i].w)]; ok {
			msg[i].w = o
		}
	}
	if m, ok := scoreServices(msg, services, serviceKeys, 1, 0.5); ok {
		return m, true
	}
	return scoreServices(msg, services, descriptionKeys, 0.5, 1)
}

// scoreServices weighs each service by the message words matching its keys
// (weight divided by how many services share the key) and returns the one
// best service scoring at least min, with the span of the words that matched.
func scoreServices(msg []word, services []frontdesk.ServiceOut, keysOf func(frontdesk.ServiceOut) []string, weight, min float64) (serviceMatch, bool) {
	keys := make([][]string, len(services))
	for i, svc := range services {
		keys[i] = keysOf(svc)
	}
	share := func(k string) int {
		n := 0
		for _, ks := range keys {
			if matchesAny(k, ks) {
				n++
			}
		}
		return n
	}
	// A word another service's description also uses ("photos" at a photo
	// studio) is the business's trade, not one service's name.
	generic := func(w string, i int) bool {
		for j, svc := range services {
			if j != i && matchesAny(w, descriptionKeys(svc)) {
				return true
			}
		}
		return false
	}
	scores := make([]float64, len(services))
	for i, ks := range keys {
		for _, k := range ks {
			for _, w := range msg {
				if wordsMatch(w.w, k) && !generic(w.w, i) {
					scores[i] += weight / float64(share(k))
					break
				}
			}
		}
	}
	best := 0
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
	if scores[best] < min || scores[best] <= second+1e-9 {
		return serviceMatch{}, false
	}
	m := serviceMatch{index: best, start: -1}
	for _, w := range msg {
		if matchesAny(w.w, keys[best]) {
			if m.start < 0 {
				m.start = w.start
			}
			m.end = w.end
		}
	}
	return m, m.start >= 0
}

// descriptionStop are words of descriptions that say nothing of the service.
var descriptionStop = wordSet(`and of with for the a an to in on my your our i me you we us from into
	get getting ready last first whole all any each every more most some just only also about after before
	will can your this that these those their there here then than very really great best perfect lovely
	session sessions book booking service package minute minutes min hour hours day days`)

// descriptionKeys are the telling words of a service's description.
func descriptionKeys(s frontdesk.ServiceOut) []string {
	var keys []string
	seen := map[string]bool{}
	for _, w := range tokens(s.Description) {
		if len(w) < 4 || descriptionStop[w] || seen[w] || strings.Trim(w, "0123456789") == "" {
			continue
		}
		seen[w] = true
		keys = append(keys, w)
	}
	return keys
}

// occasions map words of an occasion to the word a service for it is
// usually named by.
var occasions = map[string]string{
	"married": "wedding", "marry": "wedding", "marrying": "wedding", "bride": "wedding", "groom": "wedding",
	"elope": "wedding", "elopement": "wedding", "ceremony": "wedding", "nuptial": "wedding", "wed": "wedding",
	"headshot": "portrait", "linkedin": "portrait", "profile": "portrait", "passport": "portrait",
	"haircut": "cut", "trim": "cut", "fringe": "cut", "colour": "color", "dye": "color", "highlight": "color",
}

var reDuration = regexp.MustCompile(`(?i)\b(?:(\d{1,3})\s*-?\s*(?:minutes?|mins?)|(half)[\s-]*(?:an\s+)?hour|(an|one|1|a)\s*-?\s*hours?|(\d)\s*-?\s*hours?|(hour)[\s-]*long)\b`)

// matchDuration picks the one service of the length written ("a 30-minute
// shoot", "an hour", "half an hour").
func matchDuration(s string, services []frontdesk.ServiceOut) (serviceMatch, bool) {
	m := reDuration.FindStringSubmatchIndex(s)
	if m == nil {
		return serviceMatch{}, false
	}
	minutes := 0
	switch {
	case m[2] >= 0:
		minutes = atoi(s[m[2]:m[3]])
	case m[4] >= 0:
		minutes = 30
	case m[6] >= 0, m[10] >= 0:
		minutes = 60
	case m[8] >= 0:
		minutes = 60 * atoi(s[m[8]:m[9]])
	}
	found := -1
	for i, svc := range services {
		if svc.DurationMinutes == minutes && svc.BookingType != frontdesk.BookingDate {
			if found >= 0 {
				return serviceMatch{}, false
			}
			found = i
		}
	}
	if found < 0 {
		return serviceMatch{}, false
	}
	return serviceMatch{found, m[0], m[1]}, true
}

// indexSeq returns where seq starts in words, or -1.
func indexSeq(words, seq []string) int {
	for i := 0; i+len(seq) <= len(words); i++ {
		if slices.Equal(words[i:i+len(seq)], seq) {
			return i
		}
	}
	return -1
}

// editDistance is the number of single-letter insertions, deletions,
// substitutions or swaps of neighbours between a and b (bytes), capped at 3.
func editDistance(a, b string) int {
	if d := len(a) - len(b); d > 2 || d < -2 {
		return 3
	}
	prev2 := make([]int, len(b)+1)
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				cur[j] = min(cur[j], prev2[j-2]+1)
			}
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return min(prev[len(b)], 3)
}

// compoundHeads reads a word written as two ("haircut", "blowdry") whose
// last part is a word of a service's name as that last part: in an English
// compound the last word says what the thing is ("hair" only says what
// kind of cut), so "haircut" names the cut, not another service's hair.
func compoundHeads(msg []word, services []frontdesk.ServiceOut) []word {
	var keys []string
	for _, svc := range services {
		keys = append(keys, serviceKeys(svc)...)
	}
	out := make([]word, len(msg))
	for i, w := range msg {
		out[i] = w
		for _, k := range keys {
			if len(k) >= 3 && len(w.w) >= len(k)+3 && strings.HasSuffix(w.w, k) && w.w != k {
				out[i].w = k
				break
			}
		}
	}
	return out
}

// reNegService sets a service aside: "not a wedding", "I don't want the
// wedding package", "no mini session".
var reNegService = regexp.MustCompile(`(?i)\b(?:not|no|don'?t want|do not want|don'?t need|rather than|instead of)\s+(?:(?:a|an|the|any|my)\s+)?`)

// reClauseEnd ends the words a negation sets aside: a stop, or the word
// that turns to what is wanted ("not a wedding, just portraits").
var reClauseEnd = regexp.MustCompile(`(?i)[,.;:!?]|\b(?:just|but|only|rather|instead)\b`)

// negatedServices returns the spans, negation included, of the services s
// names only to set them aside: a service named right after the negation,
// within its clause. "not sure if the wedding package suits" sets nothing
// aside: the negation is not about the service.
func negatedServices(s string, services []frontdesk.ServiceOut) [][]int {
	var spans [][]int
	for _, m := range reNegService.FindAllStringIndex(s, -1) {
		clause := s[m[1]:]
		if e := reClauseEnd.FindStringIndex(clause); e != nil {
			clause = clause[:e[0]]
		}
		sm, ok := matchService(clause, services)
		if ok && reHasLetter.MatchString(clause[sm.start:sm.end]) && strings.TrimSpace(clause[:sm.start]) == "" {
			spans = append(spans, []int{m[0], m[1] + sm.end})
		}
	}
	return spans
}
