package config

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// Level is a settings-file level, in increasing precedence.
type Level int

// The file levels of DESIGN.md §4.
const (
	LevelUser Level = iota
	LevelProject
	LevelLocal
	LevelSettings // --settings FILE
	LevelManaged
)

func (l Level) kind() SourceKind {
	return [...]SourceKind{SourceUser, SourceProject, SourceLocal, SourceSettings, SourceManaged}[l]
}

func (l Level) String() string { return string(l.kind()) }

// File status values reported by config show.
const (
	StatusLoaded     = "loaded"
	StatusAbsent     = "absent"
	StatusInvalid    = "invalid"
	StatusUnreadable = "unreadable"
	// StatusSkipped is a file that is not JSON (comments, a trailing
	// comma) at a level where Claude Code runs on without it: a warning
	// names the place, and the other files apply. The managed policy and
	// a --settings file the user named are StatusInvalid instead.
	StatusSkipped = "skipped"
)

// File is one settings file basalt looked at.
type File struct {
	Level  Level
	Path   string
	Status string
	// Settings is nil unless Status is StatusLoaded, or StatusSkipped with
	// deny or ask rules (then it holds those only: relaxed.go).
	Settings *Settings
	Err      error // why it is invalid, skipped or unreadable
}

func (f *File) source(detail string) Source {
	return Source{Kind: f.Level.kind(), Name: f.Path, Detail: detail}
}

// DefaultManagedPaths are the managed-policy files, basalt's first, then
// Claude Code's Linux location, so a policy rolled out for Claude Code
// binds basalt too.
var DefaultManagedPaths = []string{
	"/etc/basalt/managed-settings.json",
	"/etc/claude-code/managed-settings.json",
}

// Flags are the command-line values that take part in configuration. An
// empty string or nil slice means the flag was not given.
type Flags struct {
	Model           string
	SettingsFile    string
	PermissionMode  string
	AllowedTools    []string
	DisallowedTools []string
	Verbose         bool
	// DangerouslySkipPermissions is Claude Code's spelling of
	// PermissionMode "bypassPermissions"; the mode's source names it.
	DangerouslySkipPermissions bool
	// AddDirs are extra directories the tools may work in (--add-dir),
	// relative to the working directory unless absolute.
	AddDirs []string
	// MCPConfigs are --mcp-config values: each a JSON file or a JSON
	// string with an "mcpServers" object. StrictMCPConfig ignores every
	// other MCP configuration.
	MCPConfigs      []string
	StrictMCPConfig bool
}

// Input is everything [Load] reads besides the files it finds from it.
type Input struct {
	Env          map[string]string // the process environment
	WorkDir      string            // absolute
	ManagedPaths []string          // nil: DefaultManagedPaths
	Flags        Flags

	// TrustProject reports whether the user trusts the folder root for
	// the risky project settings whose fingerprint is given (see [Trust]).
	// It is called once, only when there are risky settings. nil trusts
	// nothing: the risky settings are left out.
	TrustProject func(root, fingerprint string) bool
}

// Load reads the settings files, merges them with the environment and the
// flags, and validates the result. It returns the configuration even when
// it also returns an error, so that callers can still explain what they
// found; the error is an *Error listing every problem.
func Load(ctx context.Context, in Input) (*Config, error) {
	if in.ManagedPaths == nil {
		in.ManagedPaths = DefaultManagedPaths
	}
	c := &Config{
		WorkDir:     in.WorkDir,
		ProjectRoot: ProjectRoot(in.WorkDir),
		procEnv:     in.Env,
		flags:       in.Flags,
	}
	var problems []error
	c.Files, problems = loadFiles(in, c.ProjectRoot)
	for _, f := range c.Files {
		switch f.Status {
		case StatusUnreadable:
			c.warnf("%s: cannot read %s settings (%v); it is ignored", f.Path, f.Level, unwrapPathError(f.Err))
		case StatusSkipped:
			if f.Settings != nil {
				p := f.Settings.Permissions
				c.warnf("%v; the file is skipped and the other settings apply (Claude Code skips it too), except its %d deny and %d ask rules, which basalt keeps so that it never allows more than the file says", f.Err, len(p.Deny), len(p.Ask))
				break
			}
			c.warnf("%v; the file is skipped and the other settings apply (Claude Code skips it too)", f.Err)
		case StatusLoaded:
			for _, w := range f.Settings.Warnings {
				var pe *ParseError
				if f.Level == LevelManaged && errors.As(w, &pe) && pe.Skipped {
					// The policy applies whole or not at all.
					problems = append(problems, fmt.Errorf("managed policy: %w", w))
					continue
				}
				c.warnf("%v", w)
			}
		}
	}
	c.reportUnknownKeys()
	c.checkTrust(in.TrustProject, func(path string) bool { return gitTracks(c.ProjectRoot, path) })
	c.buildEnv()
	problems = append(problems, c.resolve(ctx)...)
	if len(problems) > 0 {
		return c, &Error{Problems: problems}
	}
	return c, nil
}

// loadFiles finds and parses every settings file, lowest precedence first.
// At the user, project and local levels Claude Code's file stands in for
// basalt's when basalt's is absent.
func loadFiles(in Input, root string) ([]*File, []error) {
	home := in.Env["HOME"]
	type candidates struct {
		level Level
		paths []string
	}
	var levels []candidates
	var user []string
	if p := UserSettingsFile(func(k string) string { return in.Env[k] }); p != "" {
		user = append(user, p)
	}
	if home != "" {
		user = append(user, filepath.Join(home, ".claude", "settings.json"))
	}
	levels = append(levels,
		candidates{LevelUser, user},
		candidates{LevelProject, []string{
			filepath.Join(root, ".basalt", "settings.json"),
			filepath.Join(root, ".claude", "settings.json"),
		}},
		candidates{LevelLocal, []string{
			filepath.Join(root, ".basalt", "settings.local.json"),
			filepath.Join(root, ".claude", "settings.local.json"),
		}},
	)
	if in.Flags.SettingsFile != "" {
		p := in.Flags.SettingsFile
		if !filepath.IsAbs(p) {
			p = filepath.Join(in.WorkDir, p)
		}
		levels = append(levels, candidates{LevelSettings, []string{p}})
	}
	levels = append(levels, candidates{LevelManaged, in.ManagedPaths})

	var files []*File
	var problems []error
	for _, lv := range levels {
		found := false
		for _, p := range lv.paths {
			f := readFile(lv.level, p)
			if f.Status == StatusAbsent {
				continue
			}
			found = true
			files = append(files, f)
			if f.Status == StatusInvalid {
				problems = append(problems, f.Err)
			}
			break
		}
		if !found {
			f := &File{Level: lv.level, Status: StatusAbsent}
			if len(lv.paths) > 0 {
				f.Path = lv.paths[0]
			}
			files = append(files, f)
			if lv.level == LevelSettings {
				// A file the user named explicitly must exist.
				problems = append(problems, &ParseError{Path: f.Path, Msg: "--settings: no such file"})
				f.Status = StatusInvalid
			}
		}
	}
	return files, problems
}

func readFile(level Level, path string) *File {
	f := &File{Level: level, Path: path}
	data, err := os.ReadFile(path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		f.Status = StatusAbsent
		return f
	case err != nil:
		// Reading a directory, permissions: a warning, not a crash, and
		// not a reason to fall back to Claude Code's file either.
		f.Status, f.Err = StatusUnreadable, err
		return f
	}
	s, err := ParseSettings(path, data)
	if err != nil {
		f.Status, f.Err = StatusInvalid, err
		if level != LevelManaged && level != LevelSettings {
			f.Status = StatusSkipped
			// Skipping must not allow more than the file says.
			f.Settings = restrictions(path, data)
		}
		return f
	}
	f.Status, f.Settings = StatusLoaded, s
	return f
}

func unwrapPathError(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// ProjectRoot returns the nearest directory at or above dir that holds
// .git (a directory, or a file for worktrees), or dir itself.
func ProjectRoot(dir string) string {
	for d := dir; ; {
		if _, err := os.Lstat(filepath.Join(d, ".git")); err == nil {
			return d
		}
		parent := filepath.Dir(d)
		if parent == d {
			return dir
		}
		d = parent
	}
}
