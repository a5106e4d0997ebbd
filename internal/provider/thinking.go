package provider

import (
	"slices"

	"github.com/anthropics/anthropic-sdk-go"

	"github.com/basalt-dev/basalt/internal/model"
)

// Thinking is what the user said about extended thinking, in Claude
// Code's terms (its settings and environment variables).
type Thinking struct {
	// Budget is MAX_THINKING_TOKENS: a budget_tokens for the models that
	// take one. 0: none asked for.
	Budget int
	// Effort is effortLevel / CLAUDE_CODE_EFFORT_LEVEL / /effort: low,
	// medium, high, xhigh or max; "" or "auto": the model's default (a
	// turn) or none (any other request).
	Effort string
	// Always is alwaysThinkingEnabled: true asks for thinking on every
	// model, false for none (where the model allows it off).
	Always *bool
	// Disable is CLAUDE_CODE_DISABLE_THINKING.
	Disable bool
	// DisableAdaptive is CLAUDE_CODE_DISABLE_ADAPTIVE_THINKING: a model
	// that also takes a budget gets the budget instead.
	DisableAdaptive bool
	// DisableInterleaved is DISABLE_INTERLEAVED_THINKING: no
	// interleaved-thinking beta.
	DisableInterleaved bool
}

// Claude Code's defaults, recorded against the emulator (testdata/
// claude-code/): the budget it sends with thinking on and no
// MAX_THINKING_TOKENS, and the beta that lets a model think between tool
// calls.
const (
	defaultThinkingBudget = 31_999
	BetaInterleaved       = "interleaved-thinking-2025-05-14"
)

// off reports whether the user turned thinking off: Claude Code's
// alwaysThinkingEnabled false or CLAUDE_CODE_DISABLE_THINKING. Absent,
// thinking is on for every model that supports it, as in Claude Code
// ("when absent or true, thinking is enabled automatically for supported
// models"; DESIGN.md §9, docs/models.md).
func (t Thinking) off() bool {
	return t.Disable || (t.Always != nil && !*t.Always)
}

// asked reports whether the user turned thinking on explicitly: what a
// request outside the conversation (Request.Turn false) needs to think.
func (t Thinking) asked() bool {
	if t.off() {
		return false
	}
	return t.Budget > 0 || (t.Effort != "" && t.Effort != "auto") || (t.Always != nil && *t.Always)
}

// applyThinking fills thinking, output_config.effort and the interleaved
// beta as Claude Code 2.1.197 sends them on Bedrock for m (nil: a model
// basalt does not know, which gets a budget only if MAX_THINKING_TOKENS
// asks for one, since nothing says it thinks), recorded in
// testdata/claude-code/:
//   - thinking is on unless turned off: "adaptive"
//     on the models that take it (unless CLAUDE_CODE_DISABLE_ADAPTIVE_THINKING
//     and the model also takes a budget), budget_tokens on the others:
//     MAX_THINKING_TOKENS, else 31,999, within max_tokens − 1 as Claude
//     Code clamps it;
//   - turned off, the thinking field is left out (Claude Code on Bedrock
//     does not send type "disabled"); a model that always thinks (Fable
//     5) thinks all the same, which /status says;
//   - effort goes to every model that takes it, thinking on or off: the
//     level set (lowered to the highest the model has, model.EffortFor),
//     else (unset or "auto") the model's default, sent explicitly as
//     Claude Code does (model.EffortDefault: "high", or Opus 4.7's
//     "xhigh");
//   - the interleaved-thinking beta goes to every thinking model but
//     Haiku, thinking on or off as Claude Code does, unless
//     DISABLE_INTERLEAVED_THINKING.
//
// That is for a turn of the conversation; any other request (turn false)
// thinks, and gets an effort, only when the user asked (asked), so that a
// doctor probe or a side call to the small model costs what it did.
//
// A caller's explicit Thinking (compaction turns thinking off) wins.
func (t Thinking) apply(p *anthropic.MessageNewParams, m *model.Model, betas *[]string, turn bool) {
	if p.Thinking.OfEnabled != nil || p.Thinking.OfDisabled != nil || p.Thinking.OfAdaptive != nil {
		return
	}
	off := t.off() || (!turn && !t.asked())
	switch {
	case m == nil:
		if !off && t.Budget > 0 {
			t.budget(p, t.Budget, 0)
		}
	case off:
		// Left out, as Claude Code does; a model that always thinks
		// (Fable 5) thinks without the field too.
	case m.Thinking && m.Adaptive && (!t.DisableAdaptive || m.AdaptiveThinkingOnly):
		p.Thinking = anthropic.ThinkingConfigParamUnion{OfAdaptive: &anthropic.ThinkingConfigAdaptiveParam{}}
	case m.Thinking && !m.AdaptiveThinkingOnly:
		if t.Budget > 0 {
			t.budget(p, t.Budget, m.MaxOutput)
		} else if b := min(int64(defaultThinkingBudget), p.MaxTokens-1); b >= 1024 {
			// Unasked, the budget fits the max_tokens chosen (Claude
			// Code's clamp) instead of raising it past the user's limit.
			p.Thinking = anthropic.ThinkingConfigParamOfEnabled(b)
		}
	}
	level := t.Effort
	if (level == "" || level == "auto") && turn {
		level = m.EffortDefault() // auto: the model's default, as when unset
	}
	if sent, _ := m.EffortFor(level); sent != "" {
		p.OutputConfig.Effort = anthropic.OutputConfigEffort(sent)
	}
	thinking := p.Thinking.OfEnabled != nil || p.Thinking.OfAdaptive != nil
	if (thinking || (turn && m != nil && m.Thinking)) && !t.DisableInterleaved && (m == nil || m.Family != model.Haiku) && !slices.Contains(*betas, BetaInterleaved) {
		*betas = append(*betas, BetaInterleaved)
	}
}

// budget sends budget_tokens, raising max_tokens past it when needed
// (thinking counts against max_tokens) as config.OutputLimits does for
// MAX_THINKING_TOKENS, but never past the model's maximum output
// (maxOut, 0: unknown); there the budget comes down to max_tokens − 1, as
// Claude Code sends 31,999 under 32,000.
func (t Thinking) budget(p *anthropic.MessageNewParams, budget, maxOut int) {
	b := int64(max(budget, 1024))
	if b >= p.MaxTokens {
		p.MaxTokens = b + DefaultMaxTokens
		if maxOut > 0 && p.MaxTokens > int64(maxOut) {
			p.MaxTokens = int64(maxOut)
		}
	}
	if b >= p.MaxTokens {
		b = p.MaxTokens - 1
	}
	if b < 1024 {
		return
	}
	p.Thinking = anthropic.ThinkingConfigParamOfEnabled(b)
}

func (c *Client) thinking() Thinking {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.cfg.Thinking
}

// Effort is the effort level the client sends ("": none set).
func (c *Client) Effort() string { return c.thinking().Effort }

// SetEffort changes the effort level of the following requests (/effort);
// "" or "auto" sends none.
func (c *Client) SetEffort(level string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.cfg.Thinking.Effort = level
}
