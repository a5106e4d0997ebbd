//go:build linux

package supervise

import (
	"fmt"
	"io"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// prSetChildSubreaper is PR_SET_CHILD_SUBREAPER from <linux/prctl.h>.
const prSetChildSubreaper = 36

// killPoll is how often the supervisor sends SIGKILL again to a tree that
// is still there (a child forking while it is being killed).
const killPoll = 10 * time.Millisecond

// Run runs the command args (PATH ARGV0 ARG...) as the supervisor
// described in the package comment and returns the exit code for the program to
// exit with. When the command was killed by SIGTERM, SIGINT, SIGHUP or
// SIGKILL it does not return: the supervisor dies by the same signal.
//
// Its lifeline is file descriptor 3; end of file (or no such descriptor)
// kills the tree at once. Its stdin, stdout and stderr are the command's.
func Run(args []string) int {
	if len(args) < 2 {
		fmt.Fprintf(os.Stderr, "basalt: %s: want PATH ARGV0 [ARG...]\n", Arg)
		return 2
	}
	if _, _, errno := syscall.RawSyscall(syscall.SYS_PRCTL, prSetChildSubreaper, 1, 0); errno != 0 {
		// Without it an orphan would escape to init: refuse rather than run
		// a command basalt could not stop.
		fmt.Fprintf(os.Stderr, "basalt: %s: become child subreaper: %v\n", Arg, errno)
		return 126
	}
	sigs := make(chan os.Signal, 4)
	signal.Notify(sigs, syscall.SIGTERM, syscall.SIGINT, syscall.SIGHUP)

	lifeline := make(chan struct{})
	syscall.CloseOnExec(LifelineFD)
	go func() {
		_, _ = io.Copy(io.Discard, os.NewFile(LifelineFD, "lifeline"))
		close(lifeline)
	}()

	shell, err := os.StartProcess(args[0], args[1:], &os.ProcAttr{
		Files: []*os.File{os.Stdin, os.Stdout, os.Stderr},
		// The shell gets a process group of its own, so that `kill 0` in
		// the command does not reach the supervisor. If the supervisor is
		// killed all the same (kill -9 $PPID), the shell at least goes
		// with it.
		Sys: &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL},
	})
	if err != nil {
		fmt.Fprintf(os.Stderr, "basalt: %s: %v\n", Arg, err)
		return 127
	}
	shellDone := make(chan shellExit, 1)
	allGone := make(chan struct{})
	go reap(shell.Pid, shellDone, allGone)

	var (
		status    syscall.WaitStatus
		stopping  bool             // SIGTERM sent to the tree
		grace     <-chan time.Time // then SIGKILL
		killTick  <-chan time.Time
		killTimer *time.Ticker
	)
	stop := func() {
		if !stopping {
			stopping = true
			signalTree(syscall.SIGTERM)
			grace = time.After(KillGrace)
		}
	}
	kill := func() {
		signalTree(syscall.SIGKILL)
		if killTimer == nil {
			killTimer = time.NewTicker(killPoll)
			killTick = killTimer.C
		}
	}
	for {
		select {
		case exit := <-shellDone:
			shellDone = nil
			status = exit.status
			if exit.alone {
				// Nothing left to stop: no /proc walk, no grace.
				return exitAs(status)
			}
			stop()
		case <-sigs:
			stop()
		case <-lifeline:
			lifeline = nil
			kill()
		case <-grace:
			grace = nil
			kill()
		case <-killTick:
			signalTree(syscall.SIGKILL)
		case <-allGone:
			if shellDone != nil {
				// reap sends the shell's status before it closes allGone.
				status = (<-shellDone).status
			}
			return exitAs(status)
		}
	}
}

// shellExit is how the command's shell ended, and whether it left nothing
// running: the supervisor then had no child left, and so no descendant,
// since every orphan of the tree is reparented to it.
type shellExit struct {
	status syscall.WaitStatus
	alone  bool
}

// reap waits for every child of the supervisor (the shell and, the
// supervisor being a subreaper, every orphaned descendant), sends the
// shell's status on shellDone, and closes allGone once no child is left:
// then no descendant is left either.
func reap(shellPid int, shellDone chan<- shellExit, allGone chan<- struct{}) {
	for {
		var ws syscall.WaitStatus
		pid, err := syscall.Wait4(-1, &ws, 0, nil)
		switch {
		case err == syscall.EINTR:
		case err != nil:
			close(allGone)
			return
		case pid == shellPid:
			shellDone <- shellExit{status: ws, alone: noChildLeft()}
		}
	}
}

// noChildLeft reaps the children that have already ended and reports
// whether none is left. Most commands leave nothing behind, and then the
// supervisor can exit at once rather than walk /proc for a tree to stop
// (about 3 ms of a Bash call here).
func noChildLeft() bool {
	for {
		var ws syscall.WaitStatus
		pid, err := syscall.Wait4(-1, &ws, syscall.WNOHANG, nil)
		switch {
		case err == syscall.EINTR:
		case err == syscall.ECHILD:
			return true
		case err != nil || pid == 0:
			return false // children still running (or an error: be thorough)
		}
	}
}

// exitAs returns the exit code of a shell that ended with ws, or, when a
// signal killed it, dies by the same signal.
func exitAs(ws syscall.WaitStatus) int {
	if !ws.Signaled() {
		return ws.ExitStatus()
	}
	switch sig := ws.Signal(); sig {
	case syscall.SIGTERM, syscall.SIGINT, syscall.SIGHUP, syscall.SIGKILL:
		signal.Reset(sig)
		_ = syscall.Kill(os.Getpid(), sig)
		time.Sleep(time.Second) // the signal is on its way
		return 128 + int(sig)
	default:
		return 128 + int(sig)
	}
}

// signalTree sends sig to every descendant of this process.
func signalTree(sig syscall.Signal) {
	for _, pid := range descendants(os.Getpid()) {
		_ = syscall.Kill(pid, sig)
	}
}

// descendants lists the processes below root, found through the parent
// links in /proc/PID/stat.
func descendants(root int) []int {
	entries, err := os.ReadDir("/proc")
	if err != nil {
		return nil
	}
	children := map[int][]int{}
	for _, e := range entries {
		pid, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		if ppid, ok := parentPID(pid); ok {
			children[ppid] = append(children[ppid], pid)
		}
	}
	var out []int
	queue := []int{root}
	for len(queue) > 0 {
		p := queue[0]
		queue = queue[1:]
		for _, c := range children[p] {
			out = append(out, c)
			queue = append(queue, c)
		}
	}
	return out
}

// parentPID reads the parent of pid from /proc/PID/stat, whose second
// field (the command name, in parentheses) may itself hold spaces and
// parentheses.
func parentPID(pid int) (int, bool) {
	data, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return 0, false
	}
	s := string(data)
	i := strings.LastIndexByte(s, ')')
	if i < 0 {
		return 0, false
	}
	fields := strings.Fields(s[i+1:])
	if len(fields) < 2 {
		return 0, false
	}
	ppid, err := strconv.Atoi(fields[1])
	return ppid, err == nil
}
