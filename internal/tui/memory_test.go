package tui

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/basalt-dev/basalt/internal/memory"
)

func memoryModel(t *testing.T, dir string) *Model {
	m, _ := newTestModel(t, 100, 30)
	m.info.Memory = []memory.File{
		{Path: "/repo/CLAUDE.md", Kind: memory.KindProject},
		{Path: "/repo/docs/conventions.md", Kind: memory.KindImport},
	}
	m.info.MemoryTargets = []memory.Target{
		{Label: "project memory", Path: "/repo/CLAUDE.md"},
		{Label: "local project memory", Path: filepath.Join(dir, "CLAUDE.local.md")},
	}
	return m
}

// TestMemoryCommand: /memory lists what is in force and offers those
// files and the missing note targets to open; without an editor it says
// which variable to set.
func TestMemoryCommand(t *testing.T) {
	t.Setenv("VISUAL", "")
	t.Setenv("EDITOR", "")
	dir := t.TempDir()
	m := memoryModel(t, dir)
	slash(m, "/memory")
	f := ansi.Strip(m.Frame())
	for _, want := range []string{"Memory files in force", "project /repo/CLAUDE.md", "import  /repo/docs/conventions.md"} {
		if !strings.Contains(f, want) {
			t.Errorf("/memory output lacks %q:\n%s", want, f)
		}
	}
	if m.picker == nil || len(m.picker.items) != 3 || m.picker.items[2].value != filepath.Join(dir, "CLAUDE.local.md") {
		t.Fatalf("picker %+v", m.picker)
	}
	_, cmd := m.Update(tea.KeyPressMsg{Code: tea.KeyEnter})
	runCmd(m, cmd)
	if f := ansi.Strip(m.Frame()); !strings.Contains(f, "set $EDITOR") {
		t.Errorf("no editor: frame\n%s", f)
	}

	t.Setenv("EDITOR", "true")
	if cmd := m.editMemory(filepath.Join(dir, "new", "CLAUDE.md")); cmd == nil {
		t.Error("with $EDITOR set, /memory runs nothing")
	}
	if _, err := os.Stat(filepath.Join(dir, "new")); err != nil {
		t.Errorf("the file's directory was not made for the editor: %v", err)
	}
}

// TestMemoryNote: `# note` asks where, then appends the note there; the
// prompt is not sent to the model.
func TestMemoryNote(t *testing.T) {
	dir := t.TempDir()
	m := memoryModel(t, dir)
	slash(m, "# always run make check")
	if m.busy {
		t.Fatal("the note was sent to the model")
	}
	if m.picker == nil || len(m.picker.items) != 2 {
		t.Fatalf("picker %+v", m.picker)
	}
	press(m, tea.KeyDown, 0)
	_, cmd := m.Update(tea.KeyPressMsg{Code: tea.KeyEnter})
	runCmd(m, cmd)
	b, err := os.ReadFile(filepath.Join(dir, "CLAUDE.local.md"))
	if err != nil || string(b) != "- always run make check\n" {
		t.Errorf("CLAUDE.local.md = %q, %v", b, err)
	}
	if f := ansi.Strip(m.Frame()); !strings.Contains(f, "Noted in "+filepath.Join(dir, "CLAUDE.local.md")) {
		t.Errorf("frame:\n%s", f)
	}
	slash(m, "#42 is the issue")
	press(m, tea.KeyEscape, 0)
	if m.picker != nil || m.input.Value() != "#42 is the issue" {
		t.Errorf("esc on the note picker: picker %v, input %q; want the text back in the input", m.picker, m.input.Value())
	}
	m.input.Reset()
	slash(m, "#")
	if f := ansi.Strip(m.Frame()); !strings.Contains(f, "# needs a note") {
		t.Errorf("empty note: frame\n%s", f)
	}
}
