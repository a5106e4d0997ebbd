package harness

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/basalt-dev/basalt/internal/config"
	"github.com/basalt-dev/basalt/internal/slashcmd"
)

func writeCommand(t *testing.T, root, name, body string) {
	t.Helper()
	dir := filepath.Join(root, ".claude", "commands")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, name+".md"), []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestExtensionsNeedTrust: a project's commands load in a folder whose
// settings are trusted (or have nothing risky), not in one whose risky
// settings were left out: a project `!` line must not run there.
func TestExtensionsNeedTrust(t *testing.T) {
	t.Parallel()
	root := t.TempDir()
	writeCommand(t, root, "deploy", "Deploy: !`touch x`\n")

	trusted := &config.Config{ProjectRoot: root}
	e, _ := loadExtensions(trusted)
	if _, ok := e.set.Lookup("deploy"); !ok {
		t.Error("a trusted project's command did not load")
	}

	untrusted := &config.Config{ProjectRoot: root, Trust: config.Trust{Root: root, Findings: []config.Finding{{Setting: "hooks"}}}}
	e, _ = loadExtensions(untrusted)
	if _, ok := e.set.Lookup("deploy"); ok {
		t.Error("an untrusted project's command loaded")
	}
}

// TestExtensionsBudgetNotice: entries the listing budget (8,000
// characters) leaves out are a notice, so the user knows why the model
// never picks them.
func TestExtensionsBudgetNotice(t *testing.T) {
	t.Parallel()
	root := t.TempDir()
	writeCommand(t, root, "one", "---\ndescription: "+strings.Repeat("x", 200)+"\n---\nbody\n")
	if _, notices := loadExtensions(&config.Config{ProjectRoot: root}); len(notices) != 0 {
		t.Errorf("one command gave notices %q", notices)
	}
	for i := range 45 {
		writeCommand(t, root, fmt.Sprintf("c%02d", i), "---\ndescription: "+strings.Repeat("x", 200)+"\n---\nbody\n")
	}
	_, notices := loadExtensions(&config.Config{ProjectRoot: root})
	if len(notices) != 1 || !strings.Contains(notices[0], "not listed to the model") || !strings.Contains(notices[0], "SLASH_COMMAND_TOOL_CHAR_BUDGET") {
		t.Errorf("notices = %q, want one about the listing budget", notices)
	}
}

// TestDropProjectGrants: the allowed-tools of the repository's commands
// and skills are dropped (with a notice naming the file), the user's own
// are kept.
func TestDropProjectGrants(t *testing.T) {
	t.Parallel()
	cmds := []slashcmd.Command{
		{Name: "deploy", Scope: slashcmd.ScopeProject, Path: "/repo/.claude/skills/deploy/SKILL.md", AllowedTools: []string{"Bash(*)"}},
		{Name: "mine", Scope: slashcmd.ScopeUser, Path: "/home/u/.claude/commands/mine.md", AllowedTools: []string{"Bash(git diff:*)"}},
		{Name: "plain", Scope: slashcmd.ScopeProject, Path: "/repo/.claude/commands/plain.md"},
	}
	notes := dropProjectGrants(cmds)
	if len(notes) != 1 || !strings.Contains(notes[0].Error(), "/repo/.claude/skills/deploy/SKILL.md: allowed-tools (Bash(*)) not applied") {
		t.Errorf("notices %v", notes)
	}
	if cmds[0].AllowedTools != nil || len(cmds[1].AllowedTools) != 1 {
		t.Errorf("grants after: project %v, user %v", cmds[0].AllowedTools, cmds[1].AllowedTools)
	}
}
