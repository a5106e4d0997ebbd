package permission

import (
	"path"
	"path/filepath"
	"strings"

	"github.com/basalt-dev/basalt/internal/config"
	"github.com/basalt-dev/basalt/internal/rulespec"
)

// pathPattern is a compiled Read/Edit specifier: a gitignore-style pattern
// and the directory it is relative to.
//
// The four spellings follow Claude Code's documented forms:
//
//	//abs/path   absolute: relative to the filesystem root
//	~/path       relative to the home directory
//	/path        relative to the root of the rule's settings source: the
//	             directory of the user settings file for user rules, the
//	             directory of FILE for --settings FILE rules, and the project
//	             root for everything else (project, local, managed, flags)
//	path, ./path relative to each workspace root (the project root and every
//	             additional directory)
//
// Inside that, gitignore rules apply: a pattern with no slash but a trailing
// one ("*.env", ".env", "secrets/") matches at any depth, any other pattern
// ("src/**", "./.env") is anchored at its root; "*" and "?" never cross a
// slash, "**" spans directories, a trailing slash matches directories only,
// and a pattern that matches a directory matches everything below it.
// Negation ("!x") has no meaning for a single rule and is refused.
type pathPattern struct {
	raw       string
	base      string   // absolute; empty: the pattern is relative to each workspace root
	elems     []string // pattern components; empty matches the base and everything below
	anchored  bool
	dirOnly   bool
	staticLen int // leading elems free of glob metacharacters
}

// compilePathPattern parses a specifier of a Read/Edit-family rule.
// sourceRoot is the directory "/path" patterns are relative to.
//
// What it refuses is decided by [rulespec.CheckPath], the verdict the
// configuration layer reports too.
func compilePathPattern(spec, home, sourceRoot string) (*pathPattern, error) {
	if err := rulespec.CheckPath(spec, home != ""); err != nil {
		return nil, err
	}
	p := &pathPattern{raw: spec}
	s := spec
	switch {
	case strings.HasPrefix(s, "//"):
		p.base, s, p.anchored = "/", strings.TrimLeft(s, "/"), true
	case s == "~" || strings.HasPrefix(s, "~/"):
		p.base, s, p.anchored = home, strings.TrimPrefix(strings.TrimPrefix(s, "~"), "/"), true
	case strings.HasPrefix(s, "/"):
		p.base, s, p.anchored = sourceRoot, strings.TrimLeft(s, "/"), true
	case strings.HasPrefix(s, "./"):
		s, p.anchored = strings.TrimLeft(strings.TrimPrefix(s, "./"), "/"), true
	}
	if strings.HasSuffix(s, "/") {
		p.dirOnly = true
		s = strings.TrimRight(s, "/")
	}
	if s != "" {
		p.elems = strings.Split(s, "/")
	}
	if !p.anchored && len(p.elems) > 1 {
		// gitignore: a slash anywhere but at the end anchors the pattern.
		p.anchored = true
	}
	p.staticLen = len(p.elems)
	for i, e := range p.elems {
		if hasGlobMeta(e) && i < p.staticLen {
			p.staticLen = i
		}
	}
	return p, nil
}

// ruleSourceRoot is the directory "/path" patterns of a rule from src are
// relative to. Claude Code reads them against the settings source's root
// (its config directory for user settings, the directory of the --settings
// file, the project for the rest); basalt does the same.
func ruleSourceRoot(src config.Source, projectRoot string) string {
	switch src.Kind {
	case config.SourceUser, config.SourceSettings:
		if src.Name != "" && filepath.IsAbs(src.Name) {
			return filepath.Dir(src.Name)
		}
	}
	return projectRoot
}

func hasGlobMeta(s string) bool { return strings.ContainsAny(s, `*?[\`) }

// matchRel reports whether the slash-separated path rel (relative to the
// pattern's root, "" for the root itself) matches. isDir reports whether the
// full path is a directory; it is consulted only for dir-only patterns.
func (p *pathPattern) matchRel(rel string, isDir func() bool) bool {
	if len(p.elems) == 0 {
		return true
	}
	var segs []string
	if rel != "" {
		segs = strings.Split(rel, "/")
	}
	// A pattern that matches a directory matches everything below it, so
	// try the path itself and each of its ancestors.
	for i := 1; i <= len(segs); i++ {
		last := i == len(segs)
		var ok bool
		if p.anchored {
			ok = matchSegs(p.elems, segs[:i])
		} else {
			ok, _ = path.Match(p.elems[0], segs[i-1])
		}
		if ok && (!last || !p.dirOnly || isDir()) {
			return true
		}
	}
	return false
}

// matchSegs matches pattern components against path components, with "**"
// standing for any number of components.
func matchSegs(pat, segs []string) bool {
	for len(pat) > 0 {
		if pat[0] == "**" {
			for k := 0; k <= len(segs); k++ {
				if matchSegs(pat[1:], segs[k:]) {
					return true
				}
			}
			return false
		}
		if len(segs) == 0 {
			return false
		}
		if ok, _ := path.Match(pat[0], segs[0]); !ok {
			return false
		}
		pat, segs = pat[1:], segs[1:]
	}
	return len(segs) == 0
}

// escapePattern quotes glob metacharacters so that a literal path can be
// written as a rule ("allow always" suggestions).
func escapePattern(s string) string {
	var b strings.Builder
	for _, r := range s {
		if strings.ContainsRune(`*?[]\`, r) {
			b.WriteByte('\\')
		}
		b.WriteRune(r)
	}
	return b.String()
}
