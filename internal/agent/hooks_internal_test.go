package agent

import (
	"testing"

	"github.com/basalt-dev/basalt/internal/config"
	"github.com/basalt-dev/basalt/internal/permission"
	"github.com/basalt-dev/basalt/internal/tool"
)

// A PreToolUse hook's allow skips only the question a rule could have
// answered; deny rules, ask rules, protected paths and plan mode win.
func TestHookAllowFailsClosed(t *testing.T) {
	s := &Session{tools: map[string]tool.Tool{"Bash": tool.Bash{}, "Read": tool.Read{}}}
	bash := &ToolCall{Name: "Bash"}
	suggest := []config.Rule{{Tool: "Bash", Specifier: "touch:*"}}
	tests := []struct {
		name string
		call *ToolCall
		in   verdict
		want plan
	}{
		{"default ask", bash, verdict{plan: planAsk, decision: permission.Decision{Behavior: permission.Ask, Suggestions: suggest}}, planAlone},
		{"headless ask turned deny", bash, verdict{plan: planDenied, decision: permission.Decision{Behavior: permission.Deny, Suggestions: suggest}}, planAlone},
		{"read-only tool batches", &ToolCall{Name: "Read"}, verdict{plan: planAsk, decision: permission.Decision{Behavior: permission.Ask, Suggestions: suggest}}, planBatch},
		{"deny rule", bash, verdict{plan: planDenied, decision: permission.Decision{Behavior: permission.Deny, Rule: suggest[0]}}, planDenied},
		{"ask rule or protected path", bash, verdict{plan: planAsk, decision: permission.Decision{Behavior: permission.Ask}}, planAsk},
		{"unknown tool", &ToolCall{Name: "Nope"}, verdict{plan: planUnknown}, planUnknown},
		{"already allowed", bash, verdict{plan: planAlone}, planAlone},
	}
	for _, tt := range tests {
		if got := s.hookAllows(tt.call, tt.in).plan; got != tt.want {
			t.Errorf("%s: plan %d, want %d", tt.name, got, tt.want)
		}
	}
}
