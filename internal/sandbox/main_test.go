package sandbox

import (
	"os"
	"testing"
)

// unixDialArg makes the test binary a small client for the unix socket
// tests: it makes a socketpair, then dials the socket named after it.
const unixDialArg = "__unix-dial"

// TestMain lets the test binary serve as the network bridge inside the
// sandbox, as basalt's own binary does (Options.BridgePath defaults to
// the running executable), and as the unix socket client.
func TestMain(m *testing.M) {
	if len(os.Args) > 1 && os.Args[1] == BridgeArg {
		os.Exit(RunBridge(os.Args[2:]))
	}
	if len(os.Args) > 2 && os.Args[1] == unixDialArg {
		os.Exit(unixDial(os.Args[2]))
	}
	os.Exit(m.Run())
}
