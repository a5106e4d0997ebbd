package webfetch

import (
	"net/netip"
	"strconv"
	"strings"
	"sync"
)

// addrClass is one kind of address a page must not be fetched from
// without a rule that names its host.
type addrClass struct {
	prefix netip.Prefix
	name   string
}

// blocked is built on first use, not at every start of the binary.
var blocked = sync.OnceValue(blockedClasses)

// blockedClasses are checked in order, so the most specific name (the
// cloud metadata address inside link-local) comes first. Each names the
// kind of network in words a user recognises.
func blockedClasses() []addrClass {
	p := netip.MustParsePrefix
	return []addrClass{
		{p("169.254.169.254/32"), "the cloud instance metadata service"},
		{p("fd00:ec2::254/128"), "the cloud instance metadata service"},
		{p("0.0.0.0/8"), "an unspecified (this-host) address"},
		{p("10.0.0.0/8"), "a private network address"},
		{p("100.64.0.0/10"), "a carrier-grade NAT (shared) address"},
		{p("127.0.0.0/8"), "a loopback address (this machine)"},
		{p("169.254.0.0/16"), "a link-local address"},
		{p("172.16.0.0/12"), "a private network address"},
		{p("192.0.0.0/24"), "an IETF protocol address"},
		{p("192.0.2.0/24"), "a documentation address"},
		{p("192.88.99.0/24"), "a 6to4 relay address"},
		{p("192.168.0.0/16"), "a private network address"},
		{p("198.18.0.0/15"), "a benchmarking network address"},
		{p("198.51.100.0/24"), "a documentation address"},
		{p("203.0.113.0/24"), "a documentation address"},
		{p("224.0.0.0/4"), "a multicast address"},
		{p("240.0.0.0/4"), "a reserved address"},
		{p("::/128"), "an unspecified (this-host) address"},
		{p("::1/128"), "a loopback address (this machine)"},
		{p("100::/64"), "a discard-only address"},
		{p("2001:db8::/32"), "a documentation address"},
		{p("fc00::/7"), "a unique local (private) IPv6 address"},
		{p("fe80::/10"), "a link-local address"},
		{p("fec0::/10"), "a site-local (private) IPv6 address"},
		{p("ff00::/8"), "a multicast address"},
	}
}

// Embedded IPv4 addresses: an IPv6 address that carries an IPv4 one is
// judged by the IPv4 address it reaches.
var (
	nat64Prefix     = netip.MustParsePrefix("64:ff9b::/96")
	nat64Local      = netip.MustParsePrefix("64:ff9b:1::/48")
	sixToFourPrefix = netip.MustParsePrefix("2002::/16")
	compatPrefix    = netip.MustParsePrefix("::/96") // deprecated IPv4-compatible
)

// Classify says why a is not fetched without a rule naming its host: ""
// for a public address, else the kind of network ("a loopback address
// (this machine)"). An IPv6 address that embeds an IPv4 one (mapped,
// NAT64, 6to4, IPv4-compatible) is judged by the IPv4 address; an
// invalid address or one with a zone is refused.
func Classify(a netip.Addr) string {
	if !a.IsValid() {
		return "an invalid address"
	}
	if a.Zone() != "" {
		return "a scoped (zoned) IPv6 address"
	}
	a = embeddedIPv4(a)
	for _, c := range blocked() {
		if c.prefix.Contains(a) {
			return c.name
		}
	}
	if a.Is4() && a == netip.AddrFrom4([4]byte{255, 255, 255, 255}) {
		return "the broadcast address"
	}
	return ""
}

// embeddedIPv4 returns the IPv4 address a reaches when a is an IPv6
// address that carries one, else a.
func embeddedIPv4(a netip.Addr) netip.Addr {
	if a.Is4In6() {
		return a.Unmap()
	}
	if !a.Is6() {
		return a
	}
	b := a.As16()
	switch {
	case nat64Prefix.Contains(a), nat64Local.Contains(a):
		return netip.AddrFrom4([4]byte{b[12], b[13], b[14], b[15]})
	case sixToFourPrefix.Contains(a):
		return netip.AddrFrom4([4]byte{b[2], b[3], b[4], b[5]})
	case compatPrefix.Contains(a) && a != netip.IPv6Unspecified() && a != netip.IPv6Loopback():
		return netip.AddrFrom4([4]byte{b[12], b[13], b[14], b[15]})
	}
	return a
}

// ParseHost reads the host of a URL. A literal address comes back as
// addr (brackets and a trailing dot removed); a name comes back lowercase
// without a trailing dot. Hosts that some resolvers read as an IPv4
// address although they are not written as one (2130706433, 0x7f.1,
// 0177.0.0.1, 127.1) are refused: what basalt checks must be what the
// network stack dials, and these are read differently by different
// resolvers. So are zoned IPv6 addresses and names with characters no
// DNS name has.
func ParseHost(host string) (name string, addr netip.Addr, err error) {
	h := strings.TrimSuffix(strings.ToLower(host), ".")
	if strings.HasPrefix(h, "[") && strings.HasSuffix(h, "]") {
		h = h[1 : len(h)-1]
		if strings.Contains(h, "%") {
			return "", netip.Addr{}, &HostError{Host: host, Why: "a scoped (zoned) IPv6 address cannot be fetched"}
		}
		a, perr := netip.ParseAddr(h)
		if perr != nil || !a.Is6() {
			return "", netip.Addr{}, &HostError{Host: host, Why: "not a valid IPv6 address"}
		}
		return "", a, nil
	}
	if h == "" {
		return "", netip.Addr{}, &HostError{Host: host, Why: "the URL has no host"}
	}
	if a, perr := netip.ParseAddr(h); perr == nil {
		if a.Is6() {
			return "", netip.Addr{}, &HostError{Host: host, Why: "an IPv6 address must be written in brackets"}
		}
		return "", a, nil
	}
	if looksNumeric(h) {
		return "", netip.Addr{}, &HostError{Host: host, Why: "a number that is not a dotted-decimal IPv4 address (a decimal, octal or hexadecimal form, or fewer than four parts) is read differently by different resolvers; write the address as four decimal numbers, e.g. 93.184.215.14"}
	}
	for _, r := range h {
		if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-' || r == '.' || r == '_') {
			return "", netip.Addr{}, &HostError{Host: host, Why: "not a valid host name"}
		}
	}
	if strings.Contains(h, "..") || strings.HasPrefix(h, ".") {
		return "", netip.Addr{}, &HostError{Host: host, Why: "not a valid host name"}
	}
	return h, netip.Addr{}, nil
}

// looksNumeric reports whether every dot-separated part of h is a number
// in one of the forms inet_aton accepts (decimal, 0-prefixed octal,
// 0x-prefixed hexadecimal): such a host is an address to some resolvers
// and a name to others. The last part alone decides when it is numeric
// and the name has a dot, as WHATWG URL parsing does ("1.2.3.0x4").
func looksNumeric(h string) bool {
	parts := strings.Split(h, ".")
	if last := parts[len(parts)-1]; last == "" && len(parts) > 1 {
		parts = parts[:len(parts)-1]
	}
	if isNumberPart(parts[len(parts)-1]) {
		return true
	}
	for _, p := range parts {
		if !isNumberPart(p) {
			return false
		}
	}
	return true
}

func isNumberPart(p string) bool {
	if p == "" {
		return false
	}
	base := 10
	switch {
	case strings.HasPrefix(p, "0x"):
		p, base = p[2:], 16
		if p == "" {
			return true // "0x" alone is 0 to inet_aton
		}
	case len(p) > 1 && p[0] == '0':
		base = 8
	}
	_, err := strconv.ParseUint(p, base, 64)
	return err == nil || strings.Contains(err.Error(), "out of range")
}

// HostError is a URL host that is never fetched as written.
type HostError struct {
	Host string
	Why  string
}

func (e *HostError) Error() string { return "host " + e.Host + ": " + e.Why }
