package outputstyle

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/basalt-dev/basalt/internal/slashcmd"
)

func write(t *testing.T, path, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestSectionMatchesRecording checks the system prompt section against
// what Claude Code 2.1.197 sent for the same style file.
func TestSectionMatchesRecording(t *testing.T) {
	t.Parallel()
	rec := filepath.Join("..", "slashcmd", "testdata", "claude-code")
	styles, warns := Load(slashcmd.Paths{Root: filepath.Join(rec, "project")}.Dirs("output-styles"))
	if len(warns) != 0 {
		t.Fatalf("warnings: %v", warns)
	}
	s, err := Resolve(styles, "Pirate")
	if err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(filepath.Join(rec, "facts.json"))
	if err != nil {
		t.Fatal(err)
	}
	var f map[string]struct {
		Init struct {
			OutputStyle string `json:"output_style"`
		} `json:"init"`
		Section string `json:"system_output_style_section"`
	}
	if err := json.Unmarshal(data, &f); err != nil {
		t.Fatal(err)
	}
	adj := s.Adjustment()
	if strings.TrimSpace(adj.Section) != strings.TrimSpace(f["skill"].Section) {
		t.Errorf("section:\n got %q\nwant %q", adj.Section, f["skill"].Section)
	}
	if s.Name != f["skill"].Init.OutputStyle || adj.KeepCodingInstructions || adj.KeepConcisenessInstructions || adj.Reminder == "" {
		t.Errorf("style %+v adjustment %+v", s, adj)
	}
	def, _ := Resolve(styles, "")
	if def.Name != f["command"].Init.OutputStyle || def.Adjustment().Section != "" || !def.Adjustment().KeepConcisenessInstructions {
		t.Errorf("default %+v", def)
	}
}

func TestLoadAndResolve(t *testing.T) {
	t.Parallel()
	root, home := t.TempDir(), t.TempDir()
	write(t, filepath.Join(root, ".claude", "output-styles", "diagram.md"), "---\ndescription: Always a diagram\nkeep-coding-instructions: true\n---\nAnswer with a diagram.\n")
	write(t, filepath.Join(root, ".claude", "output-styles", "tutor.md"), "---\nname: Tutor\n---\nproject tutor\n")
	write(t, filepath.Join(home, ".claude", "output-styles", "tutor.md"), "---\nname: Tutor\n---\nuser tutor\n")
	write(t, filepath.Join(root, ".basalt", "output-styles", "learning.md"), "---\nname: learning\n---\nmine\n")
	write(t, filepath.Join(root, ".claude", "output-styles", "bad.md"), "---\nname: Bad\nkeep-coding-instructions: sometimes\n---\nx\n")
	write(t, filepath.Join(root, ".claude", "output-styles", "notes.txt"), "ignored")
	styles, warns := Load(slashcmd.Paths{Root: root, Home: home}.Dirs("output-styles"))
	var names []string
	for _, s := range styles {
		names = append(names, s.Name)
	}
	if diff := cmp.Diff([]string{"default", "Explanatory", "Learning", "Bad", "diagram", "Tutor"}, names); diff != "" {
		t.Errorf("names mismatch (-want +got):\n%s", diff)
	}
	var ws []string
	for _, w := range warns {
		ws = append(ws, strings.TrimPrefix(w.Error(), root+"/"))
	}
	wantWarns := []string{
		`.claude/output-styles/bad.md:3:1: keep-coding-instructions: "sometimes" is not true or false; using false`,
		`.basalt/output-styles/learning.md:2: "learning" is a built-in style's name; this file is ignored (rename it)`,
	}
	if diff := cmp.Diff(wantWarns, ws, cmp.Transformer("sort", func(s []string) string {
		c := slices.Clone(s)
		slices.Sort(c)
		return strings.Join(c, "\n")
	})); diff != "" {
		t.Errorf("warnings mismatch (-want +got):\n%s", diff)
	}
	for _, tc := range []struct{ in, name, text string }{
		{"diagram", "diagram", "Answer with a diagram.\n"},
		{"TUTOR", "Tutor", "user tutor\n"},
		{"explanatory", "Explanatory", explanatoryText},
	} {
		s, err := Resolve(styles, tc.in)
		if err != nil || s.Name != tc.name || s.Text != tc.text {
			t.Errorf("Resolve(%q) = %q %q %v", tc.in, s.Name, s.Text, err)
		}
	}
	d, _ := Resolve(styles, "diagram")
	if !d.Adjustment().KeepCodingInstructions {
		t.Errorf("keep-coding-instructions: true not read")
	}
	s, err := Resolve(styles, "Pirate")
	want := `output style "Pirate" not found; using default. Available: default, Explanatory, Learning, Bad, diagram, Tutor`
	if err == nil || err.Error() != want || !s.IsDefault() {
		t.Errorf("unknown: %v %+v", err, s)
	}
	if s, err := Resolve(nil, "learning"); err != nil || s.Name != "Learning" {
		t.Errorf("nil styles: %v %v", s.Name, err)
	}
}

// TestBuiltinsAreOurOwn guards the built-in texts: present, and with the
// TODO(human) marker the Learning style is known by.
func TestBuiltinsAreOurOwn(t *testing.T) {
	t.Parallel()
	for _, s := range builtins()[1:] {
		a := s.Adjustment()
		if !strings.HasPrefix(a.Section, "# Output Style: "+s.Name+"\n") || len(a.Section) < 300 || !a.KeepCodingInstructions || a.KeepConcisenessInstructions {
			t.Errorf("%s: %+v", s.Name, a)
		}
	}
	if !strings.Contains(learningText, "TODO(human)") {
		t.Errorf("learning style does not mark the user's part")
	}
}
