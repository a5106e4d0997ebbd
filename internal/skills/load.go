package skills

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/basalt-dev/basalt/internal/slashcmd"
)

// FileName is the file that makes a directory a skill.
const FileName = "SKILL.md"

// Limits from the Agent Skills specification (agentskills.io), which
// Claude Code's documentation points to. Claude Code 2.1.197 loads a skill
// that breaks them (observed: a directory "Bad_Skill" is listed as is), so
// basalt loads it too and warns, rather than hide a team's skill.
const (
	maxNameLen        = 64
	maxDescriptionLen = 1024
)

// Load reads every <dir>/<name>/SKILL.md. dirs are in increasing
// precedence (slashcmd.Paths.Dirs("skills")): a later directory's skill
// replaces an earlier one of the same name. The skill's name is its
// directory's name, as in Claude Code; a front matter `name` that differs
// is a warning. Problems are warnings; every readable skill loads.
func Load(dirs []slashcmd.Dir) ([]slashcmd.Command, []slashcmd.Warning) {
	byName := map[string]slashcmd.Command{}
	var warns []slashcmd.Warning
	for _, d := range dirs {
		entries, err := os.ReadDir(d.Path)
		if err != nil {
			if !os.IsNotExist(err) {
				warns = append(warns, slashcmd.Warning{Path: d.Path, Msg: "read skills: " + err.Error()})
			}
			continue
		}
		for _, e := range entries {
			dir := filepath.Join(d.Path, e.Name())
			if strings.HasPrefix(e.Name(), ".") || !isDir(dir) {
				continue
			}
			path := filepath.Join(dir, FileName)
			data, err := os.ReadFile(path)
			if err != nil {
				if !os.IsNotExist(err) {
					warns = append(warns, slashcmd.Warning{Path: path, Msg: "read: " + err.Error()})
				}
				continue
			}
			c, ws := slashcmd.ParseFile(path, data)
			warns = append(warns, ws...)
			c.Name, c.Kind, c.Scope, c.Dir = e.Name(), slashcmd.KindSkill, d.Scope, dir
			if msg, fatal := checkName(c.Name); msg != "" {
				warns = append(warns, slashcmd.Warning{Path: path, Msg: msg})
				if fatal {
					continue
				}
			}
			warns = append(warns, checkHeader(path, c, data)...)
			byName[c.Name] = c
		}
	}
	out := make([]slashcmd.Command, 0, len(byName))
	for _, c := range byName {
		out = append(out, c)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out, warns
}

// isDir follows a symlink, so a skills directory of links (a common way
// to share skills between projects) works.
func isDir(path string) bool {
	fi, err := os.Stat(path)
	return err == nil && fi.IsDir()
}

// checkName reports a directory name the specification does not allow.
// fatal is set when the name cannot be typed after a slash at all.
func checkName(name string) (msg string, fatal bool) {
	if strings.ContainsAny(name, " \t\"'`@$:") {
		return fmt.Sprintf("skill directory %q has a blank, quote, colon, @ or $ and cannot be invoked; skipped", name), true
	}
	ok := len(name) <= maxNameLen && !strings.HasPrefix(name, "-") && !strings.HasSuffix(name, "-") && !strings.Contains(name, "--")
	for _, r := range name {
		if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-') {
			ok = false
		}
	}
	if !ok {
		return fmt.Sprintf("skill name %q is not lowercase letters, digits and single hyphens (at most %d); loaded as is, as Claude Code does", name, maxNameLen), false
	}
	return "", false
}

// checkHeader warns about what would make the skill hard for the model to
// find: no description, one longer than the specification allows, or a
// front matter name that is not the name it is invoked by.
func checkHeader(path string, c slashcmd.Command, data []byte) []slashcmd.Warning {
	var out []slashcmd.Warning
	doc := headerOf(path, data)
	if strings.TrimSpace(doc.String("description")) == "" {
		out = append(out, slashcmd.Warning{Path: path, Line: 1, Msg: "no description: the model sees only the body's first line to decide when to use this skill"})
	} else if n := len([]rune(c.Description)); n > maxDescriptionLen {
		out = append(out, slashcmd.Warning{Path: path, Line: doc.Line("description"), Msg: fmt.Sprintf("description is %d characters, more than %d; the listing shortens it", n, maxDescriptionLen)})
	}
	if n := strings.TrimSpace(doc.String("name")); n != "" && n != c.Name {
		out = append(out, slashcmd.Warning{Path: path, Line: doc.Line("name"), Msg: fmt.Sprintf("name %q differs from the directory; the skill is invoked as /%s (the directory name), as in Claude Code", n, c.Name)})
	}
	return out
}
