package tool

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
)

// The ignore rules Grep, Glob and LS honour are ripgrep's defaults, so the
// pure-Go search and rg agree: .gitignore files (nested ones too, and those
// of parent directories up to the repository root), .git/info/exclude, and
// the .ignore and .rgignore files that take precedence over them. A
// directory holding .git starts a new repository: .gitignore rules from
// above it do not apply inside it.

// ignoreKind orders the kinds of ignore file, strongest first.
type ignoreKind int

const (
	kindRgignore ignoreKind = iota
	kindIgnore
	kindGitignore
	kindExclude
	numIgnoreKinds
)

// ignoreFileNames are the per-directory ignore files, by kind.
var ignoreFileNames = [...]string{kindRgignore: ".rgignore", kindIgnore: ".ignore", kindGitignore: ".gitignore"}

// ignoreRule is one line of an ignore file.
type ignoreRule struct {
	glob    *pathGlob
	negate  bool // "!pattern": re-include
	dirOnly bool // "pattern/": directories only
}

// ignoreDir holds the rules of one directory's ignore files, linked to the
// nearest ancestor that has any.
type ignoreDir struct {
	dir    string // absolute and clean
	rules  [numIgnoreKinds][]ignoreRule
	hasGit bool
	parent *ignoreDir
}

// matchResult is the verdict of a matcher on one path.
type matchResult int8

const (
	matchNone matchResult = iota
	matchIgnore
	matchWhitelist
)

// parseIgnore parses the content of a gitignore-syntax file.
func parseIgnore(data []byte) []ignoreRule {
	var rules []ignoreRule
	for _, line := range bytes.Split(data, []byte("\n")) {
		if r, ok := parseIgnoreLine(string(line)); ok {
			rules = append(rules, r)
		}
	}
	return rules
}

func parseIgnoreLine(line string) (ignoreRule, bool) {
	line = strings.TrimSuffix(line, "\r")
	if line == "" || line[0] == '#' {
		return ignoreRule{}, false
	}
	// Trailing spaces go unless escaped with a backslash.
	for strings.HasSuffix(line, " ") && !strings.HasSuffix(line, `\ `) {
		line = line[:len(line)-1]
	}
	var r ignoreRule
	if line[0] == '!' {
		r.negate = true
		line = line[1:]
	}
	if strings.HasSuffix(line, "/") {
		r.dirOnly = true
		line = strings.TrimRight(line, "/")
	}
	if line == "" {
		return ignoreRule{}, false
	}
	g, err := compileGlob(line, !strings.Contains(line, "/"))
	if err != nil {
		return ignoreRule{}, false
	}
	r.glob = g
	return r, true
}

// matchRules applies rules (last match wins) to rel.
func matchRules(rules []ignoreRule, rel string, isDir bool) matchResult {
	for i := len(rules) - 1; i >= 0; i-- {
		r := &rules[i]
		if r.dirOnly && !isDir {
			continue
		}
		if r.glob.match(rel) {
			if r.negate {
				return matchWhitelist
			}
			return matchIgnore
		}
	}
	return matchNone
}

// match decides whether the path abs (below d.dir) is ignored. Each kind
// of file is asked from the deepest directory up; the first kind with a
// verdict decides.
func (d *ignoreDir) match(abs string, isDir bool) matchResult {
	for kind := ignoreKind(0); kind < numIgnoreKinds; kind++ {
		gitKind := kind == kindGitignore || kind == kindExclude
		sawGit := false
		for lvl := d; lvl != nil; lvl = lvl.parent {
			if gitKind && sawGit {
				break
			}
			sawGit = lvl.hasGit
			if len(lvl.rules[kind]) == 0 {
				continue
			}
			rel := abs[len(lvl.dir):]
			if lvl.dir != "/" {
				rel = strings.TrimPrefix(rel, "/")
			} else {
				rel = strings.TrimPrefix(abs, "/")
			}
			if m := matchRules(lvl.rules[kind], rel, isDir); m != matchNone {
				return m
			}
		}
	}
	return matchNone
}

// loadIgnoreDir reads the ignore files of dir. names reports which of
// them exist (the caller usually has the listing already); nil means
// look. It returns parent when dir adds nothing.
func loadIgnoreDir(dir string, has func(name string) bool, parent *ignoreDir) *ignoreDir {
	if has == nil {
		has = func(name string) bool {
			_, err := os.Lstat(filepath.Join(dir, name))
			return err == nil
		}
	}
	d := &ignoreDir{dir: dir, parent: parent, hasGit: has(".git")}
	any := d.hasGit
	for kind, name := range ignoreFileNames {
		if name == "" || !has(name) {
			continue
		}
		if data, err := os.ReadFile(filepath.Join(dir, name)); err == nil {
			d.rules[kind] = parseIgnore(data)
			any = true
		}
	}
	if d.hasGit {
		if data, err := os.ReadFile(filepath.Join(dir, ".git", "info", "exclude")); err == nil {
			d.rules[kindExclude] = parseIgnore(data)
		}
	}
	if !any {
		return parent
	}
	return d
}

// ignoreChain builds the ignore rules that apply at root: those of root
// and of every ancestor.
func ignoreChain(root string) *ignoreDir {
	var dirs []string
	for d := root; ; d = filepath.Dir(d) {
		dirs = append(dirs, d)
		if d == filepath.Dir(d) {
			break
		}
	}
	var chain *ignoreDir
	for i := len(dirs) - 1; i >= 0; i-- {
		chain = loadIgnoreDir(dirs[i], nil, chain)
	}
	return chain
}

// globSet is Grep's glob filter with ripgrep's override semantics: globs
// use gitignore syntax relative to the search root, a match on a plain
// glob includes the path whatever the ignore files say, a match on a "!"
// glob excludes it, and when there are plain globs a file matching none of
// them is excluded.
type globSet struct {
	rules      []ignoreRule // negate here means "!" in the user's glob
	whitelists int
}

func newGlobSet(globs []string) (*globSet, error) {
	s := &globSet{}
	for _, g := range globs {
		var r ignoreRule
		if strings.HasPrefix(g, "!") {
			r.negate = true
			g = g[1:]
		} else {
			s.whitelists++
		}
		if strings.HasSuffix(g, "/") {
			r.dirOnly = true
			g = strings.TrimRight(g, "/")
		}
		c, err := compileGlob(g, !strings.Contains(g, "/"))
		if err != nil {
			return nil, err
		}
		r.glob = c
		s.rules = append(s.rules, r)
	}
	return s, nil
}

func (s *globSet) match(rel string, isDir bool) matchResult {
	if s == nil {
		return matchNone
	}
	switch matchRules(s.rules, rel, isDir) {
	case matchIgnore: // a plain glob matched
		return matchWhitelist
	case matchWhitelist: // a "!" glob matched
		return matchIgnore
	}
	if s.whitelists > 0 && !isDir {
		return matchIgnore
	}
	return matchNone
}
