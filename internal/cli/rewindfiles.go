package cli

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/basalt-dev/basalt/internal/config"
	"github.com/basalt-dev/basalt/internal/harness"
)

// errNotAllRestored ends --rewind-files with exit code 1 when a file
// could not be restored; the files were named already.
var errNotAllRestored = errors.New("some files were not restored (see above)")

// runRewindFiles is `basalt --resume ID --rewind-files N`, Claude Code's
// flag: it puts the files the model changed since before prompt N of the
// session back as they were (deleting those it created) and exits,
// without talking to the model. Files changed outside basalt since are
// left alone and named, with exit code 1.
func runRewindFiles(app *App, cfg *config.Config, opts *rootOptions) error {
	turn, err := strconv.Atoi(strings.TrimPrefix(opts.RewindFiles, "#"))
	if err != nil || turn < 1 {
		return usageErrorf("give the number /rewind shows for the prompt, e.g. --rewind-files 3", "--rewind-files %q: want a prompt number (1, 2, …)", opts.RewindFiles)
	}
	rep, err := harness.RewindFiles(cfg.StateDir, cfg.ProjectRoot, opts.Resume, turn)
	if err != nil {
		return err
	}
	for _, p := range rep.Restored {
		fmt.Fprintf(app.IO.Out, "restored %s\n", p)
	}
	for _, p := range rep.Deleted {
		fmt.Fprintf(app.IO.Out, "deleted %s\n", p)
	}
	for _, p := range rep.Unchanged {
		fmt.Fprintf(app.IO.Out, "unchanged %s (already as it was)\n", p)
	}
	if len(rep.Restored)+len(rep.Deleted)+len(rep.Unchanged)+len(rep.Skipped) == 0 {
		fmt.Fprintf(app.IO.Out, "nothing to restore: no file was changed through basalt since before prompt %d\n", turn)
	}
	for _, s := range rep.Skipped {
		fmt.Fprintf(app.IO.ErrOut, "not restored %s: %s\n", s.Path, s.Why)
	}
	if len(rep.Skipped) > 0 {
		return fmt.Errorf("--rewind-files %d: %w", turn, errNotAllRestored)
	}
	return nil
}
