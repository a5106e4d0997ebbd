package memory

import (
	"os"
	"path/filepath"
	"testing"
)

func TestAppendNote(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	tests := []struct {
		name, old, note, want string
		create                bool
	}{
		{"new file, new directory", "", "use tabs", "- use tabs\n", false},
		{"after a last line without newline", "# Rules\n- a", "b", "# Rules\n- a\n- b\n", true},
		{"multi-line note stays one item", "x\n", "one\ntwo", "x\n- one\n  two\n", true},
	}
	for i, tt := range tests {
		path := filepath.Join(dir, string(rune('a'+i)), ".claude", "CLAUDE.md")
		if tt.create {
			writeTree(t, filepath.Dir(path), map[string]string{"CLAUDE.md": tt.old})
		}
		if err := AppendNote(path, tt.note); err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		b, _ := os.ReadFile(path)
		if string(b) != tt.want {
			t.Errorf("%s: file = %q, want %q", tt.name, b, tt.want)
		}
	}
	if err := AppendNote(filepath.Join(dir, "x.md"), "  "); err == nil {
		t.Error("an empty note was accepted")
	}
}

func TestTargets(t *testing.T) {
	t.Parallel()
	root := t.TempDir()
	if got := Targets(root, "/h"); len(got) != 3 || got[0].Path != filepath.Join(root, "CLAUDE.md") || got[2].Path != "/h/.claude/CLAUDE.md" {
		t.Errorf("Targets = %+v", got)
	}
	writeTree(t, root, map[string]string{"BASALT.md": "x"})
	if got := Targets(root, ""); len(got) != 2 || got[0].Path != filepath.Join(root, "BASALT.md") || got[1].Path != filepath.Join(root, "CLAUDE.local.md") {
		t.Errorf("with BASALT.md: %+v", got)
	}
}
