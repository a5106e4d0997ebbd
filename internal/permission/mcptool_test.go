package permission

import (
	"strings"
	"testing"

	"github.com/basalt-dev/basalt/internal/config"
)

func TestMCPRules(t *testing.T) {
	rules := func(ss ...string) []config.Rule {
		var out []config.Rule
		for _, s := range ss {
			r, err := config.ParseRule(s)
			if err != nil {
				t.Fatal(err)
			}
			out = append(out, r)
		}
		return out
	}
	cases := []struct {
		name             string
		mode             Mode
		allow, ask, deny []string
		readOnly         bool
		tool             string
		want             Behavior
	}{
		{name: "no rule asks", tool: "mcp__gh__create_issue", want: Ask},
		{name: "server rule allows", allow: []string{"mcp__gh"}, tool: "mcp__gh__create_issue", want: Allow},
		{name: "server rule covers only its server", allow: []string{"mcp__gh"}, tool: "mcp__ghx__create_issue", want: Ask},
		{name: "tool rule allows", allow: []string{"mcp__gh__list"}, tool: "mcp__gh__list", want: Allow},
		{name: "tool rule not another tool", allow: []string{"mcp__gh__list"}, tool: "mcp__gh__delete", want: Ask},
		{name: "wildcard allows", allow: []string{"mcp__gh__*"}, tool: "mcp__gh__delete", want: Allow},
		{name: "deny server beats allow tool", allow: []string{"mcp__gh__list"}, deny: []string{"mcp__gh"}, tool: "mcp__gh__list", want: Deny},
		{name: "ask beats allow", allow: []string{"mcp__gh"}, ask: []string{"mcp__gh__delete"}, tool: "mcp__gh__delete", want: Ask},
		{name: "plan mode refuses", mode: ModePlan, allow: []string{"mcp__gh"}, tool: "mcp__gh__delete", want: Deny},
		{name: "plan mode lets read-only ask", mode: ModePlan, readOnly: true, tool: "mcp__gh__list", want: Ask},
		{name: "plan mode read-only with rule", mode: ModePlan, readOnly: true, allow: []string{"mcp__gh"}, tool: "mcp__gh__list", want: Allow},
		{name: "deny in bypass", mode: ModeBypass, deny: []string{"mcp__gh"}, tool: "mcp__gh__list", want: Deny},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			mode := tc.mode
			if mode == "" {
				mode = ModeDefault
			}
			c, err := New(Options{Mode: mode, Allow: rules(tc.allow...), Ask: rules(tc.ask...), Deny: rules(tc.deny...), ProjectRoot: t.TempDir()})
			if err != nil {
				t.Fatal(err)
			}
			c.SetReadOnlyTool(func(string) bool { return tc.readOnly })
			d := c.Decide(Request{Tool: tc.tool, Input: []byte(`{}`)})
			if d.Behavior != tc.want {
				t.Errorf("got %v (%s), want %v", d.Behavior, d.Reason, tc.want)
			}
			if d.Behavior == Ask && len(tc.ask) == 0 && !strings.Contains(d.Reason, "of MCP server gh") {
				t.Errorf("the question does not name the server: %q", d.Reason)
			}
		})
	}
}
