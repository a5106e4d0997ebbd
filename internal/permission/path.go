package permission

import (
	"os"
	"path/filepath"
	"strings"
)

// maxLinkHops bounds symlink resolution, as the kernel's ELOOP does.
const maxLinkHops = 40

// resolved is a path as the model spelled it and as the filesystem will
// see it. Rules are checked against every form: a deny or ask rule that
// matches any form applies, an allow needs every form covered, so a symlink
// or a second spelling can neither dodge a deny nor borrow an allow.
type resolved struct {
	given string   // as spelled, made absolute against the working directory
	forms []string // absolute, cleaned; forms[0] is lexical, the next (if different) real
	ok    bool     // false: the real path could not be resolved (a symlink loop)
}

// resolvePath makes p absolute against dir (after expanding a leading ~/)
// and resolves symlinks on the longest existing prefix, so a file not yet
// created under a symlinked directory resolves to where it would land.
//
// ~+ is the directory itself. Paths bash resolves against state basalt
// does not have are returned with ok false: ~- (OLDPWD), ~user, ~N (the
// directory stack), and anything through /proc/self, /proc/PID,
// /proc/thread-self or /dev/fd, which name the shell's own process, not
// basalt's. Only the streams themselves (/dev/stdin, /dev/fd/3) resolve.
func resolvePath(p, dir, home string) resolved {
	switch {
	case p == "~+" || strings.HasPrefix(p, "~+/"):
		p = dir + p[2:]
	case home != "" && (p == "~" || strings.HasPrefix(p, "~/")):
		p = home + p[1:]
	case strings.HasPrefix(p, "~"):
		lex := filepath.Clean(dir + string(filepath.Separator) + p)
		return resolved{given: p, forms: []string{lex}, ok: false}
	}
	if !filepath.IsAbs(p) {
		p = dir + string(filepath.Separator) + p
	}
	lex := filepath.Clean(p)
	r := resolved{given: p, forms: []string{lex}, ok: true}
	if streamPath(lex) && filepath.Clean(p) == p {
		return r
	}
	real, ok := realPath(p)
	if !ok {
		r.ok = false
		return r
	}
	if real != lex {
		r.forms = append(r.forms, real)
	}
	return r
}

// realPath resolves p component by component, the way the kernel walks it:
// ".." after a symlink leaves the link's target, not the link. Where a
// component does not exist, the rest is joined lexically.
func realPath(p string) (string, bool) {
	comps := strings.Split(p, string(filepath.Separator))
	cur := string(filepath.Separator)
	hops := 0
	for i := 0; i < len(comps); i++ {
		c := comps[i]
		switch c {
		case "", ".":
			continue
		case "..":
			cur = filepath.Dir(cur)
			continue
		}
		next := filepath.Join(cur, c)
		if processPath(next) {
			return "", false
		}
		fi, err := os.Lstat(next)
		if err != nil {
			return filepath.Clean(filepath.Join(append([]string{next}, comps[i+1:]...)...)), true
		}
		if fi.Mode()&os.ModeSymlink == 0 {
			cur = next
			continue
		}
		hops++
		if hops > maxLinkHops {
			return "", false
		}
		target, err := os.Readlink(next)
		if err != nil {
			return "", false
		}
		if filepath.IsAbs(target) {
			cur = string(filepath.Separator)
		}
		comps = append(strings.Split(target, string(filepath.Separator)), comps[i+1:]...)
		i = -1
	}
	return cur, true
}

// root is a workspace directory in both its spellings.
type root struct {
	forms []string
}

func newRoot(dir string) root {
	dir = filepath.Clean(dir)
	r := root{forms: []string{dir}}
	if real, ok := realPath(dir); ok && real != dir {
		r.forms = append(r.forms, real)
	}
	return r
}

// within reports whether p is dir or below it.
func within(p, dir string) bool {
	if p == dir {
		return true
	}
	if dir == string(filepath.Separator) {
		return true
	}
	return strings.HasPrefix(p, dir+string(filepath.Separator))
}

// relTo returns p relative to dir, slash-separated, "" for dir itself.
func relTo(p, dir string) string {
	if p == dir {
		return ""
	}
	rel := strings.TrimPrefix(p, dir)
	rel = strings.TrimPrefix(rel, string(filepath.Separator))
	return filepath.ToSlash(rel)
}

// workspace is the set of directories the session works in: the project
// root and the additional directories.
type workspace struct {
	roots []root
}

// contains reports whether every form of r lies inside some root. strict
// also refuses a root itself (for rm -r and friends).
func (w workspace) contains(r resolved, strict bool) bool {
	if !r.ok {
		return false
	}
	for _, f := range r.forms {
		if !w.containsForm(f, strict) {
			return false
		}
	}
	return true
}

func (w workspace) containsForm(f string, strict bool) bool {
	for _, rt := range w.roots {
		for _, rf := range rt.forms {
			if within(f, rf) && !(strict && f == rf) {
				return true
			}
		}
	}
	return false
}

// rootFor returns the workspace root form the lexical path lies in, for
// writing a relative rule.
func (w workspace) rootFor(f string) (string, int) {
	for i, rt := range w.roots {
		for _, rf := range rt.forms {
			if within(f, rf) {
				return rf, i
			}
		}
	}
	return "", -1
}

// matchForm reports whether the absolute path f matches the pattern. Roots
// of root-less patterns are the workspace roots. With viaLinks, the
// pattern's literal leading directories are also resolved, so that a deny
// "//tmp/x" matches "/private/tmp/x" where /tmp is a link, and "./.env"
// matches the file a .env symlink points to. Allow rules do without: an
// allow for "src/**" must not stretch to wherever a link in src points.
func (p *pathPattern) matchForm(f string, ws workspace, viaLinks bool) bool {
	bases := p.bases(ws)
	isDir := func() bool {
		fi, err := os.Stat(f)
		return err == nil && fi.IsDir()
	}
	for _, b := range bases {
		if within(f, b) && p.matchRel(relTo(f, b), isDir) {
			return true
		}
		if !viaLinks || !p.anchored || p.staticLen == 0 {
			continue
		}
		// The same pattern read from the real location of its literal prefix.
		static := filepath.Join(append([]string{b}, p.elems[:p.staticLen]...)...)
		real, ok := realPath(static)
		if !ok || real == static {
			continue
		}
		if within(f, real) {
			rest := &pathPattern{elems: p.elems[p.staticLen:], anchored: true, dirOnly: p.dirOnly}
			if rest.matchRel(relTo(f, real), isDir) {
				return true
			}
		}
	}
	return false
}

// streamPath reports whether p names a standard stream or an open file
// descriptor of the shell rather than a file: writing to it or reading it
// reaches only what a checked redirection opened.
func streamPath(p string) bool {
	switch p {
	case "/dev/null", "/dev/stdin", "/dev/stdout", "/dev/stderr", "/dev/tty", "/dev/zero", "/dev/random", "/dev/urandom":
		return true
	}
	n, ok := strings.CutPrefix(p, "/dev/fd/")
	return ok && isDigits(n)
}

// processPath reports whether p is a per-process directory of /proc (or
// /dev/fd, a link into one): what lies below it depends on the process
// that opens it, which is the shell, not basalt.
func processPath(p string) bool {
	if p == "/dev/fd" || p == "/dev/stdin" || p == "/dev/stdout" || p == "/dev/stderr" {
		return true
	}
	rest, ok := strings.CutPrefix(p, "/proc/")
	if !ok {
		return false
	}
	first, _, _ := strings.Cut(rest, "/")
	return first == "self" || first == "thread-self" || isDigits(first)
}

// bases are the directories a pattern is read against: its own base, or
// for a root-less pattern every form of every workspace root.
func (p *pathPattern) bases(ws workspace) []string {
	if p.base != "" {
		return []string{p.base}
	}
	var out []string
	for _, rt := range ws.roots {
		out = append(out, rt.forms...)
	}
	return out
}
