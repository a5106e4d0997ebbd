package trust

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"time"

	"github.com/basalt-dev/basalt/internal/atomicfile"
)

// FileName is the store's file in the state directory.
const FileName = "trust.json"

// Path is the store's file in stateDir. Callers pass the state directory
// of the process environment, never one a project's settings could move.
func Path(stateDir string) string { return filepath.Join(stateDir, FileName) }

// Entry is the decision about one folder.
type Entry struct {
	// Fingerprint is the config.Trust fingerprint the user trusted.
	Fingerprint string `json:"fingerprint"`
	// Settings names the risky settings trusted, for --list.
	Settings  []string  `json:"settings,omitempty"`
	TrustedAt time.Time `json:"trusted_at"`
}

// Folder is an entry with its folder, as [Store.List] returns them.
type Folder struct {
	Dir string
	Entry
}

// file is the JSON document.
type file struct {
	Version int              `json:"version"`
	Folders map[string]Entry `json:"folders"`
}

const version = 1

var errNotAbsolute = errors.New("not an absolute path; set HOME or XDG_STATE_HOME")

// Store holds the decisions. It is not safe for concurrent use; each
// basalt process loads it, changes it and saves it.
type Store struct {
	path    string
	folders map[string]Entry
}

// CorruptError means the store could not be read or decoded. [Load]
// returns it with an empty store: nothing is trusted until the file is
// fixed or overwritten by the next decision.
type CorruptError struct {
	Path string
	Err  error
}

func (e *CorruptError) Error() string {
	return fmt.Sprintf("trust store %s: %v; no folder is trusted until it is fixed or removed", e.Path, e.Err)
}

func (e *CorruptError) Unwrap() error { return e.Err }

// Load reads the store at path. A missing file is an empty store. It
// always returns a usable store; a non-nil error (a *CorruptError) says
// why it is empty although the file exists, and is a warning for the
// user, never a reason to trust.
func Load(path string) (*Store, error) {
	s := &Store{path: path, folders: map[string]Entry{}}
	if !filepath.IsAbs(path) {
		// Without HOME and XDG_STATE_HOME the path is relative to the
		// working directory: inside the repository being judged.
		return s, &CorruptError{Path: path, Err: errNotAbsolute}
	}
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return s, nil
	}
	if err != nil {
		return s, &CorruptError{Path: path, Err: err}
	}
	var f file
	if err := json.Unmarshal(data, &f); err != nil {
		return s, &CorruptError{Path: path, Err: err}
	}
	if f.Version != version {
		return s, &CorruptError{Path: path, Err: fmt.Errorf("version %d, want %d", f.Version, version)}
	}
	for dir, e := range f.Folders {
		if e.Fingerprint == "" || !filepath.IsAbs(dir) {
			continue // not a decision anyone could have made
		}
		s.folders[dir] = e
	}
	return s, nil
}

// Key is the store's key of dir: its absolute path with every symlink
// resolved, so that a link to a folder is the folder. A path that cannot
// be resolved (it does not exist) is kept cleaned.
func Key(dir string) string {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return filepath.Clean(dir)
	}
	if real, err := filepath.EvalSymlinks(abs); err == nil {
		return real
	}
	return abs
}

// Trusted reports whether the user trusted dir for exactly these
// settings.
func (s *Store) Trusted(dir, fingerprint string) bool {
	e, ok := s.folders[Key(dir)]
	return ok && fingerprint != "" && e.Fingerprint == fingerprint
}

// Lookup returns the decision about dir, whatever its fingerprint: a
// folder trusted before its settings changed is found here but is not
// [Store.Trusted].
func (s *Store) Lookup(dir string) (Entry, bool) {
	e, ok := s.folders[Key(dir)]
	return e, ok
}

// Trust records that the user trusts dir for the settings with this
// fingerprint, replacing any earlier decision. Call [Store.Save] to keep
// it.
func (s *Store) Trust(dir string, e Entry) {
	s.folders[Key(dir)] = e
}

// Revoke forgets dir and reports whether it was trusted.
func (s *Store) Revoke(dir string) bool {
	k := Key(dir)
	_, ok := s.folders[k]
	delete(s.folders, k)
	return ok
}

// List returns the trusted folders sorted by path.
func (s *Store) List() []Folder {
	out := make([]Folder, 0, len(s.folders))
	for d, e := range s.folders {
		out = append(out, Folder{Dir: d, Entry: e})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Dir < out[j].Dir })
	return out
}

// Save writes the store atomically: a temporary file in the same
// directory, mode 0600, synced, then renamed over the old one, so that a
// crash leaves the old decisions or the new ones, never half a file.
func (s *Store) Save() error {
	if !filepath.IsAbs(s.path) {
		return fmt.Errorf("save trust decisions to %s: %w", s.path, errNotAbsolute)
	}
	data, err := json.MarshalIndent(file{Version: version, Folders: s.folders}, "", "  ")
	if err != nil {
		return fmt.Errorf("save trust decisions: %w", err)
	}
	dir := filepath.Dir(s.path)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("save trust decisions: %w", err)
	}
	if err := atomicfile.Write(s.path, append(data, '\n'), 0o600); err != nil {
		return fmt.Errorf("save trust decisions: %w", err)
	}
	return nil
}
