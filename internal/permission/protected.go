package permission

import (
	"bufio"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"strings"
)

// protectedBase says where a protected pattern is anchored.
type protectedBase int

const (
	// anyDir: at any depth in any directory (".git/hooks" in the project,
	// in a submodule, in a parent of the project root, in /tmp/x).
	anyDir protectedBase = iota
	inHome
	// inConfigHome: under $XDG_CONFIG_HOME and under ~/.config, which
	// programs fall back to when the variable is unset.
	inConfigHome
	// inStateDir: basalt's state directory (trust decisions, transcripts).
	inStateDir
	absolute
)

// protectedPath is a place whose contents decide what runs later, or
// with which credentials: a change there can widen what the agent may do
// without the user seeing it. pattern is slash-separated; each segment is
// a path.Match glob, and a pattern covers the path it names and
// everything below it.
type protectedPath struct {
	base    protectedBase
	pattern string
	// why completes "X is …": what the place is and what a change could
	// do; for a directory it starts with "in".
	why string
}

// Reasons shared by several entries.
const (
	whyShellStartup = "a shell start-up file: the shell runs what it holds in every later session"
	whyGitData      = "in git's repository data, whose hooks and configuration name programs git runs"
	whyShellDir     = "in a shell's start-up configuration: the shell runs what it holds in every later session"
	whyHooksPath    = "in the git hooks directory core.hooksPath names: git runs what it holds on commit, checkout, merge and push"
)

// protectedPaths is the list of protected places, most specific first so
// that the first match gives the most precise reason. Case-insensitive
// filesystems (macOS, Windows) are not handled: on Linux ".Basalt" is
// another directory that nothing reads.
var protectedPaths = []protectedPath{
	// basalt and Claude Code configuration in every project directory.
	{anyDir, ".basalt/settings*.json", "basalt's settings file: a change could widen what runs without you"},
	{anyDir, ".basalt", "in basalt's configuration directory, whose settings, agents, commands, skills and hooks decide what runs in later sessions"},
	{anyDir, ".claude/settings*.json", "Claude Code's settings file, which basalt reads too: a change could widen what runs without you"},
	{anyDir, ".claude", "in Claude Code's configuration directory, whose settings, agents, commands, skills and hooks decide what runs in later sessions"},
	{anyDir, ".mcp.json", "the project's MCP server list: a change could start programs in a later session"},
	{anyDir, ".git/hooks", "in a git hooks directory: git runs what it holds on commit, checkout, merge and push"},
	{anyDir, ".git/config", "git's repository configuration: it can name programs git runs (core.hooksPath, core.fsmonitor, aliases, filters)"},
	// The rest of .git too: info/, modules/*/hooks, worktrees/*/commondir,
	// and a .git file that points git at another directory.
	{anyDir, ".git", whyGitData},
	// Hook managers whose files git runs through their hooks.
	{anyDir, ".husky", "in husky's hooks directory: git runs what it holds on commit and push"},
	{anyDir, ".pre-commit-config.yaml", "the pre-commit framework's configuration: it names programs git runs on every commit"},
	{anyDir, "lefthook*.yml", "lefthook's configuration: it names programs git runs on commit and push"},
	{anyDir, ".lefthook*", "lefthook's configuration: it names programs git runs on commit and push"},

	// User-level configuration of basalt and Claude Code.
	{inConfigHome, "basalt", "in basalt's user configuration: a change could widen what runs without you in every project"},
	{inHome, ".claude", "in Claude Code's user configuration, which basalt reads too: a change could widen what runs without you in every project"},
	{inHome, ".claude.json", "Claude Code's user state and MCP server list: a change could start programs in a later session"},
	{inStateDir, "", "in basalt's state directory, which records the folders you trusted"},
	{absolute, "/etc/basalt", "in basalt's managed policy, which only an administrator may change"},
	{absolute, "/etc/claude-code", "in Claude Code's managed policy, which only an administrator may change"},

	// Shell and session start-up files.
	{inHome, ".bash*", whyShellStartup},
	{inHome, ".profile", whyShellStartup},
	{inHome, ".zshrc", whyShellStartup},
	{inHome, ".zshenv", whyShellStartup},
	{inHome, ".zprofile", whyShellStartup},
	{inHome, ".zlogin", whyShellStartup},
	{inHome, ".zlogout", whyShellStartup},
	{inHome, ".zsh", whyShellDir},
	{inHome, ".oh-my-zsh", whyShellDir},
	{inHome, ".login", whyShellStartup},
	{inHome, ".logout", whyShellStartup},
	{inHome, ".cshrc", whyShellStartup},
	{inHome, ".tcshrc", whyShellStartup},
	{inHome, ".kshrc", whyShellStartup},
	{inHome, ".mkshrc", whyShellStartup},
	{inHome, ".inputrc", "readline's start-up file: it can bind keys to shell commands"},
	{inHome, ".xprofile", whyShellStartup},
	{inHome, ".xinitrc", whyShellStartup},
	{inHome, ".xsession*", whyShellStartup},
	{inHome, ".pam_environment", "the login environment: it sets variables such as PATH and LD_PRELOAD for every program"},
	{inConfigHome, "fish", whyShellDir},
	{inConfigHome, "environment.d", "in the login environment, which sets variables such as PATH and LD_PRELOAD for every program"},
	{inConfigHome, "autostart", "in the desktop's autostart list, which starts programs at every login"},
	{inConfigHome, "systemd", "in your systemd user configuration, whose units start programs at login and on timers"},
	{absolute, "/etc/profile", whyShellStartup},
	{absolute, "/etc/profile.d", whyShellDir},
	{absolute, "/etc/bash.bashrc", whyShellStartup},
	{absolute, "/etc/zsh", whyShellDir},
	{absolute, "/etc/environment", "the login environment: it sets variables such as PATH for every program"},

	// Credentials and the configuration of programs that use them.
	{inHome, ".ssh", "in your SSH directory, whose keys and configuration grant access to your accounts and can run commands on connect"},
	{inHome, ".aws", "in your AWS configuration, which holds credentials and can name credential_process programs"},
	{inHome, ".gitconfig", "your git configuration: it can name programs git runs in every repository"},
	{inConfigHome, "git", "in your git configuration, which can name programs git runs in every repository"},
	{inHome, ".git-credentials", "your git credential store"},
	{inHome, ".netrc", "your network login credentials (curl, git, ftp)"},
	{inHome, ".npmrc", "npm's configuration: it holds registry tokens and can change what installs run"},
	{inHome, ".yarnrc*", "yarn's configuration: it holds registry tokens and can change what installs run"},
	{inHome, ".pypirc", "your Python package index credentials"},
	{inConfigHome, "pip", "in pip's configuration, which decides where packages are installed from"},
	{inHome, ".pip", "in pip's configuration, which decides where packages are installed from"},
	{inHome, ".cargo/credentials*", "your Cargo registry credentials"},
	{inHome, ".cargo/config*", "Cargo's configuration: it can name programs cargo runs"},
	{inHome, ".docker", "in Docker's configuration, which holds registry credentials and names credential helper programs"},
	{inHome, ".kube", "in your Kubernetes configuration, which holds credentials and can name programs that produce tokens"},
	{inHome, ".gnupg", "in your GnuPG keys and configuration"},
	{inConfigHome, "gh", "in the GitHub CLI's configuration, which holds its tokens"},
	{inConfigHome, "gcloud", "in your Google Cloud credentials"},
	{inHome, ".azure", "in your Azure credentials"},
}

// protection is the first protected place that covers p, in any of its
// forms.
type protection struct {
	path string // the form of the path that is protected
	why  string
}

// protectedHit reports whether p (any form) lies in a protected place.
// Protected places are matched as spelled and as their own links resolve,
// so a write through a link into ~/.ssh, or into a .claude directory that
// is itself a link elsewhere, is caught either way.
func (e *eval) protectedHit(p resolved) (protection, bool) {
	for _, f := range p.forms {
		if why, ok := e.c.protectedForm(f); ok {
			return protection{path: f, why: why}, true
		}
	}
	if !e.pdirsDone {
		e.pdirs, e.pdirsDone = e.c.protectedDirs(), true
	}
	for _, f := range p.forms {
		for _, d := range e.pdirs {
			if within(f, d.dir) {
				return protection{path: f, why: d.why}, true
			}
		}
	}
	return protection{}, false
}

// protectedForm matches one absolute path against the table.
func (c *Checker) protectedForm(f string) (string, bool) {
	segs := splitPath(f)
	// A project may itself live below a .claude or .basalt directory (Claude
	// Code keeps worktrees in .claude/worktrees): inside the workspace,
	// names above its outermost root do not make a path protected. A .git
	// above the root still does: nobody works inside a git directory.
	above := 0
	for _, rt := range c.ws.roots {
		for _, rf := range rt.forms {
			if within(f, rf) && (above == 0 || len(splitPath(rf)) < above) {
				above = len(splitPath(rf))
			}
		}
	}
	for _, pp := range protectedPaths {
		pat := splitPath(pp.pattern)
		switch pp.base {
		case anyDir:
			from := above
			if len(pat) > 0 && pat[0] == ".git" {
				from = 0
			}
			for i := from; i < len(segs); i++ {
				if prefixMatch(pat, segs[i:]) {
					return pp.why, true
				}
			}
		default:
			for _, b := range c.protectedBases(pp.base) {
				if within(f, b) && prefixMatch(pat, splitPath(relTo(f, b))) {
					return pp.why, true
				}
			}
		}
	}
	return "", false
}

// protectedBases are the directories a base stands for; none when the
// directory is unknown.
func (c *Checker) protectedBases(b protectedBase) []string {
	var out []string
	switch b {
	case inHome:
		if c.home != "" {
			out = append(out, c.home)
		}
	case inConfigHome:
		if c.home != "" {
			out = append(out, filepath.Join(c.home, ".config"))
		}
		if c.configHome != "" {
			out = append(out, c.configHome)
		}
	case inStateDir:
		if c.stateDir != "" {
			out = append(out, c.stateDir)
		}
	case absolute:
		out = append(out, string(filepath.Separator))
	}
	return out
}

// protectedDir is a protected directory found on disk rather than by
// name: where a protected place's link points, a git directory a .git file
// names, a core.hooksPath.
type protectedDir struct {
	dir, why string
}

// protectedDirs finds the protected places that only the filesystem
// knows. It is computed for every decision, since a link or a
// core.hooksPath may change during the session.
func (c *Checker) protectedDirs() []protectedDir {
	var out []protectedDir
	add := func(dir, why string) {
		dir = filepath.Clean(dir)
		for _, d := range out {
			if d.dir == dir {
				return
			}
		}
		out = append(out, protectedDir{dir, why})
	}
	// Literal protected places whose spelled path is, or runs through, a
	// link: protect where the link points too. A base is resolved once; a
	// single name below it costs one Lstat unless it is a link.
	realBase := map[string]dirReal{}
	addReal := func(base, pattern, why string) {
		p := filepath.Join(base, pattern)
		if strings.Contains(pattern, "/") || pattern == "" {
			if real, ok := realPath(p); ok && real != p {
				add(real, why)
			}
			return
		}
		fi, err := os.Lstat(p)
		if err == nil && fi.Mode()&os.ModeSymlink != 0 {
			if real, ok := realPath(p); ok && real != p {
				add(real, why)
			}
			return
		}
		rb, seen := realBase[base]
		if !seen {
			rb.real, rb.ok = realPath(base)
			realBase[base] = rb
		}
		if rb.ok && rb.real != base {
			add(filepath.Join(rb.real, pattern), why)
		}
	}
	var roots []string
	for _, rt := range c.ws.roots {
		roots = append(roots, rt.forms...)
	}
	for _, pp := range protectedPaths {
		if strings.ContainsAny(pp.pattern, "*?[") {
			continue
		}
		switch pp.base {
		case anyDir:
			for _, r := range roots {
				addReal(r, pp.pattern, pp.why)
			}
		default:
			for _, b := range c.protectedBases(pp.base) {
				if pp.base != absolute {
					addReal(b, pp.pattern, pp.why)
				} else {
					addReal(filepath.Dir(pp.pattern), filepath.Base(pp.pattern), pp.why)
				}
			}
		}
	}
	// A core.hooksPath is protected whole, unless it holds the workspace
	// or the home directory ("." or "/"): then only the hook names in it.
	addHooks := func(hp string) {
		holds := c.home != "" && within(c.home, hp)
		for _, r := range roots {
			holds = holds || within(r, hp)
		}
		if !holds {
			add(hp, whyHooksPath)
			return
		}
		for _, h := range gitHookNames {
			add(filepath.Join(hp, h), whyHooksPath)
		}
	}
	// Git directories named by a .git file (worktrees, submodules,
	// --separate-git-dir), with their common directory, in the workspace
	// roots and every directory above them.
	for _, r := range roots {
		for dir := r; ; dir = filepath.Dir(dir) {
			for _, gd := range gitDirs(dir) {
				if filepath.Base(gd) != ".git" {
					add(gd, whyGitData) // a .git directory is covered by name
				}
				for _, hp := range hooksPaths(filepath.Join(gd, "config"), dir, c.home) {
					addHooks(hp)
				}
			}
			if dir == filepath.Dir(dir) {
				break
			}
		}
	}
	var userGit []string
	if c.home != "" {
		userGit = append(userGit, filepath.Join(c.home, ".gitconfig"))
	}
	for _, b := range c.protectedBases(inConfigHome) {
		userGit = append(userGit, filepath.Join(b, "git", "config"))
	}
	for _, cfg := range userGit {
		for _, r := range roots {
			for _, hp := range hooksPaths(cfg, r, c.home) {
				addHooks(hp)
			}
		}
	}
	return out
}

// gitHookNames are the files git runs from a hooks directory (githooks(5)).
var gitHookNames = []string{
	"applypatch-msg", "pre-applypatch", "post-applypatch", "pre-commit", "pre-merge-commit",
	"prepare-commit-msg", "commit-msg", "post-commit", "pre-rebase", "post-checkout", "post-merge",
	"pre-push", "pre-receive", "update", "proc-receive", "post-receive", "post-update",
	"reference-transaction", "push-to-checkout", "pre-auto-gc", "post-rewrite", "sendemail-validate",
	"fsmonitor-watchman", "p4-changelist", "p4-prepare-changelist", "p4-post-changelist", "p4-pre-submit",
	"post-index-change",
}

// gitDirs returns dir/.git when it is a directory; else the git directory
// that dir/.git names when it is a file ("gitdir: …"), and the common
// directory that git directory names; none when dir/.git is absent.
func gitDirs(dir string) []string {
	dotgit := filepath.Join(dir, ".git")
	if fi, err := os.Stat(dotgit); err == nil && fi.IsDir() {
		return []string{dotgit}
	}
	b, err := os.ReadFile(dotgit)
	if err != nil {
		return nil
	}
	line, _, _ := strings.Cut(string(b), "\n")
	gd, ok := strings.CutPrefix(strings.TrimSpace(line), "gitdir:")
	if !ok {
		return nil
	}
	gd = strings.TrimSpace(gd)
	if !filepath.IsAbs(gd) {
		gd = filepath.Join(dir, gd)
	}
	out := []string{filepath.Clean(gd)}
	if cd, err := os.ReadFile(filepath.Join(gd, "commondir")); err == nil {
		common := strings.TrimSpace(string(cd))
		if !filepath.IsAbs(common) {
			common = filepath.Join(gd, common)
		}
		out = append(out, filepath.Clean(common))
	}
	return out
}

// hooksPaths reads core.hooksPath from a git config file. A relative
// value is read against worktree (where git runs hooks from); ~/ against
// home. The parser is small on purpose: a value it misreads only
// protects one more directory.
func hooksPaths(configFile, worktree, home string) []string {
	f, err := os.Open(configFile)
	if err != nil {
		return nil
	}
	defer f.Close()
	var out []string
	section := ""
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if strings.HasPrefix(line, "[") {
			name, _, _ := strings.Cut(strings.Trim(line, "[]"), " ")
			section = strings.ToLower(strings.TrimSpace(name))
			continue
		}
		k, v, ok := strings.Cut(line, "=")
		if !ok || section != "core" || !strings.EqualFold(strings.TrimSpace(k), "hookspath") {
			continue
		}
		v = strings.Trim(strings.TrimSpace(v), `"`)
		switch {
		case v == "":
			continue
		case home != "" && strings.HasPrefix(v, "~/"):
			v = filepath.Join(home, v[2:])
		case !filepath.IsAbs(v):
			v = filepath.Join(worktree, v)
		}
		out = append(out, filepath.Clean(v))
	}
	return out
}

// splitPath splits a slash- or separator-separated path into its
// non-empty segments.
func splitPath(p string) []string {
	return strings.FieldsFunc(filepath.ToSlash(p), func(r rune) bool { return r == '/' })
}

// prefixMatch reports whether the glob segments pat match the first
// len(pat) segments of segs: the pattern names segs or a parent of it.
func prefixMatch(pat, segs []string) bool {
	if len(pat) == 0 {
		return true
	}
	if len(segs) < len(pat) {
		return false
	}
	for i, p := range pat {
		if ok, err := path.Match(p, segs[i]); err != nil || !ok {
			return false
		}
	}
	return true
}

// protectedAsk is the ask for a write to a protected place: no rule can
// lift it, only bypassPermissions skips it.
func protectedAsk(verb, shown string, pr protection) outcome {
	o := askf("%s of %s: %s is %s; basalt asks before every change to it, whatever the mode or allow rules say", capital(verb), shown, pr.path, pr.why)
	o.protected = true
	return o
}

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
	for _, d := range []string{"/etc/basalt", "/etc/claude-code"} {
		if within(d, dir) {
			return fmt.Sprintf("%s holds %s, basalt's and Claude Code's managed policy", dir, d), true
		}
	}
	return "", false
}

// protectedReaders only read the files they name (or print their names),
// so naming a protected place is no write. A redirection of their output
// is checked on its own.
var protectedReaders = map[string]bool{
	"cat": true, "head": true, "tail": true, "less": true, "more": true, "nl": true, "tac": true,
	"od": true, "xxd": true, "hexdump": true, "strings": true, "wc": true, "base64": true,
	"md5sum": true, "sha1sum": true, "sha256sum": true, "sha512sum": true, "cksum": true,
	"grep": true, "egrep": true, "fgrep": true, "rg": true, "ls": true, "stat": true, "file": true,
	"diff": true, "cmp": true, "readlink": true, "realpath": true, "test": true, "[": true,
	"du": true, "echo": true, "printf": true, "basename": true, "dirname": true,
}

// fileWriters are programs whose operands are files they create, change
// or remove: an operand known only at run time may name a protected
// place.
var fileWriters = map[string]bool{
	"cp": true, "mv": true, "ln": true, "link": true, "install": true, "rsync": true, "dd": true,
	"tee": true, "touch": true, "rm": true, "unlink": true, "rmdir": true, "mkdir": true,
	"truncate": true, "shred": true, "chmod": true, "chown": true, "chgrp": true, "chattr": true,
	"setfacl": true, "mkfifo": true, "mknod": true, "sed": true, "split": true, "csplit": true,
	"patch": true, "sort": true,
}

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
		(protectedReaders[baseName(cmd.allowForm[0].text)] || findOnlyReads(cmd.allowForm))
	writer := false
	for _, n := range names {
		writer = writer || fileWriters[n]
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
			if _, ok := braceExpand(w.text); w.glob && !ok {
				return ask("`%s` names more files than basalt can check (%s); one may be a protected place", cmd.src, w.src)
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

// findWrites are find's actions that write files, delete or run programs.
var findWrites = map[string]bool{
	"-delete": true, "-fprint": true, "-fprint0": true, "-fprintf": true, "-fls": true,
	"-exec": true, "-execdir": true, "-ok": true, "-okdir": true,
}

// findOnlyReads reports whether f is a find that only lists files, as in
// `find . -path ./.git -prune -o -name '*.go' -print`.
func findOnlyReads(f []word) bool {
	if baseName(f[0].text) != "find" {
		return false
	}
	for _, w := range f[1:] {
		if w.dynamic || findWrites[w.text] {
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
	i := 1
	for ; i < len(f); i++ {
		t := f[i].text
		if t == "-C" || t == "-c" || t == "--git-dir" || t == "--work-tree" || t == "--namespace" {
			i++
			continue
		}
		if !strings.HasPrefix(t, "-") {
			break
		}
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
