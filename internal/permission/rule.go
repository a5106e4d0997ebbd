package permission

import (
	"errors"
	"fmt"

	"github.com/basalt-dev/basalt/internal/config"
)

// Tool families. A path rule is about the file, so a specifier on any member
// of a family governs every member: Edit(x), Write(x) and MultiEdit(x) all
// cover Edit, Write and MultiEdit calls on x, and Read(x) (or Grep(x), …)
// covers Read, Grep, Glob and LS. A bare rule is about the tool: "Write"
// covers Write only, while the family heads "Read" and "Edit" cover their
// whole family, as Claude Code documents for its Read and Edit rules.
const (
	familyRead = "Read"
	familyEdit = "Edit"
)

func family(tool string) string {
	switch tool {
	case "Read", "Grep", "Glob", "LS":
		return familyRead
	case "Edit", "Write", "MultiEdit":
		return familyEdit
	}
	return ""
}

// noSpecTools take no specifier: their calls name no path and no command.
var noSpecTools = map[string]bool{"TodoWrite": true, "BashOutput": true, "KillBash": true}

// rule is a compiled [config.Rule].
type rule struct {
	cfg  config.Rule
	bash *bashPattern // Bash(…)
	path *pathPattern // Read/Edit-family (…)
	// opaque: a specifier basalt cannot interpret (a tool it does not have).
	// As a deny or ask rule it matches every call to the tool, which errs
	// on the safe side; as an allow rule it matches none.
	opaque bool
}

// compileRule interprets one rule. The error names the rule and its source.
func compileRule(kind Behavior, r config.Rule, home, projectRoot string) (rule, error) {
	c := rule{cfg: r}
	wrap := func(err error) error {
		where := ""
		if r.Source.Kind != "" {
			where = " (" + r.Source.String() + ")"
		}
		return fmt.Errorf("%s rule %q%s: %w", kind, r.String(), where, err)
	}
	if r.Tool == "" {
		return c, wrap(errors.New("no tool name"))
	}
	if !r.HasSpec {
		return c, nil
	}
	switch {
	case r.Tool == "Bash":
		p, err := compileBashPattern(r.Specifier)
		if err != nil {
			return c, wrap(err)
		}
		c.bash = p
	case family(r.Tool) != "":
		p, err := compilePathPattern(r.Specifier, home, ruleSourceRoot(r.Source, projectRoot))
		if err != nil {
			return c, wrap(err)
		}
		c.path = p
	case noSpecTools[r.Tool]:
		return c, wrap(fmt.Errorf("%s takes no specifier; write %q to match every call", r.Tool, r.Tool))
	default:
		c.opaque = true
	}
	return c, nil
}

// ruleSet holds the compiled rules of each kind.
type ruleSet struct {
	allow, ask, deny []rule
}

func (s *ruleSet) list(kind Behavior) *[]rule {
	switch kind {
	case Allow:
		return &s.allow
	case Ask:
		return &s.ask
	}
	return &s.deny
}

// clone copies the slices so that AddRule never races a Decide that holds
// the previous set.
func (s ruleSet) clone() ruleSet {
	return ruleSet{
		allow: append([]rule(nil), s.allow...),
		ask:   append([]rule(nil), s.ask...),
		deny:  append([]rule(nil), s.deny...),
	}
}

// bareFor reports whether r is a specifier-less rule that covers every
// call to tool.
func (r rule) bareFor(tool string) bool {
	if r.cfg.HasSpec {
		return false
	}
	if r.cfg.Tool == tool {
		return true
	}
	f := family(tool)
	return f != "" && r.cfg.Tool == f
}

// pathFor reports whether r is a path rule of tool's family.
func (r rule) pathFor(tool string) bool {
	return r.path != nil && family(r.cfg.Tool) == family(tool)
}

// hasBashSpec reports whether any rule of the list constrains Bash
// commands by specifier; such rules are why an uninspectable command must
// be asked rather than waved through.
func hasBashSpec(rules []rule) bool {
	for _, r := range rules {
		if r.bash != nil {
			return true
		}
	}
	return false
}

func hasPathRules(rules []rule) bool {
	for _, r := range rules {
		if r.path != nil {
			return true
		}
	}
	return false
}
