package memory

import (
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// Names are the instruction files read in each directory, in this order:
// basalt's own, Claude Code's, the cross-tool AGENTS.md, and last the
// personal, uncommitted CLAUDE.local.md, which wins where they disagree.
var Names = []string{"BASALT.md", "CLAUDE.md", filepath.Join(".claude", "CLAUDE.md"), "AGENTS.md", "CLAUDE.local.md"}

// rulesDir holds a directory's modular rules (.claude/rules/**/*.md).
var rulesDir = filepath.Join(".claude", "rules")

// Kind says where a memory file comes from.
type Kind string

// The kinds of memory file.
const (
	KindUser    Kind = "user"    // the user's own, for every project
	KindProject Kind = "project" // a directory from the project root to the working directory
	KindLocal   Kind = "local"   // CLAUDE.local.md: personal, for one project
	KindRule    Kind = "rule"    // .claude/rules/*.md
	KindNested  Kind = "nested"  // below the working directory, read when the model gets there
	KindImport  Kind = "import"  // pulled in by @path
)

// File is one memory file found for a session.
type File struct {
	// Path is where basalt found the file.
	Path string
	// RealPath is Path with symlinks resolved: the file whose text is
	// sent, under this name.
	RealPath string
	// DuplicateOf is set when Path is the same file as one found before
	// it (in real repositories CLAUDE.md is often a symlink to AGENTS.md):
	// the earlier path, whose text is sent once, under that name.
	DuplicateOf string
	Kind        Kind
	// Paths are a rule's globs (its `paths:` front matter), relative to
	// Base: the rule loads when the model first touches a matching file.
	// Empty: the rule always loads.
	Paths []string
	// Base is the directory a rule's globs are relative to: the one that
	// holds its .claude directory.
	Base string
	// Err is what is wrong with a rule's front matter; such a rule is
	// not loaded.
	Err error
}

// Lazy reports whether the file waits until the model touches a file it
// applies to.
func (f File) Lazy() bool { return f.Kind == KindRule && len(f.Paths) > 0 }

// Discover lists the memory files of a session in the order they are
// read: the user-level ones, then those of each directory from the
// project root down to the working directory, then the rules of those
// directories. Only files that exist are listed. A file reached twice (a
// symlink, a hard link) is read once, by the first path that reaches it;
// the later paths say which file they repeat. /memory and config show
// list these.
func Discover(userMemory []string, projectRoot, workDir string) []File {
	var out []File
	var seen []fileID
	add := func(path string, kind Kind) *File {
		info, err := os.Stat(path)
		if err != nil || !info.Mode().IsRegular() {
			return nil
		}
		for _, s := range seen {
			if os.SameFile(s.info, info) {
				out = append(out, File{Path: path, DuplicateOf: s.path, Kind: kind})
				return nil
			}
		}
		seen = append(seen, fileID{path, info})
		out = append(out, File{Path: path, RealPath: realPath(path), Kind: kind})
		return &out[len(out)-1]
	}
	for _, p := range userMemory {
		add(p, KindUser)
	}
	dirs := projectDirs(projectRoot, workDir)
	// The user's own rules (~/.claude/rules, beside ~/.claude/CLAUDE.md)
	// apply in every project: their globs are relative to this one.
	for _, p := range userMemory {
		if filepath.Base(p) != "CLAUDE.md" || filepath.Base(filepath.Dir(p)) != ".claude" {
			continue
		}
		for _, r := range ruleFiles(filepath.Join(filepath.Dir(p), "rules")) {
			if f := add(r, KindRule); f != nil {
				f.Base = dirs[0]
				f.Paths, f.Err = rulePaths(f.RealPath)
			}
		}
	}
	for _, d := range dirs {
		for _, name := range Names {
			add(filepath.Join(d, name), kindOf(name))
		}
	}
	for _, d := range dirs {
		for _, p := range ruleFiles(filepath.Join(d, rulesDir)) {
			if f := add(p, KindRule); f != nil {
				f.Base = d
				f.Paths, f.Err = rulePaths(f.RealPath)
			}
		}
	}
	return out
}

type fileID struct {
	path string
	info os.FileInfo
}

func kindOf(name string) Kind {
	if name == "CLAUDE.local.md" {
		return KindLocal
	}
	return KindProject
}

func realPath(path string) string {
	real, err := filepath.EvalSymlinks(path)
	if err != nil {
		return path
	}
	return real
}

// projectDirs are the directories from the project root down to the
// working directory; only the working directory when it is not inside
// the root.
func projectDirs(root, workDir string) []string {
	if root == "" {
		root = workDir
	}
	dirs := []string{workDir}
	for d := workDir; d != root && within(root, d); {
		parent := filepath.Dir(d)
		if parent == d {
			break
		}
		d = parent
		dirs = append([]string{d}, dirs...)
	}
	return dirs
}

// within reports whether path is dir or below it.
func within(dir, path string) bool {
	rel, err := filepath.Rel(dir, path)
	return err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) && !filepath.IsAbs(rel)
}

// ruleFiles are the .md files under dir, at any depth, sorted so that
// the order does not depend on the filesystem.
func ruleFiles(dir string) []string {
	var out []string
	filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return nil // a missing or unreadable rules directory has no rules
		}
		if !d.IsDir() && strings.HasSuffix(d.Name(), ".md") {
			out = append(out, p)
		}
		return nil
	})
	sort.Strings(out)
	return out
}
