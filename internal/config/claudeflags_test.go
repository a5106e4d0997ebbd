package config

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestMCPConfigFlag(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		file    string // written as mcp.json in the working directory
		arg     string
		want    []string
		wantErr string
	}{
		{"file", `{"mcpServers": {"b": {"command": "x"}, "a": {"url": "http://127.0.0.1/"}}}`, "mcp.json", []string{"a", "b"}, ""},
		{"inline", "", `{"mcpServers": {"gh": {"command": "gh-mcp"}}}`, []string{"gh"}, ""},
		{"missing file", "", "nope.json", nil, "--mcp-config nope.json: cannot read it"},
		{"syntax error", "{\n  \"mcpServers\": {,}\n}", "mcp.json", nil, "--mcp-config mcp.json: line 2, column 18: not JSON"},
		{"no servers key", `{"servers": {}}`, "mcp.json", nil, `no "mcpServers" object`},
		{"server without command or url", `{"mcpServers": {"x": {"args": []}}}`, "mcp.json", nil, `server "x": want a "command"`},
		{"inline value not echoed", "", `{"mcpServers": {"x": {"env": {"TOKEN": "s3cret"}}}}`, nil, "--mcp-config (JSON string): server"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			f := newFixture(t)
			if tt.file != "" {
				f.write(filepath.Join(f.workDir, "mcp.json"), tt.file)
			}
			f.flags.MCPConfigs = []string{tt.arg}
			c, err := f.load()
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want %q", err, tt.wantErr)
				}
				if strings.Contains(err.Error(), "s3cret") {
					t.Errorf("err %q quotes the inline value", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, v := range c.MCPServers {
				got = append(got, v.Value)
				if v.Source.Name != "--mcp-config" {
					t.Errorf("source = %v, want flag --mcp-config", v.Source)
				}
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("servers mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestAddDirFlag(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	f.write(filepath.Join(f.root, ".claude", "settings.json"), `{"permissions": {"additionalDirectories": ["/srv"]}}`)
	f.write(filepath.Join(f.workDir, "lib", "x"), "")
	f.flags.AddDirs = []string{"lib"}
	c := f.mustLoad()
	var got []string
	for _, d := range c.Permissions.AdditionalDirectories {
		got = append(got, d.Value+" "+d.Source.String())
	}
	want := []string{"/srv project " + f.claudeProject() + " (permissions.additionalDirectories)", filepath.Join(f.workDir, "lib") + " flag --add-dir"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("mismatch (-want +got):\n%s", diff)
	}

	f.flags.AddDirs = []string{"missing"}
	if _, err := f.load(); err == nil || !strings.Contains(err.Error(), "--add-dir "+filepath.Join(f.workDir, "missing")+": not a directory") {
		t.Errorf("err = %v, want not a directory", err)
	}
}

func TestDangerouslySkipPermissions(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	f.flags.DangerouslySkipPermissions = true
	c := f.mustLoad()
	if got := c.Permissions.DefaultMode; got.Value != "bypassPermissions" || got.Source.Name != "--dangerously-skip-permissions" {
		t.Errorf("mode = %q from %v, want bypassPermissions from the flag", got.Value, got.Source)
	}

	f.flags.PermissionMode = "plan"
	if _, err := f.load(); err == nil || !strings.Contains(err.Error(), "give one of them") {
		t.Errorf("err = %v, want the two flags refused together", err)
	}

	f.flags.PermissionMode = ""
	f.write(f.claudeUser(), `{"permissions": {"disableBypassPermissionsMode": "disable"}}`)
	if _, err := f.load(); err == nil || !strings.Contains(err.Error(), "--dangerously-skip-permissions is disabled by permissions.disableBypassPermissionsMode") {
		t.Errorf("err = %v, want bypass refused", err)
	}
}
