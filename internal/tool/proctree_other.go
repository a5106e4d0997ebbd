//go:build !linux

package tool

import (
	"fmt"
	"os"
)

// SelfSupervisor returns "": outside Linux there is no supervisor, and
// commands run in their own process group, which is signalled as a whole.
// A child that leaves the group (setsid) or outlives a SIGKILLed basalt is
// not stopped there.
func SelfSupervisor() string { return "" }

// Supervise is not available outside Linux; it says so and returns 2.
func Supervise(args []string) int {
	fmt.Fprintf(os.Stderr, "basalt: %s is only available on Linux\n", SuperviseArg)
	return 2
}
