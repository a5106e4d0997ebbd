package subagent

import (
	"context"
	"encoding/json"
	"os"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/basalt-dev/basalt/internal/agent"
	"github.com/basalt-dev/basalt/internal/agentdef"
	"github.com/basalt-dev/basalt/internal/model"
	"github.com/basalt-dev/basalt/internal/provider"
	"github.com/basalt-dev/basalt/internal/tool"
)

func testSet() *agentdef.Set {
	return agentdef.NewSet(agentdef.Builtins(), []agentdef.Definition{{Name: "reviewer", Description: "Reviews code", Tools: []string{"Read", "Grep"}, Model: "haiku", Prompt: "p"}})
}

// TestDescriptionListsAgents: the model picks an agent by the listing in
// the tool's description.
func TestDescriptionListsAgents(t *testing.T) {
	t.Parallel()
	d := New(Config{Agents: testSet()}).Description()
	for _, want := range []string{"- reviewer: Reviews code (Tools: Read, Grep)\n", "- general-purpose: General-purpose agent", "- Explore: Fast read-only agent", "Subagents cannot start subagents."} {
		if !strings.Contains(d, want) {
			t.Errorf("description lacks %q:\n%s", want, d)
		}
	}
	if strings.Contains(d, "{{AGENTS}}") {
		t.Error("placeholder left in the description")
	}
}

// TestSchemaMatchesClaudeCode: the input fields basalt offers are Claude
// Code's (testdata/claude-code), with the same required ones.
func TestSchemaMatchesClaudeCode(t *testing.T) {
	t.Parallel()
	data, err := os.ReadFile("testdata/claude-code/agent-tool-2.1.197.json")
	if err != nil {
		t.Fatal(err)
	}
	var cc struct {
		Name        string `json:"name"`
		InputSchema struct {
			Properties map[string]struct {
				Description string `json:"description"`
			} `json:"properties"`
			Required []string `json:"required"`
		} `json:"input_schema"`
	}
	if err := json.Unmarshal(data, &cc); err != nil {
		t.Fatal(err)
	}
	var ours struct {
		Properties map[string]struct {
			Description string `json:"description"`
		} `json:"properties"`
		Required []string `json:"required"`
	}
	tl := New(Config{Agents: testSet()})
	if err := json.Unmarshal(tl.InputSchema(), &ours); err != nil {
		t.Fatal(err)
	}
	if tl.Name() != cc.Name {
		t.Errorf("name %q, Claude Code's %q", tl.Name(), cc.Name)
	}
	if diff := cmp.Diff(cc.InputSchema.Required, ours.Required); diff != "" {
		t.Errorf("required mismatch (-claude +basalt):\n%s", diff)
	}
	for _, f := range []string{"description", "prompt", "subagent_type"} {
		if ours.Properties[f].Description != cc.InputSchema.Properties[f].Description {
			t.Errorf("%s: %q, Claude Code's %q", f, ours.Properties[f].Description, cc.InputSchema.Properties[f].Description)
		}
	}
	for f := range ours.Properties {
		if _, ok := cc.InputSchema.Properties[f]; !ok {
			t.Errorf("field %s is not Claude Code's", f)
		}
	}
}

func TestDecode(t *testing.T) {
	t.Parallel()
	tl := New(Config{Agents: testSet()})
	tests := []struct {
		in, wantAgent, wantErr string
	}{
		{in: `{"description":"d","prompt":"p"}`, wantAgent: "general-purpose"},
		{in: `{"description":"d","prompt":"p","subagent_type":"reviewer"}`, wantAgent: "reviewer"},
		{in: `{"description":"d","prompt":"p","subagent_type":"nope"}`, wantErr: `Agent type "nope" not found. Available agents: Explore, general-purpose, reviewer`},
		{in: `{"description":"d","prompt":"  "}`, wantErr: "prompt is empty"},
		{in: `{"description":"d","prompt":"p","run_in_background":true}`, wantErr: `unknown field "run_in_background"`},
	}
	for _, tt := range tests {
		_, def, res, ok := tl.decode(json.RawMessage(tt.in))
		switch {
		case tt.wantErr != "" && (ok || !res.IsError || !strings.Contains(res.Content, tt.wantErr)):
			t.Errorf("%s: ok %v, %q; want an error with %q", tt.in, ok, res.Content, tt.wantErr)
		case tt.wantErr == "" && (!ok || def.Name != tt.wantAgent):
			t.Errorf("%s: ok %v, agent %q (%s); want %s", tt.in, ok, def.Name, res.Content, tt.wantAgent)
		}
	}
}

func TestPickModel(t *testing.T) {
	t.Parallel()
	ms := provider.Models{Primary: model.Resolved{ID: "primary"}, SmallFast: model.Resolved{ID: "small"}}
	resolve := func(_ context.Context, name string) (model.Resolved, error) {
		return model.Resolved{ID: "resolved-" + name}, nil
	}
	set := testSet()
	explore, _ := set.Lookup("Explore")
	general, _ := set.Lookup("general-purpose")
	reviewer, _ := set.Lookup("reviewer")
	tests := []struct {
		name     string
		override string
		def      agentdef.Definition
		in       Input
		want     string
	}{
		{name: "inherit", def: general, want: "primary"},
		{name: "explore is small/fast", def: explore, want: "small"},
		{name: "agent's alias", def: reviewer, want: "resolved-haiku"},
		{name: "call wins over agent", def: reviewer, in: Input{Model: "opus"}, want: "resolved-opus"},
		{name: "env wins over all", override: "sonnet", def: explore, in: Input{Model: "opus"}, want: "resolved-sonnet"},
		{name: "env inherit", override: "inherit", def: explore, want: "primary"},
	}
	for _, tt := range tests {
		tl := New(Config{Agents: set, ResolveModel: resolve, ModelOverride: tt.override})
		got, err := tl.pickModel(t.Context(), tt.def, tt.in, ms)
		if err != nil || got.ID != tt.want {
			t.Errorf("%s: %q, %v; want %q", tt.name, got.ID, err, tt.want)
		}
	}
}

func TestRestrict(t *testing.T) {
	t.Parallel()
	all := append(tool.All(), New(Config{Agents: testSet()}))
	names := func(ts []tool.Tool) []string {
		var out []string
		for _, t := range ts {
			out = append(out, t.Name())
		}
		return out
	}
	set := testSet()
	reviewer, _ := set.Lookup("reviewer")
	explore, _ := set.Lookup("Explore")
	general, _ := set.Lookup("general-purpose")
	if diff := cmp.Diff([]string{"Grep", "Read"}, names(restrict(all, reviewer))); diff != "" {
		t.Errorf("reviewer tools mismatch (-want +got):\n%s", diff)
	}
	for _, n := range names(restrict(all, explore)) {
		if n == "Edit" || n == "Write" || n == "MultiEdit" || n == "ExitPlanMode" || n == "Agent" {
			t.Errorf("Explore has %s", n)
		}
	}
	got := names(restrict(all, general))
	if len(got) != len(all)-1 || got[len(got)-1] == "Agent" {
		t.Errorf("general-purpose tools = %v: want every tool but Agent", got)
	}
}

// TestParallelBound: no more than MaxParallel subagents hold a slot.
func TestParallelBound(t *testing.T) {
	t.Parallel()
	tl := New(Config{Agents: testSet()})
	for range MaxParallel {
		tl.slots <- struct{}{}
	}
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	// A fifth call waits for a slot; cancelled, it is interrupted
	// before it starts (an attached session is never reached).
	tl.Attach(&agent.Session{})
	call := agent.ToolCall{ID: "t", Name: "Agent", Input: json.RawMessage(`{"description":"d","prompt":"p"}`)}
	res, err := tl.RunCall(ctx, nil, &call)
	if err == nil || !res.IsError || !strings.Contains(res.Content, "before the agent started") {
		t.Errorf("got %q, %v", res.Content, err)
	}
}
