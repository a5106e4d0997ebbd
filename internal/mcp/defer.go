package mcp

import "github.com/basalt-dev/basalt/internal/tool"

// deferThreshold is the number of MCP tools above which their
// definitions would better be loaded on demand.
const deferThreshold = 40

// deferTools returns the tools whose definitions go to the model with
// every request. Every tool is loaded for now; this is where a tool
// search index over the rest (beyond deferThreshold) joins.
func deferTools(tools []tool.Tool) []tool.Tool {
	return tools
}
