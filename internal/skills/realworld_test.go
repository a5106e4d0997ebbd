package skills

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/basalt-dev/basalt/internal/slashcmd"
)

// TestRealWorldSkills loads skills teams committed
// (../slashcmd/testdata/realworld, credited in its README).
func TestRealWorldSkills(t *testing.T) {
	t.Parallel()
	root := func(repo string) string {
		abs, err := filepath.Abs(filepath.Join("..", "slashcmd", "testdata", "realworld", repo))
		if err != nil {
			t.Fatal(err)
		}
		return abs
	}
	load := func(repo string) (*slashcmd.Set, []slashcmd.Warning) {
		p := slashcmd.Paths{Root: root(repo)}
		sk, warns := Load(p.Dirs("skills"))
		cmds, cw := slashcmd.LoadCommands(p.Dirs("commands"))
		return slashcmd.NewSet(sk, cmds), append(warns, cw...)
	}

	t.Run("a skill beats the command of the same name", func(t *testing.T) {
		t.Parallel()
		set, warns := load("budget-forecaster")
		if len(warns) != 0 {
			t.Errorf("warnings: %v", warns)
		}
		c, _ := set.Lookup("commit")
		if c.Kind != slashcmd.KindSkill || c.Description != "Create a well-formatted git commit following project conventions" {
			t.Fatalf("commit = %+v", c)
		}
		e, _, err := set.ExpandInput(t.Context(), "/commit only the docs", slashcmd.Options{})
		if err != nil {
			t.Fatal(err)
		}
		wantStart := "Base directory for this skill: " + filepath.Join(root("budget-forecaster"), ".claude", "skills", "commit") + "\n\n# Commit Changes\n"
		if !strings.HasPrefix(e.Prompt, wantStart) || !strings.HasSuffix(e.Prompt, "`git log -1`\n\nonly the docs\n") {
			t.Errorf("prompt:\n%s", e.Prompt)
		}
		if diff := cmp.Diff([]string{"commit", "review"}, set.InitSlashCommands()); diff != "" {
			t.Errorf("slash commands mismatch (-want +got):\n%s", diff)
		}
	})

	t.Run("a body that is an @mention of a sibling file", func(t *testing.T) {
		t.Parallel()
		set, _ := load("plate")
		base := root("plate")
		var asked []string
		read := func(_ context.Context, p string) (string, error) {
			asked = append(asked, p)
			data, err := os.ReadFile(filepath.Join(base, p))
			return string(data), err
		}
		e, ok, err := set.ExpandInput(t.Context(), "/docx", slashcmd.Options{Read: read})
		if !ok || err != nil {
			t.Fatal(ok, err)
		}
		if len(e.Attachments) != 1 || e.Attachments[0].Path != ".claude/skills/docx/docx.mdc" || !strings.HasPrefix(e.Attachments[0].Content, "Stand-in") {
			t.Errorf("attachments %+v (asked %v)", e.Attachments, asked)
		}
		text, _ := Listing(set, DefaultBudget)
		if !strings.Contains(text, "- docx: Comprehensive document creation, editing, and analysis") {
			t.Errorf("listing:\n%s", text)
		}
		// Through the Skill tool the model gets the body and the base
		// directory, and reads the sibling itself.
		res, err := NewTool(set, slashcmd.Options{Read: read}).Run(t.Context(), nil, []byte(`{"skill":"docx"}`))
		if err != nil || res.IsError {
			t.Fatal(res, err)
		}
		if e := res.Display.(*slashcmd.Expansion); len(e.Attachments) != 0 || !strings.HasSuffix(e.Prompt, "\n\n@.claude/skills/docx/docx.mdc\n") {
			t.Errorf("tool expansion %+v", e)
		}
	})
}
