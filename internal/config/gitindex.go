package config

import (
	"bytes"
	"encoding/binary"
	"os"
	"path/filepath"
	"strings"
)

// maxIndexSize bounds how much of a git index gitTracks reads.
const maxIndexSize = 256 << 20

// gitTracks reports whether the git repository at root tracks path (a
// file under root). Local settings files are the user's own only while
// they are not part of the repository: a clone that ships
// .claude/settings.local.json must not get around the trust check. The
// index is searched for the path as stored there (index versions 2 and
// 3 store whole paths, NUL-terminated); anything it cannot read with
// certainty (version 4's compressed paths, an index too large to read)
// counts as tracked. No repository, or no index, tracks nothing.
func gitTracks(root, path string) bool {
	rel, err := filepath.Rel(root, path)
	if err != nil || strings.HasPrefix(rel, "..") {
		return false
	}
	gitDir := filepath.Join(root, ".git")
	if b, err := os.ReadFile(gitDir); err == nil {
		// A worktree or submodule: ".git" is a file naming the directory.
		dir, ok := strings.CutPrefix(strings.TrimSpace(string(b)), "gitdir:")
		if !ok {
			return true
		}
		gitDir = strings.TrimSpace(dir)
		if !filepath.IsAbs(gitDir) {
			gitDir = filepath.Join(root, gitDir)
		}
	}
	index := filepath.Join(gitDir, "index")
	st, err := os.Stat(index)
	if err != nil {
		return false
	}
	if st.Size() > maxIndexSize {
		return true
	}
	data, err := os.ReadFile(index)
	if err != nil || len(data) < 12 || string(data[:4]) != "DIRC" {
		return err == nil // unreadable: not a repository we can see; garbled: fail closed
	}
	if v := binary.BigEndian.Uint32(data[4:8]); v != 2 && v != 3 {
		return true
	}
	want := append([]byte(filepath.ToSlash(rel)), 0)
	for i := 0; ; {
		j := bytes.Index(data[i:], want)
		if j < 0 {
			return false
		}
		// A whole path, not the tail of a longer one ("x/.claude/...").
		if k := i + j; k == 0 || data[k-1] != '/' {
			return true
		} else {
			i = k + 1
		}
	}
}
