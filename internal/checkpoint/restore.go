package checkpoint

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// ErrLost is returned when the snapshots a restore needs were dropped to
// stay within the limits.
var ErrLost = errors.New("the snapshots of this prompt were dropped to keep the file history within its size bounds")

// FileAction is what restoring one file to a prompt does.
type FileAction struct {
	Path string
	// Delete: the model created the file after the prompt; restoring
	// removes it.
	Delete bool
	// Modified: the file changed outside basalt (an editor, a command)
	// since basalt last changed it; restoring overwrites that, so it
	// needs the user's consent.
	Modified bool
	// Unchanged: the file already is as it was; nothing to do.
	Unchanged bool
	// Unavailable says why the file cannot be restored ("" when it can).
	Unavailable string

	before string // content hash to put back
}

// Plan says what restoring the code to before prompt turn would do to
// each file changed since, without changing anything. It wraps [ErrLost]
// when the snapshots of turn are gone.
func (s *Store) Plan(turn int) ([]FileAction, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.plan(turn)
}

func (s *Store) plan(turn int) ([]FileAction, error) {
	if turn <= s.idx.LostThrough {
		return nil, fmt.Errorf("restore code to prompt %d: %w (the oldest prompt that can still restore code is %d)", turn, ErrLost, s.idx.LostThrough+1)
	}
	var out []FileAction
	seen := map[string]bool{}
	for _, c := range s.idx.Changes {
		if c.Turn < turn || seen[c.Path] {
			continue
		}
		seen[c.Path] = true
		a := FileAction{Path: c.Path, Delete: !c.Existed, Unavailable: c.Unavailable, before: c.Before}
		if a.Unavailable == "" {
			now, err := stateOf(c.Path)
			switch {
			case err != nil:
				a.Unavailable = "cannot read it: " + err.Error()
			case now == targetState(c):
				a.Unchanged = true
			default:
				last, known := s.idx.Current[c.Path]
				a.Modified = !known || last != now
			}
		}
		out = append(out, a)
	}
	return out, nil
}

// Report says what a restore did.
type Report struct {
	Restored []string // put back as they were
	Deleted  []string // created after the prompt, removed
	// Unchanged were already as they were before the prompt.
	Unchanged []string
	// Skipped are the files left as they are, with why: changed outside
	// basalt (and not confirmed), snapshot unavailable, or a failure.
	Skipped []Skipped
}

// Skipped is a file a restore left alone.
type Skipped struct {
	Path, Why string
}

// Restore puts every file changed since before prompt turn back as it
// was, deleting those the model created. A file changed outside basalt
// since its last change through basalt is overwritten only when
// overwrite is set; otherwise it is skipped and reported. The history
// itself is kept, so a later restore to another prompt still works.
func (s *Store) Restore(turn int, overwrite bool) (Report, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	plan, err := s.plan(turn)
	if err != nil {
		return Report{}, err
	}
	var r Report
	for _, a := range plan {
		switch {
		case a.Unavailable != "":
			r.Skipped = append(r.Skipped, Skipped{a.Path, "no snapshot: " + a.Unavailable})
			continue
		case a.Unchanged:
			r.Unchanged = append(r.Unchanged, a.Path)
			continue
		case a.Modified && !overwrite:
			r.Skipped = append(r.Skipped, Skipped{a.Path, "changed outside basalt since its last change; not overwritten"})
			continue
		}
		if a.Delete {
			if err := os.Remove(a.Path); err != nil && !errors.Is(err, fs.ErrNotExist) {
				r.Skipped = append(r.Skipped, Skipped{a.Path, "cannot delete it: " + describe(err)})
				continue
			}
			s.idx.Current[a.Path] = ""
			r.Deleted = append(r.Deleted, a.Path)
			continue
		}
		if err := s.put(a.Path, a.before); err != nil {
			r.Skipped = append(r.Skipped, Skipped{a.Path, "cannot write it: " + describe(err)})
			continue
		}
		s.idx.Current[a.Path] = a.before
		r.Restored = append(r.Restored, a.Path)
	}
	s.save()
	return r, nil
}

// put writes the content named sum to path, keeping the mode the file
// has (a new file gets 0644) and creating its directory.
func (s *Store) put(path, sum string) error {
	data, err := os.ReadFile(filepath.Join(s.dir, sum))
	if err != nil {
		return fmt.Errorf("snapshot missing: %w", err)
	}
	if hash(data) != sum {
		return errors.New("snapshot damaged: its content does not match its hash")
	}
	mode := fs.FileMode(0o644)
	if fi, err := os.Stat(path); err == nil {
		mode = fi.Mode().Perm()
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	return s.writeFile(path, data, mode)
}

// stateOf is a file's content hash, "" when it does not exist.
func stateOf(path string) (string, error) {
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return "", nil
	}
	if err != nil {
		return "", err
	}
	return hash(data), nil
}

func targetState(c Change) string {
	if !c.Existed {
		return ""
	}
	return c.Before
}

func describe(err error) string {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err.Error()
	}
	return err.Error()
}
