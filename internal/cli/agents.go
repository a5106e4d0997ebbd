package cli

import (
	"fmt"
	"sync"

	"github.com/basalt-dev/basalt/internal/harness"
)

// verboseAgentLines prints each subagent step on stderr with --verbose
// in a headless run (the TUI shows them on the Agent call's line); nil
// without --verbose.
func (a *App) verboseAgentLines() func(harness.AgentProgress) {
	if !a.Flags.Verbose {
		return nil
	}
	var mu sync.Mutex
	return func(p harness.AgentProgress) {
		mu.Lock()
		defer mu.Unlock()
		fmt.Fprintf(a.IO.ErrOut, "basalt: agent %s: %s\n", p.Agent, p.Line)
	}
}
