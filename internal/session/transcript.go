package session

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"

	"github.com/basalt-dev/basalt/internal/cost"
)

// Transcript is a session read back from disk.
type Transcript struct {
	// Meta merges the session's meta entries (see [Meta]). Its ID is the
	// file's when no entry names one.
	Meta Meta
	// Entries are every entry in file order, including meta entries and
	// types this version does not know.
	Entries []Entry
	// Warnings are problems that did not stop the load, such as a torn
	// last line skipped after a crash. Show them; they are not errors.
	Warnings []string
	// Path is the transcript file.
	Path string
	// size is the length of the whole, valid lines read: [Store.Continue]
	// checks that nobody appended since.
	size int64
}

// parsed is the result of reading a transcript's bytes.
type parsed struct {
	entries  []Entry
	warnings []string
	// good is the length of the prefix made of whole, valid lines: what
	// [Store.Append] keeps.
	good int64
}

// parse reads JSONL. A line that does not decode is an error naming
// path:line, unless nothing but blank space follows it: then it is the
// torn last line of a crash (or the zeroed tail some file systems leave
// after a power loss), skipped with a warning.
func parse(path string, data []byte) (parsed, error) {
	var p parsed
	line := 0
	for off := 0; off < len(data); {
		line++
		end := len(data)
		next := len(data)
		if i := bytes.IndexByte(data[off:], '\n'); i >= 0 {
			end = off + i
			next = end + 1
		}
		text := bytes.TrimSpace(data[off:end])
		if len(text) == 0 {
			off = next
			continue
		}
		e, err := decodeEntry(text)
		if err != nil {
			if len(bytes.TrimSpace(data[next:])) == 0 {
				p.warnings = append(p.warnings, fmt.Sprintf("%s:%d: skipped an incomplete last line (%d bytes), probably cut short by a crash", path, line, end-off))
				return p, nil
			}
			return p, fmt.Errorf("%s:%d: corrupt entry: %w", path, line, err)
		}
		p.entries = append(p.entries, e)
		off = next
		p.good = int64(next)
	}
	return p, nil
}

func decodeEntry(line []byte) (Entry, error) {
	var e Entry
	// "null" and other non-objects decode into a zero Entry without error.
	if line[0] != '{' {
		return e, errors.New("not a JSON object")
	}
	err := json.Unmarshal(line, &e)
	return e, err
}

// loadFile reads the transcript at path; id is the session's ID from its
// file name.
func loadFile(path, id string) (*Transcript, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	p, err := parse(path, data)
	if err != nil {
		return nil, err
	}
	t := &Transcript{Entries: p.entries, Warnings: p.warnings, Path: path, size: p.good}
	sawMeta := false
	for _, e := range t.Entries {
		if e.Type == TypeMeta && e.Meta != nil {
			t.Meta.merge(e.Meta)
			sawMeta = true
		}
	}
	if !sawMeta {
		t.Warnings = append(t.Warnings, fmt.Sprintf("%s: no meta entry: the system prompt and tools of the session are unknown", path))
	}
	if t.Meta.ID == "" {
		t.Meta.ID = id
	}
	return t, nil
}

// Usage is the usage of every call recorded in the session, before and
// after compactions.
func (t *Transcript) Usage() cost.Usage {
	var u cost.Usage
	for _, e := range t.Entries {
		if e.Usage != nil {
			u = u.Add(*e.Usage)
		}
	}
	return u
}

// Cost is the cost of every call recorded in the session; unknown as soon
// as one call with usage has no cost.
func (t *Transcript) Cost() cost.Cost {
	c := cost.Cost{Known: true}
	for _, e := range t.Entries {
		c = c.Add(entryCost(e))
	}
	return c
}

// entryCost is the cost an entry records: nothing for an entry without a
// call, unknown for a call without a price.
func entryCost(e Entry) cost.Cost {
	switch {
	case e.CostUSD != nil:
		return cost.Cost{USD: *e.CostUSD, Known: true}
	case e.Usage != nil:
		return cost.Cost{}
	default:
		return cost.Cost{Known: true}
	}
}
