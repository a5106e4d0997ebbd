package permission

import (
	"strings"
	"sync"

	"mvdan.cc/sh/v3/syntax"

	"github.com/basalt-dev/basalt/internal/lazyre"
)

// assign scans the subscript and value of an assignment for what they run.
func (s *shellScan) assign(a *syntax.Assign) {
	if a.Name != nil {
		s.assignVar(a.Name.Value, a.Value)
	}
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
			if !safeVarName(a.Name.Value) {
				s.addOpaque("sets %s, which can change what later commands run", a.Name.Value)
			}
			if a.Index != nil {
				s.addHidden("assigns an array element, whose subscript is evaluated as code (%s)", v)
			}
		case a.Value != nil:
			if w := analyzeWord(a.Value); !w.dynamic {
				// declare -x NAME=VALUE with the name in an option-like word.
				if k, v, ok := strings.Cut(w.text, "="); ok && identRE().MatchString(k) {
					s.assignVarText(k, v)
				}
			}
			// Options (-n, -i, -f, …) and run-time words change what the
			// declaration means; a name reference can make a later plain
			// $x evaluate code.
			s.addHidden("changes how variables are evaluated (%s %s)", v, printWord(a.Value))
		}
	}
}

// checkVarName flags assignments that can change how later commands run.
func (s *shellScan) checkVarName(name string) {
	s.assignVar(name, nil)
	if !safeVarName(name) {
		s.addOpaque("sets %s, which can change what later commands run", name)
	}
}

// safeEnvVars may be set for a command without changing what it runs.
// Claude Code keeps a similar list; variables that load code or change
// lookup (PATH, LD_PRELOAD, PYTHONPATH, NODE_OPTIONS, GOFLAGS, BASH_ENV,
// PAGER, GIT_*) must never join it.
var safeEnvVars = sync.OnceValue(func() map[string]bool {
	return map[string]bool{
		"GOEXPERIMENT": true, "GOOS": true, "GOARCH": true, "CGO_ENABLED": true, "GO111MODULE": true,
		"RUST_BACKTRACE": true, "RUST_LOG": true, "NODE_ENV": true,
		"PYTHONUNBUFFERED": true, "PYTHONDONTWRITEBYTECODE": true,
		"LANG": true, "LANGUAGE": true, "LC_ALL": true, "LC_CTYPE": true, "LC_TIME": true, "CHARSET": true,
		"TERM": true, "COLORTERM": true, "NO_COLOR": true, "FORCE_COLOR": true, "TZ": true,
		"LS_COLORS": true, "LSCOLORS": true, "GREP_COLOR": true, "GREP_COLORS": true, "GCC_COLORS": true,
		"CI": true,
	}
})

var identRE = lazyre.New(`^[A-Za-z_][A-Za-z0-9_]*$`)

// safeVarName reports whether assigning the variable cannot change what a
// command runs: an allowlisted name, or an all-lowercase shell variable
// (environment variables are upper case by convention; the lowercase proxy
// variables are the exception and are excluded).
func safeVarName(name string) bool {
	if safeEnvVars()[name] {
		return true
	}
	if !identRE().MatchString(name) || name != strings.ToLower(name) {
		return false
	}
	return !strings.HasSuffix(name, "_proxy") && name != "_"
}

// varEffect says what assigning a variable does beyond the shell itself.
// runs: some program runs its value as a command line (GIT_PAGER, PS4,
// PROMPT_COMMAND). loads: it names code or configuration that later
// programs load, which no rule can see (BASH_ENV, LD_PRELOAD, GIT_CONFIG_*).
// paths: it changes how later words, paths or cd resolve (HOME, CDPATH).
func varEffect(name string) (runs, loads, paths bool) {
	switch name {
	case "GIT_PAGER", "PAGER", "MANPAGER", "SYSTEMD_PAGER", "GIT_EDITOR", "EDITOR", "VISUAL", "GIT_SEQUENCE_EDITOR",
		"GIT_SSH_COMMAND", "GIT_SSH", "GIT_EXTERNAL_DIFF", "GIT_ASKPASS", "SSH_ASKPASS", "SUDO_ASKPASS",
		"GIT_PROXY_COMMAND", "SUDO_EDITOR", "LESSOPEN", "LESSCLOSE", "BROWSER", "PROMPT_COMMAND", "PS0", "PS1", "PS2", "PS3", "PS4",
		"SHELL", "FCEDIT", "TAR_OPTIONS", "MAKEFLAGS", "MFLAGS", "GNUMAKEFLAGS":
		return true, false, false
	case "BASH_ENV", "ENV", "LD_PRELOAD", "LD_LIBRARY_PATH", "LD_AUDIT", "GIT_EXEC_PATH", "GIT_TEMPLATE_DIR",
		"GIT_DIR", "GIT_CONFIG", "GIT_CONFIG_GLOBAL", "GIT_CONFIG_SYSTEM", "GIT_CONFIG_PARAMETERS", "GIT_CONFIG_COUNT",
		"NODE_OPTIONS", "PERL5OPT", "PERL5LIB", "RUBYOPT", "PYTHONSTARTUP", "PYTHONPATH", "GOFLAGS", "CARGO_BUILD_RUSTC_WRAPPER",
		"RUSTC_WRAPPER", "npm_config_script_shell", "NPM_CONFIG_SCRIPT_SHELL":
		return false, true, false
	case "HOME", "CDPATH", "PWD", "OLDPWD", "GLOBIGNORE", "IFS", "BASHOPTS", "SHELLOPTS", "POSIXLY_CORRECT":
		return false, false, true
	}
	if strings.HasPrefix(name, "GIT_CONFIG_KEY_") || strings.HasPrefix(name, "GIT_CONFIG_VALUE_") {
		return false, true, false
	}
	return false, false, false
}

// assignVar notes an assignment: a command line in the value is scanned
// like sh -c, code loaded from elsewhere is hidden, and a variable that
// changes path resolution makes every path decision of the command ask.
// value is nil when the value is not known (read VAR, for VAR in …).
func (s *shellScan) assignVar(name string, value *syntax.Word) {
	runs, loads, paths := varEffect(name)
	switch {
	case paths:
		s.pathsUnknown = true
	case loads:
		s.addHidden("sets %s, which makes later programs load code basalt cannot see", name)
	case runs:
		if value == nil {
			s.addHidden("sets %s, a command later programs run, to a value known only when it runs", name)
			return
		}
		w := analyzeWord(value)
		if w.dynamic {
			s.addHidden("sets %s, a command later programs run, to a value known only when it runs", name)
			return
		}
		s.walkString(w.text)
	}
}

// assignVarText is assignVar for a value known as text.
func (s *shellScan) assignVarText(name, value string) {
	w := &syntax.Word{Parts: []syntax.WordPart{&syntax.SglQuoted{Value: value}}}
	s.assignVar(name, w)
}
