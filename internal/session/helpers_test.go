package session

import (
	"encoding/json"
	"os"
	"sync"
	"testing"
	"time"
)

// clock is a fake time source that moves one second per reading, so
// sessions created one after the other get distinct, ordered IDs.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(time.Second)
	return c.t
}

var t0 = time.Date(2026, 11, 23, 18, 45, 0, 0, time.UTC)

// newStore returns a store in a temporary state directory with a fake
// clock starting at t0.
func newStore(t *testing.T) *Store {
	t.Helper()
	s := NewStore(t.TempDir(), "/home/ana/src/basalt")
	s.now = (&clock{t: t0}).Now
	return s
}

// create starts a session and writes entries to it.
func create(t *testing.T, s *Store, meta Meta, entries ...Entry) string {
	t.Helper()
	w, err := s.Create(meta)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if err := w.Append(e); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return w.ID()
}

func load(t *testing.T, s *Store, id string) *Transcript {
	t.Helper()
	tr, err := s.Load(id)
	if err != nil {
		t.Fatal(err)
	}
	return tr
}

// setMod sets a transcript's modification time, the order of List and
// Latest.
func setMod(t *testing.T, s *Store, id string, mod time.Time) {
	t.Helper()
	if err := os.Chtimes(s.path(id), mod, mod); err != nil {
		t.Fatal(err)
	}
}

func (s *Store) path(id string) string { return s.dir + "/" + id + ext }

func user(turn int, raw string) Entry {
	return Entry{Type: TypeUser, Turn: turn, Message: json.RawMessage(raw)}
}

func assistant(turn int, raw string) Entry {
	return Entry{Type: TypeAssistant, Turn: turn, Message: json.RawMessage(raw)}
}

func ptr[T any](v T) *T { return &v }

// raws turns messages into strings, for readable diffs.
func raws(ms []json.RawMessage) []string {
	out := make([]string, len(ms))
	for i, m := range ms {
		out[i] = string(m)
	}
	return out
}
