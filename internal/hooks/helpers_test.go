package hooks

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/basalt-dev/basalt/internal/config"
)

// parseSet reads a "hooks" value as one user settings layer and fails
// the test on any warning.
func parseSet(t *testing.T, hooksJSON string) *Set {
	t.Helper()
	hooks, warns := Parse(Source{Kind: config.SourceUser, Path: "settings.json"}, []byte(hooksJSON), nil)
	for _, w := range warns {
		t.Errorf("unexpected warning: %v", w)
	}
	return &Set{Hooks: hooks}
}

// fixture is the absolute path of a file of testdata/fixtures.
func fixture(t *testing.T, name string) string {
	t.Helper()
	p, err := filepath.Abs(filepath.Join("testdata", "fixtures", name))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(p); err != nil {
		t.Fatal(err)
	}
	return p
}
