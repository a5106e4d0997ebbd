package permission

import (
	"strings"
)

// maxForms bounds the wrapper unwrapping of one command.
const maxForms = 32

// shells run a string given with -c, a script file, or their input.
var shells = map[string]bool{
	"sh": true, "bash": true, "zsh": true, "dash": true, "ksh": true, "mksh": true,
	"ash": true, "fish": true, "csh": true, "tcsh": true, "su": true,
}

// transparent wrappers run the rest of their arguments as a command and
// change nothing an allow rule cares about, so "Bash(go test:*)" also
// allows `timeout 60 go test ./...` (Claude Code strips the same ones).
var transparent = map[string]bool{
	"nohup": true, "nice": true, "timeout": true, "stdbuf": true, "command": true, "builtin": true, "env": true,
}

// seeThrough wrappers run a command too, but with other privileges or in
// another context, so an allow rule for the inner command does not cover
// them; deny and ask rules still see the inner command.
var seeThrough = map[string]bool{
	"sudo": true, "doas": true, "setsid": true, "flock": true, "ionice": true, "chrt": true,
	"taskset": true, "strace": true, "ltrace": true, "busybox": true, "unshare": true, "nsenter": true,
	"chroot": true, "runuser": true, "time": true, "caffeinate": true,
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
	for len(work) > 0 && len(cmd.denyForms) < maxForms {
		cur := work[0]
		work = work[1:]
		if len(cur) == 0 {
			continue
		}
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
		switch {
		case transparent[base]:
			if base == "env" {
				if text, ok := envSplitString(cur); ok {
					// env -S splits a string into a command line.
					cmd.setOpaque("runs a command line given as a string (env -S)")
					s.runText(cmd, []word{text}, " ")
					continue
				}
			}
			inner, _, ok := unwrapTransparent(base, cur)
			switch {
			case !ok:
				// Options we do not know: guess every position for deny
				// rules and allow only the command as written.
				work = append(work, suffixes(cur)...)
			case inner != nil:
				work = append(work, inner)
			}
		case seeThrough[base]:
			work = append(work, suffixes(cur)...)
		case shells[base]:
			s.shellCall(cmd, cur)
			if cmd.opaque != "" {
			}
		case base == "eval":
			cmd.setOpaque("runs text as a command (eval)")
			s.runText(cmd, cur[1:], " ")
		case base == "exec":
			if len(cur) > 1 {
				cmd.setOpaque("replaces the shell with another program (exec)")
				work = append(work, suffixes(cur)...)
			}
		case base == "xargs":
			cmd.setOpaque("runs commands built from its input (xargs)")
			work = append(work, suffixes(cur)...)
		case base == "find":
			if inner, why := findActions(cur); why != "" {
				cmd.setOpaque(why)
				work = append(work, inner...)
			}
		case base == "watch":
			cmd.setOpaque("runs its arguments as a shell command (watch)")
			var args []word
			for i := 1; i < len(cur); i++ {
				if strings.HasPrefix(cur[i].text, "-") {
					if cur[i].text == "-n" || cur[i].text == "--interval" {
						i++
					}
					continue
				}
				args = cur[i:]
				break
			}
			s.runText(cmd, args, " ")
		case shellStateBuiltins[base] != "":
			cmd.setOpaque(shellStateBuiltins[base])
			switch base {
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

// allowChain returns the form of a command that allow rules are matched
// against: the command inside transparent wrappers, so that a rule must
// name the program that really runs (Bash(go test:*) allows
// `timeout 60 go test`, and Bash(timeout:*) does not allow `timeout 60 rm`).
// wrapped marks a form that still starts with a wrapper (sudo, or env with
// a variable that changes the command); a rule must then name more than
// the wrapper to allow it.
func allowChain(cur []word) ([]word, bool) {
	for range maxForms {
		if !cur[0].lit() {
			return cur, false
		}
		base := baseName(cur[0].text)
		switch {
		case transparent[base]:
			inner, clean, ok := unwrapTransparent(base, cur)
			switch {
			case !ok || inner != nil && !clean:
				return cur, true
			case inner == nil:
				return cur, false
			}
			cur = inner
		case seeThrough[base]:
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
	if baseName(cur[0].text) == "su" {
		cmd.setOpaque("runs commands as another user (su)")
		for i := 1; i+1 < len(cur); i++ {
			if cur[i].text == "-c" || cur[i].text == "--command" {
				s.runText(cmd, cur[i+1:i+2], " ")
			}
		}
		return
	}
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
	}
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

// unwrapTransparent returns the command a transparent wrapper runs. clean
// is false when the wrapper is used in a way that does change the command
// (env with options or with a variable that is not harmless). ok is false
// when the arguments could not be understood.
func unwrapTransparent(name string, cur []word) (inner []word, clean, ok bool) {
	i := 1
	clean = true
	for ; i < len(cur); i++ {
		w := cur[i]
		if !w.lit() {
			return nil, false, false
		}
		t := w.text
		if t == "--" {
			i++
			break
		}
		if !strings.HasPrefix(t, "-") || t == "-" {
			if name == "env" {
				if k, _, isAssign := strings.Cut(t, "="); isAssign {
					if !safeVarName(k) {
						clean = false
					}
					continue
				}
			}
			break
		}
		switch name {
		case "nice":
			if t == "-n" {
				i++
			}
		case "timeout":
			switch t {
			case "-s", "-k":
				i++
			case "--preserve-status", "--foreground", "-v", "--verbose":
			default:
				if !strings.HasPrefix(t, "--signal=") && !strings.HasPrefix(t, "--kill-after=") {
					return nil, false, false
				}
			}
		case "stdbuf":
			if t == "-i" || t == "-o" || t == "-e" {
				i++
			}
		case "command":
			if t == "-v" || t == "-V" {
				return nil, true, true // a lookup, not a run
			}
			if t != "-p" {
				return nil, false, false
			}
		case "env":
			if t == "-S" || strings.HasPrefix(t, "--split-string") || (strings.HasPrefix(t, "-S") && len(t) > 2) {
				return nil, false, false
			}
			if t != "-i" && t != "--ignore-environment" {
				clean = false
				if t == "-u" || t == "-C" || t == "-P" {
					i++
				}
			}
		case "nohup", "builtin":
			return nil, false, false
		}
	}
	if name == "timeout" {
		if i >= len(cur) || !cur[i].lit() {
			return nil, false, false
		}
		i++ // the duration
	}
	if i >= len(cur) {
		return nil, clean, true
	}
	return cur[i:], clean, true
}

// findActions returns the commands find -exec runs and why find cannot be
// allowed by a plain find rule.
func findActions(cur []word) ([][]word, string) {
	var inner [][]word
	why := ""
	for i := 1; i < len(cur); i++ {
		switch cur[i].text {
		case "-exec", "-execdir", "-ok", "-okdir":
			why = "runs other commands (find " + cur[i].text + ")"
			j := i + 1
			for j < len(cur) && cur[j].text != ";" && cur[j].text != "+" {
				j++
			}
			if j > i+1 {
				inner = append(inner, cur[i+1:j])
			}
			i = j
		case "-delete", "-fprint", "-fprint0", "-fprintf", "-fls":
			if why == "" {
				why = "changes files (find " + cur[i].text + ")"
			}
		}
	}
	return inner, why
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
		if subscript() {
			return "uses a computed variable name or an array subscript, which can run code (" + name + ")", true
		}
		for _, a := range args {
			t, _, _ := strings.Cut(a.text, "=")
			if identRE.MatchString(t) && !safeVarName(t) && name != "unset" {
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

// envSplitString returns the string of env -S / --split-string.
func envSplitString(cur []word) (word, bool) {
	for i := 1; i < len(cur); i++ {
		t := cur[i].text
		switch {
		case t == "-S" || t == "--split-string":
			if i+1 < len(cur) {
				return cur[i+1], true
			}
			return word{dynamic: true}, true
		case strings.HasPrefix(t, "--split-string="):
			w := cur[i]
			w.text = strings.TrimPrefix(t, "--split-string=")
			return w, true
		case strings.HasPrefix(t, "-S"):
			w := cur[i]
			w.text = t[2:]
			return w, true
		case !strings.HasPrefix(t, "-"):
			if !strings.Contains(t, "=") {
				return word{}, false
			}
		}
	}
	return word{}, false
}
