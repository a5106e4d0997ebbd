package sandbox

import (
	"net/netip"
	"strings"
)

// domainAllowed reports whether host may be reached under patterns, as
// Claude Code's sandbox reads sandbox.network.allowedDomains: a plain
// entry matches that host exactly (case-insensitively); "*.example.com"
// matches every subdomain of example.com but not example.com itself,
// and never an IP address. testdata/claude-code/domain-matching.txt
// holds the cases.
func domainAllowed(host string, patterns []string) bool {
	host = strings.ToLower(strings.TrimSuffix(host, "."))
	if host == "" {
		return false
	}
	_, ipErr := netip.ParseAddr(strings.Trim(host, "[]"))
	isIP := ipErr == nil
	for _, p := range patterns {
		p = strings.ToLower(p)
		if base, ok := strings.CutPrefix(p, "*."); ok {
			if !isIP && strings.HasSuffix(host, "."+base) {
				return true
			}
			continue
		}
		if host == p {
			return true
		}
	}
	return false
}
