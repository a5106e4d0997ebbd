package tui

import (
	"context"
	"fmt"
	"strings"

	tea "charm.land/bubbletea/v2"

	"github.com/basalt-dev/basalt/internal/agent"
	"github.com/basalt-dev/basalt/internal/harness"
	"github.com/basalt-dev/basalt/internal/slashcmd"
)

// commandBackend is the part of the session that runs custom commands
// and skills (/name) and switches the output style. *harness.Session has
// it; a backend without it (a test's) simply has no custom commands.
type commandBackend interface {
	IsCommand(name string) bool
	ExpandCommand(ctx context.Context, line string) (harness.Invocation, bool, error)
	RunCommand(ctx context.Context, inv harness.Invocation, on func(agent.Event)) (*agent.Result, error)
	UnknownCommand(name string, extra ...string) error
	SetOutputStyle(name string) (string, error)
}

var _ commandBackend = (*harness.Session)(nil)

// customCommand runs line when it names a custom command or skill: as a
// turn, since its `!` lines may ask for permission and its expansion
// goes to the model. The conversation shows the line as typed.
func (m *Model) customCommand(line string) (tea.Cmd, bool) {
	cb, ok := m.b.(commandBackend)
	if !ok {
		return nil, false
	}
	name, _, parsed := slashcmd.ParseInvocation(strings.TrimSpace(line))
	if !parsed || !cb.IsCommand(name) {
		return nil, false
	}
	if m.busyRefusal(name) {
		return nil, true
	}
	m.push(&userEntry{text: strings.TrimSpace(line)})
	return m.begin(func(ctx context.Context, on func(agent.Event)) error {
		inv, _, err := cb.ExpandCommand(ctx, line)
		if err != nil {
			// A refused or failing `!` line: nothing was sent.
			return err
		}
		_, err = cb.RunCommand(ctx, inv, on)
		return err
	}), true
}

// unknownCommand says that nothing answers to /name, naming the built-in
// and custom commands within a typo of it.
func (m *Model) unknownCommand(name string) {
	var builtins []string
	for _, c := range commandTable() {
		if !c.hidden {
			builtins = append(builtins, c.name)
		}
	}
	if cb, ok := m.b.(commandBackend); ok {
		m.notice(noticeError, "%v: /help lists the commands", cb.UnknownCommand(name, builtins...))
		return
	}
	m.notice(noticeError, "unknown command /%s: /help lists them", name)
}

// helpCustom is /help's section of custom commands and skills, with the
// source of each as Claude Code's /help shows it.
func (m *Model) helpCustom(b *strings.Builder) {
	if len(m.info.Commands) == 0 {
		return
	}
	b.WriteString(m.st.bold.Render("Custom commands and skills") + "\n")
	for _, c := range m.info.Commands {
		desc := c.Description
		if c.Label != "" {
			desc += " " + m.st.dim.Render(c.Label)
		}
		fmt.Fprintf(b, "  %-14s %s\n", c.Usage, desc)
	}
}

// customCompletions are the custom commands and skills whose name starts
// with v ("/re"), after the built-ins.
func (m *Model) customCompletions(v string) []compItem {
	var items []compItem
	for _, c := range m.info.Commands {
		if strings.HasPrefix("/"+c.Name, v) {
			items = append(items, compItem{value: "/" + c.Name, detail: c.Description, noArgs: !c.TakesArgs})
		}
	}
	return items
}

// cmdOutputStyle shows the output styles in a picker, or switches to the
// one named. The choice is written to the project's local settings
// (outputStyle) and applies from the next conversation on, as in Claude
// Code: the current one keeps its system prompt and its cache.
func (m *Model) cmdOutputStyle(args string) tea.Cmd {
	cb, ok := m.b.(commandBackend)
	if !ok {
		m.notice(noticeError, "output styles are not available in this session")
		return nil
	}
	if args != "" {
		return m.setOutputStyleCmd(cb, args)
	}
	p := &picker{title: "Output style (now " + m.info.OutputStyle + ")"}
	for _, st := range m.info.OutputStyles {
		p.items = append(p.items, pickItem{label: st.Name, detail: st.Description, value: st.Name})
	}
	p.choose = func(it pickItem) tea.Cmd { return m.setOutputStyleCmd(cb, it.value) }
	return func() tea.Msg { return pickerMsg{p: p} }
}

func (m *Model) setOutputStyleCmd(cb commandBackend, name string) tea.Cmd {
	b := m.b
	return func() tea.Msg {
		set, err := cb.SetOutputStyle(name)
		if err != nil {
			return infoMsg{err: err}
		}
		return infoMsg{info: b.Info(), notice: fmt.Sprintf("Output style %s saved to %s; it applies from the next conversation (/clear).", set, b.Info().LocalSettings)}
	}
}
