package hooks

import (
	"encoding/json"
	"fmt"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// preToolUse is the JSON answer of a PreToolUse hook with decision d and,
// when input is set, an updatedInput.
func preToolUse(d Decision, input string) Result {
	s := map[string]any{"hookEventName": "PreToolUse", "permissionDecision": d, "permissionDecisionReason": "because " + string(d)}
	if input != "" {
		s["updatedInput"] = json.RawMessage(input)
	}
	b, _ := json.Marshal(map[string]any{"hookSpecificOutput": s})
	return Result{Hook: Hook{Event: PreToolUse, Command: "hook-" + string(d) + input}, Stdout: string(b)}
}

// TestDecisionPrecedence: when hooks disagree, deny beats defer beats
// ask beats allow, whatever their order; the input a hook rewrote
// applies only with the decision that won.
func TestDecisionPrecedence(t *testing.T) {
	t.Parallel()
	plain := Result{Hook: Hook{Event: PreToolUse, Command: "noop"}, Stdout: ""}
	rewrite := Result{Hook: Hook{Event: PreToolUse, Command: "rewrite"}, Stdout: `{"hookSpecificOutput":{"hookEventName":"PreToolUse","updatedInput":{"command":"ls"}}}`}
	tests := []struct {
		name    string
		results []Result
		want    Decision
		reason  string
		input   string
		blocked bool
	}{
		{"none", []Result{plain}, DecisionNone, "", "", false},
		{"allow", []Result{preToolUse(DecisionAllow, "")}, DecisionAllow, "because allow", "", false},
		{"deny beats allow", []Result{preToolUse(DecisionAllow, ""), preToolUse(DecisionDeny, "")}, DecisionDeny, "because deny", "", true},
		{"deny beats allow, either order", []Result{preToolUse(DecisionDeny, ""), preToolUse(DecisionAllow, "")}, DecisionDeny, "because deny", "", true},
		{"ask beats allow", []Result{preToolUse(DecisionAllow, `{"a":1}`), preToolUse(DecisionAsk, `{"b":2}`)}, DecisionAsk, "because ask", `{"b":2}`, false},
		{"defer beats ask", []Result{preToolUse(DecisionAsk, ""), preToolUse(DecisionDefer, "")}, DecisionDefer, "because defer", "", false},
		{"deny beats defer", []Result{preToolUse(DecisionDefer, ""), preToolUse(DecisionDeny, "")}, DecisionDeny, "because deny", "", true},
		{"the winning allow's input", []Result{preToolUse(DecisionAllow, `{"a":1}`), preToolUse(DecisionAllow, `{"a":2}`)}, DecisionAllow, "because allow", `{"a":1}`, false},
		{"a denied call takes no input", []Result{preToolUse(DecisionAllow, `{"a":1}`), preToolUse(DecisionDeny, "")}, DecisionDeny, "because deny", "", true},
		{"input without a decision", []Result{rewrite, plain}, DecisionNone, "", `{"command":"ls"}`, false},
		{"exit 2 beats allow", []Result{preToolUse(DecisionAllow, `{"a":1}`), {Hook: Hook{Event: PreToolUse, Command: "guard"}, ExitCode: 2, Stderr: "no"}}, DecisionDeny, "[guard]: no", "", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o := combine(PreToolUse, tt.results)
			got := []any{o.Decision, o.DecisionReason, string(o.UpdatedInput), o.Blocked}
			want := []any{tt.want, tt.reason, tt.input, tt.blocked}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("decision, reason, input, blocked mismatch (-want +got):\n%s\nerrors: %v", diff, o.Errors)
			}
		})
	}
}

func TestPermissionRequestDenyWins(t *testing.T) {
	t.Parallel()
	answer := func(b string) Result {
		return Result{Hook: Hook{Event: PermissionRequest, Command: b}, Stdout: fmt.Sprintf(`{"hookSpecificOutput":{"hookEventName":"PermissionRequest","decision":{"behavior":%q}}}`, b)}
	}
	o := combine(PermissionRequest, []Result{answer("deny"), answer("allow")})
	if o.PermissionRequest.Behavior != "deny" || o.Decision != DecisionDeny {
		t.Errorf("%+v", o.PermissionRequest)
	}
}
