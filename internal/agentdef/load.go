package agentdef

import (
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// Dir is a directory of agent files and the source its agents count as.
type Dir struct {
	Path   string
	Source Source
}

// Dirs are the agent directories in increasing precedence: the user's
// (~/.claude/agents, then basalt's ~/.config/basalt/agents), then the
// project's (.claude/agents, then .basalt/agents). A later directory
// wins a name clash: the project over the user, as in Claude Code, and
// basalt's directory over Claude Code's at the same level, as its
// settings files do. root "" leaves the project out (a folder whose
// project files the user did not trust).
func Dirs(root, home, configHome string) []Dir {
	var out []Dir
	add := func(path string, s Source) {
		if path != "" {
			out = append(out, Dir{Path: path, Source: s})
		}
	}
	if home != "" {
		add(filepath.Join(home, ".claude", "agents"), SourceUser)
	}
	if configHome != "" {
		add(filepath.Join(configHome, "agents"), SourceUser)
	}
	if root != "" {
		add(filepath.Join(root, ".claude", "agents"), SourceProject)
		add(filepath.Join(root, ".basalt", "agents"), SourceProject)
	}
	return out
}

// maxFileSize bounds an agent file: a larger one is not a system prompt.
const maxFileSize = 256 << 10

// Load reads every *.md file of dirs (not their subdirectories). A
// later directory's agent replaces an earlier one of the same name.
// Every problem is a warning naming its file; every readable agent loads.
func Load(dirs []Dir) ([]Definition, []Warning) {
	var out []Definition
	var warns []Warning
	for _, d := range dirs {
		entries, err := os.ReadDir(d.Path)
		if err != nil {
			if !os.IsNotExist(err) {
				warns = append(warns, Warning{Path: d.Path, Msg: "read agents: " + err.Error()})
			}
			continue
		}
		sort.Slice(entries, func(i, j int) bool { return entries[i].Name() < entries[j].Name() })
		for _, e := range entries {
			if e.IsDir() || !strings.HasSuffix(e.Name(), ".md") || strings.HasPrefix(e.Name(), ".") {
				continue
			}
			path := filepath.Join(d.Path, e.Name())
			if fi, err := os.Stat(path); err == nil && fi.Size() > maxFileSize {
				warns = append(warns, Warning{Path: path, Msg: "larger than 256 KiB; not an agent definition, skipped"})
				continue
			}
			data, err := os.ReadFile(path)
			if err != nil {
				warns = append(warns, Warning{Path: path, Msg: "read: " + err.Error()})
				continue
			}
			def, ok, ws := ParseFile(path, data, d.Source)
			warns = append(warns, ws...)
			if ok {
				out = append(out, def)
			}
		}
	}
	return out, warns
}
