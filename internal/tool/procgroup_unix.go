//go:build !windows

package tool

import (
	"errors"
	"io/fs"
	"os"
	"os/exec"
	"syscall"
)

// groupAttr makes a command the leader of a new process group, so that
// a signal to the group reaches everything it started.
func groupAttr() *syscall.SysProcAttr { return &syscall.SysProcAttr{Setpgid: true} }

// joinGroup makes cmd, built elsewhere (the sandbox), lead a new process
// group too, keeping whatever else its SysProcAttr asks for.
func joinGroup(cmd *exec.Cmd) {
	if cmd.SysProcAttr == nil {
		cmd.SysProcAttr = groupAttr()
		return
	}
	cmd.SysProcAttr.Setpgid = true
}

// signalGroup sends sig to the process group led by cmd's process.
func signalGroup(cmd *exec.Cmd, sig syscall.Signal) error {
	if cmd.Process == nil {
		return nil
	}
	err := syscall.Kill(-cmd.Process.Pid, sig)
	if errors.Is(err, syscall.ESRCH) {
		return nil
	}
	return err
}

// keepOwner gives f the owner of the file fi describes, when that is not
// us. Only possible with privileges; a failure leaves our ownership,
// which is the best an unprivileged writer can do.
func keepOwner(f *os.File, fi fs.FileInfo) {
	if st, ok := fi.Sys().(*syscall.Stat_t); ok && (int(st.Uid) != os.Getuid() || int(st.Gid) != os.Getgid()) {
		_ = f.Chown(int(st.Uid), int(st.Gid))
	}
}

// isExecutable reports whether a regular file may be run.
func isExecutable(_ string, fi fs.FileInfo) bool { return fi.Mode()&0o111 != 0 }

// exeName is the file name of the program name.
func exeName(name string) string { return name }

// findShell returns the bash that runs commands: the first on PATH, else
// /bin/bash (whose absence the Bash tool reports when it starts it).
func findShell(env []string) (string, error) {
	if p := lookPath("bash", env); p != "" {
		return p, nil
	}
	return "/bin/bash", nil
}

// pwdCommand prints the shell's working directory in the form basalt
// reads paths in.
const pwdCommand = "pwd -P"
