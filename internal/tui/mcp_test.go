package tui

import (
	"context"
	"encoding/json"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/basalt-dev/basalt/internal/agent"
	"github.com/basalt-dev/basalt/internal/config"
	"github.com/basalt-dev/basalt/internal/harness"
	"github.com/basalt-dev/basalt/internal/mcp"
	"github.com/basalt-dev/basalt/internal/mcp/mcptest"
)

// mcpFake is the fake backend with a live MCP manager.
type mcpFake struct {
	*fakeBackend
	mgr    *mcp.Manager
	logins []string
}

func (f *mcpFake) MCP() *mcp.Manager { return f.mgr }
func (f *mcpFake) MCPLogin(_ context.Context, name string, open func(string) error) error {
	f.logins = append(f.logins, name)
	return open("http://127.0.0.1:1/authorize?x=1")
}

func newMCPModel(t *testing.T) (*Model, *mcpFake) {
	t.Helper()
	srv := httptest.NewServer(mcptest.HTTPHandler(""))
	t.Cleanup(srv.Close)
	mgr := mcp.Start(t.Context(), []config.MCPServer{{Name: "s", Type: config.MCPHTTP, URL: srv.URL, Scope: "user"}}, mcp.Options{})
	t.Cleanup(func() { mgr.Close() })
	ctx, cancel := context.WithTimeout(t.Context(), 20*time.Second)
	defer cancel()
	if err := mgr.Wait(ctx); err != nil {
		t.Fatal(err)
	}
	fb := &fakeBackend{info: testInfo()}
	fb.info.MCPServers = []harness.MCPServer{
		{Name: "s", Status: "connected", Scope: "user", Target: srv.URL, Tools: 6},
		{Name: "remote", Status: "needs-auth", Scope: "local", Target: "https://mcp.example.com"},
		{Name: "shared", Status: "disabled", Scope: "project", Error: "not approved for this project"},
	}
	f := &mcpFake{fakeBackend: fb, mgr: mgr}
	m := New(Options{Backend: f, Info: fb.info, NoColor: true, Now: time.Now,
		TurnContext: func() (context.Context, context.CancelFunc) { return context.WithCancel(t.Context()) }})
	m.Update(tea.WindowSizeMsg{Width: 160, Height: 40})
	return m, f
}

// run runs a command (a batch's commands too, ticks aside) and feeds
// what it returns to Update.
func run(m *Model, cmd tea.Cmd) {
	if cmd == nil {
		return
	}
	switch msg := cmd().(type) {
	case nil:
	case tea.BatchMsg:
		for _, c := range msg {
			if c == nil {
				continue
			}
			if out := c(); out != nil {
				if _, tick := out.(tickMsg); !tick {
					run(m, func() tea.Msg { return out })
				}
			}
		}
	default:
		m.Update(msg)
	}
}

func TestMCPCommandShowsStatus(t *testing.T) {
	m, _ := newMCPModel(t)
	typeText(m, "/mcp")
	run(m, m.command("/mcp"))
	frame := ansi.Strip(m.Frame())
	for _, want := range []string{
		"connected, 6 tools (user:",
		"needs login: /mcp login remote (local: https://mcp.example.com)",
		"disabled: not approved for this project (project)",
		"/mcp__s__greet NAME [STYLE]  Greets someone.",
	} {
		if !strings.Contains(frame, want) {
			t.Errorf("/mcp lacks %q:\n%s", want, frame)
		}
	}
}

func TestMCPLoginFromTUI(t *testing.T) {
	m, f := newMCPModel(t)
	var sent []tea.Msg
	m.send = func(msg tea.Msg) { sent = append(sent, msg) }
	run(m, m.command("/mcp login remote"))
	if len(f.logins) != 1 || f.logins[0] != "remote" {
		t.Fatalf("logins %v", f.logins)
	}
	if len(sent) != 1 || !strings.Contains(sent[0].(outputMsg).text, "http://127.0.0.1:1/authorize") {
		t.Errorf("the address was not shown: %v", sent)
	}
}

func TestMCPCompletion(t *testing.T) {
	m, _ := newMCPModel(t)
	typeText(m, "/mcp__s")
	if len(m.comp.items) != 1 || m.comp.items[0].value != "/mcp__s__greet" {
		t.Errorf("/ completion %+v", m.comp.items)
	}
	m.input.Reset()
	m.comp = completion{}
	typeText(m, "explain @s:te")
	_, cmd := m.Update(tea.KeyPressMsg{Code: 's', Text: "s"})
	run(m, cmd)
	if len(m.comp.items) != 1 || m.comp.items[0].value != "s:test://hello" {
		t.Fatalf("@ completion %+v", m.comp.items)
	}
	m.acceptCompletion()
	if got := m.input.Value(); got != "explain @s:test://hello " {
		t.Errorf("input %q", got)
	}
}

func TestMCPPromptCommandRuns(t *testing.T) {
	m, f := newMCPModel(t)
	run(m, m.command("/mcp__s__greet Ada"))
	if len(f.prompts) != 1 || f.prompts[0] != "/mcp__s__greet Ada" {
		t.Errorf("prompts %q", f.prompts)
	}
}

func TestMCPPermissionPromptNamesServer(t *testing.T) {
	m, _ := newMCPModel(t)
	startTurn(m, "echo")
	m.Update(askFor(&agent.ToolCall{ID: "m1", Name: "mcp__s__echo", Input: json.RawMessage(`{"text":"hi"}`)}, "mcp__s__echo"))
	frame := ansi.Strip(m.Frame())
	for _, want := range []string{"MCP server s wants to use its tool echo", "the server marks it read-only"} {
		if !strings.Contains(frame, want) {
			t.Errorf("prompt lacks %q:\n%s", want, frame)
		}
	}
}
