package config

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

func writeFile(t *testing.T, path, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

// local > project > user, basalt's file before Claude Code's; dynamic
// over all; --strict-mcp-config keeps the dynamic ones only.
func TestMCPScopePrecedence(t *testing.T) {
	dir := t.TempDir()
	home, root := filepath.Join(dir, "home"), filepath.Join(dir, "repo")
	writeFile(t, filepath.Join(root, ".git", "HEAD"), "")
	writeFile(t, filepath.Join(home, ".claude.json"), `{"mcpServers":{"a":{"command":"claude-user-a"},"b":{"command":"claude-user-b"},"u":{"command":"claude-user-u"}},
		"projects":{"`+root+`":{"mcpServers":{"a":{"command":"claude-local-a"}}}}}`)
	writeFile(t, filepath.Join(home, ".config", "basalt", "mcp.json"), `{"mcpServers":{"b":{"command":"basalt-user-b"},"p":{"command":"basalt-user-p"}}}`)
	writeFile(t, filepath.Join(root, ".mcp.json"), `{"mcpServers":{"p":{"command":"project-p"},"a":{"command":"project-a"}}}`)
	load := func(f Flags) map[string]MCPServer {
		c, err := Load(t.Context(), Input{Env: map[string]string{"HOME": home}, WorkDir: root, ManagedPaths: []string{}, Flags: f})
		if err != nil {
			t.Fatal(err)
		}
		out := map[string]MCPServer{}
		for _, s := range c.MCP.Servers {
			out[s.Name] = s
		}
		return out
	}
	got := load(Flags{})
	for name, want := range map[string]string{"a": "claude-local-a", "b": "basalt-user-b", "u": "claude-user-u", "p": "project-p"} {
		if got[name].Command != want {
			t.Errorf("%s = %q (%s), want %q", name, got[name].Command, got[name].Scope, want)
		}
	}
	if !got["p"].NeedsApproval || got["a"].NeedsApproval {
		t.Errorf("approval: p %v, a %v", got["p"].NeedsApproval, got["a"].NeedsApproval)
	}
	got = load(Flags{MCPConfigs: []string{`{"mcpServers":{"a":{"command":"dynamic-a"}}}`}})
	if got["a"].Command != "dynamic-a" || got["a"].Scope != MCPScopeDynamic {
		t.Errorf("dynamic: %+v", got["a"])
	}
	got = load(Flags{MCPConfigs: []string{`{"mcpServers":{"a":{"command":"dynamic-a"}}}`}, StrictMCPConfig: true})
	if len(got) != 1 {
		t.Errorf("strict: %v", got)
	}
}

func TestExpandVars(t *testing.T) {
	env := map[string]string{"HOST": "db.local", "EMPTY": ""}
	look := func(k string) (string, bool) { v, ok := env[k]; return v, ok }
	for _, tc := range []struct{ in, want, missing string }{
		{"${HOST}:5432", "db.local:5432", ""},
		{"${PORT:-5432}", "5432", ""},
		{"${EMPTY:-fallback}", "fallback", ""},
		{"${EMPTY}", "", ""},
		{"x${NOPE}y", "x${NOPE}y", "NOPE"},
		{"$HOST ${1BAD} ${", "$HOST ${1BAD} ${", ""},
	} {
		got, miss := ExpandVars(tc.in, look)
		if got != tc.want || strings.Join(miss, ",") != tc.missing {
			t.Errorf("ExpandVars(%q) = %q, %v; want %q, %q", tc.in, got, miss, tc.want, tc.missing)
		}
	}
}

func TestMCPPolicy(t *testing.T) {
	stdio := MCPServer{Name: "fs", Type: MCPStdio, Command: "npx", Args: []string{"-y", "server-fs"}}
	remote := MCPServer{Name: "gh", Type: MCPHTTP, URL: "https://api.corp.example/mcp"}
	m := func(name string, cmd []string, url string) mcpMatcher {
		return mcpMatcher{ServerName: name, ServerCommand: cmd, ServerURL: url, file: "managed"}
	}
	for _, tc := range []struct {
		name   string
		pol    mcpPolicy
		fs, gh bool // allowed
	}{
		{"no lists", mcpPolicy{}, true, true},
		{"empty allowlist: none", mcpPolicy{allowed: []mcpMatcher{}}, false, false},
		{"by name", mcpPolicy{allowed: []mcpMatcher{m("fs", nil, ""), m("gh", nil, "")}}, true, true},
		{"command entries bind stdio servers", mcpPolicy{allowed: []mcpMatcher{m("fs", nil, ""), m("", []string{"npx", "other"}, "")}}, false, false},
		{"exact command", mcpPolicy{allowed: []mcpMatcher{m("", []string{"npx", "-y", "server-fs"}, "")}}, true, false},
		{"url pattern", mcpPolicy{allowed: []mcpMatcher{m("", nil, "https://*.corp.example/*")}}, false, true},
		{"deny wins", mcpPolicy{allowed: []mcpMatcher{m("fs", nil, "")}, denied: []mcpMatcher{m("fs", nil, "")}}, false, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.pol.blocks(stdio) == ""; got != tc.fs {
				t.Errorf("fs allowed = %v (%s)", got, tc.pol.blocks(stdio))
			}
			if got := tc.pol.blocks(remote) == ""; got != tc.gh {
				t.Errorf("gh allowed = %v (%s)", got, tc.pol.blocks(remote))
			}
		})
	}
	if !slices.Contains([]bool{urlPatternMatch("https://*.x/*", "https://a.x/mcp")}, true) || urlPatternMatch("https://*.x/*", "https://a.y/mcp") {
		t.Error("urlPatternMatch")
	}
}
