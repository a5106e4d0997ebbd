package hooks

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"slices"
	"time"

	"github.com/basalt-dev/basalt/internal/config"
)

// Layer is the "hooks" configuration of one settings file.
type Layer struct {
	Source Source
	Hooks  []Hook
	// NeedsTrust is true for hooks a repository ships (project settings,
	// and a local settings file git tracks): they run only in a folder
	// the user trusted.
	NeedsTrust bool
	// AllowManagedHooksOnly and DisableAllHooks are the file's settings
	// of those names; AllowManagedHooksOnly counts in the managed policy
	// only.
	AllowManagedHooksOnly bool
	DisableAllHooks       bool
}

// Policy is what decides, beside the files, which hooks may run.
type Policy struct {
	// Trusted is the user's trust decision for the project folder
	// (config.Trust.Trusted): without it, no layer with NeedsTrust runs.
	Trusted bool
}

// Set is the hooks that may run in a session, in settings order
// (user, project, local, --settings, managed), with why others do not.
// A Set taken at session start is the session's snapshot: a change to a
// settings file during the session makes a new Set, shown with [Diff]
// for review, and applies only through [Runner.Replace].
type Set struct {
	Hooks []Hook
	// Skipped says, one line per reason, which configured hooks do not
	// run: disabled by policy, untrusted folder.
	Skipped []string
	// Warnings are the configuration problems found (*config.ParseError).
	Warnings []error
}

// Load combines the layers under Claude Code's rules:
//   - the managed policy's disableAllHooks turns every hook off;
//   - its allowManagedHooksOnly, or disableAllHooks in any other file,
//     keeps the managed policy's hooks only;
//   - hooks of a layer that needs trust run only when p.Trusted.
func Load(layers []Layer, p Policy) *Set {
	s := &Set{}
	var managedOff, managedOnly bool
	var onlyWhy string
	for _, l := range layers {
		if l.Source.Kind == config.SourceManaged {
			if l.DisableAllHooks {
				managedOff = true
			}
			if l.AllowManagedHooksOnly {
				managedOnly, onlyWhy = true, "allowManagedHooksOnly in the managed policy "+l.Source.Path
			}
		}
	}
	if !managedOnly {
		for _, l := range layers {
			if l.DisableAllHooks && l.Source.Kind != config.SourceManaged {
				managedOnly, onlyWhy = true, "disableAllHooks in "+l.Source.String()
				break
			}
		}
	}
	for _, l := range layers {
		switch {
		case len(l.Hooks) == 0:
		case managedOff:
			s.Skipped = append(s.Skipped, fmt.Sprintf("%d hooks of %s: disableAllHooks in the managed policy", len(l.Hooks), l.Source))
		case managedOnly && l.Source.Kind != config.SourceManaged:
			s.Skipped = append(s.Skipped, fmt.Sprintf("%d hooks of %s: %s", len(l.Hooks), l.Source, onlyWhy))
		case l.NeedsTrust && !p.Trusted:
			s.Skipped = append(s.Skipped, fmt.Sprintf("%d hooks of %s: the folder is not trusted", len(l.Hooks), l.Source))
		default:
			s.Hooks = append(s.Hooks, l.Hooks...)
		}
	}
	return s
}

// FromConfig reads the layers of a loaded configuration: each loaded
// settings file's "hooks", "allowManagedHooksOnly" and "disableAllHooks"
// values. A project file's hooks need trust; so do a local file's when
// the trust check counted them (git tracks the file). Parse warnings are
// returned in the layers' order.
//
// Positions: config keeps each top-level value as written and its line,
// not its offset, so the file is read again to place warnings at their
// column; when it changed since config read it, the value config read is
// used (and trusted), with Positions counted from its first line.
func FromConfig(c *config.Config) ([]Layer, []error) {
	needsTrust := map[string]bool{}
	for _, f := range c.Trust.Findings {
		if f.Setting == "hooks" {
			needsTrust[f.File] = true
		}
	}
	var layers []Layer
	var warns []error
	for _, f := range c.Files {
		if f.Status != config.StatusLoaded || f.Settings == nil {
			continue
		}
		kind := config.SourceUser
		switch f.Level {
		case config.LevelProject:
			kind = config.SourceProject
		case config.LevelLocal:
			kind = config.SourceLocal
		case config.LevelSettings:
			kind = config.SourceSettings
		case config.LevelManaged:
			kind = config.SourceManaged
		}
		l := Layer{Source: Source{Kind: kind, Path: f.Path}, NeedsTrust: kind == config.SourceProject || needsTrust[f.Path]}
		raw := f.Settings.Raw
		l.AllowManagedHooksOnly = kind == config.SourceManaged && isTrue(raw["allowManagedHooksOnly"])
		l.DisableAllHooks = isTrue(raw["disableAllHooks"])
		if h, ok := raw["hooks"]; ok {
			hooks, w := Parse(l.Source, h, locate(f.Path, h, f.Settings.Lines["hooks"]))
			l.Hooks = hooks
			warns = append(warns, w...)
		}
		layers = append(layers, l)
	}
	return layers, warns
}

func isTrue(raw json.RawMessage) bool {
	var b bool
	return raw != nil && json.Unmarshal(raw, &b) == nil && b
}

// locate returns the Positions of raw in the file at path, which config
// read with raw's value on line line.
func locate(path string, raw json.RawMessage, line int) Positions {
	if text, err := os.ReadFile(path); err == nil {
		from := 0
		for {
			i := bytes.Index(text[from:], raw)
			if i < 0 {
				break
			}
			start := from + i
			if l, _ := lineCol(text, start); l == line || line == 0 {
				return func(off int) (int, int) { return lineCol(text, start+off) }
			}
			from = start + 1
		}
	}
	return func(off int) (int, int) {
		l, c := lineCol(raw, off)
		if l == 1 {
			c = 0 // the column of raw's first line in the file is unknown
		}
		return l + max(line, 1) - 1, c
	}
}

// Entry is one row of the /hooks listing.
type Entry struct {
	Event   Event
	Matcher string
	Command string
	Source  Source
	Timeout time.Duration
	// Fired is false for an event basalt accepts but never raises.
	Fired bool
}

// List returns the hooks of s in the order of Claude Code's event table,
// then settings order.
func (s *Set) List() []Entry {
	var out []Entry
	for _, info := range events {
		for _, h := range s.Hooks {
			if h.Event == info.Event {
				out = append(out, Entry{Event: h.Event, Matcher: h.Matcher, Command: h.Command, Source: h.Source, Timeout: h.timeout(), Fired: info.Fired})
			}
		}
	}
	return out
}

// Change is one difference between two sets, for review.
type Change struct {
	// Added is true for a hook of the new set only, false for one of the
	// old set only.
	Added bool
	Entry Entry
}

func (c Change) String() string {
	sign := "-"
	if c.Added {
		sign = "+"
	}
	m := c.Entry.Matcher
	if m == "" {
		m = "*"
	}
	return fmt.Sprintf("%s %s [%s] %s (%s, timeout %s)", sign, c.Entry.Event, m, c.Entry.Command, c.Entry.Source, c.Entry.Timeout)
}

// Diff lists what changes from old to new: hooks removed, then hooks
// added. A hook whose command, matcher, timeout or file changed appears
// as one removal and one addition. nil when nothing changed.
func Diff(old, new *Set) []Change {
	o, n := old.List(), new.List()
	var out []Change
	for _, e := range o {
		if !slices.Contains(n, e) {
			out = append(out, Change{Added: false, Entry: e})
		}
	}
	for _, e := range n {
		if !slices.Contains(o, e) {
			out = append(out, Change{Added: true, Entry: e})
		}
	}
	return out
}

// Snapshot is the hooks of a session from its configuration, taken once
// at session start: [FromConfig] then [Load] under the folder's trust
// decision. The warnings are FromConfig's.
func Snapshot(c *config.Config) (*Set, []error) {
	layers, warns := FromConfig(c)
	s := Load(layers, Policy{Trusted: c.Trust.Trusted})
	s.Warnings = warns
	return s, warns
}
