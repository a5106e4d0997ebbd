// Command basalt is a terminal coding agent for Claude on Amazon Bedrock.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"

	"github.com/basalt-dev/basalt/internal/cli"
)

func main() { os.Exit(basalt(nil)) }

// basalt runs the program under a context that the first SIGINT or
// SIGTERM cancels, with the process's arguments, streams and environment
// and the managed-policy files given (nil: the system's), and returns the
// exit code.
func basalt(managed []string) int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	return cli.Main(ctx, cli.Input{Args: os.Args[1:], IO: cli.System(), Environ: os.Environ(), ManagedPaths: managed})
}
