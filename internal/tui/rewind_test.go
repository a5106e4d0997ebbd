package tui

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
	"github.com/google/go-cmp/cmp"

	"github.com/basalt-dev/basalt/internal/checkpoint"
	"github.com/basalt-dev/basalt/internal/harness"
)

// rewindFake is a backend that can rewind; it notes what was asked.
type rewindFake struct {
	*fakeBackend
	points   []harness.RewindPoint
	plan     []checkpoint.FileAction
	planErr  error
	report   checkpoint.Report
	restores []string // "turn overwrite"
	rewinds  []int
}

func (f *rewindFake) RewindPoints() ([]harness.RewindPoint, error) { return f.points, nil }
func (f *rewindFake) RewindNotes() []string {
	return []string{"Only changes made through Write, Edit, MultiEdit and NotebookEdit are restored; files changed by commands (Bash) are not."}
}
func (f *rewindFake) PlanRestore(int) ([]checkpoint.FileAction, error) { return f.plan, f.planErr }
func (f *rewindFake) RestoreCode(turn int, overwrite bool) (checkpoint.Report, error) {
	f.restores = append(f.restores, strings.TrimSpace(fmt.Sprintf("%d %s", turn, map[bool]string{true: "overwrite"}[overwrite])))
	return f.report, nil
}
func (f *rewindFake) RewindConversation(turn int) (harness.Rewound, error) {
	f.rewinds = append(f.rewinds, turn)
	return harness.Rewound{Prompt: "add a test\nfor the parser", History: []HistoryItem{{Kind: harness.HistoryPrompt, Text: "fix the parser"}, {Kind: harness.HistoryAnswer, Text: "Fixed."}}}, nil
}

func newRewindModel(t *testing.T) (*Model, *rewindFake) {
	t.Helper()
	fb := &fakeBackend{info: testInfo()}
	t0 := time.Date(2026, 5, 1, 11, 0, 0, 0, time.UTC)
	rf := &rewindFake{fakeBackend: fb, points: []harness.RewindPoint{
		{Turn: 3, Time: t0.Add(20 * time.Minute), Prompt: "rename the flag"},
		{Turn: 2, Time: t0.Add(10 * time.Minute), Prompt: "add a test\nfor the parser", Files: []string{"/repo/parser_test.go", "/repo/parser.go"}},
		{Turn: 1, Time: t0.AddDate(0, 0, -2), Prompt: "fix the parser", CodeLost: true},
	}}
	clock := time.Date(2026, 5, 1, 12, 0, 0, 0, time.UTC)
	m := New(Options{Backend: rf, Info: fb.info, NoColor: true, Now: func() time.Time { return clock },
		TurnContext: func() (context.Context, context.CancelFunc) { return context.WithCancel(t.Context()) }})
	m.Update(tea.WindowSizeMsg{Width: 100, Height: 30})
	return m, rf
}

// run runs a command and feeds its message back, as the program does.
func runRewindCmd(t *testing.T, m *Model, cmd tea.Cmd) {
	t.Helper()
	if cmd == nil {
		t.Fatal("no command")
	}
	m.Update(cmd())
}

func frame(m *Model) string { return ansi.Strip(m.Frame()) }

func TestEscEscOpensRewindOnEmptyInput(t *testing.T) {
	m, _ := newRewindModel(t)
	typeText(m, "draft")
	press(m, tea.KeyEscape, 0)
	if !strings.Contains(frame(m), "press esc again to clear the input") {
		t.Error("no hint after the first esc on text")
	}
	press(m, tea.KeyEscape, 0)
	if m.rewind != nil || m.input.Value() != "" {
		t.Fatalf("esc esc with text: menu %v, input %q; want the input cleared", m.rewind != nil, m.input.Value())
	}
	press(m, tea.KeyUp, 0)
	if m.input.Value() != "draft" {
		t.Errorf("up after esc esc: %q, want the cleared text back", m.input.Value())
	}
	m.input.Reset()
	if cmd := press(m, tea.KeyEscape, 0); cmd != nil {
		t.Fatal("one esc opened the menu")
	}
	if !strings.Contains(frame(m), "press esc again to rewind") {
		t.Error("no hint after the first esc")
	}
	runRewindCmd(t, m, press(m, tea.KeyEscape, 0))
	if m.rewind == nil {
		t.Fatal("esc esc on an empty input did not open the rewind menu")
	}
	f := frame(m)
	for _, want := range []string{
		"Rewind", "(Bash) are not", // the menu says what it cannot undo
		"#3 ", "rename the flag", "no file changes",
		"#2 ", "add a test …", "2 files changed: parser_test.go, parser.go",
		"#1 ", "code snapshots dropped",
		t0Local(-2), // an older prompt shows its date
	} {
		if !strings.Contains(f, want) {
			t.Errorf("menu lacks %q:\n%s", want, f)
		}
	}
	// Most recent first.
	if strings.Index(f, "#3 ") > strings.Index(f, "#2 ") || strings.Index(f, "#2 ") > strings.Index(f, "#1 ") {
		t.Errorf("prompts not most recent first:\n%s", f)
	}
	press(m, tea.KeyEscape, 0)
	if m.rewind != nil {
		t.Error("esc did not close the menu")
	}
}

func TestRewindRestoreCodeAsksAboutOutsideChanges(t *testing.T) {
	m, rf := newRewindModel(t)
	rf.plan = []checkpoint.FileAction{{Path: "/repo/parser.go", Modified: true}, {Path: "/repo/parser_test.go", Delete: true}}
	rf.report = checkpoint.Report{Deleted: []string{"/repo/parser_test.go"}, Skipped: []checkpoint.Skipped{{Path: "/repo/parser.go", Why: "changed outside basalt since its last change; not overwritten"}}}
	runRewindCmd(t, m, m.command("/rewind"))
	press(m, tea.KeyDown, 0)
	runRewindCmd(t, m, press(m, tea.KeyEnter, 0))
	f := frame(m)
	for _, want := range []string{"Rewind to before prompt #2", "1. Restore code and conversation", "2. Restore conversation", "3. Restore code", "4. Never mind", "deletes 1 file the model created"} {
		if !strings.Contains(f, want) {
			t.Errorf("actions lack %q:\n%s", want, f)
		}
	}
	press(m, tea.KeyDown, 0)
	press(m, tea.KeyDown, 0)
	if cmd := press(m, tea.KeyEnter, 0); cmd != nil {
		t.Fatal("restored without asking about the file changed outside basalt")
	}
	if f := frame(m); !strings.Contains(f, "changed outside basalt") || !strings.Contains(f, "/repo/parser.go") {
		t.Fatalf("no question about the changed file:\n%s", f)
	}
	runRewindCmd(t, m, m.key(tea.KeyPressMsg{Code: 'n', Text: "n"}))
	if diff := cmp.Diff([]string{"2"}, rf.restores); diff != "" {
		t.Errorf("restores mismatch (-want +got):\n%s", diff)
	}
	if len(rf.rewinds) != 0 {
		t.Error("restore code rewound the conversation")
	}
	f = frame(m)
	for _, want := range []string{"deleted  /repo/parser_test.go", "Could not restore:", "/repo/parser.go: changed outside basalt"} {
		if !strings.Contains(f, want) {
			t.Errorf("report lacks %q:\n%s", want, f)
		}
	}
}

func TestRewindConversationPutsPromptBack(t *testing.T) {
	m, rf := newRewindModel(t)
	m.push(&userEntry{text: "rename the flag"})
	runRewindCmd(t, m, m.command("/rewind"))
	press(m, tea.KeyDown, 0)
	runRewindCmd(t, m, press(m, tea.KeyEnter, 0))
	// No file changed since: the code choices are not offered.
	if f := frame(m); strings.Contains(f, "Restore code") || !strings.Contains(f, "No file was changed") {
		t.Errorf("actions with nothing to restore:\n%s", f)
	}
	runRewindCmd(t, m, m.key(tea.KeyPressMsg{Code: '1', Text: "1"}))
	if diff := cmp.Diff([]int{2}, rf.rewinds); diff != "" || len(rf.restores) != 0 {
		t.Errorf("rewinds mismatch (-want +got):\n%s; restores %v", diff, rf.restores)
	}
	if got := m.input.Value(); got != "add a test\nfor the parser" {
		t.Errorf("input %q, want the prompt back", got)
	}
	f := frame(m)
	if strings.Contains(f, "rename the flag") || !strings.Contains(f, "fix the parser") || !strings.Contains(f, "before prompt #2") {
		t.Errorf("screen after the rewind:\n%s", f)
	}
}

func TestRewindBothAndNoCode(t *testing.T) {
	m, rf := newRewindModel(t)
	rf.plan = []checkpoint.FileAction{{Path: "/repo/parser.go"}}
	rf.report = checkpoint.Report{Restored: []string{"/repo/parser.go"}}
	runRewindCmd(t, m, m.command("/rewind"))
	press(m, tea.KeyDown, 0)
	runRewindCmd(t, m, press(m, tea.KeyEnter, 0))
	runRewindCmd(t, m, press(m, tea.KeyEnter, 0)) // 1. Restore code and conversation
	if len(rf.restores) != 1 || len(rf.rewinds) != 1 {
		t.Fatalf("both: restores %v rewinds %v", rf.restores, rf.rewinds)
	}
	if f := frame(m); !strings.Contains(f, "restored /repo/parser.go") {
		t.Errorf("no report:\n%s", f)
	}

	// A prompt whose code cannot be restored offers the conversation only.
	rf.planErr = errors.New("the snapshots of this prompt were dropped")
	runRewindCmd(t, m, m.command("/rewind"))
	press(m, tea.KeyDown, 0)
	press(m, tea.KeyDown, 0)
	runRewindCmd(t, m, press(m, tea.KeyEnter, 0))
	f := frame(m)
	if strings.Contains(f, "Restore code") || !strings.Contains(f, "1. Restore conversation") || !strings.Contains(f, "dropped") {
		t.Errorf("actions without code:\n%s", f)
	}
}

func TestRewindRefusedMidTurn(t *testing.T) {
	m, _ := newRewindModel(t)
	startTurn(m, "work")
	if cmd := m.command("/rewind"); cmd != nil {
		t.Error("/rewind ran during a turn")
	}
}

// The actions carry Claude Code's words (testdata/claude-code).
func TestRewindActionsAreClaudeCodes(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("testdata", "claude-code", "rewind-menu.txt"))
	if err != nil {
		t.Fatal(err)
	}
	var want []string
	for _, l := range strings.Split(strings.TrimSpace(string(data)), "\n") {
		if !strings.HasPrefix(l, "#") {
			want = append(want, l)
		}
	}
	var got []string
	for a := rewindBoth; a <= rewindNeverMind; a++ {
		got = append(got, a.label())
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("labels mismatch (-claude code +basalt):\n%s", diff)
	}
}

func t0Local(days int) string {
	return time.Date(2026, 5, 1, 11, 0, 0, 0, time.UTC).AddDate(0, 0, days).Local().Format("Jan 02 15:04")
}
