package permission

import (
	"os"
	"path/filepath"
	"sync"
)

// ReadDeniedFilter returns a function that reports, as [Checker.ReadDenied]
// does, whether a Read deny rule covers an absolute path, for one search
// by Grep, Glob or LS. The rules, and where the literal prefixes of their
// patterns lead through symlinks, are read once when it is made; the real
// directory of each directory asked about is remembered. A walk over many
// files so pays a system call or two a file instead of one per path
// component and rule. It sees rules and links as they were when it was
// made, so it belongs to one search. The function is safe for concurrent
// use. It is nil when no Read deny rule exists.
func (c *Checker) ReadDeniedFilter() func(abs string) bool {
	c.mu.RLock()
	rules := c.rules
	c.mu.RUnlock()
	f := &readFilter{c: c, dirs: map[string]dirReal{}}
	for _, r := range rules.deny {
		if r.bareFor("Read") {
			return func(string) bool { return true }
		}
		if r.pathFor("Read") {
			f.rules = append(f.rules, newFilterRule(r.path, c.ws))
		}
	}
	if len(f.rules) == 0 {
		return nil // nothing is hidden: searches skip the check entirely
	}
	return f.denied
}

// filterRule is a deny pattern with its bases and, for an anchored
// pattern, the real locations of its literal prefix: the same matches as
// pathPattern.matchForm with viaLinks, computed once.
type filterRule struct {
	p     *pathPattern
	bases []string
	links []linkedBase
}

// linkedBase is a real directory a pattern's literal prefix leads to, and
// the rest of the pattern below it.
type linkedBase struct {
	dir  string
	rest *pathPattern
}

func newFilterRule(p *pathPattern, ws workspace) filterRule {
	fr := filterRule{p: p}
	if p.base != "" {
		fr.bases = []string{p.base}
	} else {
		for _, rt := range ws.roots {
			fr.bases = append(fr.bases, rt.forms...)
		}
	}
	if p.anchored && p.staticLen > 0 {
		for _, b := range fr.bases {
			static := filepath.Join(append([]string{b}, p.elems[:p.staticLen]...)...)
			if real, ok := realPath(static); ok && real != static {
				fr.links = append(fr.links, linkedBase{real, &pathPattern{elems: p.elems[p.staticLen:], anchored: true, dirOnly: p.dirOnly}})
			}
		}
	}
	return fr
}

func (fr filterRule) match(f string) bool {
	isDir := func() bool {
		fi, err := os.Stat(f)
		return err == nil && fi.IsDir()
	}
	for _, b := range fr.bases {
		if within(f, b) && fr.p.matchRel(relTo(f, b), isDir) {
			return true
		}
	}
	for _, l := range fr.links {
		if within(f, l.dir) && l.rest.matchRel(relTo(f, l.dir), isDir) {
			return true
		}
	}
	return false
}

type readFilter struct {
	c     *Checker
	rules []filterRule

	mu   sync.Mutex
	dirs map[string]dirReal
}

type dirReal struct {
	real string
	ok   bool
}

func (f *readFilter) denied(abs string) bool {
	if !filepath.IsAbs(abs) {
		return f.c.ReadDenied(abs, "")
	}
	lex := filepath.Clean(abs)
	forms := []string{lex}
	if real, ok := f.realPath(lex); ok && real != lex {
		forms = append(forms, real)
	}
	for _, form := range forms {
		for _, r := range f.rules {
			if r.match(form) {
				return true
			}
		}
	}
	return false
}

// realPath resolves a clean absolute path as realPath does, resolving its
// directory once per filter.
func (f *readFilter) realPath(p string) (string, bool) {
	if fi, err := os.Lstat(p); err == nil && fi.Mode()&os.ModeSymlink != 0 {
		return realPath(p)
	}
	dir := filepath.Dir(p)
	if dir == p {
		return p, true
	}
	f.mu.Lock()
	d, seen := f.dirs[dir]
	f.mu.Unlock()
	if !seen {
		d.real, d.ok = realPath(dir)
		f.mu.Lock()
		f.dirs[dir] = d
		f.mu.Unlock()
	}
	if !d.ok {
		return "", false
	}
	return filepath.Join(d.real, filepath.Base(p)), true
}
