package harness

import (
	"github.com/anthropics/anthropic-sdk-go"

	"github.com/basalt-dev/basalt/internal/permission"
	"github.com/basalt-dev/basalt/internal/tool"
)

// offeredTools are the tools a session offers the model. A headless run
// leaves out ExitPlanMode, as Claude Code's -p does (measured: 2.1.197
// neither lists it nor runs it): nobody could approve a plan there, so a
// call to it is an unknown tool's error, and plan mode stays.
func offeredTools(tools []tool.Tool, headless bool) []tool.Tool {
	if !headless {
		return tools
	}
	out := make([]tool.Tool, 0, len(tools))
	for _, t := range tools {
		if t.Name() != permission.ExitPlanMode {
			out = append(out, t)
		}
	}
	return out
}

// toolNames are the names of the tools offered, in order.
func toolNames(headless bool) []string {
	var names []string
	for _, n := range ToolNames() {
		if !headless || n != permission.ExitPlanMode {
			names = append(names, n)
		}
	}
	return names
}

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
