package permission

import (
	"encoding/json"
	"testing"
)

// TestAgentRules: the Agent tool starts a subagent without asking, as in
// Claude Code, unless a rule names the tool (as Agent or its old name
// Task) or the agent type.
func TestAgentRules(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name             string
		allow, ask, deny []string
		mode             Mode
		tool, agent      string
		want             Behavior
	}{
		{name: "no rule", agent: "Explore", want: Allow},
		{name: "plan mode", mode: ModePlan, agent: "Explore", want: Allow},
		{name: "deny all", deny: []string{"Agent"}, agent: "Explore", want: Deny},
		{name: "deny all by old name", deny: []string{"Task"}, agent: "Explore", want: Deny},
		{name: "deny one by old name", deny: []string{"Task(Explore)"}, agent: "Explore", want: Deny},
		{name: "deny other", deny: []string{"Agent(reviewer)"}, agent: "Explore", want: Allow},
		{name: "default type", deny: []string{"Agent(general-purpose)"}, agent: "", want: Deny},
		{name: "ask one", ask: []string{"Agent(reviewer)"}, agent: "reviewer", want: Ask},
		{name: "ask in bypass", ask: []string{"Agent(reviewer)"}, mode: ModeBypass, agent: "reviewer", want: Allow},
		{name: "old tool name called", tool: "Task", deny: []string{"Agent(Explore)"}, agent: "Explore", want: Deny},
		{name: "deny beats allow", allow: []string{"Agent"}, deny: []string{"Agent(reviewer)"}, agent: "reviewer", want: Deny},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			mode := tc.mode
			if mode == "" {
				mode = ModeDefault
			}
			c, err := New(Options{ProjectRoot: t.TempDir(), Mode: mode,
				Allow: parseRules(t, tc.allow...), Ask: parseRules(t, tc.ask...), Deny: parseRules(t, tc.deny...)})
			if err != nil {
				t.Fatal(err)
			}
			tool := tc.tool
			if tool == "" {
				tool = AgentTool
			}
			in, _ := json.Marshal(map[string]string{"subagent_type": tc.agent, "prompt": "p", "description": "d"})
			d := c.Decide(Request{Tool: tool, Input: in})
			if d.Behavior != tc.want {
				t.Errorf("got %s (%s), want %s", d.Behavior, d.Reason, tc.want)
			}
		})
	}
}
