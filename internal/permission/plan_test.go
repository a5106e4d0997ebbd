package permission

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/basalt-dev/basalt/internal/config"
)

// TestExitPlanMode: only plan mode asks to leave it, a headless plan run
// refuses (nobody can approve, so nothing is ever edited), and a deny
// rule still wins.
func TestExitPlanMode(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	plan := json.RawMessage(`{"plan":"1. edit main.go"}`)
	deny, _ := config.ParseRule("ExitPlanMode")
	for _, tc := range []struct {
		name     string
		mode     Mode
		headless bool
		deny     []config.Rule
		want     Behavior
		reason   string
	}{
		{"plan asks", ModePlan, false, nil, Ask, "approval"},
		{"plan headless", ModePlan, true, nil, Deny, "nobody can approve"},
		{"default", ModeDefault, false, nil, Deny, "not in plan mode"},
		{"acceptEdits", ModeAcceptEdits, false, nil, Deny, "not in plan mode"},
		{"bypass", ModeBypass, false, nil, Deny, "not in plan mode"},
		{"deny rule", ModePlan, false, []config.Rule{deny}, Deny, "denied by rule"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			c, err := New(Options{Mode: tc.mode, ProjectRoot: dir, Headless: tc.headless, Deny: tc.deny})
			if err != nil {
				t.Fatal(err)
			}
			d := c.Decide(Request{Tool: ExitPlanMode, Input: plan})
			if tc.want == Ask {
				for _, empty := range []string{`{}`, `{"plan":"  "}`, `{"allowedPrompts":[]}`} {
					if d := c.Decide(Request{Tool: ExitPlanMode, Input: json.RawMessage(empty)}); d.Behavior != Deny || !strings.Contains(d.Reason, "plan field") {
						t.Errorf("%s: %s %q, want a deny asking for the plan", empty, d.Behavior, d.Reason)
					}
				}
			}
			if d.Behavior != tc.want || !strings.Contains(d.Reason, tc.reason) {
				t.Errorf("decision %s %q, want %s containing %q", d.Behavior, d.Reason, tc.want, tc.reason)
			}
			if len(d.Suggestions) > 0 {
				t.Errorf("suggestions %v: no rule may approve a plan for the user", d.Suggestions)
			}
		})
	}
}

// TestPlanModeWritesRefused: in plan mode every edit and command is
// refused with a reason that points the model at ExitPlanMode.
func TestPlanModeWritesRefused(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	c, err := New(Options{Mode: ModePlan, ProjectRoot: dir})
	if err != nil {
		t.Fatal(err)
	}
	for _, req := range []Request{
		{Tool: "Write", Input: json.RawMessage(`{"file_path":"a.txt","content":"x"}`)},
		{Tool: "Edit", Input: json.RawMessage(`{"file_path":"a.txt","old_string":"x","new_string":"y"}`)},
		{Tool: "Bash", Input: json.RawMessage(`{"command":"touch a.txt"}`)},
	} {
		d := c.Decide(req)
		if d.Behavior != Deny || !strings.Contains(d.Reason, "ExitPlanMode") {
			t.Errorf("%s: %s %q, want a deny naming ExitPlanMode", req.Tool, d.Behavior, d.Reason)
		}
	}
	if d := c.Decide(Request{Tool: "Read", Input: json.RawMessage(`{"file_path":"a.txt"}`)}); d.Behavior != Allow {
		t.Errorf("Read in plan mode: %s %q", d.Behavior, d.Reason)
	}
}
