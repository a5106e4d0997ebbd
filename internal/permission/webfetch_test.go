package permission

import (
	"strings"
	"testing"
)

func TestWebFetchRules(t *testing.T) {
	t.Parallel()
	tr := newTree(t)
	rules := ruleLists{
		allow: []string{"WebFetch(domain:docs.example.com)", "WebFetch(domain:*.gopkgs.test)", "WebFetch(domain:127.0.0.1)"},
		ask:   []string{"WebFetch(domain:secret.docs.example.com)"},
		deny:  []string{"WebFetch(domain:evil.org)"},
	}
	tests := []struct {
		url  string
		mode Mode
		want Behavior
	}{
		{"https://docs.example.com/a", ModeDefault, Allow},
		{"https://example.com/a", ModeDefault, Ask},
		{"https://pkg.gopkgs.test/net", ModeDefault, Allow},
		{"https://gopkgs.test/", ModeDefault, Ask},
		{"https://evil.org/", ModeDefault, Deny},
		{"https://evil.org/", ModeBypass, Deny},
		{"https://secret.docs.example.com/", ModeDefault, Ask},
		{"https://secret.docs.example.com/", ModeBypass, Allow},
		{"https://other.org/", ModeBypass, Allow},
		{"https://other.org/", ModeAcceptEdits, Ask},
		{"https://other.org/", ModePlan, Ask},
		{"https://docs.example.com/", ModePlan, Allow},
		{"http://127.0.0.1:8080/", ModeDefault, Allow},
		{"", ModeDefault, Deny},
		{"https:///nohost", ModeDefault, Deny},
	}
	for _, tt := range tests {
		c := tr.checker(t, tt.mode, rules)
		d := c.Decide(toolReq("WebFetch", "url", tt.url, "prompt", "summarise"))
		if d.Behavior != tt.want {
			t.Errorf("%s in %s: %s (%s), want %s", tt.url, tt.mode, d.Behavior, d.Reason, tt.want)
		}
	}
	// Headless: the refusal names the rule that would allow the fetch.
	opts := tr.options(t, ModeDefault, ruleLists{})
	opts.Headless = true
	h := mustNew(t, opts)
	d := h.Decide(toolReq("WebFetch", "url", "https://wiki.example.org/x"))
	if d.Behavior != Deny || !strings.Contains(d.Reason, "WebFetch(domain:wiki.example.org)") {
		t.Errorf("headless: %s %q; want a deny naming WebFetch(domain:wiki.example.org)", d.Behavior, d.Reason)
	}
}

// Claude Code's pre-approved documentation sites are fetched without a
// question, headless too; a bare host is that host only, a host with a
// path that path and below, and no encoded separator or ".." climbs out
// of the path. Deny and ask rules still come first.
func TestWebFetchPreapproved(t *testing.T) {
	t.Parallel()
	tr := newTree(t)
	tests := []struct {
		url   string
		rules ruleLists
		want  Behavior
	}{
		{"https://pkg.go.dev/net/http", ruleLists{}, Allow},
		{"https://docs.python.org/3/library/os.html", ruleLists{}, Allow},
		{"https://DOCS.PYTHON.ORG./3/", ruleLists{}, Allow},
		{"https://evil.docs.python.org/", ruleLists{}, Ask},     // not a subdomain wildcard
		{"https://docs.python.org.evil.com/", ruleLists{}, Ask}, // not a prefix of the host
		{"https://github.com/anthropics", ruleLists{}, Allow},
		{"https://github.com/anthropics/claude-code/issues", ruleLists{}, Allow},
		{"https://github.com/anthropics-fake/x", ruleLists{}, Ask},
		{"https://github.com/someone/else", ruleLists{}, Ask},
		{"https://github.com/", ruleLists{}, Ask},
		{"https://github.com/anthropics/%2e%2e/someone", ruleLists{}, Ask},
		{"https://github.com/anthropics%2Fevil", ruleLists{}, Ask},
		{"https://github.com/anthropics/%252f..%252fx", ruleLists{}, Ask},
		{"https://github.com/anthropics/../someone", ruleLists{}, Ask},
		{"https://huggingface.co/docs/transformers", ruleLists{}, Allow},
		{"https://huggingface.co/models", ruleLists{}, Ask},
		{"https://pkg.go.dev/x", ruleLists{deny: []string{"WebFetch(domain:pkg.go.dev)"}}, Deny},
		{"https://pkg.go.dev/x", ruleLists{ask: []string{"WebFetch"}}, Ask},
	}
	for _, tt := range tests {
		c := tr.checker(t, ModeDefault, tt.rules)
		d := c.Decide(toolReq("WebFetch", "url", tt.url, "prompt", "summarise"))
		if d.Behavior != tt.want {
			t.Errorf("%s: %s (%s), want %s", tt.url, d.Behavior, d.Reason, tt.want)
		}
	}
	opts := tr.options(t, ModeDefault, ruleLists{})
	opts.Headless = true
	if d := mustNew(t, opts).Decide(toolReq("WebFetch", "url", "https://react.dev/learn")); d.Behavior != Allow {
		t.Errorf("headless fetch of a pre-approved site: %s %q", d.Behavior, d.Reason)
	}
}

func TestNamesWebHost(t *testing.T) {
	t.Parallel()
	tr := newTree(t)
	c := tr.checker(t, ModeDefault, ruleLists{
		allow: []string{"WebFetch(domain:localhost)", "WebFetch(domain:*.internal.corp)", "WebFetch(domain:*)", "WebFetch(domain:[::1])"},
		deny:  []string{"WebFetch(domain:10.0.0.1)"},
	})
	for host, want := range map[string]bool{
		"localhost":          true,
		"::1":                true,
		"wiki.internal.corp": false, // through a wildcard
		"127.0.0.1":          false, // only domain:* covers it
		"10.0.0.1":           false, // a deny rule names it, not an allow rule
	} {
		if got := c.NamesWebHost(host); got != want {
			t.Errorf("NamesWebHost(%s) = %v, want %v", host, got, want)
		}
	}
	if err := c.AddRule(Allow, parseRules(t, "WebFetch(domain:127.0.0.1)")[0]); err != nil {
		t.Fatal(err)
	}
	if !c.NamesWebHost("127.0.0.1") {
		t.Error("a rule added in the session (don't ask again) does not name its host")
	}
}
