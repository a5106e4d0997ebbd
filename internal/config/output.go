package config

import (
	"fmt"

	"github.com/basalt-dev/basalt/internal/model"
)

// DefaultMaxOutputTokens is max_tokens when CLAUDE_CODE_MAX_OUTPUT_TOKENS
// is not set. The seed documents recommend 4096 on Bedrock, which
// reserves max_tokens against the quota (burndown); it is the same number
// as provider.DefaultMaxTokens, which config may not import.
const DefaultMaxOutputTokens = 4096

// thinkingAnswerRoom is what max_tokens keeps for the answer beyond the
// thinking budget when the budget raises the default limit: thinking
// counts against max_tokens, so a budget as large as the limit would
// leave no room to answer.
const thinkingAnswerRoom = DefaultMaxOutputTokens

// OutputLimits is what a request to one model actually sends.
type OutputLimits struct {
	MaxTokens int    // max_tokens
	Why       string // where MaxTokens comes from, for config show and doctor
	Thinking  int    // MAX_THINKING_TOKENS's budget_tokens, sent as is; 0: none set
	// ThinkingMode is the thinking a conversation turn sends, in words:
	// "adaptive", "budget 31999", "off (…)" (provider's thinking.go
	// decides the same way; doctor and config show print it).
	ThinkingMode string
	ModelMax     int // the model's maximum output; 0: unknown
}

// OutputLimitsFor is what requests to m send, m being nil when the
// catalog does not know the model:
//   - CLAUDE_CODE_MAX_OUTPUT_TOKENS when set (above m's maximum it is a
//     configuration problem, reported by Load), else, when m thinks
//     (thinking is on by default), the max_tokens Claude Code sends m
//     (model.Model.DefaultMaxTokens), else DefaultMaxOutputTokens;
//   - with MAX_THINKING_TOKENS and the default limit, max_tokens is raised
//     to the budget plus room for the answer, as Claude Code does, within
//     m's maximum (the budget shrinks to fit when it must), instead of a
//     request that silently thinks not at all.
func (c *Config) OutputLimitsFor(m *model.Model) OutputLimits {
	l := c.outputLimitsFor(m)
	l.ThinkingMode = c.thinkingMode(m, l)
	return l
}

// thinkingMode says what thinking a turn to m sends with the limits l:
// the one description of it, which config show, doctor and /status print.
// A budget in l is sent as is (the agent puts it in the request); without
// one, the provider sends adaptive thinking, its own budget or nothing,
// as decided here (provider's thinking.go, Thinking.apply).
func (c *Config) thinkingMode(m *model.Model, l OutputLimits) string {
	off := c.ThinkingOff()
	switch {
	case l.Thinking > 0:
		return fmt.Sprintf("budget %d", l.Thinking)
	case m == nil:
		return "off (a model basalt does not know thinks only with MAX_THINKING_TOKENS)"
	case off && m.AlwaysThinks:
		return "adaptive (" + m.Name + " always thinks; turning it off only leaves the field out)"
	case off:
		return "off (" + c.thinkingOffBy() + ")"
	case !m.Thinking:
		return "none (" + m.Name + " does not think)"
	case m.AdaptiveThinkingOnly && c.MaxThinkingTokens.Value > 0:
		return "adaptive (" + m.Name + " takes no budget, so MAX_THINKING_TOKENS does not apply)"
	case m.Adaptive && (!c.Thinking.DisableAdaptive.Value || m.AdaptiveThinkingOnly):
		return "adaptive"
	}
	if b := min(31_999, l.MaxTokens-1); b >= 1024 {
		return fmt.Sprintf("budget %d (within max_tokens)", b)
	}
	return fmt.Sprintf("none (max_tokens %d leaves no room for a thinking budget)", l.MaxTokens)
}

// thinkingOffBy names the setting that turned thinking off, and where.
func (c *Config) thinkingOffBy() string {
	if d := c.Thinking.Disable; d.Value {
		return "CLAUDE_CODE_DISABLE_THINKING, " + d.Source.String()
	}
	return "alwaysThinkingEnabled false, " + c.Thinking.Always.Source.String()
}

func (c *Config) outputLimitsFor(m *model.Model) OutputLimits {
	l := OutputLimits{MaxTokens: DefaultMaxOutputTokens, Why: "default"}
	if m != nil {
		l.ModelMax = m.MaxOutput
		if m.DefaultMaxTokens > 0 && m.ThinksByDefault(c.ThinkingOff()) {
			// Thinking counts against max_tokens: with it on, basalt's
			// 4096 would starve the answer, so the model gets what
			// Claude Code sends it (CC-BIN; docs/models.md).
			l.MaxTokens = m.DefaultMaxTokens
			l.Why = fmt.Sprintf("Claude Code's default for %s with thinking on", m.Name)
		}
	}
	if v := c.MaxOutputTokens; v.Set && v.Value > 0 {
		l.MaxTokens, l.Why = v.Value, "CLAUDE_CODE_MAX_OUTPUT_TOKENS ("+v.Source.String()+")"
	}
	if l.ModelMax > 0 && l.MaxTokens > l.ModelMax {
		l.MaxTokens = l.ModelMax // Load reported it when the user set it
	}
	t := c.MaxThinkingTokens.Value
	if t <= 0 || c.Thinking.Disable.Value || (m != nil && (m.AdaptiveThinkingOnly || !m.Thinking)) {
		// No budget goes: CLAUDE_CODE_DISABLE_THINKING turns thinking off
		// whatever else is set, as in Claude Code (alwaysThinkingEnabled
		// false does not: there MAX_THINKING_TOKENS turns it back on); a
		// model without thinking, or one that takes only adaptive
		// thinking, answers a budget with a 400 (thinkingMode says so).
		return l
	}
	l.Thinking = max(t, 1024)
	if l.Thinking < l.MaxTokens {
		return l
	}
	if c.MaxOutputTokens.Set {
		// The user fixed max_tokens: the budget gives way (Load warned).
		l.Thinking = l.MaxTokens - 1
		if l.Thinking < 1024 {
			l.Thinking = 0
		}
		return l
	}
	l.MaxTokens = l.Thinking + thinkingAnswerRoom
	l.Why = fmt.Sprintf("raised to fit MAX_THINKING_TOKENS %d plus %d for the answer", l.Thinking, thinkingAnswerRoom)
	if l.ModelMax > 0 && l.MaxTokens > l.ModelMax {
		l.MaxTokens = l.ModelMax
		l.Thinking = max(l.ModelMax-thinkingAnswerRoom, 1024)
		l.Why = fmt.Sprintf("the model's maximum, with the thinking budget lowered to %d to leave %d for the answer", l.Thinking, thinkingAnswerRoom)
	}
	return l
}

// checkOutputLimit reports CLAUDE_CODE_MAX_OUTPUT_TOKENS above the
// maximum output of the model the configuration resolves to: Bedrock
// would refuse every request, so it is an error at start-up that names
// the maximum, not a failure at the first prompt.
func (c *Config) checkOutputLimit(p *problems) {
	v := c.MaxOutputTokens
	if !v.Set || v.Value <= 0 {
		return
	}
	r := c.Resolved // resolveModelNames ran before
	if r.Model == nil || r.Model.MaxOutput <= 0 {
		return // an unknown model's limit is the service's to enforce
	}
	if max := r.Model.MaxOutput; v.Value > max {
		p.add(fmt.Errorf("CLAUDE_CODE_MAX_OUTPUT_TOKENS=%d (%s) is above the maximum output of %s, %d tokens: set it to %d or less, or unset it for the default %d",
			v.Value, v.Source, r.ID, max, max, DefaultMaxOutputTokens))
	}
}
