package harness

import (
	"path/filepath"
	"strings"

	"github.com/basalt-dev/basalt/internal/config"
	"github.com/basalt-dev/basalt/internal/permission"
)

// Rule is one permission rule in force and where it was written.
type Rule struct {
	Kind string // "allow", "ask" or "deny"
	Rule string
	// Source is where the rule lives: the level and the file (relative
	// to the working directory when inside it), e.g. "local
	// .basalt/settings.local.json", "managed /etc/basalt/managed-settings.json",
	// "flag --allowedTools", or "session" for a rule kept for this
	// session only.
	Source string
}

// sourceSession marks a rule the user allowed for this session only
// (the settings file could not take it): it lives in the session.
const sourceSession config.SourceKind = "session"

// ruleEdit is one change the user made to the rules during the session.
// The edits are replayed onto every conversation the session opens
// (/clear, /resume), whose checker starts from the configuration loaded
// at start-up: what the user set stays set.
type ruleEdit struct {
	kind   permission.Behavior
	rule   config.Rule // with its Source
	remove bool
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
	// Rules are the rules in force after the change, with their sources.
	Rules []Rule
}

// LocalSettings is the settings file rule edits go to: the project's
// local file in effect (basalt's, or Claude Code's when only that one
// exists, since writing basalt's would hide it), else basalt's, to be
// created.
func (s *Session) LocalSettings() string {
	if p := s.fileInEffect(config.LevelLocal); p != "" {
		return p
	}
	return filepath.Join(s.cfg.ProjectRoot, ".basalt", "settings.local.json")
}

// fileInEffect is the settings file loaded at level ("" when none is):
// basalt's, or Claude Code's when only that one exists. A change saved at
// that level goes there, since creating basalt's would hide Claude Code's.
func (s *Session) fileInEffect(level config.Level) string {
	for _, f := range s.cfg.Files {
		if f.Level == level && f.Status == config.StatusLoaded {
			return f.Path
		}
	}
	return ""
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
	for i, r := range append(append([]string(nil), add...), remove...) {
		pr, err := config.ParseRule(r)
		if err == nil && i < len(add) {
			err = webRuleProblem(pr) // webfetch.go
		}
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
		ch.Rules = append([]Rule(nil), s.rules...)
		return ch
	}
	src := config.Source{Kind: config.SourceLocal, Name: path}
	var errs []string
	for _, r := range ch.Added {
		pr, _ := config.ParseRule(r)
		pr.Source = src
		if err := s.applyEdit(ruleEdit{kind: permission.Behavior(kind), rule: pr}); err != nil {
			errs = append(errs, err.Error())
		}
	}
	for _, r := range ch.Removed {
		pr, _ := config.ParseRule(r)
		pr.Source = src
		if err := s.applyEdit(ruleEdit{kind: permission.Behavior(kind), rule: pr, remove: true}); err != nil {
			errs = append(errs, err.Error())
		}
	}
	if len(errs) > 0 {
		ch.LiveErr = ruleErrors(errs)
	}
	ch.Rules = append([]Rule(nil), s.rules...)
	return ch
}

// AllowForSession adds allow rules to this session only, not to any
// file: "yes, and don't ask again" when the local settings file cannot be
// written. They last until basalt exits, across /clear, /resume and
// /model, and /permissions lists them with the source "session".
func (s *Session) AllowForSession(rules []string) RuleChange {
	ch := RuleChange{Kind: "allow"}
	var parsed []config.Rule
	for _, r := range rules {
		pr, err := config.ParseRule(r)
		if err != nil {
			ch.Err = err
			return ch
		}
		pr.Source = config.Source{Kind: sourceSession}
		parsed = append(parsed, pr)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	var errs []string
	for _, pr := range parsed {
		if err := s.applyEdit(ruleEdit{kind: permission.Allow, rule: pr}); err != nil {
			errs = append(errs, err.Error())
			continue
		}
		ch.Added = append(ch.Added, pr.String())
	}
	if len(errs) > 0 {
		ch.LiveErr = ruleErrors(errs)
	}
	ch.Rules = append([]Rule(nil), s.rules...)
	return ch
}

// applyEdit applies one edit to the running checker and the rules shown,
// and keeps it for the conversations opened later. s.mu is held.
func (s *Session) applyEdit(e ruleEdit) error {
	if err := replay(s.checker, &s.rules, e, s.cfg.WorkDir); err != nil {
		return err
	}
	s.edits = append(s.edits, e)
	return nil
}

// replay applies e to checker and rules.
func replay(checker *permission.Checker, rules *[]Rule, e ruleEdit, wd string) error {
	shown := Rule{Kind: string(e.kind), Rule: e.rule.String(), Source: ruleSource(e.rule.Source, wd)}
	if e.remove {
		if err := checker.RemoveRule(e.kind, e.rule); err != nil {
			return err
		}
		*rules = removeRule(*rules, shown)
		return nil
	}
	if err := checker.AddRule(e.kind, e.rule); err != nil {
		return err
	}
	*rules = append(*rules, shown)
	return nil
}

// replayEdits applies the session's rule edits to a new conversation's
// checker and rules. An edit the new checker refuses (a removal whose
// rule is gone) is skipped: the file already says what it said.
func replayEdits(checker *permission.Checker, rules []Rule, edits []ruleEdit, wd string) []Rule {
	for _, e := range edits {
		_ = replay(checker, &rules, e, wd)
	}
	return rules
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

// ruleSource names where a rule lives: its level (managed, user,
// project, local, settings, flag, session) and its file, relative to the
// working directory when inside it.
func ruleSource(src config.Source, wd string) string {
	if src.Name != "" && filepath.IsAbs(src.Name) {
		if rel, err := filepath.Rel(wd, src.Name); err == nil && !strings.HasPrefix(rel, "..") {
			src.Name = rel
		}
	}
	src.Detail = "" // "permissions.allow": the list it is in is the rule's kind
	return src.String()
}
