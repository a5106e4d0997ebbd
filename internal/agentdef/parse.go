package agentdef

import (
	"fmt"
	"path/filepath"
	"strings"

	"github.com/basalt-dev/basalt/internal/frontmatter"
)

// Warning is a problem in a definition file that did not stop it from
// loading (or, when the message says so, skipped it).
type Warning = frontmatter.Warning

// ParseFile reads one agent file: front matter name, description, tools,
// disallowedTools and model; the body is the system prompt. ok is false
// when the file cannot define an agent (no body); the warnings say why.
func ParseFile(path string, data []byte, src Source) (d Definition, ok bool, warns []Warning) {
	doc, body, _, warns := frontmatter.Parse(path, data)
	warn := func(key, format string, args ...any) {
		warns = append(warns, Warning{Path: path, Line: doc.Line(key), Msg: fmt.Sprintf(format, args...)})
	}
	d = Definition{Source: src, Path: path, Prompt: strings.TrimSpace(body)}
	d.Name = strings.TrimSpace(doc.String("name"))
	if d.Name == "" {
		d.Name = strings.TrimSuffix(filepath.Base(path), filepath.Ext(path))
		warns = append(warns, Warning{Path: path, Line: 1, Msg: fmt.Sprintf("no name in the front matter; the agent is called %q after its file", d.Name)})
	}
	if strings.ContainsAny(d.Name, " \t\n\"'`") {
		warn("name", "name %q has a blank or quote; the model cannot name it reliably (use lowercase letters and hyphens)", d.Name)
	}
	d.Description = strings.TrimSpace(doc.String("description"))
	if d.Description == "" {
		d.Description = firstLine(d.Prompt)
		warns = append(warns, Warning{Path: path, Line: 1, Msg: "no description: the model picks agents by their description, and sees only the prompt's first line for this one"})
	}
	if d.Prompt == "" {
		warns = append(warns, Warning{Path: path, Line: 1, Msg: "no system prompt (the body after the front matter is empty); agent skipped"})
		return d, false, warns
	}
	if doc.Has("tools") && len(doc.List("tools")) > 0 {
		var notes []string
		d.Tools, notes = normalizeTools(doc.List("tools"))
		for _, n := range notes {
			warn("tools", "%s", n)
		}
	}
	if doc.Has("disallowedTools") {
		d.Exclude, _ = normalizeTools(doc.List("disallowedTools"))
	}
	d.Model = strings.TrimSpace(doc.String("model"))
	if doc.Has("permissionMode") {
		warn("permissionMode", "permissionMode is not applied: a subagent runs under the session's permission mode and rules")
	}
	return d, true, warns
}

func firstLine(s string) string {
	line, _, _ := strings.Cut(strings.TrimSpace(s), "\n")
	return strings.TrimSpace(line)
}
