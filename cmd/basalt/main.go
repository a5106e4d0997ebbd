// Command basalt is a terminal coding agent for Claude on Amazon Bedrock.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"

	"github.com/basalt-dev/basalt/internal/cli"
)

func main() { os.Exit(basalt()) }

// basalt runs the program under a context that the first SIGINT or
// SIGTERM cancels, and returns the exit code.
func basalt() int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	return cli.Main(ctx, os.Args[1:], cli.System())
}
