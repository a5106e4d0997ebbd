//go:build windows

package hooks

import "os/exec"

// inGroup kills the hook's process on a timeout; Windows has no process
// groups to reach its children.
func inGroup(cmd *exec.Cmd) {
	cmd.Cancel = func() error { return cmd.Process.Kill() }
}

// shellArgs runs a command line with Git Bash's bash, as Claude Code does
// on Windows.
func shellArgs(command string) []string { return []string{"bash", "-c", command} }
