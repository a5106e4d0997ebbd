package sandbox

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"strings"
	"time"
)

// bwrapSetup is what the Linux probe learnt, for the backend: where bwrap
// is and whether it runs with a user namespace.
var bwrapSetup struct {
	path   string
	userNS bool
}

// probeArgs are the namespaces every sandboxed command gets, so a probe
// that passes means commands can start.
var probeArgs = []string{"--unshare-pid", "--unshare-net", "--unshare-ipc", "--die-with-parent", "--ro-bind", "/", "/", "--dev", "/dev", "--proc", "/proc", "--", "true"}

func probe(ctx context.Context) Status {
	path, err := exec.LookPath("bwrap")
	if err != nil {
		return bwrapMissing()
	}
	bwrapSetup.path = path
	out, err := runBwrap(ctx, path, append([]string{"--unshare-user"}, probeArgs...))
	if err == nil {
		bwrapSetup.userNS = true
		return Status{Available: true, Backend: "bwrap"}
	}
	root := os.Geteuid() == 0
	if root {
		// root without user namespaces (a privileged container) can still
		// build the sandbox; the backend then drops every capability.
		if _, err2 := runBwrap(ctx, path, probeArgs); err2 == nil {
			return Status{Available: true, Backend: "bwrap"}
		}
	}
	reason, hint := classifyBwrapFailure(out, nsFacts{sysctl: readSysctls(), root: root, container: detectContainer()})
	return Status{Backend: "bwrap", Reason: reason, Hint: hint}
}

func runBwrap(ctx context.Context, path string, args []string) (string, error) {
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	var stderr bytes.Buffer
	cmd := exec.CommandContext(ctx, path, args...)
	cmd.Stderr = &stderr
	err := cmd.Run()
	if err != nil && stderr.Len() == 0 {
		return err.Error(), err
	}
	return stderr.String(), err
}

func readSysctls() map[string]string {
	m := map[string]string{}
	for _, name := range []string{"kernel.unprivileged_userns_clone", "user.max_user_namespaces", "kernel.apparmor_restrict_unprivileged_userns"} {
		b, err := os.ReadFile("/proc/sys/" + strings.ReplaceAll(name, ".", "/"))
		if err == nil {
			m[name] = strings.TrimSpace(string(b))
		}
	}
	return m
}

// detectContainer names the container runtime basalt runs in, "" on a
// host (or one it cannot tell).
func detectContainer() string {
	if _, err := os.Stat("/.dockerenv"); err == nil {
		return "docker"
	}
	if _, err := os.Stat("/run/.containerenv"); err == nil {
		return "podman"
	}
	if os.Getenv("KUBERNETES_SERVICE_HOST") != "" {
		return "kubernetes"
	}
	b, _ := os.ReadFile("/proc/1/cgroup")
	for _, name := range []string{"docker", "kubepods", "containerd", "lxc"} {
		if bytes.Contains(b, []byte(name)) {
			return name
		}
	}
	return ""
}
