package tui

import (
	"encoding/json"
	"fmt"

	tea "charm.land/bubbletea/v2"

	"github.com/basalt-dev/basalt/internal/agent"
)

// planView is the ExitPlanMode question: the model's plan, rendered, and
// whether to carry it out (leaving plan mode for acceptEdits or default)
// or keep planning.
func (m *Model) planView() []string {
	p, st, w := m.ask, m.st, m.width
	body := []string{st.bold.Render("Here is basalt's plan. Carry it out?")}
	var in struct {
		Plan string `json:"plan"`
	}
	_ = json.Unmarshal(p.msg.call.Input, &in)
	lines := m.md.render(in.Plan, max(w-4, 20))
	// The question sits under the conversation and cannot scroll: a long
	// plan is cut to leave the conversation a few lines.
	room := max(m.height-12, 4)
	if len(lines) > room {
		more := len(lines) - room + 1
		lines = append(lines[:room-1], st.dim.Render(fmt.Sprintf("… +%d lines of the plan (it is in the conversation once approved)", more)))
	}
	for _, l := range lines {
		body = append(body, "  "+l)
	}
	body = append(body, "")
	labels := map[int]string{
		0: "Yes, and accept edits (mode acceptEdits)",
		1: "Yes, and ask before each edit (mode default)",
		2: "No, keep planning: tell basalt what to change (esc: just no)",
	}
	body = append(body, m.choiceLines(labels)...)
	return box(st, body, w)
}

// approvePlanCmd leaves plan mode for mode, then lets the ExitPlanMode
// call run, in that order: the calls the model makes next, in this very
// turn, are decided in the new mode.
func (m *Model) approvePlanCmd(ask askMsg, mode string) tea.Cmd {
	m.info.PermissionMode = mode
	b := m.b
	return func() tea.Msg {
		info, err := b.SetPermissionMode(mode)
		if err != nil {
			// Refused (a mode the settings disable): the plan is not
			// approved, and the model hears why.
			ask.answer(agent.Answer{Message: "the plan could not be approved: " + err.Error()})()
			return modeMsg{info: b.Info(), err: err}
		}
		ask.answer(agent.Answer{Allow: true})()
		return modeMsg{info: info}
	}
}

// callDescription is what the model says a call is for: Bash's
// description field ("" when it gave none).
func callDescription(call *agent.ToolCall) string {
	var in struct {
		Description string `json:"description"`
	}
	if json.Unmarshal(call.Input, &in) != nil {
		return ""
	}
	return oneLine(in.Description)
}

// planLines are an approved plan in the conversation, rendered and
// indented under its call.
func planLines(plan string, rc *renderCtx) []string {
	var out []string
	for _, l := range rc.md.render(plan, max(rc.width-4, 20)) {
		out = append(out, "  "+l)
	}
	return out
}
