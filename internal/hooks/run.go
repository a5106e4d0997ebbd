package hooks

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"sync"
	"time"

	"github.com/basalt-dev/basalt/internal/config"
)

// Options configure a [Runner].
type Options struct {
	// ProjectDir is the project root: the hooks' working directory and
	// the value of CLAUDE_PROJECT_DIR and BASALT_PROJECT_DIR.
	ProjectDir string
	// Env is the environment of the commands (the harness passes the one
	// its tools get, without the model access secrets); nil means the
	// process environment.
	Env []string
	// Log, when set, is called once per hook run, from the goroutine
	// that ran it; it must be safe for concurrent use.
	Log func(Record)
	// MaxOutput caps what is kept of each of stdout and stderr
	// (default 1 MiB); the rest is dropped.
	MaxOutput int
	// Wrap, when set, builds each hook's command (shell -c script in dir
	// with env) instead of running the shell directly: the OS sandbox
	// (sandbox.basaltHooks). Its error fails the hook; it never runs
	// unwrapped. A nil command and error run the hook directly (the
	// sandbox is off for the session).
	Wrap func(ctx context.Context, shell, script, dir string, env []string) (*exec.Cmd, error)
}

// Record is the log line of one hook run.
type Record struct {
	Event    Event
	Command  string // redacted: config.RedactText
	Source   Source
	Duration time.Duration
	ExitCode int // -1 when killed or not started
	TimedOut bool
	Err      error // it could not start
}

// Result is what one hook did.
type Result struct {
	Hook     Hook
	ExitCode int // -1 when killed or not started
	Stdout   string
	Stderr   string
	Duration time.Duration
	TimedOut bool  // its timeout killed it
	Canceled bool  // the caller's context ended first
	Err      error // it could not start
}

// Runner runs the hooks of a [Set]. It is safe for concurrent use.
type Runner struct {
	opt Options
	mu  sync.RWMutex
	set *Set
}

// NewRunner returns a runner of set, the session's snapshot.
func NewRunner(set *Set, opt Options) *Runner {
	if opt.MaxOutput <= 0 {
		opt.MaxOutput = 1 << 20
	}
	return &Runner{opt: opt, set: set}
}

// Set returns the hooks the runner runs now.
func (r *Runner) Set() *Set {
	r.mu.RLock()
	defer r.mu.RUnlock()
	return r.set
}

// Replace makes set the hooks to run from now on: call it once the user
// has reviewed [Diff] of a settings change.
func (r *Runner) Replace(set *Set) {
	r.mu.Lock()
	r.set = set
	r.mu.Unlock()
}

// Has reports whether any hook is configured for ev, so that a caller can
// skip building an input nobody reads.
func (r *Runner) Has(ev Event) bool {
	for _, h := range r.Set().Hooks {
		if h.Event == ev {
			return true
		}
	}
	return false
}

// matching returns the hooks of ev whose matcher selects in, without
// repeating a command (Claude Code runs identical commands once).
func (r *Runner) matching(ev Event, in map[string]any) []Hook {
	value, hasField := matchValue(ev, in)
	seen := map[string]bool{}
	var out []Hook
	for _, h := range r.Set().Hooks {
		if h.Event != ev || hasField && !h.match.match(value) || seen[h.Command] {
			continue
		}
		seen[h.Command] = true
		out = append(out, h)
	}
	return out
}

// Run runs every hook of ev whose matcher selects in, all at once, each
// with its timeout, and combines their results (see [Outcome]). It
// returns when all have ended; cancelling ctx kills them. A hook that
// cannot start, times out or fails is reported in the Outcome, never as
// an error: hooks do not stop a session by failing.
func (r *Runner) Run(ctx context.Context, ev Event, in Input) Outcome {
	in.HookEventName = ev
	obj, stdin, err := in.object()
	if err != nil {
		return Outcome{Event: ev, Errors: []string{"hook input: " + err.Error()}}
	}
	// One copy with its newline, read by every hook: appending per hook
	// would share (and race on) the spare capacity of stdin.
	stdin = append(stdin[:len(stdin):len(stdin)], '\n')
	hooks := r.matching(ev, obj)
	results := make([]Result, len(hooks))
	var wg sync.WaitGroup
	for i, h := range hooks {
		wg.Go(func() { results[i] = r.run(ctx, h, stdin) })
	}
	wg.Wait()
	return combine(ev, results)
}

func (r *Runner) run(ctx context.Context, h Hook, stdin []byte) Result {
	start := time.Now()
	tctx, cancel := context.WithTimeout(ctx, h.timeout())
	defer cancel()
	args := shellArgs(h.Command)
	dir := r.opt.ProjectDir
	if st, err := os.Stat(dir); err != nil || !st.IsDir() {
		dir = "" // as Claude Code: fall back to the working directory
	}
	env := r.opt.Env
	if env == nil {
		env = os.Environ()
	}
	env = append(append([]string(nil), env...), "CLAUDE_PROJECT_DIR="+r.opt.ProjectDir, "BASALT_PROJECT_DIR="+r.opt.ProjectDir)
	var cmd *exec.Cmd
	if r.opt.Wrap != nil && len(args) == 3 {
		wrapped, err := r.opt.Wrap(tctx, args[0], args[2], dir, env)
		if err != nil {
			return Result{Hook: h, ExitCode: -1, Err: fmt.Errorf("sandbox: %w", err), Duration: time.Since(start)}
		}
		cmd = wrapped
	}
	if cmd == nil {
		cmd = exec.CommandContext(tctx, args[0], args[1:]...)
		cmd.Dir, cmd.Env = dir, env
	}
	inGroup(cmd)
	cmd.WaitDelay = 2 * time.Second // a grandchild that left the group may hold the pipes
	cmd.Stdin = bytes.NewReader(stdin)
	stdout, stderr := &capped{max: r.opt.MaxOutput}, &capped{max: r.opt.MaxOutput}
	cmd.Stdout, cmd.Stderr = stdout, stderr
	err := cmd.Run()
	res := Result{Hook: h, ExitCode: -1, Stdout: stdout.String(), Stderr: stderr.String(), Duration: time.Since(start)}
	var exitErr *exec.ExitError
	switch {
	case err == nil || errors.As(err, &exitErr):
		res.ExitCode = cmd.ProcessState.ExitCode()
	case cmd.ProcessState == nil:
		res.Err = err
	}
	if tctx.Err() != nil && (res.ExitCode < 0 || err != nil) {
		if ctx.Err() != nil {
			res.Canceled = true
		} else {
			res.TimedOut = true
		}
		res.ExitCode = -1
	}
	if r.opt.Log != nil {
		r.opt.Log(Record{Event: h.Event, Command: config.RedactText(h.Command), Source: h.Source, Duration: res.Duration, ExitCode: res.ExitCode, TimedOut: res.TimedOut, Err: res.Err})
	}
	return res
}

// capped keeps the first max bytes written to it.
type capped struct {
	max int
	buf bytes.Buffer
}

func (c *capped) Write(p []byte) (int, error) {
	if room := c.max - c.buf.Len(); room > 0 {
		c.buf.Write(p[:min(room, len(p))])
	}
	return len(p), nil
}

func (c *capped) String() string { return c.buf.String() }
