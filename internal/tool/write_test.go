package tool

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestWrite(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		files   map[string]string
		read    []string // files to Read first
		setup   func(t *testing.T, dir string)
		input   map[string]any
		isError bool
		want    []string
		after   map[string]string // expected file contents afterwards
	}{
		{name: "creates a file and its parents",
			input: map[string]any{"file_path": "a/b/new.txt", "content": "hi\n"},
			want:  []string{"Created", "1 lines"}, after: map[string]string{"a/b/new.txt": "hi\n"}},
		{name: "empty content writes an empty file",
			input: map[string]any{"file_path": "empty.txt", "content": ""},
			want:  []string{"Created"}, after: map[string]string{"empty.txt": ""}},
		{name: "existing file not read", files: map[string]string{"f.txt": "old\n"},
			input: map[string]any{"file_path": "f.txt", "content": "new\n"}, isError: true,
			want: []string{"has not been read"}, after: map[string]string{"f.txt": "old\n"}},
		{name: "existing file read first", files: map[string]string{"f.txt": "old\n"}, read: []string{"f.txt"},
			input: map[string]any{"file_path": "f.txt", "content": "new\n"},
			want:  []string{"Wrote"}, after: map[string]string{"f.txt": "new\n"}},
		{name: "changed on disk since read", files: map[string]string{"f.txt": "old\n"}, read: []string{"f.txt"},
			setup: func(t *testing.T, dir string) { writeFiles(t, dir, map[string]string{"f.txt": "someone else\n"}) },
			input: map[string]any{"file_path": "f.txt", "content": "new\n"}, isError: true,
			want: []string{"changed on disk", "Read it again"}, after: map[string]string{"f.txt": "someone else\n"}},
		{name: "touched but unchanged is fine", files: map[string]string{"f.txt": "old\n"}, read: []string{"f.txt"},
			setup: func(t *testing.T, dir string) {
				future := time.Now().Add(time.Hour)
				os.Chtimes(filepath.Join(dir, "f.txt"), future, future)
			},
			input: map[string]any{"file_path": "f.txt", "content": "new\n"},
			after: map[string]string{"f.txt": "new\n"}},
		{name: "CRLF file stays CRLF", files: map[string]string{"w.txt": "a\r\nb\r\n"}, read: []string{"w.txt"},
			input: map[string]any{"file_path": "w.txt", "content": "x\ny\n"},
			after: map[string]string{"w.txt": "x\r\ny\r\n"}},
		{name: "same content writes nothing", files: map[string]string{"f.txt": "same\n"}, read: []string{"f.txt"},
			input: map[string]any{"file_path": "f.txt", "content": "same\n"}, want: []string{"nothing was written"}},
		{name: "directory", files: map[string]string{"d/x": ""},
			input: map[string]any{"file_path": "d", "content": "x"}, isError: true, want: []string{"is a directory"}},
		{name: "content required", input: map[string]any{"file_path": "f.txt"}, isError: true, want: []string{"content is required"}},
		{name: "file_path required", input: map[string]any{"content": "x"}, isError: true, want: []string{"file_path is required"}},
		{name: "parent is a file", files: map[string]string{"plain": "x"},
			input: map[string]any{"file_path": "plain/child.txt", "content": "x"}, isError: true, want: []string{"cannot write"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s := newSession(t, "")
			dir := s.WorkDir()
			writeFiles(t, dir, tt.files)
			for _, f := range tt.read {
				call(t, s, Read{}, map[string]any{"file_path": f})
			}
			if tt.setup != nil {
				tt.setup(t, dir)
			}
			res := call(t, s, Write{}, tt.input)
			wantResult(t, res, tt.isError, tt.want...)
			for name, want := range tt.after {
				if got := readFile(t, filepath.Join(dir, name)); got != want {
					t.Errorf("%s = %q, want %q", name, got, want)
				}
			}
		})
	}
}

func TestWriteKeepsModeAndSymlink(t *testing.T) {
	t.Parallel()
	s := newSession(t, "")
	dir := s.WorkDir()
	writeFiles(t, dir, map[string]string{"run.sh": "#!/bin/sh\n"})
	script := filepath.Join(dir, "run.sh")
	os.Chmod(script, 0o750)
	link := filepath.Join(dir, "link.sh")
	if err := os.Symlink("run.sh", link); err != nil {
		t.Fatal(err)
	}
	call(t, s, Read{}, map[string]any{"file_path": link})
	wantResult(t, call(t, s, Write{}, map[string]any{"file_path": link, "content": "#!/bin/sh\necho hi\n"}), false)
	if fi, err := os.Lstat(link); err != nil || fi.Mode()&os.ModeSymlink == 0 {
		t.Errorf("link.sh is no longer a symlink")
	}
	fi, _ := os.Stat(script)
	if fi.Mode().Perm() != 0o750 {
		t.Errorf("mode = %v, want 0750", fi.Mode().Perm())
	}
	if got := readFile(t, script); got != "#!/bin/sh\necho hi\n" {
		t.Errorf("target = %q", got)
	}
	// A new file gets 0644.
	call(t, s, Write{}, map[string]any{"file_path": "new.txt", "content": "x"})
	if fi, _ := os.Stat(filepath.Join(dir, "new.txt")); fi.Mode().Perm() != newFileMode {
		t.Errorf("new file mode = %v, want %v", fi.Mode().Perm(), newFileMode)
	}
}

// A crash between writing the temporary file and renaming it must leave
// the old file whole and no temporary file behind.
func TestWriteAtomicity(t *testing.T) {
	t.Parallel()
	for _, tl := range []Tool{Write{}, Edit{}, MultiEdit{}} {
		t.Run(tl.Name(), func(t *testing.T) {
			t.Parallel()
			s := newSession(t, "")
			dir := s.WorkDir()
			writeFiles(t, dir, map[string]string{"f.txt": "old content\n"})
			call(t, s, Read{}, map[string]any{"file_path": "f.txt"})
			var tmp string
			s.rename = func(oldpath, newpath string) error {
				tmp = oldpath
				if got := readFile(t, oldpath); !strings.Contains(got, "new") {
					t.Errorf("temporary file holds %q before the rename", got)
				}
				return errors.New("simulated crash")
			}
			var in map[string]any
			switch tl.(type) {
			case Write:
				in = map[string]any{"file_path": "f.txt", "content": "new content\n"}
			case Edit:
				in = map[string]any{"file_path": "f.txt", "old_string": "old", "new_string": "new"}
			case MultiEdit:
				in = map[string]any{"file_path": "f.txt", "edits": []map[string]any{{"old_string": "old", "new_string": "new"}}}
			}
			wantResult(t, call(t, s, tl, in), true, "simulated crash")
			if got := readFile(t, filepath.Join(dir, "f.txt")); got != "old content\n" {
				t.Errorf("file = %q after a failed rename", got)
			}
			if tmp == "" || filepath.Dir(tmp) != dir {
				t.Errorf("temporary file %q is not beside the target", tmp)
			}
			entries, _ := os.ReadDir(dir)
			if len(entries) != 1 {
				t.Errorf("directory holds %d entries, want only f.txt: %v", len(entries), entries)
			}
			// The record still describes the old content: a retry works.
			s.rename = os.Rename
			wantResult(t, call(t, s, tl, in), false)
		})
	}
}
