//go:build windows

package awsauth

import (
	"os/exec"
	"strconv"
	"syscall"
)

// shellArgv runs a settings command with Windows' own shell, as the AWS
// CLI runs credential_process there.
var shellArgv = []string{"cmd.exe", "/C"}

// inOwnGroup starts cmd in a new process group and makes cancellation
// end its whole tree (taskkill /T), Windows having no group signals.
func inOwnGroup(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{CreationFlags: syscall.CREATE_NEW_PROCESS_GROUP}
	cmd.Cancel = func() error {
		if cmd.Process == nil {
			return nil
		}
		if err := exec.Command("taskkill", "/T", "/F", "/PID", strconv.Itoa(cmd.Process.Pid)).Run(); err == nil {
			return nil
		}
		return cmd.Process.Kill()
	}
}
