//go:build !linux

package supervise

import (
	"fmt"
	"os"
)

// Run is not available outside Linux; it says so and returns 2.
func Run(args []string) int {
	fmt.Fprintf(os.Stderr, "basalt: %s is only available on Linux\n", Arg)
	return 2
}
