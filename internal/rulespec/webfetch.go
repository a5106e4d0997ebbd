package rulespec

import (
	"fmt"
	"strings"
)

// WebFetch rules name a domain as Claude Code writes them:
// "WebFetch(domain:example.com)" covers fetches from example.com,
// "WebFetch(domain:*.example.com)" from every subdomain of example.com
// (not example.com itself), "WebFetch(domain:*)" from anywhere.

// WebDomain is a WebFetch rule's domain, read.
type WebDomain struct {
	// Host is the host named, lowercase, without a trailing dot or IPv6
	// brackets; for a subdomain wildcard, the parent ("example.com").
	Host string
	// Subdomains: "*.HOST", which covers every name below HOST.
	Subdomains bool
	// Any: "*", which covers every host.
	Any bool
}

// ParseWebDomain reads the specifier of a WebFetch rule.
func ParseWebDomain(spec string) (WebDomain, error) {
	rest, ok := strings.CutPrefix(strings.TrimSpace(spec), "domain:")
	if !ok {
		return WebDomain{}, fmt.Errorf("a WebFetch rule names a domain: write WebFetch(domain:example.com), not WebFetch(%s)", spec)
	}
	h := strings.ToLower(strings.TrimSpace(rest))
	if h != "." && !strings.HasSuffix(h, "*.") {
		h = strings.TrimSuffix(h, ".")
	}
	if strings.HasPrefix(h, "[") && strings.HasSuffix(h, "]") {
		h = h[1 : len(h)-1]
	}
	switch {
	case h == "*":
		return WebDomain{Any: true}, nil
	case strings.HasPrefix(h, "*."):
		parent := h[2:]
		if !validHost(parent) {
			return WebDomain{}, fmt.Errorf("WebFetch(%s): %q is not a host name", spec, parent)
		}
		return WebDomain{Host: parent, Subdomains: true}, nil
	case !validHost(h):
		why := fmt.Sprintf("%q is not a host name", h)
		if strings.ContainsAny(h, "/:") {
			why += " (write the host alone, without scheme, port or path)"
		}
		return WebDomain{}, fmt.Errorf("WebFetch(%s): %s", spec, why)
	}
	return WebDomain{Host: h}, nil
}

// Covers reports whether the rule covers a fetch from host (lowercase,
// no trailing dot, no brackets).
func (d WebDomain) Covers(host string) bool {
	switch {
	case d.Any:
		return true
	case d.Subdomains:
		return strings.HasSuffix(host, "."+d.Host)
	}
	return host == d.Host
}

// validHost accepts DNS names and IP address literals: letters, digits,
// '-', '_', '.' and, for IPv6, ':'.
func validHost(h string) bool {
	if h == "" || strings.HasPrefix(h, ".") || strings.Contains(h, "..") {
		return false
	}
	colons := strings.Count(h, ":")
	for _, r := range h {
		ok := r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-' || r == '_' || r == '.' || r == ':' && colons >= 2
		if !ok {
			return false
		}
	}
	return true
}
