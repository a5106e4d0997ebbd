package hooks

import (
	"bytes"
	"encoding/json"
	"fmt"
)

// node is a JSON value with the byte offset where it starts, so that a
// warning about a hook entry can name its line and column.
type node struct {
	offset  int
	raw     json.RawMessage
	members []member // objects, in file order
	items   []node   // arrays
}

type member struct {
	key string
	val node
}

// kind names the JSON type of n for messages.
func (n node) kind() string {
	t := bytes.TrimSpace(n.raw)
	if len(t) == 0 {
		return "nothing"
	}
	switch t[0] {
	case '{':
		return "an object"
	case '[':
		return "an array"
	case '"':
		return "a string"
	case 't', 'f':
		return "a boolean"
	case 'n':
		return "null"
	}
	return "a number"
}

func (n node) isObject() bool { t := bytes.TrimSpace(n.raw); return len(t) > 0 && t[0] == '{' }
func (n node) isArray() bool  { t := bytes.TrimSpace(n.raw); return len(t) > 0 && t[0] == '[' }

// parseNode splits raw (which starts at offset base of the text the
// positions refer to) into a tree of nodes. raw must be valid JSON: it
// comes from a settings file config has already parsed.
func parseNode(raw []byte, base int) (node, error) {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	n, err := walk(dec, raw, base)
	if err != nil {
		return node{}, fmt.Errorf("invalid JSON: %w", err)
	}
	return n, nil
}

func walk(dec *json.Decoder, raw []byte, base int) (node, error) {
	start := skipSpace(raw, int(dec.InputOffset()))
	tok, err := dec.Token()
	if err != nil {
		return node{}, err
	}
	n := node{offset: base + start}
	switch tok {
	case json.Delim('{'):
		for dec.More() {
			kt, err := dec.Token()
			if err != nil {
				return node{}, err
			}
			key, _ := kt.(string)
			v, err := walk(dec, raw, base)
			if err != nil {
				return node{}, err
			}
			n.members = append(n.members, member{key, v})
		}
		if _, err := dec.Token(); err != nil {
			return node{}, err
		}
	case json.Delim('['):
		for dec.More() {
			v, err := walk(dec, raw, base)
			if err != nil {
				return node{}, err
			}
			n.items = append(n.items, v)
		}
		if _, err := dec.Token(); err != nil {
			return node{}, err
		}
	}
	n.raw = raw[start:int(dec.InputOffset())]
	return n, nil
}

// skipSpace skips white space and the separators a decoder has not
// consumed yet, so an offset lands on the value itself.
func skipSpace(b []byte, i int) int {
	for i < len(b) && (b[i] == ' ' || b[i] == '\t' || b[i] == '\n' || b[i] == '\r' || b[i] == ',' || b[i] == ':') {
		i++
	}
	return i
}

// lineCol turns a byte offset of text into a 1-based line and column
// (in runes).
func lineCol(text []byte, offset int) (line, col int) {
	offset = min(max(offset, 0), len(text))
	before := text[:offset]
	line = bytes.Count(before, []byte{'\n'}) + 1
	col = len([]rune(string(before[bytes.LastIndexByte(before, '\n')+1:]))) + 1
	return line, col
}
