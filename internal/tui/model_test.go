package tui

import (
	"context"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
	"github.com/google/go-cmp/cmp"

	"github.com/basalt-dev/basalt/internal/agent"
	"github.com/basalt-dev/basalt/internal/config"
	"github.com/basalt-dev/basalt/internal/cost"
	"github.com/basalt-dev/basalt/internal/harness"
	"github.com/basalt-dev/basalt/internal/permission"
	"github.com/basalt-dev/basalt/internal/session"
	"github.com/basalt-dev/basalt/internal/tool"
)

var update = flag.Bool("update", false, "rewrite the golden frames in testdata")

// fakeBackend is an in-memory Backend; tests set the functions they need.
type fakeBackend struct {
	run      func(ctx context.Context, prompt string, on func(agent.Event)) error
	compact  func(ctx context.Context, on func(agent.Event)) error
	info     Info
	sessions []session.Summary
	resets   []string // Reset's resumeIDs ("" for /clear)
	prompts  []string // Run's prompts
	allowed  []string // rules added to the session, as "kind rule"
	removed  []string // rules removed from the session, as "kind rule"
	settings string   // the local settings file EditRules writes

	removeErr error
	status    []Field // nil: a default report

	history     []HistoryItem // what History returns (after a resume, or at start)
	sessionOnly []string      // rules AllowForSession added
	modes       []string      // SetPermissionMode's modes
	modeErr     error
}

func (f *fakeBackend) AllowForSession(rules []string) harness.RuleChange {
	f.sessionOnly = append(f.sessionOnly, rules...)
	for _, r := range rules {
		f.info.Rules = append(f.info.Rules, Rule{Kind: "allow", Rule: r, Source: "session"})
	}
	return harness.RuleChange{Kind: "allow", Added: rules, Rules: f.info.Rules}
}

func (f *fakeBackend) SetPermissionMode(mode string) (Info, error) {
	f.modes = append(f.modes, mode)
	if f.modeErr != nil {
		return Info{}, f.modeErr
	}
	f.info.PermissionMode = mode
	return f.info, nil
}

func (f *fakeBackend) History() []HistoryItem { return f.history }

func (f *fakeBackend) Run(ctx context.Context, prompt string, on func(agent.Event)) (*agent.Result, error) {
	f.prompts = append(f.prompts, prompt)
	if f.run == nil {
		return nil, nil
	}
	return nil, f.run(ctx, prompt, on)
}
func (f *fakeBackend) Compact(ctx context.Context, on func(agent.Event)) error {
	if f.compact == nil {
		return nil
	}
	return f.compact(ctx, on)
}
func (f *fakeBackend) Info() Info { return f.info }
func (f *fakeBackend) Reset(_ context.Context, id string) (Info, error) {
	f.resets = append(f.resets, id)
	if id != "" {
		f.info.SessionID = id
	} else {
		f.info.SessionID = "s2"
	}
	return f.info, nil
}
func (f *fakeBackend) SetModel(_ context.Context, name string) (Info, error) {
	f.info.Model = name
	f.info.ModelID = map[string]string{"opus": "global.anthropic.claude-opus-4-6-v1", "sonnet": "global.anthropic.claude-sonnet-4-6"}[name]
	return f.info, nil
}
func (f *fakeBackend) Models(context.Context) ([]ModelChoice, error) {
	return []ModelChoice{{Name: "opus", Detail: "global.anthropic.claude-opus-4-6-v1"}, {Name: "sonnet", Detail: "global.anthropic.claude-sonnet-4-6"}}, nil
}
func (f *fakeBackend) Sessions() ([]session.Summary, error) { return f.sessions, nil }
func (f *fakeBackend) Status(context.Context) []Field {
	if f.status != nil {
		return f.status
	}
	return []Field{{Label: "provider", Value: "bedrock"}, {Label: "region", Value: "us-east-1 (env AWS_REGION)"}}
}

// EditRules writes the settings file as the harness does, and records
// what the session would have been told.
func (f *fakeBackend) EditRules(kind string, add, remove []string) harness.RuleChange {
	ch := harness.RuleChange{Kind: kind, Path: f.settings}
	ch.Added, ch.Removed, ch.Err = config.EditRules(f.settings, kind, add, remove)
	if ch.Err != nil {
		return ch
	}
	src := "local " + relPath(f.settings, f.info.WorkDir)
	for _, r := range ch.Added {
		f.allowed = append(f.allowed, kind+" "+r)
		f.info.Rules = append(f.info.Rules, Rule{Kind: kind, Rule: r, Source: src})
	}
	for _, r := range ch.Removed {
		if f.removeErr != nil {
			ch.LiveErr = f.removeErr
			continue
		}
		f.removed = append(f.removed, kind+" "+r)
		f.info.Rules = slices.DeleteFunc(f.info.Rules, func(have Rule) bool { return have == Rule{Kind: kind, Rule: r, Source: src} })
	}
	ch.Rules = append([]Rule(nil), f.info.Rules...)
	return ch
}

func testInfo() Info {
	return Info{
		SessionID: "s1", Model: "sonnet", ModelID: "global.anthropic.claude-sonnet-4-6", ModelName: "Claude Sonnet 4.6",
		Provider: "bedrock", Region: "us-east-1", Window: 200_000, ContextUsed: 24_000,
		Usage: cost.Usage{InputTokens: 1200, OutputTokens: 800, CacheRead: 20_000, CacheWrite5m: 2000},
		Cost:  cost.Cost{USD: 0.0421, Known: true}, WorkDir: "/repo", LocalSettings: "/repo/.basalt/settings.local.json",
	}
}

// newTestModel is a model at w×h without colour, so frames compare as
// text, and with a fixed clock.
func newTestModel(t *testing.T, w, h int) (*Model, *fakeBackend) {
	t.Helper()
	fb := &fakeBackend{info: testInfo()}
	clock := time.Date(2026, 5, 1, 12, 0, 0, 0, time.UTC)
	m := New(Options{Backend: fb, Info: fb.info, NoColor: true, Now: func() time.Time { return clock },
		TurnContext: func() (context.Context, context.CancelFunc) { return context.WithCancel(t.Context()) }})
	m.Update(tea.WindowSizeMsg{Width: w, Height: h})
	return m, fb
}

// golden compares the frame with testdata/name.golden.
func golden(t *testing.T, name string, m *Model) {
	t.Helper()
	got := ansi.Strip(m.Frame())
	// Trailing spaces are invisible and vary with padding: not part of
	// what the frame says.
	lines := strings.Split(got, "\n")
	for i, l := range lines {
		lines[i] = strings.TrimRight(l, " ")
	}
	got = strings.Join(lines, "\n") + "\n"
	path := filepath.Join("testdata", name+".golden")
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update)", err)
	}
	if diff := cmp.Diff(string(want), got); diff != "" {
		t.Errorf("frame %s mismatch (-want +got):\n%s", name, diff)
	}
}

var sizes = []struct {
	name string
	w, h int
}{{"80x24", 80, 24}, {"160x40", 160, 40}, {"200x50", 200, 50}}

func typeText(m *Model, s string) {
	for _, r := range s {
		m.Update(tea.KeyPressMsg{Code: r, Text: string(r)})
	}
}

func press(m *Model, code rune, mod tea.KeyMod) tea.Cmd {
	_, cmd := m.Update(tea.KeyPressMsg{Code: code, Mod: mod})
	return cmd
}

// startTurn types a prompt and presses Enter without running the turn's
// command: the test plays the agent's events itself.
func startTurn(m *Model, prompt string) {
	typeText(m, prompt)
	press(m, tea.KeyEnter, 0)
}

func ev(m *Model, e agent.Event) { m.Update(eventMsg{turn: m.turn, ev: e}) }

const answer = "Here is the fix:\n\n```go\nfunc add(a, b int) int {\n\treturn a + b\n}\n```\n\nRun `go test ./...` to check it.\n"

func TestStreamedAnswerWithCodeBlock(t *testing.T) {
	for _, sz := range sizes {
		t.Run(sz.name, func(t *testing.T) {
			m, _ := newTestModel(t, sz.w, sz.h)
			startTurn(m, "fix add")
			// Streamed in small pieces, as the model sends it.
			for i := 0; i < len(answer); i += 7 {
				ev(m, agent.Event{Kind: agent.EventText, Text: answer[i:min(i+7, len(answer))]})
			}
			m.Update(turnDoneMsg{turn: m.turn, info: m.info})
			golden(t, "answer_"+sz.name, m)
		})
	}
}

func TestStreamingEqualsOneShot(t *testing.T) {
	var s1, s2 mdStream
	for i := 0; i < len(answer); i += 3 {
		s1.append(answer[i:min(i+3, len(answer))])
	}
	s2.append(answer)
	md := &markdown{style: "notty"}
	d1, t1 := s1.lines(md, 80)
	d2, t2 := s2.lines(md, 80)
	if diff := cmp.Diff(append(append([]string{}, d2...), t2...), append(append([]string{}, d1...), t1...)); diff != "" {
		t.Errorf("streamed render mismatch (-one shot +streamed):\n%s", diff)
	}
	if len(s1.blocks) < 2 {
		t.Errorf("blocks = %d, want the answer cut into finished blocks", len(s1.blocks))
	}
}

func bashCall() *agent.ToolCall {
	return &agent.ToolCall{ID: "t1", Name: "Bash", Input: json.RawMessage(`{"command":"go test ./...","description":"run the tests"}`)}
}

func TestToolCallLine(t *testing.T) {
	out := "ok  \tgithub.com/x/a\t0.01s\nok  \tgithub.com/x/b\t0.02s\nok  \tgithub.com/x/c\t0.03s\nok  \tgithub.com/x/d\t0.01s\nok  \tgithub.com/x/e\t0.01s\nok  \tgithub.com/x/f\t0.01s"
	for _, sz := range sizes {
		t.Run(sz.name, func(t *testing.T) {
			m, _ := newTestModel(t, sz.w, sz.h)
			startTurn(m, "run the tests")
			ev(m, agent.Event{Kind: agent.EventToolStart, Tool: bashCall()})
			ev(m, agent.Event{Kind: agent.EventToolEnd, Tool: bashCall(), Result: &tool.Result{Content: out, Display: &tool.BashDisplay{Command: "go test ./..."}}})
			read := &agent.ToolCall{ID: "t2", Name: "Read", Input: json.RawMessage(`{"file_path":"/repo/main.go"}`)}
			ev(m, agent.Event{Kind: agent.EventToolStart, Tool: read})
			ev(m, agent.Event{Kind: agent.EventToolEnd, Tool: read, Result: &tool.Result{Content: "package main\n\nfunc main() {}\n"}})
			golden(t, "tool_"+sz.name, m)
			press(m, 'o', tea.ModCtrl)
			golden(t, "tool_expanded_"+sz.name, m)
		})
	}
}

func editDiff() *tool.FileDiff {
	return &tool.FileDiff{Path: "/repo/add.go", Hunks: []tool.Hunk{{
		OldStart: 3, OldLines: 3, NewStart: 3, NewLines: 3,
		Lines: []string{" func add(a, b int) int {", "-\treturn a - b", "+\treturn a + b", " }"},
	}}}
}

func TestEditDiff(t *testing.T) {
	call := &agent.ToolCall{ID: "e1", Name: "Edit", Input: json.RawMessage(`{"file_path":"/repo/add.go","old_string":"return a - b","new_string":"return a + b"}`)}
	for _, sz := range sizes {
		t.Run(sz.name, func(t *testing.T) {
			m, _ := newTestModel(t, sz.w, sz.h)
			startTurn(m, "fix add")
			ev(m, agent.Event{Kind: agent.EventToolStart, Tool: call})
			ev(m, agent.Event{Kind: agent.EventToolEnd, Tool: call, Result: &tool.Result{Content: "ok", Display: editDiff()}})
			golden(t, "diff_"+sz.name, m)
		})
	}
}

func askFor(call *agent.ToolCall, rules ...string) askMsg {
	d := permission.Decision{Behavior: permission.Ask, Reason: "Bash commands ask before they run in default mode"}
	for _, r := range rules {
		rule, _ := config.ParseRule(r)
		d.Suggestions = append(d.Suggestions, rule)
	}
	return askMsg{call: call, decision: d, reply: make(chan agent.Answer, 1)}
}

func TestPermissionPrompt(t *testing.T) {
	edit := &agent.ToolCall{ID: "e1", Name: "Edit", Input: json.RawMessage(`{"file_path":"/repo/add.go","old_string":"func add(a, b int) int {\n\treturn a - b\n}","new_string":"func add(a, b int) int {\n\treturn a + b\n}"}`)}
	for _, sz := range sizes {
		t.Run("bash_"+sz.name, func(t *testing.T) {
			m, _ := newTestModel(t, sz.w, sz.h)
			startTurn(m, "run the tests")
			m.Update(askFor(bashCall(), "Bash(go test:*)"))
			golden(t, "ask_bash_"+sz.name, m)
		})
		t.Run("edit_"+sz.name, func(t *testing.T) {
			m, _ := newTestModel(t, sz.w, sz.h)
			startTurn(m, "fix add")
			m.Update(askFor(edit, "Edit(add.go)"))
			golden(t, "ask_edit_"+sz.name, m)
		})
	}
}

func TestStatusLine(t *testing.T) {
	for _, sz := range sizes {
		t.Run(sz.name, func(t *testing.T) {
			m, _ := newTestModel(t, sz.w, sz.h)
			golden(t, "status_"+sz.name, m)
		})
	}
	t.Run("budget", func(t *testing.T) {
		m, _ := newTestModel(t, 160, 40)
		m.info.MaxBudgetUSD = 0.05
		if got := ansi.Strip(m.statusLine()); !strings.Contains(got, "$0.0421 of $0.05") {
			t.Errorf("status line %q does not show the budget", got)
		}
		colour := New(Options{Backend: &fakeBackend{}, Info: m.info})
		colour.width = 160
		if !strings.Contains(colour.statusLine(), colour.st.statusWarn.Render("$0.0421 of $0.05")) {
			t.Errorf("cost near the budget is not in the warning colour")
		}
	})
}

// TestCodeBlockTabs: a Go block indented with tabs keeps its indentation
// once rendered, as spaces (a tab would be lost on the screen).
func TestCodeBlockTabs(t *testing.T) {
	t.Parallel()
	for _, style := range []string{"notty", "dark"} {
		md := &markdown{style: style}
		lines := md.render("```go\nfunc f() {\n\tif x {\n\t\treturn\n\t}\n}\n```\n", 80)
		indent := map[string]int{}
		for _, l := range lines {
			l = ansi.Strip(l)
			if strings.Contains(l, "\t") {
				t.Errorf("%s: a tab is left in %q", style, l)
			}
			for _, word := range []string{"func", "if", "return"} {
				if i := strings.Index(l, word); i >= 0 && strings.TrimSpace(l[:i]) == "" {
					indent[word] = i
				}
			}
		}
		if indent["if"]-indent["func"] != 4 || indent["return"]-indent["func"] != 8 {
			t.Errorf("%s: indentation %v, want if 4 and return 8 columns right of func:\n%s", style, indent, strings.Join(lines, "\n"))
		}
	}
}

func TestExpandTabs(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"\tx":      "    x",
		"ab\tc":    "ab  c",
		"abcd\te":  "abcd    e",
		"a\n\t\tb": "a\n        b",
		"no tabs":  "no tabs",
		"é\tx\n\t": "é   x\n    ",
	} {
		if got := expandTabs(in, 4); got != want {
			t.Errorf("expandTabs(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestToolCardSelection: tab on an empty input chooses the newest tool
// call, up and down move between calls, enter expands only the chosen
// one, and any other key goes back to the input.
func TestToolCardSelection(t *testing.T) {
	t.Parallel()
	m, _ := newTestModel(t, 80, 24)
	startTurn(m, "run the tests")
	out := "ok  \tgithub.com/x/a\t0.01s\nok  \tgithub.com/x/b\t0.02s\nok  \tgithub.com/x/c\t0.03s\nok  \tgithub.com/x/d\t0.01s\nok  \tgithub.com/x/e\t0.01s\nok  \tgithub.com/x/f\t0.01s"
	ev(m, agent.Event{Kind: agent.EventToolStart, Tool: bashCall()})
	ev(m, agent.Event{Kind: agent.EventToolEnd, Tool: bashCall(), Result: &tool.Result{Content: out, Display: &tool.BashDisplay{Command: "go test ./..."}}})
	read := &agent.ToolCall{ID: "t2", Name: "Read", Input: json.RawMessage(`{"file_path":"/repo/main.go"}`)}
	ev(m, agent.Event{Kind: agent.EventToolStart, Tool: read})
	ev(m, agent.Event{Kind: agent.EventToolEnd, Tool: read, Result: &tool.Result{Content: "package main\n\nfunc main() {}\n"}})
	m.Update(turnDoneMsg{turn: m.turn, info: m.info})

	press(m, tea.KeyTab, 0)
	if m.sel == nil || m.sel.call.Name != "Read" {
		t.Fatalf("tab chose %v, want the Read call", m.sel)
	}
	press(m, tea.KeyUp, 0)
	press(m, tea.KeyEnter, 0)
	if m.sel == nil || m.sel.call.Name != "Bash" || !m.sel.open {
		t.Fatalf("up, enter: chose %v, want the Bash call expanded", m.sel)
	}
	golden(t, "tool_selected_80x24", m)
	f := ansi.Strip(m.Frame())
	if !strings.Contains(f, "github.com/x/f") || strings.Contains(f, "func main() {}") {
		t.Errorf("only the chosen call should be expanded:\n%s", f)
	}
	press(m, tea.KeyUp, 0) // the oldest: stays
	if m.sel == nil || m.sel.call.Name != "Bash" {
		t.Errorf("up at the oldest call chose %v", m.sel)
	}
	typeText(m, "x")
	if m.sel != nil || m.input.Value() != "x" {
		t.Errorf("typing: selection %v, input %q; want the input to have the key", m.sel, m.input.Value())
	}
	if f := ansi.Strip(m.Frame()); !strings.Contains(f, "github.com/x/f") || strings.Contains(f, "enter to") {
		t.Errorf("the expanded call should stay open, unselected:\n%s", f)
	}
}

// TestToolCardSelectionScrolls: choosing a call above the screen scrolls
// to it.
func TestToolCardSelectionScrolls(t *testing.T) {
	t.Parallel()
	m, _ := newTestModel(t, 80, 24)
	startTurn(m, "look around")
	first := &agent.ToolCall{ID: "r0", Name: "Read", Input: json.RawMessage(`{"file_path":"/repo/first.go"}`)}
	ev(m, agent.Event{Kind: agent.EventToolEnd, Tool: first, Result: &tool.Result{Content: "package first\n"}})
	ev(m, agent.Event{Kind: agent.EventText, Text: strings.Repeat("A long explanation.\n\n", 30)})
	ev(m, agent.Event{Kind: agent.EventAssistant})
	last := &agent.ToolCall{ID: "r1", Name: "Read", Input: json.RawMessage(`{"file_path":"/repo/last.go"}`)}
	ev(m, agent.Event{Kind: agent.EventToolEnd, Tool: last, Result: &tool.Result{Content: "package last\n"}})
	m.Update(turnDoneMsg{turn: m.turn, info: m.info})
	if strings.Contains(ansi.Strip(m.Frame()), "first.go") {
		t.Fatal("the first call is on screen before scrolling")
	}
	press(m, tea.KeyTab, 0)
	press(m, tea.KeyUp, 0)
	if f := ansi.Strip(m.Frame()); !strings.Contains(f, "Read(/repo/first.go)  ← enter to expand") {
		t.Errorf("the chosen call is not on screen:\n%s", f)
	}
	press(m, tea.KeyEscape, 0)
	if m.sel != nil || m.scroll != 0 {
		t.Errorf("esc: selection %v, scroll %d; want the input and the bottom", m.sel, m.scroll)
	}
}

// TestInitialPrompt: `basalt "fix the tests"` sends the prompt as the first
// turn, through Update.
func TestInitialPrompt(t *testing.T) {
	m, _ := newTestModel(t, 80, 24)
	m.o.Prompt = "  fix the tests "
	if m.Init() == nil {
		t.Fatal("Init returned nothing")
	}
	_, cmd := m.Update(initialPromptMsg{"fix the tests"})
	if cmd == nil || !m.busy {
		t.Fatalf("the initial prompt did not start a turn (busy %v)", m.busy)
	}
	u, ok := m.entries[len(m.entries)-1].(*userEntry)
	if !ok || u.text != "fix the tests" {
		t.Errorf("last entry %#v, want the prompt", m.entries[len(m.entries)-1])
	}
	m.cancel()
}
