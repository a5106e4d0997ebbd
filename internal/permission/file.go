package permission

import (
	"fmt"
	"path/filepath"
	"strings"

	"github.com/basalt-dev/basalt/internal/config"
	"github.com/basalt-dev/basalt/internal/rulespec"
)

// file decides a read-family or edit-family tool on one resolved path.
// Bash redirections come here too, as a Read or an Edit of their target.
func (e *eval) file(tool string, p resolved) outcome {
	fam := family(tool)
	verb := "read"
	if fam == familyEdit {
		verb = "edit"
	}
	shown := p.forms[0]
	if len(p.forms) > 1 {
		shown = fmt.Sprintf("%s (really %s)", p.forms[0], p.forms[1])
	}
	for _, r := range e.rules.deny {
		if r.bareFor(tool) || r.pathFor(tool) && anyFormMatches(r.path, p, e.c.ws) {
			return denyRule(r, fmt.Sprintf("%s of %s is denied by rule %s", capital(verb), shown, ruleWhere(r)))
		}
	}
	if fam == familyEdit && e.mode == ModePlan {
		return planDeny("edit " + p.forms[0])
	}
	if fam == familyEdit && e.mode != ModeBypass {
		// Before ask rules, allow rules and acceptEdits: a protected place
		// is asked whatever they say.
		if pr, ok := e.protectedHit(p); ok {
			return protectedAsk(verb, shown, pr)
		}
	}
	if e.mode != ModeBypass {
		for _, r := range e.rules.ask {
			if r.bareFor(tool) || r.pathFor(tool) && anyFormMatches(r.path, p, e.c.ws) {
				return askRule(r, fmt.Sprintf("rule %s asks before every %s of %s", ruleWhere(r), verb, shown))
			}
		}
	}
	if !p.ok {
		return askf("%s cannot be resolved to one file (a symlink loop, or a ~user, ~+ or ~- the shell expands), so it cannot be checked", p.given)
	}
	if e.mode == ModeBypass {
		return allowf("bypassPermissions mode")
	}
	if o, ok := e.allowedByRules(tool, p); ok {
		return o
	}
	inside := e.c.ws.contains(p, false)
	switch {
	case fam == familyRead && inside:
		return allowf("reads inside the workspace need no approval")
	case fam == familyEdit && inside && e.mode == ModeAcceptEdits:
		return allowf("acceptEdits mode allows edits inside the workspace")
	}
	where := "inside the project"
	if !inside {
		where = "outside the project and its additional directories"
	}
	return askSuggest(fmt.Sprintf("%s of %s (%s) needs approval", capital(verb), shown, where), e.suggestPath(fam, p)...)
}

// allowedByRules reports whether a bare rule allows the tool, or every form
// of the path is covered by some path allow rule, so that a symlink out of
// an allowed directory is not allowed with it.
func (e *eval) allowedByRules(tool string, p resolved) (outcome, bool) {
	var first *rule
	for _, f := range p.forms {
		covered := false
		for i, r := range e.rules.allow {
			if r.bareFor(tool) {
				return allowRule(r), true
			}
			if r.pathFor(tool) && r.path.matchForm(f, e.c.ws, false) {
				covered = true
				if first == nil {
					first = &e.rules.allow[i]
				}
				break
			}
		}
		if !covered {
			return outcome{}, false
		}
	}
	if first == nil {
		return outcome{}, false
	}
	return allowRule(*first), true
}

func anyFormMatches(pp *pathPattern, p resolved, ws workspace) bool {
	for _, f := range p.forms {
		if pp.matchForm(f, ws, true) {
			return true
		}
	}
	return false
}

// suggestPath writes the narrowest rules that would allow p: one per
// form, relative to the project root where the path lies inside it, else
// absolute ("//abs/path"). A directory rule covers its contents.
func (e *eval) suggestPath(fam string, p resolved) []config.Rule {
	var out []config.Rule
	seen := map[string]bool{}
	for _, f := range p.forms {
		spec := "/" + escapePattern(f) // "//abs/path"
		if rf, idx := e.c.ws.rootFor(f); idx == 0 && f != rf {
			rel := escapePattern(relTo(f, rf))
			if !strings.Contains(rel, "/") {
				rel = "./" + rel // a bare name would match at any depth
			}
			spec = rel
		}
		if f == string(filepath.Separator) {
			spec = "//"
		}
		if !seen[spec] {
			seen[spec] = true
			out = append(out, config.Rule{Tool: fam, Specifier: rulespec.Escape(spec), HasSpec: true})
		}
	}
	return out
}

func capital(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// ReadDenied reports whether a deny rule of the Read family covers path
// (relative paths resolve against workDir, or the project root). Grep, Glob
// and LS leave such files out of their results, as Claude Code hides files
// its Read deny rules cover: the decision on the search itself cannot know
// every file a recursive search will open. A search asks through
// [Checker.ReadDeniedFilter], which gives the same answers faster. It is
// safe for concurrent use.
func (c *Checker) ReadDenied(path, workDir string) bool {
	c.mu.RLock()
	rules := c.rules
	c.mu.RUnlock()
	has := false
	for _, r := range rules.deny {
		has = has || r.bareFor("Read") || r.pathFor("Read")
	}
	if !has {
		return false // the common case, and a walk asks for every file
	}
	if workDir == "" {
		workDir = c.projectRoot
	}
	rp := resolvePath(path, workDir, c.home)
	for _, r := range rules.deny {
		if r.bareFor("Read") || r.pathFor("Read") && anyFormMatches(r.path, rp, c.ws) {
			return true
		}
	}
	return false
}
