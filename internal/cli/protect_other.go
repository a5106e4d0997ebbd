//go:build !linux

package cli

// protectProcess does nothing where there is no PR_SET_DUMPABLE or
// /proc/self/mem; see protect_linux.go for what it guards against there.
func protectProcess(map[string]string) error { return nil }

func scrubProcessEnv([]string) error { return nil }
