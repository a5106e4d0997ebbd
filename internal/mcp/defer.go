package mcp

import (
	"encoding/json"

	"github.com/basalt-dev/basalt/internal/tool"
	"github.com/basalt-dev/basalt/internal/toolsearch"
)

// defaultContextWindow is the window the deferral threshold is measured
// against when the model's is not known: the smallest Claude window.
const defaultContextWindow = 200_000

// allTools are every MCP tool the servers offer, loaded or not.
func (m *Manager) allTools() []tool.Tool {
	var out []tool.Tool
	resources := false
	for _, s := range m.servers {
		s.mu.Lock()
		for _, t := range s.tools {
			out = append(out, &mcpTool{srv: s, def: t, name: ToolName(s.cfg.Name, t.Name)})
		}
		resources = resources || s.hasResources
		s.mu.Unlock()
	}
	return append(out, m.resourceTools(resources)...)
}

// deferTools returns the tools whose definitions go to the model with
// every request. With many MCP tools (ENABLE_TOOL_SEARCH, by default more
// than toolsearch.MaxTools or over a tenth of the context window), only
// the tools the model loaded go in full; the rest are named, with a line
// each, in the description of a ToolSearch tool that loads them. That
// keeps the fixed, cached part of every request small; a load changes the
// tools, and the model and the user are told, as for any tool change.
func (m *Manager) deferTools(tools []tool.Tool) []tool.Tool {
	defs := make([]toolsearch.Def, len(tools))
	for i, t := range tools {
		defs[i] = toolsearch.Def{Name: t.Name(), Description: t.Description(), Schema: json.RawMessage(t.InputSchema())}
	}
	window := m.o.ContextWindow
	if window <= 0 {
		window = defaultContextWindow
	}
	if !m.o.ToolSearch.Defer(defs, window) {
		m.setDeferred(nil)
		return tools
	}
	var kept []tool.Tool
	var deferred []toolsearch.Def
	names := map[string]bool{}
	m.mu.Lock()
	for i, t := range tools {
		if m.loaded[t.Name()] {
			kept = append(kept, t)
		} else {
			deferred = append(deferred, defs[i])
			names[t.Name()] = true
		}
	}
	m.mu.Unlock()
	m.setDeferred(names)
	if len(deferred) == 0 {
		return kept
	}
	search := toolsearch.Tool(toolsearch.New(deferred), m.load)
	return append(kept, describedTool{Tool: search, more: toolsearch.Summary(deferred)})
}

// setDeferred records which tools are behind ToolSearch now, for
// loadIfDeferred.
func (m *Manager) setDeferred(names map[string]bool) {
	m.mu.Lock()
	m.deferred = names
	m.mu.Unlock()
}

// load makes the named tools' definitions part of the following
// requests (the ToolSearch tool's onLoad, or a direct call of a deferred
// tool).
func (m *Manager) load(names []string) {
	m.mu.Lock()
	defer m.mu.Unlock()
	changed := false
	for _, n := range names {
		if !m.loaded[n] {
			if m.loaded == nil {
				m.loaded = map[string]bool{}
			}
			m.loaded[n] = true
			changed = true
		}
	}
	if changed {
		m.gen++
	}
}

// loadIfDeferred loads name when it is a deferred tool, for a model that
// calls one it knows by name without searching first; it reports whether
// it did.
func (m *Manager) loadIfDeferred(name string) bool {
	m.mu.Lock()
	deferred := m.deferred[name]
	m.mu.Unlock()
	if deferred {
		m.load([]string{name})
	}
	return deferred
}

// describedTool is a tool whose description carries more text: the
// deferred tools' listing on the ToolSearch tool.
type describedTool struct {
	tool.Tool
	more string
}

func (t describedTool) Description() string { return t.Tool.Description() + "\n\n" + t.more }
