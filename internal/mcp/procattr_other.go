//go:build !linux && !windows

package mcp

import (
	"os/exec"
	"syscall"
)

// childAttr puts a stdio server in its own process group. Other systems
// have no parent-death signal; a server there ends when its stdin
// closes, which happens when basalt exits.
func childAttr() *syscall.SysProcAttr { return &syscall.SysProcAttr{Setpgid: true} }

// killGroup ends a stdio server and everything it started.
func killGroup(cmd *exec.Cmd) {
	if cmd.Process != nil {
		_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
	}
}
