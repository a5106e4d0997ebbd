package permission

import (
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// TestGlobCoversBash is a differential test of expandGlob against bash:
// every file bash would pass for a pattern must be among basalt's
// expansions, or basalt must report the pattern unresolvable.
func TestGlobCoversBash(t *testing.T) {
	t.Parallel()
	bash, err := exec.LookPath("bash")
	if err != nil {
		t.Skip("no bash")
	}
	dir := t.TempDir()
	for _, f := range []string{".env", "a", "b.txt", "README.md", "[x]", "x!y"} {
		if err := os.WriteFile(filepath.Join(dir, f), nil, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	patterns := []string{
		".en[!x]", ".en[^x]", ".en?", ".e*", "*", ".*", "*.md", "[.]env", ".en[v]", "{.e,R}*", "[[]x]",
		"x[!a]y", "?", "[ab]*", "[a-c]", ".[e]nv", "*[!.]*", "b.{txt,md}", ".en[[:alpha:]]",
	}
	for _, pat := range patterns {
		t.Run(pat, func(t *testing.T) {
			t.Parallel()
			cmd := exec.CommandContext(t.Context(), bash, "--norc", "--noprofile", "-c", "printf '%s\\n' "+pat)
			cmd.Dir = dir
			out, err := cmd.Output()
			if err != nil {
				t.Fatalf("bash: %v", err)
			}
			got := expandGlob(pat, true, dir, "")
			for _, g := range got {
				if strings.HasPrefix(g, "~-/") {
					return // basalt asks
				}
			}
			for _, b := range strings.Split(strings.TrimSuffix(string(out), "\n"), "\n") {
				if !slices.Contains(got, b) && !slices.Contains(got, filepath.Join(dir, b)) {
					t.Errorf("bash expands %s to %q, basalt does not: %q", pat, b, got)
				}
			}
		})
	}
}
