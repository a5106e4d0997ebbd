package permission

import (
	"strings"
	"testing"
)

func TestWebFetchRules(t *testing.T) {
	t.Parallel()
	tr := newTree(t)
	rules := ruleLists{
		allow: []string{"WebFetch(domain:docs.example.com)", "WebFetch(domain:*.go.dev)", "WebFetch(domain:127.0.0.1)"},
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
		{"https://pkg.go.dev/net", ModeDefault, Allow},
		{"https://go.dev/", ModeDefault, Ask},
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
	d := h.Decide(toolReq("WebFetch", "url", "https://pkg.go.dev/x"))
	if d.Behavior != Deny || !strings.Contains(d.Reason, "WebFetch(domain:pkg.go.dev)") {
		t.Errorf("headless: %s %q; want a deny naming WebFetch(domain:pkg.go.dev)", d.Behavior, d.Reason)
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
