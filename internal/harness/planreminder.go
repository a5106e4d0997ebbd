package harness

import (
	"github.com/anthropics/anthropic-sdk-go"

	"github.com/basalt-dev/basalt/internal/permission"
)

// The model learns the mode from the prompt, as Claude Code tells it: a
// system reminder after the user's words, sent with every prompt made in
// plan mode. Without it the model would learn of plan mode only from the
// refusal of its first edit. The reminder is part of the stored message
// (a resume sends the same bytes); the history leaves it out.
const (
	planReminder = "<system-reminder>Plan mode is on: the user wants a plan before any change. " +
		"Investigate with read-only tools only (Read, Grep, Glob, LS); do not edit files or run commands. " +
		"When you know what you would change, present the plan with the ExitPlanMode tool and wait for the user's approval; " +
		"if they keep planning, revise the plan with what they said.</system-reminder>"
	planReminderHeadless = "<system-reminder>Plan mode is on in a run that nobody can answer: the user wants a plan, not changes. " +
		"Investigate with read-only tools only (Read, Grep, Glob, LS); do not edit files or run commands. " +
		"Nobody can approve a plan here, so give the plan as your final answer instead of calling ExitPlanMode.</system-reminder>"
)

// withModeReminder adds the plan-mode reminder to a prompt made in plan
// mode; other prompts go as they are.
func (s *Session) withModeReminder(prompt []anthropic.ContentBlockParamUnion) []anthropic.ContentBlockParamUnion {
	if s.PermissionMode() != permission.ModePlan {
		return prompt
	}
	text := planReminder
	if s.o.Headless {
		text = planReminderHeadless
	}
	return append(append([]anthropic.ContentBlockParamUnion(nil), prompt...), anthropic.NewTextBlock(text))
}
