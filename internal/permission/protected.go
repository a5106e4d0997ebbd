package permission

import (
	"bufio"
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

// ProtectedPlaces returns the protected places as absolute paths, for the
// OS sandbox to keep read-only: each entry of the table at its base (the
// any-directory ones at the top of every workspace root), a pattern
// expanded against what exists now, and the places only the filesystem
// knows (where a protected link points, core.hooksPath). The sandbox can
// bind only these; a protected name deeper in the tree, or created later
// under a pattern, is still caught by the checker's questions alone.
func (c *Checker) ProtectedPlaces() []string {
	var out []string
	seen := map[string]bool{}
	add := func(p string) {
		p = filepath.Clean(p)
		if !seen[p] {
			seen[p] = true
			out = append(out, p)
		}
	}
	expand := func(base, pattern string) {
		full := filepath.Join(base, filepath.FromSlash(pattern))
		if !hasGlobMeta(pattern) {
			add(full)
			return
		}
		matches, _ := filepath.Glob(full)
		for _, m := range matches {
			add(m)
		}
	}
	for _, pp := range protectedPaths {
		if pp.base == anyDir {
			for _, rt := range c.ws.roots {
				if pp.pattern == ".git" {
					// git writes the rest of its directory on every
					// commit; its hooks and configuration are listed
					// on their own, and a submodule's are added here.
					expand(rt.forms[0], ".git/modules/*/hooks")
					expand(rt.forms[0], ".git/modules/*/config")
					continue
				}
				expand(rt.forms[0], pp.pattern)
			}
			continue
		}
		for _, b := range c.protectedBases(pp.base) {
			expand(b, pp.pattern)
		}
	}
	for _, d := range c.protectedDirs() {
		add(d.dir)
	}
	return out
}
