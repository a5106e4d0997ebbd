package rulespec

import (
	"fmt"
	"strings"
)

// Kind is what a rule does when it matches.
type Kind string

// The kinds, spelled as the keys of "permissions".
const (
	Allow Kind = "allow"
	Ask   Kind = "ask"
	Deny  Kind = "deny"
)

// Families of tools whose specifier is a path, and tools that take none.
var (
	pathTools   = map[string]bool{"Read": true, "Grep": true, "Glob": true, "LS": true, "Edit": true, "Write": true, "MultiEdit": true, "NotebookEdit": true}
	noSpecTools = map[string]bool{"TodoWrite": true, "BashOutput": true, "KillBash": true}
)

// Verdict says what basalt makes of one rule. The zero Verdict is a rule
// that compiles.
type Verdict struct {
	// Problem says why the rule cannot be compiled; empty when it can.
	Problem string
	// Effect says what basalt does with it instead, in words for a
	// warning ("it allows only the exact command `…`").
	Effect string
	// Inert: the rule matches nothing (a tool name that no tool can have,
	// an allow rule whose text is no command).
	Inert bool
	// Broad: a deny or ask rule applied to every call of its tool.
	Broad bool
	// Lenient: a Bash rule read by [Lenient].
	Lenient bool
	// WidePath is the pattern a deny or ask path rule is read as
	// ([WidenPath]).
	WidePath string
}

// OK reports whether the rule compiles as written.
func (v Verdict) OK() bool { return v.Problem == "" }

// Check decides whether a rule compiles and, when it does not, what basalt
// makes of it. tool and spec are as written (spec is unescaped here);
// hasSpec is false for a rule without parentheses; syntaxErr is a problem
// found reading the rule's text (a missing ")"), which makes the rule
// uncompilable whatever its specifier. homeKnown says whether ~/ can be
// resolved.
//
// The permission checker and the configuration layer both call it, so a
// rule that config show lists as kept with a warning is enforced the way
// the warning says.
func Check(kind Kind, tool, spec string, hasSpec bool, syntaxErr error, homeKnown bool) Verdict {
	t, err := ParseTool(tool)
	if err != nil {
		return Verdict{Problem: err.Error(), Effect: "it never matches", Inert: true}
	}
	spec = Unescape(spec)
	problem := ""
	if syntaxErr != nil {
		problem = syntaxErr.Error()
	}
	switch {
	case problem == "" && !hasSpec:
		return Verdict{}
	case tool == "Bash":
		if problem == "" {
			if _, err := CompileBash(spec, kind == Allow); err != nil {
				problem = err.Error()
			}
		}
		if problem == "" {
			return Verdict{}
		}
		l := Lenient(spec)
		v := Verdict{Problem: problem, Lenient: true}
		switch {
		case kind == Allow && l.Line == "":
			v.Effect, v.Inert = "it never allows anything", true
		case kind == Allow:
			v.Effect = fmt.Sprintf("it allows only the exact command `%s`", oneLine(l.Line))
		default:
			v.Effect = fmt.Sprintf("it %s any command that contains %s", verb(kind), describeParts(l))
		}
		return v
	case pathTools[tool]:
		if problem == "" {
			if err := CheckPath(spec, homeKnown); err != nil {
				problem = err.Error()
			}
		}
		if problem == "" {
			return Verdict{}
		}
		if w, ok := WidenPath(spec); ok && kind != Allow {
			return Verdict{Problem: problem, WidePath: w,
				Effect: fmt.Sprintf("it %s every %s call on a path matching %s (any directory)", verb(kind), tool, w)}
		}
		return fallback(kind, tool, problem)
	case tool == "WebFetch":
		if problem == "" {
			if _, err := ParseWebDomain(spec); err != nil {
				problem = err.Error()
			}
		}
		if problem == "" {
			return Verdict{}
		}
		return fallback(kind, tool, problem)
	case noSpecTools[tool]:
		if problem == "" {
			problem = fmt.Sprintf("%s takes no specifier; write %q to match every call", tool, tool)
		}
		return fallback(kind, tool, problem)
	case t.Prefix != "" && strings.HasSuffix(tool, "*") && hasSpec:
		return fallback(kind, tool, "a wildcard tool name takes no specifier")
	}
	if problem != "" {
		return fallback(kind, tool, problem)
	}
	// A specifier for a tool basalt does not interpret (mcp__…(…),
	// WebSearch(…)): handled by the checker as opaque, no problem to
	// report.
	return Verdict{}
}

// fallback is the verdict on a non-Bash rule that cannot be compiled: an
// allow rule allows nothing, a deny or ask rule covers every call.
func fallback(kind Kind, tool, problem string) Verdict {
	if kind == Allow {
		return Verdict{Problem: problem, Effect: "it never allows anything", Inert: true}
	}
	return Verdict{Problem: problem, Effect: fmt.Sprintf("it %s every %s call", verb(kind), tool), Broad: true}
}

func verb(k Kind) string {
	if k == Deny {
		return "denies"
	}
	return "asks before"
}

// describeParts names the text a lenient deny or ask rule looks for.
func describeParts(b *Bash) string {
	var alts []string
	for _, p := range b.Parts {
		words := append(append([]string(nil), p.Name...), p.Args...)
		if len(words) > 0 {
			alts = append(alts, "`"+oneLine(strings.Join(words, " "))+"`")
		}
	}
	switch {
	case len(alts) == 0:
		return "`" + oneLine(b.Line) + "`"
	case len(alts) > 3:
		alts = append(alts[:3], "…")
	}
	return "the words " + strings.Join(alts, " or ")
}

func oneLine(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		s = s[:i] + " …"
	}
	if len(s) > 80 {
		s = s[:80] + "…"
	}
	return s
}
