package awsauth

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os/exec"
	"strings"
	"time"
)

// shellCommand builds a command run through the shell, with stdin closed
// and its own process group, so a timeout or cancellation kills the
// command and everything it started (a browser helper, an SSO poller).
func shellCommand(ctx context.Context, command string, env []string) *exec.Cmd {
	cmd := exec.CommandContext(ctx, shellArgv[0], append(shellArgv[1:], command)...)
	cmd.Env = env
	cmd.Stdin = nil // /dev/null: these commands must never wait for input
	inOwnGroup(cmd)
	cmd.WaitDelay = 2 * time.Second
	return cmd
}

// runCaptured runs command and returns its stdout. stderr is kept only to
// name the failure; neither is ever printed, because the output of
// awsCredentialExport is a secret.
func runCaptured(ctx context.Context, command string, env []string, timeout time.Duration) ([]byte, error) {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	cmd := shellCommand(ctx, command, env)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	switch {
	case ctx.Err() == context.DeadlineExceeded:
		return nil, fmt.Errorf("timed out after %s", timeout)
	case err != nil:
		return nil, commandFailure(err)
	}
	return stdout.Bytes(), nil
}

// runStreamed runs command with its stdout and stderr sent line by line to
// out, for awsAuthRefresh, whose output (a device code, a URL to open) the
// user must see while it runs.
func runStreamed(ctx context.Context, command string, env []string, timeout time.Duration, out func(string)) error {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	cmd := shellCommand(ctx, command, env)
	pr, pw := io.Pipe()
	cmd.Stdout, cmd.Stderr = pw, pw
	done := make(chan struct{})
	go func() {
		defer close(done)
		sc := bufio.NewScanner(pr)
		sc.Buffer(make([]byte, 64*1024), 1024*1024)
		for sc.Scan() {
			if out != nil {
				out(sc.Text())
			}
		}
		_, _ = io.Copy(io.Discard, pr)
	}()
	err := cmd.Run()
	pw.Close()
	<-done
	switch {
	case ctx.Err() == context.DeadlineExceeded:
		return fmt.Errorf("timed out after %s", timeout)
	case err != nil:
		return commandFailure(err)
	}
	return nil
}

func commandFailure(err error) error {
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		if ee.ExitCode() == 127 {
			return errors.New("command not found (exit status 127)")
		}
		if ee.ExitCode() < 0 {
			return fmt.Errorf("killed (%s)", strings.TrimPrefix(ee.String(), "signal: "))
		}
		return fmt.Errorf("exit status %d", ee.ExitCode())
	}
	return err
}
