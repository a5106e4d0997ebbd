package mcp

import (
	"os/exec"
	"syscall"
)

// childAttr: Windows servers end when their stdin closes.
func childAttr() *syscall.SysProcAttr { return nil }

// killGroup ends a stdio server.
func killGroup(cmd *exec.Cmd) {
	if cmd.Process != nil {
		_ = cmd.Process.Kill()
	}
}
