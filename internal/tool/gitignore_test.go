package tool

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

func TestIgnoreRules(t *testing.T) {
	t.Parallel()
	tests := []struct {
		rules string
		path  string
		dir   bool
		want  matchResult
	}{
		{"*.o", "a.o", false, matchIgnore},
		{"*.o", "deep/er/a.o", false, matchIgnore},
		{"*.o", "a.oo", false, matchNone},
		{"/build", "build", true, matchIgnore},
		{"/build", "src/build", true, matchNone},
		{"build/", "build", true, matchIgnore},
		{"build/", "build", false, matchNone},
		{"build/", "src/build", true, matchIgnore},
		{"doc/*.txt", "doc/a.txt", false, matchIgnore},
		{"doc/*.txt", "doc/x/a.txt", false, matchNone},
		{"doc/*.txt", "x/doc/a.txt", false, matchNone},
		{"**/foo", "foo", false, matchIgnore},
		{"**/foo", "a/b/foo", false, matchIgnore},
		{"**/foo/bar", "x/foo/bar", false, matchIgnore},
		{"a/**/b", "a/b", false, matchIgnore},
		{"a/**/b", "a/x/y/b", false, matchIgnore},
		{"a/**/b", "a/x/y/c", false, matchNone},
		{"abc/**", "abc/x/y", false, matchIgnore},
		{"abc/**", "abc", true, matchNone},
		{"*.o\n!keep.o", "keep.o", false, matchWhitelist},
		{"*.o\n!keep.o", "other.o", false, matchIgnore},
		{"!keep.o\n*.o", "keep.o", false, matchIgnore},
		{`\#file`, "#file", false, matchIgnore},
		{"# comment", "# comment", false, matchNone},
		{`\!bang`, "!bang", false, matchIgnore},
		{"[a-c].txt", "b.txt", false, matchIgnore},
		{"[a-c].txt", "d.txt", false, matchNone},
		{"[!a].txt", "b.txt", false, matchIgnore},
		{"[!a].txt", "a.txt", false, matchNone},
		{"[^a].txt", "a.txt", false, matchNone},
		{"trailing   ", "trailing", false, matchIgnore},
		{`space\ `, "space ", false, matchIgnore},
		{"?.go", "a.go", false, matchIgnore},
		{"?.go", "ab.go", false, matchNone},
		{"?.go", "é.go", false, matchIgnore},
		{"*", "anything/at/all", false, matchIgnore},
		{"**", "x/y", false, matchIgnore},
		{"foo*bar", "foobar", false, matchIgnore},
		{"foo*bar", "fooxxbar", false, matchIgnore},
		{"foo*bar", "foo/bar", false, matchNone},
		{"*.{go,md}", "x.md", false, matchIgnore},
		{"\r\n*.log\r\n", "x.log", false, matchIgnore},
		{"[unclosed", "[unclosed", false, matchNone},
	}
	for _, tt := range tests {
		rules := parseIgnore([]byte(tt.rules))
		if got := matchRules(rules, tt.path, tt.dir); got != tt.want {
			t.Errorf("rules %q, path %q (dir %v) = %v, want %v", tt.rules, tt.path, tt.dir, got, tt.want)
		}
	}
}

func TestGlobSet(t *testing.T) {
	t.Parallel()
	tests := []struct {
		globs []string
		path  string
		dir   bool
		want  matchResult
	}{
		{nil, "a.go", false, matchNone},
		{[]string{"*.go"}, "x/a.go", false, matchWhitelist},
		{[]string{"*.go"}, "x/a.md", false, matchIgnore},
		{[]string{"*.go"}, "x", true, matchNone}, // plain globs never prune directories
		{[]string{"!vendor"}, "vendor", true, matchIgnore},
		{[]string{"!*_test.go"}, "a_test.go", false, matchIgnore},
		{[]string{"!*_test.go"}, "a.go", false, matchNone},
		{[]string{"*.go", "!*_test.go"}, "a_test.go", false, matchIgnore},
		{[]string{"src/*.rs"}, "src/a.rs", false, matchWhitelist},
		{[]string{"src/*.rs"}, "x/src/a.rs", false, matchIgnore},
	}
	for _, tt := range tests {
		s, err := newGlobSet(tt.globs)
		if err != nil {
			t.Fatal(err)
		}
		if len(tt.globs) == 0 {
			s = nil
		}
		if got := s.match(tt.path, tt.dir); got != tt.want {
			t.Errorf("globs %q, path %q = %v, want %v", tt.globs, tt.path, got, tt.want)
		}
	}
}

// TestIgnoreMatchesGit checks the matcher against git itself on a tree
// with nested .gitignore files, when git is installed.
func TestIgnoreMatchesGit(t *testing.T) {
	t.Parallel()
	git, err := exec.LookPath("git")
	if err != nil {
		t.Skip("git not installed")
	}
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{
		".gitignore": "*.log\n/out/\nbuild/\n!important.log\ndocs/**/draft*\n*.tmp\n",
		"a.log":      "", "important.log": "", "out/x": "", "src/out/x": "",
		"src/build/y": "", "docs/a/b/draft1.md": "", "docs/final.md": "",
		"src/.gitignore": "!keep.tmp\ngen_*.go\n/local.txt\n",
		"src/keep.tmp":   "", "src/other.tmp": "", "src/gen_a.go": "", "src/sub/gen_b.go": "",
		"src/local.txt": "", "src/sub/local.txt": "", "src/main.go": "",
		"src/sub/.gitignore": "*.go\n!main.go\n",
		"src/sub/main.go":    "", "src/sub/util.go": "", "notes.txt": "",
		"src/sub/deep/z.log": "", "src/sub/deep/keep.go": "",
	})
	if out, err := exec.Command(git, "-C", dir, "init", "-q").CombinedOutput(); err != nil {
		t.Fatalf("git init: %v %s", err, out)
	}
	var paths []string
	filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if d.Name() == ".git" {
			return filepath.SkipDir
		}
		if p != dir {
			rel, _ := filepath.Rel(dir, p)
			paths = append(paths, rel)
		}
		return nil
	})
	cmd := exec.Command(git, "-C", dir, "check-ignore", "--stdin", "--no-index")
	cmd.Stdin = strings.NewReader(strings.Join(paths, "\n") + "\n")
	out, _ := cmd.Output() // exit 1 when nothing is ignored
	gitIgnored := map[string]bool{}
	for _, l := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		gitIgnored[l] = true
	}
	// Walk like the tools do and compare each path's verdict, ignoring
	// paths below an ignored directory (never visited by a walk).
	var ours []string
	walkTree(t.Context(), walkOptions{root: dir, dirs: true, workers: 1}, func(_ int, e walkEntry) bool {
		ours = append(ours, e.rel)
		return true
	})
	visited := map[string]bool{}
	for _, p := range ours {
		visited[p] = true
	}
	for _, p := range paths {
		parentIgnored := false
		for d := filepath.Dir(p); d != "."; d = filepath.Dir(d) {
			if gitIgnored[d] {
				parentIgnored = true
			}
		}
		if parentIgnored {
			if visited[p] {
				t.Errorf("%s is inside an ignored directory but was visited", p)
			}
			continue
		}
		if visited[p] == gitIgnored[p] {
			t.Errorf("%s: visited = %v, git check-ignore says ignored = %v", p, visited[p], gitIgnored[p])
		}
	}
}
