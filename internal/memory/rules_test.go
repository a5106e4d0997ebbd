package memory

import (
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

func TestParsePaths(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		fm      string
		want    []string
		wantErr string
	}{
		{"no paths key", "description: style", nil, ""},
		{"block list", "description: x\npaths:\n  - \"src/**/*.ts\"\n  - 'lib/*.go' # go\n  # a comment\n  - docs/**\nother: y", []string{"src/**/*.ts", "lib/*.go", "docs/**"}, ""},
		{"inline list", `paths: ["a/**", 'b.md', c/*.go]`, []string{"a/**", "b.md", "c/*.go"}, ""},
		{"one string, commas", `paths: "src/**/*.ts, test/**"`, []string{"src/**/*.ts", "test/**"}, ""},
		{"globs is the older spelling", "globs:\n- x/**", []string{"x/**"}, ""},
		{"unclosed list", `paths: ["a"`, nil, "2:"},
		{"unclosed quote", "paths:\n  - \"a", nil, "3:1"},
		{"bad glob", `paths: ["a/[b"]`, nil, "2:1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := parsePaths(strings.Split(tt.fm, "\n"))
			if tt.wantErr != "" {
				if err == nil || !strings.HasPrefix(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want it to start with %q", err, tt.wantErr)
				}
				return
			}
			if err != nil || !slices.Equal(got, tt.want) {
				t.Errorf("parsePaths = %q, %v; want %q", got, err, tt.want)
			}
		})
	}
}

func TestDiscoverKinds(t *testing.T) {
	t.Parallel()
	root := writeTree(t, t.TempDir(), map[string]string{
		"CLAUDE.md":                 "root",
		".claude/CLAUDE.md":         "dot claude",
		"CLAUDE.local.md":           "local",
		"svc/AGENTS.md":             "svc",
		".claude/rules/always.md":   "always",
		".claude/rules/go/gofmt.md": "---\npaths:\n  - \"**/*.go\"\n---\ngofmt",
		".claude/rules/broken.md":   "---\npaths: [x\n---\nbroken",
		"svc/deep/CLAUDE.md":        "below the working directory: not at the start",
	})
	home := writeTree(t, t.TempDir(), map[string]string{".claude/CLAUDE.md": "user", ".claude/rules/mine.md": "---\npaths: [\"svc/**\"]\n---\nmine"})
	work := filepath.Join(root, "svc")
	files := Discover([]string{filepath.Join(home, ".claude", "CLAUDE.md")}, root, work)
	var got []string
	for _, f := range files {
		rel, _ := filepath.Rel(root, f.Path)
		if f.Kind == KindUser || strings.HasPrefix(f.Path, home) {
			rel = "~"
		}
		s := string(f.Kind) + " " + filepath.ToSlash(rel)
		if f.Lazy() {
			s += " " + strings.Join(f.Paths, ",")
		}
		if f.Err != nil {
			s += " error"
		}
		got = append(got, s)
	}
	want := []string{
		"user ~", "rule ~ svc/**", "project CLAUDE.md", "project .claude/CLAUDE.md", "local CLAUDE.local.md", "project svc/AGENTS.md",
		"rule .claude/rules/always.md", "rule .claude/rules/broken.md error", "rule .claude/rules/go/gofmt.md **/*.go",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("Discover:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}

	m, blocks := Load(Options{UserMemory: []string{filepath.Join(home, ".claude", "CLAUDE.md")}, ProjectRoot: root, WorkDir: work, Home: home})
	var texts []string
	for _, b := range blocks {
		texts = append(texts, b.Text)
	}
	if strings.Join(texts, "|") != "user|root|dot claude|local|svc|always" {
		t.Errorf("loaded at the start: %q", texts)
	}
	var touched []string
	for _, b := range m.Touch(filepath.Join(work, "main.go")) {
		touched = append(touched, b.Text)
	}
	if strings.Join(touched, "|") != "mine|gofmt" {
		t.Errorf("touching svc/main.go loaded %q, want the user's svc/** rule and the project's **/*.go", touched)
	}
	if n := m.Notices(); len(n) != 1 || !strings.Contains(n[0], filepath.Join(".claude", "rules", "broken.md")+":2:") {
		t.Errorf("notices %q, want one naming broken.md line 2", n)
	}
}

func TestTouch(t *testing.T) {
	t.Parallel()
	root := writeTree(t, t.TempDir(), map[string]string{
		"CLAUDE.md":                  "root",
		".claude/rules/go.md":        "---\npaths: [\"**/*.go\"]\n---\nrun gofmt",
		".claude/rules/api.md":       "---\npaths:\n  - \"api/**\"\n---\nkeep the API stable @api-notes.md",
		".claude/rules/api-notes.md": "---\npaths: [\"nowhere/**\"]\n---\nnotes",
		"api/CLAUDE.md":              "api dir memory",
		"api/v1/AGENTS.md":           "v1 memory",
		"api/v1/h.go":                "package v1",
		"web/CLAUDE.local.md":        "web local",
	})
	m, _ := Load(Options{ProjectRoot: root, WorkDir: root, Home: t.TempDir()})
	touch := func(rel string) string {
		var texts []string
		for _, b := range m.Touch(filepath.Join(root, rel)) {
			texts = append(texts, b.Text)
		}
		return strings.Join(texts, "|")
	}
	steps := []struct{ path, want string }{
		{"README.md", ""},
		{"api/v1/h.go", "api dir memory|v1 memory|keep the API stable @api-notes.md|notes|run gofmt"},
		{"api/v1/h.go", ""}, // each once
		{"api/other.go", ""},
		{"web/index.html", "web local"},
		{"../outside/x.go", ""},
	}
	for _, s := range steps {
		if got := touch(s.path); got != s.want {
			t.Errorf("Touch(%s) = %q, want %q", s.path, got, s.want)
		}
	}
	if p := m.Pending(); len(p) != 0 {
		t.Errorf("still pending: %+v (api-notes.md was imported, so it is sent)", p)
	}
	m.Forget()
	if got := touch("api/v1/h.go"); got != "api dir memory|v1 memory|keep the API stable @api-notes.md|notes|run gofmt" {
		t.Errorf("after Forget, Touch = %q: what was loaded along the way must load again", got)
	}
	if r := Reminder(nil); r != "" {
		t.Errorf("Reminder(nil) = %q", r)
	}
	if r := Reminder([]Block{{Path: "/p/CLAUDE.md", Text: "x"}}); !strings.HasPrefix(r, "<system-reminder>") || !strings.Contains(r, "/p/CLAUDE.md") {
		t.Errorf("Reminder = %q", r)
	}
}
