package agentdef

import (
	"fmt"
	"sort"
	"strings"
)

// Set is the agent types of a session, by name.
type Set struct {
	byName map[string]Definition
}

// NewSet merges definitions given in increasing precedence (built-ins,
// files as Load returns them, then --agents): a later one of the same
// name replaces an earlier one.
func NewSet(defs ...[]Definition) *Set {
	s := &Set{byName: map[string]Definition{}}
	for _, list := range defs {
		for _, d := range list {
			s.byName[d.Name] = d
		}
	}
	return s
}

// Lookup returns the agent called name.
func (s *Set) Lookup(name string) (Definition, bool) {
	d, ok := s.byName[name]
	return d, ok
}

// All returns the agents sorted by name, case folded.
func (s *Set) All() []Definition {
	out := make([]Definition, 0, len(s.byName))
	for _, d := range s.byName {
		out = append(out, d)
	}
	sort.Slice(out, func(i, j int) bool {
		a, b := strings.ToLower(out[i].Name), strings.ToLower(out[j].Name)
		if a != b {
			return a < b
		}
		return out[i].Name < out[j].Name
	})
	return out
}

// Names lists the agent names, for an error that names the choices.
func (s *Set) Names() []string {
	var out []string
	for _, d := range s.All() {
		out = append(out, d.Name)
	}
	return out
}

// Listing is the agent types as the Agent tool's description lists them,
// one line each in Claude Code's form: "- name: description (Tools: …)".
func (s *Set) Listing() string {
	var b strings.Builder
	for _, d := range s.All() {
		fmt.Fprintf(&b, "- %s: %s (Tools: %s)\n", d.Name, oneLine(d.Description), d.ToolsLabel())
	}
	return b.String()
}

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }
