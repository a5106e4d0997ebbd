package doctor

import (
	"os"
	"testing"

	"github.com/basalt-dev/basalt/internal/sandbox"
)

// TestMain lets the test binary stand in for basalt as the sandbox's
// network bridge, which the proxy check starts from the running
// executable.
func TestMain(m *testing.M) {
	if len(os.Args) > 1 && os.Args[1] == sandbox.BridgeArg {
		os.Exit(sandbox.RunBridge(os.Args[2:]))
	}
	os.Exit(m.Run())
}
