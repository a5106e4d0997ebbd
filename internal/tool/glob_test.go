package tool

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestGlob(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{
		"main.go": "", "go.mod": "", "README.md": "",
		"internal/tool/read.go": "", "internal/tool/read.md": "", "internal/tool/sub/x.go": "",
		"cmd/basalt/main.go": "", ".github/ci.yml": "",
		"gen/out.go": "", ".gitignore": "gen/\n*.tmp\n", "a.tmp": "",
	})
	// read.go is the newest, main.go the oldest.
	order := []string{"main.go", "go.mod", "README.md", "cmd/basalt/main.go", "internal/tool/sub/x.go", "internal/tool/read.md", "internal/tool/read.go"}
	for i, name := range order {
		mt := time.Now().Add(time.Duration(i-len(order)) * time.Minute)
		os.Chtimes(filepath.Join(dir, name), mt, mt)
	}
	p := func(names ...string) string {
		for i, n := range names {
			names[i] = filepath.Join(dir, n)
		}
		return strings.Join(names, "\n")
	}
	tests := []struct {
		name    string
		input   map[string]any
		isError bool
		want    string
	}{
		{"top level only", map[string]any{"pattern": "*.go"}, false, p("main.go")},
		{"any depth, newest first", map[string]any{"pattern": "**/*.go"}, false, p("internal/tool/read.go", "internal/tool/sub/x.go", "cmd/basalt/main.go", "main.go")},
		{"literal directory prefix", map[string]any{"pattern": "internal/tool/*.{go,md}"}, false, p("internal/tool/read.go", "internal/tool/read.md")},
		{"path", map[string]any{"pattern": "*/main.go", "path": "cmd"}, false, p("cmd/basalt/main.go")},
		{"absolute pattern", map[string]any{"pattern": filepath.Join(dir, "internal", "**", "x.go")}, false, p("internal/tool/sub/x.go")},
		{"hidden files included", map[string]any{"pattern": "**/*.yml"}, false, p(".github/ci.yml")},
		{".gitignore honoured", map[string]any{"pattern": "**/*.tmp"}, false, "No files found."},
		{"explicit path into an ignored directory", map[string]any{"pattern": "gen/*.go"}, false, p("gen/out.go")},
		{"no match", map[string]any{"pattern": "**/*.rs"}, false, "No files found."},
		{"pattern required", map[string]any{}, true, "pattern is required"},
		{"bad pattern", map[string]any{"pattern": "[a-"}, true, "invalid pattern"},
		{"missing path", map[string]any{"pattern": "*", "path": "cmdd"}, true, "Did you mean " + filepath.Join(dir, "cmd") + "/"},
		{"path is a file", map[string]any{"pattern": "*", "path": "go.mod"}, true, "not a directory"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s := newSession(t, dir)
			res := call(t, s, Glob{}, tt.input)
			if res.IsError != tt.isError || (!tt.isError && res.Content != tt.want) || (tt.isError && !strings.Contains(res.Content, tt.want)) {
				t.Errorf("got (error %v):\n%s\nwant (error %v):\n%s", res.IsError, res.Content, tt.isError, tt.want)
			}
		})
	}
}

func TestGlobCapped(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	files := map[string]string{}
	for i := range 150 {
		files[fmt.Sprintf("d%d/f%03d.txt", i%7, i)] = ""
	}
	writeFiles(t, dir, files)
	res := call(t, newSession(t, dir), Glob{}, map[string]any{"pattern": "**/*.txt"})
	if n := strings.Count(res.Content, ".txt\n"); n != globMaxResults {
		t.Errorf("%d paths listed, want %d", n, globMaxResults)
	}
	wantResult(t, res, false, "150 files match")
}
