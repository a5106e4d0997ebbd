package slashcmd_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"

	"github.com/basalt-dev/basalt/internal/slashcmd"
)

// A command file, loaded and invoked as "/review 42 --strict". The runner
// stands in for the harness's permission-checked Bash.
func ExampleSet_ExpandInput() {
	root, _ := os.MkdirTemp("", "example")
	defer os.RemoveAll(root)
	dir := filepath.Join(root, ".claude", "commands")
	_ = os.MkdirAll(dir, 0o755)
	_ = os.WriteFile(filepath.Join(dir, "review.md"), []byte(`---
description: Review a pull request
argument-hint: "[pr] [--strict]"
allowed-tools: Bash(gh pr diff:*)
---

Review PR #$0 ($1). Diff: !`+"`gh pr diff $0`"+`
`), 0o644)

	cmds, warns := slashcmd.LoadCommands(slashcmd.Paths{Root: root}.Dirs("commands"))
	set := slashcmd.NewSet(nil, cmds)
	e, ok, err := set.ExpandInput(context.Background(), "/review 42 --strict", slashcmd.Options{
		Run: func(_ context.Context, cmd string) (string, error) { return "(diff of " + cmd + ")", nil },
	})
	fmt.Println(len(warns), ok, err)
	fmt.Print(e.Header())
	fmt.Print(e.Prompt)
	fmt.Println(e.AllowedTools)
	// Output:
	// 0 true <nil>
	// <command-message>review</command-message>
	// <command-name>/review</command-name>
	// <command-args>42 --strict</command-args>
	// Review PR #42 (--strict). Diff: (diff of gh pr diff 42)
	// [Bash(gh pr diff:*)]
}
