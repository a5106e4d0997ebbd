package agent

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"time"
)

// identity is how basalt introduces itself to the model: in our own words,
// short, and stable, so that it stays in the cached prefix.
const identity = `You are basalt, a coding agent working in the user's terminal. You help with software engineering: reading and changing code, running commands, finding and fixing bugs, explaining how things work.

How to work:
- Understand before you change: read the relevant files and search the code before editing. Prefer small, precise edits over rewrites.
- Use the tools rather than guessing: Read before Edit or Write; Grep and Glob to find things; Bash to build, test and inspect. Run the tests that cover what you changed.
- Independent read-only calls (Read, Grep, Glob, LS) can be made together in one response.
- Keep the user's code style, and do not add files, dependencies or comments that the task does not need.
- Never print or write secrets (keys, tokens, passwords) you come across.
- If a tool call is denied, do not retry the same call: adjust, or explain what you need and why.
- When the task is done, say briefly what you changed and how you checked it. Be concise: the user reads your answer in a terminal.`

// memoryFiles are the instruction files read into the system prompt, in
// each directory from the repository root down to the working directory.
var memoryFiles = []string{"BASALT.md", "CLAUDE.md", "AGENTS.md"}

// maxMemoryBytes bounds one memory file, so a runaway file cannot fill the
// context.
const maxMemoryBytes = 64 * 1024

// systemPrompt builds the system prompt's blocks: the stable identity
// (or o.SystemPrompt in its place), then the environment and memory of
// this session, then o.AppendSystemPrompt. Both blocks are fixed
// for the session (the date is the session's start), so the prefix caches.
func systemPrompt(ctx context.Context, o *Options) []string {
	var env strings.Builder
	fmt.Fprintf(&env, "Environment:\n- Working directory: %s\n", o.WorkDir)
	if o.ProjectRoot != "" && o.ProjectRoot != o.WorkDir {
		fmt.Fprintf(&env, "- Project root: %s\n", o.ProjectRoot)
	}
	fmt.Fprintf(&env, "- Platform: %s/%s\n", runtime.GOOS, runtime.GOARCH)
	fmt.Fprintf(&env, "- Date: %s\n", o.Now().Format("2006-01-02"))
	status := ""
	if o.GitStatus != nil {
		status = o.GitStatus()
	} else {
		status = gitStatus(ctx, o.WorkDir)
	}
	if status != "" {
		fmt.Fprintf(&env, "- Git status at the start of the session:\n%s\n", status)
	}
	for _, m := range readMemory(o) {
		fmt.Fprintf(&env, "\nInstructions from %s:\n%s\n", m.path, m.text)
	}
	id := identity
	if o.SystemPrompt != "" {
		id = o.SystemPrompt
	}
	blocks := []string{id, strings.TrimRight(env.String(), "\n")}
	if o.AppendSystemPrompt != "" {
		blocks = append(blocks, o.AppendSystemPrompt)
	}
	return blocks
}

type memory struct{ path, text string }

// MemoryFile is one instruction file in force for a session.
type MemoryFile struct {
	// Path is where basalt found the file.
	Path string
	// RealPath is Path with symlinks resolved: the file whose text is
	// sent, under this name.
	RealPath string
	// DuplicateOf is set when Path is the same file as one found before
	// it (in real repositories CLAUDE.md is often a symlink to AGENTS.md):
	// the earlier path, whose text is sent once, under that name.
	DuplicateOf string
}

// MemoryFiles lists the memory files of a session in the order they are
// read: the user-level ones, then those of each directory from the
// project root down to the working directory. Only files that exist are
// listed. A file reached twice (a symlink, a hard link) is read once, by
// the first path that reaches it; the later paths say which file they
// repeat. /memory and config show list these.
func MemoryFiles(userMemory []string, projectRoot, workDir string) []MemoryFile {
	var out []MemoryFile
	var seen []struct {
		path string
		info os.FileInfo
	}
	add := func(path string) {
		info, err := os.Stat(path)
		if err != nil || !info.Mode().IsRegular() {
			return
		}
		for _, s := range seen {
			if os.SameFile(s.info, info) {
				out = append(out, MemoryFile{Path: path, DuplicateOf: s.path})
				return
			}
		}
		seen = append(seen, struct {
			path string
			info os.FileInfo
		}{path, info})
		real, err := filepath.EvalSymlinks(path)
		if err != nil {
			real = path
		}
		out = append(out, MemoryFile{Path: path, RealPath: real})
	}
	for _, p := range userMemory {
		add(p)
	}
	root := projectRoot
	if root == "" {
		root = workDir
	}
	dirs := []string{workDir}
	for d := workDir; d != root && strings.HasPrefix(d, root); {
		parent := filepath.Dir(d)
		if parent == d {
			break
		}
		d = parent
		dirs = append([]string{d}, dirs...)
	}
	for _, d := range dirs {
		for _, name := range memoryFiles {
			add(filepath.Join(d, name))
		}
	}
	return out
}

// readMemory returns the user-level memory files, then the project's from
// the root down to the working directory, so the closest file comes last
// and wins where they disagree. Each file is read once (MemoryFiles).
func readMemory(o *Options) []memory {
	var out []memory
	for _, f := range MemoryFiles(o.UserMemory, o.ProjectRoot, o.WorkDir) {
		if f.DuplicateOf != "" {
			continue
		}
		b, err := os.ReadFile(f.RealPath)
		if err != nil || len(strings.TrimSpace(string(b))) == 0 {
			continue
		}
		if len(b) > maxMemoryBytes {
			b = append(b[:maxMemoryBytes], "\n[truncated]"...)
		}
		out = append(out, memory{f.RealPath, strings.TrimSpace(string(b))})
	}
	return out
}

// StartGitStatus starts gitStatus in dir now and returns a function that
// waits for its answer: a session builder runs it while other work (the
// credentials, the configuration) goes on.
func StartGitStatus(ctx context.Context, dir string) func() string {
	done := make(chan string, 1)
	go func() { done <- gitStatus(ctx, dir) }()
	return sync.OnceValue(func() string { return <-done })
}

// gitStatus is a short `git status`, or "" outside a repository. It is
// bounded in time: the session must not wait on a slow filesystem.
func gitStatus(ctx context.Context, dir string) string {
	ctx, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, "git", "status", "--short", "--branch")
	cmd.Dir = dir
	out, err := cmd.Output()
	if err != nil {
		return ""
	}
	lines := strings.Split(strings.TrimRight(string(out), "\n"), "\n")
	if len(lines) > 30 {
		lines = append(lines[:30], fmt.Sprintf("… and %d more", len(lines)-30))
	}
	return "  " + strings.Join(lines, "\n  ")
}
