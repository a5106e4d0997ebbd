package checkpoint

import (
	"errors"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// edit simulates a tool changing path during turn: the store sees the
// file before and after, as tool.Session.commit reports it.
func edit(t *testing.T, s *Store, path, content string) {
	t.Helper()
	s.BeforeChange(path)
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	s.AfterChange(path, []byte(content))
}

func read(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return "<absent>"
	}
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func blobs(t *testing.T, dir string) []string {
	t.Helper()
	des, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, de := range des {
		if isHash(de.Name()) {
			out = append(out, de.Name())
		}
	}
	return out
}

func TestRestoreToEachPrompt(t *testing.T) {
	t.Parallel()
	work, hist := t.TempDir(), filepath.Join(t.TempDir(), "fh")
	a, b := filepath.Join(work, "a.go"), filepath.Join(work, "sub", "b.go")
	if err := os.WriteFile(a, []byte("a0"), 0o600); err != nil {
		t.Fatal(err)
	}
	s, err := Open(hist, DefaultLimits())
	if err != nil {
		t.Fatal(err)
	}
	s.BeginTurn(1)
	edit(t, s, a, "a1")
	edit(t, s, a, "a1b") // a second change in the same prompt keeps the first snapshot
	s.BeginTurn(2)
	if err := os.MkdirAll(filepath.Dir(b), 0o755); err != nil {
		t.Fatal(err)
	}
	edit(t, s, b, "b2") // created by the model
	edit(t, s, a, "a2")
	s.BeginTurn(3) // a prompt without changes

	if diff := cmp.Diff(map[int][]string{1: {a}, 2: {b, a}}, s.Changed()); diff != "" {
		t.Errorf("Changed mismatch (-want +got):\n%s", diff)
	}
	rep, err := s.Restore(2, false)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(Report{Restored: []string{a}, Deleted: []string{b}}, rep); diff != "" {
		t.Errorf("report mismatch (-want +got):\n%s", diff)
	}
	if got := read(t, a) + "|" + read(t, b); got != "a1b|<absent>" {
		t.Errorf("after restoring to prompt 2: %s", got)
	}
	// Further back from there, and the mode of the file is kept.
	if _, err := s.Restore(1, false); err != nil {
		t.Fatal(err)
	}
	if got := read(t, a); got != "a0" {
		t.Errorf("after restoring to prompt 1: %q", got)
	}
	if fi, _ := os.Stat(a); fi.Mode().Perm() != 0o600 {
		t.Errorf("mode %v, want 0600 kept", fi.Mode().Perm())
	}
	// The history survives the restores: forward again is not possible
	// (the later content was never a "before"), but prompt 2 still is.
	rep, err = s.Restore(2, false)
	if err != nil {
		t.Fatal(err)
	}
	if got := read(t, a); got != "a1b" || len(rep.Skipped) != 0 {
		t.Errorf("restore to 2 after 1: %q, skipped %v", got, rep.Skipped)
	}
}

func TestIdenticalContentIsStoredOnce(t *testing.T) {
	t.Parallel()
	work, hist := t.TempDir(), t.TempDir()
	s, err := Open(hist, DefaultLimits())
	if err != nil {
		t.Fatal(err)
	}
	for i, name := range []string{"x", "y", "z"} {
		p := filepath.Join(work, name)
		if err := os.WriteFile(p, []byte("same header\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		s.BeginTurn(i + 1)
		edit(t, s, p, "changed "+name)
	}
	if got := blobs(t, hist); len(got) != 1 {
		t.Errorf("content files %v, want one for the three identical snapshots", got)
	}
}

func TestModifiedOutsideIsAskedFor(t *testing.T) {
	t.Parallel()
	work := t.TempDir()
	p := filepath.Join(work, "f")
	if err := os.WriteFile(p, []byte("v0"), 0o644); err != nil {
		t.Fatal(err)
	}
	s, err := Open(t.TempDir(), DefaultLimits())
	if err != nil {
		t.Fatal(err)
	}
	s.BeginTurn(1)
	edit(t, s, p, "v1")
	if err := os.WriteFile(p, []byte("the user's own edit"), 0o644); err != nil {
		t.Fatal(err)
	}
	plan, err := s.Plan(1)
	if err != nil {
		t.Fatal(err)
	}
	if len(plan) != 1 || !plan[0].Modified {
		t.Fatalf("plan %+v: want the file marked modified outside basalt", plan)
	}
	rep, err := s.Restore(1, false)
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Skipped) != 1 || !strings.Contains(rep.Skipped[0].Why, "outside basalt") || read(t, p) != "the user's own edit" {
		t.Fatalf("without consent: report %+v, file %q", rep, read(t, p))
	}
	rep, err = s.Restore(1, true)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{p}, rep.Restored); diff != "" || read(t, p) != "v0" {
		t.Fatalf("with consent: restored mismatch %s, file %q", diff, read(t, p))
	}
}

func TestBoundsDropOldestPrompts(t *testing.T) {
	t.Parallel()
	work, hist := t.TempDir(), t.TempDir()
	s, err := Open(hist, Limits{MaxFileBytes: 100, MaxBytes: 250, MaxTurns: 3})
	if err != nil {
		t.Fatal(err)
	}
	big := filepath.Join(work, "big")
	if err := os.WriteFile(big, []byte(strings.Repeat("b", 101)), 0o644); err != nil {
		t.Fatal(err)
	}
	s.BeginTurn(1)
	edit(t, s, big, "small now")
	plan, err := s.Plan(1)
	if err != nil {
		t.Fatal(err)
	}
	if len(plan) != 1 || !strings.Contains(plan[0].Unavailable, "larger") {
		t.Fatalf("over the per-file cap: plan %+v, want it unavailable", plan)
	}
	// Each prompt stores 100 distinct bytes: the third passes 250.
	for turn := 2; turn <= 4; turn++ {
		p := filepath.Join(work, "f"+string(rune('0'+turn)))
		if err := os.WriteFile(p, []byte(strings.Repeat(string(rune('a'+turn)), 100)), 0o644); err != nil {
			t.Fatal(err)
		}
		s.BeginTurn(turn)
		edit(t, s, p, "new")
	}
	if got := s.LostThrough(); got != 2 {
		t.Errorf("LostThrough = %d, want 2 (prompt 1 by count, prompt 2 by size)", got)
	}
	if _, err := s.Plan(2); !errors.Is(err, ErrLost) || !strings.Contains(err.Error(), "oldest prompt that can still restore code is 3") {
		t.Errorf("Plan(2) error %v, want ErrLost naming prompt 3", err)
	}
	if _, err := s.Plan(3); err != nil {
		t.Errorf("Plan(3): %v", err)
	}
	if got := len(blobs(t, hist)); got != 2 {
		t.Errorf("%d content files left, want the 2 still named", got)
	}
	// Reopened, the bounds hold the same.
	s2, err := Open(hist, Limits{MaxFileBytes: 100, MaxBytes: 250, MaxTurns: 3})
	if err != nil {
		t.Fatal(err)
	}
	if s2.LostThrough() != 2 || !slices.Equal(slices.Sorted(maps.Keys(s2.Changed())), []int{3, 4}) {
		t.Errorf("reopened: lost %d, changed %v", s2.LostThrough(), s2.Changed())
	}
}

func TestReopenKeepsHistory(t *testing.T) {
	t.Parallel()
	work, hist := t.TempDir(), t.TempDir()
	p := filepath.Join(work, "f")
	if err := os.WriteFile(p, []byte("orig"), 0o644); err != nil {
		t.Fatal(err)
	}
	s, err := Open(hist, DefaultLimits())
	if err != nil {
		t.Fatal(err)
	}
	s.BeginTurn(1)
	edit(t, s, p, "model's")

	s2, err := Open(hist, DefaultLimits())
	if err != nil {
		t.Fatal(err)
	}
	s2.BeginTurn(2)
	edit(t, s2, p, "model's again")
	rep, err := s2.Restore(1, false)
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Skipped) != 0 || read(t, p) != "orig" {
		t.Errorf("after reopening: report %+v, file %q", rep, read(t, p))
	}
}

func TestTornWriteLeavesPreviousState(t *testing.T) {
	t.Parallel()
	work, hist := t.TempDir(), t.TempDir()
	p, q := filepath.Join(work, "p"), filepath.Join(work, "q")
	for _, f := range []string{p, q} {
		if err := os.WriteFile(f, []byte("orig "+f), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	s, err := Open(hist, DefaultLimits())
	if err != nil {
		t.Fatal(err)
	}
	s.BeginTurn(1)
	edit(t, s, p, "p1")

	// The next index write dies half way: the temporary file holds half
	// the data and the rename never happens, as in a crash.
	s.writeFile = func(path string, data []byte, perm fs.FileMode) error {
		tmp := filepath.Join(filepath.Dir(path), "."+filepath.Base(path)+".torn")
		_ = os.WriteFile(tmp, data[:len(data)/2], perm)
		return errors.New("disk full")
	}
	s.BeginTurn(2)
	edit(t, s, q, "q2")
	if s.Problem() == nil {
		t.Error("Problem() = nil after a failed save")
	}

	s2, err := Open(hist, DefaultLimits())
	if err != nil {
		t.Fatalf("reopening after a torn write: %v", err)
	}
	if diff := cmp.Diff(map[int][]string{1: {p}}, s2.Changed()); diff != "" {
		t.Errorf("reopened history mismatch (-want +got):\n%s", diff)
	}
	if _, err := os.Stat(filepath.Join(hist, ".index.json.torn")); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("the torn temporary file was not cleaned up: %v", err)
	}
	if _, err := s2.Restore(1, false); err != nil || read(t, p) != "orig "+p {
		t.Errorf("restore from the previous state: %v, %q", err, read(t, p))
	}
}

func TestOrphanContentIsRemovedOnOpen(t *testing.T) {
	t.Parallel()
	hist := t.TempDir()
	orphan := filepath.Join(hist, hash([]byte("never indexed")))
	if err := os.WriteFile(orphan, []byte("never indexed"), 0o600); err != nil {
		t.Fatal(err)
	}
	keep := filepath.Join(hist, "notes.txt") // not ours: left alone
	if err := os.WriteFile(keep, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := Open(hist, DefaultLimits()); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(orphan); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("orphan content file kept: %v", err)
	}
	if _, err := os.Stat(keep); err != nil {
		t.Errorf("a file that is not ours was removed: %v", err)
	}
}

func TestCorruptIndexIsAnErrorAndKept(t *testing.T) {
	t.Parallel()
	hist := t.TempDir()
	idx := filepath.Join(hist, indexName)
	if err := os.WriteFile(idx, []byte(`{"version":1,"changes":[`), 0o600); err != nil {
		t.Fatal(err)
	}
	_, err := Open(hist, DefaultLimits())
	if err == nil || !strings.Contains(err.Error(), idx) {
		t.Fatalf("Open error %v, want one naming %s", err, idx)
	}
	if got := read(t, idx); got != `{"version":1,"changes":[` {
		t.Errorf("the index was changed: %q", got)
	}
}

func TestForkCopiesHistory(t *testing.T) {
	t.Parallel()
	work, root := t.TempDir(), t.TempDir()
	p := filepath.Join(work, "f")
	if err := os.WriteFile(p, []byte("orig"), 0o644); err != nil {
		t.Fatal(err)
	}
	src, dst := filepath.Join(root, "a"), filepath.Join(root, "b")
	s, err := Open(src, DefaultLimits())
	if err != nil {
		t.Fatal(err)
	}
	s.BeginTurn(1)
	edit(t, s, p, "changed")
	if err := Fork(src, dst); err != nil {
		t.Fatal(err)
	}
	f, err := Open(dst, DefaultLimits())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.Restore(1, false); err != nil || read(t, p) != "orig" {
		t.Errorf("restore from the fork: %v, %q", err, read(t, p))
	}
	if err := Fork(filepath.Join(root, "missing"), filepath.Join(root, "c")); err != nil {
		t.Errorf("fork of no history: %v", err)
	}
}

func TestCleanupFollowsSessions(t *testing.T) {
	t.Parallel()
	root := t.TempDir()
	now := time.Now()
	for _, id := range []string{"kept-old", "gone-old", "gone-new"} {
		dir := filepath.Join(root, id)
		if err := os.MkdirAll(dir, 0o700); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, indexName), []byte(`{"version":1}`), 0o600); err != nil {
			t.Fatal(err)
		}
		if strings.HasSuffix(id, "old") {
			old := now.Add(-40 * 24 * time.Hour)
			if err := os.Chtimes(filepath.Join(dir, indexName), old, old); err != nil {
				t.Fatal(err)
			}
		}
	}
	n, err := Cleanup(root, func(id string) bool { return id == "kept-old" }, 30*24*time.Hour, now)
	if err != nil || n != 1 {
		t.Fatalf("Cleanup = %d, %v; want 1", n, err)
	}
	for id, want := range map[string]bool{"kept-old": true, "gone-old": false, "gone-new": true} {
		_, err := os.Stat(filepath.Join(root, id))
		if (err == nil) != want {
			t.Errorf("%s: exists %v, want %v", id, err == nil, want)
		}
	}
}

// BenchmarkChange is the cost a file-writing tool call pays for its
// snapshot: the content kept (a 16 KiB file, distinct each time) and the
// index written twice, atomically, with 200 changes already recorded;
// "bounded" also drops the oldest prompt at every change (over 100).
func BenchmarkChange(b *testing.B) {
	b.Run("unbounded", func(b *testing.B) {
		benchChange(b, Limits{MaxFileBytes: 10 << 20, MaxBytes: 1 << 40, MaxTurns: 1 << 30})
	})
	b.Run("bounded", func(b *testing.B) { benchChange(b, DefaultLimits()) })
}

func benchChange(b *testing.B, lim Limits) {
	work, hist := b.TempDir(), b.TempDir()
	s, err := Open(hist, lim)
	if err != nil {
		b.Fatal(err)
	}
	p := filepath.Join(work, "f.go")
	body := strings.Repeat("x", 16<<10)
	for i := range 200 {
		s.BeginTurn(i/4 + 1)
		q := filepath.Join(work, "seed", string(rune('a'+i%26))+string(rune('a'+i/26)))
		_ = os.MkdirAll(filepath.Dir(q), 0o755)
		_ = os.WriteFile(q, []byte("seed"), 0o644)
		s.BeforeChange(q)
	}
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		s.BeginTurn(100 + i)
		content := []byte(body + string(rune(i)))
		_ = os.WriteFile(p, content, 0o644)
		s.BeforeChange(p)
		s.AfterChange(p, content)
	}
}
