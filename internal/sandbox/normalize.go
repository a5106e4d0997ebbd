package sandbox

import (
	"fmt"
	"path/filepath"
	"slices"
	"strings"
)

// normalize cleans the policy's paths and drops empty and duplicate
// entries, so the backends can compare paths as strings.
// A relative path is an error rather than dropped: dropping a protected
// path would quietly weaken the policy.
func normalize(p Policy) (Policy, error) {
	var bad []string
	clean := func(paths []string) []string {
		var out []string
		for _, path := range paths {
			if path == "" {
				continue
			}
			if !filepath.IsAbs(path) {
				bad = append(bad, path)
				continue
			}
			out = append(out, filepath.Clean(path))
		}
		slices.Sort(out)
		return slices.Compact(out)
	}
	p.Writable = clean(p.Writable)
	p.DenyWrite = clean(p.DenyWrite)
	p.DenyRead = clean(p.DenyRead)
	p.AllowUnixSockets = clean(p.AllowUnixSockets)
	if len(bad) > 0 {
		return p, fmt.Errorf("sandbox policy: paths must be absolute: %s", strings.Join(bad, ", "))
	}
	var domains []string
	for _, d := range p.AllowedDomains {
		d = strings.ToLower(strings.TrimSuffix(strings.TrimSpace(d), "."))
		if d != "" {
			domains = append(domains, d)
		}
	}
	slices.Sort(domains)
	p.AllowedDomains = slices.Compact(domains)
	return p, nil
}

// within reports whether path is root or below it.
func within(path, root string) bool {
	if root == "/" {
		return true
	}
	return path == root || strings.HasPrefix(path, root+"/")
}

// withinAny reports whether path is within one of roots.
func withinAny(path string, roots []string) bool {
	for _, r := range roots {
		if within(path, r) {
			return true
		}
	}
	return false
}
