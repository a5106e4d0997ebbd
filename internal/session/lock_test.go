//go:build unix

package session

import (
	"bytes"
	"errors"
	"os"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/basalt-dev/basalt/internal/cost"
)

// A session open for writing is locked against every other way of
// opening it for writing; reading stays free, and closing releases it.
// (flock(2) locks belong to an open file description, so two opens in one
// process exclude each other as two processes do.)
func TestSessionLock(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		hold func(t *testing.T, s *Store, id string) *Writer // the first holder
	}{
		{"created", nil},
		{"appended", func(t *testing.T, s *Store, id string) *Writer {
			w, err := s.Append(id)
			if err != nil {
				t.Fatal(err)
			}
			return w
		}},
		{"forked", func(t *testing.T, s *Store, id string) *Writer {
			w, err := s.Fork(load(t, s, id))
			if err != nil {
				t.Fatal(err)
			}
			return w
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s := newStore(t)
			var w *Writer
			if tt.hold == nil {
				var err error
				if w, err = s.Create(Meta{Model: "m"}); err != nil {
					t.Fatal(err)
				}
			} else {
				w = tt.hold(t, s, create(t, s, Meta{Model: "m"}, user(1, `{"role":"user"}`)))
			}
			id := w.ID()

			for _, prefix := range []string{id, id[:len(id)-2]} {
				if _, err := s.Append(prefix); !errors.Is(err, ErrLocked) {
					t.Errorf("Append(%q) while held: err = %v, want ErrLocked", prefix, err)
				}
			}
			if n, err := s.Cleanup(time.Nanosecond); err != nil || n != 0 {
				t.Errorf("Cleanup while held = %d, %v; want 0 removed", n, err)
			}
			if _, err := s.Load(id); err != nil {
				t.Errorf("Load while held: %v", err)
			}
			if err := w.Close(); err != nil {
				t.Fatal(err)
			}
			w2, err := s.Append(id)
			if err != nil {
				t.Fatalf("Append after Close: %v", err)
			}
			w2.Close()
		})
	}
}

// --fork-session: a new session with the same conversation, usage not
// counted twice, the original untouched even while another process holds
// it.
func TestFork(t *testing.T) {
	t.Parallel()
	s := newStore(t)
	id := create(t, s, Meta{Model: "m", System: []byte(`[{"text":"sys"}]`)},
		user(1, `{"role":"user","content":"hi"}`),
		Entry{Type: TypeAssistant, Turn: 1, Message: []byte(`{"role":"assistant","content":"hello"}`), Model: "m",
			Usage: &cost.Usage{InputTokens: 10, OutputTokens: 2}, CostUSD: ptr(0.5)},
		Entry{Type: TypeMeta, Meta: &Meta{Model: "m2"}},
	)
	holder, err := s.Append(id)
	if err != nil {
		t.Fatal(err)
	}
	defer holder.Close()
	before, err := os.ReadFile(s.path(id))
	if err != nil {
		t.Fatal(err)
	}

	orig := load(t, s, id)
	w, err := s.Fork(orig)
	if err != nil {
		t.Fatal(err)
	}
	if err := w.Append(user(2, `{"role":"user","content":"more"}`)); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	if w.ID() == id {
		t.Fatalf("fork has the original's ID %s", id)
	}
	after, err := os.ReadFile(s.path(id))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(before, after) {
		t.Errorf("the original transcript changed:\n%s\n→\n%s", before, after)
	}

	fork := load(t, s, w.ID())
	want := append(raws(orig.Messages()), `{"role":"user","content":"more"}`)
	if diff := cmp.Diff(want, raws(fork.Messages())); diff != "" {
		t.Errorf("fork messages mismatch (-want +got):\n%s", diff)
	}
	gotMeta := fork.Meta
	wantMeta := orig.Meta
	wantMeta.ID, wantMeta.ForkedFrom, wantMeta.Created = w.ID(), id, gotMeta.Created
	if diff := cmp.Diff(wantMeta, gotMeta); diff != "" {
		t.Errorf("fork meta mismatch (-want +got):\n%s", diff)
	}
	if u := fork.Usage(); u != (cost.Usage{}) {
		t.Errorf("fork usage = %+v, want none (counted in the original)", u)
	}
}

// A session loaded, then written by another process before this one took
// the lock, is refused: the conversation in memory would miss the other
// process's turn.
func TestContinueChangedSinceLoad(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		torn    bool // the last line lacks its newline, which Append adds
		between func(t *testing.T, s *Store, id string)
		wantErr error
	}{
		{"unchanged", false, func(*testing.T, *Store, string) {}, nil},
		{"appended meanwhile", false, func(t *testing.T, s *Store, id string) {
			w, err := s.Append(id)
			if err != nil {
				t.Fatal(err)
			}
			if err := w.Append(user(2, `{"role":"user","content":"other"}`)); err != nil {
				t.Fatal(err)
			}
			w.Close()
		}, ErrLocked},
		{"last newline missing", true, func(*testing.T, *Store, string) {}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s := newStore(t)
			id := create(t, s, Meta{Model: "m"}, user(1, `{"role":"user","content":"hi"}`))
			if tt.torn {
				data, _ := os.ReadFile(s.path(id))
				if err := os.WriteFile(s.path(id), bytes.TrimSuffix(data, []byte("\n")), 0o600); err != nil {
					t.Fatal(err)
				}
			}
			tr := load(t, s, id)
			tt.between(t, s, id)
			w, err := s.Continue(tr)
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("Continue: err = %v, want %v", err, tt.wantErr)
			}
			if w != nil {
				w.Close()
			}
		})
	}
}
