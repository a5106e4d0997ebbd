package memory

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

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
	got := Discover(nil, root, work)
	realRoot, err := filepath.EvalSymlinks(root)
	if err != nil {
		t.Fatal(err)
	}
	realWork := filepath.Join(realRoot, "svc")
	want := []File{
		{Path: filepath.Join(root, "CLAUDE.md"), RealPath: filepath.Join(realRoot, "AGENTS.md"), Kind: KindProject},
		{Path: filepath.Join(root, "AGENTS.md"), DuplicateOf: filepath.Join(root, "CLAUDE.md"), Kind: KindProject},
		{Path: filepath.Join(work, "CLAUDE.md"), RealPath: filepath.Join(realWork, "CLAUDE.md"), Kind: KindProject},
		{Path: filepath.Join(work, "AGENTS.md"), DuplicateOf: filepath.Join(work, "CLAUDE.md"), Kind: KindProject},
	}
	if len(got) != len(want) {
		t.Fatalf("Discover = %+v, want %+v", got, want)
	}
	for i := range want {
		if diff := cmp.Diff(want[i], got[i]); diff != "" {
			t.Errorf("file %d (-want +got):\n%s", i, diff)
		}
	}
	_, mem := Load(Options{ProjectRoot: root, WorkDir: work})
	var text []string
	for _, m := range mem {
		text = append(text, m.Text)
	}
	if strings.Join(text, "|") != "shared: run make check|svc: its own rules" {
		t.Errorf("memory read = %q, want each text once", text)
	}
	if mem[0].Path != filepath.Join(realRoot, "AGENTS.md") {
		t.Errorf("the shared text is sent as %s, want its real path", mem[0].Path)
	}
}
