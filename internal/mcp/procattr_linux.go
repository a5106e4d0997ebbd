package mcp

import (
	"os/exec"
	"syscall"
)

// childAttr puts a stdio server in its own process group (so Close can
// end everything it started) and asks the kernel to kill it when basalt
// dies, even by SIGKILL: no server outlives the session.
func childAttr() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL}
}

// killGroup ends a stdio server and everything it started.
func killGroup(cmd *exec.Cmd) {
	if cmd.Process != nil {
		_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
	}
}
