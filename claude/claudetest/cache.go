package claudetest

import (
	"crypto/sha256"
	"encoding/json"
	"strconv"
)

// The fake's prompt cache follows Anthropic's prompt-caching rules, counted
// in bytes of the prompt rather than tokens:
//
//   - The prompt is a sequence of blocks in the order tools, system,
//     messages: each tool definition, each system block and each content
//     block of each message is one block. A block is compared without its
//     cache_control marker, and a message's role is part of its first block.
//   - A block with cache_control (a breakpoint) writes the prefix up to and
//     including it to the cache.
//   - A later request reads the longest cached prefix it shares: from each
//     breakpoint, last first, the fake checks the prefix ending at that
//     block and at each of the 19 blocks before it (the service's 20-block
//     lookback), and takes the first that was written before.
//   - Bytes from the end of the prefix read to the last breakpoint are
//     written (billed 1.25×); the bytes after the last breakpoint are not
//     cached (1×); a read is billed 0.1×.
//   - The minimum cacheable length (1,024 tokens for Sonnet, 4,096 for
//     Haiku 4.5 and Opus 4.5) is ignored unless Server.SetCacheMinimum
//     sets one; tokens are then estimated as a quarter of the bytes. The
//     five-minute lifetime is ignored: a test runs well within it.
//
// Entries are shared by every request to the Server, as the service shares
// them within an organisation; ResetCache empties it.

// CacheLookback is how many blocks before a breakpoint the cache checks
// for an earlier entry.
const CacheLookback = 20

// CacheUsage is how the fake's prompt cache accounted for one request, in
// bytes of the prompt (tools, system and messages, as compact JSON, without
// the cache_control markers).
type CacheUsage struct {
	InputBytes    int // the whole prompt
	ReadBytes     int // the prefix read from the cache
	WriteBytes    int // written to the cache: past the read prefix, up to the last breakpoint
	UncachedBytes int // the rest: InputBytes - ReadBytes - WriteBytes
	Breakpoints   int // blocks with cache_control
}

// CostBytes is the bytes-equivalent price of the request's input the way
// Anthropic bills it: a read 0.1×, a write 1.25×, the rest 1×.
func (u CacheUsage) CostBytes() float64 {
	return 0.1*float64(u.ReadBytes) + 1.25*float64(u.WriteBytes) + float64(u.UncachedBytes)
}

// Add returns the sum of two usages.
func (u CacheUsage) Add(v CacheUsage) CacheUsage {
	return CacheUsage{InputBytes: u.InputBytes + v.InputBytes, ReadBytes: u.ReadBytes + v.ReadBytes,
		WriteBytes: u.WriteBytes + v.WriteBytes, UncachedBytes: u.UncachedBytes + v.UncachedBytes,
		Breakpoints: u.Breakpoints + v.Breakpoints}
}

// promptBlock is one block of a prompt, as the cache sees it.
type promptBlock struct {
	end        int      // bytes of the prompt up to and including this block
	key        [32]byte // hash of the prompt up to and including this block
	breakpoint bool
}

// promptBlocks lists req's blocks in cache order.
func promptBlocks(req Request) []promptBlock {
	var out []promptBlock
	h := sha256.New()
	total := 0
	add := func(prefix string, canon []byte, breakpoint bool) {
		h.Write([]byte(prefix))
		h.Write([]byte(strconv.Itoa(len(canon)))) // no two splits of the same bytes collide
		h.Write(canon)
		total += len(canon)
		var key [32]byte
		copy(key[:], h.Sum(nil))
		out = append(out, promptBlock{end: total, key: key, breakpoint: breakpoint})
	}
	for _, t := range req.ToolDefs {
		bp := t.CacheControl != nil
		t.CacheControl = nil
		canon, _ := json.Marshal(t)
		add("tool:", canon, bp)
	}
	for _, b := range req.SystemBlocks {
		add("system:", canonicalBlock(b), b.CacheControl != nil)
	}
	for i, m := range req.Messages {
		for j, b := range m.Content {
			prefix := "block:"
			if j == 0 {
				prefix = "message " + strconv.Itoa(i) + " " + m.Role + ":"
			}
			add(prefix, canonicalBlock(b), b.CacheControl != nil)
		}
	}
	return out
}

// canonicalBlock is a block as compact JSON with sorted keys and without
// cache_control, so that moving a breakpoint does not change the prefix.
func canonicalBlock(b Block) []byte {
	raw := b.Raw
	if len(raw) == 0 { // a string system prompt or content
		raw, _ = json.Marshal(struct {
			Type string `json:"type"`
			Text string `json:"text"`
		}{b.Type, b.Text})
	}
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(raw, &fields); err != nil {
		return raw
	}
	delete(fields, "cache_control")
	canon, _ := json.Marshal(fields)
	return canon
}

// promptCache is the set of prefixes written so far.
type promptCache struct {
	entries   map[[32]byte]bool
	minTokens int
}

// account reads and writes req's prefixes and says what was read, written
// and left uncached. The caller holds the server's lock.
func (c *promptCache) account(req Request) CacheUsage {
	if c.entries == nil {
		c.entries = map[[32]byte]bool{}
	}
	blocks := promptBlocks(req)
	var u CacheUsage
	if len(blocks) > 0 {
		u.InputBytes = blocks[len(blocks)-1].end
	}
	last := -1
	for i, b := range blocks {
		if b.breakpoint {
			u.Breakpoints++
			last = i
		}
	}
	if last < 0 {
		u.UncachedBytes = u.InputBytes
		return u
	}
	cacheable := func(b promptBlock) bool { return b.end/4 >= c.minTokens }
	read := -1
lookup:
	for i := last; i >= 0; i-- {
		if !blocks[i].breakpoint {
			continue
		}
		for j := i; j >= 0 && j > i-CacheLookback; j-- {
			if c.entries[blocks[j].key] && cacheable(blocks[j]) {
				read = j
				break lookup
			}
		}
	}
	if read >= 0 {
		u.ReadBytes = blocks[read].end
	}
	written := false
	for i := read + 1; i <= last; i++ {
		if blocks[i].breakpoint && cacheable(blocks[i]) {
			c.entries[blocks[i].key] = true
			written = true
		}
	}
	// Everything up to the last breakpoint is processed into the cache
	// once one entry past the read prefix is written (cache_creation
	// counts from the read prefix to the last breakpoint written).
	if written {
		end := u.ReadBytes
		for i := last; i > read; i-- {
			if blocks[i].breakpoint && cacheable(blocks[i]) {
				end = blocks[i].end
				break
			}
		}
		u.WriteBytes = end - u.ReadBytes
	}
	u.UncachedBytes = u.InputBytes - u.ReadBytes - u.WriteBytes
	return u
}

// SetCacheMinimum makes the prompt cache ignore breakpoints whose prefix is
// shorter than tokens (estimated as bytes/4), as the service does (1,024
// tokens for Sonnet). 0, the default, caches a prefix of any length.
func (s *Server) SetCacheMinimum(tokens int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.cache.minTokens = tokens
}

// ResetCache empties the prompt cache, as if its entries had expired.
func (s *Server) ResetCache() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.cache.entries = nil
}
