package agent

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestSystemPromptMemory(t *testing.T) {
	root := t.TempDir()
	work := filepath.Join(root, "svc", "api")
	home := t.TempDir()
	for path, text := range map[string]string{
		filepath.Join(home, "BASALT.md"):          "user: prefer table tests",
		filepath.Join(root, "CLAUDE.md"):          "root: the build is make",
		filepath.Join(root, "svc", "AGENTS.md"):   "svc: services share one go.mod",
		filepath.Join(work, "BASALT.md"):          "api: never change the public API",
		filepath.Join(t.TempDir(), "CLAUDE.md"):   "elsewhere: must not appear",
		filepath.Join(root, "svc", "api", "x.go"): "package api",
	} {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := exec.LookPath("git"); err == nil {
		exec.Command("git", "-C", root, "init", "-q").Run()
	}
	o := &Options{WorkDir: work, ProjectRoot: root, UserMemory: []string{filepath.Join(home, "BASALT.md"), filepath.Join(home, "missing.md")},
		Now: func() time.Time { return time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC) }}
	blocks := systemPrompt(t.Context(), o)
	if len(blocks) != 2 || blocks[0] != identity {
		t.Fatalf("blocks %q", blocks)
	}
	env := blocks[1]
	for _, want := range []string{"Working directory: " + work, "Project root: " + root, "Date: 2026-11-23", "Platform: "} {
		if !strings.Contains(env, want) {
			t.Errorf("environment lacks %q:\n%s", want, env)
		}
	}
	// User-level first, then from the root down, so the closest file is last.
	order := []string{"user: prefer table tests", "root: the build is make", "svc: services share one go.mod", "api: never change the public API"}
	last := -1
	for _, s := range order {
		i := strings.Index(env, s)
		if i < 0 || i < last {
			t.Errorf("memory %q missing or out of order in:\n%s", s, env)
		}
		last = i
	}
	if strings.Contains(env, "elsewhere") {
		t.Error("a memory file outside the project was read")
	}
	if _, err := exec.LookPath("git"); err == nil && !strings.Contains(env, "Git status") {
		t.Errorf("no git status in:\n%s", env)
	}
}

// TestMemoryReadOnce: in real repositories CLAUDE.md is often a symlink to
// AGENTS.md; its text must reach the model once, and /memory and config
// show must say which path stands for it.
func TestMemoryReadOnce(t *testing.T) {
	t.Parallel()
	root := t.TempDir()
	work := filepath.Join(root, "svc")
	if err := os.MkdirAll(work, 0o755); err != nil {
		t.Fatal(err)
	}
	write := func(path, text string) {
		if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write(filepath.Join(root, "AGENTS.md"), "shared: run make check")
	if err := os.Symlink("AGENTS.md", filepath.Join(root, "CLAUDE.md")); err != nil {
		t.Fatal(err)
	}
	write(filepath.Join(work, "CLAUDE.md"), "svc: its own rules")
	if err := os.Link(filepath.Join(work, "CLAUDE.md"), filepath.Join(work, "AGENTS.md")); err != nil {
		t.Fatal(err)
	}
	got := MemoryFiles(nil, root, work)
	realRoot, err := filepath.EvalSymlinks(root)
	if err != nil {
		t.Fatal(err)
	}
	realWork := filepath.Join(realRoot, "svc")
	want := []MemoryFile{
		{Path: filepath.Join(root, "CLAUDE.md"), RealPath: filepath.Join(realRoot, "AGENTS.md")},
		{Path: filepath.Join(root, "AGENTS.md"), DuplicateOf: filepath.Join(root, "CLAUDE.md")},
		{Path: filepath.Join(work, "CLAUDE.md"), RealPath: filepath.Join(realWork, "CLAUDE.md")},
		{Path: filepath.Join(work, "AGENTS.md"), DuplicateOf: filepath.Join(work, "CLAUDE.md")},
	}
	if len(got) != len(want) {
		t.Fatalf("MemoryFiles = %+v, want %+v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("file %d = %+v, want %+v", i, got[i], want[i])
		}
	}
	mem := readMemory(&Options{ProjectRoot: root, WorkDir: work})
	var text []string
	for _, m := range mem {
		text = append(text, m.text)
	}
	if strings.Join(text, "|") != "shared: run make check|svc: its own rules" {
		t.Errorf("memory read = %q, want each text once", text)
	}
	if mem[0].path != filepath.Join(realRoot, "AGENTS.md") {
		t.Errorf("the shared text is sent as %s, want its real path", mem[0].path)
	}
}
