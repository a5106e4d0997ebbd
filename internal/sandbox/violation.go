package sandbox

import (
	"slices"
	"strings"
	"time"

	"github.com/basalt-dev/basalt/internal/lazyre"
)

var (
	// A path, then one of the errors a write outside the sandbox gets:
	// "touch: cannot touch '/etc/x': Read-only file system",
	// "sh: 1: cannot create /etc/x: Read-only file system",
	// "open /etc/x: read-only file system" (Go).
	// "rm: cannot remove '.claude/settings.json': Device or resource busy"
	// (a protected path is a mount point), "ln: … Invalid cross-device
	// link" (a link out of a writable root).
	pathThenError = lazyre.New(`['"]?([^\s'":]+)['"]?: (?i:(read-only file system|permission denied|operation not permitted|device or resource busy|invalid cross-device link))`)
	// Python: "[Errno 30] Read-only file system: '/etc/x'".
	errorThenPath = lazyre.New(`(?i:(read-only file system|permission denied|operation not permitted)): '([/~][^']*)'`)
	// The proxy's own refusal body (refusalText).
	proxyRefusal = lazyre.New(`basalt sandbox: network access to (\S+) is blocked`)
	// A client's report of a 403 from its proxy (curl's "CONNECT tunnel
	// failed, response 403", pip's "Tunnel connection failed: 403"), or
	// of a tunnel the proxy closed on a TLS server name it refused.
	proxy403 = lazyre.New(`(?i)(tunnel (connection )?failed[^\n]*403|403 from proxy|proxy[^\n]*403|returned error: 403|SSL_ERROR_SYSCALL|SSL_connect|handshake failure|unexpected eof|connection reset by peer)`)
	// A unix socket the sandbox refused (the seccomp filter's EPERM) or
	// covered (an empty file: refused connection): Go's "dial unix PATH:",
	// or any "socket: operation not permitted".
	unixRefusal = lazyre.New(`(?i)(dial unix ([^\s:]+): [^\n]*(?:operation not permitted|connection refused)|socket: operation not permitted)`)
	// Name resolution and routing failures: the sandbox has no network
	// of its own, so a program that ignores HTTP(S)_PROXY ends here.
	resolveFailure = lazyre.New(`(?i)(could not resolve (?:host|proxy): (\S+)|ENOTFOUND (\S+)|lookup (\S+?):? [^\n]*(?:no such host|server misbehaving|connection refused|network is unreachable)|temporary failure in name resolution|name or service not known|network is unreachable|ENETUNREACH|no address associated with hostname)`)
)

// recentBlock is how far back a refusal counts when a command's output
// shows a refused request without naming the host.
const recentBlock = 2 * time.Minute

// Violation explains a failed command's output when the sandbox is the
// likely cause ("" otherwise): a write the filesystem refused outside the
// writable directories or on a protected path, a request the proxy
// refused (naming the domain), or a program that tried the network
// directly.
func (s *Sandbox) Violation(exitCode int, output string) string {
	if exitCode == 0 || output == "" {
		return ""
	}
	var found []string
	add := func(msg string) {
		if !slices.Contains(found, msg) {
			found = append(found, msg)
		}
	}
	p := s.policy
	where := "nowhere"
	if len(p.Writable) > 0 {
		where = "only in " + strings.Join(p.Writable, ", ")
	}
	fsMsg := func(path, errText string) {
		errText = strings.ToLower(errText)
		readOnly := errText == "read-only file system"
		mountErr := errText == "device or resource busy" || errText == "invalid cross-device link"
		if path != "" && !strings.HasPrefix(path, "/") {
			// Relative to a directory Violation does not know: only the
			// errors a plain file system never gives are the sandbox's.
			switch {
			case mountErr:
				add("the sandbox protects " + path + ": protected paths and writable roots cannot be removed, renamed, or linked across")
			case readOnly:
				add("the sandbox made " + path + " read-only: it allows writes " + where)
			}
			return
		}
		switch {
		case mountErr:
			add("the sandbox protects " + path + ": protected paths and writable roots cannot be removed, renamed, or linked across")
		case path != "" && withinAny(path, p.DenyRead):
			add("the sandbox hides " + path + " (sandbox read-deny list)")
		case path != "" && withinAny(path, p.DenyWrite):
			add("the sandbox protects " + path + " from writes (it is on the protected list)")
		case path != "" && !withinAny(path, p.Writable):
			add("the sandbox blocked writing " + path + ": it allows writes " + where)
		case readOnly && path == "":
			add("the sandbox made the file system read-only outside " + strings.Join(p.Writable, ", "))
		}
	}
	for _, m := range pathThenError().FindAllStringSubmatch(output, -1) {
		fsMsg(m[1], m[2])
	}
	for _, m := range errorThenPath().FindAllStringSubmatch(output, -1) {
		fsMsg(m[2], m[1])
	}
	if lower := strings.ToLower(output); len(found) == 0 {
		switch {
		case strings.Contains(lower, "read-only file system"):
			fsMsg("", "read-only file system")
		case strings.Contains(lower, "device or resource busy"), strings.Contains(lower, "invalid cross-device link"):
			add("the sandbox's protected paths and writable roots are mount points: they cannot be removed, renamed, or linked across")
		}
	}

	hosts := map[string]bool{}
	for _, m := range proxyRefusal().FindAllStringSubmatch(output, -1) {
		hosts[m[1]] = true
	}
	if len(hosts) == 0 && proxy403().MatchString(output) && s.blocks != nil {
		for _, b := range s.blocks.since(time.Now().Add(-recentBlock)) {
			hosts[b.Host] = true
		}
	}
	for _, h := range sortedKeys(hosts) {
		add("the sandbox's proxy refused " + h + ": it is not in sandbox.network.allowedDomains; add it there to allow it")
	}

	if m := unixRefusal().FindStringSubmatch(output); m != nil && !p.AllowAllUnixSockets {
		what := "unix sockets"
		if m[2] != "" {
			what = "the unix socket " + m[2]
		}
		add("the sandbox blocks " + what + "; allow it with sandbox.network.allowUnixSockets (or allowAllUnixSockets)")
	}

	if m := resolveFailure().FindStringSubmatch(output); m != nil {
		host := firstNonEmpty(m[2], m[3], m[4])
		switch {
		case len(p.AllowedDomains) == 0:
			add("the sandbox allows no network access" + orHost(host) + "; allow domains in sandbox.network.allowedDomains")
		case host != "" && !domainAllowed(host, p.AllowedDomains):
			add("the sandbox allows no network access to " + host + ": it is not in sandbox.network.allowedDomains")
		default:
			add("the sandbox has no direct network access" + orHost(host) + "; programs must use the proxy in HTTPS_PROXY/HTTP_PROXY, and only for sandbox.network.allowedDomains")
		}
	}
	return strings.Join(found, "\n")
}

func orHost(h string) string {
	if h == "" {
		return ""
	}
	return " (" + h + " cannot be reached)"
}

func firstNonEmpty(ss ...string) string {
	for _, s := range ss {
		if s != "" {
			return strings.TrimRight(s, ".:,'\"")
		}
	}
	return ""
}

func sortedKeys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}
