package sandbox

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"golang.org/x/sys/unix"
)

const proxyNetwork = "unix" // the sandbox has its own network namespace: the proxy is reached through a bound socket

// bwrapBackend wraps commands in bubblewrap.
type bwrapBackend struct {
	s      *Sandbox
	bwrap  string
	userNS bool
	bridge string // the executable run inside as the network bridge; "" without a proxy
	port   int    // the bridge's loopback port inside the sandbox
	tmp    string // emptyDir and emptyFile, mounted over hidden and not-yet-existing paths
	holes  *placeholders
	// seccomp is the filter refusing unix sockets; "" when the policy
	// allows them (all, or a list: seccomp cannot tell paths apart).
	seccomp string

	mu     sync.Mutex
	holder *netHolder // the shared network namespace; nil: each command gets its own, with a bridge
}

func newBackend(s *Sandbox) (backend, error) {
	b := &bwrapBackend{s: s, bwrap: bwrapSetup.path, userNS: bwrapSetup.userNS, holes: &placeholders{refs: map[string]int{}, waiting: map[*os.File]struct{}{}}}
	if s.proxy != nil {
		b.bridge = s.opts.BridgePath
		if b.bridge == "" {
			exe, err := os.Executable()
			if err != nil {
				return nil, fmt.Errorf("sandbox: find basalt's executable for the network bridge: %w", err)
			}
			b.bridge = exe
		}
		// Any port will do: the namespace is the command's own.
		b.port = 20000 + rand.IntN(40000)
	}
	tmp, err := os.MkdirTemp("", "basalt-sandbox-")
	if err != nil {
		return nil, fmt.Errorf("sandbox: %w", err)
	}
	b.tmp = tmp
	if err := os.Mkdir(b.emptyDir(), 0o555); err != nil {
		os.RemoveAll(tmp)
		return nil, fmt.Errorf("sandbox: %w", err)
	}
	if err := os.WriteFile(b.emptyFile(), nil, 0o444); err != nil {
		os.RemoveAll(tmp)
		return nil, fmt.Errorf("sandbox: %w", err)
	}
	if !s.policy.AllowAllUnixSockets && len(s.policy.AllowUnixSockets) == 0 {
		if b.seccomp, err = writeSeccomp(tmp); err != nil {
			os.RemoveAll(tmp)
			return nil, err
		}
	}
	if s.proxy != nil && !s.opts.bridgePerCommand {
		b.startHolder()
	}
	return b, nil
}

// startHolder starts the shared network namespace and checks that a
// command can start in it; if either fails, commands fall back to a
// namespace and a bridge each (slower, same policy).
func (b *bwrapBackend) startHolder() {
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	h, err := startNetHolder(ctx, b)
	if err != nil {
		return
	}
	b.holder = h
	argv, _, files, err := b.wrap(ctx, "/bin/sh", "exit 0", "/")
	if err == nil {
		cmd := exec.CommandContext(ctx, argv[0], argv[1:]...)
		cmd.ExtraFiles = files
		err = cmd.Run()
		for _, f := range files {
			f.Close()
		}
	}
	if err != nil {
		b.holder = nil
		h.close()
	}
}

// currentHolder returns the live holder, restarting it if it died; nil
// means per-command namespaces.
func (b *bwrapBackend) currentHolder() *netHolder {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.holder == nil || b.holder.alive() {
		return b.holder
	}
	b.holder.close()
	h, err := startNetHolder(context.Background(), b)
	if err != nil {
		b.holder = nil
		return nil
	}
	b.holder = h
	return h
}

func (b *bwrapBackend) emptyDir() string  { return filepath.Join(b.tmp, "empty") }
func (b *bwrapBackend) emptyFile() string { return filepath.Join(b.tmp, "empty-file") }

func (b *bwrapBackend) close() error {
	b.mu.Lock()
	if b.holder != nil {
		b.holder.close()
		b.holder = nil
	}
	b.mu.Unlock()
	b.holes.closeAll()
	os.Chmod(b.emptyDir(), 0o755)
	return os.RemoveAll(b.tmp)
}

func (b *bwrapBackend) wrap(ctx context.Context, shell, script, dir string) ([]string, []string, []*os.File, error) {
	p := b.s.policy
	var holder *netHolder
	if b.s.proxy != nil {
		holder = b.currentHolder()
	}
	var args []string
	if holder != nil {
		args = append(holder.prefix(), b.bwrap, "--die-with-parent", "--new-session", "--unshare-pid", "--unshare-ipc")
	} else {
		args = []string{b.bwrap, "--die-with-parent", "--new-session", "--unshare-pid", "--unshare-net", "--unshare-ipc"}
	}
	if b.userNS {
		args = append(args, "--unshare-user")
		if holder != nil {
			args = append(args, holderIDs()...)
		}
	}
	// Without a user namespace (root in a privileged container) the
	// command would keep root's capabilities and could remount /.
	args = append(args, "--cap-drop", "ALL")
	args = append(args, "--ro-bind", "/", "/", "--dev", "/dev", "--proc", "/proc")

	writable := existingReal(p.Writable)
	for _, w := range writable {
		args = append(args, "--bind", w, w)
	}
	mounts, holes := b.denyWriteMounts(writable)
	args = append(args, mounts...)
	for _, r := range p.DenyRead {
		real, err := filepath.EvalSymlinks(r)
		if err != nil {
			continue // nothing there to hide; if it appears inside Writable, the command made it
		}
		if fi, err := os.Stat(real); err == nil && fi.IsDir() {
			args = append(args, "--ro-bind", b.emptyDir(), real)
		} else {
			args = append(args, "--ro-bind", b.emptyFile(), real)
		}
	}
	args = append(args, b.socketMasks()...)
	for _, sock := range p.AllowUnixSockets {
		if _, err := os.Stat(sock); err == nil {
			args = append(args, "--bind", sock, sock)
		}
	}
	var env []string
	if b.s.proxy != nil {
		if holder == nil {
			// The command's own bridge reaches the proxy through the socket.
			args = append(args, "--ro-bind", b.s.proxy.addr, b.s.proxy.addr)
		}
		env = proxyEnv(b.port)
	}
	// ExtraFiles become fds 3, 4, … in bwrap.
	var files []*os.File
	if b.seccomp != "" && (b.s.proxy == nil || holder != nil) {
		// Not with a bridge per command: that bridge needs a unix socket.
		f, err := os.Open(b.seccomp)
		if err != nil {
			return nil, nil, nil, fmt.Errorf("sandbox: %w", err)
		}
		args = append(args, "--seccomp", strconv.Itoa(3+len(files)))
		files = append(files, f)
	}
	if len(holes) > 0 || len(files) > 0 {
		handed, err := b.holes.watch(holes, files)
		if err != nil {
			for _, f := range files {
				f.Close()
			}
			return nil, nil, nil, err
		}
		args = append(args, "--info-fd", strconv.Itoa(3+len(files)))
		files = handed // the files, then the info pipe's write end
	}
	if dir != "" {
		args = append(args, "--chdir", dir)
	}
	args = append(args, "--")
	if holder == nil && b.s.proxy != nil {
		args = append(args, b.bridge, BridgeArg, "--sock", b.s.proxy.addr, "--port", strconv.Itoa(b.port), "--")
	}
	args = append(args, shell, "-c", script)
	return args, env, files, nil
}

// existingReal resolves symlinks in paths (bwrap mounts on the real
// path) and drops the ones that do not exist, shallowest first so a
// nested path's mount lands on top of its parent's.
func existingReal(paths []string) []string {
	var out []string
	for _, p := range paths {
		if real, err := filepath.EvalSymlinks(p); err == nil {
			out = append(out, real)
		}
	}
	slices.SortFunc(out, func(a, b string) int { return strings.Count(a, "/") - strings.Count(b, "/") })
	return slices.Compact(out)
}

// denyWriteMounts returns the mounts that make each DenyWrite path inside
// a writable root read-only, and the host paths bwrap will create as
// mount points for the missing ones (placeholders, removed once no
// command uses them).
//
// Two escapes are closed beyond the read-only bind itself. A path that
// does not exist yet gets an empty read-only directory (or file, for the
// last component) at its first missing component, so it cannot be
// created. And every directory between the writable root and the
// protected path is bound onto itself: a mount point cannot be renamed,
// so `mv .git x && mkdir -p .git/hooks` cannot put a new, writable
// path where the protected one was.
func (b *bwrapBackend) denyWriteMounts(writable []string) (args, holes []string) {
	var ancestors []string
	var binds []string
	for _, d := range b.s.policy.DenyWrite {
		root := ""
		for _, w := range writable {
			if within(d, w) && len(w) > len(root) {
				root = w
			}
		}
		if root == "" || d == root {
			if root == d {
				binds = append(binds, "--ro-bind", d, d)
			}
			continue // outside every writable root: read-only already
		}
		rel := strings.Split(strings.TrimPrefix(d, root+"/"), "/")
		cur := root
		for i, name := range rel {
			cur = filepath.Join(cur, name)
			last := i == len(rel)-1
			fi, err := os.Lstat(cur)
			if err == nil && !b.holes.has(cur) {
				if fi.Mode()&os.ModeSymlink != 0 {
					// A link inside the root: bwrap would follow it; protect
					// the link's target, wherever it is.
					if real, err := filepath.EvalSymlinks(cur); err == nil {
						binds = append(binds, "--ro-bind", real, real)
					}
					break
				}
				if last {
					binds = append(binds, "--ro-bind", cur, cur)
				} else if fi.IsDir() {
					ancestors = append(ancestors, cur)
				}
				continue
			}
			// The first missing component: an empty placeholder, read-only.
			src := b.emptyDir()
			if last {
				src = b.emptyFile()
			}
			binds = append(binds, "--ro-bind", src, cur)
			holes = append(holes, cur)
			break
		}
	}
	slices.SortFunc(ancestors, func(a, b string) int { return strings.Count(a, "/") - strings.Count(b, "/") })
	for _, a := range slices.Compact(ancestors) {
		args = append(args, "--bind", a, a)
	}
	return append(args, binds...), holes
}

// knownSockets are unix sockets a command could use to leave the sandbox
// (a container daemon runs anything on the host, systemd and D-Bus start
// processes outside it, an agent signs with the user's keys). A unix
// socket is reachable through a read-only mount, so each one that exists
// is covered with an empty file unless the policy allows it.
func knownSockets() []string {
	list := []string{
		"/var/run/docker.sock", "/run/docker.sock", "/run/podman/podman.sock",
		"/run/containerd/containerd.sock", "/run/dbus/system_bus_socket",
		"/var/run/dbus/system_bus_socket", "/run/systemd/private",
		"/tmp/.X11-unix", // an X server takes any client's keystrokes and windows
	}
	if rt := os.Getenv("XDG_RUNTIME_DIR"); rt != "" {
		list = append(list, rt)
	} else {
		list = append(list, "/run/user/"+strconv.Itoa(os.Getuid()))
	}
	if s := os.Getenv("SSH_AUTH_SOCK"); s != "" {
		list = append(list, s)
	}
	if s := os.Getenv("DOCKER_HOST"); strings.HasPrefix(s, "unix://") {
		list = append(list, strings.TrimPrefix(s, "unix://"))
	}
	return list
}

func (b *bwrapBackend) socketMasks() []string {
	p := b.s.policy
	if p.AllowAllUnixSockets {
		return nil
	}
	var args []string
	for _, path := range knownSockets() {
		real, err := filepath.EvalSymlinks(path)
		if err != nil || slices.Contains(p.AllowUnixSockets, real) || slices.Contains(p.AllowUnixSockets, path) {
			continue
		}
		fi, err := os.Stat(real)
		if err != nil {
			continue
		}
		if fi.IsDir() {
			// A runtime directory: hidden whole, unless an allowed socket
			// lives in it (a mount inside the empty directory could not be
			// made).
			if !slices.ContainsFunc(p.AllowUnixSockets, func(s string) bool { return within(s, real) || within(s, path) }) {
				args = append(args, "--ro-bind", b.emptyDir(), real)
			}
			continue
		}
		args = append(args, "--ro-bind", b.emptyFile(), real)
	}
	return args
}

// placeholders counts, per host path, the running commands whose bwrap
// created it as a mount point for a missing DenyWrite path, and removes
// the path when the last one ends, so the project is left as it was.
type placeholders struct {
	mu      sync.Mutex
	refs    map[string]int
	waiting map[*os.File]struct{} // info pipes of commands not yet started
}

func (h *placeholders) has(path string) bool {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.refs[path] > 0
}

// watch takes a reference on paths until the command ends. It returns
// what to hand to bwrap as its extra files: duplicates of handed, then
// the write end of a pipe for bwrap's --info-fd. bwrap writes the
// sandbox's pid there once it runs, and the watcher then closes this
// process's originals and waits for that pid. The duplicates are the
// command's (exec reads them while the watcher may already be closing
// the originals, so the two never share an *os.File); the caller closes
// them once the command has started or ended (cmd.ExtraFiles), and their
// finalizers do otherwise. A command never started keeps its
// references until Close.
func (h *placeholders) watch(paths []string, handed []*os.File) ([]*os.File, error) {
	r, w, err := os.Pipe()
	if err != nil {
		return nil, fmt.Errorf("sandbox: %w", err)
	}
	out := make([]*os.File, 0, len(handed)+1)
	for _, f := range append(slices.Clone(handed), w) {
		d, err := dupFile(f)
		if err != nil {
			for _, o := range out {
				o.Close()
			}
			r.Close()
			w.Close()
			return nil, fmt.Errorf("sandbox: %w", err)
		}
		out = append(out, d)
	}
	h.mu.Lock()
	for _, p := range paths {
		h.refs[p]++
	}
	h.waiting[r] = struct{}{}
	h.mu.Unlock()
	go func() {
		defer h.release(paths)
		var info struct {
			ChildPID int `json:"child-pid"`
		}
		// w is closed first: EOF then comes as soon as the command's copy
		// is closed, if bwrap failed before writing.
		w.Close()
		err := json.NewDecoder(r).Decode(&info)
		h.mu.Lock()
		delete(h.waiting, r)
		h.mu.Unlock()
		r.Close()
		for _, f := range handed {
			f.Close()
		}
		if err != nil || info.ChildPID <= 0 {
			return
		}
		waitPID(info.ChildPID)
	}()
	return out, nil
}

// dupFile returns a new *os.File for a duplicate of f's descriptor,
// close-on-exec as Go's own are (exec hands ExtraFiles on explicitly).
func dupFile(f *os.File) (*os.File, error) {
	fd, err := unix.FcntlInt(f.Fd(), unix.F_DUPFD_CLOEXEC, 0)
	if err != nil {
		return nil, err
	}
	return os.NewFile(uintptr(fd), f.Name()), nil
}

func (h *placeholders) release(paths []string) {
	h.mu.Lock()
	defer h.mu.Unlock()
	for _, p := range paths {
		h.refs[p]--
		if h.refs[p] > 0 {
			continue
		}
		delete(h.refs, p)
		removePlaceholder(p)
	}
}

// removePlaceholder removes what bwrap created at p, only if it is still
// an empty file or directory: anything else was put there since, by the
// user, and stays.
func removePlaceholder(p string) {
	fi, err := os.Lstat(p)
	if err != nil {
		return
	}
	if fi.Mode().IsRegular() && fi.Size() == 0 || fi.IsDir() {
		os.Remove(p) // fails, harmlessly, on a directory someone filled
	}
}

// closeAll ends the wait of commands that were never started.
func (h *placeholders) closeAll() {
	h.mu.Lock()
	pending := make([]*os.File, 0, len(h.waiting))
	for r := range h.waiting {
		pending = append(pending, r)
	}
	h.mu.Unlock()
	for _, r := range pending {
		r.Close()
	}
}

// waitPID returns when process pid (not our child: bwrap's) has exited.
func waitPID(pid int) {
	fd, err := unix.PidfdOpen(pid, 0)
	if err == nil {
		defer unix.Close(fd)
		for {
			_, err := unix.Poll([]unix.PollFd{{Fd: int32(fd), Events: unix.POLLIN}}, -1)
			if !errors.Is(err, unix.EINTR) {
				return
			}
		}
	}
	for unix.Kill(pid, 0) == nil {
		time.Sleep(100 * time.Millisecond)
	}
}
