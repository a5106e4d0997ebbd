package tool

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/basalt-dev/basalt/internal/supervise"
)

// killGrace is how long a process group has between SIGTERM and SIGKILL,
// and how long a finished command's leftover children may keep its output
// open: the supervisor's grace.
const killGrace = supervise.KillGrace

// supervisedWaitDelay is how long a supervised command has between
// SIGTERM and exec's own SIGKILL: longer than the supervisor's grace, so
// that it is never killed while it still has a tree to stop.
const supervisedWaitDelay = 3 * killGrace

// shellCommand prepares cmd (made by exec.Command or exec.CommandContext
// for s.shellPath) to run script under bash in dir, in its own
// process group, with stdin closed and stdout and stderr going to out
// through one pipe (so they interleave as they were written). With a
// supervisor (see proctree.go) cmd starts the supervisor, which runs bash.
// The caller must call release once cmd.Wait has returned (or Start has
// failed): for a supervised command it closes the lifeline.
func (s *Session) shellCommand(cmd *exec.Cmd, dir, script string, out io.Writer) (release func(), err error) {
	cmd.Args = []string{"bash", "-c", script}
	cmd.Dir = dir
	cmd.Env = s.env
	cmd.Stdin = nil
	cmd.Stdout = out
	cmd.Stderr = out
	cmd.SysProcAttr = groupAttr()
	cmd.WaitDelay = killGrace
	if s.supervisor == "" {
		return func() {}, nil
	}
	// Only basalt holds the write end (os.Pipe makes both ends
	// close-on-exec; the read end is passed on as fd 3 alone), so the
	// supervisor reads end of file exactly when basalt is gone or done.
	r, w, err := os.Pipe()
	if err != nil {
		return nil, fmt.Errorf("bash: lifeline pipe: %w", err)
	}
	cmd.Path = s.supervisor
	cmd.Args = append([]string{superviseArgv0, SuperviseArg, s.shellPath}, cmd.Args...)
	cmd.ExtraFiles = []*os.File{r} // supervise.LifelineFD
	cmd.WaitDelay = supervisedWaitDelay
	return func() {
		r.Close()
		w.Close()
	}, nil
}

// placeCommand asks the sandbox, when there is one, where a command runs.
func (s *Session) placeCommand(ctx context.Context, command, script, dir string, unsandboxed bool) (SandboxedCommand, error) {
	if s.sandbox == nil {
		return SandboxedCommand{}, nil
	}
	return s.sandbox.Prepare(ctx, SandboxRequest{Command: command, Script: script, Shell: s.shellPath, Dir: dir, Env: s.env, Unsandboxed: unsandboxed})
}

// sandboxedCommand prepares a command the sandbox made, as shellCommand
// does a direct one: its own process group, stdin closed, stdout and
// stderr through one pipe. No supervisor: the sandbox's own PID
// namespace ends every process inside it with the command.
func (s *Session) sandboxedCommand(cmd *exec.Cmd, out io.Writer) (release func()) {
	cmd.Stdin = nil
	cmd.Stdout = out
	cmd.Stderr = out
	joinGroup(cmd)
	cmd.WaitDelay = killGrace
	// The files the sandbox handed the command are its own after exec;
	// this process's copies go once it has ended.
	return func() {
		for _, f := range cmd.ExtraFiles {
			f.Close()
		}
	}
}

// exitStatus describes how a finished command ended. code is -1 when it
// did not exit normally.
func exitStatus(err error) (code int, desc string) {
	if err == nil || errors.Is(err, exec.ErrWaitDelay) {
		return 0, ""
	}
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		if ws, ok := ee.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
			return -1, "killed by signal " + ws.Signal().String()
		}
		return ee.ExitCode(), fmt.Sprintf("exit code %d", ee.ExitCode())
	}
	return -1, err.Error()
}

// backgroundShell is a command started with run_in_background.
type backgroundShell struct {
	id        string
	command   string
	sandboxed bool
	started   time.Time
	cmd       *exec.Cmd
	out       *outputLog
	done      chan struct{} // closed when the command has ended

	mu     sync.Mutex
	err    error // from Wait, valid once done is closed
	killed bool
}

// startBackground starts script in dir and registers it under a new ID.
// A refusal (the sandbox will not run it) comes back as text for the
// model.
func (s *Session) startBackground(ctx context.Context, dir, script string, unsandboxed bool) (*backgroundShell, string, error) {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return nil, "", errClosed
	}
	s.nextShell++
	id := fmt.Sprintf("bash_%d", s.nextShell)
	s.mu.Unlock()

	sh := &backgroundShell{id: id, command: script, started: time.Now(), out: newOutputLog(), done: make(chan struct{})}
	// The command outlives the call: it ends with KillBash or the
	// session, not with the call's context.
	placed, err := s.placeCommand(context.WithoutCancel(ctx), script, script, dir, unsandboxed)
	if err != nil {
		return nil, "", err
	}
	if placed.Refusal != "" {
		return nil, placed.Refusal, nil
	}
	var release func()
	if placed.Cmd != nil {
		sh.cmd, sh.sandboxed = placed.Cmd, true
		release = s.sandboxedCommand(sh.cmd, sh.out)
	} else {
		sh.cmd = exec.Command(s.shellPath)
		if release, err = s.shellCommand(sh.cmd, dir, script, sh.out); err != nil {
			return nil, "", err
		}
	}
	if err := sh.cmd.Start(); err != nil {
		release()
		return nil, "", err
	}
	s.mu.Lock()
	s.shells[id] = sh
	closed := s.closed
	s.mu.Unlock()
	go func() {
		err := sh.cmd.Wait()
		release()
		sh.mu.Lock()
		sh.err = err
		sh.mu.Unlock()
		close(sh.done)
	}()
	if closed {
		sh.kill()
		<-sh.done
		return nil, "", errClosed
	}
	return sh, "", nil
}

func (s *Session) shell(id string) (*backgroundShell, []string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if sh, ok := s.shells[id]; ok {
		return sh, nil
	}
	ids := make([]string, 0, len(s.shells))
	for k := range s.shells {
		ids = append(ids, k)
	}
	return nil, ids
}

// kill stops the shell's whole process group: SIGTERM, then SIGKILL after
// killGrace (a supervisor, which stops the tree itself, gets
// supervisedWaitDelay: killed earlier, it would leave the tree to init).
// It returns once the command has ended.
func (sh *backgroundShell) kill() {
	select {
	case <-sh.done:
		return
	default:
	}
	sh.mu.Lock()
	sh.killed = true
	sh.mu.Unlock()
	_ = signalGroup(sh.cmd, syscall.SIGTERM)
	// WaitDelay is the grace shellCommand chose: longer for a supervisor,
	// which must have time to stop its tree.
	t := time.NewTimer(sh.cmd.WaitDelay)
	defer t.Stop()
	select {
	case <-sh.done:
	case <-t.C:
	}
	// Children that ignored SIGTERM, or outlived the leader, go now.
	_ = signalGroup(sh.cmd, syscall.SIGKILL)
	<-sh.done
}

// status describes the shell's state.
func (sh *backgroundShell) status() string {
	select {
	case <-sh.done:
	default:
		return fmt.Sprintf("running (for %s)", time.Since(sh.started).Round(time.Second))
	}
	sh.mu.Lock()
	defer sh.mu.Unlock()
	if sh.killed {
		return "killed"
	}
	_, desc := exitStatus(sh.err)
	if desc == "" {
		desc = "exit code 0"
	}
	return "exited, " + desc
}

// outputLogMax bounds the unread output of a background shell; older
// unread output is dropped first.
const outputLogMax = 1 << 20

// outputLog collects a background command's output until BashOutput reads
// it. It is safe for concurrent use.
type outputLog struct {
	mu      sync.Mutex
	unread  []byte
	dropped int64
}

func newOutputLog() *outputLog { return &outputLog{} }

func (l *outputLog) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.unread = append(l.unread, p...)
	if over := len(l.unread) - outputLogMax; over > 0 {
		l.dropped += int64(over)
		l.unread = append(l.unread[:0], l.unread[over:]...)
	}
	return len(p), nil
}

// take returns the output written since the last take and how many bytes
// were dropped because nobody read them in time. With a filter, only
// matching lines are returned; an unfinished last line waits for its end
// unless final is set (the command has ended).
func (l *outputLog) take(filter *regexp.Regexp, final bool) (string, int64) {
	l.mu.Lock()
	defer l.mu.Unlock()
	data := l.unread
	dropped := l.dropped
	l.dropped = 0
	if filter == nil {
		l.unread = nil
		return string(data), dropped
	}
	end := strings.LastIndexByte(string(data), '\n') + 1
	if final {
		end = len(data)
	}
	var kept []string
	for _, line := range strings.SplitAfter(string(data[:end]), "\n") {
		if line != "" && filter.MatchString(strings.TrimSuffix(line, "\n")) {
			kept = append(kept, line)
		}
	}
	l.unread = append([]byte(nil), data[end:]...)
	return strings.Join(kept, ""), dropped
}
