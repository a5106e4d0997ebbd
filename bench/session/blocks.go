package main

import (
	"bytes"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
)

// block is one cacheable block of a request, as the emulator's prompt
// cache sees it (internal/emulator/cache.go): each tool, then each system
// block, then each message's content blocks. prefix is a hash of this
// block and every block before it, so two requests share a prefix of n
// blocks exactly when their n-th prefix hashes are equal.
type block struct {
	prefix [32]byte
	tokens int
}

// Levels keep a tool, a system block and a message block with the same
// JSON apart, as in the emulator.
const (
	levelTool    = 't'
	levelSystem  = 's'
	levelMessage = 'm'
)

// blocks splits an Invoke request body the way the emulator's cache
// simulation does, so that the prefix a request shares with an earlier one
// is counted in the same tokens the ledger reports. It is a copy, not an
// import: the emulator keeps these rules unexported, and the report checks
// the copy against the ledger on every request (see checkTotals), so a
// drift shows up as a mismatch instead of a wrong ideal.
func blocks(body []byte) ([]block, error) {
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber() // keep numbers byte-exact, as the emulator does
	var top map[string]any
	if err := dec.Decode(&top); err != nil {
		return nil, fmt.Errorf("decode body: %w", err)
	}
	var b blockBuilder
	tools, _ := top["tools"].([]any)
	for _, t := range tools {
		if err := b.add(levelTool, "", t); err != nil {
			return nil, err
		}
	}
	if err := b.addContent(levelSystem, "", top["system"]); err != nil {
		return nil, err
	}
	messages, _ := top["messages"].([]any)
	for _, mv := range messages {
		m, ok := mv.(map[string]any)
		if !ok {
			return nil, errors.New("a message is not an object")
		}
		role, _ := m["role"].(string)
		if err := b.addContent(levelMessage, role, m["content"]); err != nil {
			return nil, err
		}
	}
	return b.blocks, nil
}

type blockBuilder struct {
	blocks []block
	prev   [32]byte
	buf    bytes.Buffer
}

// addContent adds a system prompt or a message's content: a string is one
// text block, a list is its blocks.
func (b *blockBuilder) addContent(level byte, role string, v any) error {
	switch v := v.(type) {
	case nil:
		return nil
	case string:
		return b.add(level, role, map[string]any{"type": "text", "text": v})
	case []any:
		for _, item := range v {
			if err := b.add(level, role, item); err != nil {
				return err
			}
		}
		return nil
	}
	return fmt.Errorf("content of type %T", v)
}

// add hashes one block without its top-level cache_control, canonicalised
// (sorted keys, no HTML escaping), and counts ⌈bytes/4⌉ tokens for it.
func (b *blockBuilder) add(level byte, role string, v any) error {
	obj, ok := v.(map[string]any)
	if !ok {
		return fmt.Errorf("a block of type %T", v)
	}
	delete(obj, "cache_control")
	b.buf.Reset()
	enc := json.NewEncoder(&b.buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(obj); err != nil {
		return err
	}
	canonical := bytes.TrimSuffix(b.buf.Bytes(), []byte("\n"))

	h := sha256.New()
	h.Write(b.prev[:])
	h.Write([]byte{level})
	h.Write([]byte(role))
	h.Write([]byte{0})
	h.Write(canonical)
	h.Sum(b.prev[:0])
	b.blocks = append(b.blocks, block{prefix: b.prev, tokens: (len(canonical) + 3) / 4})
	return nil
}

// sharedTokens is the number of tokens in the longest block prefix that a
// and b have in common.
func sharedTokens(a, b []block) int {
	n := 0
	for i := 0; i < len(a) && i < len(b) && a[i].prefix == b[i].prefix; i++ {
		n += a[i].tokens
	}
	return n
}

// totalTokens is the whole prompt of a request.
func totalTokens(bs []block) int {
	n := 0
	for _, b := range bs {
		n += b.tokens
	}
	return n
}
