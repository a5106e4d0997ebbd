package sandbox

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// netHolder is one network namespace shared by a sandbox's commands: a
// long-lived bridge runs in it, and each command's bwrap is started
// inside it with nsenter instead of creating a namespace and starting a
// bridge of its own. basalt's start-up (its package initialisation) is
// then paid once per session instead of once per command, which is most
// of the sandbox's cost per command.
//
// Commands in the same sandbox can reach each other's loopback listeners;
// nothing else changes: each still has its own mount and PID namespaces,
// and the namespace's only way out is the proxy.
type netHolder struct {
	cmd     *exec.Cmd
	pid     int // the bridge, in the namespace
	netIno  uint64
	nsenter string
	userNS  bool // enter the holder's user namespace too (it owns the network namespace)
}

// holderIDs are the bwrap flags that give a command started in the
// holder's user namespace the user's own uid and gid again.
func holderIDs() []string {
	return []string{"--uid", strconv.Itoa(os.Getuid()), "--gid", strconv.Itoa(os.Getgid())}
}

// startNetHolder starts the holder: bwrap with a new network namespace
// (and user namespace, as the commands get) running the bridge with
// --hold. It returns once the bridge listens.
func startNetHolder(ctx context.Context, b *bwrapBackend) (*netHolder, error) {
	nsenter, err := exec.LookPath("nsenter")
	if err != nil {
		return nil, err
	}
	r, w, err := os.Pipe()
	if err != nil {
		return nil, err
	}
	defer r.Close()
	args := []string{"--die-with-parent", "--unshare-net", "--unshare-ipc"}
	if b.userNS {
		// The user is root in the holder's user namespace, so that nsenter
		// (which keeps the user's credentials) is root there too, with the
		// capabilities bwrap needs to build each command's sandbox; every
		// command then drops back to the user's own ids (holderIDs).
		args = append(args, "--unshare-user", "--uid", "0", "--gid", "0")
	}
	args = append(args, "--cap-drop", "ALL", "--ro-bind", "/", "/", "--dev", "/dev", "--proc", "/proc",
		"--ro-bind", b.s.proxy.addr, b.s.proxy.addr, "--info-fd", "3", "--",
		b.bridge, BridgeArg, "--sock", b.s.proxy.addr, "--port", strconv.Itoa(b.port), "--hold")
	// Not tied to ctx: the holder lives as long as the sandbox (Close).
	cmd := exec.Command(b.bwrap, args...)
	cmd.ExtraFiles = []*os.File{w}
	cmd.Stderr = nil
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		w.Close()
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		w.Close()
		return nil, err
	}
	w.Close()
	h := &netHolder{cmd: cmd, nsenter: nsenter, userNS: b.userNS}
	ready := make(chan error, 1)
	go func() {
		var info struct {
			ChildPID int `json:"child-pid"`
		}
		if err := json.NewDecoder(r).Decode(&info); err != nil {
			ready <- fmt.Errorf("sandbox network holder: read bwrap info: %w", err)
			return
		}
		h.pid = info.ChildPID
		line, err := bufio.NewReader(stdout).ReadString('\n')
		if err != nil || strings.TrimSpace(line) != "ready" {
			ready <- fmt.Errorf("sandbox network holder: bridge did not start: %q %v", line, err)
			return
		}
		ready <- nil
	}()
	select {
	case err = <-ready:
	case <-ctx.Done():
		err = ctx.Err()
	case <-time.After(10 * time.Second):
		err = errors.New("sandbox network holder: timed out")
	}
	if err == nil {
		h.netIno, err = nsInode(h.pid, "net")
	}
	if err != nil {
		h.close()
		return nil, err
	}
	return h, nil
}

func nsInode(pid int, ns string) (uint64, error) {
	var st syscall.Stat_t
	if err := syscall.Stat("/proc/"+strconv.Itoa(pid)+"/ns/"+ns, &st); err != nil {
		return 0, err
	}
	return st.Ino, nil
}

// alive reports whether the holder still serves its namespace: the pid
// is still the bridge in that very namespace (not a reused pid).
func (h *netHolder) alive() bool {
	ino, err := nsInode(h.pid, "net")
	return err == nil && ino == h.netIno
}

// prefix is the nsenter argv that starts a command in the namespace.
func (h *netHolder) prefix() []string {
	pid := strconv.Itoa(h.pid)
	if h.userNS {
		// The user namespace first: it owns the network namespace.
		return []string{h.nsenter, "--target", pid, "--user", "--net", "--preserve-credentials", "--"}
	}
	return []string{h.nsenter, "--target", pid, "--net", "--"}
}

func (h *netHolder) close() {
	if h.cmd.Process != nil {
		h.cmd.Process.Kill()
		h.cmd.Wait()
	}
}
