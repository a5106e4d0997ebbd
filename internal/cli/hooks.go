package cli

import (
	"fmt"
	"sync"
)

// verboseHookLines is harness.Options.HookRun for -p --verbose: one
// stderr line per hook run, with its exit code and duration. Hooks run
// in parallel, so the lines are written one at a time.
func (a *App) verboseHookLines() func(string) {
	if !a.Flags.Verbose {
		return nil
	}
	var mu sync.Mutex
	return func(line string) {
		mu.Lock()
		defer mu.Unlock()
		fmt.Fprintf(a.IO.ErrOut, "basalt: %s\n", line)
	}
}
