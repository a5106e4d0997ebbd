package session

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// Cleanup removes the transcripts of every project under the state
// directory that have not been written to for olderThan, and the project
// directories it leaves empty. It implements cleanupPeriodDays, which is
// a user setting about all transcripts, not one project's. A session in
// use is safe as long as olderThan exceeds the time between its writes;
// olderThan must be positive. Problems with single files are joined into
// the error after everything else was cleaned.
func (s *Store) Cleanup(olderThan time.Duration) (removed int, err error) {
	if olderThan <= 0 {
		return 0, fmt.Errorf("clean up sessions: period %v is not positive", olderThan)
	}
	cutoff := s.now().Add(-olderThan)
	projects := filepath.Join(s.stateDir, "projects")
	des, err := os.ReadDir(projects)
	if errors.Is(err, fs.ErrNotExist) {
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("clean up sessions: %w", err)
	}
	var errs []error
	for _, de := range des {
		if !de.IsDir() {
			continue
		}
		dir := filepath.Join(projects, de.Name())
		files, err := listDir(dir)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		n := 0
		for _, f := range files {
			if !f.mod.Before(cutoff) {
				continue
			}
			if err := removeUnlocked(f.path); err != nil {
				if !errors.Is(err, ErrLocked) {
					errs = append(errs, err)
				}
				continue
			}
			n++
		}
		removed += n
		// Only a directory this cleanup emptied: an empty one may be a
		// session being created. Fails, as intended, while anything else
		// is in it.
		if n > 0 && n == len(files) {
			_ = os.Remove(dir)
		}
	}
	if err := errors.Join(errs...); err != nil {
		return removed, fmt.Errorf("clean up sessions: %w", err)
	}
	return removed, nil
}

// removeUnlocked removes a transcript and its lock file, unless another
// process has the session open. The lock file goes while held, so that
// nobody can take it between the check and the removal.
func removeUnlocked(path string) error {
	lk, err := lock(path)
	if err != nil {
		return err
	}
	defer lk.Close()
	if err := os.Remove(path); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	if err := os.Remove(lockPath(path)); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	// The session's subagent transcripts (sidechain.go) go with it.
	return os.RemoveAll(strings.TrimSuffix(path, ext))
}
