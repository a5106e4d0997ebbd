// Command session is the helper of the session benchmark
// (bench/session/run.sh). It records what a client sends, measures the
// client process, and turns the emulator's ledgers into the side-by-side
// table:
//
//	session proxy --target URL --out FILE      forward to basalt emulator, one JSON line per request body
//	session measure --out FILE -- CMD [ARG…]   run CMD; start time, wall time, peak RSS, CPU time
//	session report [--requests] LABEL=DIR…     the table (Markdown), one column per run directory
//
// It is a main package rather than a test so that `go test ./...` never
// runs the benchmark: it needs npm, a network namespace and a minute.
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprintln(stderr, "usage: session proxy|measure|report …")
		return 2
	}
	var err error
	switch args[0] {
	case "proxy":
		err = runProxy(ctx, args[1:], stdout)
	case "measure":
		var code int
		code, err = runMeasure(ctx, args[1:])
		if err == nil {
			return code
		}
	case "report":
		err = runReport(args[1:], stdout)
	default:
		err = fmt.Errorf("unknown command %q; want proxy, measure or report", args[0])
	}
	if err != nil {
		fmt.Fprintln(stderr, "session:", err)
		return 1
	}
	return 0
}
