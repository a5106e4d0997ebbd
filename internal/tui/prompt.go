package tui

import (
	"fmt"
	"strings"

	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/basalt-dev/basalt/internal/agent"
	"github.com/basalt-dev/basalt/internal/permission"
)

// askPrompt is an open permission question.
type askPrompt struct {
	msg      askMsg
	choice   int  // 0 yes, 1 yes and remember, 2 no; for a plan: 0 yes with acceptEdits, 1 yes with default, 2 keep planning
	plan     bool // ExitPlanMode: approve the plan and leave plan mode
	rules    []string
	refusing bool // typing the message that goes with "no"
	message  textinput.Model
}

func newAskPrompt(msg askMsg) *askPrompt {
	p := &askPrompt{msg: msg, plan: msg.call.Name == permission.ExitPlanMode}
	for _, r := range msg.decision.Suggestions {
		p.rules = append(p.rules, r.String())
	}
	p.message = textinput.New()
	p.message.Placeholder = "what basalt should do instead (Enter to send, empty for nothing)"
	p.message.Prompt = "  ✎ "
	return p
}

func (p *askPrompt) choices() []int {
	if len(p.rules) == 0 && !p.plan {
		return []int{0, 2}
	}
	return []int{0, 1, 2}
}

func (m *Model) askKey(k tea.KeyPressMsg) tea.Cmd {
	p := m.ask
	if p.refusing {
		switch k.String() {
		case "enter":
			return m.answer(agent.Answer{Message: strings.TrimSpace(p.message.Value())}, "refused by you")
		case "esc":
			p.refusing = false
			p.message.Blur()
			return nil
		}
		var cmd tea.Cmd
		p.message, cmd = p.message.Update(k)
		return cmd
	}
	choices := p.choices()
	idx := 0
	for i, c := range choices {
		if c == p.choice {
			idx = i
		}
	}
	switch k.String() {
	case "up", "k":
		p.choice = choices[max(idx-1, 0)]
	case "down", "j", "tab":
		p.choice = choices[min(idx+1, len(choices)-1)]
	case "1", "y":
		return m.choose(0)
	case "2", "a":
		if len(p.rules) > 0 || p.plan {
			return m.choose(1)
		}
		return m.choose(2)
	case "3", "n":
		return m.choose(2)
	case "esc":
		return m.answer(agent.Answer{Abort: true}, "refused by you")
	case "enter":
		return m.choose(p.choice)
	}
	return nil
}

func (m *Model) choose(c int) tea.Cmd {
	p := m.ask
	if p.plan && c < 2 {
		m.ask = nil
		mode := permission.ModeAcceptEdits
		if c == 1 {
			mode = permission.ModeDefault
		}
		return m.approvePlanCmd(p.msg, string(mode))
	}
	switch c {
	case 0:
		return m.answer(agent.Answer{Allow: true}, "")
	case 1:
		m.ask = nil
		return rememberCmd(m.b, p.msg, p.rules)
	default:
		p.choice = 2
		p.refusing = true
		return p.message.Focus()
	}
}

// answer hands the answer to the agent and closes the prompt. A refusal
// is written on the call's line, since the call will not start.
func (m *Model) answer(a agent.Answer, refused string) tea.Cmd {
	p := m.ask
	m.ask = nil
	if !a.Allow {
		if p.plan {
			refused = "kept planning"
		}
		text := refused
		if a.Message != "" {
			text += ": " + a.Message
		}
		t := &toolEntry{call: p.msg.call, denied: &p.msg.decision, answered: text}
		m.tools[p.msg.call.ID] = t
		m.push(t)
	}
	return p.msg.answer(a)
}

// askView draws the question: what the call will do, then the choices.
func (m *Model) askView() []string {
	p := m.ask
	st := m.st
	w := m.width
	call := p.msg.call
	if p.plan {
		return m.planView()
	}
	var body []string
	title := fmt.Sprintf("%s wants to %s", call.Name, verb(call.Name))
	mcpTitle, mcpHint, isMCP := m.mcpAskTitle(call.Name)
	if isMCP {
		title = mcpTitle
	}
	if call.Agent != "" {
		// A subagent's call: the user must know who asks.
		title = fmt.Sprintf("%s agent wants to %s (%s)", call.Agent, verb(call.Name), call.Name)
	}
	body = append(body, st.bold.Render(title))
	if mcpHint != "" {
		body = append(body, st.dim.Render(mcpHint))
	}
	d := p.msg.preview
	if d == nil {
		d, _ = proposedDiff(call.Name, call.Input)
	}
	if d != nil {
		body = append(body, st.dim.Render(d.Path))
		rc := &renderCtx{width: w - 2, st: &m.st, expanded: m.expanded}
		body = append(body, diffLines(d, rc, true)...)
	} else if s := call.Summary(); s != "" {
		for _, l := range strings.Split(s, "\n") {
			body = append(body, wrap("  "+l, w-4)...)
		}
	}
	if desc := callDescription(call); desc != "" {
		body = append(body, wrapIndent("  ", st.dim.Render(desc), w-4)...)
	}
	if r := p.msg.decision.Reason; r != "" {
		body = append(body, st.dim.Render(ansi.Truncate(oneLine(r), w-4, "…")))
	}
	body = append(body, "")
	labels := map[int]string{
		0: "Yes",
		1: "Yes, and don't ask again: add " + strings.Join(p.rules, ", ") + " to " + m.relSettings(),
		2: "No, and tell basalt what to do instead (esc: just no)",
	}
	body = append(body, m.choiceLines(labels)...)
	return box(st, body, w)
}

// choiceLines draws the prompt's choices with the cursor, and the
// message being typed after a "no".
func (m *Model) choiceLines(labels map[int]string) []string {
	p, st, w := m.ask, m.st, m.width
	var body []string
	for i, c := range p.choices() {
		cursor := "  "
		label := fmt.Sprintf("%d. %s", i+1, labels[c])
		if c == p.choice {
			cursor = st.accent.Render("❯ ")
			label = st.accent.Render(label)
		}
		body = append(body, wrapIndent(cursor, label, w-2)...)
	}
	if p.refusing {
		p.message.SetWidth(max(w-8, 10))
		body = append(body, p.message.View())
	}
	return body
}

func verb(tool string) string {
	switch tool {
	case "Bash":
		return "run a command"
	case "Edit", "MultiEdit":
		return "edit a file"
	case "Write":
		return "write a file"
	case "NotebookEdit":
		return "edit a notebook"
	case "WebFetch":
		return "fetch a web page"
	}
	return "be used"
}

func (m *Model) relSettings() string {
	return relPath(m.info.LocalSettings, m.info.WorkDir)
}

// wrapIndent wraps s after a prefix, indenting continuation lines.
func wrapIndent(prefix, s string, width int) []string {
	lines := strings.Split(ansi.Wrap(s, max(width-ansi.StringWidth(prefix), 10), " "), "\n")
	pad := strings.Repeat(" ", ansi.StringWidth(prefix))
	for i := range lines {
		if i == 0 {
			lines[i] = prefix + lines[i]
		} else {
			lines[i] = pad + lines[i]
		}
	}
	return lines
}

// box frames lines with a rule above and below; lines are clipped to the
// width.
func box(st styles, lines []string, width int) []string {
	rule := st.border.Render(strings.Repeat("─", max(width, 1)))
	out := []string{rule}
	for _, l := range lines {
		out = append(out, ansi.Truncate(" "+l, width, "…"))
	}
	return append(out, rule)
}
