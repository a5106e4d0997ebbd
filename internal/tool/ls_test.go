package tool

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"
)

func TestLS(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{
		"go.mod": "", "main.go": "", ".env": "", ".gitignore": "bin/\n*.log\n",
		"bin/app": "", "x.log": "", ".git/HEAD": "",
		"internal/tool/read.go": "", "internal/tool/read_test.go": "", "docs/a.md": "", "empty/.keep": "",
	})
	tests := []struct {
		name    string
		input   map[string]any
		isError bool
		want    string
	}{
		{"tree", map[string]any{"path": dir}, false, dir + `/
  .env
  .gitignore
  docs/
    a.md
  empty/
    .keep
  go.mod
  internal/
    tool/
      read.go
      read_test.go
  main.go`},
		{"ignore globs", map[string]any{"path": dir, "ignore": []string{"*_test.go", "docs", ".*"}}, false, dir + `/
  empty/
  go.mod
  internal/
    tool/
      read.go
  main.go`},
		{"subdirectory, relative", map[string]any{"path": "internal"}, false, filepath.Join(dir, "internal") + "/\n  tool/\n    read.go\n    read_test.go"},
		{"default is the working directory", map[string]any{"path": "", "ignore": []string{"*"}}, false, dir + "/\n  (empty)"},
		{"a file", map[string]any{"path": "go.mod"}, true, "is a file"},
		{"missing", map[string]any{"path": "doc"}, true, "Did you mean " + filepath.Join(dir, "docs") + "/"},
		{"bad ignore glob", map[string]any{"path": dir, "ignore": []string{"[x"}}, true, "invalid ignore pattern"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			res := call(t, newSession(t, dir), LS{}, tt.input)
			if res.IsError != tt.isError || (!tt.isError && res.Content != tt.want) || (tt.isError && !strings.Contains(res.Content, tt.want)) {
				t.Errorf("got (error %v):\n%s\nwant (error %v):\n%s", res.IsError, res.Content, tt.isError, tt.want)
			}
		})
	}
}

func TestLSCapped(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	files := map[string]string{}
	for i := range 30 {
		for j := range 40 {
			files[fmt.Sprintf("d%02d/f%02d", i, j)] = ""
		}
	}
	files["top.txt"] = ""
	writeFiles(t, dir, files)
	res := call(t, newSession(t, dir), LS{}, map[string]any{"path": dir})
	lines := strings.Split(res.Content, "\n")
	// root line + 1000 entries + note
	if len(lines) != lsMaxEntries+2 {
		t.Errorf("%d lines, want %d", len(lines), lsMaxEntries+2)
	}
	// Breadth first: every top-level entry is there, unlisted ones marked.
	wantResult(t, res, false, "  top.txt\n", "  d29/ …\n", "listing stopped at 1000 entries")
}
