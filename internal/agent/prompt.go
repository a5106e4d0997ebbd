package agent

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"time"

	"github.com/basalt-dev/basalt/internal/memory"
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
	// Memory is read while git status may still be running.
	mem := readMemory(o)
	status := ""
	if o.GitStatus != nil {
		status = o.GitStatus()
	} else {
		status = gitStatus(ctx, o.WorkDir)
	}
	// Kept, so that subagents (SubagentOptions) describe the same
	// environment byte for byte and share a cached prefix.
	o.GitStatus = func() string { return status }
	if status != "" {
		fmt.Fprintf(&env, "- Git status at the start of the session:\n%s\n", status)
	}
	for _, m := range mem {
		fmt.Fprintf(&env, "\nInstructions from %s:\n%s\n", m.path, m.text)
	}
	id := styledIdentity(identity, o.Extensions.Style)
	if o.SystemPrompt != "" {
		id = o.SystemPrompt
	}
	blocks := []string{id, strings.TrimRight(env.String(), "\n")}
	if st := o.Extensions.Style; st != nil && st.Section != "" {
		blocks = append(blocks, st.Section)
	}
	if o.AppendSystemPrompt != "" {
		blocks = append(blocks, o.AppendSystemPrompt)
	}
	return blocks
}

type memoryBlock struct{ path, text string }

// readMemory loads the session's memory (internal/memory) into o.memory,
// which later loads what applies to files the model touches, and returns
// what is read at the start: user-level files, then the project's from
// the root down to the working directory, so the closest file comes last
// and wins where they disagree; each followed by its @path imports.
func readMemory(o *Options) []memoryBlock {
	var blocks []memory.Block
	o.memory, blocks = memory.Load(memory.Options{UserMemory: o.UserMemory, ProjectRoot: o.ProjectRoot, WorkDir: o.WorkDir})
	var out []memoryBlock
	for _, b := range blocks {
		path := b.Path
		if b.ImportedBy != "" {
			path += " (imported by " + b.ImportedBy + ")"
		}
		out = append(out, memoryBlock{path, b.Text})
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
	if !mayBeInRepository(dir) {
		return "" // what git would say, without starting it
	}
	ctx, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	// --no-optional-locks: status must not write the index (a refreshed
	// stat cache) behind the user's back, nor hold .git/index.lock while
	// their own git command runs; git's documentation asks it of status run
	// in the background. It may also outlive a basalt that exits early.
	cmd := exec.CommandContext(ctx, "git", "--no-optional-locks", "status", "--short", "--branch")
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

// mayBeInRepository reports whether git could find a repository for a
// command run in dir: GIT_DIR names one, or dir or a folder above it has
// a .git entry (a folder, or the file a worktree or submodule has). git
// searches the same way and may stop sooner (at a filesystem boundary,
// GIT_CEILING_DIRECTORIES), never later, so when this says no, `git
// status` would only have failed; starting it costs a process start
// (~5 ms here) that `basalt -p` outside a repository used to wait for.
// A bare repository or a .git folder itself has no work tree to report.
func mayBeInRepository(dir string) bool {
	// git inherits this process's environment (cmd.Env is nil), so this
	// is the GIT_DIR it would see; not a setting of basalt's.
	if os.Getenv("GIT_DIR") != "" {
		return true
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		return true // let git decide
	}
	for {
		if _, err := os.Lstat(filepath.Join(abs, ".git")); err == nil || !errors.Is(err, fs.ErrNotExist) {
			return true // found, or unreadable: let git decide
		}
		parent := filepath.Dir(abs)
		if parent == abs {
			return false
		}
		abs = parent
	}
}
