package mcp

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/basalt-dev/basalt/internal/toolsearch"
)

// TestManyToolsAreDeferred: past toolsearch.MaxTools, only ToolSearch
// goes in full, its description lists the rest a line each; searching
// loads a tool (the tool list changes, so the agent re-syncs), and a
// model that calls a deferred tool by name gets it loaded rather than
// an unknown-tool error.
func TestManyToolsAreDeferred(t *testing.T) {
	m := start(t, Options{}, stdioServer(t, "s", map[string]string{"MCPTEST_EXTRA_TOOLS": "60"}))
	offered := names(m.Tools())
	if !slices.Equal(offered, []string{toolsearch.Name}) {
		t.Fatalf("offered %v, want only %s", offered, toolsearch.Name)
	}
	search := m.Tools()[0]
	if d := search.Description(); !strings.Contains(d, "mcp__s__tool_042") || !strings.Contains(d, "mcp__s__echo") {
		t.Errorf("the ToolSearch description does not list the deferred tools:\n%s", d)
	}
	all := len(m.allTools())

	gen := m.Generation()
	res := call(t, search, `{"query":"select:mcp__s__tool_007"}`)
	if !strings.Contains(res.Content, "mcp__s__tool_007") || !strings.Contains(res.Content, "kind 7") {
		t.Errorf("search result %q", res.Content)
	}
	if m.Generation() == gen {
		t.Error("loading a tool did not change the tool generation; the agent would not re-sync")
	}
	offered = names(m.Tools())
	if !slices.Contains(offered, "mcp__s__tool_007") || !slices.Contains(offered, toolsearch.Name) || len(offered) != 2 {
		t.Errorf("after the load: %v", offered)
	}
	if d := m.Tools()[len(m.Tools())-1].Description(); strings.Contains(d, "mcp__s__tool_007") {
		t.Error("a loaded tool is still listed as deferred")
	}

	if !m.AwaitTool(context.Background(), "mcp__s__tool_013") {
		t.Fatal("a direct call of a deferred tool was not loaded")
	}
	if res := call(t, findTool(t, m, "mcp__s__tool_013"), `{"query":"x"}`); res.Content != "no matches" {
		t.Errorf("loaded tool ran: %+v", res)
	}
	if got := len(m.allTools()); got != all {
		t.Errorf("loading changed the servers' tools: %d, was %d", got, all)
	}
}

// TestFewToolsAreNotDeferred: the default leaves a normal server's tools
// in full, and ENABLE_TOOL_SEARCH=false never defers.
func TestFewToolsAreNotDeferred(t *testing.T) {
	m := start(t, Options{}, stdioServer(t, "s", nil))
	if slices.Contains(names(m.Tools()), toolsearch.Name) {
		t.Errorf("a small server's tools were deferred: %v", names(m.Tools()))
	}
	never, _ := toolsearch.ParseMode("false")
	m = start(t, Options{ToolSearch: never}, stdioServer(t, "s", map[string]string{"MCPTEST_EXTRA_TOOLS": "60"}))
	if slices.Contains(names(m.Tools()), toolsearch.Name) || len(m.Tools()) < 60 {
		t.Errorf("ENABLE_TOOL_SEARCH=false deferred: %d tools", len(m.Tools()))
	}
}
