package sandbox

import (
	"context"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
)

// proxyNetwork: macOS has no network namespaces, so the proxy listens on
// the host's loopback and the profile allows only its port.
const proxyNetwork = "tcp"

const sandboxExec = "/usr/bin/sandbox-exec"

func probe(ctx context.Context) Status {
	if _, err := os.Stat(sandboxExec); err != nil {
		return Status{Backend: "sandbox-exec", Reason: "sandbox-exec is missing from /usr/bin", Hint: "it ships with macOS; check the system installation"}
	}
	out, err := exec.CommandContext(ctx, sandboxExec, "-p", "(version 1)(allow default)", "/usr/bin/true").CombinedOutput()
	if err != nil {
		return Status{Backend: "sandbox-exec", Reason: "sandbox-exec cannot start a sandbox here: " + strings.TrimSpace(string(out)), Hint: "basalt may already run inside a sandbox (sandbox-exec cannot nest)"}
	}
	return Status{Available: true, Backend: "sandbox-exec"}
}

type seatbeltBackend struct {
	s    *Sandbox
	port int
}

func newBackend(s *Sandbox) (backend, error) {
	b := &seatbeltBackend{s: s}
	if s.proxy != nil {
		_, port, err := net.SplitHostPort(s.proxy.addr)
		if err != nil {
			return nil, err
		}
		b.port, _ = strconv.Atoi(port)
	}
	return b, nil
}

func (b *seatbeltBackend) wrap(ctx context.Context, shell, script, dir string) ([]string, []string, []*os.File, error) {
	profile, params := seatbeltProfile(b.s.policy, b.port, realPath)
	args := append([]string{sandboxExec, "-p", profile}, params...)
	args = append(args, shell, "-c", script)
	var env []string
	if b.port > 0 {
		env = proxyEnv(b.port)
	}
	return args, env, nil, nil
}

func (b *seatbeltBackend) close() error { return nil }

// realPath resolves symlinks in the longest existing prefix of p, so a
// rule on /tmp/x matches what the kernel checks, /private/tmp/x, even
// before x exists.
func realPath(p string) string {
	rest := ""
	for cur := p; ; {
		if r, err := filepath.EvalSymlinks(cur); err == nil {
			return filepath.Join(r, rest)
		}
		parent := filepath.Dir(cur)
		if parent == cur {
			return p
		}
		rest = filepath.Join(filepath.Base(cur), rest)
		cur = parent
	}
}
