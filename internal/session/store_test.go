package session

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestPathKey(t *testing.T) {
	t.Parallel()
	tests := []struct {
		root, want string
	}{
		{"/home/ana/src/basalt", "-home-ana-src-basalt"},
		{"/home/ana/src/x.y", "-home-ana-src-x-y"},
		{"/home/ana/.config/my.proj", "-home-ana--config-my-proj"},
		{"/", "-"},
	}
	for _, tt := range tests {
		t.Run(tt.root, func(t *testing.T) {
			t.Parallel()
			if got := PathKey(tt.root); got != tt.want {
				t.Errorf("PathKey(%q) = %q, want %q", tt.root, got, tt.want)
			}
		})
	}
	t.Run("long paths stay valid and distinct", func(t *testing.T) {
		t.Parallel()
		deep := "/" + strings.Repeat("é/", 150)
		a, b := PathKey(deep+"a"), PathKey(deep+"b")
		if len(a) > 255 || a == b {
			t.Errorf("PathKey = %q (%d bytes) and %q: want ≤ 255 bytes and distinct", a, len(a), b)
		}
		if !strings.HasPrefix(a, "-é-é-") || !regexp.MustCompile(`-[0-9a-f]{8}$`).MatchString(a) {
			t.Errorf("PathKey = %q, want the key's start and a hash suffix", a)
		}
	})
}

func TestNewStoreDir(t *testing.T) {
	t.Parallel()
	s := NewStore("/state/basalt", "/home/ana/src/basalt/../x.y/")
	if got, want := s.Dir(), "/state/basalt/projects/-home-ana-src-x-y"; got != want {
		t.Errorf("Dir() = %q, want %q", got, want)
	}
}

func TestCreate(t *testing.T) {
	t.Parallel()
	s := newStore(t)
	w, err := s.Create(Meta{Model: "global.anthropic.claude-sonnet-4-6", Provider: "bedrock"})
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	// A version 7 UUID whose first 48 bits are the creation time in ms.
	if !regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`).MatchString(w.ID()) {
		t.Errorf("ID = %q, want a version 7 UUID", w.ID())
	}
	if ms := time.Date(2026, 11, 23, 18, 45, 1, 0, time.UTC).UnixMilli(); !strings.HasPrefix(strings.ReplaceAll(w.ID(), "-", ""), fmt.Sprintf("%012x", ms)) {
		t.Errorf("ID = %q, want it to start with the creation time %012x", w.ID(), ms)
	}
	if got, want := w.Path(), filepath.Join(s.Dir(), w.ID()+".jsonl"); got != want {
		t.Errorf("Path = %q, want %q", got, want)
	}
	for _, c := range []struct {
		path string
		want os.FileMode
	}{{w.Path(), 0o600}, {s.Dir(), 0o700}, {filepath.Dir(s.Dir()), 0o700}} {
		info, err := os.Stat(c.path)
		if err != nil {
			t.Fatal(err)
		}
		if got := info.Mode().Perm(); got != c.want {
			t.Errorf("mode of %s = %v, want %v", c.path, got, c.want)
		}
	}

	// The meta entry is on disk before the first turn.
	tr := load(t, s, w.ID())
	want := Meta{
		ID: w.ID(), ProjectRoot: "/home/ana/src/basalt", Provider: "bedrock",
		Model: "global.anthropic.claude-sonnet-4-6", Created: t0.Add(time.Second),
	}
	if diff := cmp.Diff(want, tr.Meta); diff != "" {
		t.Errorf("meta mismatch (-want +got):\n%s", diff)
	}
	if len(tr.Entries) != 1 || tr.Entries[0].Type != TypeMeta {
		t.Errorf("entries = %+v, want the meta entry alone", tr.Entries)
	}
}

func TestCreateSameSecond(t *testing.T) {
	t.Parallel()
	s := NewStore(t.TempDir(), "/p")
	s.now = func() time.Time { return t0 }
	seen := map[string]bool{}
	for range 20 {
		id := create(t, s, Meta{})
		if seen[id] {
			t.Fatalf("ID %s given twice", id)
		}
		seen[id] = true
	}
}

func TestLatestAndList(t *testing.T) {
	t.Parallel()
	s := newStore(t)
	if _, err := s.Latest(); !errors.Is(err, ErrNoSessions) {
		t.Errorf("Latest on an empty project: err = %v, want ErrNoSessions", err)
	}
	if got, err := s.List(); err != nil || len(got) != 0 {
		t.Errorf("List on an empty project = %v, %v; want nothing", got, err)
	}
	a := create(t, s, Meta{}, user(1, `{"role":"user","content":"first"}`))
	b := create(t, s, Meta{}, user(1, `{"role":"user","content":"second"}`))
	c := create(t, s, Meta{}, user(1, `{"role":"user","content":"third"}`))
	// The oldest session was resumed last; b and c were last written in
	// the same instant, so the newer ID comes first.
	setMod(t, s, a, t0.Add(time.Hour))
	setMod(t, s, b, t0.Add(time.Minute))
	setMod(t, s, c, t0.Add(time.Minute))

	latest, err := s.Latest()
	if err != nil {
		t.Fatal(err)
	}
	if latest != a {
		t.Errorf("Latest = %s, want %s (the most recently written)", latest, a)
	}
	list, err := s.List()
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, sum := range list {
		got = append(got, sum.ID+" "+sum.FirstPrompt)
	}
	want := []string{a + " first", c + " third", b + " second"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("List order mismatch (-want +got):\n%s", diff)
	}
}

func TestLoadByPrefix(t *testing.T) {
	t.Parallel()
	s := newStore(t)
	a := create(t, s, Meta{}) // 20261123T184501-…
	b := create(t, s, Meta{}) // 20261123T184502-…
	if err := os.WriteFile(filepath.Join(s.Dir(), "notes.txt"), []byte("not a session"), 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name    string
		id      string
		want    string
		wantErr error
		errHas  string
	}{
		{name: "full ID", id: a, want: a},
		// a and b were made a second apart: their IDs share the time's
		// high digits and part at the 11th character.
		{name: "unique prefix", id: b[:11], want: b},
		{name: "ambiguous prefix", id: a[:8], wantErr: ErrAmbiguous, errHas: a},
		{name: "unknown lists recent", id: "20251231", wantErr: ErrNotFound, errHas: "recent sessions: " + b + ", " + a},
		{name: "empty", id: "", wantErr: ErrNotFound},
		{name: "no escape from the directory", id: "../" + filepath.Base(s.Dir()) + "/" + a, wantErr: ErrNotFound},
		{name: "other files are not sessions", id: "notes", wantErr: ErrNotFound},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			tr, err := s.Load(tt.id)
			if tt.wantErr != nil {
				if !errors.Is(err, tt.wantErr) || !strings.Contains(err.Error(), tt.errHas) {
					t.Fatalf("Load(%q) err = %v, want %v mentioning %q", tt.id, err, tt.wantErr, tt.errHas)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if tr.Meta.ID != tt.want {
				t.Errorf("Load(%q) loaded %s, want %s", tt.id, tr.Meta.ID, tt.want)
			}
		})
	}
	t.Run("no sessions at all", func(t *testing.T) {
		t.Parallel()
		_, err := newStore(t).Load("x")
		if !errors.Is(err, ErrNotFound) || !errors.Is(err, ErrNoSessions) {
			t.Errorf("err = %v, want ErrNotFound and ErrNoSessions", err)
		}
	})
}

func TestAppendResumes(t *testing.T) {
	t.Parallel()
	s := newStore(t)
	id := create(t, s, Meta{}, user(1, `{"role":"user","content":"hi"}`))
	w, err := s.Append(id[:17])
	if err != nil {
		t.Fatal(err)
	}
	if w.ID() != id {
		t.Errorf("ID = %s, want %s", w.ID(), id)
	}
	if err := w.Append(assistant(1, `{"role":"assistant","content":"hello"}`)); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	if err := w.Append(assistant(1, `{}`)); !errors.Is(err, os.ErrClosed) {
		t.Errorf("Append after Close: err = %v, want os.ErrClosed", err)
	}
	tr := load(t, s, id)
	want := []string{`{"role":"user","content":"hi"}`, `{"role":"assistant","content":"hello"}`}
	if diff := cmp.Diff(want, raws(tr.Messages())); diff != "" {
		t.Errorf("mismatch (-want +got):\n%s", diff)
	}
	if _, err := s.Append("nope"); !errors.Is(err, ErrNotFound) {
		t.Errorf("Append(unknown) err = %v, want ErrNotFound", err)
	}
}
