//go:build !linux && !darwin

package sandbox

import (
	"context"
	"errors"
	"os"
	"runtime"
)

const proxyNetwork = "tcp"

func probe(ctx context.Context) Status {
	return Status{Reason: "basalt has no sandbox for " + runtime.GOOS + " (only Linux with bubblewrap and macOS with sandbox-exec)", Hint: "run basalt on Linux or macOS to use the sandbox, or turn it off (sandbox.enabled: false)"}
}

type noBackend struct{}

func newBackend(s *Sandbox) (backend, error) {
	return nil, errors.New("sandbox: not available on " + runtime.GOOS)
}

func (noBackend) wrap(ctx context.Context, shell, script, dir string) ([]string, []string, []*os.File, error) {
	return nil, nil, nil, errors.New("sandbox: not available on " + runtime.GOOS)
}
func (noBackend) close() error { return nil }
