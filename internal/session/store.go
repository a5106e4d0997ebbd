package session

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"
)

// Errors callers branch on with errors.Is.
var (
	// ErrNoSessions: the project has no stored session (--continue with
	// nothing to continue).
	ErrNoSessions = errors.New("no sessions for this project")
	// ErrNotFound: no session has the ID or ID prefix asked for.
	ErrNotFound = errors.New("session not found")
	// ErrAmbiguous: an ID prefix matches more than one session.
	ErrAmbiguous = errors.New("session ID prefix is ambiguous")
)

const (
	ext      = ".jsonl"
	dirMode  = 0o700 // transcripts hold prompts and file contents
	fileMode = 0o600
	// maxKey keeps a path key well inside the 255-byte name limit of
	// common file systems, room left for a hash suffix.
	maxKey = 200
)

// Store is the transcripts of one project:
// <stateDir>/projects/<path-key>/<id>.jsonl.
type Store struct {
	stateDir string
	root     string
	dir      string
	now      func() time.Time // a fake clock in tests
}

// NewStore returns the store of the project rooted at projectRoot
// (made absolute and clean) under stateDir, $XDG_STATE_HOME/basalt. It
// touches nothing on disk: the directory is created with the first
// session.
func NewStore(stateDir, projectRoot string) *Store {
	root := filepath.Clean(projectRoot)
	if abs, err := filepath.Abs(root); err == nil {
		root = abs
	}
	return &Store{
		stateDir: stateDir,
		root:     root,
		dir:      filepath.Join(stateDir, "projects", PathKey(root)),
		now:      time.Now,
	}
}

// Dir is the directory holding this project's transcripts.
func (s *Store) Dir() string { return s.dir }

// PathKey is the directory name of a project: its absolute root with
// every "/" and "." replaced by "-", as Claude Code names its project
// directories ("/home/ana/src/x.y" → "-home-ana-src-x-y"). A key longer
// than 200 bytes is cut and suffixed with a hash of the full root, so
// that deep paths stay valid file names and distinct.
func PathKey(root string) string {
	key := strings.Map(func(r rune) rune {
		if r == '/' || r == '.' || r == filepath.Separator {
			return '-'
		}
		return r
	}, root)
	if len(key) <= maxKey {
		return key
	}
	sum := sha256.Sum256([]byte(root))
	cut := maxKey - 9
	for cut > 0 && !utf8Start(key[cut]) {
		cut-- // never split a multi-byte character
	}
	return key[:cut] + "-" + hex.EncodeToString(sum[:4])
}

func utf8Start(b byte) bool { return b&0xC0 != 0x80 }

// newID returns a session ID: a UUID, as Claude Code's session IDs are
// (scripts written for `claude -p` check session_id as one, and pass it
// to --resume). It is a version 7 UUID (RFC 9562): its first 48 bits are
// the creation time in milliseconds, so IDs still sort by creation time,
// and 74 random bits keep sessions started in the same millisecond apart.
// Sessions made before, named like 20261123T184500-3f9a1c, stay loadable:
// the store opens a transcript by its file name, whatever its form.
func newID(now time.Time) string {
	var b [16]byte
	_, _ = rand.Read(b[6:]) // crypto/rand.Read never fails (Go 1.24+)
	ms := uint64(now.UnixMilli())
	for i := range 6 {
		b[i] = byte(ms >> (40 - 8*i))
	}
	b[6] = b[6]&0x0f | 0x70 // version 7
	b[8] = b[8]&0x3f | 0x80 // RFC 9562 variant
	h := hex.EncodeToString(b[:])
	return h[0:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:32]
}

// ErrExists is returned by Create and ForkAs when a session with the
// requested ID already exists.
var ErrExists = errors.New("a session with this ID already exists")

// Create starts a new session: it picks the ID unless meta.ID is set, sets meta.ID (and
// meta.Created and meta.ProjectRoot when empty), writes the meta entry
// and syncs it. The file is 0600 in a 0700 directory: a transcript holds
// prompts and the contents of files the agent read. The session is locked
// until the Writer is closed.
func (s *Store) Create(meta Meta) (*Writer, error) {
	return s.create(meta, nil)
}

// create is Create, with entries written after the meta entry.
func (s *Store) create(meta Meta, entries []Entry) (*Writer, error) {
	if err := os.MkdirAll(s.dir, dirMode); err != nil {
		return nil, fmt.Errorf("create session: %w", err)
	}
	now := s.now()
	if meta.Created.IsZero() {
		meta.Created = now
	}
	if meta.ProjectRoot == "" {
		meta.ProjectRoot = s.root
	}
	var (
		f    *os.File
		id   string
		path string
		err  error
	)
	if meta.ID != "" {
		// The caller's ID (--session-id) is taken as given, once: an
		// existing session with it is never overwritten.
		id = meta.ID
		path = filepath.Join(s.dir, id+ext)
		f, err = os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL|os.O_APPEND, fileMode)
		if errors.Is(err, fs.ErrExist) {
			return nil, fmt.Errorf("create session %s: %w", id, ErrExists)
		}
	} else {
		for range 5 {
			id = newID(now)
			path = filepath.Join(s.dir, id+ext)
			f, err = os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL|os.O_APPEND, fileMode)
			if !errors.Is(err, fs.ErrExist) {
				break
			}
		}
	}
	if err != nil {
		return nil, fmt.Errorf("create session: %w", err)
	}
	meta.ID = id
	lk, err := lock(path)
	if err != nil {
		f.Close()
		_ = os.Remove(path)
		return nil, fmt.Errorf("create session: %w", err)
	}
	w := &Writer{f: f, lock: lk, id: id, path: path, now: s.now}
	for _, e := range append([]Entry{{Type: TypeMeta, Time: now, Meta: &meta}}, entries...) {
		if err := w.Append(e); err != nil {
			_ = w.Close()
			_ = os.Remove(path)
			return nil, fmt.Errorf("create session: %w", err)
		}
	}
	// The meta entry and the directory entries reach the disk while the
	// session goes on (the first request need not wait for three
	// fsyncs); the first Sync, at the end of the first turn, or Close
	// waits for them, so a session that crashes in its first turn can
	// still be resumed once that turn has been answered. A process that
	// dies sooner loses nothing the kernel already holds.
	w.durable = make(chan error, 1)
	go func() {
		err := f.Sync()
		for _, dir := range []string{s.dir, filepath.Dir(s.dir)} {
			if err == nil {
				err = syncDir(dir)
			}
		}
		w.durable <- err
	}()
	return w, nil
}

// syncDir makes a new directory entry durable.
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	if err := d.Sync(); err != nil && !errors.Is(err, os.ErrInvalid) {
		return err
	}
	return nil
}

// Append reopens a session (an ID or a unique ID prefix) to continue it.
// A torn last line left by a crash is cut off first: otherwise the next
// entry would be glued to it and turn a skipped line into a corrupt one.
// A transcript corrupt in the middle is not reopened. A session another
// process has open is not reopened either: the error wraps [ErrLocked].
// The session stays locked until the Writer is closed.
func (s *Store) Append(id string) (*Writer, error) {
	id, path, err := s.resolve(id)
	if err != nil {
		return nil, fmt.Errorf("append to session: %w", err)
	}
	lk, err := lock(path)
	if err != nil {
		return nil, fmt.Errorf("append to session %s: %w", id, err)
	}
	f, err := os.OpenFile(path, os.O_RDWR|os.O_APPEND, 0)
	if err != nil {
		lk.Close()
		return nil, fmt.Errorf("append to session: %w", err)
	}
	if err := repairTail(f, path); err != nil {
		f.Close()
		lk.Close()
		return nil, fmt.Errorf("append to session %s: %w", id, err)
	}
	return &Writer{f: f, lock: lk, id: id, path: path, now: s.now}, nil
}

// Continue is [Store.Append] for the session t was loaded from, checking
// under the lock that nobody wrote to it since: otherwise the conversation
// held in memory would miss what the other process added, and the
// transcript would mix the two. Such a session was in use: the error
// wraps [ErrLocked].
func (s *Store) Continue(t *Transcript) (*Writer, error) {
	w, err := s.Append(t.Meta.ID)
	if err != nil {
		return nil, err
	}
	size, err := w.f.Seek(0, io.SeekEnd)
	if err != nil {
		w.Close()
		return nil, fmt.Errorf("append to session %s: %w", t.Meta.ID, err)
	}
	// repairTail may have added the newline a torn last line lacked.
	if size != t.size && size != t.size+1 {
		w.Close()
		return nil, fmt.Errorf("append to session %s: it changed since it was read: %w", t.Meta.ID, ErrLocked)
	}
	return w, nil
}

// Fork starts a new session seeded with the conversation of t, which it
// leaves untouched: --fork-session, and the way to go on from a session
// another process holds. The copy's meta entry is t's (system prompt and
// tools included, so the first request still reads the prompt cache) with
// a new ID, the creation time of now and ForkedFrom set to t's ID. The
// copied entries carry no usage or cost: each API call is counted once, in
// the session that made it. Like [Store.Create], the new session is
// locked until the Writer is closed.
func (s *Store) Fork(t *Transcript) (*Writer, error) {
	return s.ForkAs(t, "")
}

// ForkAs is Fork with the new session's ID given (--session-id); ""
// lets the store pick it. An ID already in use wraps [ErrExists].
func (s *Store) ForkAs(t *Transcript, id string) (*Writer, error) {
	meta := t.Meta
	meta.ID = id
	meta.Created = time.Time{}
	meta.ForkedFrom = t.Meta.ID
	var entries []Entry
	for _, e := range t.Entries {
		if e.Type == TypeMeta {
			continue // merged into meta
		}
		e.Usage, e.CostUSD = nil, nil
		entries = append(entries, e)
	}
	w, err := s.create(meta, entries)
	if err != nil {
		return nil, fmt.Errorf("fork session %s: %w", t.Meta.ID, err)
	}
	return w, nil
}

// repairTail cuts what follows the last good line of f and ends that
// line with a newline if it lacks one.
func repairTail(f *os.File, path string) error {
	data, err := readAll(f)
	if err != nil {
		return err
	}
	p, err := parse(path, data)
	if err != nil {
		return err
	}
	if p.good < int64(len(data)) {
		if err := f.Truncate(p.good); err != nil {
			return err
		}
	}
	if p.good > 0 && data[p.good-1] != '\n' {
		if _, err := f.Write([]byte{'\n'}); err != nil {
			return err
		}
	}
	return nil
}

func readAll(f *os.File) ([]byte, error) {
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		return nil, err
	}
	return io.ReadAll(f)
}

// Load reads a session, given its ID or a unique prefix of it. An unknown
// ID is an error wrapping [ErrNotFound] that lists the recent sessions.
func (s *Store) Load(id string) (*Transcript, error) {
	id, path, err := s.resolve(id)
	if err != nil {
		return nil, fmt.Errorf("load session: %w", err)
	}
	t, err := loadFile(path, id)
	if err != nil {
		return nil, fmt.Errorf("load session %s: %w", id, err)
	}
	return t, nil
}

// Latest returns the ID of the project's most recently updated session
// (the newest file modification, as [Store.List] orders), for --continue.
// It wraps [ErrNoSessions] when there is none.
func (s *Store) Latest() (string, error) {
	files, err := s.files()
	if err != nil {
		return "", fmt.Errorf("latest session: %w", err)
	}
	if len(files) == 0 {
		return "", fmt.Errorf("latest session: %w", ErrNoSessions)
	}
	return files[0].id, nil
}

// file is a transcript on disk.
type file struct {
	id, path string
	mod      time.Time
}

// files lists the project's transcripts, newest modification first, ties
// broken by ID, newest first.
func (s *Store) files() ([]file, error) {
	return listDir(s.dir)
}

func listDir(dir string) ([]file, error) {
	des, err := os.ReadDir(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var out []file
	for _, de := range des {
		id, ok := strings.CutSuffix(de.Name(), ext)
		if !ok || id == "" || !de.Type().IsRegular() {
			continue
		}
		info, err := de.Info()
		if err != nil {
			continue // removed meanwhile
		}
		out = append(out, file{id: id, path: filepath.Join(dir, de.Name()), mod: info.ModTime()})
	}
	slices.SortFunc(out, func(a, b file) int {
		if c := b.mod.Compare(a.mod); c != 0 {
			return c
		}
		return strings.Compare(b.id, a.id)
	})
	return out, nil
}

// resolve finds the session an ID or ID prefix names. Only names listed
// in the directory can match, so an ID like "../x" reaches no other file.
// Resolve returns the ID of the one session whose ID starts with prefix,
// from the directory listing alone (no transcript is read).
func (s *Store) Resolve(prefix string) (string, error) {
	id, _, err := s.resolve(prefix)
	return id, err
}

func (s *Store) resolve(prefix string) (id, path string, err error) {
	if prefix == "" {
		return "", "", fmt.Errorf("empty session ID: %w", ErrNotFound)
	}
	files, err := s.files()
	if err != nil {
		return "", "", err
	}
	if len(files) == 0 {
		return "", "", fmt.Errorf("%s: %w (%w)", prefix, ErrNotFound, ErrNoSessions)
	}
	var matches []file
	for _, f := range files {
		if f.id == prefix {
			return f.id, f.path, nil
		}
		if strings.HasPrefix(f.id, prefix) {
			matches = append(matches, f)
		}
	}
	switch len(matches) {
	case 1:
		return matches[0].id, matches[0].path, nil
	case 0:
		return "", "", fmt.Errorf("%s: %w; recent sessions: %s", prefix, ErrNotFound, ids(files, 5))
	default:
		return "", "", fmt.Errorf("%s: %w: it matches %s", prefix, ErrAmbiguous, ids(matches, 5))
	}
}

// ids lists up to n IDs, newest first.
func ids(files []file, n int) string {
	var names []string
	for i, f := range files {
		if i == n {
			names = append(names, fmt.Sprintf("and %d more", len(files)-n))
			break
		}
		names = append(names, f.id)
	}
	return strings.Join(names, ", ")
}
