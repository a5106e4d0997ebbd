package permission

import (
	"slices"
	"strings"
	"sync"
)

// maxForms bounds the wrapper unwrapping of one command.
const maxForms = 32

// maxGuesses bounds the tails of a wrapper's arguments tried as its
// command when its options are not all known.
const maxGuesses = 128

// shells run a string given with -c, a script file, or their input.
var shells = map[string]bool{
	"sh": true, "bash": true, "zsh": true, "dash": true, "ksh": true, "mksh": true,
	"ash": true, "fish": true, "csh": true, "tcsh": true,
}

// linkMakers create symlinks or hard links, or move or copy them: after
// one, a path later in the same command may lead somewhere else than it
// does now, so paths are no longer decided statically.
var linkMakers = sync.OnceValue(func() map[string]bool {
	return map[string]bool{
		"ln": true, "link": true, "cp": true, "mv": true, "rsync": true, "tar": true, "bsdtar": true, "cpio": true,
		"pax": true, "unzip": true, "7z": true, "7za": true, "ar": true, "git": true, "patch": true, "install": true,
		"busybox": true, "rename": true, "mount": true, "bindfs": true, "unshare": true,
	}
})

// makesLinks reports whether a command may create, copy or move a link.
// git counts unless its subcommand only reads.
func makesLinks(base string, cur []word) bool {
	if base != "git" {
		return linkMakers()[base]
	}
	i := gitSubcommand(cur)
	if i >= len(cur) {
		return false
	}
	switch cur[i].text {
	case "status", "log", "diff", "show", "branch", "rev-parse", "ls-files", "blame", "grep", "describe",
		"shortlog", "reflog", "rev-list", "cat-file", "ls-tree", "version", "help", "fetch", "remote", "tag":
		return false
	}
	return true
}

// gitSubcommand returns the index in f, a git command form, of git's
// subcommand, skipping git's own options and the values the wrapper table
// says they take (git -C dir, --attr-source tree, -c key=value); len(f)
// when there is none. Every reading of git's command line goes through
// it, so a global option the table learns is skipped everywhere.
func gitSubcommand(f []word) int {
	sp := wrapperSpecs()["git"]
	for i := 1; i < len(f); i++ {
		t := f[i].text
		switch {
		case !strings.HasPrefix(t, "-") || f[i].dynamic:
			return i
		case t == "--":
			return i + 1
		case !strings.Contains(t, "=") && (slices.Contains(sp.values, t) || slices.Contains(sp.configOpts, t) || t == "--config-env"):
			i++ // the option's value
		}
	}
	return len(f)
}

// shellStateBuiltins change how the shell reads later text.
var shellStateBuiltins = map[string]string{
	"alias":    "defines an alias, which can change what a later command name means",
	"trap":     "installs a trap, which runs code later",
	"hash":     "edits the command lookup table",
	"enable":   "enables or loads shell builtins",
	"shopt":    "changes shell options",
	"complete": "installs completion code",
	"bind":     "binds keys to code",
	"fc":       "re-runs commands from history",
	"source":   "runs a script inside the shell itself",
	".":        "runs a script inside the shell itself",
}

// classify fills in the forms of cmd and notes what makes it opaque.
func (s *shellScan) classify(cmd *simpleCmd) {
	work := [][]word{cmd.words}
	for steps := 0; len(work) > 0 && steps < maxForms; steps++ {
		cur := work[0]
		work = work[1:]
		if len(cur) == 0 {
			continue
		}
		cur = expandNameBraces(cmd, cur)
		cmd.denyForms = append(cmd.denyForms, cur)
		name := cur[0]
		if !name.lit() {
			if name.dynamic || name.glob {
				cmd.hidden = true
				cmd.setOpaque("has a command name that is only known when it runs")
				continue
			}
		}
		base := baseName(name.text)
		if base != name.text && base != "" {
			// /bin/rm is rm to a deny rule.
			bw := append([]word{{text: base, src: base}}, cur[1:]...)
			cmd.denyForms = append(cmd.denyForms, bw)
			cur = bw
		}
		if makesLinks(base, cur) {
			s.pathsUnknown = true
			cmd.changesPaths = true
		}
		if sp := wrapperSpecs()[base]; sp != nil {
			work = append(work, s.unwrap(cmd, sp, cur)...)
			continue
		}
		switch {
		case shells[base]:
			s.shellCall(cmd, cur)
		case base == "eval":
			cmd.setOpaque("runs text as a command (eval)")
			s.runText(cmd, cur[1:], " ")
		case base == "exec":
			if len(cur) > 1 {
				cmd.setOpaque("replaces the shell with another program (exec)")
				work = append(work, suffixes(cur)...)
			}
		case shellStateBuiltins[base] != "":
			cmd.setOpaque(shellStateBuiltins[base])
			if base == "shopt" {
				s.pathsUnknown = true // nocaseglob, dotglob, globstar change what words name
			}
			switch base {
			case "source", ".":
				if len(cur) > 1 && (cur[1].dynamic || inputPath(cur[1].text)) {
					cmd.hidden = true // source /dev/stdin runs what a pipe feeds it
				}
			case "trap":
				if len(cur) > 1 {
					s.runText(cmd, cur[1:2], " ")
				}
			case "alias":
				for _, w := range cur[1:] {
					if _, v, ok := strings.Cut(w.text, "="); ok && !w.dynamic {
						s.walkString(v)
					}
				}
			}
		default:
			if why, hidden := assignsVariables(base, cur); why != "" {
				cmd.setOpaque(why)
				cmd.hidden = cmd.hidden || hidden
			}
			switch base {
			case "read", "mapfile", "readarray", "getopts", "printf", "unset", "wait", "export", "declare", "typeset", "local", "readonly":
				for _, w := range cur[1:] {
					if k, v, ok := strings.Cut(w.text, "="); ok && identRE().MatchString(k) && !w.dynamic {
						s.assignVarText(k, v)
					} else if identRE().MatchString(w.text) {
						s.assignVar(w.text, nil)
					}
				}
			}
		}
	}
	if len(work) > 0 {
		cmd.hidden = true
		cmd.setOpaque("nests wrappers too deeply to be checked")
	}
	if cmd.opaque == "" {
		cmd.allowForm, cmd.wrapped = allowChain(cmd.words)
	}
}

// unwrap reads a program that runs other programs by its spec: the argv
// commands it runs are returned for classify to check in turn, command
// lines it hands to a shell are scanned as shell code, and code basalt
// cannot read makes the command hidden, so any Bash deny rule asks.
func (s *shellScan) unwrap(cmd *simpleCmd, sp *wrapperSpec, cur []word) [][]word {
	p := parseWrapper(sp, cur)
	if p.lookup {
		return nil
	}
	name := baseName(cur[0].text)
	var work [][]word
	if sp.allow == allowNever {
		cmd.setOpaque(sp.why)
	}
	if p.command != nil {
		work = append(work, p.command)
	}
	work = append(work, p.inner...)
	if p.runs != "" {
		cmd.setOpaque(p.runs)
	}
	for _, w := range p.shell {
		cmd.setOpaque("runs a command line given as a string (" + name + ")")
		s.runText(cmd, []word{w}, " ")
	}
	if p.script != nil {
		s.shellCall(cmd, append([]word{{text: "sh", src: "sh"}}, p.script...))
	}
	if len(p.code) > 0 {
		cmd.hidden = true
		cmd.setOpaque(p.code[0] + " (" + name + "), which basalt cannot check")
	}
	if p.changes != "" {
		cmd.setOpaque(p.changes)
	}
	if p.fromInput {
		cmd.hidden = true
		why := sp.why
		if why == "" {
			why = "runs code"
		}
		cmd.setOpaque(why + ", reading what to run from its input")
	}
	if p.unknown && sp.operands != operandsNone && sp.operands != operandsCode || sp.guess {
		// Options basalt does not know: guess every position for deny
		// rules and allow only the command as written. A guess that is
		// itself a wrapper or shell is unwrapped in turn; the others are
		// only matched, so a long argument list does not exhaust maxForms.
		tails := suffixes(cur)
		if len(tails) > maxGuesses {
			// Matching every tail would make a long command slow to
			// check; too many to guess is too many to trust.
			cmd.hidden = true
			cmd.setOpaque("has too many words after a wrapper for basalt to tell where its command starts")
			tails = tails[:maxGuesses]
		}
		for _, t := range tails {
			if s.unwraps(t[0]) {
				work = append(work, t)
				continue
			}
			cmd.denyForms = append(cmd.denyForms, t)
			if b := baseName(t[0].text); b != t[0].text {
				cmd.denyForms = append(cmd.denyForms, append([]word{{text: b, src: b}}, t[1:]...))
			}
		}
	}
	return work
}

// unwraps reports whether a command name needs classify's own reading: a
// wrapper, a shell, eval and the like, or a name known only when it runs.
func (s *shellScan) unwraps(w word) bool {
	if !w.lit() {
		return true
	}
	b := baseName(w.text)
	return wrapperSpecs()[b] != nil || shells[b] || b == "eval" || b == "exec" || shellStateBuiltins[b] != ""
}

// allowChain returns the form of a command that allow rules are matched
// against: the command inside transparent wrappers, so that a rule must
// name the program that really runs (Bash(go test:*) allows
// `timeout 60 go test`, and Bash(timeout:*) does not allow `timeout 60 rm`).
// wrapped marks a form that still starts with a wrapper (sudo, or env with
// a variable that changes the command); a rule must then name more than
// the wrapper to allow it.
func allowChain(cur []word) ([]word, bool) {
	specs := wrapperSpecs()
	for range maxForms {
		if !cur[0].lit() {
			return cur, false
		}
		sp := specs[baseName(cur[0].text)]
		if sp == nil {
			return cur, false
		}
		switch sp.allow {
		case allowInner:
			p := parseWrapper(sp, cur)
			switch {
			case p.lookup:
				return cur, false
			case p.unknown || p.command != nil && !p.clean:
				return cur, true
			case p.command == nil:
				return cur, false
			}
			cur = p.command
		case allowNamed, allowNever:
			return cur, true
		default:
			return cur, false
		}
	}
	return cur, true
}

func (c *simpleCmd) setOpaque(why string) {
	if c.opaque == "" {
		c.opaque = why
	}
}

// runText scans words that a command runs as shell code.
func (s *shellScan) runText(cmd *simpleCmd, args []word, sep string) {
	if len(args) == 0 {
		return
	}
	texts := make([]string, len(args))
	for i, a := range args {
		if a.dynamic {
			cmd.hidden = true
			return
		}
		texts[i] = a.text
	}
	s.walkString(strings.Join(texts, sep))
}

// shellCall handles sh/bash/…: with -c the first operand is code; with no
// operand (or -s) the code comes from standard input; otherwise the shell
// runs a script file, which is an ordinary command for the rules.
func (s *shellScan) shellCall(cmd *simpleCmd, cur []word) {
	cFlag, stdin := false, false
	i := 1
	for ; i < len(cur); i++ {
		w := cur[i]
		if !w.lit() {
			break
		}
		t := w.text
		if t == "--" || t == "-" {
			i++
			break
		}
		if strings.HasPrefix(t, "--") {
			if t == "--rcfile" || t == "--init-file" {
				i++
			}
			continue
		}
		if len(t) > 1 && (t[0] == '-' || t[0] == '+') {
			flags := t[1:]
			if strings.ContainsRune(flags, 'c') {
				cFlag = true
			}
			if strings.ContainsRune(flags, 's') {
				stdin = true
			}
			if strings.ContainsAny(flags, "oO") {
				i++ // -o takes an option name
			}
			continue
		}
		break
	}
	switch {
	case cFlag:
		cmd.setOpaque("runs a shell on a command string")
		if i < len(cur) {
			s.runText(cmd, cur[i:i+1], " ")
		} else {
			cmd.hidden = true
		}
	case stdin || i >= len(cur):
		cmd.setOpaque("runs shell commands from its input")
		cmd.hidden = true
	case !cur[i].lit():
		cmd.setOpaque("runs a script whose name is only known when it runs")
		cmd.hidden = true
	case inputPath(cur[i].text):
		cmd.setOpaque("runs shell commands from its input")
		cmd.hidden = true
	}
}

// inputPath reports whether a program given this path as its script or
// program file reads it from a stream (-, /dev/stdin, /dev/fd/N,
// /proc/self/fd/N), whose content the command line does not show.
func inputPath(p string) bool {
	return p == "-" || streamPath(p) && p != "/dev/null" || processPath(p) || strings.HasPrefix(p, "/proc/") && strings.Contains(p, "/fd/")
}

// suffixes returns every tail of cur that starts at a word which could be
// the wrapped command. Guessing every position instead of parsing each
// wrapper's options keeps deny rules from being dodged by an option whose
// value the parser did not know about (sudo -u root rm).
func suffixes(cur []word) [][]word {
	var out [][]word
	for i := 1; i < len(cur); i++ {
		if cur[i].lit() && strings.HasPrefix(cur[i].text, "-") {
			continue
		}
		if cur[i].lit() && strings.Contains(cur[i].text, "=") {
			continue
		}
		out = append(out, cur[i:])
	}
	return out
}

// assignsVariables catches builtins that assign variables named in their
// arguments, or evaluate array subscripts there (bash runs $(…) in a
// subscript): read PATH, printf -v PATH, test -v 'a[$(rm x)]'. hidden
// marks the ones that can run code the command line does not show.
func assignsVariables(name string, cur []word) (why string, hidden bool) {
	args := cur[1:]
	hasOpt := func(opts ...string) bool {
		for _, a := range args {
			for _, o := range opts {
				if a.text == o {
					return true
				}
			}
		}
		return false
	}
	subscript := func() bool {
		for _, a := range args {
			if a.dynamic || strings.Contains(a.text, "[") {
				return true
			}
		}
		return false
	}
	switch name {
	case "read", "mapfile", "readarray", "getopts", "unset", "export", "declare", "typeset", "local", "readonly":
		if (name == "mapfile" || name == "readarray") && hasOpt("-C") {
			return "runs a callback for the lines it reads (" + name + " -C)", true
		}
		if subscript() {
			return "uses a computed variable name or an array subscript, which can run code (" + name + ")", true
		}
		for _, a := range args {
			t, _, _ := strings.Cut(a.text, "=")
			if identRE().MatchString(t) && !safeVarName(t) && name != "unset" {
				return "sets " + t + ", which can change what later commands run (" + name + ")", false
			}
		}
	case "printf":
		if hasOpt("-v") {
			return "assigns a variable (printf -v)", true
		}
	case "wait":
		if hasOpt("-p") {
			return "assigns a variable (wait -p)", true
		}
	case "test", "[":
		if hasOpt("-v", "-R") {
			return "evaluates array subscripts, which can run code (" + name + " -v)", true
		}
	case "set":
		for _, a := range args {
			t := a.text
			if t == "keyword" || len(t) > 1 && (t[0] == '-' || t[0] == '+') && t[1] != '-' && strings.ContainsRune(t, 'k') {
				return "turns later arguments into environment variables (set -k)", false
			}
		}
	}
	return "", false
}
