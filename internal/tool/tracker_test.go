package tool

import (
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// recorder is a ChangeTracker that notes each call with what the file
// held at that moment.
type recorder struct {
	mu    sync.Mutex
	calls []string
}

func (r *recorder) BeforeChange(path string) {
	b, err := os.ReadFile(path)
	state := string(b)
	if err != nil {
		state = "<absent>"
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	r.calls = append(r.calls, "before "+filepath.Base(path)+": "+state)
}

func (r *recorder) AfterChange(path string, content []byte) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.calls = append(r.calls, "after "+filepath.Base(path)+": "+string(content))
}

// Every file-writing tool reports the file before and after its change,
// so /rewind can undo it; a refused change reports nothing.
func TestFileWritingToolsReportChanges(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{"a.txt": "one\n", "b.txt": "x\n"})
	s := newSession(t, dir)
	r := &recorder{}
	s.SetChangeTracker(r)

	wantResult(t, call(t, s, Write{}, map[string]any{"file_path": "new.txt", "content": "hi\n"}), false)
	wantResult(t, call(t, s, Edit{}, map[string]any{"file_path": "a.txt", "old_string": "one", "new_string": "two"}), true, "has not been read")
	call(t, s, Read{}, map[string]any{"file_path": "a.txt"})
	wantResult(t, call(t, s, Edit{}, map[string]any{"file_path": "a.txt", "old_string": "one", "new_string": "two"}), false)
	call(t, s, Read{}, map[string]any{"file_path": "b.txt"})
	wantResult(t, call(t, s, MultiEdit{}, map[string]any{"file_path": "b.txt", "edits": []map[string]any{{"old_string": "x", "new_string": "y"}}}), false)

	want := []string{
		"before new.txt: <absent>", "after new.txt: hi\n",
		"before a.txt: one\n", "after a.txt: two\n",
		"before b.txt: x\n", "after b.txt: y\n",
	}
	if diff := cmp.Diff(want, r.calls); diff != "" {
		t.Errorf("tracker calls mismatch (-want +got):\n%s", diff)
	}
}

// A change through a symlink is reported under the file it changes.
func TestTrackedPathIsResolved(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{"real.txt": "v\n"})
	if err := os.Symlink(filepath.Join(dir, "real.txt"), filepath.Join(dir, "link.txt")); err != nil {
		t.Skip(err)
	}
	s := newSession(t, dir)
	var got []string
	s.SetChangeTracker(trackerFunc(func(p string) { got = append(got, p) }))
	call(t, s, Read{}, map[string]any{"file_path": "link.txt"})
	wantResult(t, call(t, s, Write{}, map[string]any{"file_path": "link.txt", "content": "w\n"}), false)
	real, _ := filepath.EvalSymlinks(filepath.Join(dir, "real.txt"))
	if diff := cmp.Diff([]string{real, real}, got); diff != "" {
		t.Errorf("paths mismatch (-want +got):\n%s", diff)
	}
}

type trackerFunc func(path string)

func (f trackerFunc) BeforeChange(path string)          { f(path) }
func (f trackerFunc) AfterChange(path string, _ []byte) { f(path) }
