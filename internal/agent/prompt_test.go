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
