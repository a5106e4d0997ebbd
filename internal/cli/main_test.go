package cli

import (
	"os"
	"testing"
)

// TestMain lets the test binary stand in for basalt as the sandbox's
// network bridge: doctor's proxy check (and any sandboxed session a test
// opens) starts the bridge from the running executable, which here is
// this test binary, not basalt.
func TestMain(m *testing.M) {
	if code, ok := sandboxBridge(os.Args[1:]); ok {
		os.Exit(code)
	}
	os.Exit(m.Run())
}
