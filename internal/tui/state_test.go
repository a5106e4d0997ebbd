package tui

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
	"github.com/google/go-cmp/cmp"

	"github.com/basalt-dev/basalt/internal/agent"
	"github.com/basalt-dev/basalt/internal/harness"
	"github.com/basalt-dev/basalt/internal/session"
	"github.com/basalt-dev/basalt/internal/tool"
)

func statusText(m *Model) string { return ansi.Strip(m.statusLine()) }

// TestShiftTabCyclesModes: the mode is always on the status line, and
// Shift+Tab walks default → acceptEdits → plan → default, switching the
// session's mode each time.
func TestShiftTabCyclesModes(t *testing.T) {
	t.Parallel()
	m, fb := newTestModel(t, 120, 30)
	m.info.PermissionMode = "default"
	for _, want := range []string{"⏵⏵ accept edits", "⏸ plan mode", "default mode", "⏵⏵ accept edits"} {
		runCmd(m, press(m, tea.KeyTab, tea.ModShift))
		if got := statusText(m); !strings.HasPrefix(got, " "+want) {
			t.Errorf("status line %q, want it to start with %q", got, want)
		}
	}
	runCmd(m, press(m, tea.KeyTab, tea.ModShift))
	golden(t, "status_plan_120x30", m)
	if diff := cmp.Diff([]string{"acceptEdits", "plan", "default", "acceptEdits", "plan"}, fb.modes); diff != "" {
		t.Errorf("modes set mismatch (-want +got):\n%s", diff)
	}
	// At 80 columns the mode stays, whatever else is dropped.
	m.width = 60
	if got := statusText(m); !strings.Contains(got, "plan mode") {
		t.Errorf("narrow status line %q lost the mode", got)
	}
}

// TestBypassModeWarns: bypassPermissions is shown in the warning colour.
func TestBypassModeWarns(t *testing.T) {
	t.Parallel()
	info := testInfo()
	info.PermissionMode = "bypassPermissions"
	m := New(Options{Backend: &fakeBackend{info: info}, Info: info})
	m.width = 160
	if !strings.Contains(m.statusLine(), m.st.statusWarn.Render("⚠ bypass permissions")) {
		t.Errorf("bypassPermissions is not in the warning colour: %q", m.statusLine())
	}
}

func planCall() *agent.ToolCall {
	return &agent.ToolCall{ID: "p1", Name: "ExitPlanMode", Input: json.RawMessage(`{"plan":"## Plan\n\n1. Fix ` + "`add`" + ` in add.go\n2. Run the tests"}`)}
}

// TestPlanApproval: the plan is shown rendered; approving switches the
// mode before the call is allowed, and "keep planning" refuses with the
// user's message.
func TestPlanApproval(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		key       rune
		wantModes []string
		allow     bool
	}{
		{'1', []string{"acceptEdits"}, true},
		{'2', []string{"default"}, true},
		{'3', nil, false},
	} {
		t.Run(string(tc.key), func(t *testing.T) {
			t.Parallel()
			m, fb := newTestModel(t, 80, 30)
			m.info.PermissionMode = "plan"
			startTurn(m, "plan the fix")
			q := askFor(planCall())
			m.Update(q)
			if tc.key == '1' {
				golden(t, "ask_plan_80x30", m)
			}
			runCmd(m, press(m, tc.key, 0))
			if !tc.allow {
				typeText(m, "also update the docs")
				runCmd(m, press(m, tea.KeyEnter, 0))
			}
			a := <-q.reply
			if a.Allow != tc.allow || !tc.allow && a.Message != "also update the docs" {
				t.Errorf("answer %+v, want allow %v", a, tc.allow)
			}
			if diff := cmp.Diff(tc.wantModes, fb.modes); diff != "" {
				t.Errorf("modes mismatch (-want +got):\n%s", diff)
			}
			if tc.allow {
				ev(m, agent.Event{Kind: agent.EventToolEnd, Tool: planCall(), Result: &tool.Result{Content: "approved", Display: &tool.PlanDisplay{Plan: "## Plan\n\n1. Fix add"}}})
				if f := ansi.Strip(m.Frame()); !strings.Contains(f, "plan approved") || !strings.Contains(f, "1. Fix add") {
					t.Errorf("the approved plan is not in the conversation:\n%s", f)
				}
			}
			want := "⏸ plan mode"
			if tc.allow {
				want, _ = modeLabel(tc.wantModes[0])
			}
			if got := statusText(m); !strings.HasPrefix(got, " "+want) {
				t.Errorf("status line %q, want %q", got, want)
			}
		})
	}
}

// TestEditPromptRealLines: the edit prompt shows the change at the file's
// own line numbers, with the lines around it.
func TestEditPromptRealLines(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	path := filepath.Join(dir, "add.go")
	src := "package calc\n\n// add adds.\nfunc add(a, b int) int {\n\treturn a - b\n}\n\nfunc sub(a, b int) int {\n\treturn a - b\n}\n"
	if err := os.WriteFile(path, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	in, _ := json.Marshal(map[string]string{"file_path": path, "old_string": "func add(a, b int) int {\n\treturn a - b", "new_string": "func add(a, b int) int {\n\treturn a + b"})
	call := &agent.ToolCall{ID: "e1", Name: "Edit", Input: in}
	m, _ := newTestModel(t, 80, 24)
	startTurn(m, "fix add")
	q := askFor(call, "Edit(add.go)")
	q.preview = previewDiff(call, dir)
	if q.preview == nil {
		t.Fatal("no preview")
	}
	m.Update(q)
	f := ansi.Strip(m.Frame())
	for _, want := range []string{"   2   ", "   3   // add adds.", "   5 - ", "return a - b", "   5 + ", "return a + b", "   6   }", "   8   func sub"} {
		if !strings.Contains(f, want) {
			t.Errorf("prompt lacks %q:\n%s", want, f)
		}
	}
	// Relative paths read against the working directory; a missing
	// old_string falls back to the input alone.
	rel, _ := json.Marshal(map[string]string{"file_path": "add.go", "old_string": "nowhere", "new_string": "x"})
	if d := previewDiff(&agent.ToolCall{Name: "Edit", Input: rel}, dir); d != nil {
		t.Errorf("preview of an edit that cannot apply: %+v", d)
	}
	w, _ := json.Marshal(map[string]string{"file_path": "add.go", "content": strings.Replace(src, "a - b", "a + b", 1)})
	if d := previewDiff(&agent.ToolCall{Name: "Write", Input: w}, dir); d == nil || d.Hunks[0].NewStart != 2 {
		t.Errorf("preview of an overwrite: %+v, want a hunk from line 2", d)
	}
}

// TestResumedHistoryShown: a resumed conversation is on screen at start
// (basalt -c, -r) and after /resume.
func TestResumedHistoryShown(t *testing.T) {
	t.Parallel()
	m, fb := newTestModel(t, 100, 30)
	fb.history = []HistoryItem{
		{Kind: harness.HistoryPrompt, Text: "what does add do?"},
		{Kind: harness.HistoryTool, Tool: &agent.ToolCall{ID: "r", Name: "Read", Input: json.RawMessage(`{"file_path":"/repo/add.go"}`)}, Result: &tool.Result{Content: "package calc\n"}},
		{Kind: harness.HistoryAnswer, Text: "It **adds** two integers."},
	}
	runCmd(m, loadHistory(fb))
	golden(t, "resumed_100x30", m)
	f := ansi.Strip(m.Frame())
	for _, want := range []string{"> what does add do?", "Read(/repo/add.go)", "package calc", "It adds two integers.", "resumed here"} {
		if !strings.Contains(f, want) {
			t.Errorf("frame lacks %q:\n%s", want, f)
		}
	}
	if strings.Index(f, "✻ basalt") > strings.Index(f, "what does add do?") {
		t.Errorf("the history is above the welcome:\n%s", f)
	}

	m2, fb2 := newTestModel(t, 100, 30)
	fb2.history = fb.history
	typeText(m2, "/resume abc")
	runCmd(m2, press(m2, tea.KeyEnter, 0))
	if f := ansi.Strip(m2.Frame()); !strings.Contains(f, "It adds two integers.") || !strings.Contains(f, "Resumed session abc") {
		t.Errorf("/resume does not show the conversation:\n%s", f)
	}
}

// TestResumePickerLeavesOut: the picker leaves out empty sessions and the
// one open now.
func TestResumePickerLeavesOut(t *testing.T) {
	t.Parallel()
	m, fb := newTestModel(t, 100, 30)
	fb.sessions = []session.Summary{
		{ID: "s1", FirstPrompt: "this one", Turns: 3},
		{ID: "empty", Turns: 0},
		{ID: "old", FirstPrompt: "an old one", Turns: 2},
	}
	typeText(m, "/resume")
	m.comp = completion{}
	runCmd(m, press(m, tea.KeyEnter, 0))
	if m.picker == nil {
		t.Fatal("no picker")
	}
	var ids []string
	for _, it := range m.picker.items {
		ids = append(ids, it.value)
	}
	if diff := cmp.Diff([]string{"old"}, ids); diff != "" {
		t.Errorf("picker mismatch (-want +got):\n%s", diff)
	}
}

// TestSuspendAndPasteClear: ctrl+z suspends (fg resumes), and ctrl+c
// clears a pasted input as it clears a typed one.
func TestSuspendAndPasteClear(t *testing.T) {
	t.Parallel()
	m, _ := newTestModel(t, 80, 24)
	cmd := press(m, 'z', tea.ModCtrl)
	if cmd == nil {
		t.Fatal("ctrl+z did nothing")
	}
	if _, ok := cmd().(tea.SuspendMsg); !ok {
		t.Errorf("ctrl+z gave %T, want tea.SuspendMsg", cmd())
	}
	// ctrl+c on the empty input, then a paste, then ctrl+c at once: the
	// paste is cleared, and basalt does not take it for a double press.
	press(m, 'c', tea.ModCtrl)
	for _, paste := range []string{"a small paste", strings.Repeat("a long paste\n", 20)} {
		m.Update(tea.PasteStartMsg{})
		m.Update(tea.PasteMsg{Content: paste})
		m.Update(tea.PasteEndMsg{})
		if m.input.Value() == "" {
			t.Fatal("the paste did not reach the input")
		}
		if strings.Contains(ansi.Strip(m.Frame()), exitHint) {
			t.Errorf("the exit hint is still shown after a paste")
		}
		press(m, 'c', tea.ModCtrl)
		if m.quitting {
			t.Fatal("ctrl+c after a paste exited basalt")
		}
		if m.input.Value() != "" || len(m.pastes) != 0 {
			t.Errorf("ctrl+c after a paste left %q (%d pastes)", m.input.Value(), len(m.pastes))
		}
	}
}

// TestWelcome: the first screen says where the session runs and how to
// get help.
func TestWelcome(t *testing.T) {
	t.Parallel()
	m, _ := newTestModel(t, 100, 24)
	m.o.Version = "1.2.3"
	m.entries[0].(*welcomeEntry).version = "1.2.3"
	f := ansi.Strip(m.Frame())
	for _, want := range []string{"basalt 1.2.3", "Claude Sonnet 4.6", "global.anthropic.claude-sonnet-4-6", "bedrock · us-east-1", "/repo", "/help"} {
		if !strings.Contains(f, want) {
			t.Errorf("first screen lacks %q:\n%s", want, f)
		}
	}
}

// TestExitWritesScrollbackAndHint: on exit the conversation is written to
// the normal screen, where the scrollback keeps it, then how to resume.
func TestExitWritesScrollbackAndHint(t *testing.T) {
	t.Parallel()
	m, _ := newTestModel(t, 80, 24)
	var empty strings.Builder
	m.writeExit(&empty)
	if strings.Contains(empty.String(), "basalt -r") {
		t.Errorf("a session without a prompt has nothing to resume:\n%s", empty.String())
	}
	startTurn(m, "fix add")
	ev(m, agent.Event{Kind: agent.EventText, Text: "Fixed it."})
	m.Update(turnDoneMsg{turn: m.turn, info: m.info})
	var out strings.Builder
	m.writeExit(&out)
	got := ansi.Strip(out.String())
	for _, want := range []string{"> fix add", "Fixed it.", "Session s1. Resume it with: basalt -r s1"} {
		if !strings.Contains(got, want) {
			t.Errorf("exit output lacks %q:\n%s", want, got)
		}
	}
	if strings.Index(got, "Fixed it.") > strings.Index(got, "basalt -r") {
		t.Errorf("the hint is not last:\n%s", got)
	}
}

// TestPermissionsListsSources: /permissions lists every rule in force
// with where it lives.
func TestPermissionsListsSources(t *testing.T) {
	t.Parallel()
	m, _ := newTestModel(t, 120, 30)
	m.info.Rules = []Rule{
		{Kind: "deny", Rule: "Read(./.env)", Source: "managed /etc/basalt/managed-settings.json"},
		{Kind: "ask", Rule: "Bash(git push:*)", Source: "user ~/.config/basalt/settings.json"},
		{Kind: "allow", Rule: "Bash(go test:*)", Source: "project .basalt/settings.json"},
		{Kind: "allow", Rule: "Edit(src/**)", Source: "local .basalt/settings.local.json"},
		{Kind: "allow", Rule: "Glob", Source: "flag --allowedTools"},
		{Kind: "allow", Rule: "Bash(make:*)", Source: "session"},
	}
	typeText(m, "/permissions")
	m.comp = completion{}
	runCmd(m, press(m, tea.KeyEnter, 0))
	f := ansi.Strip(m.Frame())
	for _, r := range m.info.Rules {
		if !strings.Contains(f, r.Rule) || !strings.Contains(f, r.Source) {
			t.Errorf("/permissions lacks %s from %s:\n%s", r.Rule, r.Source, f)
		}
	}
}
