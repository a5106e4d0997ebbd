package tui

import (
	"fmt"
	"strings"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/basalt-dev/basalt/internal/harness"
)

// agentProgressMsg is one step of a running subagent, for its Agent
// call's line.
type agentProgressMsg struct{ p harness.AgentProgress }

// AgentProgress forwards subagents' steps to the program (the harness
// calls it on each subagent's goroutine).
func AgentProgress(send func(tea.Msg)) func(harness.AgentProgress) {
	return func(p harness.AgentProgress) { send(agentProgressMsg{p}) }
}

// agentProgress shows a subagent's latest step under its call's line,
// which stays one collapsed line per agent however much it does.
func (m *Model) agentProgress(p harness.AgentProgress) {
	t := m.tools[p.CallID]
	if t == nil {
		return
	}
	t.progress = p.Line
	if !p.Done {
		t.steps++
	}
}

// agentResultLine is the one line an Agent call's result shows
// collapsed: the agent, its model, what it did and spent.
func agentResultLine(d *harness.AgentDisplay) string {
	return fmt.Sprintf("%s agent on %s: %d tool uses, %s tokens, %s, %s", d.AgentType, d.Model, d.ToolUses,
		thousands(d.Usage.TotalInput()+d.Usage.OutputTokens), d.Cost, d.Duration.Round(100*time.Millisecond))
}

// cmdAgents lists the agent types the model may start (/agents): name,
// where each is defined, its model and its tools.
func (m *Model) cmdAgents(string) tea.Cmd {
	agents := m.info.Agents
	var b strings.Builder
	fmt.Fprintf(&b, "%s\n", m.st.bold.Render("Agents the model can start with the Agent tool"))
	for _, a := range agents {
		model := a.Model
		switch model {
		case "", "inherit":
			model = "the session's"
		case "small-fast":
			model = "the small/fast model"
		}
		fmt.Fprintf(&b, "  %s  %s\n", m.st.bold.Render(a.Name), m.st.dim.Render(a.Location))
		fmt.Fprintf(&b, "    model: %s · tools: %s\n", model, a.Tools)
		fmt.Fprintf(&b, "    %s\n", oneLine(a.Description))
	}
	b.WriteString(m.st.dim.Render("Define agents in .claude/agents/*.md, .basalt/agents/*.md, ~/.claude/agents/*.md or with --agents; CLAUDE_CODE_SUBAGENT_MODEL sets every agent's model."))
	m.output("%s", b.String())
	return nil
}

// costByAgent is /cost's lines for what subagents and other models spent.
func (m *Model) costByAgent(b *strings.Builder) {
	i := m.info
	if len(i.ModelUsage) > 1 {
		b.WriteString("\n  by model")
		for _, s := range i.ModelUsage {
			fmt.Fprintf(b, "\n    %-44s %3d requests  %s in, %s out: %s", s.Model, s.Requests,
				thousands(s.Usage.TotalInput()), thousands(s.Usage.OutputTokens), s.Cost)
		}
	}
	if len(i.AgentUsage) > 0 {
		b.WriteString("\n  by agent (included above)")
		for _, a := range i.AgentUsage {
			fmt.Fprintf(b, "\n    %-20s %2d runs %3d requests  %s in, %s out: %s", a.Agent, a.Runs, a.Requests,
				thousands(a.Usage.TotalInput()), thousands(a.Usage.OutputTokens), a.Cost)
		}
	}
}
