package permission

import (
	"regexp"
	"strings"

	"mvdan.cc/sh/v3/syntax"
)

// assign scans the subscript and value of an assignment for what they run.
func (s *shellScan) assign(a *syntax.Assign) {
	if a.Index != nil {
		s.arith(a.Index)
	}
	if a.Value != nil {
		s.scan(a.Value)
	}
	if a.Array != nil {
		for _, e := range a.Array.Elems {
			if e.Index != nil {
				s.arith(e.Index)
			}
			if e.Value != nil {
				s.scan(e.Value)
			}
		}
	}
}

// decl checks export, declare, local, readonly and typeset.
func (s *shellScan) decl(c *syntax.DeclClause) {
	v := c.Variant.Value
	if v == "nameref" {
		s.addHidden("declares a name reference")
	}
	for _, a := range c.Args {
		s.assign(a)
		switch {
		case a.Name != nil:
			s.checkVarName(a.Name.Value)
			if a.Index != nil {
				s.addHidden("assigns an array element, whose subscript is evaluated as code (%s)", v)
			}
		case a.Value != nil:
			// Options (-n, -i, -f, …) and run-time words change what the
			// declaration means; a name reference can make a later plain
			// $x evaluate code.
			s.addHidden("changes how variables are evaluated (%s %s)", v, printWord(a.Value))
		}
	}
}

// checkVarName flags assignments that can change how later commands run.
func (s *shellScan) checkVarName(name string) {
	if !safeVarName(name) {
		s.addOpaque("sets %s, which can change what later commands run", name)
	}
}

// safeEnvVars may be set for a command without changing what it runs.
// Claude Code keeps a similar list; variables that load code or change
// lookup (PATH, LD_PRELOAD, PYTHONPATH, NODE_OPTIONS, GOFLAGS, BASH_ENV,
// PAGER, GIT_*) must never join it.
var safeEnvVars = map[string]bool{
	"GOEXPERIMENT": true, "GOOS": true, "GOARCH": true, "CGO_ENABLED": true, "GO111MODULE": true,
	"RUST_BACKTRACE": true, "RUST_LOG": true, "NODE_ENV": true,
	"PYTHONUNBUFFERED": true, "PYTHONDONTWRITEBYTECODE": true,
	"LANG": true, "LANGUAGE": true, "LC_ALL": true, "LC_CTYPE": true, "LC_TIME": true, "CHARSET": true,
	"TERM": true, "COLORTERM": true, "NO_COLOR": true, "FORCE_COLOR": true, "TZ": true,
	"LS_COLORS": true, "LSCOLORS": true, "GREP_COLOR": true, "GREP_COLORS": true, "GCC_COLORS": true,
	"CI": true,
}

var identRE = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)

// safeVarName reports whether assigning the variable cannot change what a
// command runs: an allowlisted name, or an all-lowercase shell variable
// (environment variables are upper case by convention; the lowercase proxy
// variables are the exception and are excluded).
func safeVarName(name string) bool {
	if safeEnvVars[name] {
		return true
	}
	if !identRE.MatchString(name) || name != strings.ToLower(name) {
		return false
	}
	return !strings.HasSuffix(name, "_proxy") && name != "_"
}
