package harness

import (
	"path/filepath"
	"strings"

	"github.com/basalt-dev/basalt/internal/config"
	"github.com/basalt-dev/basalt/internal/permission"
)

// Rule is one permission rule in force and where it was written.
type Rule struct {
	Kind   string // "allow", "ask" or "deny"
	Rule   string
	Source string // the file, relative to the working directory when inside it, or the flag
}

// RuleChange is what one [Session.EditRules] did.
type RuleChange struct {
	Kind           string
	Path           string   // the settings file written
	Added, Removed []string // what changed in the file; both empty: nothing to do
	// Err is why the file was not changed; the session was not either.
	Err error
	// LiveErr is why the running session refused a change the file took
	// (a rule of the managed policy cannot be removed): the file's change
	// applies from the next conversation.
	LiveErr error
}

// LocalSettings is the settings file rule edits go to: the project's
// local file in effect (basalt's, or Claude Code's when only that one
// exists, since writing basalt's would hide it), else basalt's, to be
// created.
func (s *Session) LocalSettings() string {
	for _, f := range s.cfg.Files {
		if f.Level == config.LevelLocal && f.Status == config.StatusLoaded {
			return f.Path
		}
	}
	return filepath.Join(s.cfg.ProjectRoot, ".basalt", "settings.local.json")
}

// EditRules adds rules to and removes rules from the permission rules of
// kind ("allow", "ask" or "deny") in one step: the local settings file is
// saved (config.SettingsFile: backup, atomic, mode 0600), then the running
// checker takes the change, so the next decision sees it. Only what
// changed in the file is applied to the session; a rule the file already
// had, or did not have, leaves the session alone. Removal applies to the
// rules that came from the local file only: a rule also written in
// another file stays, since it is still written there.
func (s *Session) EditRules(kind string, add, remove []string) RuleChange {
	path := s.LocalSettings()
	ch := RuleChange{Kind: kind, Path: path}
	var parsed []config.Rule
	for _, r := range append(append([]string(nil), add...), remove...) {
		pr, err := config.ParseRule(r)
		if err != nil {
			ch.Err = err
			return ch
		}
		parsed = append(parsed, pr)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	ch.Added, ch.Removed, ch.Err = config.EditRules(path, kind, canonical(parsed[:len(add)]), canonical(parsed[len(add):]))
	if ch.Err != nil {
		return ch
	}
	src := config.Source{Kind: config.SourceLocal, Name: path}
	shown := ruleSource(src, s.cfg.WorkDir)
	var errs []string
	for _, r := range ch.Added {
		pr, _ := config.ParseRule(r)
		pr.Source = src
		if err := s.checker.AddRule(permission.Behavior(kind), pr); err != nil {
			errs = append(errs, err.Error())
			continue
		}
		s.rules = append(s.rules, Rule{Kind: kind, Rule: pr.String(), Source: shown})
	}
	for _, r := range ch.Removed {
		pr, _ := config.ParseRule(r)
		pr.Source = src
		if err := s.checker.RemoveRule(permission.Behavior(kind), pr); err != nil {
			errs = append(errs, err.Error())
			continue
		}
		s.rules = removeRule(s.rules, Rule{Kind: kind, Rule: pr.String(), Source: shown})
	}
	if len(errs) > 0 {
		ch.LiveErr = ruleErrors(errs)
	}
	return ch
}

// canonical spells each rule as the checker and the files do.
func canonical(rs []config.Rule) []string {
	out := make([]string, len(rs))
	for i, r := range rs {
		out[i] = r.String()
	}
	return out
}

func removeRule(rs []Rule, gone Rule) []Rule {
	out := rs[:0]
	for _, r := range rs {
		if r != gone {
			out = append(out, r)
		}
	}
	return out
}

type ruleErrors []string

func (e ruleErrors) Error() string { return strings.Join(e, "; ") }

// configRules are the rules of cfg, in the order deny, ask, allow.
func configRules(cfg *config.Config) []Rule {
	var out []Rule
	for _, k := range []struct {
		kind  string
		rules []config.Rule
	}{{"deny", cfg.Permissions.Deny}, {"ask", cfg.Permissions.Ask}, {"allow", cfg.Permissions.Allow}} {
		for _, r := range k.rules {
			out = append(out, Rule{Kind: k.kind, Rule: r.String(), Source: ruleSource(r.Source, cfg.WorkDir)})
		}
	}
	return out
}

// ruleSource names where a rule lives: its file relative to the working
// directory when inside it, else the source as config spells it.
func ruleSource(src config.Source, wd string) string {
	if src.Name != "" && filepath.IsAbs(src.Name) {
		if rel, err := filepath.Rel(wd, src.Name); err == nil && !strings.HasPrefix(rel, "..") {
			return rel
		}
	}
	return src.String()
}
