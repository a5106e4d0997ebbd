package sandbox

import (
	"fmt"
	"strings"
)

// seatbeltProfile builds the sandbox-exec (Seatbelt) profile for p: the
// same policy as the bwrap backend, written as rules. Paths never appear
// in the text: they are parameters (sandbox-exec -D NAME=VALUE, read
// with (param "NAME")), so no path can break out of its string. real
// resolves a path as the kernel sees it (/tmp is /private/tmp on macOS);
// proxyPort is the proxy's loopback port, 0 without a proxy. It returns
// the profile and the -D arguments.
//
// Seatbelt lets the last matching rule win, so the order is: allow
// everything, deny all writes, allow the writable trees, deny the
// protected paths again, hide the unreadable ones, and the network last.
func seatbeltProfile(p Policy, proxyPort int, real func(string) string) (profile string, params []string) {
	var b strings.Builder
	n := 0
	param := func(kind, path string) string {
		name := fmt.Sprintf("%s_%d", kind, n)
		n++
		params = append(params, "-D", name+"="+real(path))
		return name
	}
	b.WriteString("(version 1)\n(allow default)\n")
	b.WriteString("(deny file-write*)\n")
	b.WriteString("(allow file-write*\n")
	for _, w := range p.Writable {
		fmt.Fprintf(&b, "  (subpath (param %q))\n", param("WRITABLE", w))
	}
	// The terminal and the null devices are how every shell writes.
	b.WriteString("  (literal \"/dev/null\") (literal \"/dev/zero\") (literal \"/dev/tty\") (literal \"/dev/dtracehelper\")\n")
	b.WriteString("  (regex #\"^/dev/fd/[0-9]+$\") (regex #\"^/dev/ttys[0-9]+$\"))\n")
	if len(p.DenyWrite) > 0 {
		// literal and subpath: a missing path cannot be created either,
		// since Seatbelt matches the path, not an existing file.
		b.WriteString("(deny file-write*\n")
		for _, d := range p.DenyWrite {
			name := param("DENY_WRITE", d)
			fmt.Fprintf(&b, "  (literal (param %q)) (subpath (param %q))\n", name, name)
		}
		b.WriteString(")\n")
	}
	if len(p.DenyRead) > 0 {
		b.WriteString("(deny file-read*\n")
		for _, d := range p.DenyRead {
			name := param("DENY_READ", d)
			fmt.Fprintf(&b, "  (literal (param %q)) (subpath (param %q))\n", name, name)
		}
		b.WriteString(")\n")
	}
	b.WriteString("(deny network*)\n")
	if proxyPort > 0 {
		fmt.Fprintf(&b, "(allow network-outbound (remote ip \"localhost:%d\"))\n", proxyPort)
	}
	if p.AllowLocalBinding {
		b.WriteString("(allow network-bind (local ip \"localhost:*\"))\n")
		b.WriteString("(allow network-inbound (local ip \"localhost:*\"))\n")
		b.WriteString("(allow network-outbound (remote ip \"localhost:*\"))\n")
	}
	switch {
	case p.AllowAllUnixSockets:
		b.WriteString("(allow network* (remote unix-socket))\n")
	case len(p.AllowUnixSockets) > 0:
		b.WriteString("(allow network-outbound\n")
		for _, s := range p.AllowUnixSockets {
			fmt.Fprintf(&b, "  (remote unix-socket (path-literal (param %q)))\n", param("UNIX_SOCKET", s))
		}
		b.WriteString(")\n")
	}
	return b.String(), params
}
