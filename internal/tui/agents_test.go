package tui

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"

	"github.com/basalt-dev/basalt/internal/agent"
	"github.com/basalt-dev/basalt/internal/cost"
	"github.com/basalt-dev/basalt/internal/harness"
	"github.com/basalt-dev/basalt/internal/permission"
	"github.com/basalt-dev/basalt/internal/tool"
)

// TestAgentsCommand: /agents lists each agent type with where it is
// defined, its model and its tools; /cost adds what each model and agent
// spent.
func TestAgentsCommand(t *testing.T) {
	t.Parallel()
	m, _ := newTestModel(t, 120, 40)
	m.info.Agents = []harness.AgentInfo{
		{Name: "Explore", Description: "Fast read-only agent", Source: "built-in", Location: "built-in", Model: "small-fast", Tools: "All tools except Edit, Write"},
		{Name: "reviewer", Description: "Reviews code", Source: "project", Location: "/r/.claude/agents/reviewer.md", Model: "haiku", Tools: "Read, Grep"},
	}
	slash(m, "/agents")
	frame := ansi.Strip(m.Frame())
	for _, want := range []string{"Explore  built-in", "model: the small/fast model · tools: All tools except Edit, Write", "reviewer  /r/.claude/agents/reviewer.md", "model: haiku · tools: Read, Grep", "Reviews code"} {
		if !strings.Contains(frame, want) {
			t.Errorf("/agents does not show %q:\n%s", want, frame)
		}
	}
	m.info.ModelUsage = []cost.ModelShare{
		{Model: "global.anthropic.claude-sonnet-4-6", Requests: 2, Usage: cost.Usage{CacheRead: 5000, OutputTokens: 80}, Cost: cost.Cost{USD: 0.02, Known: true}},
		{Model: "us.anthropic.claude-haiku-4-5-20251001-v1:0", Requests: 4, Usage: cost.Usage{InputTokens: 12000, OutputTokens: 100}, Cost: cost.Cost{USD: 0.013, Known: true}},
	}
	m.info.AgentUsage = []agent.AgentShare{{Agent: "Explore", Runs: 2, Requests: 4, Usage: cost.Usage{InputTokens: 12000, OutputTokens: 100}, Cost: cost.Cost{USD: 0.013, Known: true}}}
	slash(m, "/cost")
	frame = ansi.Strip(m.Frame())
	for _, want := range []string{"by model", "us.anthropic.claude-haiku-4-5-20251001-v1:0", "4 requests  12,000 in, 100 out: $0.0130", "by agent (included above)", "Explore               2 runs   4 requests  12,000 in, 100 out: $0.0130"} {
		if !strings.Contains(frame, want) {
			t.Errorf("/cost does not show %q:\n%s", want, frame)
		}
	}
}

// TestAgentProgressLine: a running Agent call shows its subagent's
// latest step on its one line, and its result one summary line.
func TestAgentProgressLine(t *testing.T) {
	t.Parallel()
	m, _ := newTestModel(t, 120, 30)
	call := &agent.ToolCall{ID: "t1", Name: "Agent", Input: json.RawMessage(`{"description":"Find alpha","prompt":"p","subagent_type":"Explore"}`)}
	m.event(agent.Event{Kind: agent.EventToolStart, Tool: call})
	m.Update(agentProgressMsg{harness.AgentProgress{CallID: "t1", Agent: "Explore", Line: "Grep alpha"}})
	m.Update(agentProgressMsg{harness.AgentProgress{CallID: "t1", Agent: "Explore", Line: "Read a.go"}})
	if frame := ansi.Strip(m.Frame()); !strings.Contains(frame, "Agent(Find alpha)") || !strings.Contains(frame, "⎿ Read a.go (2 steps)") || strings.Contains(frame, "Grep alpha") {
		t.Errorf("progress line wrong:\n%s", frame)
	}
	d := &harness.AgentDisplay{AgentType: "Explore", Model: "haiku-id", ToolUses: 2, Usage: cost.Usage{InputTokens: 1000, OutputTokens: 50}, Cost: cost.Cost{USD: 0.001, Known: true}, Duration: 1200 * time.Millisecond}
	m.event(agent.Event{Kind: agent.EventToolEnd, Tool: call, Result: &tool.Result{Content: "found\n\nagentId: a1", Display: d}})
	if frame := ansi.Strip(m.Frame()); !strings.Contains(frame, "⎿ Explore agent on haiku-id: 2 tool uses, 1,050 tokens, $0.0010, 1.2s") {
		t.Errorf("result line wrong:\n%s", frame)
	}
}

// TestAgentAsks: a subagent's permission question names the agent.
func TestAgentAsks(t *testing.T) {
	t.Parallel()
	m, _ := newTestModel(t, 100, 30)
	m.busy = true // a turn is running, whose subagent asks
	call := &agent.ToolCall{ID: "t2", Name: "Bash", Agent: "Explore", Input: json.RawMessage(`{"command":"git log"}`)}
	m.Update(askMsg{call: call, decision: permission.Decision{Behavior: permission.Ask}, reply: make(chan agent.Answer, 1)})
	if frame := ansi.Strip(m.Frame()); !strings.Contains(frame, "Explore agent wants to run a command (Bash)") {
		t.Errorf("question does not name the agent:\n%s", frame)
	}
}
