//go:build !windows

package awsauth

import (
	"os/exec"
	"syscall"
)

// shellArgv runs a settings command, which is written for the shell.
var shellArgv = []string{"/bin/sh", "-c"}

// inOwnGroup starts cmd in its own process group and makes cancellation
// kill the whole group.
func inOwnGroup(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Cancel = func() error {
		if cmd.Process == nil {
			return nil
		}
		return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
	}
}
