package rulespec

import (
	"fmt"
	"strings"
)

// Tool is a rule's tool name, read.
type Tool struct {
	// Name is the name as written.
	Name string
	// Prefix is set for a wildcard rule: "mcp__github__*" covers every
	// tool whose name starts with "mcp__github__". A server rule
	// "mcp__github" covers the server's tools as Claude Code documents, so
	// its Prefix is "mcp__github__" and Name matches too.
	Prefix string
}

// Matches reports whether a call to tool is covered by the rule's tool
// name.
func (t Tool) Matches(tool string) bool {
	if t.Name == tool {
		return true
	}
	return t.Prefix != "" && strings.HasPrefix(tool, t.Prefix)
}

// mcpPrefix starts the name of every MCP tool: mcp__SERVER__TOOL.
const mcpPrefix = "mcp__"

// ParseTool reads the tool name of a rule. A trailing * is a wildcard
// only in MCP names (mcp__*, mcp__github__*, mcp__plugin_context7_*),
// where Claude Code accepts it; anywhere else, and for a name that is not
// a name at all ("Web Search"), the error says why the rule is inert.
func ParseTool(name string) (Tool, error) {
	t := Tool{Name: name}
	base, star := strings.CutSuffix(name, "*")
	if star {
		if !strings.HasPrefix(name, mcpPrefix) {
			return t, fmt.Errorf("%q: a * in a tool name is only meaningful in MCP tool names (mcp__server__*)", name)
		}
		if strings.Contains(base, "*") || !validName(strings.TrimSuffix(base, "_")) {
			return t, fmt.Errorf("%q is not a tool name", name)
		}
		t.Prefix = base
		return t, nil
	}
	if !validName(name) {
		return t, fmt.Errorf("%q is not a tool name", name)
	}
	if server, ok := strings.CutPrefix(name, mcpPrefix); ok && server != "" && !strings.Contains(server, "__") {
		t.Prefix = name + "__"
	}
	return t, nil
}

func validName(s string) bool {
	if s == "" {
		return false
	}
	for i, c := range s {
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c == '_':
		case (c >= '0' && c <= '9' || c == '-' || c == '.') && i > 0:
		default:
			return false
		}
	}
	return true
}
