package permission

import (
	"encoding/json"
	"fmt"
	"strings"
)

// ExitPlanMode is the tool the model calls, in plan mode, to present its
// plan and ask to leave plan mode (Claude Code's name, which models are
// trained on).
const ExitPlanMode = "ExitPlanMode"

// exitPlan decides an ExitPlanMode call. Only the user can end plan mode:
// in plan mode the call asks (the frontend shows the plan and switches the
// mode on approval); where nobody can answer it is refused and plan mode
// stays, so a headless plan run never goes on to edit. Outside plan mode
// there is nothing to approve, and the model is told to get on with it.
// A deny rule naming the tool still refuses it first.
func (e *eval) exitPlan(input json.RawMessage) outcome {
	for _, r := range e.rules.deny {
		if r.bareFor(ExitPlanMode) {
			return denyRule(r, fmt.Sprintf("%s is denied by rule %s", ExitPlanMode, ruleWhere(r)))
		}
	}
	switch {
	case e.mode != ModePlan:
		return denyf("basalt is not in plan mode (the mode is %s), so there is no plan to approve: carry out the work as the mode allows", e.mode)
	case e.c.headless:
		return denyf("plan mode in this non-interactive run: nobody can approve the plan, so plan mode stays on and nothing will be edited or run; give the plan as your final answer instead")
	}
	var in struct {
		Plan string `json:"plan"`
	}
	if json.Unmarshal(input, &in) != nil || strings.TrimSpace(in.Plan) == "" {
		// Nothing to show the user: no question is put.
		return denyf("%s needs the plan itself, in Markdown, in its plan field; call it again with the plan", ExitPlanMode)
	}
	return askf("leaving plan mode needs the user's approval of the plan")
}
