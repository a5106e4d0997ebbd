package tool

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// newFileMode is the mode of files Write and Edit create.
const newFileMode fs.FileMode = 0o644

// writeFileAtomic replaces path with data so that a reader (or a crash)
// sees either the old content or the new, never a mix: the data goes to a
// temporary file in the same directory, is synced, takes the old file's
// mode and owner, and is renamed over path. Parent directories are
// created. When path is a symlink the link is kept and its target
// replaced. It returns the path actually written.
func (s *Session) writeFileAtomic(path string, data []byte) (string, error) {
	target := path
	if r, err := filepath.EvalSymlinks(path); err == nil {
		target = r
	}
	mode := newFileMode
	var old fs.FileInfo
	if fi, err := os.Stat(target); err == nil {
		if !fi.Mode().IsRegular() {
			return "", fmt.Errorf("%s is not a regular file", path)
		}
		mode = fi.Mode() & (fs.ModePerm | fs.ModeSetuid | fs.ModeSetgid | fs.ModeSticky)
		old = fi
	} else if !errors.Is(err, fs.ErrNotExist) {
		return "", err
	}
	dir := filepath.Dir(target)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", err
	}
	f, err := os.CreateTemp(dir, "."+filepath.Base(target)+".basalt-*.tmp")
	if err != nil {
		return "", err
	}
	tmp := f.Name()
	ok := false
	defer func() {
		if !ok {
			f.Close()
			os.Remove(tmp)
		}
	}()
	if _, err := f.Write(data); err != nil {
		return "", err
	}
	if err := f.Sync(); err != nil {
		return "", err
	}
	if err := f.Chmod(mode); err != nil {
		return "", err
	}
	if old != nil {
		keepOwner(f, old)
	}
	if err := f.Close(); err != nil {
		return "", err
	}
	if err := s.rename(tmp, target); err != nil {
		return "", err
	}
	ok = true
	if d, err := os.Open(dir); err == nil {
		_ = d.Sync() // make the rename durable; not all filesystems support it
		d.Close()
	}
	return target, nil
}

// describeFSError words a filesystem error for the model without Go's
// operation prefixes.
func describeFSError(err error) string {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Path + ": " + pe.Err.Error()
	}
	var le *os.LinkError
	if errors.As(err, &le) {
		return le.New + ": " + le.Err.Error()
	}
	return err.Error()
}
