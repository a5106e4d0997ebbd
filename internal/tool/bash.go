package tool

import (
	"context"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"time"
)

//go:embed bash.md
var bashDescription string

// Bash timeouts.
const (
	bashDefaultTimeout = 2 * time.Minute
	bashMaxTimeout     = 10 * time.Minute
)

// Bash runs a command with bash in the session's working directory.
type Bash struct{}

type bashInput struct {
	Command         string `json:"command"`
	Timeout         *int64 `json:"timeout,omitempty"` // milliseconds
	Description     string `json:"description,omitempty"`
	RunInBackground bool   `json:"run_in_background,omitempty"`
	// DangerouslyDisableSandbox is Claude Code's field: run outside the
	// OS sandbox. The permission checker always asks the user first.
	DangerouslyDisableSandbox bool `json:"dangerouslyDisableSandbox,omitempty"`
}

// BashDisplay is the Display of Bash.
type BashDisplay struct {
	Command      string
	Description  string
	WorkDir      string // where the command ran
	ExitCode     int    // -1 when killed by a signal or timed out
	Duration     time.Duration
	TimedOut     bool
	Truncated    bool   // output was longer than the result carries
	BackgroundID string // set for run_in_background
	Sandboxed    bool   // ran inside the OS sandbox
}

func (Bash) Name() string        { return "Bash" }
func (Bash) Description() string { return bashDescription }
func (Bash) ReadOnly() bool      { return false }
func (Bash) InputSchema() json.RawMessage {
	return json.RawMessage(`{
  "type": "object",
  "properties": {
    "command": {"type": "string", "description": "The command to run"},
    "timeout": {"type": "number", "description": "Timeout in milliseconds (default 120000, at most 600000)"},
    "description": {"type": "string", "description": "What the command does, in 5-10 words"},
    "run_in_background": {"type": "boolean", "description": "Start the command and return at once; read its output later with BashOutput"},
    "dangerouslyDisableSandbox": {"type": "boolean", "description": "Set this to true to dangerously override sandbox mode and run commands without sandboxing."}
  },
  "required": ["command"],
  "additionalProperties": false
}`)
}

func (Bash) Run(ctx context.Context, s *Session, input json.RawMessage) (Result, error) {
	var in bashInput
	if res, ok := decodeInput(input, &in); !ok {
		return res, nil
	}
	if strings.TrimSpace(in.Command) == "" {
		return errorf("command is empty"), nil
	}
	timeout := bashDefaultTimeout
	if in.Timeout != nil {
		if *in.Timeout <= 0 {
			return errorf("timeout must be a positive number of milliseconds"), nil
		}
		timeout = time.Duration(*in.Timeout) * time.Millisecond
		if timeout > bashMaxTimeout {
			return errorf("timeout %d ms is over the maximum of %d ms (10 minutes); use run_in_background for longer commands", *in.Timeout, bashMaxTimeout.Milliseconds()), nil
		}
	}
	if err := ctx.Err(); err != nil {
		return cancelled(""), err
	}
	if s.shellErr != nil {
		return errorf("%s", s.shellErr), nil
	}
	dir, note := s.commandDir()
	disp := &BashDisplay{Command: in.Command, Description: in.Description, WorkDir: dir}

	if in.RunInBackground {
		sh, refusal, err := s.startBackground(ctx, dir, in.Command, in.DangerouslyDisableSandbox)
		if refusal != "" {
			return errorf("%s", refusal), nil
		}
		if err != nil {
			if errors.Is(err, errClosed) {
				return Result{}, err
			}
			return errorf("cannot start command: %s", err), nil
		}
		disp.BackgroundID = sh.id
		disp.Sandboxed = sh.sandboxed
		return Result{
			Content: note + fmt.Sprintf("Started in the background with ID %s. Read its output with BashOutput and stop it with KillBash.", sh.id),
			Display: disp,
		}, nil
	}

	cwdFile, err := os.CreateTemp(s.tempDir, "basalt-cwd-*")
	if err != nil {
		return Result{}, fmt.Errorf("bash: create cwd file: %w", err)
	}
	cwdFile.Close()
	defer os.Remove(cwdFile.Name())
	// The EXIT trap records where the command ended up, even after an
	// explicit exit, without touching its output.
	// It shares the command's first line, so bash's error messages keep
	// the command's line numbers.
	script := "trap " + shellQuote(pwdCommand+" >| "+shellQuote(cwdFile.Name())) + " EXIT; " + in.Command

	runCtx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	out := newHeadTail(maxCommandOutput)
	placed, err := s.placeCommand(runCtx, in.Command, script, dir, in.DangerouslyDisableSandbox)
	if err != nil {
		return Result{}, err
	}
	if placed.Refusal != "" {
		return errorf("%s", placed.Refusal), nil
	}
	cmd := placed.Cmd
	var release func()
	if cmd != nil {
		disp.Sandboxed = true
		release = s.sandboxedCommand(cmd, out)
	} else {
		cmd = exec.CommandContext(runCtx, s.shellPath)
		if release, err = s.shellCommand(cmd, dir, script, out); err != nil {
			return Result{}, err
		}
	}
	if cmd.Env != nil { // nil would be the whole process environment, which TRACEPARENT alone must not replace
		cmd.Env = withTraceParent(ctx, cmd.Env)
	}
	// SIGTERM reaches the process group; a supervisor passes it on to the
	// rest of the tree and SIGKILLs what is left after killGrace.
	cmd.Cancel = func() error { return signalGroup(cmd, syscall.SIGTERM) }
	start := time.Now()
	err = cmd.Run()
	release()
	disp.Duration = time.Since(start)
	interrupted := runCtx.Err() != nil
	if interrupted || errors.Is(err, exec.ErrWaitDelay) {
		// Whatever is left of the group (children that ignored SIGTERM or
		// still hold the output open) goes now.
		_ = signalGroup(cmd, syscall.SIGKILL)
	}
	var startErr *os.PathError
	if errors.As(err, &startErr) && cmd.ProcessState == nil {
		return errorf("cannot start bash: %s", describeFSError(err)), nil
	}
	disp.ExitCode, _ = exitStatus(err)
	disp.Truncated = out.Len() > maxCommandOutput

	var b strings.Builder
	b.WriteString(note)
	output := out.String()
	switch {
	case ctx.Err() != nil:
		return cancelled(strings.TrimRight(output, "\n")), ctx.Err()
	case interrupted:
		disp.TimedOut = true
		disp.ExitCode = -1
		fmt.Fprintf(&b, "Command timed out after %s and was killed.\n", timeout)
	}
	if output == "" {
		b.WriteString("(no output)\n")
	} else {
		b.WriteString(output)
		if !strings.HasSuffix(output, "\n") {
			b.WriteByte('\n')
		}
	}
	if code, desc := exitStatus(err); code != 0 && !interrupted {
		fmt.Fprintf(&b, "[%s]\n", desc)
		if placed.Explain != nil {
			if why := placed.Explain(code, output); why != "" {
				fmt.Fprintf(&b, "[sandbox] %s\n", why)
			}
		}
	}
	b.WriteString(s.followCD(dir, cwdFile.Name()))
	return Result{
		Content: strings.TrimRight(b.String(), "\n"),
		IsError: interrupted || disp.ExitCode != 0,
		Display: disp,
	}, nil
}

// commandDir returns the directory to run in. When the working directory
// has disappeared it falls back to the first allowed directory and says so.
func (s *Session) commandDir() (string, string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if fi, err := os.Stat(s.workDir); err == nil && fi.IsDir() {
		return s.workDir, ""
	}
	old := s.workDir
	s.workDir = s.allowed[0]
	return s.workDir, fmt.Sprintf("(The working directory %s no longer exists; running in %s.)\n", old, s.workDir)
}

// followCD moves the session's working directory to where the command
// left its shell, unless that is outside the allowed directories. It
// returns a note for the model when something needs saying.
func (s *Session) followCD(ranIn, cwdFile string) string {
	data, err := os.ReadFile(cwdFile)
	// Git Bash on Windows writes C:/Users/…; FromSlash does nothing on Unix.
	dir := filepath.FromSlash(strings.TrimSuffix(string(data), "\n"))
	if err != nil || dir == "" || dir == ranIn || dir == realPath(ranIn) {
		return ""
	}
	if !s.inAllowed(dir) {
		return fmt.Sprintf("\nThe working directory was reset to %s: %s is outside the allowed directories (%s).",
			ranIn, dir, strings.Join(s.allowedList(), ", "))
	}
	s.mu.Lock()
	s.workDir = dir
	s.mu.Unlock()
	return ""
}

// allowedList returns the allowed directories as configured (without the
// symlink-resolved duplicates).
func (s *Session) allowedList() []string {
	var out []string
	for i, d := range s.allowed {
		if i > 0 && realPath(d) == realPath(s.allowed[i-1]) {
			continue
		}
		out = append(out, d)
	}
	return out
}

// shellQuote quotes s for bash as one word.
func shellQuote(s string) string {
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
