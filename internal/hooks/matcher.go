package hooks

import (
	"path/filepath"
	"regexp"
	"strings"

	"github.com/basalt-dev/basalt/internal/lazyre"
)

// matcher decides which values of an event's match field (a tool name,
// a SessionStart source, …) a hook group applies to, the way Claude Code
// reads its "matcher" string:
//   - empty or "*" matches everything;
//   - a plain list of names ("Edit|Write", and for events with a match
//     field also "startup, resume") matches those names exactly, so
//     "Bash" does not match "BashOutput";
//   - anything else is a regular expression searched in the value
//     (unanchored, as JavaScript's RegExp.test does): "Notebook.*",
//     "mcp__github__.*".
//
// Tool names are compared through their aliases (Task and Agent,
// BashOutput and TaskOutput, …), since a team's file names the tools of
// the Claude Code release it was written for.
type matcher struct {
	all   bool
	names []string       // exact names, canonical
	re    *regexp.Regexp // nil unless a regular expression
	bad   bool           // an expression RE2 cannot compile: matches nothing
}

var (
	plainNames     = lazyre.New(`^[a-zA-Z0-9_|]+$`)
	plainNamesList = lazyre.New(`^[a-zA-Z0-9_|, -]+$`)
)

// compileMatcher compiles s; the error says why a regular expression
// cannot be used (the hook then never runs, as in Claude Code).
func compileMatcher(s string) (matcher, error) {
	if s == "" || s == "*" {
		return matcher{all: true}, nil
	}
	if plainNamesList().MatchString(s) {
		sep := "|,"
		if plainNames().MatchString(s) {
			sep = "|"
		}
		var m matcher
		for _, n := range strings.FieldsFunc(s, func(r rune) bool { return strings.ContainsRune(sep, r) }) {
			if n = strings.TrimSpace(n); n != "" {
				m.names = append(m.names, canonicalTool(n))
			}
		}
		return m, nil
	}
	re, err := regexp.Compile(s)
	if err != nil {
		return matcher{bad: true}, err
	}
	return matcher{re: re}, nil
}

func (m matcher) match(value string) bool {
	switch {
	case m.all:
		return true
	case m.bad:
		return false
	case m.re != nil:
		if m.re.MatchString(value) {
			return true
		}
		for _, alias := range toolAliases(value) {
			if m.re.MatchString(alias) {
				return true
			}
		}
		return false
	}
	c := canonicalTool(value)
	for _, n := range m.names {
		if n == c {
			return true
		}
	}
	return false
}

// legacyTools maps the tool names of earlier Claude Code releases (and
// basalt's own, which follow them) to the current ones.
var legacyTools = map[string]string{
	"Task":            "Agent",
	"KillShell":       "TaskStop",
	"KillBash":        "TaskStop",
	"BashOutput":      "TaskOutput",
	"BashOutputTool":  "TaskOutput",
	"AgentOutput":     "TaskOutput",
	"AgentOutputTool": "TaskOutput",
}

func canonicalTool(name string) string {
	if c, ok := legacyTools[name]; ok {
		return c
	}
	return name
}

// toolAliases returns the other names of a tool: its canonical name and
// the legacy names of that.
func toolAliases(name string) []string {
	c := canonicalTool(name)
	var out []string
	if c != name {
		out = append(out, c)
	}
	for old, cur := range legacyTools {
		if cur == c && old != name {
			out = append(out, old)
		}
	}
	return out
}

// matchValue is what an event's matchers are compared with, from its
// input; ok is false for an event without a match field.
func matchValue(ev Event, in map[string]any) (string, bool) {
	info, _ := Info(ev)
	if info.MatchField == "" {
		return "", false
	}
	v, _ := in[info.MatchField].(string)
	if ev == FileChanged {
		v = filepath.Base(v)
	}
	return v, true
}
