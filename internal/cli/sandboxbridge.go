package cli

import "github.com/basalt-dev/basalt/internal/sandbox"

// sandboxBridge runs basalt as the sandbox's network bridge when args
// ask for it (sandbox.BridgeArg, hidden): inside the sandbox, before any
// configuration is read or cobra is built, so each sandboxed command
// pays only the bridge's own start-up.
func sandboxBridge(args []string) (code int, ok bool) {
	if len(args) == 0 || args[0] != sandbox.BridgeArg {
		return 0, false
	}
	return sandbox.RunBridge(args[1:]), true
}
