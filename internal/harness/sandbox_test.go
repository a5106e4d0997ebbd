package harness

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/basalt-dev/basalt/internal/config"
	"github.com/basalt-dev/basalt/internal/sandbox"
)

func loadSandboxConfig(t *testing.T, settings string) *config.Config {
	t.Helper()
	dir := t.TempDir()
	home, root := filepath.Join(dir, "home"), filepath.Join(dir, "proj")
	for _, d := range []string{filepath.Join(root, ".git", "hooks"), filepath.Join(home, ".ssh"), filepath.Join(dir, "extra")} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	if settings != "" {
		p := filepath.Join(home, ".config", "basalt", "settings.json")
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		settings = strings.ReplaceAll(settings, "EXTRA", filepath.Join(dir, "extra"))
		if err := os.WriteFile(p, []byte(settings), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	cfg, err := config.Load(t.Context(), config.Input{Env: map[string]string{"HOME": home, "XDG_STATE_HOME": filepath.Join(home, ".local", "state")}, WorkDir: root, ManagedPaths: []string{}})
	// No provider is configured: that problem is not this test's.
	if err != nil && cfg == nil {
		t.Fatal(err)
	}
	return cfg
}

func TestSandboxPolicy(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		settings string
		check    func(t *testing.T, cfg *config.Config, p sandbox.Policy, warns []string)
	}{
		{"defaults", "", func(t *testing.T, cfg *config.Config, p sandbox.Policy, warns []string) {
			home := cfg.Getenv("HOME")
			mustHave(t, "Writable", p.Writable, cfg.ProjectRoot, "/tmp/basalt-test")
			mustHave(t, "DenyWrite", p.DenyWrite, filepath.Join(cfg.ProjectRoot, ".git/hooks"), filepath.Join(cfg.ProjectRoot, ".git/config"),
				filepath.Join(cfg.ProjectRoot, ".claude"), filepath.Join(cfg.ProjectRoot, ".basalt"), filepath.Join(cfg.ProjectRoot, ".mcp.json"))
			mustNotHave(t, "DenyWrite", p.DenyWrite, filepath.Join(cfg.ProjectRoot, ".git"), filepath.Join(home, ".ssh"))
			mustHave(t, "DenyRead", p.DenyRead, filepath.Join(home, ".ssh"), filepath.Join(home, ".aws"), cfg.StateDir)
			if len(p.AllowedDomains) != 0 || p.AllowAllUnixSockets || p.AllowLocalBinding {
				t.Errorf("network open by default: %+v", p)
			}
			mustHave(t, "Env", p.Env, "TMPDIR=/tmp/basalt-test")
		}},
		{"settings and rules", `{
  "permissions": {"additionalDirectories": ["EXTRA"], "deny": ["Read(./secrets/**)", "Edit(./frozen.txt)", "Read(**/*.pem)"],
                  "allow": ["Edit(//opt/cache/**)", "WebFetch(domain:docs.example.com)"]},
  "sandbox": {"filesystem": {"allowWrite": ["~/.cache/go-build"], "denyRead": ["~/.kube"], "denyWrite": ["./vendor"]},
              "network": {"allowedDomains": ["proxy.golang.org"], "allowUnixSockets": ["~/agent.sock"], "allowLocalBinding": true}}}`,
			func(t *testing.T, cfg *config.Config, p sandbox.Policy, warns []string) {
				home, root := cfg.Getenv("HOME"), cfg.ProjectRoot
				extra := filepath.Join(filepath.Dir(root), "extra")
				mustHave(t, "Writable", p.Writable, root, extra, filepath.Join(home, ".cache/go-build"), "/opt/cache")
				mustHave(t, "DenyWrite", p.DenyWrite, filepath.Join(root, "frozen.txt"), filepath.Join(root, "vendor"), filepath.Join(extra, ".git/hooks"))
				mustHave(t, "DenyRead", p.DenyRead, filepath.Join(root, "secrets"), filepath.Join(home, ".kube"))
				mustHave(t, "AllowedDomains", p.AllowedDomains, "proxy.golang.org", "docs.example.com")
				mustHave(t, "AllowUnixSockets", p.AllowUnixSockets, filepath.Join(home, "agent.sock"))
				if !p.AllowLocalBinding {
					t.Error("allowLocalBinding lost")
				}
				for _, d := range p.DenyRead {
					if strings.Contains(d, "*") {
						t.Errorf("a glob reached the policy: %s", d)
					}
				}
			}},
		{"allowRead re-opens a whole hidden directory only", `{"sandbox": {"filesystem": {"denyRead": ["~/private", "~/dir/inner"], "allowRead": ["~/private", "~/dir"]}}}`,
			func(t *testing.T, cfg *config.Config, p sandbox.Policy, warns []string) {
				home := cfg.Getenv("HOME")
				mustNotHave(t, "DenyRead", p.DenyRead, filepath.Join(home, "private"), filepath.Join(home, "dir/inner"))
				cfg2 := loadSandboxConfig(t, `{"sandbox": {"filesystem": {"allowRead": ["~/.ssh/known_hosts"]}}}`)
				checker, _ := newChecker(cfg2, false)
				p2, warns2 := sandboxPolicy(cfg2, checker, "")
				mustHave(t, "DenyRead", p2.DenyRead, filepath.Join(cfg2.Getenv("HOME"), ".ssh"))
				if len(warns2) == 0 {
					t.Error("no warning for a re-opening the sandbox cannot do")
				}
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			cfg := loadSandboxConfig(t, tt.settings)
			checker, err := newChecker(cfg, false)
			if err != nil {
				t.Fatal(err)
			}
			p, warns := sandboxPolicy(cfg, checker, "/tmp/basalt-test")
			tt.check(t, cfg, p, warns)
		})
	}
}

func mustHave(t *testing.T, field string, got []string, want ...string) {
	t.Helper()
	for _, w := range want {
		if !slices.Contains(got, w) {
			t.Errorf("%s lacks %s: %q", field, w, got)
		}
	}
}

func mustNotHave(t *testing.T, field string, got []string, bad ...string) {
	t.Helper()
	for _, b := range bad {
		if slices.Contains(got, b) {
			t.Errorf("%s has %s", field, b)
		}
	}
}

// When the sandbox cannot run, the session says so once and Bash falls
// back to the permission engine; under failIfUnavailable Bash refuses.
func TestSandboxUnavailable(t *testing.T) {
	t.Parallel()
	unavailable := func(context.Context) sandbox.Status {
		return sandbox.Status{Reason: "bubblewrap (bwrap) is not installed", Hint: "install it: sudo apt-get install bubblewrap"}
	}
	for _, tt := range []struct {
		name, settings string
		wantNotice     string
		wantRefusal    bool
	}{
		{"fallback", `{"sandbox": {"enabled": true}}`, "Bash commands run without it", false},
		{"required", `{"sandbox": {"enabled": true, "failIfUnavailable": true}}`, "Bash is refused: sandbox.failIfUnavailable", true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			cfg := loadSandboxConfig(t, tt.settings)
			s := &Session{cfg: cfg, o: Options{sandboxProbe: unavailable, sandboxStart: sandbox.Start}}
			notice, err := s.startSandbox(t.Context())
			if err != nil {
				t.Fatal(err)
			}
			defer s.sbx.close()
			if !strings.Contains(notice, tt.wantNotice) || !strings.Contains(notice, "bwrap") || !strings.Contains(notice, "apt-get install bubblewrap") {
				t.Errorf("notice = %q", notice)
			}
			ps := s.sbx.permission()
			if ps.On || (ps.Refusal != "") != tt.wantRefusal {
				t.Errorf("permission sandbox = %+v", ps)
			}
			v := s.Sandbox()
			if v.Marker != "sandbox off" || v.On {
				t.Errorf("view = %+v", v)
			}
			if _, err := s.SetSandbox(t.Context(), true); err == nil || !strings.Contains(err.Error(), "bwrap") {
				t.Errorf("/sandbox on without bwrap: %v", err)
			}
		})
	}
}

// The managed policy's sandbox.enabled cannot be switched off.
func TestSandboxLocked(t *testing.T) {
	t.Parallel()
	cfg := loadSandboxConfig(t, "")
	cfg.Sandbox.Enabled = config.Value[bool]{Value: true, Set: true, Source: config.Source{Kind: config.SourceManaged, Name: "/etc/basalt/managed-settings.json"}}
	cfg.Sandbox.Locked = true
	s := &Session{cfg: cfg, o: Options{sandboxProbe: func(context.Context) sandbox.Status { return sandbox.Status{Reason: "no"} }, sandboxStart: sandbox.Start}}
	if _, err := s.startSandbox(t.Context()); err != nil {
		t.Fatal(err)
	}
	defer s.sbx.close()
	if _, err := s.SetSandbox(t.Context(), false); err == nil || !strings.Contains(err.Error(), "managed policy") {
		t.Errorf("switching off a managed sandbox: %v", err)
	}
}

// /sandbox on|off is kept in the project's local settings, as Claude
// Code's /sandbox keeps it, without losing the file's other sandbox keys;
// a switch that cannot happen saves nothing.
func TestSetSandboxSaves(t *testing.T) {
	t.Parallel()
	cfg := loadSandboxConfig(t, "")
	local := filepath.Join(cfg.ProjectRoot, ".claude", "settings.local.json")
	if err := os.MkdirAll(filepath.Dir(local), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(local, []byte(`{"sandbox": {"excludedCommands": ["docker:*"]}, "model": "opus"}`), 0o600); err != nil {
		t.Fatal(err)
	}
	cfg = reload(t, cfg)
	unavailable := func(context.Context) sandbox.Status {
		return sandbox.Status{Reason: "bubblewrap (bwrap) is not installed"}
	}
	s := &Session{cfg: cfg, o: Options{sandboxProbe: unavailable, sandboxStart: sandbox.Start}}
	if _, err := s.startSandbox(t.Context()); err != nil {
		t.Fatal(err)
	}
	defer s.sbx.close()
	before, _ := os.ReadFile(local)
	if _, err := s.SetSandbox(t.Context(), true); err == nil {
		t.Fatal("/sandbox on succeeded without bwrap")
	}
	if after, _ := os.ReadFile(local); string(after) != string(before) {
		t.Errorf("a switch that could not happen changed %s:\n%s", local, after)
	}
	v, err := s.SetSandbox(t.Context(), false)
	if err != nil {
		t.Fatal(err)
	}
	if v.Saved != local {
		t.Errorf("saved in %q, want %q", v.Saved, local)
	}
	data, err := os.ReadFile(local)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`"enabled": false`, `"docker:*"`, `"model": "opus"`} {
		if !strings.Contains(string(data), want) {
			t.Errorf("%s lacks %s:\n%s", local, want, data)
		}
	}
	if next := reload(t, cfg); next.Sandbox.Enabled.Value || next.Sandbox.Enabled.Source.Name != local {
		t.Errorf("the next session's sandbox.enabled = %+v", next.Sandbox.Enabled)
	}

	// A switch refused by the managed policy writes nothing.
	locked := reload(t, cfg)
	locked.Sandbox.Enabled = config.Value[bool]{Value: true, Set: true, Source: config.Source{Kind: config.SourceManaged}}
	locked.Sandbox.Locked = true
	s2 := &Session{cfg: locked, o: Options{sandboxProbe: unavailable, sandboxStart: sandbox.Start}}
	if _, err := s2.startSandbox(t.Context()); err != nil {
		t.Fatal(err)
	}
	defer s2.sbx.close()
	if _, err := s2.SetSandbox(t.Context(), false); err == nil {
		t.Fatal("a managed sandbox was switched off")
	}
	if after, _ := os.ReadFile(local); string(after) != string(data) {
		t.Errorf("a refused switch changed %s:\n%s", local, after)
	}
}

// reload loads the configuration of cfg's project and home again, as the
// next session would.
func reload(t *testing.T, cfg *config.Config) *config.Config {
	t.Helper()
	home := cfg.Getenv("HOME")
	next, err := config.Load(t.Context(), config.Input{Env: map[string]string{"HOME": home, "XDG_STATE_HOME": filepath.Join(home, ".local", "state")}, WorkDir: cfg.ProjectRoot, ManagedPaths: []string{}})
	if err != nil && next == nil {
		t.Fatal(err)
	}
	return next
}
