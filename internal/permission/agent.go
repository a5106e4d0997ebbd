package permission

import (
	"encoding/json"
	"strings"

	"github.com/basalt-dev/basalt/internal/rulespec"
)

// AgentTool is the tool that starts a subagent; AgentToolLegacy is
// Claude Code's earlier name for it, which rules written for it still use
// ("Task", "Task(Explore)"): both names cover the same calls.
const (
	AgentTool       = "Agent"
	AgentToolLegacy = "Task"
)

// agent decides an Agent tool call: the model starting a subagent.
// Claude Code starts subagents without asking and lets rules restrict
// them: "Agent" (or "Task") covers every one, "Agent(Explore)" one type.
// Starting one does nothing by itself: every call the subagent makes is
// checked, and asked, as the session's own calls are.
func (e *eval) agent(raw json.RawMessage) (subject, outcome) {
	var in struct {
		SubagentType string `json:"subagent_type"`
	}
	if len(raw) > 0 {
		if err := json.Unmarshal(raw, &in); err != nil {
			return subject{verb: "start an agent"}, denyf("the Agent input is not valid JSON: %v", err)
		}
	}
	name := strings.TrimSpace(in.SubagentType)
	if name == "" {
		name = "general-purpose"
	}
	s := subject{verb: "start agent", object: name}
	return s, e.namedRules(func(r rule) bool { return r.coversAgent(name) }, "agent "+name, "starting",
		"agents start without asking unless a rule says otherwise, as in Claude Code; their calls are checked one by one")
}

// coversAgent reports whether r names the Agent tool (by either name) as
// a whole or the agent type.
func (r rule) coversAgent(name string) bool {
	if r.inert || !(r.tool.Matches(AgentTool) || r.tool.Matches(AgentToolLegacy)) {
		return false
	}
	if !r.cfg.HasSpec || r.broad {
		return true
	}
	return strings.TrimSpace(rulespec.Unescape(r.cfg.Specifier)) == name
}
