package permission

import (
	"fmt"
	"strings"
)

// MCP tools (mcp__SERVER__TOOL) are decided like any tool without a path
// or command: a rule naming the tool, its server ("mcp__github") or a
// prefix ("mcp__github__*") allows, asks or denies it, and without one
// the user is asked. Plan mode refuses tools that may change things; a
// tool its server marks read-only (readOnlyHint) may still be asked
// about in plan mode, as reading is what planning does. The hint comes
// from the server, so it only ever lifts plan mode's refusal, never the
// question.

// SetReadOnlyTool tells the checker which tools only observe, for plan
// mode. nil: none beyond the built-in ones.
func (c *Checker) SetReadOnlyTool(readOnly func(tool string) bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.readOnlyTool = readOnly
}

func (e *eval) readOnly(tool string) bool {
	e.c.mu.RLock()
	f := e.c.readOnlyTool
	e.c.mu.RUnlock()
	return f != nil && f(tool)
}

// mcpSubject names an MCP call for messages and the permission prompt:
// "use tool create_issue of MCP server github".
func mcpSubject(tool string) (subject, bool) {
	rest, ok := strings.CutPrefix(tool, "mcp__")
	if !ok {
		return subject{}, false
	}
	server, name, ok := strings.Cut(rest, "__")
	if !ok || server == "" || name == "" {
		return subject{}, false
	}
	return subject{verb: "use", object: fmt.Sprintf("tool %s of MCP server %s", name, server)}, true
}
