package tool

import (
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// backends returns the Grep sessions to test on dir: the pure-Go search
// always, rg when it is installed.
func backends(t *testing.T, dir string) map[string]*Session {
	t.Helper()
	out := map[string]*Session{"go": newSession(t, dir, func(o *SessionOptions) { o.NoRipgrep = true })}
	if s := newSession(t, dir); s.UsesRipgrep() {
		out["rg"] = s
	}
	return out
}

func TestGrepErrors(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{"a.txt": "hello\n", "bin.dat": "x\x00y hello"})
	tests := []struct {
		name  string
		input map[string]any
		want  string
	}{
		{"pattern required", map[string]any{}, "pattern is required"},
		{"invalid regexp", map[string]any{"pattern": "a("}, "invalid regular expression"},
		{"newline without multiline", map[string]any{"pattern": `a\nb`}, "multiline"},
		{"unknown output mode", map[string]any{"pattern": "a", "output_mode": "lines"}, "not one of content"},
		{"unknown type", map[string]any{"pattern": "a", "type": "golang"}, `unknown type "golang"`},
		{"negative context", map[string]any{"pattern": "a", "-A": -1}, "cannot be negative"},
		{"invalid glob", map[string]any{"pattern": "a", "glob": "{a,b"}, "invalid glob"},
		{"missing path", map[string]any{"pattern": "a", "path": "a.text"}, "Did you mean " + filepath.Join(dir, "a.txt")},
		{"binary file", map[string]any{"pattern": "hello", "path": "bin.dat"}, "binary file"},
		{"unknown field", map[string]any{"pattern": "a", "-x": true}, `unknown field "-x"`},
	}
	for name, s := range backends(t, dir) {
		for _, tt := range tests {
			t.Run(name+"/"+tt.name, func(t *testing.T) {
				wantResult(t, call(t, s, Grep{}, tt.input), true, tt.want)
			})
		}
	}
}

func TestGrepTooMuch(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{"a.txt": strings.Repeat("match me\n", 500), "b.txt": "match\n"})
	for name, s := range backends(t, dir) {
		s.grepMaxCollect = 1000
		t.Run(name, func(t *testing.T) {
			wantResult(t, call(t, s, Grep{}, map[string]any{"pattern": "match", "output_mode": "content"}), true, "too many lines")
			wantResult(t, call(t, s, Grep{}, map[string]any{"pattern": "match", "output_mode": "content", "path": "b.txt"}), false, "b.txt:1:match")
		})
	}
}

func TestGrepOutput(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{
		"old.go":     "package x\n// TODO: one\n",
		"new.go":     "package x\n// TODO: two\n// todo: three\n",
		"mid.md":     "TODO\n",
		"ignored.go": "// TODO\n",
		".gitignore": "ignored.go\n",
	})
	base := time.Now().Add(-time.Hour)
	for i, name := range []string{"old.go", "mid.md", "new.go"} {
		mt := base.Add(time.Duration(i) * time.Minute)
		os.Chtimes(filepath.Join(dir, name), mt, mt)
	}
	p := func(name string) string { return filepath.Join(dir, name) }
	tests := []struct {
		name  string
		input map[string]any
		want  string
	}{
		{"files, newest first", map[string]any{"pattern": "TODO"},
			"Found 3 files\n" + p("new.go") + "\n" + p("mid.md") + "\n" + p("old.go")},
		{"content", map[string]any{"pattern": "TODO", "output_mode": "content", "type": "go"},
			p("new.go") + ":2:// TODO: two\n" + p("old.go") + ":2:// TODO: one"},
		{"content without line numbers, ignoring case", map[string]any{"pattern": "todo", "output_mode": "content", "-n": false, "-i": true, "glob": "new.*"},
			p("new.go") + ":// TODO: two\n" + p("new.go") + ":// todo: three"},
		{"context", map[string]any{"pattern": "two", "output_mode": "content", "-B": 1},
			p("new.go") + "-1-package x\n" + p("new.go") + ":2:// TODO: two"},
		{"count", map[string]any{"pattern": "(?i)todo", "output_mode": "count", "type": "go"},
			p("new.go") + ":2\n" + p("old.go") + ":1\n\nFound 3 matching lines in 2 files."},
		{"head_limit and offset", map[string]any{"pattern": "TODO", "head_limit": 1, "offset": 1},
			"Found 3 files\n" + p("mid.md") + "\n\n(showing entries 2-2 of 3; use offset and head_limit to see others, or narrow the search)"},
		{"a glob overrides .gitignore", map[string]any{"pattern": "TODO", "glob": "ignored.go"},
			"Found 1 file\n" + p("ignored.go")},
		{"a file path", map[string]any{"pattern": "TODO", "path": "old.go", "output_mode": "content"},
			p("old.go") + ":2:// TODO: one"},
		{"no match", map[string]any{"pattern": "FIXME"}, "No matches found."},
	}
	for name, s := range backends(t, dir) {
		for _, tt := range tests {
			t.Run(name+"/"+tt.name, func(t *testing.T) {
				res := call(t, s, Grep{}, tt.input)
				if res.IsError || res.Content != tt.want {
					t.Errorf("mismatch (-want +got):\n%s", cmp.Diff(tt.want, res.Content))
				}
			})
		}
	}
}

// genTree writes a pseudo-random tree that exercises everything the two
// search paths must agree on: nested and parent .gitignore files with
// negations, anchors and directory rules, .ignore, .git/info/exclude, a
// nested repository, hidden files, binary files (NUL early and past the
// first 64 KiB), CRLF, missing final newlines, long lines, empty files,
// non-ASCII text and symlinks.
func genTree(t *testing.T, root string) {
	t.Helper()
	r := rand.New(rand.NewPCG(7, 11))
	words := []string{"alpha", "Beta", "gamma", "delta", "func", "return", "TODO", "fixme", "Kelvin", "straße",
		"error", "Error", "errors.New", "x := 1", "if err != nil {", "}", "foo_bar", "FooBar", "naïve", "//", "0x1F", "a.b", "tab\there"}
	line := func() string {
		n := 1 + r.IntN(6)
		parts := make([]string, n)
		for i := range parts {
			parts[i] = words[r.IntN(len(words))]
		}
		return strings.Repeat(" ", r.IntN(3)*2) + strings.Join(parts, " ")
	}
	body := func(lines int) string {
		var b strings.Builder
		for range lines {
			b.WriteString(line())
			b.WriteByte('\n')
		}
		return b.String()
	}
	exts := []string{".go", ".py", ".md", ".txt", ".js", ".ts", ".log", ".json", ".yaml", ".rs", ""}
	files := map[string]string{}
	var dirs = []string{"", "src", "src/pkg", "src/pkg/deep", "docs", "build", "vendor/lib", ".hidden", "a b", "nested", "nested/inner", "out/x"}
	for _, d := range dirs {
		for i := range 6 {
			name := fmt.Sprintf("f%d%s", i, exts[r.IntN(len(exts))])
			if d != "" {
				name = d + "/" + name
			}
			files[name] = body(r.IntN(40))
		}
	}
	files[".gitignore"] = "*.log\nbuild/\n/out/\n!keep.log\nvendor/**/f1*\n# comment\n*.tmp\n"
	files["keep.log"] = body(5)
	files["src/.gitignore"] = "f2.*\n!f2.go\ndeep/\n"
	files["src/pkg/.ignore"] = "f3*\n"
	files["docs/.gitignore"] = "*.md\n"
	files[".git/info/exclude"] = "f4.*\n"
	files[".git/HEAD"] = "alpha Beta gamma\n"
	files["nested/.git/HEAD"] = "alpha\n"
	files["nested/.gitignore"] = "inner/f0*\n"
	files["crlf.txt"] = strings.ReplaceAll(body(10), "\n", "\r\n")
	files["noeol.go"] = strings.TrimSuffix(body(3), "\n")
	files["empty.txt"] = ""
	files["long.js"] = strings.Repeat("alpha Beta TODO ", 400) + "\n" + body(2)
	files["bin_early.dat"] = "alpha\x00Beta TODO\n" + body(3)
	files["bin_late.txt"] = body(3000) + "\x00" + body(2)
	files["unicode.txt"] = "KELVIN \u212a sign\nſtraße\nNAÏVE naïve\n"
	files["x.tmp"] = body(3)
	writeFiles(t, root, files)
	os.Symlink("src", filepath.Join(root, "link-to-src"))
	os.Symlink("keep.log", filepath.Join(root, "link.txt"))
	// Distinct modification times, so the newest-first order is defined.
	i := 0
	filepath.WalkDir(root, func(p string, d os.DirEntry, err error) error {
		if err == nil && d.Type().IsRegular() {
			mt := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC).Add(time.Duration(r.IntN(1_000_000)+i) * time.Second)
			os.Chtimes(p, mt, mt)
			i++
		}
		return nil
	})
}

// TestGrepBackendsAgree runs the same queries through rg and the pure-Go
// search on a generated tree and requires identical results.
func TestGrepBackendsAgree(t *testing.T) {
	t.Parallel()
	parent := t.TempDir()
	// A .gitignore above the searched tree applies inside it.
	writeFiles(t, parent, map[string]string{".gitignore": "f5.*\n"})
	root := filepath.Join(parent, "repo")
	genTree(t, root)
	b := backends(t, root)
	if b["rg"] == nil {
		t.Skip("rg not installed")
	}
	queries := []map[string]any{
		{"pattern": "alpha"},
		{"pattern": "TODO", "output_mode": "content"},
		{"pattern": "TODO", "output_mode": "count"},
		{"pattern": `err != nil`, "output_mode": "content", "-C": 2},
		{"pattern": `^\s*func`, "output_mode": "content", "-A": 1},
		{"pattern": `gamma$`, "output_mode": "content", "-B": 3},
		{"pattern": `\bFoo\w+`, "output_mode": "count"},
		{"pattern": `errors?\.New|fixme`, "output_mode": "content"},
		{"pattern": "error", "-i": true, "output_mode": "count"},
		{"pattern": "kelvin", "-i": true, "output_mode": "content"},
		{"pattern": "STRASSE|straße", "-i": true, "output_mode": "content"},
		{"pattern": "naïve", "-i": true, "output_mode": "content"},
		{"pattern": `a\.b`, "glob": "*.go", "output_mode": "count"},
		{"pattern": "delta", "glob": "!*.md", "output_mode": "count"},
		{"pattern": "delta", "glob": "src/**/*.{go,py}"},
		{"pattern": "delta", "glob": "*.log", "output_mode": "count"},
		{"pattern": "Beta", "type": "go", "output_mode": "count"},
		{"pattern": "Beta", "type": "md"},
		{"pattern": "Beta", "type": "js", "glob": "!long.js", "output_mode": "count"},
		{"pattern": "return", "path": "src", "output_mode": "content"},
		{"pattern": "return", "path": "nested/inner", "output_mode": "count"},
		{"pattern": "alpha", "path": "crlf.txt", "output_mode": "content"},
		{"pattern": "alpha$", "path": "crlf.txt", "output_mode": "content"},
		{"pattern": "TODO", "path": "long.js", "output_mode": "content"},
		{"pattern": `gamma\s+delta`, "multiline": true, "output_mode": "content"},
		{"pattern": `\}\n\s*return`, "multiline": true, "output_mode": "count"},
		{"pattern": `alpha.{0,40}Beta`, "multiline": true, "output_mode": "content", "-A": 1},
		{"pattern": `^`, "output_mode": "count"},
		{"pattern": `x*`, "path": "noeol.go", "output_mode": "content"},
		{"pattern": "nothing matches this", "output_mode": "content"},
		{"pattern": "Beta", "output_mode": "content", "head_limit": 15, "offset": 5},
		{"pattern": `[[:upper:]]{4,}`, "output_mode": "count"},
		{"pattern": `\d+`, "output_mode": "count"},
		{"pattern": `tab\there`, "output_mode": "count"},
	}
	nonEmpty := 0
	for _, q := range queries {
		rg := call(t, b["rg"], Grep{}, q)
		gp := call(t, b["go"], Grep{}, q)
		if diff := cmp.Diff(rg, gp); diff != "" {
			t.Errorf("query %v: results differ (-rg +go):\n%s", q, diff)
		}
		if !rg.IsError && rg.Content != "No matches found." {
			nonEmpty++
		}
	}
	if nonEmpty < len(queries)-2 {
		t.Errorf("only %d of %d queries matched anything: the tree does not exercise the search", nonEmpty, len(queries))
	}
	// The tree's traps work: ignored, binary, hidden and .git files.
	got := call(t, b["go"], Grep{}, map[string]any{"pattern": "alpha|Beta|TODO|gamma"}).Content
	for _, want := range []string{"/.hidden/", "keep.log", "/nested/"} {
		if !strings.Contains(got, want) {
			t.Errorf("results lack %q", want)
		}
	}
	// The .gitignore above the repository root does not apply in it.
	if !strings.Contains(got, "/f5.") {
		t.Errorf("results lack every f5 file")
	}
	for _, bad := range []string{"/build/", "/out/", "bin_early", "bin_late", "/.git/", "link-to-src", "link.txt", "x.tmp", "src/pkg/deep/", "repo/f4.", "src/f4."} {
		if strings.Contains(got, bad) {
			t.Errorf("results contain %q, which should be skipped", bad)
		}
	}
}

// A session whose rg has gone away searches with Go instead of failing.
func TestGrepRipgrepMissing(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{"a.txt": "needle\n"})
	s := newSession(t, dir, func(o *SessionOptions) { o.Ripgrep = filepath.Join(dir, "no-rg") })
	if !s.UsesRipgrep() {
		t.Fatal("session does not use the configured rg")
	}
	wantResult(t, call(t, s, Grep{}, map[string]any{"pattern": "needle"}), false, "Found 1 file\n"+filepath.Join(dir, "a.txt"))
}
