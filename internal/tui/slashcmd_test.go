package tui

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/basalt-dev/basalt/internal/agent"
	"github.com/basalt-dev/basalt/internal/harness"
	"github.com/basalt-dev/basalt/internal/slashcmd"
)

// cmdBackend is a fakeBackend with custom commands: /review and the
// skill /greet.
type cmdBackend struct {
	*fakeBackend
	expanded  []string // ExpandCommand's lines
	ran       []string // RunCommand's expanded prompts
	style     string   // SetOutputStyle's last name
	expandErr error
}

func (c *cmdBackend) IsCommand(name string) bool { return name == "review" || name == "greet" }
func (c *cmdBackend) ExpandCommand(_ context.Context, line string) (harness.Invocation, bool, error) {
	c.expanded = append(c.expanded, line)
	if c.expandErr != nil {
		return harness.Invocation{}, false, c.expandErr
	}
	return harness.Invocation{Expansion: slashcmd.Expansion{Prompt: "EXPANDED " + line}}, true, nil
}
func (c *cmdBackend) RunCommand(_ context.Context, inv harness.Invocation, _ func(agent.Event)) (*agent.Result, error) {
	c.ran = append(c.ran, inv.Expansion.Prompt)
	return &agent.Result{}, nil
}
func (c *cmdBackend) UnknownCommand(name string, extra ...string) error {
	e := &slashcmd.ErrUnknown{Name: name}
	for _, n := range append([]string{"review", "greet"}, extra...) {
		if strings.HasPrefix(n, name[:2]) {
			e.Similar = append(e.Similar, n)
		}
	}
	return e
}
func (c *cmdBackend) SetOutputStyle(name string) (string, error) {
	if name != "Explanatory" {
		return "", errors.New(`unknown output style "` + name + `"`)
	}
	c.style = name
	return name, nil
}

func newCmdModel(t *testing.T, w, h int) (*Model, *cmdBackend) {
	t.Helper()
	info := testInfo()
	info.OutputStyle = "default"
	info.Commands = []CommandInfoForTest{
		{Name: "greet", Usage: "/greet", Description: "Greets people the house way", Label: "(project)", Skill: true},
		{Name: "review", Usage: "/review [path]", Description: "Review code", ArgumentHint: "[path]", Label: "(project)", TakesArgs: true},
	}
	info.OutputStyles = []harness.StyleInfo{{Name: "default", Builtin: true}, {Name: "Explanatory", Description: "explains its choices", Builtin: true}}
	cb := &cmdBackend{fakeBackend: &fakeBackend{info: info}}
	clock := time.Date(2026, 5, 1, 12, 0, 0, 0, time.UTC)
	m := New(Options{Backend: cb, Info: info, NoColor: true, Now: func() time.Time { return clock },
		TurnContext: func() (context.Context, context.CancelFunc) { return context.WithCancel(t.Context()) }})
	m.Update(tea.WindowSizeMsg{Width: w, Height: h})
	return m, cb
}

// CommandInfoForTest keeps the literal above short.
type CommandInfoForTest = harness.CommandInfo

// TestCustomCommandsInHelpAndCompletion: /help lists the custom commands
// and skills with their descriptions and source; completion offers them
// after the built-ins.
func TestCustomCommandsInHelpAndCompletion(t *testing.T) {
	t.Parallel()
	m, _ := newCmdModel(t, 80, 40)
	slash(m, "/help")
	golden(t, "help_custom_80x40", m)

	m, _ = newCmdModel(t, 80, 24)
	typeText(m, "/re")
	var got []string
	for _, it := range m.comp.items {
		got = append(got, it.value+" "+it.detail)
	}
	if want := []string{"/rewind go back to an earlier prompt: code, conversation or both", "/resume continue an earlier session of this project", "/review Review code"}; strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("completions for /re = %q, want %q", got, want)
	}
	golden(t, "complete_custom_80x24", m)
}

// TestCustomCommandRuns: /review runs as a turn through the harness's
// expansion, the conversation shows the line as typed; a built-in wins
// over nothing; an unknown name says which ones are near.
func TestCustomCommandRuns(t *testing.T) {
	t.Parallel()
	m, cb := newCmdModel(t, 80, 24)
	slash(m, "/review src/")
	if len(cb.expanded) != 1 || cb.expanded[0] != "/review src/" {
		t.Fatalf("expanded %q, want the line", cb.expanded)
	}
	if len(cb.ran) != 1 || cb.ran[0] != "EXPANDED /review src/" {
		t.Fatalf("ran %q, want the expansion", cb.ran)
	}
	if len(cb.prompts) != 0 {
		t.Errorf("the line was also sent as a plain prompt: %q", cb.prompts)
	}
	if v := m.View().Content; !strings.Contains(v, "/review src/") {
		t.Errorf("the conversation does not show the command line:\n%s", v)
	}

	slash(m, "/revieww")
	if v := m.View().Content; !strings.Contains(v, "unknown slash command: /revieww (did you mean /review") {
		t.Errorf("no did-you-mean for /revieww:\n%s", v)
	}

	cb.expandErr = errors.New("review.md:3: !`false`: exit status 1")
	slash(m, "/review again")
	if len(cb.ran) != 1 {
		t.Errorf("a failed expansion still ran: %q", cb.ran)
	}
	if v := m.View().Content; !strings.Contains(v, "review.md:3") {
		t.Errorf("the failed ! line is not shown:\n%s", v)
	}
}

// TestOutputStyleCommand: /output-style NAME saves the style; an unknown
// one is an error; without a name a picker lists the styles.
func TestOutputStyleCommand(t *testing.T) {
	t.Parallel()
	m, cb := newCmdModel(t, 80, 24)
	slash(m, "/output-style Explanatory")
	if cb.style != "Explanatory" {
		t.Fatalf("style = %q, want Explanatory", cb.style)
	}
	if v := m.View().Content; !strings.Contains(v, "next conversation") {
		t.Errorf("no notice that the style applies from the next conversation:\n%s", v)
	}
	slash(m, "/output-style Nope")
	if v := m.View().Content; !strings.Contains(v, `unknown output style "Nope"`) {
		t.Errorf("no error for an unknown style:\n%s", v)
	}
	slash(m, "/output-style")
	if m.picker == nil || len(m.picker.items) != 2 || m.picker.items[1].label != "Explanatory" {
		t.Fatalf("picker = %+v, want the two styles", m.picker)
	}
}
