package cli

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"testing"

	tea "charm.land/bubbletea/v2"
	"charm.land/huh/v2"

	"github.com/basalt-dev/basalt/internal/config"
)

func mcpApp(t *testing.T) (*App, string) {
	t.Helper()
	dir := t.TempDir()
	repo := filepath.Join(dir, "repo")
	if err := os.MkdirAll(filepath.Join(repo, ".git"), 0o755); err != nil {
		t.Fatal(err)
	}
	writeMCPJSON(t, repo, `{"mcpServers":{"a":{"command":"srv-a"},"b":{"type":"http","url":"https://b.example/mcp"}}}`)
	app, _, _ := testApp()
	app.WorkDir = repo
	app.Env = map[string]string{"HOME": filepath.Join(dir, "home"), "XDG_STATE_HOME": filepath.Join(dir, "state"), "CLAUDE_CODE_USE_BEDROCK": "1"}
	app.ManagedPaths = []string{filepath.Join(dir, "managed.json")}
	return app, repo
}

func writeMCPJSON(t *testing.T, repo, content string) {
	t.Helper()
	if err := os.WriteFile(filepath.Join(repo, ".mcp.json"), []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

func startable(cfg *config.Config) []string {
	var out []string
	for _, s := range cfg.MCP.Servers {
		if !s.NeedsApproval {
			out = append(out, s.Name)
		}
	}
	return out
}

// The user picks servers; the answer is remembered until .mcp.json
// changes, and a headless run uses exactly what was approved.
func TestSettleMCP(t *testing.T) {
	t.Parallel()
	app, repo := mcpApp(t)
	load := func() *config.Config {
		app.Config = nil
		cfg, err := app.loadConfig(t.Context())
		if err != nil {
			t.Fatal(err)
		}
		return cfg
	}
	space := tea.KeyPressMsg{Code: tea.KeySpace, Text: " "}
	enter := tea.KeyPressMsg{Code: tea.KeyEnter}
	asked := 0
	run := func(ctx context.Context, f *huh.Form) error {
		asked++
		d := &formDriver{t: t, scripts: [][]tea.Msg{{space, enter}}} // select the first (a), confirm
		return d.run(ctx, f)
	}

	// Headless, nothing remembered: nothing starts.
	cfg := load()
	if err := app.settleMCP(t.Context(), cfg, false, run); err != nil {
		t.Fatal(err)
	}
	if got := startable(cfg); len(got) != 0 || asked != 0 {
		t.Fatalf("startable %v, asked %d", got, asked)
	}

	// Interactive: asked once; a approved, b declined.
	cfg = load()
	if err := app.settleMCP(t.Context(), cfg, true, run); err != nil {
		t.Fatal(err)
	}
	if got := startable(cfg); !slices.Equal(got, []string{"a"}) || asked != 1 {
		t.Fatalf("startable %v, asked %d", got, asked)
	}
	if len(cfg.MCP.Skipped) != 1 || cfg.MCP.Skipped[0].Name != "b" {
		t.Errorf("skipped %+v", cfg.MCP.Skipped)
	}

	// Remembered: a headless run uses a without asking.
	app.trust = nil
	cfg = load()
	if err := app.settleMCP(t.Context(), cfg, false, run); err != nil {
		t.Fatal(err)
	}
	if got := startable(cfg); !slices.Equal(got, []string{"a"}) || asked != 1 {
		t.Fatalf("remembered: startable %v, asked %d", got, asked)
	}

	// The file changed: the answer no longer applies.
	writeMCPJSON(t, repo, `{"mcpServers":{"a":{"command":"srv-a","args":["--evil"]}}}`)
	app.trust = nil
	cfg = load()
	if err := app.settleMCP(t.Context(), cfg, false, run); err != nil {
		t.Fatal(err)
	}
	if got := startable(cfg); len(got) != 0 {
		t.Fatalf("after a change: startable %v", got)
	}

	// Esc: nothing starts, the session does not either.
	esc := func(ctx context.Context, f *huh.Form) error {
		d := &formDriver{t: t, scripts: [][]tea.Msg{{tea.KeyPressMsg{Code: tea.KeyEscape}}}}
		return d.run(ctx, f)
	}
	if err := app.settleMCP(t.Context(), cfg, true, esc); !errors.Is(err, context.Canceled) {
		t.Errorf("esc: %v", err)
	}
}
