package config

import "testing"

// TestIsSecretAllocations: IsSecret runs on every variable of the
// environment at start (log scrubbing, protectProcess), so it must not
// rebuild its tables per call. Building a strings.Replacer per call cost
// over 20 allocations.
func TestIsSecretAllocations(t *testing.T) {
	IsSecret("MY_TOKEN") // compile the expression once
	got := testing.AllocsPerRun(20, func() { IsSecret("SOME_PLAIN_NAME") })
	if got > 4 {
		t.Errorf("IsSecret allocates %.0f times per call, want at most 4", got)
	}
}
