package permission

import (
	"errors"
	"fmt"

	"github.com/basalt-dev/basalt/internal/config"
	"github.com/basalt-dev/basalt/internal/rulespec"
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
	case "Edit", "Write", "MultiEdit", "NotebookEdit":
		return familyEdit
	}
	return ""
}

// rule is a compiled [config.Rule].
type rule struct {
	cfg  config.Rule
	tool rulespec.Tool
	bash *bashPattern        // Bash(…)
	path *pathPattern        // Read/Edit-family (…)
	web  *rulespec.WebDomain // WebFetch(domain:…)
	// opaque: a specifier basalt cannot interpret (a tool it does not have).
	// As a deny or ask rule it matches every call to the tool, which errs
	// on the safe side; as an allow rule it matches none.
	opaque bool
	// broad: a deny or ask rule basalt cannot compile, applied to every
	// call of its tool (or family) like a rule without specifier.
	broad bool
	// inert: a rule that matches nothing (no tool can have its name, or
	// an allow rule whose text names no command).
	inert bool
}

// compileRule interprets one rule. A rule basalt cannot compile as written
// is still returned, in the form [rulespec.Check] describes (never
// allowing more nor refusing less than its text), together with an error
// that names the rule and says why; the configuration layer has already
// warned about it, naming its file and line.
func compileRule(kind Behavior, r config.Rule, home, projectRoot string) (rule, error) {
	c := rule{cfg: r}
	c.tool, _ = rulespec.ParseTool(r.Tool)
	var syntaxErr error
	if r.Problem != "" {
		syntaxErr = errors.New(r.Problem)
	}
	v := rulespec.Check(rulespec.Kind(kind), r.Tool, r.Specifier, r.HasSpec, syntaxErr, home != "")
	spec := rulespec.Unescape(r.Specifier)
	var problem error
	if !v.OK() {
		where := ""
		if r.Source.Kind != "" {
			where = " (" + r.Where() + ")"
		}
		why := v.Problem
		if r.Problem != "" {
			why = r.Problem
		}
		problem = fmt.Errorf("%s rule %q%s: %s", kind, r.String(), where, why)
	}
	switch {
	case v.Inert:
		c.inert = true
	case v.Broad:
		c.broad = true
	case v.WidePath != "":
		p, err := compilePathPattern(v.WidePath, home, ruleSourceRoot(r.Source, projectRoot))
		if err != nil {
			c.broad = true
			break
		}
		c.path = p
	case v.Lenient:
		b := rulespec.Lenient(spec)
		c.bash = &bashPattern{Bash: b}
		if kind == Allow {
			b.Kind = rulespec.BashLine
			c.bash.canon = canonicalLine(b.Line)
		} else if b.Line == "" && len(b.Parts) == 0 {
			c.bash, c.broad = nil, true
		}
	case !r.HasSpec:
	case r.Tool == "Bash":
		b, err := rulespec.CompileBash(spec, kind == Allow)
		if err != nil { // Check said it compiles; keep the two honest
			c.inert, c.broad = kind == Allow, kind != Allow
			return c, err
		}
		c.bash = &bashPattern{Bash: b}
	case family(r.Tool) != "":
		p, err := compilePathPattern(spec, home, ruleSourceRoot(r.Source, projectRoot))
		if err != nil {
			c.inert, c.broad = kind == Allow, kind != Allow
			return c, err
		}
		c.path = p
	case r.Tool == "WebFetch":
		d, err := rulespec.ParseWebDomain(spec)
		if err != nil { // Check said it parses; keep the two honest
			c.inert, c.broad = kind == Allow, kind != Allow
			return c, err
		}
		c.web = &d
	default:
		c.opaque = true
	}
	return c, problem
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
	if r.inert || r.cfg.HasSpec && !r.broad {
		return false
	}
	if r.tool.Matches(tool) {
		return true
	}
	f := family(tool)
	if f == "" {
		return false
	}
	// A broad rule covers its tool's whole family, as its specifier would
	// have.
	return r.cfg.Tool == f || r.broad && family(r.cfg.Tool) == f
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
		if r.bash != nil && r.bash.Kind != rulespec.BashLine {
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
