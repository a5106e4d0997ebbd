// Package atomicfile replaces a file so that a crash leaves the old
// content or the new, never half of either. basalt's settings files and
// its record of trusted folders are written through it, so how such a
// file is written (temporary file beside it, mode, sync, rename) is
// decided once.
//
// It does not make directories or keep backups: callers decide where a
// file may go and what to keep of the old one.
package atomicfile

import (
	"io/fs"
	"os"
	"path/filepath"
)

// Write replaces path with data, mode perm: the data goes to a temporary
// file in path's directory, which is synced and then renamed over path.
// The temporary file is removed when any step fails.
func Write(path string, data []byte, perm fs.FileMode) error {
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*")
	if err != nil {
		return err
	}
	tmp := f.Name()
	defer os.Remove(tmp) // after a successful rename there is nothing to remove
	if err := f.Chmod(perm); err != nil {
		f.Close()
		return err
	}
	if _, err := f.Write(data); err != nil {
		f.Close()
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}
