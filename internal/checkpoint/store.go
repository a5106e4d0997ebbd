package checkpoint

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/basalt-dev/basalt/internal/atomicfile"
)

const (
	indexName = "index.json"
	dirMode   = 0o700 // the history holds the contents of the user's files
	fileMode  = 0o600
	version   = 1
)

// Limits bound what one session's history keeps.
type Limits struct {
	// MaxFileBytes is the largest file whose content is kept; the change
	// of a larger one is recorded as one that cannot be restored.
	MaxFileBytes int64
	// MaxBytes bounds the content stored for the session (each distinct
	// content counted once).
	MaxBytes int64
	// MaxTurns is how many prompts with changes keep their snapshots,
	// as Claude Code keeps its 100 most recent checkpoints.
	MaxTurns int
}

// DefaultLimits are the bounds basalt uses: 10 MiB per file, 256 MiB and
// 100 prompts per session.
func DefaultLimits() Limits {
	return Limits{MaxFileBytes: 10 << 20, MaxBytes: 256 << 20, MaxTurns: 100}
}

// Change is the first change of one file during one prompt: what the
// file was before it.
type Change struct {
	Turn int    `json:"turn"`
	Path string `json:"path"` // absolute, symlinks resolved
	// Existed is false when the model created the file: restoring
	// deletes it.
	Existed bool `json:"existed"`
	// Before is the SHA-256 (hex) of the content before the change: the
	// name of its content file. Empty when the file did not exist or
	// its content could not be kept (Unavailable says why).
	Before      string    `json:"before,omitempty"`
	Size        int64     `json:"size,omitempty"`
	Unavailable string    `json:"unavailable,omitempty"`
	Time        time.Time `json:"time"`
}

// index is index.json.
type index struct {
	Version int      `json:"version"`
	Changes []Change `json:"changes"`
	// Current is, for each tracked file, the content basalt last saw it
	// with or left it in: a hash, or "" when the file did not exist.
	// Restoring compares the disk with it to notice changes made
	// outside basalt since.
	Current map[string]string `json:"current"`
	// LostThrough is the newest prompt whose changes were dropped to
	// stay within the limits; 0 when nothing was dropped.
	LostThrough int `json:"lost_through,omitempty"`
}

// Store is the file history of one session. Its methods are safe for
// concurrent use.
type Store struct {
	dir string
	lim Limits
	now func() time.Time
	// writeFile replaces a file atomically; tests inject failures.
	writeFile func(path string, data []byte, perm fs.FileMode) error

	mu   sync.Mutex
	turn int
	idx  index
	// saveErr is the last failure to record a change, reported by
	// [Store.Problem] until a later save succeeds.
	saveErr error
}

// Open returns the history kept in dir, creating nothing until the first
// change. Content files a crash left without an index entry, and
// temporary files, are removed. An index that cannot be read is an error
// naming the file; nothing is removed then.
func Open(dir string, lim Limits) (*Store, error) {
	s := &Store{dir: dir, lim: lim, now: time.Now, writeFile: atomicfile.Write, idx: index{Version: version, Current: map[string]string{}}}
	data, err := os.ReadFile(filepath.Join(dir, indexName))
	switch {
	case errors.Is(err, fs.ErrNotExist):
	case err != nil:
		return nil, fmt.Errorf("open file history: %w", err)
	default:
		var idx index
		if err := json.Unmarshal(data, &idx); err != nil {
			return nil, fmt.Errorf("open file history: %s: %w", filepath.Join(dir, indexName), err)
		}
		if idx.Version > version {
			return nil, fmt.Errorf("open file history: %s: version %d is newer than this basalt reads (%d)", filepath.Join(dir, indexName), idx.Version, version)
		}
		if idx.Current == nil {
			idx.Current = map[string]string{}
		}
		s.idx = idx
		for _, c := range idx.Changes {
			s.turn = max(s.turn, c.Turn)
		}
	}
	s.collect()
	return s, nil
}

// Dir is the directory of the history.
func (s *Store) Dir() string { return s.dir }

// BeginTurn says that the changes from now on follow the prompt numbered
// turn.
func (s *Store) BeginTurn(turn int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.turn = turn
}

// BeforeChange records the content path has now, before a tool changes
// it. Only the first change of a file during a prompt is recorded: that is
// the state restoring to the prompt puts back. A failure to keep the
// content is recorded as a change that cannot be restored; it never
// stops the tool.
func (s *Store) BeforeChange(path string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, c := range s.idx.Changes {
		if c.Turn == s.turn && c.Path == path {
			return
		}
	}
	c := Change{Turn: s.turn, Path: path, Time: s.now()}
	data, exists, err := s.readBounded(path)
	switch {
	case err != nil:
		c.Existed = true
		c.Unavailable = err.Error()
	case !exists:
	default:
		c.Existed = true
		c.Size = int64(len(data))
		c.Before = hash(data)
		if err := s.keep(c.Before, data); err != nil {
			c.Before, c.Size = "", 0
			c.Unavailable = "its content could not be saved: " + err.Error()
		}
	}
	if c.Unavailable == "" {
		s.idx.Current[path] = c.Before
	} else {
		delete(s.idx.Current, path)
	}
	s.idx.Changes = append(s.idx.Changes, c)
	dropped := s.bound()
	s.save()
	if dropped {
		s.collect()
	}
}

// AfterChange records the content a tool left path with.
func (s *Store) AfterChange(path string, content []byte) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.idx.Current[path] = hash(content)
	s.save()
}

// readBounded reads path, or says that it does not exist or is too large
// to keep.
func (s *Store) readBounded(path string) (data []byte, exists bool, err error) {
	fi, err := os.Stat(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, false, nil
	}
	if err != nil {
		return nil, true, err
	}
	if s.lim.MaxFileBytes > 0 && fi.Size() > s.lim.MaxFileBytes {
		return nil, true, fmt.Errorf("it is larger (%s) than the %s kept per file", humanBytes(fi.Size()), humanBytes(s.lim.MaxFileBytes))
	}
	data, err = os.ReadFile(path)
	if err != nil {
		return nil, true, err
	}
	return data, true, nil
}

// keep stores content under its hash, once.
func (s *Store) keep(sum string, data []byte) error {
	p := filepath.Join(s.dir, sum)
	if fi, err := os.Stat(p); err == nil && fi.Size() == int64(len(data)) {
		return nil
	}
	if err := os.MkdirAll(s.dir, dirMode); err != nil {
		return err
	}
	return s.writeFile(p, data, fileMode)
}

// bound drops the changes of the oldest prompts until the history is
// within the limits again; the running prompt's are never dropped. It
// reports whether anything went.
func (s *Store) bound() bool {
	dropped := false
	for {
		turns, size := s.usage()
		over := s.lim.MaxTurns > 0 && len(turns) > s.lim.MaxTurns || s.lim.MaxBytes > 0 && size > s.lim.MaxBytes
		if !over || len(turns) == 0 || turns[0] >= s.turn {
			return dropped
		}
		oldest := turns[0]
		s.idx.Changes = slices.DeleteFunc(s.idx.Changes, func(c Change) bool { return c.Turn == oldest })
		s.idx.LostThrough = max(s.idx.LostThrough, oldest)
		dropped = true
	}
}

// usage returns the prompts with changes, oldest first, and the bytes of
// distinct content the changes name.
func (s *Store) usage() ([]int, int64) {
	var turns []int
	seen := map[string]bool{}
	var size int64
	for _, c := range s.idx.Changes {
		if !slices.Contains(turns, c.Turn) {
			turns = append(turns, c.Turn)
		}
		if c.Before != "" && !seen[c.Before] {
			seen[c.Before] = true
			size += c.Size
		}
	}
	slices.Sort(turns)
	return turns, size
}

// save writes the index. A failure is kept for [Store.Problem]; the
// history in memory stays right and the next save writes it all.
func (s *Store) save() {
	data, err := json.Marshal(s.idx)
	if err == nil {
		if err = os.MkdirAll(s.dir, dirMode); err == nil {
			err = s.writeFile(filepath.Join(s.dir, indexName), data, fileMode)
		}
	}
	if err != nil {
		s.saveErr = fmt.Errorf("save file history %s: %w", s.dir, err)
		return
	}
	s.saveErr = nil
}

// collect removes content files no change names and temporary files (a
// crash between writing content and the index leaves them). It runs only
// when the index on disk is the one in memory.
func (s *Store) collect() {
	if s.saveErr != nil {
		return
	}
	des, err := os.ReadDir(s.dir)
	if err != nil {
		return
	}
	used := map[string]bool{}
	for _, c := range s.idx.Changes {
		used[c.Before] = true
	}
	for _, de := range des {
		name := de.Name()
		if name == indexName || used[name] || de.IsDir() {
			continue
		}
		if isHash(name) || strings.HasPrefix(name, ".") {
			_ = os.Remove(filepath.Join(s.dir, name))
		}
	}
}

// Problem is the last failure to save the history, nil when it is saved.
func (s *Store) Problem() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.saveErr
}

// LostThrough is the newest prompt whose snapshots were dropped to stay
// within the limits: restoring code to it, or to any prompt before it,
// is no longer possible. 0 when nothing was dropped.
func (s *Store) LostThrough() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.idx.LostThrough
}

// Changed returns, for each prompt, the files changed after it (during
// that prompt's turn), in the order they were first changed.
func (s *Store) Changed() map[int][]string {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := map[int][]string{}
	for _, c := range s.idx.Changes {
		out[c.Turn] = append(out[c.Turn], c.Path)
	}
	return out
}

func hash(data []byte) string {
	sum := sha256.Sum256(data)
	return hex.EncodeToString(sum[:])
}

func isHash(name string) bool {
	if len(name) != 2*sha256.Size {
		return false
	}
	_, err := hex.DecodeString(name)
	return err == nil
}

func humanBytes(n int64) string {
	switch {
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.1f KiB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d bytes", n)
}

// Fork copies the history of the session in src into dst, for a session
// forked from it: the fork can restore what the original could. Content
// files are hard-linked where the file system allows. A missing src is
// no history, not an error; an existing dst is left as it is.
func Fork(src, dst string) error {
	if _, err := os.Stat(dst); err == nil {
		return nil
	}
	des, err := os.ReadDir(src)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("fork file history: %w", err)
	}
	tmp := dst + ".forking"
	_ = os.RemoveAll(tmp)
	if err := os.MkdirAll(tmp, dirMode); err != nil {
		return fmt.Errorf("fork file history: %w", err)
	}
	for _, de := range des {
		name := de.Name()
		if name != indexName && !isHash(name) {
			continue
		}
		from, to := filepath.Join(src, name), filepath.Join(tmp, name)
		if name != indexName && os.Link(from, to) == nil {
			continue
		}
		data, err := os.ReadFile(from)
		if err == nil {
			err = atomicfile.Write(to, data, fileMode)
		}
		if err != nil {
			_ = os.RemoveAll(tmp)
			return fmt.Errorf("fork file history: %w", err)
		}
	}
	// The copy appears whole or not at all.
	if err := os.Rename(tmp, dst); err != nil {
		_ = os.RemoveAll(tmp)
		return fmt.Errorf("fork file history: %w", err)
	}
	return nil
}

// Cleanup removes the histories under root (<stateDir>/file-history)
// whose session is gone (live reports false for its ID) and that have not
// changed for olderThan: it follows the transcripts cleanupPeriodDays
// removes, and never takes the history of a session that is kept. It
// returns how many went.
func Cleanup(root string, live func(id string) bool, olderThan time.Duration, now time.Time) (int, error) {
	des, err := os.ReadDir(root)
	if errors.Is(err, fs.ErrNotExist) {
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("clean up file history: %w", err)
	}
	cutoff := now.Add(-olderThan)
	n := 0
	var errs []error
	for _, de := range des {
		if !de.IsDir() {
			continue
		}
		if live(de.Name()) {
			continue
		}
		dir := filepath.Join(root, de.Name())
		fi, err := os.Stat(filepath.Join(dir, indexName))
		if err != nil {
			if fi, err = os.Stat(dir); err != nil {
				continue
			}
		}
		if !fi.ModTime().Before(cutoff) {
			continue
		}
		if err := os.RemoveAll(dir); err != nil {
			errs = append(errs, err)
			continue
		}
		n++
	}
	return n, errors.Join(errs...)
}
