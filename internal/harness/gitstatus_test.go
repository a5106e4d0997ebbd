package harness

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestOpenTakesTheCallersGitStatus: a git status the frontend started
// early (Options.GitStatus) is the one the first conversation's system
// prompt shows; Open does not run its own.
func TestOpenTakesTheCallersGitStatus(t *testing.T) {
	r := newRig(t, countingScenario, nil)
	calls := 0
	s, _ := r.open(t, Options{GitStatus: func() string { calls++; return "  ## sentinel-branch-7f3a" }})
	if got := answerOf(t, s, "hello"); got != "First answer." {
		t.Fatalf("answer %q", got)
	}
	if calls != 1 {
		t.Errorf("the caller's git status was asked %d times, want once", calls)
	}
	found := false
	err := filepath.WalkDir(s.cfg.StateDir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".jsonl") {
			return err
		}
		data, err := os.ReadFile(path)
		found = found || strings.Contains(string(data), "sentinel-branch-7f3a")
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if !found {
		t.Error("the transcript's system prompt does not hold the caller's git status")
	}
}
