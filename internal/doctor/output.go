package doctor

import (
	"context"
	"fmt"
)

// checkOutput says what the primary model's requests actually send as
// max_tokens and thinking budget, and why: the settings alone do not tell
// (the default, a limit raised to fit MAX_THINKING_TOKENS, the model's
// maximum), and a limit that silently drops thinking or cuts answers is
// found here rather than in a session.
func (r *runner) checkOutput(context.Context) Check {
	c := Check{ID: "output", Status: StatusOK}
	cfg := r.in.Config
	var primary *Role
	for i, role := range r.in.Roles {
		if role.Name == RolePrimary {
			primary = &r.in.Roles[i]
		}
	}
	if cfg == nil || primary == nil || primary.Err != nil {
		c.Status, c.Summary = StatusSkip, "not checked: the primary model does not resolve (see model.primary)"
		return c
	}
	l := cfg.OutputLimitsFor(primary.Resolved.Model)
	c.Summary = fmt.Sprintf("requests send max_tokens %d (%s) and thinking %s", l.MaxTokens, l.Why, l.ThinkingMode)
	if l.ModelMax > 0 {
		c.Detail = fmt.Sprintf("%s allows up to %d output tokens; an answer cut at max_tokens is continued, and a cut tool call is asked again at %d", primary.Resolved.ID, l.ModelMax, l.ModelMax)
	}
	return c
}
