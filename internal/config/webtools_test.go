package config

import (
	"strings"
	"testing"
)

// WebFetch rules are for a tool basalt has; WebSearch rules are for a
// tool it knows but cannot offer on Bedrock, and the warning says why
// rather than calling the tool unknown.
func TestWebToolRules(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	path := f.write(f.user(), `{"permissions": {
  "allow": ["WebFetch(domain:go.dev)", "WebFetch(domain:*.python.org)", "WebSearch"],
  "deny": ["WebFetch(evil.org)", "WebSearch(foo)"]
}}`)
	c := f.mustLoad()
	warnings := strings.ReplaceAll(strings.Join(c.Warnings, "\n"), path, "USER")
	for _, want := range []string{
		"USER:3:12: deny rule WebFetch(evil.org): a WebFetch rule names a domain: write WebFetch(domain:example.com)",
		"kept: it denies every WebFetch call",
		"USER: WebSearch, WebSearch(foo): kept, but never matches: WebSearch is unavailable",
		"Amazon Bedrock does not offer",
	} {
		if !strings.Contains(warnings, want) {
			t.Errorf("warnings lack %q:\n%s", want, warnings)
		}
	}
	for _, bad := range []string{"go.dev", "python.org", "does not have"} {
		if strings.Contains(warnings, bad) {
			t.Errorf("warnings mention %q:\n%s", bad, warnings)
		}
	}
}
