package config

import (
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func sandboxValues(vs []Value[string]) []string {
	var out []string
	for _, v := range vs {
		out = append(out, v.Value)
	}
	return out
}

func TestSandboxParse(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	f.write(f.user(), `{"sandbox": {
  "enabled": true,
  "autoAllowBashIfSandboxed": false,
  "allowUnsandboxedCommands": false,
  "failIfUnavailable": true,
  "excludedCommands": ["docker:*"],
  "network": {"allowedDomains": ["github.com", "*.npmjs.org"], "allowUnixSockets": ["/run/agent.sock"], "allowLocalBinding": true},
  "filesystem": {"allowWrite": ["~/.cache/go-build"], "denyRead": ["~/secrets"], "denyWrite": ["./frozen"]}
}}`)
	c := f.mustLoad()
	sc := c.Sandbox
	if !sc.Enabled.Value || sc.AutoAllowBashIfSandboxed.Value || sc.AllowUnsandboxedCommands.Value || !sc.FailIfUnavailable.Value || !sc.AllowLocalBinding.Value {
		t.Errorf("scalars wrong: %+v", sc)
	}
	if sc.Locked {
		t.Error("Locked without a managed policy")
	}
	for name, pair := range map[string][2][]string{
		"excluded":  {{"docker:*"}, sandboxValues(sc.ExcludedCommands)},
		"domains":   {{"github.com", "*.npmjs.org"}, sandboxValues(sc.AllowedDomains)},
		"sockets":   {{"/run/agent.sock"}, sandboxValues(sc.AllowUnixSockets)},
		"write":     {{"~/.cache/go-build"}, sandboxValues(sc.AllowWrite)},
		"denyRead":  {{"~/secrets"}, sandboxValues(sc.DenyRead)},
		"denyWrite": {{"./frozen"}, sandboxValues(sc.DenyWrite)},
	} {
		if diff := cmp.Diff(pair[0], pair[1]); diff != "" {
			t.Errorf("%s mismatch (-want +got):\n%s", name, diff)
		}
	}
	if got := sc.AllowedDomains[0].Source.String(); !strings.Contains(got, "sandbox.network.allowedDomains") {
		t.Errorf("source = %q, want the key", got)
	}
	for _, w := range c.Warnings {
		if strings.Contains(w, "sandbox") {
			t.Errorf("unexpected warning: %s", w)
		}
	}
}

func TestSandboxDefaults(t *testing.T) {
	t.Parallel()
	c := newFixture(t).mustLoad()
	sc := c.Sandbox
	if sc.Enabled.Value || !sc.AutoAllowBashIfSandboxed.Value || !sc.AllowUnsandboxedCommands.Value || sc.FailIfUnavailable.Value {
		t.Errorf("defaults wrong: enabled %v autoAllow %v allowUnsandboxed %v fail %v", sc.Enabled.Value, sc.AutoAllowBashIfSandboxed.Value, sc.AllowUnsandboxedCommands.Value, sc.FailIfUnavailable.Value)
	}
}

// A value of the wrong type is a warning at its line and column, and the
// rest of the object applies.
func TestSandboxWrongTypes(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, json, want string
	}{
		{"enabled string", `{"sandbox": {"enabled": "yes"}}`, `:1:25: "sandbox.enabled": want true or false, got a string; left out`},
		{"domains object", `{"sandbox": {"network": {"allowedDomains": {}}}}`, `:1:44: "sandbox.network.allowedDomains": want an array of strings, got an object; left out`},
		{"domain number", `{"sandbox": {"network": {"allowedDomains": ["a.com", 3]}}}`, `:1:44: "sandbox.network.allowedDomains[1]": want a string, got a number; left out`},
		{"port range", `{"sandbox": {"network": {"httpProxyPort": 70000}}}`, `:1:43: "sandbox.network.httpProxyPort": want a port number from 1 to 65535, got 70000; left out`},
		{"filesystem array", `{"sandbox": {"filesystem": []}}`, `:1:28: "sandbox.filesystem": want a JSON object, got an array`},
		{"sandbox string", `{"sandbox": "on"}`, `:1:13: "sandbox": want a JSON object, got a string`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			f := newFixture(t)
			path := f.write(f.user(), tt.json)
			c := f.mustLoad()
			want := path + tt.want
			if !slices.ContainsFunc(c.Warnings, func(w string) bool { return strings.Contains(w, want) }) {
				t.Errorf("no warning containing %q in %q", want, c.Warnings)
			}
		})
	}
	// The rest applies.
	f := newFixture(t)
	f.write(f.user(), `{"sandbox": {"enabled": true, "network": {"allowedDomains": ["a.com", 3]}}}`)
	c := f.mustLoad()
	if !c.Sandbox.Enabled.Value || !slices.Equal(sandboxValues(c.Sandbox.AllowedDomains), []string{"a.com"}) {
		t.Errorf("the valid rest was lost: %+v", c.Sandbox)
	}
}

// A wrong type in the managed policy is a problem: the policy applies
// whole or not at all.
func TestSandboxManagedWrongTypeFails(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	f.write(f.managed, `{"sandbox": {"enabled": 1}}`)
	if _, err := f.load(); err == nil || !strings.Contains(err.Error(), `"sandbox.enabled": want true or false`) {
		t.Errorf("load error = %v, want the managed policy's wrong type", err)
	}
}

func TestSandboxMerge(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	f.write(f.user(), `{"sandbox": {"enabled": false, "network": {"allowedDomains": ["user.com", "shared.com"]}, "excludedCommands": ["git:*"]}}`)
	f.write(f.local(), `{"sandbox": {"enabled": true, "network": {"allowedDomains": ["local.com", "shared.com"]}}}`)
	c := f.mustLoad()
	if !c.Sandbox.Enabled.Value || c.Sandbox.Enabled.Source.Kind != SourceLocal {
		t.Errorf("enabled = %+v, want true from the local file", c.Sandbox.Enabled)
	}
	if diff := cmp.Diff([]string{"local.com", "shared.com", "user.com"}, sandboxValues(c.Sandbox.AllowedDomains)); diff != "" {
		t.Errorf("domains: the union of the levels, highest first, each once (-want +got):\n%s", diff)
	}

	// The managed policy wins, locks enabled, and may keep its own domains only.
	f.write(f.managed, `{"sandbox": {"enabled": true, "failIfUnavailable": true, "network": {"allowedDomains": ["corp.com"], "allowManagedDomainsOnly": true}}}`)
	f.write(f.local(), `{"sandbox": {"enabled": false, "failIfUnavailable": false, "network": {"allowedDomains": ["local.com"]}}}`)
	c = f.mustLoad()
	if !c.Sandbox.Enabled.Value || !c.Sandbox.Locked || !c.Sandbox.FailIfUnavailable.Value {
		t.Errorf("managed did not win: %+v", c.Sandbox)
	}
	if diff := cmp.Diff([]string{"corp.com"}, sandboxValues(c.Sandbox.AllowedDomains)); diff != "" {
		t.Errorf("allowManagedDomainsOnly (-want +got):\n%s", diff)
	}
}

// Denied domains take out an allowed pattern that covers them, since the
// proxy can only allow.
func TestSandboxDeniedDomains(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	f.write(f.user(), `{"sandbox": {"network": {"allowedDomains": ["*.example.com", "github.com"], "deniedDomains": ["evil.example.com"]}}}`)
	c := f.mustLoad()
	if diff := cmp.Diff([]string{"github.com"}, sandboxValues(c.Sandbox.AllowedDomains)); diff != "" {
		t.Errorf("domains (-want +got):\n%s", diff)
	}
	if !slices.ContainsFunc(c.Warnings, func(w string) bool {
		return strings.Contains(w, `"*.example.com"`) && strings.Contains(w, "deniedDomains")
	}) {
		t.Errorf("no warning about the dropped pattern: %q", c.Warnings)
	}
}

func TestDomainCovers(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		pattern, host string
		want          bool
	}{
		{"example.com", "example.com", true},
		{"example.com", "a.example.com", false},
		{"*.example.com", "a.example.com", true},
		{"*.example.com", "example.com", false},
		{"*.example.com", "badexample.com", false},
		{"*", "anything.org", true},
	} {
		if got := DomainCovers(tt.pattern, tt.host); got != tt.want {
			t.Errorf("DomainCovers(%q, %q) = %v, want %v", tt.pattern, tt.host, got, tt.want)
		}
	}
}

// A repository must not widen the sandbox before the folder is trusted;
// what only restricts it applies anywhere.
func TestSandboxTrust(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		project string
		want    []string
	}{
		{"widening", `{"sandbox": {"enabled": false, "excludedCommands": ["curl:*"], "allowUnsandboxedCommands": true, "autoAllowBashIfSandboxed": true,
			"network": {"allowedDomains": ["evil.com"], "allowAllUnixSockets": true, "allowLocalBinding": true, "httpProxyPort": 8080},
			"filesystem": {"allowWrite": ["~/.ssh"], "allowRead": ["~/.aws"]}, "ignoreViolations": {"*": ["/etc"]}}}`,
			[]string{"sandbox.allowUnsandboxedCommands", "sandbox.autoAllowBashIfSandboxed", "sandbox.enabled", "sandbox.excludedCommands",
				"sandbox.filesystem.allowRead", "sandbox.filesystem.allowWrite", "sandbox.ignoreViolations.*",
				"sandbox.network.allowAllUnixSockets", "sandbox.network.allowLocalBinding", "sandbox.network.allowedDomains", "sandbox.network.httpProxyPort"}},
		{"restricting", `{"sandbox": {"enabled": true, "failIfUnavailable": true, "allowUnsandboxedCommands": false, "autoAllowBashIfSandboxed": false,
			"network": {"deniedDomains": ["x.com"]}, "filesystem": {"denyRead": ["~/.kube"], "denyWrite": ["./x"]}}}`, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			f := newFixture(t)
			f.untrusted = true
			f.write(f.claudeProject(), tt.project)
			c, _ := f.load()
			got := findingNames(c.Trust)
			slices.Sort(got)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("findings mismatch (-want +got):\n%s", diff)
			}
		})
	}

	// Untrusted: the widening settings are left out, the user's own stay.
	f := newFixture(t)
	f.untrusted = true
	f.write(f.user(), `{"sandbox": {"enabled": true, "network": {"allowedDomains": ["mine.com"]}}}`)
	f.write(f.claudeProject(), `{"sandbox": {"enabled": false, "excludedCommands": ["curl:*"], "network": {"allowedDomains": ["evil.com"]}, "filesystem": {"denyRead": ["~/.kube"]}}}`)
	c, _ := f.load()
	sc := c.Sandbox
	if !sc.Enabled.Value || len(sc.ExcludedCommands) > 0 || !slices.Equal(sandboxValues(sc.AllowedDomains), []string{"mine.com"}) || !slices.Equal(sandboxValues(sc.DenyRead), []string{"~/.kube"}) {
		t.Errorf("untrusted project widened the sandbox: %+v", sc)
	}
}

// A sandbox only an untrusted repository turned on confines commands but
// keeps asking; one the user turned on auto-allows by default.
func TestSandboxAutoAllowDefault(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	f.untrusted = true
	f.write(f.claudeProject(), `{"sandbox": {"enabled": true}}`)
	c, _ := f.load()
	if !c.Sandbox.Enabled.Value || c.Sandbox.AutoAllowBashIfSandboxed.Value {
		t.Errorf("untrusted project: enabled %v autoAllow %v, want true false", c.Sandbox.Enabled.Value, c.Sandbox.AutoAllowBashIfSandboxed.Value)
	}
	f.untrusted = false
	c = f.mustLoad()
	if !c.Sandbox.AutoAllowBashIfSandboxed.Value {
		t.Error("trusted project: autoAllow off, want the default true")
	}
}

// Unknown keys under sandbox get a "did you mean"; Claude Code's macOS
// switches are listed as features basalt ignores.
func TestSandboxUnknownKeys(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	f.write(f.user(), `{"sandbox": {"enabed": true, "enableWeakerNetworkIsolation": true}}`)
	c := f.mustLoad()
	if !slices.ContainsFunc(c.Warnings, func(w string) bool { return strings.Contains(w, `did you mean "sandbox.enabled"`) }) {
		t.Errorf("no suggestion: %q", c.Warnings)
	}
	if !slices.ContainsFunc(c.Ignored, func(k IgnoredKey) bool { return k.Key == "sandbox.enableWeakerNetworkIsolation" }) {
		t.Errorf("macOS key not listed as ignored: %+v", c.Ignored)
	}
	if slices.ContainsFunc(c.Ignored, func(k IgnoredKey) bool { return k.Key == "sandbox" }) {
		t.Error("sandbox still listed as an ignored key")
	}
}

// basalt's own switches for hooks and MCP servers: off by default; a
// repository may turn them on (more sandbox) but not off.
func TestSandboxBasaltSwitches(t *testing.T) {
	t.Parallel()
	c := newFixture(t).mustLoad()
	if c.Sandbox.BasaltHooks.Value || c.Sandbox.BasaltMCPServers.Value {
		t.Error("hooks or MCP servers sandboxed by default")
	}
	f := newFixture(t)
	f.write(f.user(), `{"sandbox": {"basaltHooks": true, "basaltMcpServers": true}}`)
	c = f.mustLoad()
	if !c.Sandbox.BasaltHooks.Value || !c.Sandbox.BasaltMCPServers.Value {
		t.Errorf("switches not read: %+v %+v", c.Sandbox.BasaltHooks, c.Sandbox.BasaltMCPServers)
	}
	f.untrusted = true
	f.write(f.claudeProject(), `{"sandbox": {"basaltHooks": false, "basaltMcpServers": false}}`)
	c, _ = f.load()
	if !c.Sandbox.BasaltHooks.Value || !c.Sandbox.BasaltMCPServers.Value {
		t.Error("an untrusted repository took hooks or MCP servers out of the sandbox")
	}
	if got := findingNames(c.Trust); !slices.Contains(got, "sandbox.basaltHooks") || !slices.Contains(got, "sandbox.basaltMcpServers") {
		t.Errorf("findings = %v", got)
	}
}
