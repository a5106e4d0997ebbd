package sandbox

import (
	"context"
	"errors"
	"os"
	"sync"
)

type proxy struct{}

func startProxy(domains []string, o Options, log *blockLog, network string) (*proxy, error) {
	return nil, errors.New("sandbox proxy: not implemented yet")
}
func (p *proxy) close() error { return nil }

const proxyNetwork = "unix"

type blockLog struct {
	mu   sync.Mutex
	seen []Blocked
}

type stubBackend struct{}

func newBackend(s *Sandbox) (backend, error) { return stubBackend{}, nil }
func (stubBackend) wrap(ctx context.Context, shell, script, dir string) ([]string, []string, []*os.File, error) {
	return nil, nil, nil, errors.New("sandbox: not implemented yet")
}
func (stubBackend) close() error { return nil }

// Probe reports whether the sandbox can run here.
func Probe(ctx context.Context) Status {
	return Status{Reason: "sandbox not implemented yet"}
}

// Violation explains a failed command's output when the sandbox is the
// likely cause, "" otherwise.
func (s *Sandbox) Violation(exitCode int, output string) string { return "" }

// Describe renders the policy for /sandbox and doctor.
func Describe(p Policy, st Status) string { return "" }

// BridgeArg is the hidden first argument that makes basalt run as the
// sandbox's network bridge.
const BridgeArg = "__sandbox-bridge"

// RunBridge runs the bridge with the arguments after BridgeArg and
// returns the exit code.
func RunBridge(args []string) int { return 1 }
