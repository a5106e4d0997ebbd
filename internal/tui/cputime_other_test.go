//go:build !unix

package tui

import "time"

// cpuTime is unknown here: the benchmark leaves cpu-ms/op out.
func cpuTime() time.Duration { return 0 }
