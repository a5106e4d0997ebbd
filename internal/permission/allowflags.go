package permission

import (
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"sync"
)

// flagPolicy is what an allow rule for a program does not take on trust:
// flags that name a program to run or configuration that can run one, and
// flags that name a place the program writes or works in. A rule such as
// "Bash(go test:*)" allows `go test -coverprofile=cover.out` but asks for
// `go test -exec ./x` and `go test -coverprofile=/tmp/x`.
type flagPolicy struct {
	runs   []string // flags that run a program or load code or configuration: always asked
	writes []string // flags whose value is a file or directory written: trusted inside the workspace
	places []string // flags whose value is a directory or file the program works in or reads: trusted inside the workspace
	values []string // other flags that take the next word as their value
	// global flags count only before the first operand (git -c, not git log -c).
	global []string
	// runsIn: flags whose value runs a program when it contains one of
	// these (go test -ldflags=-extld=…).
	runsIn map[string][]string
	// assigns: NAME=VALUE operands change what the program runs (make CC=…).
	assigns bool
	// goFlags: the Go flag package's spelling, where --x is -x and a test
	// binary reads -test.x as -x.
	goFlags bool
}

// flagPolicies is the table of programs whose allow rules need it, keyed by
// program name.
// It is built once, on first use, and never changed.
var flagPolicies = sync.OnceValue(buildFlagPolicies)

func buildFlagPolicies() map[string]*flagPolicy {
	gop := &flagPolicy{
		goFlags: true,
		runs:    []string{"-exec", "-toolexec", "-vettool", "-overlay", "-modfile", "-compiler", "-gccgoflags", "-debug-actiongraph", "-debug-trace", "-w"},
		writes: []string{"-o", "-coverprofile", "-cpuprofile", "-memprofile", "-blockprofile", "-mutexprofile", "-trace",
			"-outputdir", "-pkgdir", "-gocoverdir", "-testlogfile", "-fuzzcachedir"},
		places: []string{"-C", "-pgo"},
		values: []string{"-run", "-bench", "-count", "-cpu", "-parallel", "-timeout", "-tags", "-covermode", "-coverpkg",
			"-benchtime", "-list", "-skip", "-shuffle", "-fuzz", "-fuzztime", "-fuzzminimizetime", "-p", "-mod", "-vet",
			"-gcflags", "-asmflags", "-installsuffix", "-memprofilerate", "-blockprofilerate", "-mutexprofilefraction", "-ldflags"},
		runsIn: map[string][]string{
			// An external linker, a dynamic loader or a place to write.
			"-ldflags":  {"-extld", "-extldflags", "-extar", "-tmpdir", "-I", "-r", "-o", "-cpuprofile", "-memprofile", "-linkshared"},
			"-gcflags":  {"-importcfg", "-embedcfg", "-o", "-asmhdr", "-linkobj", "-cpuprofile", "-memprofile", "-blockprofile", "-mutexprofile", "-traceprofile", "-bench", "-symabis"},
			"-asmflags": {"-o", "-symabis"},
		},
	}
	npm := &flagPolicy{
		runs: []string{"--script-shell", "--node-options", "--userconfig", "--globalconfig", "--call", "-c", "--package", "-p",
			"--shell", "--init-module", "--node-gyp", "--onload-script"},
		places: []string{"--prefix", "-C", "--cache", "--workspace", "-w"},
	}
	cargo := &flagPolicy{
		runs:   []string{"--config", "-Z"},
		writes: []string{"--target-dir", "--artifact-dir", "--out-dir", "--lockfile-path"},
		places: []string{"--manifest-path", "-C"},
		values: []string{"-p", "--package", "-j", "--jobs", "--target", "--features", "-F", "--bin", "--test", "--example", "--bench", "--profile", "--color", "--exclude"},
	}
	mk := &flagPolicy{
		runs:    []string{"--eval", "-E"},
		places:  []string{"-f", "--file", "--makefile", "-C", "--directory", "-I", "--include-dir"},
		values:  []string{"-j", "--jobs", "-l", "--load-average", "-o", "--old-file", "-W", "--what-if", "--new-file", "--assume-new"},
		assigns: true,
	}
	git := &flagPolicy{
		// -c is the wrapper table's to judge (gitConfigRuns: core.pager
		// runs a program, color.ui does not); here it only takes a value.
		runs: []string{"--config-env", "--exec-path", "--upload-pack", "--receive-pack", "--exec", "--ext-diff",
			"--textconv", "--extcmd", "--tool", "--template", "--separate-git-dir"},
		global: []string{"-c", "--config-env", "--exec-path", "-C", "--git-dir", "--work-tree", "--namespace"},
		writes: []string{"--output", "--output-directory", "-o"},
		places: []string{"-C", "--git-dir", "--work-tree"},
		// Options whose value is only data, so that the usual
		// git commit -m "$(cat <<'EOF' … EOF)" stays allowed.
		values: []string{"-c", "-m", "--message", "--author", "--date"},
	}
	return map[string]*flagPolicy{
		"go": gop, "npm": npm, "npx": npm, "pnpm": npm, "yarn": npm, "cargo": cargo, "make": mk, "gmake": mk, "git": git,
	}
}

// allowedFlags checks the flags of a command an allow rule matched. trusted
// is false when a flag runs a program, names a place outside the
// workspace, or is known only when the command runs; o then says why.
func (e *eval) allowedFlags(cmd *simpleCmd, f []word, r rule) (o outcome, trusted bool) {
	pol := flagPolicies()[baseName(f[0].text)]
	if pol == nil {
		return outcome{}, true
	}
	untrusted := func(format string, args ...any) (outcome, bool) {
		return askf("rule %s allows %s, but not %s", ruleWhere(r), f[0].text, fmt.Sprintf(format, args...)), false
	}
	operand := false
	for i := 1; i < len(f); i++ {
		w := f[i]
		if mayBeFlag(w) {
			return untrusted("an argument known only when it runs (%s), which could be a flag that runs a program", w.src)
		}
		if w.dynamic {
			operand = true
			continue
		}
		t := w.text
		if t == "--" && !pol.goFlags {
			break
		}
		if !strings.HasPrefix(t, "-") || t == "-" {
			if k, v, ok := strings.Cut(t, "="); ok && pol.assigns && identRE().MatchString(strings.TrimPrefix(k, ".")) && !plainSetting(v) {
				return untrusted("setting %s, which can change what it runs", k)
			}
			operand = true
			continue
		}
		name, val, has := t, "", false
		if n, v, ok := strings.Cut(t, "="); ok {
			name, val, has = n, v, true
		}
		if pol.goFlags {
			name = "-" + strings.TrimPrefix(strings.TrimLeft(name, "-"), "test.")
		} else if !has && !strings.HasPrefix(name, "--") && len(name) > 2 {
			// -Cdir, -fFILE: a one-letter flag with its value attached.
			if short := name[:2]; slices.Contains(pol.places, short) || slices.Contains(pol.writes, short) || slices.Contains(pol.runs, short) {
				name, val, has = short, name[2:], true
			}
		}
		if !pol.goFlags && strings.HasPrefix(name, "--") && len(name) >= 4 {
			// getopt_long, git and npm take unambiguous prefixes (--outp).
			for _, l := range [][]string{pol.runs, pol.writes, pol.places} {
				for _, o := range l {
					if strings.HasPrefix(o, name) && o != name {
						name = o
					}
				}
			}
		}
		if operand && slices.Contains(pol.global, name) {
			continue
		}
		takes := slices.Contains(pol.runs, name) || slices.Contains(pol.writes, name) || slices.Contains(pol.places, name) ||
			slices.Contains(pol.values, name)
		if takes && !has {
			if i+1 >= len(f) {
				break
			}
			i++
			if f[i].dynamic {
				if slices.Contains(pol.values, name) && !slices.Contains(pol.runs, name) &&
					!slices.Contains(pol.writes, name) && !slices.Contains(pol.places, name) {
					// A plain value (a commit message from $(cat <<EOF…)) is
					// data, whatever it turns out to be.
					continue
				}
				return untrusted("%s with a value known only when it runs", name)
			}
			val = f[i].text
		}
		switch {
		case slices.Contains(pol.runs, name):
			return untrusted("%s, which runs another program or loads configuration", name)
		case slices.Contains(pol.writes, name) || slices.Contains(pol.places, name):
			if o, ok := e.placeInside(cmd, val); !ok {
				return untrusted("%s %s: %s", name, val, o.reason)
			} else if o.behavior == Deny {
				return o, false
			}
		}
		if bad := toolFlag(val, pol.runsIn[name]); bad != "" {
			return untrusted("%s containing %s, which runs another program or writes elsewhere", name, bad)
		}
	}
	return outcome{}, true
}

// placeInside reports whether a path a flag names is one an allowed
// command may write to: inside the workspace from every directory the
// command may run in, and not covered by a deny or ask rule.
func (e *eval) placeInside(cmd *simpleCmd, p string) (outcome, bool) {
	if p == "" {
		return askf("an empty path"), false
	}
	if cmd.cwdUnknown && !filepath.IsAbs(p) {
		return askf("a relative path after a cd basalt cannot follow"), false
	}
	edits := *e
	if edits.mode == ModeDefault {
		edits.mode = ModeAcceptEdits // inside the workspace is fine; rules still apply
	}
	for _, d := range cmd.cwds {
		rp := resolvePath(p, d, e.c.home)
		o := edits.file("Write", rp)
		if o.behavior != Allow && e.mode != ModeBypass {
			return o, o.behavior == Deny
		}
		if !e.c.ws.contains(rp, false) {
			return askf("%s is outside the project and its additional directories", rp.forms[0]), false
		}
	}
	return allowf("inside the workspace"), true
}

// mayBeFlag reports whether a word only known when it runs could turn out
// to be a flag (or several words, one of them a flag): `$FLAGS`,
// `$(git diff --name-only)` and `{-exec=x,y}` could; `./$pkg` could not.
func mayBeFlag(w word) bool {
	if w.glob && strings.Contains(w.text, "{") {
		words, ok := braceExpand(w.text)
		if !ok {
			return true
		}
		for _, x := range words {
			if strings.HasPrefix(x, "-") {
				return true
			}
		}
	}
	if !w.dynamic {
		return false
	}
	if w.src == "" {
		return true
	}
	c := w.src[0]
	return !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '.' || c == '/' || c == '_' || c == '~' || c == '+' || c == ',' || c == ':' || c == '@' || c == '%')
}

// toolFlag returns the first flag of a tool flag list (-ldflags='-s -w
// -extld=x', -gcflags=all=-N) that is among bad.
func toolFlag(val string, bad []string) string {
	if len(bad) == 0 {
		return ""
	}
	for _, tok := range strings.FieldsFunc(val, func(r rune) bool { return r == ' ' || r == '\t' || r == '\'' || r == '"' }) {
		if !strings.HasPrefix(tok, "-") {
			// all=-N: a package pattern before the flags.
			if _, rest, ok := strings.Cut(tok, "="); ok {
				tok = rest
			}
		}
		name, _, _ := strings.Cut(tok, "=")
		name = "-" + strings.TrimLeft(name, "-")
		if slices.Contains(bad, name) {
			return name
		}
	}
	return ""
}

// plainSetting reports whether a make variable's value cannot name a
// program: a number or a boolean word (make V=1 DEBUG=yes).
func plainSetting(v string) bool {
	switch strings.ToLower(v) {
	case "true", "false", "yes", "no", "on", "off", "":
		return true
	}
	return isDigits(v)
}
