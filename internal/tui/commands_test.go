package tui

import (
	"context"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
	"github.com/google/go-cmp/cmp"

	"github.com/basalt-dev/basalt/internal/agent"
	"github.com/basalt-dev/basalt/internal/cost"
	"github.com/basalt-dev/basalt/internal/session"
)

// slash types a command line and runs what it returns, delivering the
// backend's events to the model as the program would.
func slash(m *Model, line string) {
	m.send = func(msg tea.Msg) { m.Update(msg) }
	typeText(m, line)
	m.comp = completion{}
	_, cmd := m.Update(tea.KeyPressMsg{Code: tea.KeyEnter})
	runCmd(m, cmd)
}

// converse plays one finished exchange, so commands have a conversation
// to keep or clear.
func converse(m *Model) {
	startTurn(m, "what does add do?")
	ev(m, agent.Event{Kind: agent.EventText, Text: "It adds two integers.\n"})
	m.Update(turnDoneMsg{turn: m.turn, info: m.info})
}

func pastSessions() []session.Summary {
	day := time.Date(2026, 4, 30, 17, 5, 0, 0, time.UTC)
	return []session.Summary{
		{ID: "20260430T170500-a1b2c3", Updated: day, FirstPrompt: "fix the flaky test in ./internal/agent", Turns: 7, Cost: cost.Cost{USD: 0.3120, Known: true}},
		{ID: "20260429T091200-d4e5f6", Updated: day.Add(-32 * time.Hour), FirstPrompt: "explain the permission checker", Turns: 2, Cost: cost.Cost{USD: 0.0410, Known: true}},
	}
}

// TestCommandOutput: the frame each slash command leaves, at 80×24 and
// 200×50.
const doctorReport = "✓ settings      3 files, no problems\n✓ region        us-east-1 (env AWS_REGION)\n✓ credentials   env AWS_ACCESS_KEY_ID, no expiry\n✓ model access  sonnet, opus, haiku answer"

func TestCommandOutput(t *testing.T) {
	cases := []struct {
		name  string
		setup func(m *Model, fb *fakeBackend)
		check func(t *testing.T, m *Model, fb *fakeBackend)
	}{
		{name: "help"},
		{name: "model", check: func(t *testing.T, m *Model, _ *fakeBackend) {
			if m.picker == nil {
				t.Error("/model opened no picker")
			}
		}},
		{name: "cost"},
		{name: "status"},
		{name: "clear", setup: func(m *Model, _ *fakeBackend) { converse(m) }, check: func(t *testing.T, m *Model, fb *fakeBackend) {
			if diff := cmp.Diff([]string{""}, fb.resets); diff != "" {
				t.Errorf("resets mismatch (-want +got):\n%s", diff)
			}
			if m.info.SessionID != "s2" {
				t.Errorf("session %s after /clear, want the new one", m.info.SessionID)
			}
		}},
		{name: "compact", setup: func(m *Model, fb *fakeBackend) {
			converse(m)
			fb.compact = func(_ context.Context, on func(agent.Event)) error {
				on(agent.Event{Kind: agent.EventCompacted, Text: "The user asked what add does; it adds two integers."})
				return nil
			}
		}},
		{name: "resume", setup: func(_ *Model, fb *fakeBackend) { fb.sessions = pastSessions() }, check: func(t *testing.T, m *Model, _ *fakeBackend) {
			if m.picker == nil || len(m.picker.items) != 2 {
				t.Error("/resume opened no picker of the two sessions")
			}
		}},
		{name: "permissions", setup: func(m *Model, _ *fakeBackend) {
			m.info.Rules = []Rule{{Kind: "allow", Rule: "Bash(go test:*)", Source: ".basalt/settings.local.json"}, {Kind: "deny", Rule: "Read(./.env)", Source: ".basalt/settings.json"}}
		}},
		{name: "init", setup: func(_ *Model, fb *fakeBackend) {
			fb.run = func(_ context.Context, _ string, on func(agent.Event)) error {
				on(agent.Event{Kind: agent.EventText, Text: "I wrote `BASALT.md`: the build and test commands, the package layout and the conventions.\n"})
				return nil
			}
		}, check: func(t *testing.T, _ *Model, fb *fakeBackend) {
			if len(fb.prompts) != 1 || fb.prompts[0] != initPrompt {
				t.Errorf("/init sent %q, want the init prompt", fb.prompts)
			}
		}},
		{name: "doctor", setup: func(m *Model, _ *fakeBackend) {
			m.o.Doctor = func(context.Context) string { return doctorReport }
		}},
		{name: "login"},
		{name: "logout"},
	}
	for _, tc := range cases {
		for _, sz := range []struct {
			name string
			w, h int
		}{{"80x24", 80, 24}, {"200x50", 200, 50}} {
			t.Run(tc.name+"_"+sz.name, func(t *testing.T) {
				m, fb := newTestModel(t, sz.w, sz.h)
				m.lastTurn = turnTotals{ok: true, usage: cost.Usage{InputTokens: 40, CacheRead: 20_000, OutputTokens: 300}, cost: cost.Cost{USD: 0.0112, Known: true}}
				if tc.setup != nil {
					tc.setup(m, fb)
				}
				slash(m, "/"+tc.name)
				if m.busy {
					t.Errorf("/%s left a turn running", tc.name)
				}
				if tc.check != nil {
					tc.check(t, m, fb)
				}
				golden(t, "command_"+tc.name+"_"+sz.name, m)
			})
		}
	}
}

// TestExitCommand: /exit and /quit leave, drawing nothing more.
func TestExitCommand(t *testing.T) {
	t.Parallel()
	for _, line := range []string{"/exit", "/quit"} {
		m, _ := newTestModel(t, 80, 24)
		typeText(m, line)
		m.comp = completion{}
		_, cmd := m.Update(tea.KeyPressMsg{Code: tea.KeyEnter})
		quit := quits(cmd)
		if !quit || m.Frame() != "" {
			t.Errorf("%s: quit %v, frame %q", line, quit, m.Frame())
		}
	}
}

// quits reports whether cmd, or one of its batch, is tea.Quit.
func quits(cmd tea.Cmd) bool {
	if cmd == nil {
		return false
	}
	switch msg := cmd().(type) {
	case tea.QuitMsg:
		return true
	case tea.BatchMsg:
		for _, c := range msg {
			if quits(c) {
				return true
			}
		}
	}
	return false
}

// TestModelPicker: choosing a model switches it and keeps the
// conversation on screen (the backend keeps the session).
func TestModelPicker(t *testing.T) {
	t.Parallel()
	m, fb := newTestModel(t, 80, 24)
	converse(m)
	slash(m, "/model")
	if m.picker == nil {
		t.Fatal("no picker")
	}
	golden(t, "picker_model_80x24", m)
	press(m, tea.KeyDown, 0)
	_, cmd := m.Update(tea.KeyPressMsg{Code: tea.KeyEnter})
	runCmd(m, cmd)
	if fb.info.Model != "sonnet" || m.info.Model != "sonnet" {
		t.Errorf("model = %q, want sonnet", m.info.Model)
	}
	slash(m, "/model opus")
	if m.info.Model != "opus" || m.info.ModelID != "global.anthropic.claude-opus-4-6-v1" {
		t.Errorf("model = %s (%s), want opus", m.info.Model, m.info.ModelID)
	}
	f := ansi.Strip(m.Frame())
	for _, s := range []string{"what does add do?", "It adds two integers.", "Now using opus (global.anthropic.claude-opus-4-6-v1); the conversation is", "default mode · opus · "} {
		if !strings.Contains(f, s) {
			t.Errorf("frame after /model lacks %q:\n%s", s, f)
		}
	}
	if len(fb.resets) != 0 {
		t.Errorf("/model reset the session: %v", fb.resets)
	}
}

// TestResumePicker: choosing a past session resumes it by ID and replaces
// the conversation on screen; /resume ID does the same directly.
func TestResumePicker(t *testing.T) {
	t.Parallel()
	m, fb := newTestModel(t, 80, 24)
	fb.sessions = pastSessions()
	converse(m)
	slash(m, "/resume")
	press(m, tea.KeyDown, 0)
	_, cmd := m.Update(tea.KeyPressMsg{Code: tea.KeyEnter})
	runCmd(m, cmd)
	if diff := cmp.Diff([]string{"20260429T091200-d4e5f6"}, fb.resets); diff != "" {
		t.Errorf("resumed mismatch (-want +got):\n%s", diff)
	}
	f := ansi.Strip(m.Frame())
	if !strings.Contains(f, "Resumed session 20260429T091200-d4e5f6.") || strings.Contains(f, "what does add do?") {
		t.Errorf("frame after /resume:\n%s", f)
	}
	if m.info.SessionID != "20260429T091200-d4e5f6" {
		t.Errorf("session %s after /resume", m.info.SessionID)
	}
	slash(m, "/resume 20260430T170500-a1b2c3")
	if m.info.SessionID != "20260430T170500-a1b2c3" {
		t.Errorf("session %s after /resume ID", m.info.SessionID)
	}

	empty, _ := newTestModel(t, 80, 24)
	slash(empty, "/resume")
	if empty.picker != nil || !strings.Contains(ansi.Strip(empty.Frame()), "No earlier sessions in this project.") {
		t.Errorf("/resume without sessions:\n%s", ansi.Strip(empty.Frame()))
	}
}
