//go:build !windows

package hooks

import (
	"errors"
	"os/exec"
	"syscall"
)

// inGroup makes cmd the leader of a new process group, so that killing
// the group on a timeout reaches everything the hook started.
func inGroup(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Cancel = func() error {
		err := syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
		if errors.Is(err, syscall.ESRCH) {
			return nil
		}
		return err
	}
}

// shellArgs runs a command line the way Claude Code does on POSIX
// systems (Node's spawn with shell: true): /bin/sh -c.
func shellArgs(command string) []string { return []string{"/bin/sh", "-c", command} }
