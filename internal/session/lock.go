package session

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
)

// ErrLocked: the session is in use by another process. Two processes
// appending to one transcript would mix two conversations, so a session is
// locked for as long as a [Writer] has it open.
var ErrLocked = errors.New("session is in use by another basalt process")

const lockExt = ".lock"

// lockPath is the lock file of the transcript at path: <id>.lock beside
// <id>.jsonl (listing looks at .jsonl files only).
func lockPath(transcript string) string {
	return transcript[:len(transcript)-len(filepath.Ext(transcript))] + lockExt
}

// lock takes the lock of the transcript at path without waiting. The lock
// is flock(2) on an open descriptor: the kernel drops it when the process
// dies, however it dies, so it never goes stale the way a pid file does.
// It returns an error wrapping [ErrLocked] when another process holds it.
// The caller releases it by closing the returned file.
func lock(path string) (*os.File, error) {
	lp := lockPath(path)
	for range 5 {
		f, err := os.OpenFile(lp, os.O_RDWR|os.O_CREATE, fileMode)
		if err != nil {
			return nil, fmt.Errorf("lock session: %w", err)
		}
		if err := flock(f); err != nil {
			f.Close()
			return nil, err
		}
		// Cleanup removes a lock file while holding it; a descriptor
		// opened before that removal locks a file nobody else will open.
		// Only the file still at the path counts.
		held, err1 := f.Stat()
		now, err2 := os.Stat(lp)
		if err1 == nil && err2 == nil && os.SameFile(held, now) {
			return f, nil
		}
		f.Close()
	}
	return nil, fmt.Errorf("lock session: %s keeps being replaced", lp)
}
