// Command server is the test MCP server on stdio, for bench/mcp:
// MCPTEST_START_DELAY_MS delays its start, MCPTEST_EXTRA_TOOLS adds tools.
package main

import (
	"fmt"
	"os"

	"github.com/basalt-dev/basalt/internal/mcp/mcptest"
)

func main() {
	if err := mcptest.RunStdio(); err != nil {
		fmt.Fprintln(os.Stderr, "server:", err)
		os.Exit(1)
	}
}
