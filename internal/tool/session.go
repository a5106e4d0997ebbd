package tool

import (
	"crypto/sha256"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"
)

// SessionOptions configure a [Session].
type SessionOptions struct {
	// WorkDir is the initial working directory of commands and the base of
	// relative paths. It must be absolute.
	WorkDir string
	// AllowedDirs are the directories Bash's working directory may move
	// within: the project root and permissions.additionalDirectories.
	// Empty means WorkDir alone.
	AllowedDirs []string
	// Env is the environment of commands, as from config.Config.CommandEnv.
	// It is used as given: nil is an empty environment, never the process's.
	Env []string
	// Ripgrep is the path of rg for Grep. Empty looks rg up on Env's PATH.
	Ripgrep string
	// NoRipgrep makes Grep use its pure-Go search even when rg exists.
	NoRipgrep bool
	// ReadPolicy, when set, names the files Grep, Glob and LS leave out of
	// every result, and the directories they do not descend into: those a
	// Read deny rule covers. The decision on a search cannot know every
	// file a recursive search opens, so the tools ask for each.
	ReadPolicy ReadPolicy
	// Supervisor is the executable that runs [Supervise] when its first
	// argument is [SuperviseArg] (basalt's own: [SelfSupervisor]). With it,
	// a command's whole process tree, daemonised children included, dies
	// with the command and with basalt (see proctree.go). Empty runs
	// commands directly in their own process group, as test binaries that
	// do not dispatch SuperviseArg must.
	Supervisor string
}

// ReadPolicy says which files the model may not read.
// [*permission.Checker] implements it.
type ReadPolicy interface {
	// ReadDeniedFilter returns, for one search, a function reporting
	// whether the model may not read the file or directory at an absolute
	// path; nil when nothing is hidden. The function may be called from
	// several goroutines at once.
	ReadDeniedFilter() func(abs string) bool
}

// FileRecord is what the session knows about a file it read or wrote. Write
// and Edit refuse to touch an existing file whose record is missing or no
// longer matches the disk.
type FileRecord struct {
	Size    int64
	ModTime time.Time
	SHA256  [sha256.Size]byte
}

// Session is the per-conversation state the tools share: the working
// directory (which a `cd` in Bash moves), read records, the todo list and
// background shells. Its methods are safe for concurrent use.
type Session struct {
	allowed    []string // cleaned and symlink-resolved, no duplicates
	env        []string
	rgPath     string     // "" when Grep must use the pure-Go search
	policy     ReadPolicy // nil: nothing is hidden
	shellPath  string
	shellErr   error                               // why there is no shell to run commands with
	supervisor string                              // SessionOptions.Supervisor
	rename     func(oldpath, newpath string) error // os.Rename; tests inject failures

	grepMaxCollect int64 // grepMaxCollect; tests lower it

	mu        sync.Mutex
	workDir   string
	reads     map[string]FileRecord
	todos     []Todo
	shells    map[string]*backgroundShell
	nextShell int
	closed    bool
}

// NewSession returns a session rooted at opts.WorkDir.
func NewSession(opts SessionOptions) (*Session, error) {
	if !filepath.IsAbs(opts.WorkDir) {
		return nil, fmt.Errorf("new tool session: work dir %q is not absolute", opts.WorkDir)
	}
	s := &Session{
		env:            shellSafeEnv(opts.Env),
		supervisor:     opts.Supervisor,
		rename:         os.Rename,
		policy:         opts.ReadPolicy,
		grepMaxCollect: grepMaxCollect,
		workDir:        filepath.Clean(opts.WorkDir),
		reads:          map[string]FileRecord{},
		shells:         map[string]*backgroundShell{},
	}
	dirs := opts.AllowedDirs
	if len(dirs) == 0 {
		dirs = []string{opts.WorkDir}
	}
	for _, d := range dirs {
		if !filepath.IsAbs(d) {
			return nil, fmt.Errorf("new tool session: allowed dir %q is not absolute", d)
		}
		for _, form := range []string{filepath.Clean(d), realPath(d)} {
			if !slices.Contains(s.allowed, form) {
				s.allowed = append(s.allowed, form)
			}
		}
	}
	// Without a shell (Windows without Git Bash) the session still works;
	// the Bash tool says what to install.
	s.shellPath, s.shellErr = findShell(s.env)
	if !opts.NoRipgrep {
		s.rgPath = opts.Ripgrep
		if s.rgPath == "" {
			s.rgPath = lookPath("rg", s.env)
		}
	}
	return s, nil
}

// hiddenFilter returns, for one search, what the search tools must leave
// out; nil when nothing is hidden.
func (s *Session) hiddenFilter() func(abs string) bool {
	if s.policy == nil {
		return nil
	}
	return s.policy.ReadDeniedFilter()
}

// WorkDir returns the current working directory.
func (s *Session) WorkDir() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.workDir
}

// AllowedDirs returns the directories the working directory may be in.
func (s *Session) AllowedDirs() []string { return slices.Clone(s.allowed) }

// UsesRipgrep reports whether Grep runs rg (true) or its pure-Go search.
func (s *Session) UsesRipgrep() bool { return s.rgPath != "" }

// Todos returns a copy of the current todo list.
func (s *Session) Todos() []Todo {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.todos)
}

// Record returns what the session knows about the file at path.
func (s *Session) Record(path string) (FileRecord, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	r, ok := s.reads[realPath(path)]
	return r, ok
}

func (s *Session) setRecord(path string, r FileRecord) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.reads[realPath(path)] = r
}

// Close kills every background shell and waits for it to end. The session
// must not be used afterwards.
func (s *Session) Close() error {
	s.mu.Lock()
	s.closed = true
	shells := make([]*backgroundShell, 0, len(s.shells))
	for _, sh := range s.shells {
		shells = append(shells, sh)
	}
	s.mu.Unlock()
	for _, sh := range shells {
		sh.kill()
	}
	for _, sh := range shells {
		<-sh.done
	}
	return nil
}

// abs resolves a path the model sent: absolute as is, "~/" from HOME, and
// anything else relative to the working directory.
func (s *Session) abs(p string) string {
	if p == "~" || strings.HasPrefix(p, "~/") {
		if home := envValue(s.env, "HOME"); home != "" {
			p = filepath.Join(home, strings.TrimPrefix(p, "~"))
		}
	}
	if !filepath.IsAbs(p) {
		p = filepath.Join(s.WorkDir(), p)
	}
	return filepath.Clean(p)
}

// inAllowed reports whether dir is one of the allowed directories or
// inside one.
func (s *Session) inAllowed(dir string) bool {
	for _, a := range s.allowed {
		if within(a, dir) {
			return true
		}
	}
	return false
}

// within reports whether p is root or below it. Both must be clean.
func within(root, p string) bool {
	if p == root || root == "/" {
		return true
	}
	return strings.HasPrefix(p, root) && p[len(root)] == filepath.Separator
}

// realPath resolves symlinks where the path exists, so one file read
// through a link and edited through its target keeps one record.
func realPath(p string) string {
	p = filepath.Clean(p)
	if r, err := filepath.EvalSymlinks(p); err == nil {
		return r
	}
	// The file may not exist yet: resolve its directory.
	if r, err := filepath.EvalSymlinks(filepath.Dir(p)); err == nil {
		return filepath.Join(r, filepath.Base(p))
	}
	return p
}

// envValue returns the value of name in env, "" when absent.
func envValue(env []string, name string) string {
	for i := len(env) - 1; i >= 0; i-- {
		if v, ok := strings.CutPrefix(env[i], name+"="); ok {
			return v
		}
	}
	return ""
}

// lookPath finds an executable on the PATH of env (not of this process).
func lookPath(name string, env []string) string {
	for _, dir := range filepath.SplitList(envValue(env, "PATH")) {
		if dir == "" || !filepath.IsAbs(dir) {
			continue
		}
		p := filepath.Join(dir, exeName(name))
		if fi, err := os.Stat(p); err == nil && fi.Mode().IsRegular() && isExecutable(p, fi) {
			return p
		}
	}
	return ""
}

// errClosed is returned when a tool runs on a closed session.
var errClosed = errors.New("tool session is closed")
