// Command basalt is a terminal coding agent for Claude on Amazon Bedrock.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"

	"github.com/basalt-dev/basalt/internal/cli"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := cli.Main(ctx, os.Args[1:], cli.System())
	stop()
	os.Exit(code)
}
