package tool

import (
	"crypto/sha256"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestRead(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	var long strings.Builder
	for i := 1; i <= 2500; i++ {
		fmt.Fprintf(&long, "line %d\n", i)
	}
	writeFiles(t, dir, map[string]string{
		"a.txt":         "alpha\nbeta\ngamma\n",
		"noeol.txt":     "one\ntwo",
		"long.txt":      long.String(),
		"wide.txt":      strings.Repeat("é", 2500) + "\nshort\n",
		"huge.txt":      strings.Repeat("x", 200_000) + "\nafter\n",
		"crlf.txt":      "one\r\ntwo\r\n",
		"empty.txt":     "",
		"bin.dat":       "PNG\x00\x01\x02",
		"sub/inner.txt": "inner\n",
		"config.yaml":   "k: v\n",
	})
	tests := []struct {
		name    string
		input   any
		isError bool
		want    []string
		notWant []string
	}{
		{"numbered like cat -n", map[string]any{"file_path": filepath.Join(dir, "a.txt")}, false,
			[]string{"     1\talpha\n     2\tbeta\n     3\tgamma\n"}, []string{"showing"}},
		{"relative to the working directory", map[string]any{"file_path": "a.txt"}, false, []string{"     2\tbeta"}, nil},
		{"last line without newline", map[string]any{"file_path": "noeol.txt"}, false, []string{"     2\ttwo"}, nil},
		{"offset and limit", map[string]any{"file_path": "long.txt", "offset": 10, "limit": 2}, false,
			[]string{"    10\tline 10\n    11\tline 11\n", "showing lines 10-11 of 2500"}, []string{"line 12\n"}},
		{"2000 lines by default", map[string]any{"file_path": "long.txt"}, false,
			[]string{"  2000\tline 2000\n", "showing lines 1-2000 of 2500"}, []string{"line 2001"}},
		{"offset past the end", map[string]any{"file_path": "a.txt", "offset": 4}, true, []string{"offset 4 is past the end", "has 3 lines"}, nil},
		{"long line cut", map[string]any{"file_path": "wide.txt"}, false,
			[]string{strings.Repeat("é", 2000) + "… [line cut: 2500 characters]", "     2\tshort"}, nil},
		{"line longer than the read buffer", map[string]any{"file_path": "huge.txt"}, false,
			[]string{"… [line cut: 200001 bytes]", "     2\tafter"}, nil},
		{"CRLF shown without CR", map[string]any{"file_path": "crlf.txt"}, false, []string{"     1\tone\n     2\ttwo\n"}, []string{"\r"}},
		{"empty file", map[string]any{"file_path": "empty.txt"}, false, []string{"is empty"}, nil},
		{"binary file", map[string]any{"file_path": "bin.dat"}, true, []string{"binary file"}, nil},
		{"directory", map[string]any{"file_path": "sub"}, true, []string{"is a directory", "LS"}, nil},
		{"missing file suggests names", map[string]any{"file_path": "config.yml"}, true,
			[]string{"does not exist", filepath.Join(dir, "config.yaml")}, nil},
		{"missing directory", map[string]any{"file_path": "nope/x.go"}, true,
			[]string{"directory " + filepath.Join(dir, "nope") + " does not exist", "closest existing ancestor is " + dir}, nil},
		{"file_path required", map[string]any{}, true, []string{"file_path is required"}, nil},
		{"unknown field", `{"file_path":"a.txt","path":"x"}`, true, []string{`unknown field "path"`}, nil},
		{"wrong type", `{"file_path":"a.txt","limit":"ten"}`, true, []string{`field "limit" must be a number`}, nil},
		{"negative limit", map[string]any{"file_path": "a.txt", "limit": -1}, true, []string{"positive"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s := newSession(t, dir)
			res := call(t, s, Read{}, tt.input)
			wantResult(t, res, tt.isError, tt.want...)
			for _, nw := range tt.notWant {
				if strings.Contains(res.Content, nw) {
					t.Errorf("content contains %q:\n%s", nw, res.Content)
				}
			}
		})
	}
}

func TestReadRecordsFile(t *testing.T) {
	t.Parallel()
	s := newSession(t, "")
	p := filepath.Join(s.WorkDir(), "f.txt")
	writeFiles(t, s.WorkDir(), map[string]string{"f.txt": "hello\nworld\n"})
	if _, ok := s.Record(p); ok {
		t.Fatal("record before any read")
	}
	// A partial read records the whole file: Edit may then change any part.
	call(t, s, Read{}, map[string]any{"file_path": p, "limit": 1})
	rec, ok := s.Record(p)
	if !ok {
		t.Fatal("no record after Read")
	}
	fi, _ := os.Stat(p)
	if rec.SHA256 != sha256.Sum256([]byte("hello\nworld\n")) || rec.Size != 12 || !rec.ModTime.Equal(fi.ModTime()) {
		t.Errorf("record = %+v, want the file's size, mtime and hash", rec)
	}
}
