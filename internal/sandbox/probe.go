package sandbox

import (
	"context"
	"strings"
	"sync"
)

var (
	probeOnce   sync.Once
	probeResult Status
)

// Probe reports whether the sandbox can run here and, if not, why and
// how to fix it. The first call does the work (on Linux it runs bwrap
// once, which is the only reliable test of user namespaces); later calls
// return the same answer.
func Probe(ctx context.Context) Status {
	probeOnce.Do(func() { probeResult = probe(ctx) })
	return probeResult
}

// nsFacts are what the kernel says about user namespaces and where basalt
// runs, read when bwrap could not start, to name the cause.
type nsFacts struct {
	sysctl    map[string]string // "kernel.unprivileged_userns_clone" → "0", … (absent: not present)
	root      bool
	container string // "docker", "podman", "kubernetes", "lxc", … or ""
}

// classifyBwrapFailure turns bwrap's failed start (its stderr) into the
// reason and the fix to show the user.
func classifyBwrapFailure(stderr string, f nsFacts) (reason, hint string) {
	first := strings.TrimSpace(stderr)
	if i := strings.IndexByte(first, '\n'); i >= 0 {
		first = first[:i]
	}
	first = strings.TrimPrefix(first, "bwrap: ")
	switch {
	case f.sysctl["user.max_user_namespaces"] == "0":
		return "user namespaces are disabled (user.max_user_namespaces=0)",
			"enable them: sudo sysctl -w user.max_user_namespaces=15000 (persist it in /etc/sysctl.d/)"
	case !f.root && f.sysctl["kernel.unprivileged_userns_clone"] == "0":
		return "unprivileged user namespaces are disabled (kernel.unprivileged_userns_clone=0)",
			"enable them: sudo sysctl -w kernel.unprivileged_userns_clone=1 (persist it in /etc/sysctl.d/)"
	case !f.root && f.sysctl["kernel.apparmor_restrict_unprivileged_userns"] == "1":
		return "AppArmor restricts unprivileged user namespaces (kernel.apparmor_restrict_unprivileged_userns=1)",
			"give bwrap an AppArmor profile that allows userns (Ubuntu ships bwrap-userns-restrict in apparmor-profiles), or sudo sysctl -w kernel.apparmor_restrict_unprivileged_userns=0"
	case f.container != "":
		return "basalt runs in a " + f.container + " container that does not allow new namespaces (" + first + ")",
			"run the container with --security-opt seccomp=unconfined --security-opt apparmor=unconfined (or --cap-add SYS_ADMIN), or turn the sandbox off inside containers"
	}
	return "bubblewrap cannot create a sandbox here: " + first,
		"run `bwrap --unshare-user --unshare-net --ro-bind / / true` to see the error"
}

// bwrapMissing is the Status when bwrap is not on PATH.
func bwrapMissing() Status {
	return Status{
		Backend: "bwrap",
		Reason:  "bubblewrap (bwrap) is not installed",
		Hint:    "install it: sudo apt-get install bubblewrap (Debian, Ubuntu) or sudo dnf install bubblewrap (Fedora, RHEL)",
	}
}
