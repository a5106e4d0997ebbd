package cli

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// --rewind-files is Claude Code's flag (testdata/claude-code), and needs
// --resume as there.
func TestRewindFilesFlag(t *testing.T) {
	t.Parallel()
	data, err := os.ReadFile(filepath.Join("testdata", "claude-code", "rewind-files-flag.txt"))
	if err != nil {
		t.Fatal(err)
	}
	var name string
	for _, l := range strings.Split(string(data), "\n") {
		if strings.HasPrefix(l, "--") {
			name, _, _ = strings.Cut(strings.TrimPrefix(l, "--"), " ")
			break
		}
	}
	app, _, _ := testApp()
	var got *rootOptions
	cmd := newRootCmd(app, func(_ context.Context, _ *App, o *rootOptions) error { got = o; return nil })
	if cmd.Flags().Lookup(name) == nil {
		t.Fatalf("basalt has no --%s", name)
	}
	cmd.SetArgs([]string{"-r", "abc", "--" + name, "3"})
	if err := cmd.Execute(); err != nil || got.RewindFiles != "3" || got.Resume != "abc" {
		t.Fatalf("parse: %v %+v", err, got)
	}

	app, _, _ = testApp()
	cmd = newRootCmd(app, func(context.Context, *App, *rootOptions) error { return nil })
	cmd.SetArgs([]string{"--" + name, "3"})
	var ue *UsageError
	if err := cmd.Execute(); !errors.As(err, &ue) || !strings.Contains(err.Error(), "needs --resume") {
		t.Errorf("without --resume: %v", err)
	}
}
