package sandbox

import (
	"os"
	"testing"
)

// TestMain lets the test binary serve as the network bridge inside the
// sandbox, as basalt's own binary does (Options.BridgePath defaults to
// the running executable).
func TestMain(m *testing.M) {
	if len(os.Args) > 1 && os.Args[1] == BridgeArg {
		os.Exit(RunBridge(os.Args[2:]))
	}
	os.Exit(m.Run())
}
