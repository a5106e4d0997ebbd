package permission

import (
	"fmt"
	"path/filepath"
	"strings"
	"sync"

	"github.com/basalt-dev/basalt/internal/config"
	"github.com/basalt-dev/basalt/internal/rulespec"

	"github.com/basalt-dev/basalt/internal/lazyre"
)

// bash decides a Bash command line: every simple command, redirection and
// construct must pass on its own, and the strictest part wins.
func (e *eval) bash(command string) outcome {
	for _, r := range e.rules.deny {
		if r.bareFor("Bash") {
			return denyRule(r, "Bash is denied by rule "+ruleWhere(r))
		}
		if r.containsLine(command) {
			return denyRule(r, fmt.Sprintf("the command contains the text of rule %s", ruleWhere(r)))
		}
	}
	scan, err := scanCommand(command, e.workDir, e.c.home)
	if err != nil {
		if e.mode == ModePlan {
			return planDeny("run commands")
		}
		if (e.mode == ModeBypass || e.bareAllowBash() != nil) && !e.anyRuleCouldObject() {
			return allowf("the command could not be parsed, but no rule could object to it")
		}
		return askf("basalt could not parse this command (%v), so it cannot check it part by part", err)
	}
	e.lineAllow = e.findLineAllow(command)
	o := allowf("every part of the command is allowed")
	if e.mode != ModeBypass {
		for _, r := range e.rules.ask {
			if r.containsLine(command) {
				o = askRule(r, fmt.Sprintf("the command contains the text of rule %s", ruleWhere(r)))
				break
			}
		}
	}
	for _, cmd := range scan.cmds {
		o = worst(o, e.bashCmd(cmd, scan.pathsUnknown && !cmd.changesPaths))
	}
	for _, r := range scan.redirs {
		o = worst(o, e.redirect(r, scan.pathsUnknown))
	}
	lenient := e.mode == ModeBypass || e.wholeAllow() != nil
	for _, why := range scan.opaque {
		if !lenient {
			o = worst(o, askf("the command %s", why))
		}
	}
	for _, why := range scan.hiddenCode {
		o = worst(o, e.hidden("the command "+why))
	}
	for _, text := range scan.hiddenText {
		o = worst(o, e.hidden(fmt.Sprintf("part of it (%s) could not be parsed", oneLine(text))))
	}
	if scan.truncated {
		o = worst(o, askf("the command has more than %d simple commands or %d words", maxCommands, maxWords))
	}
	if e.mode == ModePlan && o.behavior != Deny {
		return planDeny("run " + "`" + oneLine(command) + "`")
	}
	if o.behavior == Allow && o.rule.Tool == "" {
		if r := e.wholeAllow(); r != nil && e.mode != ModeBypass {
			o.rule = r.cfg
		}
	}
	return o
}

// wholeAllow is the allow rule that covers the whole command line being
// decided: a bare "Bash" rule, or an allow rule basalt could not compile
// whose exact text is this line. Deny, ask, path and protected-place
// checks still apply to every part.
func (e *eval) wholeAllow() *rule {
	if r := e.bareAllowBash(); r != nil {
		return r
	}
	return e.lineAllow
}

// findLineAllow returns the allow rule basalt could not compile whose text
// is exactly command (as written, or as the same syntax tree), or nil. The
// command is printed at most once, and only when such a rule exists.
func (e *eval) findLineAllow(command string) *rule {
	trimmed, canon, printed := strings.TrimSpace(command), "", false
	for i, r := range e.rules.allow {
		if r.bash == nil || r.bash.Kind != rulespec.BashLine {
			continue
		}
		if trimmed != "" && trimmed == strings.TrimSpace(r.bash.Line) {
			return &e.rules.allow[i]
		}
		if r.bash.canon == "" {
			continue
		}
		if !printed {
			canon, printed = canonicalLine(command), true
		}
		if canon != "" && canon == r.bash.canon {
			return &e.rules.allow[i]
		}
	}
	return nil
}

// sameCommandLine reports whether two command lines are the same text, or
// parse to syntax trees that print the same (they differ only in blanks
// between words or comments), so they run the same.
func sameCommandLine(a, b string) bool {
	a, b = strings.TrimSpace(a), strings.TrimSpace(b)
	if a == b {
		return a != ""
	}
	ca := canonicalLine(a)
	return ca != "" && ca == canonicalLine(b)
}

// containsLine reports whether a lenient deny or ask rule's text appears
// in the command line (blanks aside).
func (r rule) containsLine(command string) bool {
	if r.bash == nil || r.bash.Kind != rulespec.BashContains || r.bash.Line == "" {
		return false
	}
	return strings.Contains(lineText(command), lineText(r.bash.Line))
}

func (e *eval) bareAllowBash() *rule {
	for i, r := range e.rules.allow {
		if r.bareFor("Bash") {
			return &e.rules.allow[i]
		}
	}
	return nil
}

// anyRuleCouldObject reports whether a rule exists that a command the
// checker cannot see into might break.
func (e *eval) anyRuleCouldObject() bool {
	if hasBashSpec(e.rules.deny) || hasPathRules(e.rules.deny) {
		return true
	}
	if e.mode == ModeBypass {
		return false
	}
	for _, r := range e.rules.ask {
		if r.bareFor("Bash") || r.bash != nil || r.path != nil {
			return true
		}
	}
	return false
}

// hidden handles text that will run but cannot be seen: any Bash deny or
// ask rule might match it.
func (e *eval) hidden(what string) outcome {
	for _, r := range e.rules.deny {
		if r.bash != nil {
			return askRuleUnsure("%s, so basalt cannot tell whether rule %s denies it", what, ruleWhere(r))
		}
	}
	if e.mode == ModeBypass {
		return allowf("bypassPermissions mode")
	}
	for _, r := range e.rules.ask {
		if r.bash != nil {
			return askRule(r, fmt.Sprintf("%s, so basalt cannot tell whether rule %s applies", what, ruleWhere(r)))
		}
	}
	if r := e.wholeAllow(); r != nil {
		return allowRule(*r)
	}
	return askf("%s", what)
}

// bashCmd decides one simple command. pathsUnknown: the command line
// changes how paths resolve, so none of its paths is decided statically.
func (e *eval) bashCmd(cmd *simpleCmd, pathsUnknown bool) outcome {
	var maybeDeny *rule
	for i, r := range e.rules.deny {
		if r.bash == nil {
			continue
		}
		for _, f := range cmd.denyForms {
			switch r.bash.match(f, true) {
			case yes:
				return denyRule(r, fmt.Sprintf("`%s` is denied by rule %s", cmd.src, ruleWhere(r)))
			case maybe:
				if maybeDeny == nil {
					maybeDeny = &e.rules.deny[i]
				}
			}
		}
		if cmd.hidden && maybeDeny == nil {
			maybeDeny = &e.rules.deny[i]
		}
	}
	if maybeDeny != nil {
		return askRuleUnsure("%s, so basalt cannot tell whether rule %s denies it", cmd.unknownPart(), ruleWhere(*maybeDeny))
	}
	po, phit := e.pathArgs(cmd, pathsUnknown)
	if phit && po.behavior == Deny {
		return po
	}
	if o, hit := e.protectedArgs(cmd); hit {
		return o
	}
	if phit {
		return po
	}
	if e.mode != ModeBypass {
		for _, r := range e.rules.ask {
			if r.bareFor("Bash") {
				return askRule(r, fmt.Sprintf("rule %s asks before every command", ruleWhere(r)))
			}
			if r.bash == nil {
				continue
			}
			for _, f := range cmd.denyForms {
				if r.bash.match(f, true) != no {
					return askRule(r, fmt.Sprintf("rule %s asks before `%s`", ruleWhere(r), cmd.src))
				}
			}
			if cmd.hidden {
				return askRule(r, fmt.Sprintf("%s, so rule %s may apply", cmd.unknownPart(), ruleWhere(r)))
			}
		}
	}
	if e.mode == ModeBypass {
		return allowf("bypassPermissions mode")
	}
	if r := e.wholeAllow(); r != nil {
		return allowRule(*r)
	}
	if cmd.opaque != "" {
		return askf("`%s` %s, so no rule short of allowing every command can allow it", cmd.src, cmd.opaque)
	}
	if e.harmless(cmd, pathsUnknown) {
		return allowf("`%s` changes nothing", cmd.src)
	}
	if f := cmd.allowForm; f != nil {
		for _, r := range e.rules.allow {
			if r.bash != nil && r.bash.match(f, false) == yes && r.bash.assignsMatch(cmd.assigns) && (!cmd.wrapped || r.bash.namesMoreThanCommand()) {
				if o, trusted := e.allowedFlags(cmd, f, r); !trusted {
					return o
				}
				return allowRule(r)
			}
		}
	}
	if e.mode == ModeAcceptEdits && !pathsUnknown {
		if o, ok := e.fsCommand(cmd); ok {
			return o
		}
	}
	var sugg []config.Rule
	if cmd.allowForm != nil {
		if r, ok := suggestBash(cmd.allowForm); ok {
			sugg = append(sugg, r)
		}
	}
	return askSuggest(fmt.Sprintf("`%s` needs approval", cmd.src), sugg...)
}

// unknownPart says what about a command is not known before it runs.
func (c *simpleCmd) unknownPart() string {
	if c.hidden && c.opaque != "" {
		return fmt.Sprintf("`%s` %s", c.src, c.opaque)
	}
	return fmt.Sprintf("`%s` is only fully known when it runs", c.src)
}

// harmlessNames change nothing outside the shell.
var harmlessNames = map[string]bool{"true": true, "false": true, ":": true, "pwd": true, "echo": true, "printf": true, "exit": true}

// safeSetFlag: error-handling and tracing flags; a trailing o takes an
// option name from the next word.
var safeSetFlag = lazyre.New(`^[-+][euxvCfn]*o?$`)

var safeSetOptions = map[string]bool{"errexit": true, "nounset": true, "pipefail": true, "xtrace": true, "verbose": true, "noclobber": true, "noglob": true}

// harmless reports whether the command needs no rule: builtins that only
// print or set error handling, and a cd that stays inside the workspace
// (later paths are resolved against it).
func (e *eval) harmless(cmd *simpleCmd, pathsUnknown bool) bool {
	f := cmd.allowForm
	if f == nil || cmd.wrapped {
		return false
	}
	if !f[0].lit() {
		return false
	}
	name := f[0].text
	switch {
	case harmlessNames[name]:
		return true
	case name == "set":
		for i := 1; i < len(f); i++ {
			t := f[i].text
			switch {
			case !f[i].lit():
				return false
			case !safeSetFlag().MatchString(t) || len(t) < 2:
				return false
			case strings.HasSuffix(t, "o"):
				if i+1 >= len(f) || !f[i+1].lit() || !safeSetOptions[f[i+1].text] {
					return false
				}
				i++
			}
		}
		return true
	case name == "cd" || name == "pushd":
		if cmd.cwdUnknown || pathsUnknown {
			return false
		}
		args := f[1:]
		for len(args) > 0 && (args[0].text == "-P" || args[0].text == "-L" || args[0].text == "--") {
			args = args[1:]
		}
		if len(args) != 1 || args[0].dynamic || args[0].glob || args[0].text == "-" {
			return false
		}
		for _, d := range cmd.cwds {
			if !e.c.ws.contains(resolvePath(args[0].text, d, e.c.home), false) {
				return false
			}
		}
		return true
	}
	return false
}

// Programs whose operands are all files they read or write. A deny rule
// of the matching family hit by one of their operands denies the command;
// any other hit only asks, because an argument may not be a path at all
// (grep .env src/ searches for the text ".env").
var (
	pathReaders = sync.OnceValue(func() map[string]bool {
		return map[string]bool{
			"cat": true, "head": true, "tail": true, "less": true, "more": true, "nl": true, "tac": true,
			"od": true, "xxd": true, "hexdump": true, "strings": true, "wc": true, "base64": true, "base32": true,
			"md5sum": true, "sha1sum": true, "sha224sum": true, "sha256sum": true, "sha384sum": true, "sha512sum": true,
			"b2sum": true, "cksum": true, "sum": true, "source": true, ".": true,
			"sort": true, "uniq": true, "cut": true, "paste": true, "join": true, "comm": true, "cmp": true, "diff": true,
			"diff3": true, "sdiff": true, "fold": true, "fmt": true, "pr": true, "rev": true, "shuf": true, "split": true,
			"csplit": true, "expand": true, "unexpand": true, "iconv": true, "tr": true, "column": true, "look": true,
			"cp": true, "mv": true, "install": true, "ln": true, "link": true, "rsync": true, "scp": true, "dd": true,
			"tar": true, "bsdtar": true, "zip": true, "7z": true, "7za": true, "gzip": true, "bzip2": true, "xz": true,
			"zstd": true, "lz4": true, "zcat": true, "bzcat": true, "xzcat": true, "zless": true, "zmore": true,
			"gpg": true, "openssl": true, "uuencode": true, "basenc": true, "view": true, "bat": true, "batcat": true,
		}
	})
)

// pathArgs checks a command's static arguments against Read and Edit path
// rules, so that `cat .env` under a Read(./.env) deny is denied and
// `python x.py .env` is at least asked.
func (e *eval) pathArgs(cmd *simpleCmd, pathsUnknown bool) (outcome, bool) {
	if !hasPathRules(e.rules.deny) && (e.mode == ModeBypass || !hasPathRules(e.rules.ask)) {
		return outcome{}, false
	}
	reads, writes, tree, fromInput := false, false, false, false
	for _, f := range cmd.denyForms {
		if f[0].lit() {
			b := baseName(f[0].text)
			reads = reads || pathReaders()[b]
			writes = writes || fileWriters()[b]
			tree = tree || treeReaders()[b]
			fromInput = fromInput || b == "xargs" || b == "parallel"
		}
	}
	var pending *outcome
	hold := func(o outcome) {
		if pending == nil {
			pending = &o
		}
	}
	if fromInput && (reads || writes || tree) {
		// find . | xargs cat: the files come from the input.
		hold(askf("`%s` takes the names of the files it reads or changes from its input, which may include files a rule protects", cmd.src))
	}
	printer := cmd.allowForm != nil && !cmd.wrapped && cmd.allowForm[0].lit() && readsNoFile()[cmd.allowForm[0].text]
	chdir := changesDir(cmd.words)
	for _, w := range cmd.words[1:] {
		if w.dynamic && !printer {
			hold(askf("`%s` has an argument known only when it runs (%s), which may name a file a rule protects", cmd.src, w.src))
			continue
		}
		for _, text := range argPaths(w) {
			if pathsUnknown {
				// Deny rules still apply to the path as it is now.
				hold(askf("`%s` names %s after something in the same command changed how paths resolve (a new link, HOME, CDPATH, …), so basalt cannot tell which file it is", cmd.src, text))
			}
			if chdir != "" && !filepath.IsAbs(text) && !strings.HasPrefix(text, "~") {
				hold(askf("`%s` changes its directory with %s, so basalt cannot tell which file `%s` names", cmd.src, chdir, text))
				continue
			}
			if cmd.cwdUnknown && !filepath.IsAbs(text) && !strings.HasPrefix(text, "~") {
				hold(askf("after a cd to a directory known only when it runs, basalt cannot tell which file `%s` names in `%s`", text, cmd.src))
				continue
			}
			for _, d := range cmd.cwds {
				for _, p := range expandGlob(text, w.glob, d, e.c.home) {
					rp := resolvePath(p, d, e.c.home)
					if !rp.ok {
						hold(askf("`%s` names %s, which basalt cannot resolve before it runs (a /proc or /dev/fd path, ~user, ~-, a symlink loop)", cmd.src, p))
					}
					if (reads || writes || tree) && rp.ok && isDir(rp) {
						for _, r := range e.rules.deny {
							fam := family(r.cfg.Tool)
							if r.path == nil || !(fam == familyRead && (reads || tree) || fam == familyEdit && writes) {
								continue
							}
							for _, f := range rp.forms {
								if r.path.mayHoldMatch(f, e.c.ws) {
									hold(askf("`%s` names the directory %s, which holds files rule %s protects; approve only if the command does not reach them", cmd.src, f, ruleWhere(r)))
								}
							}
						}
					}
					for _, r := range e.rules.deny {
						if r.path == nil || !anyFormMatches(r.path, rp, e.c.ws) {
							continue
						}
						fam := family(r.cfg.Tool)
						if fam == familyRead && reads || fam == familyEdit && writes {
							return denyRule(r, fmt.Sprintf("`%s` would %s %s, which rule %s denies",
								cmd.src, map[bool]string{true: "read", false: "change"}[fam == familyRead], rp.forms[0], ruleWhere(r))), true
						}
						hold(askf("`%s` names %s, which rule %s protects; approve only if the command does not read or change it", cmd.src, rp.forms[0], ruleWhere(r)))
					}
					if e.mode == ModeBypass {
						continue
					}
					for _, r := range e.rules.ask {
						if r.path != nil && anyFormMatches(r.path, rp, e.c.ws) {
							hold(askRule(r, fmt.Sprintf("`%s` names %s, and rule %s asks before touching it", cmd.src, rp.forms[0], ruleWhere(r))))
						}
					}
				}
			}
		}
	}
	if pending != nil {
		// Every question here is about what a path rule names, which the
		// sandbox cannot bind when it is a pattern.
		o := *pending
		o.ruleBound = o.ruleBound || o.behavior == Ask
		return o, true
	}
	return outcome{}, false
}

// argPaths returns the texts of a word that may name files: the word, the
// value of an option or assignment (--file=x, if=x), and the path of a
// git object name (HEAD:.env, :0:.env).
func argPaths(w word) []string {
	if w.dynamic || w.text == "" {
		return nil
	}
	var out []string
	if !strings.HasPrefix(w.text, "-") {
		out = append(out, w.text)
	}
	if _, v, ok := strings.Cut(w.text, "="); ok && v != "" {
		out = append(out, v)
	}
	if i := strings.LastIndexByte(w.text, ':'); i >= 0 && i+1 < len(w.text) && !strings.Contains(w.text, "://") {
		out = append(out, w.text[i+1:])
	}
	return out
}

// readsNoFile are commands whose arguments known only at run time cannot
// make them read a file: printers and tests of strings.
var readsNoFile = sync.OnceValue(func() map[string]bool {
	return map[string]bool{
		"echo": true, "printf": true, "true": true, "false": true, ":": true, "exit": true, "return": true,
		"test": true, "[": true, "shift": true, "sleep": true, "kill": true, "wait": true, "pwd": true,
	}
})

// changesDir returns the option by which a command runs in another
// directory than the shell's (tar -C, git -C, env --chdir), which makes its
// relative operands name other files than they seem to.
func changesDir(ws []word) string {
	for _, w := range ws[1:] {
		t := w.text
		switch {
		case t == "-C", t == "--directory", t == "--chdir", t == "--cwd", t == "--prefix", t == "--work-tree", t == "--git-dir":
			return t
		case strings.HasPrefix(t, "--directory="), strings.HasPrefix(t, "--chdir="), strings.HasPrefix(t, "--cwd="),
			strings.HasPrefix(t, "--prefix="), strings.HasPrefix(t, "--work-tree="), strings.HasPrefix(t, "-C") && len(t) > 2 && t[2] != '-':
			return t
		}
	}
	return ""
}

// expandGlob returns what the shell may make of a word: its brace
// expansions, their glob matches, and the word itself (a glob that matches
// nothing stays literal). A pattern Go's matcher reads differently from
// bash ([[:alpha:]], a malformed class) comes back as an unresolvable path,
// so that callers ask.
func expandGlob(text string, glob bool, dir, home string) []string {
	out := []string{text}
	if !glob {
		return out
	}
	if strings.Contains(text, "{") {
		words, ok := braceExpand(text)
		if !ok {
			return append(out, unresolvable(text))
		}
		if len(words) > 1 || words[0] != text {
			for _, w := range words {
				out = append(out, expandGlob(w, strings.ContainsAny(w, "*?[{"), dir, home)...)
			}
			return out
		}
	}
	if strings.Contains(text, "[:") || strings.Contains(text, "[=") || strings.Contains(text, "[.") {
		return append(out, unresolvable(text))
	}
	// bash negates a class with ! as well as ^; Go only with ^.
	pat := strings.ReplaceAll(text, "[!", "[^")
	if home != "" && strings.HasPrefix(pat, "~/") {
		pat = home + pat[1:]
	}
	if !filepath.IsAbs(pat) {
		pat = filepath.Join(dir, pat)
	}
	matches, err := filepath.Glob(pat)
	if err != nil {
		return append(out, unresolvable(text))
	}
	return append(out, matches...)
}

// unresolvable turns a path into one [resolvePath] reports as not
// resolvable (~- is OLDPWD, unknown before the command runs).
func unresolvable(p string) string { return "~-/" + p }

// fsCommands are allowed in acceptEdits mode when every path they name is
// inside the workspace, as Claude Code does for the same commands. sed is
// left out: its e and w commands run programs and write arbitrary files.
var fsCommands = map[string]bool{"mkdir": true, "touch": true, "rm": true, "rmdir": true, "mv": true, "cp": true}

// fsCommand decides a filesystem command in acceptEdits mode. ok is false
// when the mode does not cover it and the ordinary ask applies.
func (e *eval) fsCommand(cmd *simpleCmd) (outcome, bool) {
	f := cmd.allowForm
	if f == nil || cmd.wrapped || !f[0].lit() || !fsCommands[f[0].text] || cmd.cwdUnknown {
		return outcome{}, false
	}
	var paths []word
	opts := true
	for _, w := range f[1:] {
		if w.dynamic {
			return outcome{}, false
		}
		switch {
		case opts && w.text == "--":
			opts = false
		case opts && strings.HasPrefix(w.text, "-"):
			if _, v, ok := strings.Cut(w.text, "="); ok {
				paths = append(paths, word{text: v, src: v})
			}
		default:
			paths = append(paths, w)
		}
	}
	if len(paths) == 0 {
		return outcome{}, false
	}
	for _, w := range paths {
		for _, d := range cmd.cwds {
			for _, p := range expandGlob(w.text, w.glob, d, e.c.home) {
				rp := resolvePath(p, d, e.c.home)
				o := e.file("Write", rp)
				if o.behavior == Deny {
					return o, true
				}
				if o.rule.Tool != "" && o.behavior == Ask {
					return o, true // an Edit ask rule covers this path
				}
				if !e.c.ws.contains(rp, true) {
					return outcome{}, false
				}
			}
		}
	}
	return allowf("acceptEdits mode allows %s inside the workspace", f[0].text), true
}

// redirect decides a redirection as a Read or an Edit of its target.
func (e *eval) redirect(r redirect, pathsUnknown bool) (o outcome) {
	tool := "Read"
	if r.write {
		tool = "Write"
	}
	t := r.target
	if t.dynamic || t.glob {
		if e.mode == ModeBypass && !hasPathRules(e.rules.deny) {
			return allowf("bypassPermissions mode")
		}
		if why, ok := protectedTail(literalTail(t.src)); r.write && ok && e.mode != ModePlan {
			return protectedAsk("write", fmt.Sprintf("`%s`", r.src), protection{path: t.src, why: "possibly " + why})
		}
		return askf("`%s` redirects to a file named only when it runs", r.src)
	}
	if streamPath(t.text) {
		return allowf("%s is not a file", t.text)
	}
	if pathsUnknown && !(e.mode == ModeBypass && !hasPathRules(e.rules.deny)) {
		defer func() {
			// An ask keeps its own reason (a protected place says why).
			if o.behavior == Allow {
				o = askf("`%s` comes after something in the same command changed how paths resolve (a new link, HOME, CDPATH, …)", r.src)
			}
		}()
	}
	if r.cwdUnknown && !filepath.IsAbs(t.text) && !t.tilde {
		return askf("`%s` redirects to a relative path after a cd basalt cannot follow", r.src)
	}
	o = allowf("redirection allowed")
	for _, d := range r.cwds {
		o = worst(o, e.file(tool, resolvePath(t.text, d, e.c.home)))
	}
	if o.behavior != Allow && !strings.Contains(o.reason, r.src) {
		o.reason = fmt.Sprintf("`%s`: %s", r.src, o.reason)
	}
	return o
}

var subcommandRE = lazyre.New(`^[A-Za-z][A-Za-z0-9._:-]*$`)

// suggestBash writes the narrowest sensible rule that allows a command:
// exact for one or two words ("Bash(git status)"), command plus
// subcommand as a prefix otherwise ("Bash(go test:*)"), exact when the
// second word is no subcommand ("Bash(rm -rf build)"), and the command
// name as a prefix when later words are only known at run time.
func suggestBash(f []word) (config.Rule, bool) {
	if len(f) == 0 || !f[0].lit() {
		return config.Rule{}, false
	}
	privileged := false
	if sp := wrapperSpecs()[baseName(f[0].text)]; sp != nil {
		privileged = sp.allow == allowNamed || sp.allow == allowNever
	}
	allLit := true
	for _, w := range f {
		if !w.lit() {
			allLit = false
		}
	}
	quote := func(ws []word) string {
		parts := make([]string, len(ws))
		for i, w := range ws {
			parts[i] = quoteWord(w.text)
		}
		return strings.Join(parts, " ")
	}
	mk := func(spec string) (config.Rule, bool) {
		if _, err := compileBashPattern(spec); err != nil {
			return config.Rule{}, false
		}
		return config.Rule{Tool: "Bash", Specifier: rulespec.Escape(spec), HasSpec: true}, true
	}
	switch {
	case allLit && len(f) <= 2:
		return mk(quote(f))
	case privileged:
		// sudo and friends: only the exact command, never a family.
		if allLit {
			return mk(quote(f))
		}
		return config.Rule{}, false
	case len(f) >= 2 && f[1].lit() && subcommandRE().MatchString(f[1].text):
		return mk(quote(f[:2]) + ":*")
	case allLit:
		return mk(quote(f))
	}
	return mk(quote(f[:1]) + ":*")
}
