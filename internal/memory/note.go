package memory

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// Target is a memory file a note can go to (`#` in the TUI).
type Target struct {
	Label string // what it is for, e.g. "project memory (shared, checked in)"
	Path  string
}

// Targets are the files a `#` note can go to, as Claude Code offers them:
// the project's (BASALT.md when the project has one, else CLAUDE.md), the
// personal CLAUDE.local.md of the project, and the user's
// ~/.claude/CLAUDE.md. projectRoot "" (no project) leaves the first two
// out; home "" leaves the last out.
func Targets(projectRoot, home string) []Target {
	var out []Target
	if projectRoot != "" {
		project := filepath.Join(projectRoot, "CLAUDE.md")
		if _, err := os.Stat(filepath.Join(projectRoot, "BASALT.md")); err == nil {
			project = filepath.Join(projectRoot, "BASALT.md")
		}
		out = append(out,
			Target{"project memory (shared: commit it)", project},
			Target{"local project memory (yours: keep it out of git)", filepath.Join(projectRoot, "CLAUDE.local.md")})
	}
	if home != "" {
		out = append(out, Target{"user memory (every project)", filepath.Join(home, ".claude", "CLAUDE.md")})
	}
	return out
}

// AppendNote adds note as a list item at the end of the memory file at
// path, creating the file (and its directory) when needed. The file's
// own text is kept as it is; a missing final newline is supplied first.
func AppendNote(path, note string) error {
	note = strings.TrimSpace(note)
	if note == "" {
		return fmt.Errorf("the note is empty")
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	old, err := os.ReadFile(path)
	if err != nil && !os.IsNotExist(err) {
		return err
	}
	var add strings.Builder
	if len(old) > 0 && old[len(old)-1] != '\n' {
		add.WriteByte('\n')
	}
	// A multi-line note stays one list item: its later lines indented.
	add.WriteString("- " + strings.ReplaceAll(note, "\n", "\n  ") + "\n")
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o644)
	if err != nil {
		return err
	}
	if _, err := f.WriteString(add.String()); err != nil {
		f.Close()
		return fmt.Errorf("%s: %w", path, err)
	}
	return f.Close()
}
