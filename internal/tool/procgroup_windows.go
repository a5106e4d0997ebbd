//go:build windows

package tool

import (
	"errors"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
)

// groupAttr starts a command in a new process group, so that a Ctrl-C
// meant for basalt does not reach it.
func groupAttr() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{CreationFlags: syscall.CREATE_NEW_PROCESS_GROUP}
}

// joinGroup gives a command built elsewhere a new process group. The
// sandbox does not run on Windows, so this only keeps the build whole.
func joinGroup(cmd *exec.Cmd) {
	if cmd.SysProcAttr == nil {
		cmd.SysProcAttr = groupAttr()
	}
}

// signalGroup stops cmd's process and its descendants. Windows has no
// signals to send to a group, so every signal ends the tree, through
// taskkill /T (part of Windows) and, failing that, the process alone.
func signalGroup(cmd *exec.Cmd, _ syscall.Signal) error {
	if cmd.Process == nil {
		return nil
	}
	pid := strconv.Itoa(cmd.Process.Pid)
	if err := exec.Command("taskkill", "/T", "/F", "/PID", pid).Run(); err == nil {
		return nil
	}
	err := cmd.Process.Kill()
	if errors.Is(err, os.ErrProcessDone) {
		return nil
	}
	return err
}

// keepOwner does nothing: Windows files have no Unix owner to keep.
func keepOwner(*os.File, fs.FileInfo) {}

// isExecutable reports whether a file may be run: on Windows that is
// decided by its extension.
func isExecutable(path string, _ fs.FileInfo) bool {
	switch strings.ToLower(filepath.Ext(path)) {
	case ".exe", ".com", ".bat", ".cmd":
		return true
	}
	return false
}

// exeName is the file name of the program name.
func exeName(name string) string {
	if filepath.Ext(name) == "" {
		return name + ".exe"
	}
	return name
}

// errNoGitBash is what the Bash tool answers when there is no bash to
// run commands with.
var errNoGitBash = errors.New("the Bash tool needs Git Bash on Windows: install Git for Windows (https://git-scm.com/downloads/win) or set CLAUDE_CODE_GIT_BASH_PATH to its bash.exe, e.g. C:\\Program Files\\Git\\bin\\bash.exe")

// findShell finds Git Bash as Claude Code does: CLAUDE_CODE_GIT_BASH_PATH
// when set, else the bash.exe beside the git.exe on PATH, else the usual
// Git for Windows install places. WSL's bash.exe in System32 is not it
// (it runs commands in another system), so PATH is not searched for bash.
func findShell(env []string) (string, error) {
	if p := envValue(env, "CLAUDE_CODE_GIT_BASH_PATH"); p != "" {
		if fi, err := os.Stat(p); err == nil && fi.Mode().IsRegular() {
			return p, nil
		}
		return "", errors.New("CLAUDE_CODE_GIT_BASH_PATH is " + p + ", which is not a file; point it at Git Bash's bash.exe")
	}
	var candidates []string
	if git := lookPath("git", env); git != "" {
		// git.exe is in <Git>\cmd or <Git>\bin; bash.exe in <Git>\bin.
		root := filepath.Dir(filepath.Dir(git))
		candidates = append(candidates, filepath.Join(root, "bin", "bash.exe"))
	}
	for _, v := range []string{"ProgramFiles", "ProgramW6432", "ProgramFiles(x86)"} {
		if d := envValue(env, v); d != "" {
			candidates = append(candidates, filepath.Join(d, "Git", "bin", "bash.exe"))
		}
	}
	if d := envValue(env, "LOCALAPPDATA"); d != "" {
		candidates = append(candidates, filepath.Join(d, "Programs", "Git", "bin", "bash.exe"))
	}
	for _, c := range candidates {
		if fi, err := os.Stat(c); err == nil && fi.Mode().IsRegular() {
			return c, nil
		}
	}
	return "", errNoGitBash
}

// pwdCommand prints the shell's working directory as a Windows path
// (C:/Users/…): Git Bash's pwd -W, since -P would give /c/Users/….
const pwdCommand = "pwd -W"
