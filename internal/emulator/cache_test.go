package emulator

import (
	"encoding/json"
	"fmt"
	"maps"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

// Expected counts in these tests are computed by hand from block sizes. A
// block built by ctText(n, …) or ctTool(n, …) canonicalises to exactly 4n bytes,
// so it is exactly n tokens; TestCacheBlockTokens checks that claim on
// literal JSON.

// ctText is a text block of exactly n tokens: {"text":"…","type":"text"} is
// 25 bytes plus the text.
func ctText(n int, fill string) map[string]any {
	return map[string]any{"type": "text", "text": strings.Repeat(fill, 4*n-25)}
}

// ctTool is a tool definition of exactly n tokens.
func ctTool(n int, name string) map[string]any {
	fixed := len(`{"description":"","input_schema":{"type":"object"},"name":""}`) + len(name)
	return map[string]any{"name": name, "description": strings.Repeat("d", 4*n-fixed), "input_schema": map[string]any{"type": "object"}}
}

// ctBreak returns a copy of b with a breakpoint; ttl "" leaves the TTL out.
func ctBreak(b map[string]any, ttl string) map[string]any {
	c := maps.Clone(b)
	ctl := map[string]any{"type": "ephemeral"}
	if ttl != "" {
		ctl["ttl"] = ttl
	}
	c["cache_control"] = ctl
	return c
}

func ctUser(blocks ...any) map[string]any { return map[string]any{"role": "user", "content": blocks} }
func ctAssistant(blocks ...any) map[string]any {
	return map[string]any{"role": "assistant", "content": blocks}
}

// ctBody builds an Invoke body; nil tools or system are left out.
func ctBody(tools []any, system any, messages ...any) []byte {
	b := map[string]any{"anthropic_version": "bedrock-2023-05-31", "max_tokens": 100, "messages": messages}
	if tools != nil {
		b["tools"] = tools
	}
	if system != nil {
		b["system"] = system
	}
	out, err := json.Marshal(b)
	if err != nil {
		panic(err)
	}
	return out
}

type ctClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *ctClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *ctClock) advance(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

type cacheStep struct {
	advance time.Duration // clock moves this much before the request
	model   string        // default "m"
	min     int           // minimum cacheable tokens; default 100
	body    []byte
	want    cacheUsage
	wantErr *apiError
}

func runCacheSteps(t *testing.T, steps []cacheStep) {
	t.Helper()
	clock := &ctClock{t: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}
	c := newPromptCache(clock.Now)
	for i, s := range steps {
		clock.advance(s.advance)
		model, min := s.model, s.min
		if model == "" {
			model = "m"
		}
		if min == 0 {
			min = 100
		}
		got, aerr := c.account(model, min, s.body)
		if diff := cmp.Diff(s.wantErr, aerr); diff != "" {
			t.Fatalf("step %d: error mismatch (-want +got):\n%s", i, diff)
		}
		if diff := cmp.Diff(s.want, got, cmpopts.EquateEmpty()); diff != "" {
			t.Errorf("step %d: usage mismatch (-want +got):\n%s", i, diff)
		}
	}
}

func TestCacheBlockTokens(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		body string
		want []int
	}{
		// {"text":"abc","type":"text"} is 28 bytes: 7 tokens.
		{"text block", `{"messages":[{"role":"user","content":[{"type":"text","text":"abc","cache_control":{"type":"ephemeral"}}]}]}`, []int{7}},
		// A string is the same block: {"text":"hi","type":"text"} is 27 bytes, ⌈27/4⌉ = 7.
		{"string content", `{"messages":[{"role":"user","content":"hi"}]}`, []int{7}},
		// {"name":"x"} is 12 bytes: 3 tokens; {"text":"s","type":"text"} is 26: 7.
		{"tool then system string", `{"tools":[{"name":"x"}],"system":"s"}`, []int{3, 7}},
		// Keys are sorted and HTML is not escaped: {"a":1,"b":"<&>"} is 17 bytes: 5.
		{"canonical form", `{"system":[{"b":"<&>", "a":1}]}`, []int{5}},
		// Numbers stay as sent: {"a":1.50} is 10 bytes: 3.
		{"numbers kept", `{"system":[{"a":1.50}]}`, []int{3}},
		{"no blocks", `{"messages":[]}`, nil},
		// The helpers really give n tokens.
		{"helpers", string(ctBody([]any{ctTool(20, "t")}, []any{ctText(7, "a")}, ctUser(ctText(100, "u")))), []int{20, 7, 100}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			blocks, aerr := cacheBlocks([]byte(tc.body))
			if aerr != nil {
				t.Fatalf("cacheBlocks: %v", aerr)
			}
			var got []int
			for _, b := range blocks {
				got = append(got, b.tokens)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("tokens mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestCacheAccounting(t *testing.T) {
	t.Parallel()
	// Blocks of 100 tokens unless the name says otherwise.
	A, B, C, D := ctText(100, "a"), ctText(100, "b"), ctText(100, "c"), ctText(100, "d")
	T0, T0changed := ctTool(100, "read"), ctTool(100, "edit")
	smallBlocks := func(n int, ccLast bool) []any {
		var bs []any
		for i := range n {
			b := ctText(10, "s")
			if ccLast && i == n-1 {
				b = ctBreak(b, "")
			}
			bs = append(bs, b)
		}
		return bs
	}

	tests := []struct {
		name  string
		steps []cacheStep
	}{
		{"first request writes, identical second reads", []cacheStep{
			// system A, B(bp) | user C: prefix through B is 200 ≥ 100.
			{body: ctBody(nil, []any{A, ctBreak(B, "")}, ctUser(C)),
				want: cacheUsage{InputTokens: 100, CacheCreationInputTokens: 200, Ephemeral5mInputTokens: 200, Breakpoints: 1, TTLs: []string{"5m"}}},
			{body: ctBody(nil, []any{A, ctBreak(B, "")}, ctUser(C)),
				want: cacheUsage{InputTokens: 100, CacheReadInputTokens: 200, Breakpoints: 1, TTLs: []string{"5m"}}},
		}},
		{"appending a turn reads the old prefix and writes the new segment", []cacheStep{
			{body: ctBody(nil, []any{A}, ctUser(ctBreak(B, ""))),
				want: cacheUsage{CacheCreationInputTokens: 200, Ephemeral5mInputTokens: 200, Breakpoints: 1, TTLs: []string{"5m"}}},
			// The breakpoint moved from B (index 1) to D (index 3); B's
			// prefix is found 2 blocks back: read 200, write 400-200.
			{body: ctBody(nil, []any{A}, ctUser(B), ctAssistant(C), ctUser(ctBreak(D, ""))),
				want: cacheUsage{CacheReadInputTokens: 200, CacheCreationInputTokens: 200, Ephemeral5mInputTokens: 200, Breakpoints: 1, TTLs: []string{"5m"}}},
		}},
		{"lookback 20 blocks hits", []cacheStep{
			{body: ctBody(nil, []any{ctBreak(A, "")}),
				want: cacheUsage{CacheCreationInputTokens: 100, Ephemeral5mInputTokens: 100, Breakpoints: 1, TTLs: []string{"5m"}}},
			// Breakpoint at index 20, entry at index 0: 20 back, a hit.
			// 20 blocks of 10 tokens are written.
			{body: ctBody(nil, []any{A}, ctUser(smallBlocks(20, true)...)),
				want: cacheUsage{CacheReadInputTokens: 100, CacheCreationInputTokens: 200, Ephemeral5mInputTokens: 200, Breakpoints: 1, TTLs: []string{"5m"}}},
		}},
		{"lookback 21 blocks misses", []cacheStep{
			{body: ctBody(nil, []any{ctBreak(A, "")}),
				want: cacheUsage{CacheCreationInputTokens: 100, Ephemeral5mInputTokens: 100, Breakpoints: 1, TTLs: []string{"5m"}}},
			// Breakpoint at index 21: the entry is out of reach; 100+210.
			{body: ctBody(nil, []any{A}, ctUser(smallBlocks(21, true)...)),
				want: cacheUsage{CacheCreationInputTokens: 310, Ephemeral5mInputTokens: 310, Breakpoints: 1, TTLs: []string{"5m"}}},
		}},
		{"below the minimum nothing is cached", []cacheStep{
			{min: 201, body: ctBody(nil, []any{A, ctBreak(B, "")}),
				want: cacheUsage{InputTokens: 200, Breakpoints: 1, TTLs: []string{"5m"}}},
			{min: 201, body: ctBody(nil, []any{A, ctBreak(B, "")}),
				want: cacheUsage{InputTokens: 200, Breakpoints: 1, TTLs: []string{"5m"}}},
		}},
		{"at the minimum it is cached", []cacheStep{
			{min: 200, body: ctBody(nil, []any{A, ctBreak(B, "")}),
				want: cacheUsage{CacheCreationInputTokens: 200, Ephemeral5mInputTokens: 200, Breakpoints: 1, TTLs: []string{"5m"}}},
		}},
		{"a breakpoint below the minimum adds its tokens to the next segment", []cacheStep{
			// bp at A (100 < 150) is not written; bp at C writes all 300.
			{min: 150, body: ctBody(nil, []any{ctBreak(A, ""), B, ctBreak(C, "")}),
				want: cacheUsage{CacheCreationInputTokens: 300, Ephemeral5mInputTokens: 300, Breakpoints: 2, TTLs: []string{"5m", "5m"}}},
		}},
		{"1h and 5m segments are split", []cacheStep{
			// A(1h) writes 100 for an hour, C(5m) writes B+C = 200.
			{body: ctBody(nil, []any{ctBreak(A, "1h")}, ctUser(B, ctBreak(C, "5m"))),
				want: cacheUsage{CacheCreationInputTokens: 300, Ephemeral1hInputTokens: 100, Ephemeral5mInputTokens: 200, Breakpoints: 2, TTLs: []string{"1h", "5m"}}},
			// Six minutes later only the 1h entry lives: read 100, rewrite 200.
			{advance: 6 * time.Minute, body: ctBody(nil, []any{ctBreak(A, "1h")}, ctUser(B, ctBreak(C, "5m"))),
				want: cacheUsage{CacheReadInputTokens: 100, CacheCreationInputTokens: 200, Ephemeral5mInputTokens: 200, Breakpoints: 2, TTLs: []string{"1h", "5m"}}},
		}},
		{"5m entry lives until just before 5 minutes", []cacheStep{
			{body: ctBody(nil, []any{ctBreak(A, "")}),
				want: cacheUsage{CacheCreationInputTokens: 100, Ephemeral5mInputTokens: 100, Breakpoints: 1, TTLs: []string{"5m"}}},
			{advance: 5*time.Minute - time.Nanosecond, body: ctBody(nil, []any{ctBreak(A, "")}),
				want: cacheUsage{CacheReadInputTokens: 100, Breakpoints: 1, TTLs: []string{"5m"}}},
		}},
		{"5m entry is gone at 5 minutes", []cacheStep{
			{body: ctBody(nil, []any{ctBreak(A, "")}),
				want: cacheUsage{CacheCreationInputTokens: 100, Ephemeral5mInputTokens: 100, Breakpoints: 1, TTLs: []string{"5m"}}},
			{advance: 5 * time.Minute, body: ctBody(nil, []any{ctBreak(A, "")}),
				want: cacheUsage{CacheCreationInputTokens: 100, Ephemeral5mInputTokens: 100, Breakpoints: 1, TTLs: []string{"5m"}}},
		}},
		{"1h entry is gone at 60 minutes", []cacheStep{
			{body: ctBody(nil, []any{ctBreak(A, "1h")}),
				want: cacheUsage{CacheCreationInputTokens: 100, Ephemeral1hInputTokens: 100, Breakpoints: 1, TTLs: []string{"1h"}}},
			{advance: time.Hour, body: ctBody(nil, []any{ctBreak(A, "1h")}),
				want: cacheUsage{CacheCreationInputTokens: 100, Ephemeral1hInputTokens: 100, Breakpoints: 1, TTLs: []string{"1h"}}},
		}},
		{"1h entry hit at 59 minutes lives another hour", []cacheStep{
			{body: ctBody(nil, []any{ctBreak(A, "1h")}),
				want: cacheUsage{CacheCreationInputTokens: 100, Ephemeral1hInputTokens: 100, Breakpoints: 1, TTLs: []string{"1h"}}},
			{advance: 59 * time.Minute, body: ctBody(nil, []any{ctBreak(A, "1h")}),
				want: cacheUsage{CacheReadInputTokens: 100, Breakpoints: 1, TTLs: []string{"1h"}}},
			// The hit at 59 refreshed it until 119: still there at 118, and
			// then until 178.
			{advance: 59 * time.Minute, body: ctBody(nil, []any{ctBreak(A, "1h")}),
				want: cacheUsage{CacheReadInputTokens: 100, Breakpoints: 1, TTLs: []string{"1h"}}},
			{advance: 60 * time.Minute, body: ctBody(nil, []any{ctBreak(A, "1h")}),
				want: cacheUsage{CacheCreationInputTokens: 100, Ephemeral1hInputTokens: 100, Breakpoints: 1, TTLs: []string{"1h"}}},
		}},
		{"a hit refreshes the TTL", []cacheStep{
			{body: ctBody(nil, []any{ctBreak(A, "")}),
				want: cacheUsage{CacheCreationInputTokens: 100, Ephemeral5mInputTokens: 100, Breakpoints: 1, TTLs: []string{"5m"}}},
			{advance: 4 * time.Minute, body: ctBody(nil, []any{ctBreak(A, "")}),
				want: cacheUsage{CacheReadInputTokens: 100, Breakpoints: 1, TTLs: []string{"5m"}}},
			// 8 minutes after the write, 4 after the refresh: still there.
			{advance: 4 * time.Minute, body: ctBody(nil, []any{ctBreak(A, "")}),
				want: cacheUsage{CacheReadInputTokens: 100, Breakpoints: 1, TTLs: []string{"5m"}}},
			{advance: 5 * time.Minute, body: ctBody(nil, []any{ctBreak(A, "")}),
				want: cacheUsage{CacheCreationInputTokens: 100, Ephemeral5mInputTokens: 100, Breakpoints: 1, TTLs: []string{"5m"}}},
		}},
		{"a hit refreshes the shorter prefixes it contains", []cacheStep{
			{body: ctBody(nil, []any{ctBreak(A, ""), ctBreak(B, "")}),
				want: cacheUsage{CacheCreationInputTokens: 200, Ephemeral5mInputTokens: 200, Breakpoints: 2, TTLs: []string{"5m", "5m"}}},
			{advance: 4 * time.Minute, body: ctBody(nil, []any{ctBreak(A, ""), ctBreak(B, "")}),
				want: cacheUsage{CacheReadInputTokens: 200, Breakpoints: 2, TTLs: []string{"5m", "5m"}}},
			// 8 minutes after the write: A's entry was refreshed by the read
			// of B, so a changed B still reads A.
			{advance: 4 * time.Minute, body: ctBody(nil, []any{ctBreak(A, ""), ctBreak(C, "")}),
				want: cacheUsage{CacheReadInputTokens: 100, CacheCreationInputTokens: 100, Ephemeral5mInputTokens: 100, Breakpoints: 2, TTLs: []string{"5m", "5m"}}},
		}},
		{"a changed tool invalidates everything", []cacheStep{
			{body: ctBody([]any{ctBreak(T0, "")}, []any{ctBreak(A, "")}, ctUser(ctBreak(B, ""))),
				want: cacheUsage{CacheCreationInputTokens: 300, Ephemeral5mInputTokens: 300, Breakpoints: 3, TTLs: []string{"5m", "5m", "5m"}}},
			{body: ctBody([]any{ctBreak(T0changed, "")}, []any{ctBreak(A, "")}, ctUser(ctBreak(B, ""))),
				want: cacheUsage{CacheCreationInputTokens: 300, Ephemeral5mInputTokens: 300, Breakpoints: 3, TTLs: []string{"5m", "5m", "5m"}}},
		}},
		{"a changed system prompt keeps the tools entry", []cacheStep{
			{body: ctBody([]any{ctBreak(T0, "")}, []any{ctBreak(A, "")}, ctUser(B)),
				want: cacheUsage{InputTokens: 100, CacheCreationInputTokens: 200, Ephemeral5mInputTokens: 200, Breakpoints: 2, TTLs: []string{"5m", "5m"}}},
			{body: ctBody([]any{ctBreak(T0, "")}, []any{ctBreak(C, "")}, ctUser(B)),
				want: cacheUsage{InputTokens: 100, CacheReadInputTokens: 100, CacheCreationInputTokens: 100, Ephemeral5mInputTokens: 100, Breakpoints: 2, TTLs: []string{"5m", "5m"}}},
		}},
		{"a changed system prompt without a tools breakpoint reads nothing", []cacheStep{
			{body: ctBody([]any{T0}, []any{ctBreak(A, "")}, ctUser(B)),
				want: cacheUsage{InputTokens: 100, CacheCreationInputTokens: 200, Ephemeral5mInputTokens: 200, Breakpoints: 1, TTLs: []string{"5m"}}},
			{body: ctBody([]any{T0}, []any{ctBreak(C, "")}, ctUser(B)),
				want: cacheUsage{InputTokens: 100, CacheCreationInputTokens: 200, Ephemeral5mInputTokens: 200, Breakpoints: 1, TTLs: []string{"5m"}}},
		}},
		{"moving cache_control keeps identity", []cacheStep{
			{body: ctBody(nil, []any{A, ctBreak(B, "")}, ctUser(C, D)),
				want: cacheUsage{InputTokens: 200, CacheCreationInputTokens: 200, Ephemeral5mInputTokens: 200, Breakpoints: 1, TTLs: []string{"5m"}}},
			{body: ctBody(nil, []any{A, B}, ctUser(C, ctBreak(D, ""))),
				want: cacheUsage{CacheReadInputTokens: 200, CacheCreationInputTokens: 200, Ephemeral5mInputTokens: 200, Breakpoints: 1, TTLs: []string{"5m"}}},
		}},
		{"key order and whitespace do not matter", []cacheStep{
			{min: 1, body: []byte(`{"tools":[{"name":"Read","input_schema":{"type":"object","properties":{"path":{"type":"string"}}},"cache_control":{"type":"ephemeral"}}]}`),
				// {"input_schema":{"properties":{"path":{"type":"string"}},"type":"object"},"name":"Read"} is 87 bytes: 22 tokens.
				want: cacheUsage{CacheCreationInputTokens: 22, Ephemeral5mInputTokens: 22, Breakpoints: 1, TTLs: []string{"5m"}}},
			{min: 1, body: []byte(`{ "tools" : [ { "cache_control" : {"type":"ephemeral"}, "input_schema": {"properties": {"path": {"type": "string"}}, "type": "object"}, "name": "Read" } ] }`),
				want: cacheUsage{CacheReadInputTokens: 22, Breakpoints: 1, TTLs: []string{"5m"}}},
		}},
		{"a string and a one-block array are the same system prompt", []cacheStep{
			{body: ctBody(nil, A["text"], ctUser(ctBreak(B, ""))),
				want: cacheUsage{CacheCreationInputTokens: 200, Ephemeral5mInputTokens: 200, Breakpoints: 1, TTLs: []string{"5m"}}},
			{body: ctBody(nil, []any{A}, ctUser(ctBreak(B, ""))),
				want: cacheUsage{CacheReadInputTokens: 200, Breakpoints: 1, TTLs: []string{"5m"}}},
		}},
		{"the role is part of a message block", []cacheStep{
			{body: ctBody(nil, nil, ctUser(ctBreak(A, ""))),
				want: cacheUsage{CacheCreationInputTokens: 100, Ephemeral5mInputTokens: 100, Breakpoints: 1, TTLs: []string{"5m"}}},
			{body: ctBody(nil, nil, ctAssistant(ctBreak(A, ""))),
				want: cacheUsage{CacheCreationInputTokens: 100, Ephemeral5mInputTokens: 100, Breakpoints: 1, TTLs: []string{"5m"}}},
		}},
		{"a breakpoint inside the read is not written", []cacheStep{
			{body: ctBody(nil, []any{A, B, ctBreak(C, "")}),
				want: cacheUsage{CacheCreationInputTokens: 300, Ephemeral5mInputTokens: 300, Breakpoints: 1, TTLs: []string{"5m"}}},
			// Read through C; the breakpoint on A lies inside the read.
			{body: ctBody(nil, []any{ctBreak(A, ""), B, ctBreak(C, "")}),
				want: cacheUsage{CacheReadInputTokens: 300, Breakpoints: 2, TTLs: []string{"5m", "5m"}}},
			// So A has no entry of its own: a changed B reads nothing.
			{body: ctBody(nil, []any{ctBreak(A, ""), ctBreak(D, "")}),
				want: cacheUsage{CacheCreationInputTokens: 200, Ephemeral5mInputTokens: 200, Breakpoints: 2, TTLs: []string{"5m", "5m"}}},
		}},
		{"an existing entry keeps its own TTL", []cacheStep{
			{body: ctBody(nil, []any{ctBreak(A, "5m")}),
				want: cacheUsage{CacheCreationInputTokens: 100, Ephemeral5mInputTokens: 100, Breakpoints: 1, TTLs: []string{"5m"}}},
			{body: ctBody(nil, []any{ctBreak(A, "1h")}),
				want: cacheUsage{CacheReadInputTokens: 100, Breakpoints: 1, TTLs: []string{"1h"}}},
			{advance: 5 * time.Minute, body: ctBody(nil, []any{ctBreak(A, "1h")}),
				want: cacheUsage{CacheCreationInputTokens: 100, Ephemeral1hInputTokens: 100, Breakpoints: 1, TTLs: []string{"1h"}}},
		}},
		{"models have separate caches", []cacheStep{
			{model: "a", body: ctBody(nil, []any{ctBreak(A, "")}),
				want: cacheUsage{CacheCreationInputTokens: 100, Ephemeral5mInputTokens: 100, Breakpoints: 1, TTLs: []string{"5m"}}},
			{model: "b", body: ctBody(nil, []any{ctBreak(A, "")}),
				want: cacheUsage{CacheCreationInputTokens: 100, Ephemeral5mInputTokens: 100, Breakpoints: 1, TTLs: []string{"5m"}}},
			{model: "a", body: ctBody(nil, []any{ctBreak(A, "")}),
				want: cacheUsage{CacheReadInputTokens: 100, Breakpoints: 1, TTLs: []string{"5m"}}},
		}},
		{"no breakpoints", []cacheStep{
			{body: ctBody([]any{T0}, []any{A}, ctUser(B)), want: cacheUsage{InputTokens: 300}},
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			runCacheSteps(t, tc.steps)
		})
	}
}

func TestCacheValidation(t *testing.T) {
	t.Parallel()
	A := ctText(100, "a")
	thinking := map[string]any{"type": "thinking", "thinking": "hmm", "signature": "sig"}
	empty := map[string]any{"type": "text", "text": ""}
	tests := []struct {
		name    string
		body    []byte
		wantErr string
	}{
		{"a fifth breakpoint", ctBody([]any{ctBreak(ctTool(20, "a"), "")}, []any{ctBreak(A, ""), ctBreak(A, "")}, ctUser(ctBreak(A, ""), ctBreak(A, ""))),
			"A maximum of 4 blocks with cache_control may be provided. Found 5."},
		{"1h after 5m across levels", ctBody([]any{ctBreak(ctTool(20, "a"), "")}, []any{ctBreak(A, "1h")}),
			"system.0.cache_control.ttl: a ttl='1h' cache_control block must not come after a ttl='5m' cache_control block. Note that blocks are processed in the following order: `tools`, `system`, `messages`."},
		{"1h after a default breakpoint in messages", ctBody(nil, []any{ctBreak(A, "1h")}, ctUser(ctBreak(A, "")), ctAssistant(ctText(10, "b")), ctUser(A, ctBreak(A, "1h"))),
			"messages.2.content.1.cache_control.ttl: a ttl='1h' cache_control block must not come after a ttl='5m' cache_control block. Note that blocks are processed in the following order: `tools`, `system`, `messages`."},
		{"bad ttl", ctBody(nil, []any{ctBreak(A, "10m")}),
			"system.0.cache_control.ttl: Input should be '5m' or '1h'"},
		{"ttl not a string", []byte(`{"system":[{"type":"text","text":"x","cache_control":{"type":"ephemeral","ttl":300}}]}`),
			"system.0.cache_control.ttl: Input should be '5m' or '1h'"},
		{"bad type", []byte(`{"tools":[{"name":"x","cache_control":{"type":"persistent"}}]}`),
			"tools.0.cache_control.type: Input should be 'ephemeral'"},
		{"cache_control not an object", []byte(`{"tools":[{"name":"x","cache_control":"yes"}]}`),
			"tools.0.cache_control: Input should be a valid dictionary or object to extract fields from"},
		{"empty text", ctBody(nil, nil, ctUser(A, ctBreak(empty, ""))),
			"messages.0.content.1.text: cache_control cannot be set for empty text blocks"},
		{"thinking", ctBody(nil, nil, ctUser(A), ctAssistant(ctBreak(thinking, ""), ctText(10, "b"))),
			"messages.1.content.0.thinking.cache_control: Extra inputs are not permitted"},
		{"redacted thinking", ctBody(nil, nil, ctUser(A), ctAssistant(ctBreak(map[string]any{"type": "redacted_thinking", "data": "x"}, ""))),
			"messages.1.content.0.redacted_thinking.cache_control: Extra inputs are not permitted"},
		// Structure problems get Bedrock's schema wording.
		{"block not an object", []byte(`{"messages":[{"role":"user","content":["hi"]}]}`),
			"Malformed input request: #/messages/0/content/0: expected type: JSONObject, found: String, please reformat your input and try again."},
		{"tool not an object", []byte(`{"tools":[[]]}`),
			"Malformed input request: #/tools/0: expected type: JSONObject, found: JSONArray, please reformat your input and try again."},
		{"content a number", []byte(`{"messages":[{"role":"user","content":7}]}`),
			"Malformed input request: #/messages/0/content: expected type: String or JSONArray, found: Integer, please reformat your input and try again."},
		{"system an object", []byte(`{"system":{"text":"x"}}`),
			"Malformed input request: #/system: expected type: String or JSONArray, found: JSONObject, please reformat your input and try again."},
		{"message not an object", []byte(`{"messages":[7.5]}`),
			"Malformed input request: #/messages/0: expected type: JSONObject, found: BigDecimal, please reformat your input and try again."},
		{"role not a string", []byte(`{"messages":[{"role":true,"content":"x"}]}`),
			"Malformed input request: #/messages/0/role: expected type: String, found: Boolean, please reformat your input and try again."},
		{"tools an object", []byte(`{"tools":{}}`),
			"Malformed input request: #/tools: expected type: JSONArray, found: JSONObject, please reformat your input and try again."},
		{"body a list", []byte(`[]`),
			"Malformed input request: #: expected type: JSONObject, found: JSONArray, please reformat your input and try again."},
		{"not JSON", []byte(`{"messages":`),
			"Malformed input request: unexpected end of JSON input, please reformat your input and try again."},
		{"empty body", nil,
			"Malformed input request: unexpected end of JSON input, please reformat your input and try again."},
		{"trailing data", []byte(`{} {}`),
			"Malformed input request: invalid character after top-level value, please reformat your input and try again."},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			c := newPromptCache(time.Now)
			_, aerr := c.account("m", 1, tc.body)
			want := &apiError{400, "ValidationException", tc.wantErr}
			if diff := cmp.Diff(want, aerr); diff != "" {
				t.Errorf("error mismatch (-want +got):\n%s", diff)
			}
		})
	}

	// Allowed: exactly 4 breakpoints, 1h before 5m, a null cache_control,
	// non-empty text, a tool_use block.
	ok := ctBody([]any{ctBreak(ctTool(20, "a"), "1h")}, []any{ctBreak(A, "1h"), map[string]any{"type": "text", "text": "x", "cache_control": nil}},
		ctUser(ctBreak(A, "5m")), ctAssistant(ctBreak(map[string]any{"type": "tool_use", "id": "t1", "name": "a", "input": map[string]any{}}, "")))
	if _, aerr := newPromptCache(time.Now).account("m", 1, ok); aerr != nil {
		t.Errorf("valid request refused: %v", aerr)
	}
}

// Requests from many goroutines must not race (run with -race).
func TestCacheConcurrent(t *testing.T) {
	t.Parallel()
	c := newPromptCache(time.Now)
	body := ctBody(nil, []any{ctBreak(ctText(100, "a"), "")}, ctUser(ctText(10, "u")))
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for range 50 {
				u, aerr := c.account("m", 1, body)
				if aerr != nil || u.InputTokens != 10 || u.CacheReadInputTokens+u.CacheCreationInputTokens != 100 {
					t.Errorf("account = %+v, %v", u, aerr)
					return
				}
			}
		})
	}
	wg.Wait()
}

// FuzzCacheAccount: no body makes account panic, and a repeated request
// reads exactly what the first one read and wrote.
func FuzzCacheAccount(f *testing.F) {
	A := ctText(10, "a")
	for _, seed := range [][]byte{
		ctBody([]any{ctBreak(ctTool(20, "t"), "1h")}, []any{ctBreak(A, "1h")}, ctUser(ctBreak(A, "")), ctAssistant(ctText(10, "b"))),
		ctBody(nil, "system prompt", ctUser(ctBreak(A, ""), ctBreak(A, "")), ctUser(ctBreak(A, ""), ctBreak(A, ""), ctBreak(A, ""))),
		ctBody(nil, nil, ctUser(ctBreak(map[string]any{"type": "text", "text": ""}, ""))),
		[]byte(`{"messages":[{"role":"user","content":[{"type":"thinking","cache_control":{"type":"ephemeral"}}]}]}`),
		[]byte(`{"tools":{},"system":7,"messages":[{"content":[1,[],null,{}]}]}`),
		[]byte(`{"system":[{"cache_control":{"type":"ephemeral","ttl":null}},{"cache_control":[]}]}`),
		[]byte(`[]`), []byte(`null`), []byte(``), []byte(`{"messages":[{"role":"user","content":"\ud800"}]}`),
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		c := newPromptCache(func() time.Time { return time.Unix(0, 0) })
		first, aerr := c.account("m", 3, body)
		if aerr != nil {
			if aerr.Status != 400 || aerr.Type != "ValidationException" {
				t.Fatalf("unexpected error %v", aerr)
			}
			return
		}
		check := func(u cacheUsage) {
			if u.InputTokens < 0 || u.CacheReadInputTokens < 0 || u.CacheCreationInputTokens < 0 ||
				u.Ephemeral5mInputTokens+u.Ephemeral1hInputTokens != u.CacheCreationInputTokens ||
				u.Breakpoints > maxBreakpoints || len(u.TTLs) != u.Breakpoints {
				t.Fatalf("inconsistent usage %+v", u)
			}
		}
		check(first)
		second, aerr := c.account("m", 3, body)
		if aerr != nil {
			t.Fatalf("second request failed: %v", aerr)
		}
		check(second)
		want := first
		want.CacheReadInputTokens += first.CacheCreationInputTokens
		want.CacheCreationInputTokens, want.Ephemeral5mInputTokens, want.Ephemeral1hInputTokens = 0, 0, 0
		if diff := cmp.Diff(want, second, cmpopts.EquateEmpty()); diff != "" {
			t.Fatalf("second request mismatch (-want +got):\n%s", diff)
		}
	})
}

// BenchmarkCacheAccount accounts an agent-sized request (10 tools, a system
// prompt, 40 message blocks, about 26k tokens) that hits the cache.
func BenchmarkCacheAccount(b *testing.B) {
	var tools []any
	for i := range 10 {
		tools = append(tools, ctTool(500, fmt.Sprintf("tool%d", i)))
	}
	var msgs []any
	for i := range 20 {
		msgs = append(msgs, ctUser(ctText(200, "u")), ctAssistant(ctText(200, fmt.Sprint(i))))
	}
	msgs[len(msgs)-1] = ctAssistant(ctBreak(ctText(200, "z"), ""))
	body := ctBody(tools, []any{ctBreak(ctText(3000, "s"), "")}, msgs...)
	c := newPromptCache(time.Now)
	b.SetBytes(int64(len(body)))
	for b.Loop() {
		if _, aerr := c.account("m", 1024, body); aerr != nil {
			b.Fatal(aerr)
		}
	}
}
