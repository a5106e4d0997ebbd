package agent

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestGitStatusLeavesTheIndexAlone: the session's git status reads the
// repository without writing it. A plain `git status` refreshes the
// index's stat cache of a touched file and writes the index back (taking
// .git/index.lock), racing whatever git command the user runs meanwhile.
func TestGitStatusLeavesTheIndexAlone(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git not installed")
	}
	t.Parallel()
	dir := t.TempDir()
	git := func(args ...string) {
		t.Helper()
		cmd := exec.Command("git", args...)
		cmd.Dir = dir
		cmd.Env = append(os.Environ(), "GIT_AUTHOR_NAME=t", "GIT_AUTHOR_EMAIL=t@example.com", "GIT_COMMITTER_NAME=t", "GIT_COMMITTER_EMAIL=t@example.com", "GIT_CONFIG_GLOBAL=/dev/null", "GIT_CONFIG_NOSYSTEM=1")
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("git %v: %v\n%s", args, err, out)
		}
	}
	git("init", "-q", "-b", "main")
	file := filepath.Join(dir, "a.txt")
	if err := os.WriteFile(file, []byte("a\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	git("add", "a.txt")
	git("commit", "-q", "-m", "one")
	// Same content, new times: the index's stat cache is stale.
	later := time.Now().Add(time.Hour)
	if err := os.Chtimes(file, later, later); err != nil {
		t.Fatal(err)
	}
	index := filepath.Join(dir, ".git", "index")
	before, err := os.ReadFile(index)
	if err != nil {
		t.Fatal(err)
	}
	got := gitStatus(t.Context(), dir)
	if !strings.Contains(got, "## main") {
		t.Fatalf("git status = %q, want the branch line", got)
	}
	after, err := os.ReadFile(index)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(before, after) {
		t.Error("git status rewrote .git/index")
	}
}

// TestGitStatusOutsideARepositoryStartsNoGit: where git could find no
// repository, no git process starts (it would only fail); inside one, a
// worktree's .git file, or with GIT_DIR, it does.
func TestGitStatusOutsideARepositoryStartsNoGit(t *testing.T) {
	bin := t.TempDir()
	marker := filepath.Join(t.TempDir(), "ran")
	fake := "#!/bin/sh\necho \"$PWD\" >> '" + marker + "'\necho '## main'\n"
	if err := os.WriteFile(filepath.Join(bin, "git"), []byte(fake), 0o755); err != nil {
		t.Fatal(err)
	}
	t.Setenv("PATH", bin)
	t.Setenv("GIT_DIR", "")
	root := t.TempDir()
	plain := filepath.Join(root, "plain", "deep")
	repo := filepath.Join(root, "repo")
	worktree := filepath.Join(root, "worktree")
	for _, d := range []string{plain, filepath.Join(repo, ".git"), filepath.Join(repo, "sub", "dir"), worktree} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.WriteFile(filepath.Join(worktree, ".git"), []byte("gitdir: /elsewhere\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	ran := func() int {
		b, _ := os.ReadFile(marker)
		return strings.Count(string(b), "\n")
	}
	if got := gitStatus(t.Context(), plain); got != "" || ran() != 0 {
		t.Fatalf("outside a repository: status %q, git ran %d times; want none", got, ran())
	}
	for i, dir := range []string{filepath.Join(repo, "sub", "dir"), worktree} {
		if got := gitStatus(t.Context(), dir); !strings.Contains(got, "## main") || ran() != i+1 {
			t.Fatalf("in %s: status %q, git ran %d times", dir, got, ran())
		}
	}
	t.Setenv("GIT_DIR", filepath.Join(root, "elsewhere.git"))
	if got := gitStatus(t.Context(), plain); !strings.Contains(got, "## main") || ran() != 3 {
		t.Fatalf("with GIT_DIR: status %q, git ran %d times", got, ran())
	}
}
