package sandbox

import (
	"fmt"
	"strings"
)

// Describe renders the policy for /sandbox and `doctor`: whether the
// sandbox runs here, then what a command may write, what is protected or
// hidden, and where it may connect. Multi-line plain text.
func Describe(p Policy, st Status) string {
	var b strings.Builder
	if st.Available {
		fmt.Fprintf(&b, "sandbox: available (%s)\n", st.Backend)
	} else {
		fmt.Fprintf(&b, "sandbox: unavailable: %s\n", st.Reason)
		if st.Hint != "" {
			fmt.Fprintf(&b, "  fix: %s\n", st.Hint)
		}
	}
	list := func(title string, items []string, none string) {
		if len(items) == 0 {
			fmt.Fprintf(&b, "%s: %s\n", title, none)
			return
		}
		fmt.Fprintf(&b, "%s:\n", title)
		for _, it := range items {
			fmt.Fprintf(&b, "  %s\n", it)
		}
	}
	list("writable", p.Writable, "nothing (the whole file system is read-only)")
	list("protected from writes", p.DenyWrite, "none")
	list("hidden (not readable)", p.DenyRead, "none")
	list("network (through basalt's proxy)", p.AllowedDomains, "none: no network access")
	switch {
	case p.AllowAllUnixSockets:
		fmt.Fprintf(&b, "unix sockets: all allowed\n")
	case len(p.AllowUnixSockets) > 0:
		list("unix sockets allowed (on Linux: any but the container, systemd, D-Bus, X11 and agent sockets not listed)", p.AllowUnixSockets, "")
	default:
		fmt.Fprintf(&b, "unix sockets: none (pipes work)\n")
	}
	if p.AllowLocalBinding {
		fmt.Fprintf(&b, "local binding: allowed (loopback only)\n")
	}
	return strings.TrimRight(b.String(), "\n")
}
