package memory

import (
	"fmt"
	"path/filepath"
	"testing"
)

// BenchmarkLoad is a session's start in a repository with memory at
// three levels, four imports, ten rules (half path-scoped): the cost
// basalt adds before the first request.
func BenchmarkLoad(b *testing.B) {
	files := map[string]string{
		"CLAUDE.md":         "root @docs/a.md @docs/b.md",
		"docs/a.md":         "a @c.md",
		"docs/c.md":         "c",
		"docs/b.md":         "b @~/mine.md",
		"svc/AGENTS.md":     "svc",
		"svc/api/BASALT.md": "api",
	}
	for i := range 10 {
		text := fmt.Sprintf("rule %d", i)
		if i%2 == 0 {
			text = fmt.Sprintf("---\npaths:\n  - \"pkg%d/**/*.go\"\n---\n%s", i, text)
		}
		files[fmt.Sprintf(".claude/rules/r%d.md", i)] = text
	}
	root := writeTree(b, b.TempDir(), files)
	home := writeTree(b, b.TempDir(), map[string]string{"mine.md": "mine"})
	work := filepath.Join(root, "svc", "api")
	for b.Loop() {
		Load(Options{ProjectRoot: root, WorkDir: work, Home: home})
	}
}

// BenchmarkTouch is the cost added to a Read of a new file: the memory
// names of its directory and every pending rule's globs.
func BenchmarkTouch(b *testing.B) {
	files := map[string]string{"CLAUDE.md": "root"}
	for i := range 10 {
		files[fmt.Sprintf(".claude/rules/r%d.md", i)] = fmt.Sprintf("---\npaths: [\"pkg%d/**/*.go\"]\n---\nrule", i)
	}
	root := writeTree(b, b.TempDir(), files)
	m, _ := Load(Options{ProjectRoot: root, WorkDir: root, Home: root})
	i := 0
	for b.Loop() {
		i++
		m.Touch(filepath.Join(root, "other", fmt.Sprint(i), "x.go"))
	}
}
