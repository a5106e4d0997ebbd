package permission

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
)

// protectedTail reports whether a path whose beginning is only known at
// run time ("$HOME/.bashrc", "$D/.git/hooks/x") may lie in a protected
// place, judging by the literal rest of it: every pattern is tried at any
// depth.
func protectedTail(tail string) (string, bool) {
	segs := splitPath(tail)
	for _, pp := range protectedPaths {
		pat := splitPath(pp.pattern)
		if len(pat) == 0 {
			continue
		}
		for i := range segs {
			if prefixMatch(pat, segs[i:]) {
				return pp.why, true
			}
		}
	}
	return "", false
}

// literalTail returns the part of a word's source after its last
// expansion, without quotes: "/.bashrc" for `"$HOME"/.bashrc`.
func literalTail(src string) string {
	i := strings.LastIndexAny(src, "$`)}")
	if i < 0 {
		return src
	}
	rest := src[i+1:]
	if src[i] == '$' {
		rest = strings.TrimLeftFunc(rest, func(r rune) bool {
			return r == '_' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9'
		})
	}
	return strings.NewReplacer(`"`, "", `'`, "", `\`, "").Replace(rest)
}

// holdsProtected reports whether dir directly holds a protected place or
// is a parent of the home directory or another protected base, so that a
// recursive copy or move of it, or into it, may overwrite one.
func (c *Checker) holdsProtected(dir string) (string, bool) {
	for _, pp := range protectedPaths {
		if pp.base != anyDir || strings.Contains(pp.pattern, "/") {
			continue
		}
		p := filepath.Join(dir, pp.pattern)
		if hasGlobMeta(pp.pattern) {
			// lefthook*.yml: any file of that shape.
			if m, _ := filepath.Glob(p); len(m) > 0 {
				return fmt.Sprintf("%s holds %s, which is %s", dir, m[0], pp.why), true
			}
			continue
		}
		if _, err := os.Lstat(p); err == nil {
			return fmt.Sprintf("%s holds %s, which is %s", dir, p, pp.why), true
		}
	}
	for _, b := range []protectedBase{inHome, inConfigHome, inStateDir} {
		for _, base := range c.protectedBases(b) {
			if within(base, dir) {
				return fmt.Sprintf("%s holds %s, where protected files live (shell start-up files, credentials, basalt's settings)", dir, base), true
			}
		}
	}
	for _, pp := range protectedPaths {
		if pp.base == absolute && within(pp.pattern, dir) {
			return fmt.Sprintf("%s holds %s, which is %s", dir, pp.pattern, pp.why), true
		}
	}
	return "", false
}

// protectedReaders only read the files they name (or print their names),
// so naming a protected place is no write. A redirection of their output
// is checked on its own. Left out on purpose: xxd (its second operand is
// an output file), less (-o copies its input to a file), file (-C writes
// a compiled magic file).
var protectedReaders = sync.OnceValue(func() map[string]bool {
	return map[string]bool{
		"cat": true, "head": true, "tail": true, "more": true, "nl": true, "tac": true,
		"od": true, "hexdump": true, "strings": true, "wc": true, "base64": true,
		"md5sum": true, "sha1sum": true, "sha256sum": true, "sha512sum": true, "cksum": true,
		"grep": true, "egrep": true, "fgrep": true, "rg": true, "ls": true, "stat": true,
		"diff": true, "cmp": true, "readlink": true, "realpath": true, "test": true, "[": true,
		"du": true, "echo": true, "printf": true, "basename": true, "dirname": true,
	}
})

// fileWriters are programs whose operands are files they create, change
// or remove: their operands meet Edit rules (pathArgs), and an operand
// known only at run time may name a protected place (protectedArgs).
var fileWriters = sync.OnceValue(func() map[string]bool {
	return map[string]bool{
		"tar": true, "bsdtar": true, "unzip": true, "zip": true, "rename": true,
		"cp": true, "mv": true, "ln": true, "link": true, "install": true, "rsync": true, "dd": true,
		"tee": true, "touch": true, "rm": true, "unlink": true, "rmdir": true, "mkdir": true,
		"truncate": true, "shred": true, "chmod": true, "chown": true, "chgrp": true, "chattr": true,
		"setfacl": true, "mkfifo": true, "mknod": true, "sed": true, "split": true, "csplit": true,
		"patch": true, "sort": true,
	}
})

// protectedArgs asks before a command that names a protected place in a
// static argument (an operand, an option value, --opt=path, of=path),
// unless the command only reads; before a file-writing program with an
// operand known only at run time; before `git config` that changes a
// setting; and before a recursive copy or move of, or into, a directory
// holding protected places. Allow rules and acceptEdits cannot lift it.
func (e *eval) protectedArgs(cmd *simpleCmd) (outcome, bool) {
	if e.mode == ModeBypass || e.mode == ModePlan || len(cmd.words) == 0 {
		return outcome{}, false
	}
	var names []string
	for _, f := range cmd.denyForms {
		if len(f) > 0 && f[0].lit() {
			names = append(names, baseName(f[0].text))
		}
	}
	reader := cmd.opaque == "" && !cmd.wrapped && len(cmd.allowForm) > 0 && cmd.allowForm[0].lit() &&
		(protectedReaders()[baseName(cmd.allowForm[0].text)] || findOnlyReads(cmd.allowForm))
	writer := false
	for _, n := range names {
		writer = writer || fileWriters()[n]
	}
	ask := func(format string, args ...any) (outcome, bool) {
		o := askf(format+"; basalt asks before every change to a protected place, whatever the mode or allow rules say", args...)
		o.protected = true
		return o, true
	}
	if !reader {
		for _, w := range cmd.words[1:] {
			if w.dynamic {
				if why, ok := protectedTail(literalTail(w.src)); ok {
					return ask("`%s` names %s, which may be %s", cmd.src, w.src, why)
				}
				if writer && !strings.HasPrefix(w.src, "-") {
					return ask("`%s` changes %s, a file named only when it runs, which may be a protected place (settings, git hooks, shell start-up files, credentials)", cmd.src, w.src)
				}
				continue
			}
			if w.glob && strings.Contains(w.text, "{") {
				if _, ok := braceExpand(w.text); !ok {
					return ask("`%s` names more files than basalt can check (%s); one may be a protected place", cmd.src, w.src)
				}
			}
			for _, text := range protectedArgTexts(w) {
				if cmd.cwdUnknown && !filepath.IsAbs(text) && !strings.HasPrefix(text, "~") {
					if writer {
						return ask("after a cd to a directory known only when it runs, basalt cannot tell whether `%s` in `%s` is a protected place", text, cmd.src)
					}
					continue
				}
				for _, d := range cmd.cwds {
					for _, p := range expandGlob(text, w.glob, d, e.c.home) {
						rp := resolvePath(p, d, e.c.home)
						if !rp.ok && writer {
							return ask("`%s` changes %s, which basalt cannot resolve to one file (a symlink loop, or a ~user, ~+ or ~- the shell expands)", cmd.src, text)
						}
						if pr, ok := e.protectedHit(rp); ok {
							o, _ := ask("`%s` names %s: %s is %s", cmd.src, rp.forms[0], pr.path, pr.why)
							return o, true
						}
					}
				}
			}
		}
	}
	for _, f := range cmd.denyForms {
		if gitConfigWrites(f) {
			return ask("`%s` changes git's configuration (.git/config or your git configuration), which can name programs git runs", cmd.src)
		}
	}
	if !cmd.cwdUnknown {
		for _, f := range cmd.denyForms {
			for _, dir := range treeOperands(f) {
				for _, d := range cmd.cwds {
					rp := resolvePath(dir, d, e.c.home)
					for _, form := range rp.forms {
						if fi, err := os.Stat(form); err != nil || !fi.IsDir() {
							continue
						}
						if why, ok := e.c.holdsProtected(form); ok {
							return ask("`%s` copies or moves a whole directory tree: %s", cmd.src, why)
						}
					}
				}
			}
		}
	}
	return outcome{}, false
}

// findOnlyReads reports whether f is a find that only lists files, as in
// `find . -path ./.git -prune -o -name '*.go' -print`: none of the actions
// the wrapper table knows run a program or change a file.
func findOnlyReads(f []word) bool {
	if baseName(f[0].text) != "find" {
		return false
	}
	sp := wrapperSpecs()["find"]
	for _, w := range f[1:] {
		if w.dynamic || slices.Contains(sp.execOpts, w.text) || slices.Contains(sp.changeOpts, w.text) {
			return false
		}
	}
	return true
}

// protectedArgTexts returns the texts of a static word that may name a
// file: argPaths' (the word, the value after "="), plus the value glued
// to a short option ("-o~/.bashrc", "-t/home/u/.ssh").
func protectedArgTexts(w word) []string {
	out := argPaths(w)
	if t := w.text; len(t) > 2 && t[0] == '-' && t[1] != '-' {
		if rest := t[2:]; strings.ContainsAny(rest, "/~") {
			out = append(out, rest)
		}
	}
	return out
}

// gitConfigWrites reports whether the command form is `git … config`
// changing a setting rather than reading one.
func gitConfigWrites(f []word) bool {
	if len(f) < 2 || !f[0].lit() || baseName(f[0].text) != "git" {
		return false
	}
	i := gitSubcommand(f)
	if i < len(f) && f[i].dynamic {
		return true // a subcommand known only when it runs may be config
	}
	if i >= len(f) || f[i].text != "config" {
		return false
	}
	args := f[i+1:]
	if len(args) == 0 {
		return false
	}
	switch args[0].text {
	case "get", "list":
		return false
	}
	for _, a := range args {
		switch a.text {
		case "--get", "--get-all", "--get-regexp", "--get-urlmatch", "-l", "--list", "--get-color", "--get-colorbool":
			return false
		}
	}
	return true
}

// treeOperands returns the operands of a command that copies, moves or
// links whole directory trees: cp -r/-R/-a, rsync and ln (every operand),
// mv (every operand but the last, which keeps its own contents).
func treeOperands(f []word) []string {
	if len(f) < 2 || !f[0].lit() {
		return nil
	}
	name := baseName(f[0].text)
	var ops []string
	recursive := name == "rsync"
	target := false
	for _, w := range f[1:] {
		t := w.text
		switch {
		case w.dynamic:
		case t == "-t" || t == "--target-directory":
			target = true
		case strings.HasPrefix(t, "--"):
			recursive = recursive || t == "--recursive" || t == "--archive"
			if _, v, ok := strings.Cut(t, "="); ok && strings.HasPrefix(t, "--target-directory") {
				ops = append(ops, v)
				target = false
			}
		case strings.HasPrefix(t, "-") && len(t) > 1:
			recursive = recursive || strings.ContainsAny(t[1:], "rRa")
		default:
			ops = append(ops, t)
		}
	}
	switch name {
	case "cp", "rsync":
		if recursive {
			return ops
		}
	case "ln":
		// A link to a directory holding protected places (ln -s ~ h) lets
		// a later write through it land there under another name.
		return ops
	case "mv":
		if len(ops) > 1 && !target {
			return ops[:len(ops)-1]
		}
		return ops
	}
	return nil
}
