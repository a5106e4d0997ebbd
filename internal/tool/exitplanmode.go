package tool

import (
	"context"
	_ "embed"
	"encoding/json"
	"strings"
)

//go:embed exitplanmode.md
var exitPlanModeDescription string

// ExitPlanMode is how the model, in plan mode, presents its plan for the
// user's approval (Claude Code's name and input field, which models are
// trained on). The approval is the permission question itself: the
// checker asks only in plan mode, and the frontend switches the mode when
// the user approves, before this call runs. So Run only tells the model
// the outcome.
type ExitPlanMode struct{}

type exitPlanModeInput struct {
	Plan string `json:"plan"`
}

// PlanDisplay is the Display of an approved ExitPlanMode call: the plan
// the user approved.
type PlanDisplay struct{ Plan string }

func (ExitPlanMode) Name() string        { return "ExitPlanMode" }
func (ExitPlanMode) Description() string { return exitPlanModeDescription }

// ReadOnly: it changes nothing in the workspace; the mode switch happened
// when the user approved.
func (ExitPlanMode) ReadOnly() bool { return true }
func (ExitPlanMode) InputSchema() json.RawMessage {
	return json.RawMessage(`{
  "type": "object",
  "properties": {
    "plan": {
      "type": "string",
      "description": "The plan to present to the user for approval, in Markdown"
    }
  },
  "required": ["plan"],
  "additionalProperties": false
}`)
}

func (ExitPlanMode) Run(_ context.Context, _ *Session, input json.RawMessage) (Result, error) {
	var in exitPlanModeInput
	if r, ok := decodeInput(input, &in); !ok {
		return r, nil
	}
	if strings.TrimSpace(in.Plan) == "" {
		return errorf("plan is empty: give the plan to approve, in Markdown"), nil
	}
	return Result{
		Content: "The user approved your plan, and plan mode is over. Carry it out now, starting with the first step (update your todo list first if you keep one).",
		Display: &PlanDisplay{Plan: in.Plan},
	}, nil
}
