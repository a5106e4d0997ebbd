// Package toolsearch defers tool definitions the way Claude Code's tool
// search does: when MCP servers bring many tools, the request carries only
// their names and one-line descriptions ([Summary]) and a ToolSearch tool
// ([Tool]); the model searches or selects ("select:A,B") the tools it
// needs, and from then on the harness sends their full definitions.
//
// It owns the decision to defer ([ShouldDefer], [ParseMode] for
// ENABLE_TOOL_SEARCH), the index and its ranking ([Index.Search]) and the
// tool. It must not know where definitions come from (MCP, plugins) nor
// keep which tools a conversation has loaded: the harness does, through
// the callback it gives [Tool].
package toolsearch
