package emulator

import (
	"bytes"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"sync"
	"time"
)

// Prompt-cache simulation (DESIGN.md §7, reference §7).
//
// A request is a sequence of blocks in prefix order: each tools[i], then the
// system blocks, then every message's content blocks. A block's identity is
// its JSON with the top-level cache_control removed, canonicalised (keys
// sorted, no HTML escaping) so that key order and where the breakpoints sit
// do not matter; message blocks also carry their role. The prefix hash at
// block i chains the hashes of blocks 0..i, so a change anywhere changes
// the hash of that block and of everything after it: a changed tool
// invalidates everything, a changed system prompt keeps only entries that
// end inside the tools.
//
// Decisions the sources leave open, and what we chose:
//   - A string (system or message content) is the text block
//     {"text":…,"type":"text"}, so "hi" and [{"type":"text","text":"hi"}]
//     are the same block and cost the same tokens.
//   - Only top-level cache_control counts and is stripped; a cache_control
//     nested inside a block (e.g. in tool_result content) is part of the
//     block's identity.
//   - A read is the longest live entry ending at a breakpoint or at one of
//     the 20 block boundaries before it (so 20 blocks back hits, 21 misses).
//   - A hit refreshes every live entry along the prefix that was read, not
//     only the longest one: they are prefixes of what was just used.
//   - A breakpoint whose prefix lies entirely inside the read is not
//     written (and costs nothing); an entry that already exists keeps its
//     own TTL even if this request asks for another.
//   - Every breakpoint after the read whose prefix reaches minTokens is
//     written. Its segment runs from the previous written breakpoint (or
//     the end of the read) to it, and its tokens count as 5m or 1h by the
//     breakpoint's TTL. A breakpoint below the minimum is not written; its
//     tokens fall into the next written segment.
//   - Validation order: block by block, its structure and then its
//     cache_control (thinking, empty text, type, ttl); then the count (more
//     than 4); then the TTL order.
//   - Expired entries are dropped at the start of each request for the
//     model, so the map holds only live prefixes.

const (
	maxBreakpoints = 4
	cacheLookback  = 20
	ttl5m          = "5m"
	ttl1h          = "1h"
)

// cacheUsage is the result of accounting one request. The three token
// counters add up to the total input; Breakpoints and TTLs go to the ledger.
type cacheUsage struct {
	InputTokens, CacheCreationInputTokens, CacheReadInputTokens int
	Ephemeral5mInputTokens, Ephemeral1hInputTokens              int
	Breakpoints                                                 int
	TTLs                                                        []string // per breakpoint in order, "5m" or "1h"
}

// promptCache holds the cache entries of every model. It is safe for
// concurrent requests.
type promptCache struct {
	now func() time.Time

	mu     sync.Mutex
	models map[string]map[[32]byte]*cacheEntry
}

type cacheEntry struct {
	ttl    time.Duration
	expiry time.Time
}

func (e *cacheEntry) live(now time.Time) bool { return now.Before(e.expiry) }

// newPromptCache returns an empty cache that reads the time from now, so
// tests can expire entries without sleeping.
func newPromptCache(now func() time.Time) *promptCache {
	return &promptCache{now: now, models: map[string]map[[32]byte]*cacheEntry{}}
}

// cacheBlock is one block of the prefix.
type cacheBlock struct {
	tokens int
	prefix [32]byte // hash of blocks 0..i
	ttl    string   // "" when the block is not a breakpoint
}

// account parses one Invoke request body (Anthropic Messages JSON) and does
// the cache accounting against the model's entries. minTokens is the
// model's minimum cacheable prompt length. An invalid cache_control, more
// than 4 breakpoints or a 1h breakpoint after a 5m one is a
// ValidationException with Anthropic's wording, which Bedrock passes
// through (Bike4Mind/bike4mind#2208 shows the count error as a Bedrock
// ValidationException).
func (c *promptCache) account(model string, minTokens int, body []byte) (cacheUsage, *apiError) {
	blocks, aerr := cacheBlocks(body)
	if aerr != nil {
		return cacheUsage{}, aerr
	}

	var u cacheUsage
	total := 0
	cum := make([]int, len(blocks)) // tokens of blocks 0..i
	var bps []int                   // breakpoint indexes
	for i, b := range blocks {
		total += b.tokens
		cum[i] = total
		if b.ttl != "" {
			bps = append(bps, i)
			u.TTLs = append(u.TTLs, b.ttl)
		}
	}
	u.Breakpoints = len(bps)

	now := c.now()
	c.mu.Lock()
	defer c.mu.Unlock()
	entries := c.models[model]
	if entries == nil {
		entries = map[[32]byte]*cacheEntry{}
		c.models[model] = entries
	}
	for h, e := range entries {
		if !e.live(now) {
			delete(entries, h)
		}
	}

	// Read: the longest live prefix within the lookback of any breakpoint.
	read := -1
	for _, bp := range bps {
		for p := bp; p >= 0 && p >= bp-cacheLookback && p > read; p-- {
			if _, ok := entries[blocks[p].prefix]; ok {
				read = p
				break
			}
		}
	}
	if read >= 0 {
		u.CacheReadInputTokens = cum[read]
		for p := 0; p <= read; p++ {
			if e, ok := entries[blocks[p].prefix]; ok {
				e.expiry = now.Add(e.ttl)
			}
		}
	}

	// Write: every breakpoint past the read whose prefix is long enough.
	// None of them can be stored already, or the read would have found it.
	segStart := read
	for _, bp := range bps {
		if bp <= read || cum[bp] < minTokens {
			continue
		}
		ttl := 5 * time.Minute
		if blocks[bp].ttl == ttl1h {
			ttl = time.Hour
		}
		entries[blocks[bp].prefix] = &cacheEntry{ttl: ttl, expiry: now.Add(ttl)}
		seg := cum[bp]
		if segStart >= 0 {
			seg -= cum[segStart]
		}
		if ttl == time.Hour {
			u.Ephemeral1hInputTokens += seg
		} else {
			u.Ephemeral5mInputTokens += seg
		}
		segStart = bp
	}
	u.CacheCreationInputTokens = u.Ephemeral5mInputTokens + u.Ephemeral1hInputTokens
	u.InputTokens = total - u.CacheReadInputTokens - u.CacheCreationInputTokens
	return u, nil
}

// Levels keep a tool, a system block and a message block with the same
// JSON apart.
const (
	levelTool    = 't'
	levelSystem  = 's'
	levelMessage = 'm'
)

// cacheBlocks turns the body into blocks in prefix order and checks every
// cache_control. The body is decoded once into a tree and each block is
// re-encoded from it: scanning the raw JSON level by level cost several
// passes over a large prompt.
//
// Structural problems (a message that is not an object, content that is
// neither a string nor a list) get Bedrock's schema wording, "Malformed
// input request: #/messages/0/content: expected type: …"; cache_control
// problems get Anthropic's, which Bedrock passes through.
func cacheBlocks(body []byte) ([]cacheBlock, *apiError) {
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber() // keep numbers byte-exact: 1.0 and 1 are different prompts
	var v any
	err := dec.Decode(&v)
	if err == nil {
		if _, terr := dec.Token(); !errors.Is(terr, io.EOF) {
			err = errors.New("invalid character after top-level value")
		}
	}
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
		err = errors.New("unexpected end of JSON input") // as json.Unmarshal says it
	}
	if err != nil {
		return nil, errValidation("Malformed input request: %v, please reformat your input and try again.", err)
	}
	top, ok := v.(map[string]any)
	if !ok {
		return nil, schemaError("", "JSONObject", v)
	}
	tools, aerr := jsonList("tools", top["tools"])
	if aerr != nil {
		return nil, aerr
	}
	messages, aerr := jsonList("messages", top["messages"])
	if aerr != nil {
		return nil, aerr
	}

	b := blockBuilder{}
	for i, t := range tools {
		if err := b.add(fmt.Sprintf("tools.%d", i), levelTool, "", t); err != nil {
			return nil, err
		}
	}
	if err := b.addContent("system", levelSystem, "", top["system"]); err != nil {
		return nil, err
	}
	for i, mv := range messages {
		path := fmt.Sprintf("messages.%d", i)
		m, ok := mv.(map[string]any)
		if !ok {
			return nil, schemaError(path, "JSONObject", mv)
		}
		role, ok := m["role"].(string)
		if r, present := m["role"]; present && !ok {
			return nil, schemaError(path+".role", "String", r)
		}
		if err := b.addContent(path+".content", levelMessage, role, m["content"]); err != nil {
			return nil, err
		}
	}

	if len(b.bpPaths) > maxBreakpoints {
		return nil, errValidation("A maximum of %d blocks with cache_control may be provided. Found %d.", maxBreakpoints, len(b.bpPaths))
	}
	seen5m := false
	for i, blk := range b.blocks {
		switch blk.ttl {
		case ttl5m:
			seen5m = true
		case ttl1h:
			if seen5m {
				// Anthropic's wording, as Claude Code users met it
				// (cnighswonger/claude-code-cache-fix#44).
				return nil, errValidation("%s.cache_control.ttl: a ttl='1h' cache_control block must not come after a ttl='5m' cache_control block. "+
					"Note that blocks are processed in the following order: `tools`, `system`, `messages`.", b.paths[i])
			}
		}
	}
	return b.blocks, nil
}

// jsonList is an optional array member; absent and null are empty.
func jsonList(path string, v any) ([]any, *apiError) {
	if v == nil {
		return nil, nil
	}
	items, ok := v.([]any)
	if !ok {
		return nil, schemaError(path, "JSONArray", v)
	}
	return items, nil
}

// schemaError is Bedrock's JSON-schema complaint about the member at path
// (dotted, "" for the whole body).
func schemaError(path, want string, got any) *apiError {
	pointer := "#"
	if path != "" {
		pointer += "/" + strings.ReplaceAll(path, ".", "/")
	}
	return errValidation("Malformed input request: %s: expected type: %s, found: %s, please reformat your input and try again.",
		pointer, want, schemaType(got))
}

// schemaType names a decoded JSON value the way Bedrock's schema errors do.
func schemaType(v any) string {
	switch v := v.(type) {
	case string:
		return "String"
	case []any:
		return "JSONArray"
	case map[string]any:
		return "JSONObject"
	case bool:
		return "Boolean"
	case json.Number:
		if strings.ContainsAny(string(v), ".eE") {
			return "BigDecimal"
		}
		return "Integer"
	}
	return "Null"
}

type blockBuilder struct {
	blocks  []cacheBlock
	paths   []string // error path of each block
	bpPaths []string
	prev    [32]byte
	buf     bytes.Buffer
}

// addContent adds a system prompt or a message's content: absent adds
// nothing, a string is one text block, a list is its blocks.
func (b *blockBuilder) addContent(path string, level byte, role string, v any) *apiError {
	switch v := v.(type) {
	case nil:
		return nil
	case string:
		return b.add(path, level, role, map[string]any{"type": "text", "text": v})
	case []any:
		for i, item := range v {
			if err := b.add(fmt.Sprintf("%s.%d", path, i), level, role, item); err != nil {
				return err
			}
		}
		return nil
	}
	return schemaError(path, "String or JSONArray", v)
}

// add canonicalises one block, validates its cache_control and extends the
// prefix hash. The block's map is modified: it belongs to this request.
func (b *blockBuilder) add(path string, level byte, role string, v any) *apiError {
	obj, ok := v.(map[string]any)
	if !ok {
		return schemaError(path, "JSONObject", v)
	}

	ttl, aerr := breakpointTTL(path, obj)
	if aerr != nil {
		return aerr
	}
	delete(obj, "cache_control")

	b.buf.Reset()
	enc := json.NewEncoder(&b.buf)
	enc.SetEscapeHTML(false) // count the bytes the client sent, not \u003c
	if err := enc.Encode(obj); err != nil {
		return errValidation("%s: %v", path, err)
	}
	canonical := bytes.TrimSuffix(b.buf.Bytes(), []byte("\n"))

	h := sha256.New()
	h.Write(b.prev[:])
	h.Write([]byte{level})
	h.Write([]byte(role))
	h.Write([]byte{0})
	h.Write(canonical)
	var prefix [32]byte
	h.Sum(prefix[:0])
	b.prev = prefix

	b.blocks = append(b.blocks, cacheBlock{tokens: estimateTokens(canonical), prefix: prefix, ttl: ttl})
	b.paths = append(b.paths, path)
	if ttl != "" {
		b.bpPaths = append(b.bpPaths, path)
	}
	return nil
}

// breakpointTTL returns the block's TTL, or "" when it has no
// cache_control. The empty-text and thinking messages are Anthropic's
// (anthropics/claude-code#55302, Wei-Shaw/sub2api#225); the type and ttl
// messages are modelled on Anthropic's validation errors but not observed.
func breakpointTTL(path string, obj map[string]any) (string, *apiError) {
	cc, ok := obj["cache_control"]
	if !ok || cc == nil {
		return "", nil
	}
	typ, _ := obj["type"].(string)
	switch typ {
	case "thinking", "redacted_thinking":
		return "", errValidation("%s.%s.cache_control: Extra inputs are not permitted", path, typ)
	case "text":
		if text, _ := obj["text"].(string); text == "" {
			return "", errValidation("%s.text: cache_control cannot be set for empty text blocks", path)
		}
	}
	m, ok := cc.(map[string]any)
	if !ok {
		return "", errValidation("%s.cache_control: Input should be a valid dictionary or object to extract fields from", path)
	}
	if t, _ := m["type"].(string); t != "ephemeral" {
		return "", errValidation("%s.cache_control.type: Input should be 'ephemeral'", path)
	}
	switch ttl := m["ttl"].(type) {
	case nil:
		return ttl5m, nil
	case string:
		if ttl == ttl5m || ttl == ttl1h {
			return ttl, nil
		}
	}
	return "", errValidation("%s.cache_control.ttl: Input should be '5m' or '1h'", path)
}
